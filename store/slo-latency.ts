import type { Store } from './client.ts'
import { createView, dropView, modifyViewQuery, tableName, type DdlContext } from './ddl.ts'
import { LATENCY_BUCKETS_MS } from './schema.ts'
import { latencyBelowView, type CountedThreshold } from './slo-schema.ts'

// Exact latency counts for thresholds between the rollup's buckets (docs/slo.md, "Latency thresholds"). Every
// prediction is counted once for a threshold: by the view when it was received at or after the threshold's cut
// (`counted_from`), by the backfill when received before. The cut is baked into the view, so the split does not
// depend on when the backfill runs relative to the view's creation.

/** A latency threshold that the rollup's cumulative buckets answer exactly (no exact counts needed). */
export function isLatencyBucket(thresholdMs: number): boolean {
  return (LATENCY_BUCKETS_MS as readonly number[]).includes(thresholdMs)
}

/** A counted threshold as the store holds it: counted since its cut, and whether the rows before the cut are in. */
export interface LatencyThresholdState extends CountedThreshold {
  readonly backfilled: boolean
}

/** What {@link prepareLatencyThresholds} did. */
export interface LatencyThresholdsPrepared {
  /** Every threshold now counted, with its cut. */
  readonly counted: readonly CountedThreshold[]
  /** Thresholds whose counting started now (new, or not backfilled before), backfilled from raw predictions. */
  readonly backfilled: readonly number[]
  /** Thresholds counted before that no loaded SLO names any more: their view counting stopped. */
  readonly stopped: readonly number[]
}

/**
 * The DDL that makes the latency view count `counted`: dropped when empty; else created if missing and its query
 * swapped in place (an existing view of another threshold set: no insert goes uncounted or counts twice). On a
 * cluster the statements carry `ON CLUSTER` and the view reads and writes each shard's local tables.
 */
export function latencyViewDdl(ctx: DdlContext, counted: readonly CountedThreshold[]): string[] {
  if (counted.length === 0) return [dropView(ctx, 'slo_latency_below_1m_mv')]
  const view = latencyBelowView(counted)
  return [...createView(ctx, view), modifyViewQuery(ctx, view)]
}

/** The current state of every active counted threshold (the newest row of each in `slo_latency_thresholds`). */
export async function readLatencyThresholds(store: Store): Promise<LatencyThresholdState[]> {
  // backfilled_until inside a tuple: argMax skips NULL arguments and would return an older counting's value.
  const rows = await store.queryRows<{ x: number; c: number; b: number | null; a: number }>(
    `SELECT threshold_ms AS x, toUnixTimestamp64Milli(argMax(counted_from, updated_at)) AS c,
       toUnixTimestamp64Milli(argMax(tuple(backfilled_until), updated_at).1) AS b, argMax(active, updated_at) AS a
     FROM ${tableName(store.ctx, 'slo_latency_thresholds')} GROUP BY threshold_ms HAVING a = 1 ORDER BY threshold_ms`,
  )
  return rows.map((r) => ({ thresholdMs: Number(r.x), countedFromMs: Number(r.c), backfilled: r.b !== null && Number(r.b) === Number(r.c) }))
}

async function recordThreshold(store: Store, t: { thresholdMs: number; countedFromMs: number; backfilled: boolean; active: boolean }): Promise<void> {
  await store.command(
    `INSERT INTO ${tableName(store.ctx, 'slo_latency_thresholds')} (threshold_ms, counted_from, backfilled_until, active, updated_at)
     VALUES ({x:Float64}, fromUnixTimestamp64Milli({c:Int64}), if({b:UInt8} = 1, fromUnixTimestamp64Milli({c:Int64}), NULL), {a:UInt8}, now64(6))`,
    { x: t.thresholdMs, c: Math.trunc(t.countedFromMs), b: t.backfilled ? 1 : 0, a: t.active ? 1 : 0 },
  )
}

/**
 * Makes `slo_latency_below_1m` count exactly the given thresholds (those between buckets; bucket thresholds are
 * ignored), as of `nowMs`: a threshold already counted and backfilled keeps its cut; a new one (or one whose backfill
 * never completed) gets the cut `nowMs`, the view (created, or its query swapped in place) counts it from then, and
 * the predictions received before the cut are backfilled from the raw table (within its retention). Thresholds no
 * longer given stop being counted; the view is dropped when none is left. Idempotent; meant to run once at start,
 * from one process at a time (as migrations are).
 */
export async function prepareLatencyThresholds(store: Store, thresholdsMs: readonly number[], nowMs: number): Promise<LatencyThresholdsPrepared> {
  for (const x of thresholdsMs) if (!Number.isFinite(x) || x <= 0) throw new RangeError(`latency thresholds must be finite and above 0 ms, got ${x}`)
  const wanted = [...new Set(thresholdsMs.filter((x) => !isLatencyBucket(x)))].sort((a, b) => a - b)
  const current = new Map((await readLatencyThresholds(store)).map((s) => [s.thresholdMs, s]))
  const cut = Math.trunc(nowMs)
  const counted: CountedThreshold[] = []
  const fresh: number[] = []
  for (const x of wanted) {
    const s = current.get(x)
    if (s?.backfilled) counted.push({ thresholdMs: x, countedFromMs: s.countedFromMs })
    else {
      // A threshold registered but never backfilled (a crash between the two) starts over with a new cut: rows a
      // partial backfill or the old view wrote carry the old cut and are never read.
      counted.push({ thresholdMs: x, countedFromMs: cut })
      fresh.push(x)
    }
  }
  const stopped = [...current.keys()].filter((x) => !wanted.includes(x))
  // Registered before the view counts them, so a crash after the view swap leaves a threshold that is redone.
  for (const x of fresh) await recordThreshold(store, { thresholdMs: x, countedFromMs: cut, backfilled: false, active: true })
  for (const sql of latencyViewDdl(store.ctx, counted)) await store.command(sql)
  for (const x of stopped) await recordThreshold(store, { thresholdMs: x, countedFromMs: current.get(x)!.countedFromMs, backfilled: current.get(x)!.backfilled, active: false })
  if (fresh.length > 0) {
    await store.command(
      `INSERT INTO ${tableName(store.ctx, 'slo_latency_below_1m')} (model, version, threshold_ms, counted_from, minute, below)
       SELECT model, version, x AS threshold_ms, fromUnixTimestamp64Milli({cut:Int64}, 'UTC') AS counted_from, toStartOfMinute(ts) AS minute, count() AS below
       FROM ${tableName(store.ctx, 'predictions')}
       ARRAY JOIN {xs:Array(Float64)} AS x
       WHERE received_at < fromUnixTimestamp64Milli({cut:Int64}, 'UTC') AND latency_ms <= x
       GROUP BY model, version, threshold_ms, minute`,
      { xs: fresh, cut },
    )
    for (const x of fresh) await recordThreshold(store, { thresholdMs: x, countedFromMs: cut, backfilled: true, active: true })
  }
  return { counted, backfilled: fresh, stopped }
}
