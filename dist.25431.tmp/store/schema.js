import { featureCategoryRollupTable, featureNumericRollupTable } from "./analysis-schema.js";
/**
 * Latency thresholds (ms) kept as "requests at or under" counters in the per-minute rollup, so latency SLIs
 * (good = under threshold) are sums of rollups. Bounds follow Prometheus' default histogram buckets, in ms.
 */
export const LATENCY_BUCKETS_MS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
/** Quantile levels kept in the rollup's t-digest state. */
export const LATENCY_QUANTILES = [0.5, 0.9, 0.95, 0.99];
// Block-level deduplication for plain MergeTree: every insert carries an insert_deduplication_token, so a
// replayed spool entry or a retried flush is stored once, and (with the setting on the rollup too) counted once.
const DEDUP = { non_replicated_deduplication_window: 10_000 };
const retention = (column) => (ctx) => `toDateTime(${column}) + INTERVAL ${ctx.retentionDays} DAY`;
const predictionsTtl = retention('ts');
/**
 * Raw predictions, one row per record; features split by type into maps (measured: see docs/storage.md):
 * numbers and booleans, categories (counted per value by the analyzer's rollup), and free text (never counted per value).
 */
export const predictionsTable = {
    ttl: predictionsTtl,
    spec: (ctx) => ({
        name: 'predictions',
        columns: [
            'model LowCardinality(String)',
            'version LowCardinality(String)',
            'id String',
            "ts DateTime64(3, 'UTC')",
            "received_at DateTime64(3, 'UTC')",
            'num_features Map(LowCardinality(String), Float64)',
            'str_features Map(LowCardinality(String), String)',
            'text_features Map(LowCardinality(String), String)',
            'prediction Nullable(Float64)',
            'prediction_class String',
            'prediction_scores Map(LowCardinality(String), Float64)',
            'latency_ms Nullable(Float64)',
            'status LowCardinality(String)',
        ],
        indexes: ['id_bloom id TYPE bloom_filter(0.01) GRANULARITY 4'],
        engine: 'MergeTree',
        partitionBy: 'toDate(ts)',
        orderBy: '(model, ts)',
        ttl: predictionsTtl(ctx),
        settings: DEDUP,
        shardingKey: 'cityHash64(model, id)',
    }),
};
/**
 * Merge settings of `predictions` (migration 6). A horizontal merge reads every column of every part at once:
 * measured 90-125 MB for one merge of 6-8 parts of 5,000-30,000 rows, the largest share of the collector's peak
 * memory under ingest. The vertical algorithm merges the sort key first, then one column at a time (12-35 MB).
 * ClickHouse uses it only from 131,072 rows by default; ingest makes parts of 1,000-10,000 rows.
 */
export const PREDICTIONS_MERGE_SETTINGS = { vertical_merge_algorithm_min_rows_to_activate: 1 };
const labelsTtl = retention('ts');
/** Labels, late and possibly resent: the newest row per (model, id) wins (ReplacingMergeTree on received_at). */
export const labelsTable = {
    ttl: labelsTtl,
    spec: (ctx) => ({
        name: 'labels',
        columns: [
            'model LowCardinality(String)',
            'id String',
            "ts DateTime64(3, 'UTC')",
            "received_at DateTime64(3, 'UTC')",
            'label Nullable(Float64)',
            'label_class String',
        ],
        engine: 'ReplacingMergeTree',
        engineArgs: 'received_at',
        partitionBy: 'toYYYYMM(ts)',
        orderBy: '(model, id)',
        ttl: labelsTtl(ctx),
        settings: DEDUP,
        shardingKey: 'cityHash64(model, id)',
    }),
};
const quarantineTtl = retention('received_at');
/** Records that broke their model's schema: the raw record, why, and which fields, kept for data quality. */
export const quarantineTable = {
    ttl: quarantineTtl,
    spec: (ctx) => ({
        name: 'quarantine',
        columns: [
            'model LowCardinality(String)',
            'kind LowCardinality(String)',
            "received_at DateTime64(3, 'UTC')",
            "ts DateTime64(3, 'UTC')",
            'record_id String',
            'record_hash String',
            'raw String',
            'reasons Array(String)',
            'fields Array(LowCardinality(String))',
            'rules Array(LowCardinality(String))',
        ],
        engine: 'MergeTree',
        partitionBy: 'toDate(received_at)',
        orderBy: '(model, received_at)',
        ttl: quarantineTtl(ctx),
        settings: DEDUP,
    }),
};
const rollupTtl = retention('minute');
/** Per-minute rollup of predictions by model and version, kept by a materialized view. */
export const predictionRollupTable = {
    ttl: rollupTtl,
    spec: (ctx) => ({
        name: 'prediction_rollup_1m',
        columns: [
            'model LowCardinality(String)',
            'version LowCardinality(String)',
            "minute DateTime('UTC')",
            'predictions SimpleAggregateFunction(sum, UInt64)',
            'errors SimpleAggregateFunction(sum, UInt64)',
            'latency_count SimpleAggregateFunction(sum, UInt64)',
            'latency_sum SimpleAggregateFunction(sum, Float64)',
            `latency_quantiles AggregateFunction(quantilesTDigest(${LATENCY_QUANTILES.join(', ')}), Float64)`,
            'latency_le AggregateFunction(sumForEach, Array(UInt64))',
            "last_ts SimpleAggregateFunction(max, DateTime64(3, 'UTC'))",
        ],
        engine: 'AggregatingMergeTree',
        partitionBy: 'toDate(minute)',
        orderBy: '(model, version, minute)',
        ttl: rollupTtl(ctx),
        settings: DEDUP,
    }),
};
/** The view that keeps `prediction_rollup_1m`; status other than "ok" counts as an error. */
export const predictionRollupView = {
    name: 'prediction_rollup_1m_mv',
    to: 'prediction_rollup_1m',
    from: 'predictions',
    select: `SELECT
  model,
  version,
  toStartOfMinute(ts) AS minute,
  count() AS predictions,
  countIf(status != 'ok') AS errors,
  countIf(isNotNull(latency_ms)) AS latency_count,
  sumIf(assumeNotNull(latency_ms), isNotNull(latency_ms)) AS latency_sum,
  quantilesTDigestStateIf(${LATENCY_QUANTILES.join(', ')})(assumeNotNull(latency_ms), isNotNull(latency_ms)) AS latency_quantiles,
  sumForEachState([${LATENCY_BUCKETS_MS.map((b) => `toUInt64(ifNull(latency_ms <= ${b}, 0))`).join(', ')}]) AS latency_le,
  max(ts) AS last_ts
FROM {from}
GROUP BY model, version, minute`,
};
/** Every table whose TTL follows `storage.retentionDays`. */
export const RETAINED_TABLES = [
    predictionsTable,
    labelsTable,
    quarantineTable,
    predictionRollupTable,
    featureNumericRollupTable,
    featureCategoryRollupTable,
];
//# sourceMappingURL=schema.js.map