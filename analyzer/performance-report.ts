import type { ModelSpec } from '../config/index.ts'
import type { LabelledWindow } from '../store/index.ts'
import { binaryClassificationMetrics, metricsBySlice, multiclassClassificationMetrics, regressionMetrics, type MetricOutcome } from '../model-metrics/index.ts'
import { estimateCbpe, type CbpeModel } from './performance/index.ts'

/** A window's performance, as `GET /v1/models/{m}/performance` returns it. */
export interface PerformanceResult {
  model: string
  version: string
  from: string
  to: string
  n_predictions: number
  n_labeled: number
  label_coverage: number | null
  /** Which figure answers "how is the model doing": the estimate until label coverage reaches the set level. */
  source: 'realised' | 'estimated' | 'none'
  realised: Record<string, number | null>
  estimated: Record<string, { value: number; lower: number; upper: number } | null>
  /** Why a metric is null (not enough data, undefined for this window). */
  notes: Record<string, string>
  /** Realised minus estimated, once both exist. */
  comparison: Record<string, number>
  slices: Record<string, Array<{ value: string; n: number; metrics: Record<string, number | null> }>>
}

/** Metric values with null for failures; each failure's reason goes to `notes` (when given). */
function flatten(metrics: Record<string, MetricOutcome>, notes?: Record<string, string>): Record<string, number | null> {
  const out: Record<string, number | null> = {}
  for (const [k, v] of Object.entries(metrics)) {
    out[k] = v.ok ? v.value : null
    if (!v.ok && notes) notes[k] = `${v.reason}: ${v.detail}`
  }
  return out
}

/** Realised metrics on labelled rows (and per slice), CBPE estimates on all scores. Pure. */
export function computePerformance(input: {
  model: ModelSpec
  version: string
  fromMs: number
  toMs: number
  labelled: LabelledWindow
  /** Scores of every prediction in the window (for the estimate), binary classification only. */
  allScores: Float64Array | null
  cbpe: CbpeModel | null
  minLabelCoverage: number
  minRows: number
}): PerformanceResult {
  const { model, labelled } = input
  const notes: Record<string, string> = {}
  let realised: Record<string, number | null> = {}
  const slices: PerformanceResult['slices'] = {}
  const n = labelled.labelled
  const task = model.task
  const scoresAreProbabilities = labelled.scores.every((s) => s >= 0 && s <= 1)
  if (n > 0) {
    if (task === 'regression') {
      const input2 = { labels: labelled.labels, predictions: labelled.scores, minRows: input.minRows }
      realised = flatten(regressionMetrics(input2), notes)
      for (const [f, values] of Object.entries(labelled.slices)) {
        slices[f] = metricsBySlice(values, input2).map((s) => ({ value: s.value, n: s.n, metrics: flatten(s.metrics) }))
      }
    } else if (task === 'binary_classification' && scoresAreProbabilities && labelled.labels.every((l) => l === 0 || l === 1)) {
      const input2 = { labels: labelled.labels, scores: labelled.scores, minRows: input.minRows }
      realised = flatten(binaryClassificationMetrics(input2), notes)
      for (const [f, values] of Object.entries(labelled.slices)) {
        slices[f] = metricsBySlice(values, input2).map((s) => ({ value: s.value, n: s.n, metrics: flatten(s.metrics) }))
      }
    } else {
      // Class predictions (multiclass, or binary models that log classes): compare predicted and true classes.
      const predicted = labelled.predictedClasses.map((c, i) => c || String(labelled.scores[i]))
      const truth = labelled.labelClasses.map((c, i) => c || String(labelled.labels[i]))
      realised = flatten(multiclassClassificationMetrics({ labels: truth, predicted, minRows: input.minRows }), notes)
    }
  }
  const estimated: PerformanceResult['estimated'] = {}
  const comparison: Record<string, number> = {}
  if (task === 'binary_classification' && input.cbpe && input.allScores && input.allScores.length > 0 && input.allScores.every((s) => s >= 0 && s <= 1)) {
    for (const [k, v] of Object.entries(estimateCbpe(input.cbpe, { scores: input.allScores }))) {
      estimated[k] = v.ok ? { value: v.value, lower: v.lower, upper: v.upper } : null
      if (!v.ok) notes[`estimated.${k}`] = `${v.reason}: ${v.detail}`
      const r = realised[k]
      if (v.ok && typeof r === 'number') comparison[k] = r - v.value
    }
  }
  const coverage = labelled.predictions === 0 ? null : n / labelled.predictions
  const source: PerformanceResult['source'] =
    coverage !== null && coverage >= input.minLabelCoverage && n > 0 ? 'realised' : Object.keys(estimated).length > 0 ? 'estimated' : n > 0 ? 'realised' : 'none'
  return {
    model: model.name,
    version: input.version,
    from: new Date(input.fromMs).toISOString(),
    to: new Date(input.toMs).toISOString(),
    n_predictions: labelled.predictions,
    n_labeled: n,
    label_coverage: coverage,
    source,
    realised,
    estimated,
    notes,
    comparison,
    slices,
  }
}
