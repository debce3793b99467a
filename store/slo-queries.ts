import type { Store } from './client.ts'
import { tableName } from './ddl.ts'
import { sketchKeyExpr } from './analysis-schema.ts'
import { LATENCY_BUCKETS_MS } from './schema.ts'

/** Which predictions of a model count, for an SLI read from the per-minute rollups. */
export type RollupSelection =
  | { readonly select: 'all' | 'ok' | 'not_quarantined_total' | 'latency_total' | 'labelled' }
  | { readonly select: 'latency_below'; readonly thresholdMs: number }
  /** Labelled and right; with `tolerance`, |prediction − label| ≤ tolerance (regression). */
  | { readonly select: 'correct'; readonly tolerance?: number }

/** A selection the rollup cannot answer (a latency threshold between its buckets). */
export class UnsupportedSelectionError extends Error {
  override readonly name = 'UnsupportedSelectionError'
}

/** The model (and version) an SLI counts. */
export interface RollupTarget {
  readonly model: string
  readonly version?: string
}

type Rollup = 'prediction_rollup_1m' | 'label_rollup_1m'

/** Which rollup answers a selection, and its aggregate under a row condition `c`. */
function aggregateOf(sel: RollupSelection, params: Record<string, unknown>, i: number): { table: Rollup; expr: (c: string) => string } {
  switch (sel.select) {
    case 'latency_below': {
      const b = LATENCY_BUCKETS_MS.indexOf(sel.thresholdMs as (typeof LATENCY_BUCKETS_MS)[number])
      if (b < 0) throw new UnsupportedSelectionError(`thresholdMs must be one of the rollup's latency buckets (${LATENCY_BUCKETS_MS.join(', ')} ms), got ${sel.thresholdMs}`)
      return { table: 'prediction_rollup_1m', expr: (c) => `sumForEachMergeIf(latency_le, ${c})[${b + 1}]` }
    }
    case 'ok':
      return { table: 'prediction_rollup_1m', expr: (c) => `sumIf(predictions, ${c}) - sumIf(errors, ${c})` }
    case 'latency_total':
      return { table: 'prediction_rollup_1m', expr: (c) => `sumIf(latency_count, ${c})` }
    case 'all':
    case 'not_quarantined_total':
      return { table: 'prediction_rollup_1m', expr: (c) => `sumIf(predictions, ${c})` }
    case 'labelled':
      return { table: 'label_rollup_1m', expr: (c) => `sumIf(labelled, ${c})` }
    case 'correct': {
      if (sel.tolerance === undefined) return { table: 'label_rollup_1m', expr: (c) => `sumIf(correct, ${c})` }
      // Errors are kept as DDSketch keys (relative accuracy 0.2 %, store/analysis-schema.ts): the bucket that holds
      // the tolerance counts as within it, so an error up to 0.4 % above the tolerance may count as correct.
      params[`tol${i}`] = sel.tolerance
      const key = sketchKeyExpr(`toFloat64({tol${i}:Float64})`)
      return { table: 'label_rollup_1m', expr: (c) => `arraySum(mapValues(mapFilter((k, v) -> k >= 0 AND k <= ${key}, sumMapIf(abs_error, ${c}))))` }
    }
  }
}

/**
 * Counts a model's predictions matching each selection in several windows that all end at `toMs`, in one pass
 * per rollup (`prediction_rollup_1m`, `label_rollup_1m`; windows start on whole minutes, the rollups' grain).
 * Never scans raw rows, except the quarantine table for `not_quarantined` totals, which holds only rejected
 * records. Label selections count predictions by the minute they were MADE, with the newest label of each.
 */
