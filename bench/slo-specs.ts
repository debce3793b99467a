// The SLO specs the benchmarks evaluate (bench/slo.ts all ten, bench/mixed.ts a subset under ingest), kept in one
// place so the two benchmarks measure the same definitions.

/** Names of the bench SLOs of a model (each `<model>-<name>`). */
export type BenchSloName =
  | 'availability'
  | 'latency'
  | 'accepted'
  | 'accuracy'
  | 'accuracy-wilson'
  | 'availability-slices'
  | 'latency-hourly'
  | 'accuracy-daily'
  | 'freshness'
  | 'label-coverage'

/** The SLOs of one model as OpenSLO YAML: every SLI kind the evaluator reads from rollups, or those named. */
export function benchSloSpecs(model: string, only?: readonly BenchSloName[]): string {
  const slo = (name: BenchSloName, indicator: string, budgeting: string, objective: string, annotations = '') =>
    only && !only.includes(name)
      ? ''
      : `---
apiVersion: openslo/v1
kind: SLO
metadata: { name: ${model}-${name}${annotations ? `, annotations: { ${annotations} }` : ''} }
spec:
  service: ${model}
  indicator:
    metadata: { name: ${model}-${name} }
    spec:
${indicator}
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: ${budgeting}
  objectives: [{ displayName: main, ${objective} }]
`
  const ratio = (good: string, total: string) => `      ratioMetric:
        good: { metricSource: { type: highway, spec: { model: ${model}, ${good} } } }
        total: { metricSource: { type: highway, spec: { model: ${model}, ${total} } } }`
  const threshold = (measure: string) => `      thresholdMetric: { metricSource: { type: highway, spec: { model: ${model}, measure: ${measure} } } }`
  return [
    slo('availability', ratio('select: ok', 'select: all'), 'Occurrences', 'target: 0.999'),
    slo('latency', ratio('select: latency_below, thresholdMs: 250', 'select: all'), 'Occurrences', 'target: 0.99'),
    slo('accepted', ratio('select: not_quarantined', 'select: all'), 'Occurrences', 'target: 0.999'),
    slo('accuracy', ratio('select: correct', 'select: labelled'), 'Occurrences', 'target: 0.8', 'highway.dev/evaluation-delay: 3d'),
    slo('accuracy-wilson', ratio('select: correct', 'select: labelled'), 'Occurrences', 'target: 0.8', 'highway.dev/evaluation-delay: 3d, highway.dev/wilson: "true"'),
    slo('availability-slices', ratio('select: ok', 'select: all'), 'Timeslices', 'target: 0.99, timeSliceTarget: 0.99, timeSliceWindow: 5m'),
    slo('latency-hourly', ratio('select: latency_below, thresholdMs: 100', 'select: all'), 'RatioTimeslices', 'target: 0.9, timeSliceWindow: 1h'),
    slo('accuracy-daily', ratio('select: correct', 'select: labelled'), 'RatioTimeslices', 'target: 0.8, timeSliceWindow: 1d', 'highway.dev/evaluation-delay: 3d'),
    slo('freshness', threshold('freshness_seconds'), 'Timeslices', 'target: 0.99, op: lte, value: 300, timeSliceTarget: 1, timeSliceWindow: 1h'),
    slo('label-coverage', threshold('label_coverage'), 'Timeslices', 'target: 0.9, op: gte, value: 0.005, timeSliceTarget: 1, timeSliceWindow: 1d', 'highway.dev/evaluation-delay: 3d'),
  ].join('')
}
