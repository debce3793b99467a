import { assertSameLength, binaryClassificationMetrics, type MetricFailure } from '../../model-metrics/index.ts'
import { estimateCbpe } from './cbpe.ts'
import { CBPE_METRICS } from './const.ts'
import type { CbpeComparison, CbpeMetric, CbpeModel, WindowPerformance } from './types.ts'

/** Labels joined to predictions by id: one slot per prediction, undefined where no label arrived. */
export interface JoinedLabels<T> {
  readonly values: Array<T | undefined>
  readonly labelledRows: number
  /** labelledRows / predictions, 0 when there are no predictions. */
  readonly coverage: number
}

/**
 * Joins labels to predictions by id. A label whose id matches no prediction is ignored; when an id
 * has several labels the last one given wins, so pass labels in arrival order and a correction
 * replaces the first label.
 */
export function joinLabelsById<T>(predictionIds: readonly string[], labels: ReadonlyArray<{ readonly id: string; readonly value: T }>): JoinedLabels<T> {
  const latest = new Map<string, T>()
  for (const l of labels) latest.set(l.id, l.value)
  const values: Array<T | undefined> = new Array<T | undefined>(predictionIds.length)
  let labelledRows = 0
  for (let i = 0; i < predictionIds.length; i++) {
    const id = predictionIds[i] as string
    if (latest.has(id)) {
      values[i] = latest.get(id)
      labelledRows++
    } else values[i] = undefined
  }
  return { values, labelledRows, coverage: predictionIds.length === 0 ? 0 : labelledRows / predictionIds.length }
}

/**
 * Performance of one window of a binary classifier: the CBPE estimate always, and once the share of
 * rows with a label reaches `minLabelCoverage` the realised metrics on the labelled rows, each
 * estimated metric set against its realised value (difference and whether it fell in the band).
 * `source` says which figure to report. Missing labels are null, undefined or NaN.
 * The coverage level is the caller's setting (from config): no published default exists.
 */
export function assessWindow(model: CbpeModel, window: { readonly scores: ArrayLike<number>; readonly labels: ArrayLike<number | null | undefined>; readonly minLabelCoverage: number }): WindowPerformance {
  const { scores, labels, minLabelCoverage } = window
  if (!(minLabelCoverage > 0 && minLabelCoverage <= 1)) throw new RangeError(`assessWindow: minLabelCoverage must be in (0, 1], got ${String(minLabelCoverage)}`)
  assertSameLength('assessWindow', scores, labels, 'scores', 'labels')
  const n = scores.length
  const estimated = estimateCbpe(model, { scores })
  let labelledRows = 0
  for (let i = 0; i < n; i++) {
    const y = labels[i]
    if (y !== null && y !== undefined && !Number.isNaN(y)) labelledRows++
  }
  const labelCoverage = n === 0 ? 0 : labelledRows / n
  if (labelledRows === 0 || labelCoverage < minLabelCoverage) {
    return { rows: n, labelledRows, labelCoverage, source: 'estimated', estimated, realised: null, comparison: null }
  }
  const labelledScores = new Float64Array(labelledRows)
  const labelledLabels = new Float64Array(labelledRows)
  let k = 0
  for (let i = 0; i < n; i++) {
    const y = labels[i]
    if (y === null || y === undefined || Number.isNaN(y)) continue
    labelledScores[k] = scores[i] as number
    labelledLabels[k++] = y
  }
  const realised = binaryClassificationMetrics({ labels: labelledLabels, scores: labelledScores, threshold: model.threshold })
  const comparison = {} as Record<CbpeMetric, CbpeComparison | MetricFailure>
  for (const m of CBPE_METRICS) {
    const e = estimated[m]
    const r = realised[m]
    if (!e.ok) comparison[m] = e
    else if (!r.ok) comparison[m] = r
    else comparison[m] = { estimated: e.value, realised: r.value, difference: r.value - e.value, withinBand: r.value >= e.lower && r.value <= e.upper }
  }
  return { rows: n, labelledRows, labelCoverage, source: 'realised', estimated, realised, comparison }
}
