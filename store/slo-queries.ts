import type { Store } from './client.ts'
import { tableName } from './ddl.ts'
import { sketchKeyExpr } from './analysis-schema.ts'
import { LATENCY_BUCKETS_MS } from './schema.ts'
import { isLatencyBucket, readLatencyThresholds } from './slo-latency.ts'

/** Which predictions of a model count, for an SLI read from the per-minute rollups. */
export type RollupSelection =
  | { readonly select: 'all' | 'ok' | 'not_quarantined_total' | 'latency_total' | 'labelled' }
  | { readonly select: 'latency_below'; readonly thresholdMs: number }
  /** Labelled and right; with `tolerance`, |prediction − label| ≤ tolerance (regression). */
  | { readonly select: 'correct'; readonly tolerance?: number }

/** A selection the rollups cannot answer (a latency threshold between the buckets that is not counted yet, a bad tolerance). */
export class UnsupportedSelectionError extends Error {
  override readonly name = 'UnsupportedSelectionError'
}

/** The model (and version) an SLI counts. */
export interface RollupTarget {
  readonly model: string
  readonly version?: string
}

type Table = 'prediction_rollup_1m' | 'label_rollup_1m' | 'quarantine' | 'slo_latency_below_1m'

/**
 * Slices [startMs + k·stepMs, startMs + (k+1)·stepMs) for k = 0 … count − 1. A burn-rate window [from, to) is a
 * grid of one slice (stepMs = to − from). Rollup rows are whole minutes: a minute belongs to the slice its start
 * falls in, boundaries read to the second (so a window from 12:00:30 starts with the minute 12:01).
 */
export interface RollupGrid {
  readonly startMs: number
  readonly stepMs: number
  readonly count: number
}

/** One figure an SLO evaluation reads from the rollups: a selection's count per slice, or the newest prediction per slice. */
export type RollupNeed =
  | { readonly kind: 'count'; readonly target: RollupTarget; readonly selection: RollupSelection; readonly grid: RollupGrid }
  /** Time of the newest prediction at or before the end of each slice (Unix ms; null before the first one): freshness. */
  | { readonly kind: 'last'; readonly target: RollupTarget; readonly grid: RollupGrid }

/** The answer to one need: `grid.count` values (counts, or newest-prediction times), or why it cannot be answered. */
export type RollupAnswer = { readonly ok: true; readonly values: ReadonlyArray<number | null> } | { readonly ok: false; readonly error: string }

/**
 * One aggregate of one table, per (model, version, grid, slice) in the batched query. `sql` gets the condition
 * "this row's grid needs me": costly aggregates (array merges, maps, max) use it to skip the grids that do not.
 */
interface Aggregate {
  readonly key: string
  readonly sql: (needed: string) => string
  /** Reads the tick's one merge of the latency bucket arrays (`le_state`) rather than merging its own. */
  readonly latency?: true
  /** An exact latency count: the threshold and the cut of its current counting in `slo_latency_below_1m`. */
  readonly exact?: { readonly thresholdMs: number; readonly countedFromMs: number }
}

/** Thresholds between buckets that `slo_latency_below_1m` counts and has backfilled, by threshold: the cut of each. */
type ExactThresholds = ReadonlyMap<number, number>

/** A need resolved to terms: value = Σ sign × aggregate over the grid's rows (or max, for `last`). */
interface Term {
  readonly table: Table
  readonly aggregate: Aggregate
  readonly sign: 1 | -1
  readonly grid: RollupGrid
}

