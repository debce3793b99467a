import { localTable, type DdlContext, type RetainedTable, type TableSpec, type ViewSpec } from './ddl.ts'
import { sketchKeyExpr } from './analysis-schema.ts'

// Tables of the SLO evaluator: the label-joined rollup that quality SLIs read, and the budget policy's audit.
// Why signed rows kept by views on `labels` (and not a periodic job, nor a per-label table read at evaluation
// time): docs/slo.md, "Quality SLIs: the label-joined rollup".

const DEDUP = { non_replicated_deduplication_window: 10_000 } as const
const retention = (column: string) => (ctx: DdlContext): string => `toDateTime(${column}) + INTERVAL ${ctx.retentionDays} DAY`

/** Sketch key of an absolute error that has no value (prediction or label not numeric): never within a tolerance. */
export const NO_ERROR_KEY = -1

const outcomesTtl = retention('minute')
/**
 * The outcome each labelled prediction currently counts with in `label_rollup_1m`, one row per (model, id),
 * newest label winning (ReplacingMergeTree on received_at). Read only by id, when a later label arrives, to
 * know what to take back out of the rollup; never scanned at evaluation time.
 */
export const labelOutcomesTable: RetainedTable = {
  ttl: outcomesTtl,
  spec: (ctx): TableSpec => ({
    name: 'label_outcomes',
    columns: [
      'model LowCardinality(String)',
      'id String',
      'version LowCardinality(String)',
      "minute DateTime('UTC')",
      "received_at DateTime64(3, 'UTC')",
      'correct UInt8',
      'abs_error_key Int32',
    ],
    engine: 'ReplacingMergeTree',
    engineArgs: 'received_at',
    // A prediction's minute never changes, so every row of one id lands in one partition and replaces there.
    partitionBy: 'toYYYYMM(minute)',
    orderBy: '(model, id)',
    ttl: outcomesTtl(ctx),
    settings: DEDUP,
    shardingKey: 'cityHash64(model, id)',
  }),
}

const labelRollupTtl = retention('minute')
/**
 * Labelled predictions per model, version and minute OF THE PREDICTION: how many, how many correct, and a
 * DDSketch of |prediction − label| (regression tolerance). Sums are signed: a corrected label adds its new
 * outcome and subtracts the old one, so the minute (and every budget over it) restates.
 */
export const labelRollupTable: RetainedTable = {
  ttl: labelRollupTtl,
  spec: (ctx): TableSpec => ({
    name: 'label_rollup_1m',
    columns: [
      'model LowCardinality(String)',
      'version LowCardinality(String)',
      "minute DateTime('UTC')",
      'labelled SimpleAggregateFunction(sum, Int64)',
      'correct SimpleAggregateFunction(sum, Int64)',
      'abs_error SimpleAggregateFunction(sumMap, Map(Int32, Int64))',
    ],
    engine: 'AggregatingMergeTree',
    partitionBy: 'toDate(minute)',
    orderBy: '(model, version, minute)',
    ttl: labelRollupTtl(ctx),
    settings: DEDUP,
  }),
}

/**
 * Whether a prediction is right, the analyzer's rule (analyzer/performance-report.ts) as SQL: classes when
 * either side is a class; a score in [0, 1] against a 0/1 label at the 0.5 threshold; otherwise equality.
 */
const CORRECT_EXPR = `toUInt8(ifNull(multiIf(
    p.prediction_class != '' OR l.label_class != '',
      if(p.prediction_class != '', p.prediction_class, toString(p.prediction)) = if(l.label_class != '', l.label_class, toString(l.label)),
    isNull(p.prediction) OR isNull(l.label), 0,
    p.prediction >= 0 AND p.prediction <= 1 AND l.label IN (0, 1), (p.prediction >= 0.5) = (l.label = 1),
    p.prediction = l.label), 0))`

