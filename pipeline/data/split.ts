import { z } from 'zod'
import { createSeededRandom, shuffleInPlace } from '../../random/index.ts'
import type { DataRow } from './types.ts'

/** How to split a dataset. */
export const splitOptionsSchema = z
  .object({
    /** `time`: by the rows' time; `stratified`: seeded random within each target class; `auto`: time when every row has one. */
    method: z.enum(['auto', 'time', 'stratified']).default('auto'),
    /** Share of rows for validation. */
    validation: z.number().min(0).lt(1).default(0.15),
    /** Share of rows for the holdout (the final, untouched test). */
    holdout: z.number().min(0).lt(1).default(0.15),
    seed: z.number().int().default(42),
  })
  .strict()
  .refine((o) => o.validation + o.holdout < 1, { message: 'validation + holdout must leave rows for training (sum < 1)' })

/** Options of `splitDataset`. */
export type SplitOptions = z.input<typeof splitOptionsSchema>

/** Train, validation and holdout rows, how they were split and, for a time split, where each part starts. */
export interface DatasetSplits {
  readonly method: 'time' | 'stratified'
  readonly train: DataRow[]
  readonly validation: DataRow[]
  readonly holdout: DataRow[]
  /** Time split only: the first time (epoch ms) of validation and of holdout, null when that part is empty. */
  readonly validationFromMs: number | null
  readonly holdoutFromMs: number | null
}

// Regression targets are stratified by this many equal-count bins of the target, so each part sees the range.
const REGRESSION_STRATA = 10

/**
 * Splits rows into train / validation / holdout. Time split (time-ordered data): rows sorted by time (stable), the
 * latest `holdout` share is the holdout, the `validation` share before it validation; a cut never separates rows
 * of the same time, so no moment is in two parts. Stratified split: per target class (regression: per decile of
 * the target) the rows are shuffled with the seed and cut by the same shares, so every part keeps the class mix;
 * each part keeps the source order.
 */
export function splitDataset(rows: readonly DataRow[], options: SplitOptions = {}): DatasetSplits {
  const parsed = splitOptionsSchema.safeParse(options)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new Error(`split options: ${issue.path.join('.') || '(options)'}: ${issue.message}`)
  }
  const o = parsed.data
  const timed = rows.every((r) => r.ts !== null)
  if (o.method === 'time' && !timed) {
    const i = rows.findIndex((r) => r.ts === null)
    throw new Error(`split method time needs a time on every row: row ${i + 1} has none (map a time column, or use method stratified)`)
  }
  const method = o.method === 'auto' ? (timed && rows.length > 0 ? 'time' : 'stratified') : o.method
  return method === 'time' ? splitByTime(rows, o.validation, o.holdout) : splitStratified(rows, o.validation, o.holdout, o.seed)
}

function splitByTime(rows: readonly DataRow[], validation: number, holdout: number): DatasetSplits {
  const sorted = rows.map((r, i) => ({ r, i })).sort((a, b) => a.r.ts! - b.r.ts! || a.i - b.i).map((x) => x.r)
  const n = sorted.length
  // Move a cut forward past rows of the same time as the row before it.
  const cutAt = (index: number) => {
    let k = Math.max(0, Math.min(n, index))
    while (k > 0 && k < n && sorted[k]!.ts === sorted[k - 1]!.ts) k++
    return k
  }
  const holdoutStart = cutAt(n - Math.round(n * holdout))
  const validationStart = Math.min(holdoutStart, cutAt(n - Math.round(n * holdout) - Math.round(n * validation)))
  const train = sorted.slice(0, validationStart)
  const val = sorted.slice(validationStart, holdoutStart)
  const hold = sorted.slice(holdoutStart)
  return { method: 'time', train, validation: val, holdout: hold, validationFromMs: val[0]?.ts ?? null, holdoutFromMs: hold[0]?.ts ?? null }
}

function splitStratified(rows: readonly DataRow[], validation: number, holdout: number, seed: number): DatasetSplits {
  const strata = new Map<string, number[]>()
  const regression = rows.length > 0 && rows.every((r) => typeof r.target === 'number')
  if (regression) {
    const order = rows.map((_, i) => i).sort((a, b) => (rows[a]!.target as number) - (rows[b]!.target as number) || a - b)
    order.forEach((idx, rank) => {
      const key = String(Math.floor((rank * REGRESSION_STRATA) / order.length))
      const list = strata.get(key)
      if (list) list.push(idx)
      else strata.set(key, [idx])
    })
  } else {
    rows.forEach((r, i) => {
      const key = String(r.target)
      const list = strata.get(key)
      if (list) list.push(i)
      else strata.set(key, [i])
    })
  }
  const part = new Uint8Array(rows.length) // 0 train, 1 validation, 2 holdout
  const random = createSeededRandom(seed)
  // Strata in a fixed order (by key), so the same seed gives the same split whatever order classes first appear in.
  for (const key of [...strata.keys()].sort()) {
    const members = shuffleInPlace(strata.get(key)!, random)
    const nHold = Math.round(members.length * holdout)
    const nVal = Math.round(members.length * validation)
    members.forEach((idx, k) => (part[idx] = k < nHold ? 2 : k < nHold + nVal ? 1 : 0))
  }
  const pick = (p: number) => rows.filter((_, i) => part[i] === p)
  return { method: 'stratified', train: pick(0), validation: pick(1), holdout: pick(2), validationFromMs: null, holdoutFromMs: null }
}