export async function rollupCounts(
  store: Store,
  target: RollupTarget,
  selections: readonly RollupSelection[],
  windows: ReadonlyArray<{ key: string; fromMs: number }>,
  toMs: number,
): Promise<Array<Record<string, number>>> {
  const params: Record<string, unknown> = { model: target.model, version: target.version ?? '', to: toMs, earliest: Math.min(...windows.map((w) => w.fromMs)) }
  windows.forEach((w, i) => (params[`w${i}`] = w.fromMs))
  const aggregates = selections.map((s, i) => aggregateOf(s, params, i))
  const out: Array<Record<string, number>> = selections.map(() => ({}))
  for (const table of ['prediction_rollup_1m', 'label_rollup_1m'] as const) {
    const mine = aggregates.flatMap((a, i) => (a.table === table ? [{ a, i }] : []))
    if (mine.length === 0) continue
    const cols = mine.flatMap(({ a, i }) => windows.map((_w, j) => `${a.expr(`minute >= toDateTime(intDiv({w${j}:Int64}, 1000))`)} AS s${i}_w${j}`))
    const [row] = await store.queryRows<Record<string, number>>(
      `SELECT ${cols.join(', ')} FROM ${tableName(store.ctx, table)}
       WHERE model = {model:String} AND ({version:String} = '' OR version = {version:String})
         AND minute >= toDateTime(intDiv({earliest:Int64}, 1000)) AND minute < toDateTime(intDiv({to:Int64}, 1000))`,
      params,
    )
    for (const { i } of mine) windows.forEach((w, j) => (out[i]![w.key] = Number(row?.[`s${i}_w${j}`] ?? 0)))
  }
  const quarantined = selections.flatMap((s, i) => (s.select === 'not_quarantined_total' ? [i] : []))
  if (quarantined.length > 0) {
    const qcols = windows.map((_w, j) => `countIf(ts >= fromUnixTimestamp64Milli({w${j}:Int64})) AS c${j}`)
    const [qrow] = await store.queryRows<Record<string, number>>(
      `SELECT ${qcols.join(', ')} FROM ${tableName(store.ctx, 'quarantine')}
       WHERE model = {model:String} AND kind = 'prediction' AND ts >= fromUnixTimestamp64Milli({earliest:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64})`,
      params,
    )
    for (const i of quarantined) windows.forEach((w, j) => (out[i]![w.key] = out[i]![w.key]! + Number(qrow?.[`c${j}`] ?? 0)))
  }
  return out
}

/** Counts one selection in several windows ending at `toMs` (see {@link rollupCounts}). */
export async function countsByWindow(
  store: Store,
  q: RollupTarget & { selection: RollupSelection },
  windows: ReadonlyArray<{ key: string; fromMs: number }>,
  toMs: number,
): Promise<Record<string, number>> {
  const [counts] = await rollupCounts(store, q, [q.selection], windows, toMs)
  return counts ?? {}
}

/** Time slices [startMs + k·slice, startMs + (k+1)·slice) for k = 0 … count − 1. */
export interface SliceGrid {
  readonly startMs: number
  readonly sliceSeconds: number
  readonly count: number
}

/**
 * Counts each selection per time slice, from the rollups (slices are whole minutes: a slice boundary inside a
 * minute puts that minute in the slice where it starts). Returns one array of `grid.count` numbers per selection.
 */
