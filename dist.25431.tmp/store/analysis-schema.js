// Tables of the analyzer: references, per-window aggregates kept by materialized views, and job results.
const DEDUP = { non_replicated_deduplication_window: 10_000 };
const retention = (column) => (ctx) => `toDateTime(${column}) + INTERVAL ${ctx.retentionDays} DAY`;
const ALPHA = 0.002;
const LN_GAMMA = Math.log((1 + ALPHA) / (1 - ALPHA));
/**
 * The numeric sketch's buckets (DDSketch, VLDB 2019; maths in analyzer/sketch.ts): relative accuracy α, ln γ
 * with γ = (1 + α) / (1 − α), magnitudes below `minMagnitude` as zero, and the offset that keeps keys ≥ 1.
 */
export const SKETCH_SQL = {
    relativeAccuracy: ALPHA,
    lnGamma: LN_GAMMA,
    minMagnitude: 1e-9,
    offset: Math.ceil(-Math.log(1e-9) / LN_GAMMA) + 1,
};
/** SQL bucket key of a Float64 expression. */
export function sketchKeyExpr(x) {
    return `toInt32(if(abs(${x}) < ${SKETCH_SQL.minMagnitude}, 0, sign(${x}) * (ceil(log(abs(${x})) / ${SKETCH_SQL.lnGamma}) + ${SKETCH_SQL.offset})))`;
}
/** Name under which the numeric prediction is profiled like a feature. */
export const PREDICTION_FEATURE = '__prediction';
/** Name under which the predicted class is profiled like a categorical feature. */
export const PREDICTION_CLASS_FEATURE = '__prediction_class';
const numericRollupTtl = retention('hour');
/** Hourly numeric profile per model, version and feature: count, moments, extremes and a mergeable sketch. */
export const featureNumericRollupTable = {
    ttl: numericRollupTtl,
    spec: (ctx) => ({
        name: 'feature_numeric_rollup_1h',
        columns: [
            'model LowCardinality(String)',
            'version LowCardinality(String)',
            'feature LowCardinality(String)',
            "hour DateTime('UTC')",
            'n SimpleAggregateFunction(sum, UInt64)',
            'sum SimpleAggregateFunction(sum, Float64)',
            'sum_sq SimpleAggregateFunction(sum, Float64)',
            'min SimpleAggregateFunction(min, Float64)',
            'max SimpleAggregateFunction(max, Float64)',
            'sketch SimpleAggregateFunction(sumMap, Map(Int32, UInt64))',
        ],
        engine: 'AggregatingMergeTree',
        partitionBy: 'toYYYYMM(hour)',
        orderBy: '(model, version, feature, hour)',
        ttl: numericRollupTtl(ctx),
        settings: DEDUP,
    }),
};
/** Keeps `feature_numeric_rollup_1h`; the numeric prediction is profiled as the feature `__prediction`. */
export const featureNumericRollupView = {
    name: 'feature_numeric_rollup_1h_mv',
    to: 'feature_numeric_rollup_1h',
    from: 'predictions',
    select: `SELECT
  model,
  version,
  k AS feature,
  toStartOfHour(ts) AS hour,
  count() AS n,
  sum(v) AS sum,
  sum(v * v) AS sum_sq,
  min(v) AS min,
  max(v) AS max,
  sumMap(map(${sketchKeyExpr('v')}, toUInt64(1))) AS sketch
FROM {from}
ARRAY JOIN
  arrayConcat(mapKeys(num_features), if(isNull(prediction), [], ['${PREDICTION_FEATURE}'])) AS k,
  arrayConcat(mapValues(num_features), if(isNull(prediction), [], [assumeNotNull(prediction)])) AS v
GROUP BY model, version, feature, hour`,
};
const categoryRollupTtl = retention('hour');
/** Hourly category counts per model, version and categorical feature (text features are not counted here). */
export const featureCategoryRollupTable = {
    ttl: categoryRollupTtl,
    spec: (ctx) => ({
        name: 'feature_category_rollup_1h',
        columns: [
            'model LowCardinality(String)',
            'version LowCardinality(String)',
            'feature LowCardinality(String)',
            "hour DateTime('UTC')",
            'value String',
            'n SimpleAggregateFunction(sum, UInt64)',
        ],
        engine: 'AggregatingMergeTree',
        partitionBy: 'toYYYYMM(hour)',
        orderBy: '(model, version, feature, hour, value)',
        ttl: categoryRollupTtl(ctx),
        settings: DEDUP,
    }),
};
/** Keeps `feature_category_rollup_1h`; the predicted class is counted as the feature `__prediction_class`. */
export const featureCategoryRollupView = {
    name: 'feature_category_rollup_1h_mv',
    to: 'feature_category_rollup_1h',
    from: 'predictions',
    select: `SELECT
  model,
  version,
  k AS feature,
  toStartOfHour(ts) AS hour,
  v AS value,
  count() AS n
FROM {from}
ARRAY JOIN
  arrayConcat(mapKeys(str_features), if(prediction_class = '', [], ['${PREDICTION_CLASS_FEATURE}'])) AS k,
  arrayConcat(mapValues(str_features), if(prediction_class = '', [], [prediction_class])) AS v
GROUP BY model, version, feature, hour, value`,
};
/** One reference per model and version (version '' = any version); the newest wins. Profile as JSON. */
export const referenceSetsTable = {
    name: 'reference_sets',
    columns: [
        'model LowCardinality(String)',
        'version LowCardinality(String)',
        'reference_id String',
        'source LowCardinality(String)',
        "created_at DateTime64(3, 'UTC')",
        'rows UInt64',
        'sampled_rows UInt64',
        'profile String',
    ],
    engine: 'ReplacingMergeTree',
    engineArgs: 'created_at',
    orderBy: '(model, version)',
};
/** The capped sample behind a reference, with labels where known (for CBPE and exact tests). */
export const referenceSamplesTable = {
    name: 'reference_samples',
    columns: [
        'model LowCardinality(String)',
        'version LowCardinality(String)',
        'reference_id String',
        'id String',
        "ts DateTime64(3, 'UTC')",
        'num_features Map(LowCardinality(String), Float64)',
        'str_features Map(LowCardinality(String), String)',
        'text_features Map(LowCardinality(String), String)',
        'prediction Nullable(Float64)',
        'prediction_class String',
        'label Nullable(Float64)',
        'label_class String',
    ],
    engine: 'MergeTree',
    orderBy: '(model, version, reference_id)',
};
/** Job results, one per (job, model, version, window): a rerun, or a second replica, replaces rather than adds. */
export const analysisResultsTable = {
    name: 'analysis_results',
    columns: [
        'job LowCardinality(String)',
        'model LowCardinality(String)',
        'version LowCardinality(String)',
        "window_from DateTime64(3, 'UTC')",
        "window_to DateTime64(3, 'UTC')",
        "computed_at DateTime64(3, 'UTC')",
        'result String',
    ],
    engine: 'ReplacingMergeTree',
    engineArgs: 'computed_at',
    partitionBy: 'toYYYYMM(window_from)',
    orderBy: '(job, model, version, window_from, window_to)',
};
//# sourceMappingURL=analysis-schema.js.map