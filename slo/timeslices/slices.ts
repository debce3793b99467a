import { burnRate, timesliceBudget, type SliceCounts } from '../burn-rate/index.ts'
import type { Operator } from '../spec/index.ts'

/** Complete time slices of a period up to an instant: [startMs + k·slice, startMs + (k+1)·slice), k < count. */
export interface Grid {
  readonly startMs: number
  readonly sliceSeconds: number
  readonly count: number
}

/** The slices of [startMs, asOfMs) that have fully elapsed: a slice still filling is not judged yet. */
export function completeSlices(startMs: number, asOfMs: number, sliceSeconds: number): Grid {
  return { startMs, sliceSeconds, count: Math.max(0, Math.floor((asOfMs - startMs) / (sliceSeconds * 1000))) }
}

/** One slice as budgeting sees it: counts (ratio SLIs), a verdict (threshold SLIs), or null (no data). */
export type Slice = SliceCounts | boolean | null

/** How a set of slices is budgeted. */
export interface SliceMethod {
  readonly target: number
  /** Timeslices with a ratio SLI: a slice is good when its good ratio reaches this. Absent: RatioTimeslices (or judged slices). */
  readonly timeSliceTarget?: number
}

/** A window's figures under a slice method. */
export interface SliceWindow {
  /** Burn rate = error ratio / (1 − target); null when no slice of the window carries data. */
  readonly burnRate: number | null
  /** Slices of the window that carry data. */
  readonly judged: number
  /** Slices judged good (Timeslices), or the sum of slice ratios (RatioTimeslices). */
  readonly good: number
  readonly errorRatio: number | null
}

/** Whether a slice carries data. */
function judged(slice: Slice): boolean {
  return slice !== null && (typeof slice === 'boolean' || slice.good + slice.bad > 0)
}

/**
 * Budget figures of the slices that lie wholly inside a window ending at the grid's last slice (OpenSLO
 * `Timeslices`: share of bad slices; `RatioTimeslices`: 1 − mean slice ratio; maths in burn-rate/budget.ts).
 * `windowSeconds` undefined means the whole period. A window shorter than one slice holds none: null.
 */
export function sliceWindow(slices: readonly Slice[], grid: Grid, windowSeconds: number | undefined, method: SliceMethod): SliceWindow {
  const take = windowSeconds === undefined ? slices.length : Math.min(slices.length, Math.floor(windowSeconds / grid.sliceSeconds))
  const inWindow = slices.slice(slices.length - take)
  const withData = inWindow.filter(judged)
  if (withData.length === 0) return { burnRate: null, judged: 0, good: 0, errorRatio: null }
  const budget =
    typeof withData[0] === 'boolean'
      ? timesliceBudget({ target: method.target, slices: withData as boolean[] })
      : timesliceBudget({ target: method.target, slices: withData as SliceCounts[], ...(method.timeSliceTarget === undefined ? {} : { timeSliceTarget: method.timeSliceTarget }) })
  const good =
    typeof withData[0] === 'boolean'
      ? (withData as boolean[]).filter(Boolean).length
      : method.timeSliceTarget === undefined
        ? (withData as SliceCounts[]).reduce((s, c) => s + c.good / (c.good + c.bad), 0)
        : (withData as SliceCounts[]).filter((c) => c.good / (c.good + c.bad) >= (method.timeSliceTarget ?? 1)).length
  return { burnRate: burnRate(budget.errorRatio, method.target), judged: withData.length, good, errorRatio: budget.errorRatio }
}

/** Whether `value op threshold` holds (OpenSLO objective `op`, `value`: the slice is good when it does). */
export function compare(value: number, op: Operator, threshold: number): boolean {
  switch (op) {
    case 'lt':
      return value < threshold
    case 'lte':
      return value <= threshold
    case 'gt':
      return value > threshold
    case 'gte':
      return value >= threshold
  }
}

/**
 * Counts a threshold SLI's values per slice (several analyzer windows may end in one slice): good when `value op
 * threshold` holds. Budgeting then reads the slice as a ratio: under `Timeslices` it is good when the good share
 * reaches `timeSliceTarget` (OpenSLO), under `RatioTimeslices` its share counts. A slice without a value carries no data.
 */
export function countValues(values: ReadonlyArray<readonly number[]>, op: Operator, threshold: number): Array<SliceCounts | null> {
  return values.map((vs) => {
    if (vs.length === 0) return null
    const good = vs.filter((v) => compare(v, op, threshold)).length
    return { good, bad: vs.length - good }
  })
}
