import type { SliceMetrics } from './types.ts'

/** The slice of rows whose category is missing (null or undefined). */
const MISSING_SLICE = '(missing)'

/**
 * Metrics per value of a categorical feature: groups row indices by `values[i]` and calls `compute` with each
 * group's indices (in row order). Slices come largest first, ties by value; a null value forms the slice
 * "(missing)". `compute` is the caller's metric set, e.g.
 * `(idx) => binaryMetrics({ labels: Array.from(idx, (i) => y[i]), scores: Array.from(idx, (i) => p[i]) })`.
 */
export function metricsBySlice<M>(values: ArrayLike<string | null | undefined>, compute: (indices: Int32Array) => M): SliceMetrics<M>[] {
  const groups = new Map<string, number[]>()
  for (let i = 0; i < values.length; i++) {
    const key = values[i] ?? MISSING_SLICE
    const group = groups.get(key)
    if (group) group.push(i)
    else groups.set(key, [i])
  }
  return [...groups.entries()]
    .sort(([a, ga], [b, gb]) => gb.length - ga.length || (a < b ? -1 : a > b ? 1 : 0))
    .map(([value, indices]) => ({ value, count: indices.length, metrics: compute(Int32Array.from(indices)) }))
}