export async function rollupCountsBySlice(store: Store, target: RollupTarget, selections: readonly RollupSelection[], grid: SliceGrid): Promise<number[][]> {
  const params: Record<string, unknown> = { model: target.model, version: target.version ?? '', start: grid.startMs, slice: grid.sliceSeconds, n: grid.count }
  const aggregates = selections.map((s, i) => aggregateOf(s, params, i))
  const out = selections.map(() => new Array<number>(grid.count).fill(0))
  for (const table of ['prediction_rollup_1m', 'label_rollup_1m'] as const) {
    const mine = aggregates.flatMap((a, i) => (a.table === table ? [{ a, i }] : []))
    if (mine.length === 0) continue
    const rows = await store.queryRows<Record<string, number>>(
      `SELECT intDiv(toInt64(toUnixTimestamp(minute)) - intDiv({start:Int64}, 1000), {slice:UInt32}) AS k, ${mine.map(({ a, i }) => `${a.expr('1')} AS s${i}`).join(', ')}
       FROM ${tableName(store.ctx, table)}
       WHERE model = {model:String} AND ({version:String} = '' OR version = {version:String})
         AND minute >= toDateTime(intDiv({start:Int64}, 1000)) AND minute < toDateTime(intDiv({start:Int64}, 1000) + {slice:UInt32} * {n:UInt32})
       GROUP BY k`,
      params,
    )
    for (const row of rows) {
      const k = Number(row.k)
      if (k < 0 || k >= grid.count) continue
      for (const { i } of mine) out[i]![k] = Number(row[`s${i}`] ?? 0)
    }
  }
  if (selections.some((s) => s.select === 'not_quarantined_total')) {
    const rows = await store.queryRows<{ k: number; n: number }>(
      `SELECT intDiv(toUnixTimestamp64Milli(ts) - {start:Int64}, {slice:UInt32} * 1000) AS k, count() AS n FROM ${tableName(store.ctx, 'quarantine')}
       WHERE model = {model:String} AND kind = 'prediction' AND ts >= fromUnixTimestamp64Milli({start:Int64}) AND ts < fromUnixTimestamp64Milli({start:Int64} + {slice:UInt32} * {n:UInt32} * 1000)
       GROUP BY k`,
      params,
    )
    selections.forEach((s, i) => {
      if (s.select !== 'not_quarantined_total') return
      for (const r of rows) if (Number(r.k) >= 0 && Number(r.k) < grid.count) out[i]![Number(r.k)]! += Number(r.n)
    })
  }
  return out
}

/**
 * Time of the newest prediction at or before the end of each slice (Unix ms; null before the first one), from
 * the rollup's `last_ts`: what freshness is judged on.
 */
export async function lastPredictionBySlice(store: Store, target: RollupTarget, grid: SliceGrid): Promise<Array<number | null>> {
  const params = { model: target.model, version: target.version ?? '', start: grid.startMs, slice: grid.sliceSeconds, n: grid.count }
  const where = `model = {model:String} AND ({version:String} = '' OR version = {version:String})`
  const rows = await store.queryRows<{ k: number; last: number }>(
    `SELECT k, last FROM (
       SELECT -1 AS k, toUnixTimestamp64Milli(max(last_ts)) AS last, count() AS n FROM ${tableName(store.ctx, 'prediction_rollup_1m')}
       WHERE ${where} AND minute < toDateTime(intDiv({start:Int64}, 1000))
       UNION ALL
       SELECT intDiv(toInt64(toUnixTimestamp(minute)) - intDiv({start:Int64}, 1000), {slice:UInt32}) AS k, toUnixTimestamp64Milli(max(last_ts)) AS last, count() AS n
       FROM ${tableName(store.ctx, 'prediction_rollup_1m')}
       WHERE ${where} AND minute >= toDateTime(intDiv({start:Int64}, 1000)) AND minute < toDateTime(intDiv({start:Int64}, 1000) + {slice:UInt32} * {n:UInt32})
       GROUP BY k
     ) WHERE n > 0`,
    params,
  )
  const bySlice = new Map(rows.map((r) => [Number(r.k), Number(r.last)]))
  const out: Array<number | null> = []
  let last: number | null = bySlice.get(-1) ?? null
  for (let k = 0; k < grid.count; k++) {
    const here = bySlice.get(k)
    if (here !== undefined) last = last === null ? here : Math.max(last, here)
    out.push(last)
  }
  return out
}

/** One saved analyzer result (the newest computation of its window). */
export interface SavedResult {
  readonly fromMs: number
  readonly toMs: number
  readonly result: unknown
}