/**
 * The newest label of each id in the inserted block, joined to its prediction (first by time when an id was
 * logged twice). In a materialized view every reference to the source table is the inserted block (measured on
 * chDB 26.7), so `{from}` here is the block and `predictions` the whole table (its id bloom filter serves the IN).
 */
function newOutcomes(ctx: DdlContext): string {
  return `SELECT l.model AS model, l.id AS id, p.v AS version, toStartOfMinute(p.t) AS minute, l.at AS received_at,
  ${CORRECT_EXPR} AS correct,
  if(isNull(p.prediction) OR isNull(l.label), ${NO_ERROR_KEY}, ${sketchKeyExpr('abs(assumeNotNull(p.prediction) - assumeNotNull(l.label))')}) AS abs_error_key
FROM (
  SELECT model, id, argMax(label, received_at) AS label, argMax(label_class, received_at) AS label_class, max(received_at) AS at
  FROM {from} GROUP BY model, id
) AS l
INNER JOIN (
  SELECT model, id, argMin(version, ts) AS v, min(ts) AS t, argMin(prediction, ts) AS prediction, argMin(prediction_class, ts) AS prediction_class
  FROM ${localTable(ctx, 'predictions')}
  WHERE model IN (SELECT model FROM {from}) AND id IN (SELECT id FROM {from})
  GROUP BY model, id
) AS p ON l.model = p.model AND l.id = p.id`
}

/** Keeps `label_outcomes`: the outcome each newly labelled prediction now counts with. */
export function labelOutcomesView(ctx: DdlContext): ViewSpec {
  return { name: 'label_outcomes_mv', to: 'label_outcomes', from: 'labels', select: newOutcomes(ctx) }
}

/**
 * Keeps `label_rollup_1m` with signed rows: +1 for each id's new outcome and −1 for the outcome it counted with
 * before (the newest `label_outcomes` row strictly older than the new label), nothing when a newer label is
 * already counted (a stale resend). Strict comparisons make it indifferent to whether the sibling view above has
 * written the new outcome yet.
 */
export function labelRollupView(ctx: DdlContext): ViewSpec {
  return {
    name: 'label_rollup_1m_mv',
    to: 'label_rollup_1m',
    from: 'labels',
    select: `SELECT model, e.1 AS version, e.2 AS minute, sum(e.5) AS labelled, sum(e.5 * e.3) AS correct, sumMap(map(e.4, e.5)) AS abs_error
FROM (
  SELECT n.model AS model, n.id AS id,
    countIf(o.id != '' AND o.received_at > n.received_at) AS later,
    countIf(o.id != '' AND o.received_at < n.received_at) AS has_prev,
    argMaxIf((o.version, o.minute, toInt64(o.correct), o.abs_error_key), o.received_at, o.id != '' AND o.received_at < n.received_at) AS prev,
    any((n.version, n.minute, toInt64(n.correct), n.abs_error_key)) AS cur
  FROM (${newOutcomes(ctx)}) AS n
  LEFT JOIN (
    SELECT model, id, version, minute, correct, abs_error_key, received_at FROM ${localTable(ctx, 'label_outcomes')}
    WHERE model IN (SELECT model FROM {from}) AND id IN (SELECT id FROM {from})
  ) AS o ON o.model = n.model AND o.id = n.id
  GROUP BY n.model, n.id, n.received_at
)
ARRAY JOIN arrayConcat([(cur.1, cur.2, cur.3, cur.4, toInt64(1))], if(has_prev > 0, [(prev.1, prev.2, prev.3, prev.4, toInt64(-1))], [])) AS e
WHERE later = 0
GROUP BY model, version, minute`,
  }
}

/**
 * One row per change of an SLO's release freeze: the audit trail, and (its newest row per SLO) the persisted state
 * a restarted service and the release controller read. Never expires.
 */
export const sloPolicyTransitionsTable: TableSpec = {
  name: 'slo_policy_transitions',
  columns: [
    'slo LowCardinality(String)',
    'model LowCardinality(String)',
    'frozen UInt8',
    'reason String',
    'remaining Float64',
    "at DateTime64(3, 'UTC')",
  ],
  engine: 'MergeTree',
  orderBy: '(slo, at)',
  shardingKey: 'cityHash64(slo)',
}

