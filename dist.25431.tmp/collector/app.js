import { join } from 'node:path';
import { z } from 'zod';
import { AppError, assertModelAllowed, defineRoute } from "../server/index.js";
import { DurableWriter } from "./durable-writer.js";
import { ingestRecords, parseIngestRequest } from "./ingest.js";
import { CollectorMetrics } from "./metrics.js";
import { createRecordValidator } from "./record-validator.js";
import { ingestResponseSchema, labelRecordDoc, modelSummarySchema, predictionRecordDoc } from "./schemas.js";
import { Spool } from "./spool.js";
const modelParams = z.object({ name: z.string().min(1).max(128) });
const ingestQuery = z.object({ model: z.string().min(1).max(128).optional().describe('Model name for NDJSON bodies (one record per line).') });
/** Builds the collector; a broken invariant (bad spool directory) throws here, not at the first request. */
export function createCollector(options) {
    const { config, logger } = options;
    const now = options.now ?? Date.now;
    const validators = new Map(config.models.map((m) => [m.name, createRecordValidator(m, { retentionDays: config.storage.retentionDays })]));
    const spool = new Spool({ dir: config.ingest.spoolDir ?? join(config.storage.dataDir, 'spool'), maxBytes: config.ingest.spoolMaxBytes });
    // The metrics read the writer's state lazily, at scrape time, after both exist.
    const metrics = new CollectorMetrics(options.registry, () => ({ bytes: spool.bytes, entries: spool.entries, degraded: writer.degraded }));
    const writer = new DurableWriter({
        sink: options.sink,
        spool,
        maxBatchRows: config.ingest.maxBatchRows,
        maxPendingBytes: config.ingest.maxPendingBytes,
        isTransient: options.isTransient,
        acknowledge: config.ingest.acknowledge,
        maxLagBytes: config.ingest.maxLagBytes,
        // `stored`: two groups in flight, so a request that arrives during an insert starts its own at once
        // (bench/RESULTS.md, ingest). `logged`: spool appends are group-committed one at a time.
        maxInFlight: config.ingest.acknowledge === 'stored' ? 2 : 1,
        events: {
            flushed: (rows, seconds, to) => {
                metrics.batchRows.observe({ to }, rows);
                metrics.flushSeconds.observe({ to }, seconds);
            },
            storageError: (operation, error) => {
                metrics.storageErrors.inc({ operation });
                logger.warn('storage error', { operation, error: error instanceof Error ? error.message : String(error) });
            },
            drained: (entry) => logger.info('spool entry drained', { entry }),
            refused: (table, rows, error) => {
                metrics.refusedRows.inc({ table }, rows);
                logger.error('ClickHouse refused rows; kept in spool/dead/', { table, rows, error: error instanceof Error ? error.message : String(error) });
            },
            buried: (entry, error) => {
                metrics.deadLetters.inc();
                logger.error('spool entry refused by ClickHouse, moved to dead/', { entry, error: error instanceof Error ? error.message : String(error) });
            },
        },
    });
    writer.start();
    const validatorFor = (name) => {
        const v = validators.get(name);
        // The configured names are not listed: a key limited to some models must not learn the others.
        if (!v)
            throw new AppError('not_found', `model "${name.slice(0, 128)}" is not configured`);
        return v;
    };
    const ingestRoute = (kind, path, record) => defineRoute({
        method: 'post',
        path,
        scope: 'ingest',
        summary: kind === 'prediction' ? 'Ingest predictions' : 'Ingest labels (may arrive late; newest wins)',
        description: 'JSON `{model, records}` or NDJSON records with `?model=`; may be gzip- or deflate-encoded. Send `X-Highway-Attempt: 2…` on retries: records already stored are not stored again.',
        query: ingestQuery,
        rawBody: { accept: ['json', 'ndjson'], description: 'JSON `{model, records}` or NDJSON records (one per line) with `?model=`.', schema: z.object({ model: z.string(), records: z.array(record) }) },
        maxBodyBytes: config.ingest.maxBodyBytes,
        responses: { 202: { description: 'Valid records made durable; invalid ones quarantined and listed.', schema: ingestResponseSchema }, 404: { description: 'The body names a model that is not configured.' } },
        handle: async ({ query, principal, headers, readBody }) => {
            const request = parseIngestRequest(await readBody(), { model: query.model, maxRecords: config.ingest.maxRecordsPerRequest });
            assertModelAllowed(principal, request.model);
            const validator = validatorFor(request.model);
            const attemptHeader = Number(headers['x-highway-attempt'] ?? 1);
            const attempt = Number.isInteger(attemptHeader) && attemptHeader > 0 ? attemptHeader : 1;
            return { status: 202, json: await ingestRecords(kind, request, { validator, writer, reader: options.reader, metrics, attempt, nowMs: now() }) };
        },
    });
    const summarise = async (models) => {
        const counts = await options.reader.readModelCounts(models.map((m) => m.name));
        return models.map((m) => {
            const c = counts.get(m.name);
            return {
                name: m.name,
                task: m.task,
                predictions: c?.predictions ?? 0,
                labels: c?.labels ?? 0,
                quarantined: c?.quarantined ?? 0,
                last_prediction_at: c?.lastPredictionAtMs ? new Date(c.lastPredictionAtMs).toISOString() : null,
            };
        });
    };
    const routes = [
        ...(options.ingest !== false ? [ingestRoute('prediction', '/v1/predictions', predictionRecordDoc), ingestRoute('label', '/v1/labels', labelRecordDoc)] : []),
        defineRoute({
            method: 'get',
            path: '/v1/models',
            scope: 'read',
            summary: 'Models with their counts (those the key may see)',
            responses: { 200: { description: 'Models', schema: z.object({ models: z.array(modelSummarySchema) }) } },
            handle: async ({ principal }) => ({ json: { models: await summarise(config.models.filter((m) => !principal.models || principal.models.has(m.name))) } }),
        }),
        defineRoute({
            method: 'get',
            path: '/v1/models/{name}',
            scope: 'read',
            modelParam: 'name',
            params: modelParams,
            summary: 'One model with its counts',
            responses: { 200: { description: 'Model', schema: modelSummarySchema } },
            handle: async ({ params }) => ({ json: (await summarise([validatorFor(params.name).model]))[0] }),
        }),
    ];
    return {
        routes,
        writer,
        metrics,
        readiness: () => {
            const r = writer.readiness();
            return { ready: r.ready, fields: { storage: r.storage, spool: { bytes: spool.bytes, entries: spool.entries, max_bytes: spool.maxBytes, state: r.spool }, reasons: r.reasons } };
        },
        close: () => writer.close(),
    };
}
//# sourceMappingURL=app.js.map