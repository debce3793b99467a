import { binaryClassificationMetrics } from './binary-classification.ts'
import { multiclassClassificationMetrics } from './multiclass-classification.ts'
import { regressionMetrics } from './regression.ts'
import type {
  BinaryClassificationInput,
  ClassificationMetric,
  MetricOutcome,
  MulticlassClassificationInput,
  MulticlassMetrics,
  RegressionInput,
  RegressionMetric,
  SliceMetrics,
  SliceResult,
} from './types.ts'

/** The slice of rows whose category is missing (null or undefined). */
const MISSING_SLICE = '(missing)'

/**
 * Row indices of each distinct slice value (a missing value forms the slice "(missing)"), indices in row order:
 * slices sorted by value, or largest first with ties by value.
 */
function groupRows(sliceValues: ArrayLike<string | null | undefined>, order: 'by_value' | 'largest_first'): Array<[string, Int32Array]> {
  const groups = new Map<string, number[]>()
  for (let i = 0; i < sliceValues.length; i++) {
    const v = sliceValues[i] ?? MISSING_SLICE
    const g = groups.get(v)
    if (g === undefined) groups.set(v, [i])
    else g.push(i)
  }
  const byValue = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
  const entries = [...groups.entries()]
  entries.sort(order === 'by_value' ? ([a], [b]) => byValue(a, b) : ([a, ga], [b, gb]) => gb.length - ga.length || byValue(a, b))
  return entries.map(([v, rows]) => [v, Int32Array.from(rows)])
}

function pickNumbers(column: ArrayLike<number>, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length)
  for (let k = 0; k < rows.length; k++) out[k] = column[rows[k] as number] as number
  return out
}

function pick<T>(column: readonly T[], rows: Int32Array): T[] {
  const out: T[] = new Array<T>(rows.length)
  for (let k = 0; k < rows.length; k++) out[k] = column[rows[k] as number] as T
  return out
}

/** Regression metrics per value of a categorical feature. */
export function metricsBySlice(sliceValues: readonly string[], input: RegressionInput): Array<SliceMetrics<RegressionMetric>>
/** Multiclass metrics per value of a categorical feature. */
export function metricsBySlice(sliceValues: readonly string[], input: MulticlassClassificationInput): Array<{ readonly value: string; readonly n: number; readonly metrics: MulticlassMetrics }>
/** Binary classification metrics per value of a categorical feature. */
export function metricsBySlice(sliceValues: readonly string[], input: BinaryClassificationInput): Array<SliceMetrics<ClassificationMetric>>
/**
 * Realised metrics per value of a categorical feature (`sliceValues[i]` is row i's value), each with
 * its row count `n`, values in sorted order. The task follows the input's shape: `predictions` →
 * regression, `predicted` → multiclass, otherwise binary. Options (threshold, minRows, eceBins) apply
 * to every slice; a slice below `minRows` is `not_enough_data` like any small window.
 */
export function metricsBySlice(
  sliceValues: readonly string[],
  input: RegressionInput | MulticlassClassificationInput | BinaryClassificationInput,
): Array<{ readonly value: string; readonly n: number; readonly metrics: Record<string, MetricOutcome> }> {
  if (sliceValues.length !== input.labels.length) throw new RangeError(`metricsBySlice: sliceValues has ${sliceValues.length} rows but labels has ${input.labels.length}; they must be aligned row by row`)
  return groupRows(sliceValues, 'by_value').map(([value, rows]) => {
    let metrics: Record<string, MetricOutcome>
    if ('predictions' in input) {
      metrics = regressionMetrics({ ...input, labels: pickNumbers(input.labels, rows), predictions: pickNumbers(input.predictions, rows) })
    } else if ('predicted' in input) {
      const { scores } = input
      metrics = multiclassClassificationMetrics({
        ...input,
        labels: pick(input.labels, rows),
        predicted: pick(input.predicted, rows),
        scores: scores === undefined ? undefined : pick(scores, rows),
      })
    } else {
      metrics = binaryClassificationMetrics({ ...input, labels: pickNumbers(input.labels, rows), scores: pickNumbers(input.scores, rows) })
    }
    return { value, n: rows.length, metrics }
  })
}

/**
 * The caller's metric set per value of a categorical feature (training's holdout slices): groups row indices by
 * `values[i]` and calls `compute` with each group's indices (in row order). Slices come largest first, ties by
 * value; a null value forms the slice "(missing)". `compute` is e.g.
 * `(idx) => binaryMetricValues({ labels: Array.from(idx, (i) => y[i]), scores: Array.from(idx, (i) => p[i]) })`.
 */
export function computeBySlice<M>(values: ArrayLike<string | null | undefined>, compute: (indices: Int32Array) => M): SliceResult<M>[] {
  return groupRows(values, 'largest_first').map(([value, indices]) => ({ value, count: indices.length, metrics: compute(indices) }))
}