const latencyBelowTtl = retention('minute')
/**
 * Exact latency counts (migration 8, docs/slo.md "Latency thresholds"): per model, version and minute of the
 * prediction, how many predictions took at most `threshold_ms`, for each threshold a loaded SLO names between the
 * rollup's buckets. `counted_from` is the cut of the threshold's current counting (its view counts predictions
 * received from then, its backfill those received before): rows of an earlier counting of the same threshold (one
 * removed from the specs and brought back, or a backfill a crash interrupted) are never read, so nothing counts twice.
 */
export const latencyBelowTable: RetainedTable = {
  ttl: latencyBelowTtl,
  spec: (ctx): TableSpec => ({
    name: 'slo_latency_below_1m',
    columns: [
      'model LowCardinality(String)',
      'version LowCardinality(String)',
      'threshold_ms Float64',
      "counted_from DateTime64(3, 'UTC')",
      "minute DateTime('UTC')",
      'below UInt64',
    ],
    engine: 'SummingMergeTree',
    engineArgs: 'below',
    partitionBy: 'toDate(minute)',
    orderBy: '(model, version, threshold_ms, counted_from, minute)',
    ttl: latencyBelowTtl(ctx),
    // A replayed predictions block (same deduplication token) is dropped here too, as in the other rollups.
    settings: DEDUP,
  }),
}

/**
 * One row per change of a counted threshold, the newest (by `updated_at`) current: counted since `counted_from`,
 * backfilled (rows received before `counted_from`) once `backfilled_until` is set, no longer counted when `active` is 0.
 */
export const latencyThresholdsTable: TableSpec = {
  name: 'slo_latency_thresholds',
  columns: [
    'threshold_ms Float64',
    "counted_from DateTime64(3, 'UTC')",
    "backfilled_until Nullable(DateTime64(3, 'UTC'))",
    'active UInt8',
    "updated_at DateTime64(6, 'UTC')",
  ],
  engine: 'ReplacingMergeTree',
  engineArgs: 'updated_at',
  orderBy: 'threshold_ms',
  shardingKey: 'cityHash64(threshold_ms)',
}

/** A threshold the latency view counts, and the cut its counting started at (epoch ms). */
export interface CountedThreshold {
  readonly thresholdMs: number
  readonly countedFromMs: number
}

/** A finite number as an SQL literal: String(number) of a checked finite number cannot carry SQL. */
function literal(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`expected a finite number, got ${n}`)
  return String(n)
}

/**
 * The view that keeps `slo_latency_below_1m` for the given thresholds: each inserted prediction with a latency at
 * most a threshold, received at or after that threshold's cut, adds one to its minute. Views take no query
 * parameters, so the (checked, finite) numbers are literals.
 */
export function latencyBelowView(thresholds: readonly CountedThreshold[]): ViewSpec {
  const pairs = thresholds.map((t) => `(toFloat64(${literal(t.thresholdMs)}), fromUnixTimestamp64Milli(toInt64(${literal(Math.trunc(t.countedFromMs))}), 'UTC'))`)
  return {
    name: 'slo_latency_below_1m_mv',
    to: 'slo_latency_below_1m',
    from: 'predictions',
    select: `SELECT model, version, c.1 AS threshold_ms, c.2 AS counted_from, toStartOfMinute(ts) AS minute, count() AS below
FROM {from}
ARRAY JOIN [${pairs.join(', ')}] AS c
WHERE latency_ms <= c.1 AND received_at >= c.2
GROUP BY model, version, threshold_ms, counted_from, minute`,
  }
}

/** The SLO tables whose TTL follows `storage.retentionDays`. */
export const SLO_RETAINED_TABLES: readonly RetainedTable[] = [labelOutcomesTable, labelRollupTable, latencyBelowTable]
