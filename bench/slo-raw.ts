// The SLO evaluator's rollup needs answered from RAW rows: predictions, labels joined to their predictions by id
// (newest label per id), and the quarantine. The reference the rollups are checked against (bench/slo.ts, and
// slo/tick.test.ts): it reads no rollup and no materialized-view output, only what ingest stored, so an equal
// answer proves the views, the signed label rows and the batched grid arithmetic together.
import { UnsupportedSelectionError, type RollupAnswer, type RollupGrid, type RollupNeed, type RollupTarget, type Store } from '../store/index.ts'

type RawTable = 'predictions' | 'labelled' | 'quarantine'

/** One per-minute figure from raw rows, and how a need combines it. */
interface RawTerm {
  readonly table: RawTable
  readonly key: string
  /** Aggregate over the raw rows of one minute. */
  readonly sql: string
  readonly sign: 1 | -1
  readonly grid: RollupGrid
  /** Combined across minutes by max (newest prediction) rather than sum. */
  readonly max?: boolean
}

/**
 * Whether a prediction is right, written from the rule in docs/slo.md (the analyzer's): classes when either side is
 * a class; a score in [0, 1] against a 0/1 label at the 0.5 threshold; otherwise equality.
 */
const RIGHT = `multiIf(
  p.prediction_class != '' OR l.label_class != '', if(p.prediction_class != '', p.prediction_class, toString(p.prediction)) = if(l.label_class != '', l.label_class, toString(l.label)),
  isNull(p.prediction) OR isNull(l.label), 0,
  p.prediction >= 0 AND p.prediction <= 1 AND l.label IN (0, 1), (p.prediction >= 0.5) = (l.label = 1),
  p.prediction = l.label)`

function rawTerms(need: RollupNeed): RawTerm[] {
  const grid = need.grid
  const p = (key: string, sql: string, sign: 1 | -1 = 1): RawTerm => ({ table: 'predictions', key, sql, sign, grid })
  const l = (key: string, sql: string): RawTerm => ({ table: 'labelled', key, sql, sign: 1, grid })
  if (need.kind === 'last') {
    const last = 'toUnixTimestamp64Milli(max(ts))'
    return [
      { table: 'predictions', key: 'last', sql: last, sign: 1, grid, max: true },
      { table: 'predictions', key: 'last', sql: last, sign: 1, grid: { startMs: 0, stepMs: Math.floor(grid.startMs / 1000) * 1000, count: 1 }, max: true },
    ]
  }
  const sel = need.selection
  switch (sel.select) {
    case 'all':
      return [p('n', 'count()')]
    case 'ok':
      return [p('ok', "countIf(status = 'ok')")]
    case 'latency_total':
      return [p('lc', 'countIf(isNotNull(latency_ms))')]
    case 'latency_below': {
      // Raw rows count any threshold, as the rollups now do (buckets, or the exact counts of the others).
      if (!Number.isFinite(sel.thresholdMs)) throw new UnsupportedSelectionError(`thresholdMs must be a finite number, got ${sel.thresholdMs}`)
      return [p(`le${sel.thresholdMs}`, `countIf(latency_ms <= ${sel.thresholdMs})`)]
    }
    case 'not_quarantined_total':
      return [p('n', 'count()'), { table: 'quarantine', key: 'q', sql: 'count()', sign: 1, grid }]
    case 'labelled':
      return [l('lab', 'count()')]
    case 'correct':
      return sel.tolerance === undefined ? [l('cor', `countIf(${RIGHT})`)] : [l(`tol${sel.tolerance}`, `countIf(abs(p.prediction - l.label) <= ${Number(sel.tolerance)})`)]
  }
}

/** Per-minute raw figures of one table for the given models, between two whole seconds. */
function perMinute(table: RawTable, columns: string): string {
  switch (table) {
    case 'predictions':
      return `SELECT model, if(has({versioned:Array(String)}, model), version, '') AS v, toStartOfMinute(ts) AS minute, ${columns}
        FROM highway.predictions WHERE model IN {models:Array(String)} AND toStartOfMinute(ts) >= toDateTime({lo:Int64}) AND toStartOfMinute(ts) < toDateTime({hi:Int64})
        GROUP BY model, v, minute`
    case 'labelled':
      // Each prediction (first by time when an id was logged twice) with the newest label of its id.
      return `SELECT p.model AS model, if(has({versioned:Array(String)}, p.model), p.version, '') AS v, toStartOfMinute(p.first_ts) AS minute, ${columns}
        FROM (
          SELECT model, id, argMin(version, ts) AS version, min(ts) AS first_ts, argMin(prediction, ts) AS prediction, argMin(prediction_class, ts) AS prediction_class
          FROM highway.predictions
          WHERE model IN {models:Array(String)} AND toStartOfMinute(ts) >= toDateTime({lo:Int64}) AND toStartOfMinute(ts) < toDateTime({hi:Int64})
            AND id IN (SELECT id FROM highway.labels WHERE model IN {models:Array(String)})
          GROUP BY model, id
        ) AS p
        INNER JOIN (
          SELECT model, id, argMax(label, received_at) AS label, argMax(label_class, received_at) AS label_class FROM highway.labels WHERE model IN {models:Array(String)} GROUP BY model, id
        ) AS l ON p.model = l.model AND p.id = l.id
        GROUP BY model, v, minute`
    case 'quarantine':
      return ''
  }
}