/** The analyzer's saved results of one job, model and version whose windows END in (fromMs, toMs], oldest first. */
export async function savedResultsEndingIn(store: Store, q: { job: string; model: string; version: string; fromMs: number; toMs: number }): Promise<SavedResult[]> {
  const rows = await store.queryRows<{ f: number; t: number; result: string }>(
    `SELECT toUnixTimestamp64Milli(window_from) AS f, toUnixTimestamp64Milli(window_to) AS t, argMax(result, computed_at) AS result
     FROM ${tableName(store.ctx, 'analysis_results')}
     WHERE job = {job:String} AND model = {model:String} AND version = {version:String}
       AND window_to > fromUnixTimestamp64Milli({from:Int64}) AND window_to <= fromUnixTimestamp64Milli({to:Int64})
     GROUP BY window_from, window_to ORDER BY t`,
    { job: q.job, model: q.model, version: q.version, from: q.fromMs, to: q.toMs },
  )
  return rows.map((r) => ({ fromMs: Number(r.f), toMs: Number(r.t), result: JSON.parse(r.result) as unknown }))
}

/** Runs an SLO's own ClickHouse SQL for one window; it binds {from:DateTime64(3)} and {to:DateTime64(3)} and returns one number. */
export async function clickhouseCount(store: Store, sql: string, fromMs: number, toMs: number): Promise<number> {
  const rows = await store.queryRows<Record<string, unknown>>(sql, { from: new Date(fromMs).toISOString().replace('T', ' ').replace('Z', ''), to: new Date(toMs).toISOString().replace('T', ' ').replace('Z', '') })
  const first = rows[0] ? Object.values(rows[0])[0] : 0
  return Number(first ?? 0)
}

/** One change of an SLO's release freeze, as audited. */
export interface PolicyTransition {
  readonly slo: string
  readonly model: string
  readonly frozen: boolean
  readonly reason: string
  /** Share of the error budget left when the change happened. */
  readonly remaining: number
  readonly atMs: number
}

/** Appends one freeze transition (the audit row, and the newest state of that SLO). */
export async function insertPolicyTransition(store: Store, t: PolicyTransition): Promise<void> {
  await store.command(
    `INSERT INTO ${tableName(store.ctx, 'slo_policy_transitions')} (slo, model, frozen, reason, remaining, at)
     VALUES ({slo:String}, {model:String}, {frozen:UInt8}, {reason:String}, {remaining:Float64}, fromUnixTimestamp64Milli({at:Int64}))`,
    { slo: t.slo, model: t.model, frozen: t.frozen ? 1 : 0, reason: t.reason, remaining: Number.isFinite(t.remaining) ? t.remaining : 0, at: t.atMs },
  )
}

/** The newest transition of each SLO (optionally only those of one model): the persisted freeze state. */
export async function latestPolicyStates(store: Store, q: { model?: string } = {}): Promise<PolicyTransition[]> {
  // Aliases differ from the columns: ClickHouse would otherwise read `at` inside argMax as the max(at) alias.
  const rows = await store.queryRows<{ slo: string; m: string; f: number; why: string; left: number; t: number }>(
    `SELECT slo, argMax(model, at) AS m, argMax(frozen, at) AS f, argMax(reason, at) AS why, argMax(remaining, at) AS left, toUnixTimestamp64Milli(max(at)) AS t
     FROM ${tableName(store.ctx, 'slo_policy_transitions')}
     GROUP BY slo
     HAVING {model:String} = '' OR m = {model:String}
     ORDER BY slo`,
    { model: q.model ?? '' },
  )
  return rows.map((r) => ({ slo: r.slo, model: r.m, frozen: Number(r.f) === 1, reason: r.why, remaining: Number(r.left), atMs: Number(r.t) }))
}

/** Every transition of one SLO, oldest first: its audit trail. */
export async function policyTransitions(store: Store, slo: string): Promise<PolicyTransition[]> {
  const rows = await store.queryRows<{ slo: string; model: string; frozen: number; reason: string; remaining: number; at: number }>(
    `SELECT slo, model, frozen, reason, remaining, toUnixTimestamp64Milli(at) AS at FROM ${tableName(store.ctx, 'slo_policy_transitions')} WHERE slo = {slo:String} ORDER BY at`,
    { slo },
  )
  return rows.map((r) => ({ slo: r.slo, model: r.model, frozen: Number(r.frozen) === 1, reason: r.reason, remaining: Number(r.remaining), atMs: Number(r.at) }))
}
