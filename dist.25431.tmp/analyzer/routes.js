import { AppError, defineRoute } from "../server/index.js";
import { AnalysisError } from "./analyzer.js";
import { scheduledWindow } from "./jobs.js";
import { driftAnswer, modelParams, performanceAnswer, qualityAnswer, referenceAnswer, referenceBody, runAnswer, runBody, windowQuery } from "./schemas.js";
/**
 * Largest reference upload, in bytes. A parsed JSON body costs a few times its size in memory, and every body in
 * flight counts against `ingest.maxInflightBodyBytes` (128 MiB by default): 64 MiB (some 300,000 records of 200
 * bytes) leaves room for ingest. Larger references are taken from stored predictions: `{from, to}`.
 */
export const REFERENCE_MAX_BODY_BYTES = 64 * 1024 * 1024;
const RUN_MAX_BODY_BYTES = 64 * 1024;
/** The analyzer's domain errors as HTTP errors: the one place they are translated. */
function asAppError(err) {
    if (err instanceof AnalysisError)
        throw new AppError(err.code === 'no_reference' || err.code === 'no_result' ? 'conflict' : 'bad_request', err.message);
    throw err;
}
const errors = { 400: { description: 'Bad window or body (names the field)' }, 404: { description: 'Model not configured' } };
/**
 * `/v1/models/{name}/reference`, `/analysis/run`, `/drift`, `/quality`, `/performance`. The GETs never publish
 * gauges: without a window they serve the newest stored result (what the schedule or `analysis/run` stored and
 * published); with one they compute it on demand and store nothing.
 */
export function analyzerRoutes(deps) {
    const now = deps.now ?? Date.now;
    const models = new Map(deps.models.map((m) => [m.name, m]));
    const modelOf = (name) => {
        const m = models.get(name);
        // The configured names are not listed: a key limited to some models must not learn the others.
        if (!m)
            throw new AppError('not_found', `model "${name.slice(0, 128)}" is not configured`);
        return m;
    };
    /** An explicit window, one bound defaulted: `from` to `to − window`, `to` to now. */
    const explicitWindow = (model, q) => {
        const toMs = q.to ?? now();
        return { fromMs: q.from ?? toMs - model.analysis.window * 1000, toMs, version: q.version };
    };
    const read = (job, summary, schema) => defineRoute({
        method: 'get',
        path: `/v1/models/{name}/${job}`,
        scope: 'read',
        modelParam: 'name',
        params: modelParams,
        query: windowQuery,
        summary,
        description: 'Without `from` and `to`: the newest stored result (the last whole window the schedule analysed, or what `POST …/analysis/run` stored), with its window in `from`/`to` and `computed_at`; 409 when none is stored yet. With `from` and/or `to`: that window, computed now; nothing is stored and no gauge changes.',
        responses: { 200: { description: summary, schema }, ...errors, 409: { description: 'No reference (drift), or no stored result yet' } },
        handle: async ({ params, query }) => {
            const model = modelOf(params.name);
            try {
                if (query.from === undefined && query.to === undefined) {
                    const saved = await deps.analyzer.saved(job, model, query.version);
                    return { json: { ...saved.result, computed_at: new Date(saved.computedAtMs).toISOString() } };
                }
                const w = explicitWindow(model, query);
                return { json: await deps.analyzer[job](model, w) };
            }
            catch (err) {
                return asAppError(err);
            }
        },
    });
    return [
        defineRoute({
            method: 'post',
            path: '/v1/models/{name}/reference',
            scope: 'operate',
            modelParam: 'name',
            params: modelParams,
            body: referenceBody,
            maxBodyBytes: deps.maxReferenceBodyBytes ?? REFERENCE_MAX_BODY_BYTES,
            summary: 'Set the reference from records ({records, version?}) or a stored window ({from, to, version?})',
            description: `A body of records is limited to ${(deps.maxReferenceBodyBytes ?? REFERENCE_MAX_BODY_BYTES) / 1024 / 1024} MiB (413 beyond); a larger reference is ingested as predictions first and taken as a window {from, to}.`,
            responses: { 201: { description: 'Reference summary', schema: referenceAnswer }, ...errors, 413: { description: 'Body larger than the limit: use a stored window' } },
            handle: async ({ params, body }) => {
                const model = modelOf(params.name);
                try {
                    const summary = body.records !== undefined
                        ? await deps.analyzer.createReferenceFromRecords(model, body.version, body.records)
                        : await deps.analyzer.createReferenceFromWindow(model, body.version, { fromMs: body.from, toMs: body.to, version: body.version });
                    return { status: 201, json: summary };
                }
                catch (err) {
                    return asAppError(err);
                }
            },
        }),
        defineRoute({
            method: 'post',
            path: '/v1/models/{name}/analysis/run',
            scope: 'operate',
            modelParam: 'name',
            params: modelParams,
            body: runBody,
            maxBodyBytes: RUN_MAX_BODY_BYTES,
            summary: 'Run drift, quality and performance now, store the results and publish their gauges',
            description: 'Body `{from?, to?, version?}`; without from and to, the last whole window aligned to the model window (what the schedule would run). Idempotent per (job, model, version, window).',
            responses: { 200: { description: '{drift, quality, performance, reference}', schema: runAnswer }, ...errors },
            handle: async ({ params, body }) => {
                const model = modelOf(params.name);
                const b = body ?? { version: '' };
                const w = b.from === undefined && b.to === undefined ? { ...scheduledWindow(now(), model.analysis.window), version: b.version } : explicitWindow(model, b);
                try {
                    const out = await deps.analyzer.run(model, w);
                    deps.metrics.run(out);
                    return { json: out };
                }
                catch (err) {
                    return asAppError(err);
                }
            },
        }),
        read('drift', 'Drift of a window against the reference', driftAnswer),
        read('quality', 'Data quality of a window', qualityAnswer),
        read('performance', 'Realised and estimated (CBPE) performance of a window', performanceAnswer),
    ];
}
//# sourceMappingURL=routes.js.map