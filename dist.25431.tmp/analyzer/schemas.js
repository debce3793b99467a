import { z } from 'zod';
import { MAX_WINDOW_MS, MIN_WINDOW_MS } from "./analyzer.js";
// The analyzer's HTTP input (validated by the shell: a failure is a 400 naming field, rule and value) and its
// answers (documentation for /openapi.json; the handlers build the values from the result types).
const RANGE = `a time from 1900-01-01 to 2299-12-31: ISO-8601, or epoch milliseconds ${MIN_WINDOW_MS} to ${MAX_WINDOW_MS}`;
const ISO_TIME = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);
const EPOCH_MS = /^[+-]?\d+(\.\d*)?(e[+-]?\d+)?$/i;
/**
 * A window bound: ISO-8601 or epoch milliseconds, within what ClickHouse's DateTime64(3) holds (a JS Date holds
 * more, but the store would refuse it, and beyond ±8.64e15 `toISOString` throws).
 */
export const timeSchema = z
    .union([z.string(), z.number()])
    .transform((v, ctx) => {
    const ms = typeof v === 'number' ? v : EPOCH_MS.test(v.trim()) ? Number(v) : ISO_TIME.safeParse(v).success ? Date.parse(v) : NaN;
    if (Number.isInteger(ms) && ms >= MIN_WINDOW_MS && ms <= MAX_WINDOW_MS)
        return ms;
    ctx.addIssue({ code: 'custom', message: `must be ${RANGE}`, input: v });
    return z.NEVER;
})
    .describe(`Window bound: ${RANGE}.`);
const version = z.string().max(128).default('').describe("Model version; '' (default) is every version.");
/** Path of every analyzer route. */
export const modelParams = z.object({ name: z.string().min(1).max(128) });
/** `GET …/drift|quality|performance`: no window serves the newest stored result; a window is computed on demand. */
export const windowQuery = z
    .object({
    from: timeSchema.optional().describe('Start (inclusive). Without from and to: the newest stored result. Default with to alone: to minus the model window.'),
    to: timeSchema.optional().describe('End (exclusive). Default with from alone: now.'),
    version,
})
    .strict();
/** `POST …/analysis/run`: a window to compute and store, or none for the last whole (aligned) window. */
export const runBody = z
    .object({ from: timeSchema.optional(), to: timeSchema.optional(), version })
    .strict()
    .optional();
/** `POST …/reference`: records, or a stored window to copy. */
export const referenceBody = z
    .object({
    records: z.array(z.unknown()).min(1).max(1_000_000).optional().describe('Prediction records with an optional `label`.'),
    from: timeSchema.optional().describe('Start of a stored window to copy (with `to`), for references larger than a request body.'),
    to: timeSchema.optional(),
    version,
})
    .strict()
    .superRefine((b, ctx) => {
    const window = b.from !== undefined || b.to !== undefined;
    if (b.records !== undefined && window)
        ctx.addIssue({ code: 'custom', message: 'give records or a window {from, to}, not both', path: ['records'] });
    else if (b.records === undefined && !window)
        ctx.addIssue({ code: 'custom', message: 'is required: give records, or a stored window {from, to}', path: ['records'] });
    else if (window && (b.from === undefined || b.to === undefined))
        ctx.addIssue({ code: 'custom', message: 'is required with a window: give both from and to', path: [b.from === undefined ? 'from' : 'to'] });
});
const column = z
    .object({
    feature: z.string(),
    kind: z.enum(['numerical', 'categorical', 'text']),
    test: z.string(),
    statistic: z.number().nullable(),
    p_value: z.number().nullable(),
    threshold: z.number(),
    drifted: z.boolean(),
    method: z.string(),
    n_reference: z.number(),
    n_current: z.number(),
    status: z.enum(['ok', 'not_enough_data']),
})
    .loose();
const computedAt = z.string().optional().describe('When a stored result was computed (only on stored results).');
/** A drift answer (docs/analyzer.md). */
export const driftAnswer = z
    .object({
    model: z.string(),
    version: z.string(),
    from: z.string().describe('Window start (ISO-8601).'),
    to: z.string().describe('Window end (ISO-8601).'),
    computed_at: computedAt,
    reference: z.object({ n: z.number(), id: z.string(), source: z.string() }),
    current: z.object({ n: z.number() }),
    dataset: z.object({ drift_share: z.number(), drifted: z.boolean(), share_threshold: z.number(), features: z.number(), drifted_features: z.number() }),
    features: z.array(column),
    prediction: column.nullable(),
    label: column.nullable(),
    multivariate: z.object({ method: z.literal('pca_reconstruction'), statistic: z.number().nullable(), lower: z.number().nullable(), upper: z.number().nullable(), drifted: z.boolean(), n_current: z.number() }).nullable(),
    correction: z.enum(['none', 'bh', 'bonferroni']),
})
    .loose();
/** A data quality answer. */
export const qualityAnswer = z
    .object({
    model: z.string(),
    from: z.string(),
    to: z.string(),
    computed_at: computedAt,
    status: z.enum(['ok', 'not_enough_data']),
    rows: z.number(),
    quarantined: z.number(),
    features: z.array(z.object({ feature: z.string(), missing_share: z.number(), out_of_range_share: z.number(), type_error_share: z.number(), unseen_category_share: z.number(), constant: z.boolean() }).loose()),
    volume: z.object({ rows: z.number(), expected: z.number().nullable(), ratio: z.number().nullable(), anomalous: z.boolean() }),
    freshness: z.object({ prediction_seconds: z.number().nullable(), label_seconds: z.number().nullable() }),
    label_coverage: z.number().nullable(),
    duplicate_ids: z.number(),
})
    .loose();
/** A performance answer. */
export const performanceAnswer = z
    .object({
    model: z.string(),
    version: z.string(),
    from: z.string(),
    to: z.string(),
    computed_at: computedAt,
    n_predictions: z.number(),
    n_labeled: z.number(),
    label_coverage: z.number().nullable(),
    source: z.enum(['realised', 'estimated', 'none']),
    realised: z.record(z.string(), z.number().nullable()),
    estimated: z.record(z.string(), z.object({ value: z.number(), lower: z.number(), upper: z.number() }).nullable()),
})
    .loose();
/** `POST …/analysis/run` answer: what was computed and stored. */
export const runAnswer = z.object({ drift: driftAnswer.nullable().describe('null without a reference'), quality: qualityAnswer, performance: performanceAnswer, reference: z.string().nullable() });
/** `POST …/reference` answer. */
export const referenceAnswer = z.object({
    model: z.string(),
    version: z.string(),
    reference_id: z.string(),
    source: z.enum(['records', 'window']),
    rows: z.number(),
    sampled_rows: z.number(),
    rejected: z.array(z.object({ index: z.number(), errors: z.array(z.string()) })),
    features: z.record(z.string(), z.object({ kind: z.string(), n: z.number(), missing: z.number() })),
    multivariate: z.object({ status: z.enum(['fitted', 'skipped']), reason: z.string().nullable() }).describe('Whether multivariate (PCA) drift has a model for this reference, and if not, why.'),
});
//# sourceMappingURL=schemas.js.map