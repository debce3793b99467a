/** The only OpenSLO version Highway reads (OpenSLO README, "General Schema"). */
export const OPENSLO_API_VERSION = 'openslo/v1';
/** Kinds of OpenSLO v1 (OpenSLO README, "Notes (General Schema)"). */
export const SPEC_KINDS = ['SLO', 'SLI', 'DataSource', 'Service', 'AlertPolicy', 'AlertCondition', 'AlertNotificationTarget'];
/** `spec.budgetingMethod` values (OpenSLO README, "Notes (SLO)"). */
export const BUDGETING_METHODS = ['Occurrences', 'Timeslices', 'RatioTimeslices'];
/** Comparison operators of objectives and alert conditions (OpenSLO README, "Notes (Objectives)"). */
export const OPERATORS = ['lte', 'gte', 'lt', 'gt'];
/** Metric source types Highway can evaluate; matched case-insensitively (OpenSLO examples write `Prometheus`). */
export const SOURCE_TYPES = ['highway', 'clickhouse', 'prometheus'];
/** Event selections of a `type: highway` ratio metric. */
export const HIGHWAY_SELECTS = ['all', 'ok', 'latency_below', 'labelled', 'correct', 'not_quarantined'];
/** Measures of a `type: highway` threshold metric; the parameterised ones are written `name:<parameter>`. */
export const HIGHWAY_MEASURES = [
    'dataset_drift_share',
    'feature_drift',
    'performance',
    'estimated_performance',
    'freshness_seconds',
    'label_coverage',
];
/** How each measure is written in YAML, for error messages. */
export const HIGHWAY_MEASURE_FORMS = [
    'dataset_drift_share',
    'feature_drift:<feature>',
    'performance:<metric>',
    'estimated_performance:<metric>',
    'freshness_seconds',
    'label_coverage',
];
/**
 * Prefix of Highway's annotation keys. OpenSLO reserves `metadata.annotations` for implementation
 * metadata; its JSON schema wants a dotted DNS prefix before the `/` (schemas/v1/parts/metadata.schema.json).
 */
export const ANNOTATION_PREFIX = 'highway.dev/';
/** Highway's annotation keys, by what they set. */
export const ANNOTATIONS = {
    /** On an SLI or SLO: how long labels take to arrive; windows younger than this are not judged yet. */
    evaluationDelay: 'highway.dev/evaluation-delay',
    /** On an SLI or SLO: windows (or time slices) with fewer events than this are not judged. */
    minEvents: 'highway.dev/min-events',
    /** On an SLI or SLO: `"true"` judges a ratio on the Wilson score lower bound instead of the point estimate. */
    wilson: 'highway.dev/wilson',
    /** On an SLI or SLO: confidence of that lower bound, in (0, 1). */
    wilsonConfidence: 'highway.dev/wilson-confidence',
    /** On an SLO: once releases froze on a spent budget, they thaw when the budget left is back at or above this share. */
    unfreezeAbove: 'highway.dev/unfreeze-above',
    /** On an AlertCondition: the short window of a multiwindow burn-rate alert. */
    shortWindow: 'highway.dev/short-window',
};
/**
 * Share of the error budget that must be left again before a freeze ends, unless `highway.dev/unfreeze-above`
 * says otherwise. Freezing at 0 and thawing at the same level would flap with every good or bad minute around the
 * edge; a tenth of the budget is slack for roughly three days of a 30-day window at a steady burn rate of 1.
 */
export const DEFAULT_UNFREEZE_ABOVE = 0.1;
/** Windows with fewer events than this are not judged; 1 skips only empty windows. */
export const DEFAULT_MIN_EVENTS = 1;
/** Confidence of the Wilson score lower bound when only `highway.dev/wilson: "true"` is given (the conventional 95%). */
export const DEFAULT_WILSON_CONFIDENCE = 0.95;
/**
 * The short window of a burn-rate alert is 1/12 of its long window unless an AlertCondition says otherwise
 * (Google SRE workbook, "Alerting on SLOs", multiwindow multi-burn-rate alerts: 5m for 1h, 30m for 6h).
 */
export const SHORT_WINDOW_DIVISOR = 12;
/** Seconds per unit of an OpenSLO duration-shorthand that has a fixed length (OpenSLO README, "duration-shorthand"). */
export const FIXED_DURATION_UNIT_SECONDS = { m: 60, h: 3_600, d: 86_400, w: 604_800 };
/** Shortest length of a calendar window, in seconds, for checks that a lookback or delay fits inside it (a February has 28 days; a day of a spring-forward change 23 hours). */
export const CALENDAR_MIN_SECONDS = { day: 82_800, week: 604_800, month: 28 * 86_400 };
/** Longest `description` OpenSLO allows (OpenSLO README, "Notes (SLO)"). */
export const MAX_DESCRIPTION_LENGTH = 1_050;
//# sourceMappingURL=const.js.map