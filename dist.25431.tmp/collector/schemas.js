import { z } from 'zod';
// Envelopes are checked with these before any record is looked at; records themselves are checked per model
// (record-schema.ts), so a bad record is quarantined while its neighbours are stored.
/** `POST /v1/predictions` and `POST /v1/labels` JSON body: the model and its records. */
export const ingestEnvelopeSchema = z
    .object({
    model: z.string({ error: 'must be a model name (string)' }).min(1, { error: 'must not be empty' }).max(128),
    records: z.array(z.unknown(), { error: 'must be an array of records' }),
})
    .strict();
/** A prediction record, as documented (the model's own schema decides `features`). */
export const predictionRecordDoc = z.object({
    id: z.string().describe('Unique prediction id; labels refer to it.'),
    ts: z.union([z.string(), z.number()]).optional().describe('ISO-8601 time or epoch milliseconds; default: time of receipt.'),
    version: z.string().optional().describe('Model version that made the prediction.'),
    features: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])).describe('Feature values, checked against the model schema.'),
    prediction: z.union([z.number(), z.string(), z.record(z.string(), z.number())]).describe('Score or probability, class name, or class scores.'),
    latency_ms: z.number().optional(),
    status: z.string().optional().describe('"ok" (default) or an error status such as "error".'),
});
/** A label record, as documented. */
export const labelRecordDoc = z.object({
    id: z.string().describe('Id of the prediction this label belongs to.'),
    label: z.union([z.number(), z.string(), z.boolean()]),
    ts: z.union([z.string(), z.number()]).optional(),
});
/** `202` answer of the ingest endpoints. */
export const ingestResponseSchema = z.object({
    accepted: z.number().int().describe('Records stored durably.'),
    rejected: z.array(z.object({ index: z.number().int(), errors: z.array(z.string()) })).describe('Records quarantined, with the reasons.'),
});
/** One model's summary in `GET /v1/models`. */
export const modelSummarySchema = z.object({
    name: z.string(),
    task: z.string(),
    predictions: z.number().int(),
    labels: z.number().int(),
    quarantined: z.number().int(),
    last_prediction_at: z.string().nullable(),
});
/** Error body of every non-2xx answer. */
export const errorSchema = z.object({ error: z.string(), code: z.string() });
//# sourceMappingURL=schemas.js.map