/** The aggregates a selection sums, and with what sign; throws UnsupportedSelectionError for one the rollup cannot answer. */
function termsOf(sel: RollupSelection, grid: RollupGrid, exact: ExactThresholds): Term[] {
  const p = (key: string, sql: string, sign: 1 | -1 = 1): Term => ({ table: 'prediction_rollup_1m', aggregate: { key, sql: () => sql }, sign, grid })
  const l = (key: string, sql: (needed: string) => string): Term => ({ table: 'label_rollup_1m', aggregate: { key, sql }, sign: 1, grid })
  const predictions = p('n', 'sum(predictions)')
  switch (sel.select) {
    case 'latency_below': {
      const b = LATENCY_BUCKETS_MS.indexOf(sel.thresholdMs as (typeof LATENCY_BUCKETS_MS)[number])
      if (b < 0) {
        // Between buckets: the exact counts the SLO component keeps for every loaded threshold (docs/slo.md).
        const countedFromMs = exact.get(sel.thresholdMs)
        if (countedFromMs === undefined) {
          throw new UnsupportedSelectionError(
            `latency threshold ${sel.thresholdMs} ms is not counted yet: thresholds between the rollup's buckets (${LATENCY_BUCKETS_MS.join(', ')} ms) are counted exactly once the SLO component has prepared them at start`,
          )
        }
        const aggregate: Aggregate = { key: `lt${String(sel.thresholdMs)}`, sql: (needed) => `sumIf(below_${exactColumn(sel.thresholdMs)}, ${needed})`, exact: { thresholdMs: sel.thresholdMs, countedFromMs } }
        return [{ table: 'slo_latency_below_1m', aggregate, sign: 1, grid }]
      }
      return [{ table: 'prediction_rollup_1m', aggregate: { key: `le${b}`, sql: () => `le_state[${b + 1}]`, latency: true }, sign: 1, grid }]
    }
    case 'ok':
      return [predictions, p('e', 'sum(errors)', -1)]
    case 'latency_total':
      return [p('lc', 'sum(latency_count)')]
    case 'all':
      return [predictions]
    case 'not_quarantined_total':
      // Every record received: stored predictions plus those the schema rejected (the quarantine holds only those).
      return [predictions, { table: 'quarantine', aggregate: { key: 'q', sql: () => 'count()' }, sign: 1, grid }]
    case 'labelled':
      return [l('lab', () => 'sum(labelled)')]
    case 'correct': {
      if (sel.tolerance === undefined) return [l('cor', () => 'sum(correct)')]
      if (!Number.isFinite(sel.tolerance) || sel.tolerance < 0) throw new UnsupportedSelectionError(`tolerance must be a finite number ≥ 0, got ${sel.tolerance}`)
      // Errors are kept as DDSketch keys (relative accuracy 0.2 %, store/analysis-schema.ts): the bucket that holds
      // the tolerance counts as within it, so an error up to 0.4 % above the tolerance may count as correct. The
      // tolerance is a checked finite number, written as a literal (String(number) cannot carry SQL).
      const key = sketchKeyExpr(`toFloat64(${String(sel.tolerance)})`)
      return [l(`tol${String(sel.tolerance)}`, (needed) => `sumIf(arraySum(mapValues(mapFilter((k, v) -> k >= 0 AND k <= ${key}, abs_error))), ${needed})`)]
    }
  }
}

/** Column name suffix of an exact threshold in the batched query (a finite number: digits, '.', 'e', '-' only). */
const exactColumn = (thresholdMs: number): string => String(thresholdMs).replace(/[^0-9a-z]/gi, '_')

/** A grid in whole seconds as the minute rollups read it: minutes in [fromS, fromS + stepS·count), slice k = ⌊(minute − fromS) / stepS⌋. */
function secondsGrid(g: RollupGrid): { fromS: number; stepS: number; count: number } {
  const fromS = Math.floor(g.startMs / 1000)
  const stepS = g.count === 1 ? Math.floor((g.startMs + g.stepMs) / 1000) - fromS : g.stepMs / 1000
  return { fromS, stepS, count: g.count }
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))

/**
 * The coarsest buckets [offsetS + j·bucketS, offsetS + (j+1)·bucketS) that no grid boundary cuts: every whole
 * minute of one bucket then falls in the same slice of every grid, so a grid can read bucket starts instead of
 * minutes. Boundaries are rounded up to the minute (a minute is in [from, end) iff it is ≥ ⌈from⌉ and < ⌈end⌉);
 * a step that is not whole minutes keeps one-minute buckets. A lower bound of 0 ("everything before") cuts nothing.
 */
