import { z } from 'zod';
const finite = (what) => z.number({ error: `must be ${what}` }).refine(Number.isFinite, { message: `must be ${what}` });
/** The zod schema of one feature's value (type, range, categories, length; nullish when optional): shared with the data pipeline. */
export function featureSchema(spec) {
    let schema;
    switch (spec.type) {
        case 'number': {
            const range = spec.min !== undefined && spec.max !== undefined
                ? ` from ${spec.min} to ${spec.max}`
                : spec.min !== undefined
                    ? ` of at least ${spec.min}`
                    : spec.max !== undefined
                        ? ` of at most ${spec.max}`
                        : '';
            const what = `${spec.integer ? 'an integer' : 'a number'}${range}`;
            let n = z.number({ error: `must be ${what}` });
            if (spec.integer)
                n = n.int({ error: `must be ${what}` });
            if (spec.min !== undefined)
                n = n.min(spec.min, { error: `must be ${what}` });
            if (spec.max !== undefined)
                n = n.max(spec.max, { error: `must be ${what}` });
            // z.number() already refuses NaN and ±Infinity (JSON cannot carry them anyway).
            schema = n;
            break;
        }
        case 'category':
            schema = spec.values
                ? z.enum(spec.values, { error: `must be one of ${spec.values.join(', ')}` })
                : z.string({ error: 'must be a string category' }).min(1, { error: 'must be a non-empty string category' }).max(1024, { error: 'must be at most 1024 characters' });
            break;
        case 'text':
            schema = z.string({ error: 'must be a string' }).max(spec.maxLength, { error: `must be at most ${spec.maxLength} characters` });
            break;
        case 'boolean':
            schema = z.boolean({ error: 'must be true or false' });
            break;
    }
    return spec.required ? schema : schema.nullish();
}
const BINARY_RULE = 'must be a probability from 0 to 1, a class name, or class scores';
function predictionSchema(task) {
    const scores = z.record(z.string().min(1).max(256), finite('a finite number')).refine((r) => Object.keys(r).length > 0, { message: 'must name at least one class' });
    switch (task) {
        case 'binary_classification':
            return z.union([z.number().min(0, { error: BINARY_RULE }).max(1, { error: BINARY_RULE }), z.boolean(), z.string().min(1, { error: BINARY_RULE }).max(256, { error: BINARY_RULE }), scores], {
                error: BINARY_RULE,
            });
        case 'multiclass_classification':
            return z.union([z.string().min(1).max(256), z.number().int().min(0), scores], { error: 'must be a class name, a class index, or class scores' });
        case 'regression':
            return finite('a finite number');
    }
}
function labelSchema(task) {
    switch (task) {
        case 'binary_classification':
            return z.union([z.literal(0), z.literal(1), z.boolean(), z.string().min(1).max(256)], { error: 'must be 0, 1, true, false, or a class name' });
        case 'multiclass_classification':
            return z.union([z.string().min(1).max(256), z.number().int().min(0)], { error: 'must be a class name or a class index' });
        case 'regression':
            return finite('a finite number');
    }
}
const ID_RULE = 'must be a non-empty string of at most 256 characters, or a non-negative integer up to 2^53 - 1';
const idSchema = z.union([z.string().min(1, { error: ID_RULE }).max(256, { error: ID_RULE }), z.number().int({ error: ID_RULE }).min(0, { error: ID_RULE }).max(Number.MAX_SAFE_INTEGER, { error: ID_RULE })], { error: ID_RULE });
const tsSchema = z.union([z.number().int(), z.string().min(1).max(64)], { error: 'must be an ISO-8601 time or epoch milliseconds' });
/** Builds a model's record schemas from its config; `unknownFeatures: drop` strips undeclared features instead of rejecting. */
export function buildRecordSchemas(model) {
    const shape = {};
    for (const [name, spec] of Object.entries(model.features))
        shape[name] = featureSchema(spec);
    const features = model.unknownFeatures === 'drop' ? z.object(shape) : z.object(shape).strict();
    return {
        prediction: z
            .object({
            id: idSchema,
            ts: tsSchema.nullish(),
            version: z.string({ error: 'must be a string' }).max(128, { error: 'must be at most 128 characters' }).nullish(),
            features,
            // A failed request (status other than "ok") may have no prediction; a successful one must.
            prediction: predictionSchema(model.task).nullish(),
            latency_ms: z.number({ error: 'must be a number of milliseconds from 0 to 3600000' }).min(0, { error: 'must be a number of milliseconds from 0 to 3600000' }).max(3_600_000, { error: 'must be a number of milliseconds from 0 to 3600000' }).nullish(),
            status: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, { error: 'must be "ok" or a short lower-case word such as "error" or "timeout"' }).nullish(),
        })
            .strict()
            .superRefine((r, ctx) => {
            if ((r.status ?? 'ok') === 'ok' && (r.prediction === null || r.prediction === undefined)) {
                ctx.addIssue({ code: 'custom', path: ['prediction'], message: 'is required when status is "ok" (only a failed prediction may omit it)' });
            }
        }),
        label: z.object({ id: idSchema, label: labelSchema(model.task), ts: tsSchema.nullish() }).strict(),
    };
}
//# sourceMappingURL=record-schema.js.map