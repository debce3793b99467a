/**
 * Every metric is computed once, as a MetricOutcome: a value, or the reason there is none (never NaN). The
 * analyzer reports outcomes of production windows; training reports the same outcomes flattened to
 * `number | null` (null survives JSON, NaN does not). Metric names are snake_case because they travel in
 * reports, the registry and SLO specs as they are.
 */
export {};
//# sourceMappingURL=types.js.map