function fineBuckets(grids: ReadonlyArray<{ from: number; step: number; end: number }>): { offsetS: number; bucketS: number } {
  const up = (s: number) => Math.ceil(s / 60) * 60
  const edges = grids.flatMap((g) => [g.from, g.end]).filter((s) => s > 0).map(up)
  const offsetS = edges[0] ?? 0
  let bucketS = 0
  for (const e of edges) bucketS = gcd(bucketS, Math.abs(e - offsetS))
  for (const g of grids) if (g.end - g.from > g.step) bucketS = g.step % 60 === 0 ? gcd(bucketS, g.step) : 60
  return { offsetS, bucketS: bucketS === 0 ? 60 : Math.max(60, bucketS) }
}

/** Rows of one batched query, by model and grid index: per version ('' unless split), the slices and each aggregate's value per slice. */
type Cells = Map<string, Array<{ v: string; ks: readonly number[]; values: Record<string, readonly number[]> }>>

/**
 * One query over `table` for every grid and aggregate of the tick: each rollup row is sent (ARRAY JOIN) to every
 * grid whose range holds it, then summed per (model, version, grid, slice). Grids shared by many SLOs (the same
 * windows, the same slices) are computed once. Versions are kept apart only for models an SLO asks by version.
 */
async function queryCells(store: Store, table: Table, terms: readonly Term[], targets: readonly RollupTarget[]): Promise<{ cells: Cells; gridIndex: (g: RollupGrid) => number }> {
  const ms = table === 'quarantine'
  const grids = new Map<string, { from: number; step: number; end: number }>()
  const keyOf = (g: RollupGrid) => {
    if (ms) return { from: g.startMs, step: g.stepMs, end: g.startMs + g.stepMs * g.count }
    const s = secondsGrid(g)
    return { from: s.fromS, step: s.stepS, end: s.fromS + s.stepS * s.count }
  }
  const id = (g: RollupGrid) => {
    const k = keyOf(g)
    return `${k.from}/${k.step}/${k.end}`
  }
  for (const t of terms) if (t.grid.count > 0 && keyOf(t.grid).step > 0) grids.set(id(t.grid), keyOf(t.grid))
  const ids = [...grids.keys()]
  const gridIndex = (g: RollupGrid) => ids.indexOf(id(g)) + 1
  const cells: Cells = new Map()
  if (ids.length === 0) return { cells, gridIndex }
  const list = [...grids.values()]
  const aggregates = new Map(terms.map((t) => [t.aggregate.key, t.aggregate]))
  const names = [...aggregates.keys()]
  // Which grids (1-based) need each aggregate, and the latency bucket merge.
  const neededBy = names.map((n) => [...new Set(terms.filter((t) => t.aggregate.key === n && t.grid.count > 0).map((t) => gridIndex(t.grid)).filter((g) => g > 0))])
  const latencyGrids = [...new Set(terms.filter((t) => t.aggregate.latency).map((t) => gridIndex(t.grid)).filter((g) => g > 0))]
  const models = [...new Set(targets.map((t) => t.model))]
  const versioned = [...new Set(targets.filter((t) => t.version !== undefined && t.version !== '').map((t) => t.model))]
  const params = {
    models,
    versioned,
    gs: list.map((g) => g.from),
    gl: list.map((g) => g.step),
    ge: list.map((g) => g.end),
    ng: list.length,
    lo: Math.min(...list.map((g) => g.from)),
    hi: Math.max(...list.map((g) => g.end)),
    ple: latencyGrids,
    ...Object.fromEntries(neededBy.map((gs, i) => [`p${i}`, gs])),
  }
  const range = ms ? 'ts >= fromUnixTimestamp64Milli({lo:Int64}) AND ts < fromUnixTimestamp64Milli({hi:Int64})' : 'minute >= toDateTime({lo:Int64}) AND minute < toDateTime({hi:Int64})'
  const version = ms ? "''" : "if(has({versioned:Array(String)}, model), version, '')"
  const where = `model IN {models:Array(String)}${ms ? " AND kind = 'prediction'" : ''} AND ${range}`
  let source: string
  let time: string
  if (ms) {
    // The quarantine holds only rejected records: few rows, read as they are, to the millisecond.
    source = `SELECT *, ${version} AS v FROM ${tableName(store.ctx, table)} WHERE ${where}`
    time = 'toUnixTimestamp64Milli(ts)'
  } else {
    // First the rollup is summed into the coarsest buckets every grid boundary falls on (5 minutes when the tick
    // is on a 5-minute mark and the finest slice is 5 minutes; one minute at worst), so that fewer rows are then
    // sent to several grids each. Same column names, so the grid aggregates read either.
    const fine = fineBuckets(list)
    Object.assign(params, { o: fine.offsetS, q: fine.bucketS })
    const m = 'toInt64(toUnixTimestamp(minute))'
    const states = [
      'sum(predictions) AS predictions, sum(errors) AS errors, sum(latency_count) AS latency_count',
      ...(latencyGrids.length > 0 ? ['sumForEachMergeState(latency_le) AS latency_le'] : []),
      ...(names.includes('last') ? ['max(last_ts) AS last_ts'] : []),
    ]
    const labelStates = ['sum(labelled) AS labelled, sum(correct) AS correct', ...(names.some((n) => n.startsWith('tol')) ? ['sumMap(abs_error) AS abs_error'] : [])]
    // Exact latency counts: one column per threshold, only the rows of its current counting (cut), never an older one.
    const exact = [...aggregates.values()].flatMap((a) => (a.exact ? [a.exact] : []))
    exact.forEach((e, i) => Object.assign(params, { [`x${i}`]: e.thresholdMs, [`c${i}`]: e.countedFromMs }))
    const exactStates = exact.map((e, i) => `sumIf(below, threshold_ms = {x${i}:Float64} AND counted_from = fromUnixTimestamp64Milli({c${i}:Int64}, 'UTC')) AS below_${exactColumn(e.thresholdMs)}`)
    const chosen = table === 'label_rollup_1m' ? labelStates : table === 'slo_latency_below_1m' ? exactStates : states
    source = `SELECT model, ${version} AS v, ${m} - positiveModulo(${m} - {o:Int64}, {q:Int64}) AS t, ${chosen.join(', ')}
       FROM ${tableName(store.ctx, table)} WHERE ${where} GROUP BY model, v, t`
    time = 't'
  }
  // Per (model, version, grid) one row of arrays: ~100k slices come back as a few hundred rows (JSON objects per
  // slice cost 3× the query itself, measured), as Float64 so that counts are not quoted as 64-bit strings.
  const rows = await store.queryRows<Record<string, string | number[]>>(
    `SELECT model, v, g, groupArray(k) AS ks, ${names.map((_n, i) => `groupArrayIf(a${i}, has({p${i}:Array(UInt32)}, g)) AS a${i}`).join(', ')}
     FROM (
       SELECT model, v, gk.1 AS g, gk.2 AS k,
         ${latencyGrids.length > 0 ? 'sumForEachMergeIf(latency_le, has({ple:Array(UInt32)}, g)) AS le_state,' : ''}
         ${names.map((n, i) => `toFloat64(${aggregates.get(n)!.sql(`has({p${i}:Array(UInt32)}, g)`)}) AS a${i}`).join(', ')}
       FROM (${source})
       ARRAY JOIN arrayMap(i -> (i, intDiv(${time} - {gs:Array(Int64)}[i], {gl:Array(Int64)}[i])),
         arrayFilter(i -> ${time} >= {gs:Array(Int64)}[i] AND ${time} < {ge:Array(Int64)}[i], range(1, {ng:UInt32} + 1))) AS gk
       GROUP BY model, v, g, k
     )
     GROUP BY model, v, g`,
    params,
  )
  for (const row of rows) {
    const key = `${String(row.model)}\u0000${Number(row.g)}`
    // An aggregate that no need of this grid reads comes back empty, and is never read.
    const values = Object.fromEntries(names.map((n, i) => [n, (row[`a${i}`] as number[]).map(Number)]))
    let list = cells.get(key)
    if (list === undefined) cells.set(key, (list = []))
    list.push({ v: String(row.v), ks: (row.ks as number[]).map(Number), values })
  }
  return { cells, gridIndex }
}