/**
 * Answers rollup needs from raw rows (a `RollupReader`): one scan per raw table for every need, the raw rows
 * counted per minute and then per window and slice (the rollups' minute grain, so answers must be EQUAL).
 */
export async function readRaw(store: Store, needs: readonly RollupNeed[]): Promise<RollupAnswer[]> {
  const terms: Array<RawTerm[] | string> = needs.map((n) => {
    try {
      return rawTerms(n)
    } catch (err) {
      return err instanceof Error ? err.message : String(err)
    }
  })
  const cells = new Map<string, Array<{ v: string; k: number; value: number }>>()
  const boundsOf = new Map<RawTable, (g: RollupGrid) => { from: number; step: number; end: number }>()
  for (const table of ['predictions', 'labelled', 'quarantine'] as const) {
    const mine: Array<{ term: RawTerm; target: RollupTarget }> = []
    terms.forEach((ts, i) => {
      if (typeof ts === 'string') return
      for (const term of ts) if (term.table === table && term.grid.count > 0) mine.push({ term, target: needs[i]!.target })
    })
    if (mine.length === 0) continue
    const ms = table === 'quarantine'
    // Grid bounds: milliseconds for the quarantine (raw timestamps), whole seconds for minutes, as docs/slo.md says.
    const bounds = (g: RollupGrid) => {
      if (ms) return { from: g.startMs, step: g.stepMs, end: g.startMs + g.stepMs * g.count }
      const from = Math.floor(g.startMs / 1000)
      const step = g.count === 1 ? Math.floor((g.startMs + g.stepMs) / 1000) - from : g.stepMs / 1000
      return { from, step, end: from + step * g.count }
    }
    const grids = [...new Map(mine.map(({ term }) => bounds(term.grid)).filter((b) => b.step > 0).map((b) => [`${b.from}/${b.step}/${b.end}`, b])).values()]
    if (grids.length === 0) continue
    const keys = [...new Map(mine.map(({ term }) => [term.key, term])).values()]
    const params = {
      models: [...new Set(mine.map((m) => m.target.model))],
      versioned: [...new Set(mine.filter((m) => m.target.version).map((m) => m.target.model))],
      gs: grids.map((g) => g.from),
      gl: grids.map((g) => g.step),
      ge: grids.map((g) => g.end),
      ng: grids.length,
      lo: Math.min(...grids.map((g) => g.from)),
      hi: Math.max(...grids.map((g) => g.end)),
    }
    const source = ms
      ? `SELECT model, '' AS v, toUnixTimestamp64Milli(ts) AS t, ${keys.map((_k, i) => `1 AS a${i}`).join(', ')} FROM highway.quarantine
         WHERE model IN {models:Array(String)} AND kind = 'prediction' AND ts >= fromUnixTimestamp64Milli({lo:Int64}) AND ts < fromUnixTimestamp64Milli({hi:Int64})`
      : `SELECT model, v, toInt64(toUnixTimestamp(minute)) AS t, * EXCEPT (model, v, minute) FROM (${perMinute(table, keys.map((k, i) => `${k.sql} AS a${i}`).join(', '))})`
    const sql = `SELECT model, v, gk.1 AS g, gk.2 AS k, ${keys.map((k, i) => `${k.max ? 'max' : 'sum'}(a${i}) AS a${i}`).join(', ')}
      FROM (${source})
      ARRAY JOIN arrayMap(i -> (i, intDiv(t - {gs:Array(Int64)}[i], {gl:Array(Int64)}[i])), arrayFilter(i -> t >= {gs:Array(Int64)}[i] AND t < {ge:Array(Int64)}[i], range(1, {ng:UInt32} + 1))) AS gk
      GROUP BY model, v, g, k`
    const rows = await store.queryRows<Record<string, string | number>>(sql, params)
    for (const row of rows) {
      keys.forEach((k, i) => {
        const b = grids[Number(row.g) - 1]!
        const id = `${table}|${String(row.model)}|${b.from}/${b.step}/${b.end}|${k.key}`
        let list = cells.get(id)
        if (list === undefined) cells.set(id, (list = []))
        list.push({ v: String(row.v), k: Number(row.k), value: Number(row[`a${i}`]) })
      })
    }
    boundsOf.set(table, bounds)
  }
  const lookup = (term: RawTerm, target: RollupTarget) => {
    const b = boundsOf.get(term.table)?.(term.grid)
    const all = b === undefined ? [] : (cells.get(`${term.table}|${target.model}|${b.from}/${b.step}/${b.end}|${term.key}`) ?? [])
    return target.version ? all.filter((c) => c.v === target.version) : all
  }
  return needs.map((need, i): RollupAnswer => {
    const ts = terms[i]!
    if (typeof ts === 'string') return { ok: false, error: ts }
    const n = need.grid.count
    if (need.kind === 'count') {
      const out = new Array<number>(n).fill(0)
      for (const t of ts) for (const c of lookup(t, need.target)) if (c.k >= 0 && c.k < n) out[c.k]! += t.sign * c.value
      return { ok: true, values: out }
    }
    const newest = new Array<number | null>(n).fill(null)
    for (const c of lookup(ts[0]!, need.target)) if (c.k >= 0 && c.k < n) newest[c.k] = Math.max(newest[c.k] ?? -Infinity, c.value)
    let last: number | null = null
    for (const c of lookup(ts[1]!, need.target)) last = Math.max(last ?? -Infinity, c.value)
    return {
      ok: true,
      values: newest.map((here) => {
        if (here !== null) last = last === null ? here : Math.max(last, here)
        return last
      }),
    }
  })
}