/**
 * Answers every rollup need of an evaluation tick with one query per table read (`prediction_rollup_1m`,
 * `label_rollup_1m`, `quarantine` only when a `not_quarantined` SLI asks, `slo_latency_below_1m` only for latency
 * thresholds between buckets): each query returns, for every
 * model, every window and every slice the tick's SLOs need, the sums of the aggregates they read, finished per
 * need here. Never scans raw predictions. Label selections count predictions by the minute they were MADE, with
 * the newest label of each. A need the rollups cannot answer (a latency threshold between buckets not counted yet)
 * gets an error answer; the others are still answered.
 */
export async function readRollups(store: Store, needs: readonly RollupNeed[]): Promise<RollupAnswer[]> {
  // The counted thresholds are read only when a need asks for one between buckets (one small table).
  const between = needs.some((n) => n.kind === 'count' && n.selection.select === 'latency_below' && !isLatencyBucket(n.selection.thresholdMs))
  const exact: ExactThresholds = new Map(between ? (await readLatencyThresholds(store)).filter((t) => t.backfilled).map((t) => [t.thresholdMs, t.countedFromMs]) : [])
  const termsByNeed: Array<Term[] | string> = needs.map((need) => {
    try {
      if (need.kind === 'count') return termsOf(need.selection, need.grid, exact)
      // Freshness: the newest prediction per slice, and before the grid (no lower bound) for the slices before the first one.
      const last: Aggregate = { key: 'last', sql: (needed) => `toUnixTimestamp64Milli(maxIf(last_ts, ${needed}))` }
      const before: RollupGrid = { startMs: 0, stepMs: Math.floor(need.grid.startMs / 1000) * 1000, count: 1 }
      return [
        { table: 'prediction_rollup_1m', aggregate: last, sign: 1, grid: need.grid },
        { table: 'prediction_rollup_1m', aggregate: last, sign: 1, grid: before },
      ]
    } catch (err) {
      if (err instanceof UnsupportedSelectionError) return err.message
      throw err
    }
  })
  // The tables' queries run at once: chDB (and a server) answers them in parallel, off the event loop.
  const results = new Map<Table, { cells: Cells; gridIndex: (g: RollupGrid) => number }>()
  await Promise.all(
    (['prediction_rollup_1m', 'label_rollup_1m', 'quarantine', 'slo_latency_below_1m'] as const).map(async (table) => {
      const terms: Term[] = []
      const targets: RollupTarget[] = []
      termsByNeed.forEach((ts, i) => {
        if (typeof ts === 'string') return
        const mine = ts.filter((t) => t.table === table)
        terms.push(...mine)
        if (mine.length > 0) targets.push(needs[i]!.target)
      })
      if (terms.length > 0) results.set(table, await queryCells(store, table, terms, targets))
    }),
  )
  const rowsOf = (t: Term, target: RollupTarget) => {
    const r = results.get(t.table)
    const g = r?.gridIndex(t.grid) ?? 0
    const all = g === 0 ? [] : (r?.cells.get(`${target.model}\u0000${g}`) ?? [])
    return target.version === undefined || target.version === '' ? all : all.filter((c) => c.v === target.version)
  }
  return needs.map((need, i): RollupAnswer => {
    const terms = termsByNeed[i]!
    if (typeof terms === 'string') return { ok: false, error: terms }
    const n = need.grid.count
    if (need.kind === 'count') {
      const out = new Array<number>(n).fill(0)
      for (const t of terms) {
        for (const c of rowsOf(t, need.target)) {
          const values = c.values[t.aggregate.key] ?? []
          c.ks.forEach((k, j) => {
            if (k >= 0 && k < n) out[k]! += t.sign * (values[j] ?? 0)
          })
        }
      }
      return { ok: true, values: out }
    }
    const newest = new Array<number | null>(n).fill(null)
    for (const c of rowsOf(terms[0]!, need.target)) c.ks.forEach((k, j) => k >= 0 && k < n && (newest[k] = Math.max(newest[k] ?? -Infinity, c.values.last?.[j] ?? -Infinity)))
    let last: number | null = null
    for (const c of rowsOf(terms[1]!, need.target)) for (const t of c.values.last ?? []) last = Math.max(last ?? -Infinity, t)
    const out: Array<number | null> = []
    for (let k = 0; k < n; k++) {
      const here = newest[k]
      if (here !== null && here !== undefined) last = last === null ? here : Math.max(last, here)
      out.push(last)
    }
    return { ok: true, values: out }
  })
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
