import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { z } from 'zod';
import { classifyStatus, computeRetryDelayMs, parseRetryAfterMs } from "./backoff.js";
import { HighwayClientError } from "./error.js";
import { parseClientOptions } from "./options.js";
// Async gzip runs on libuv's thread pool, so a 1000-record batch never stalls the host's event loop.
const gzipAsync = promisify(gzip);
// Same limit as in options.ts: longer setTimeout delays overflow and fire at once.
const MAX_TIMER_MS = 2 ** 31 - 1;
// The collector's 202 body. Only counts are read; `errors` feed the onError message.
const acceptedBodySchema = z.object({
    accepted: z.number().int().min(0),
    rejected: z
        .array(z.object({ index: z.number().int(), errors: z.array(z.string()).optional() }))
        .optional(),
});
/** Creates a client that batches predictions and labels and ships them to a Highway collector. */
export function createHighwayClient(options) {
    const config = parseClientOptions(options);
    const openBatches = new Map();
    const queue = [];
    const unsettled = new Set();
    const backoffTimers = new Set();
    let activeRequests = 0;
    let flushWaiters = 0;
    let closed = false;
    let closing;
    let buffered = 0;
    let inFlight = 0;
    let sent = 0;
    let accepted = 0;
    let rejected = 0;
    let dropped = 0;
    let retries = 0;
    function reportError(error) {
        try {
            config.onError(error);
        }
        catch {
            // The host's own hook failed; there is nowhere left to report to, and throwing would break the host.
        }
    }
    function reportDrop(event) {
        dropped += event.records.length;
        try {
            config.onDrop(event);
        }
        catch (cause) {
            reportError(new HighwayClientError('hook_failed', 'onDrop threw', { cause }));
        }
    }
    function log(kind, model, input) {
        let prepared;
        try {
            prepared = prepareRecord(kind, model, input);
        }
        catch (cause) {
            // A getter or Proxy on the caller's object threw while the record was being read.
            prepared = { ok: false, message: `record could not be read: ${describeCause(cause)}` };
        }
        if (!prepared.ok) {
            reportDrop({ reason: 'invalid_record', kind, model, records: [input], message: prepared.message });
            reportError(new HighwayClientError('invalid_record', `${kind} record dropped: ${prepared.message}`));
            return '';
        }
        // prepareRecord has checked the model.
        const modelName = model;
        if (closed) {
            reportDrop({ reason: 'closed', kind, model: modelName, records: [prepared.record], message: 'client is closed' });
            return prepared.id;
        }
        if (buffered + inFlight >= config.maxBufferedRecords) {
            reportDrop({
                reason: 'buffer_full',
                kind,
                model: modelName,
                records: [prepared.record],
                message: `${config.maxBufferedRecords} records are already buffered or in flight`,
            });
            return prepared.id;
        }
        const key = `${kind}\u0000${modelName}`;
        let batch = openBatches.get(key);
        if (batch === undefined) {
            const timer = setTimeout(() => seal(key), config.flushIntervalMs);
            timer.unref();
            batch = { kind, model: modelName, lines: [], timer };
            openBatches.set(key, batch);
        }
        batch.lines.push(prepared.line);
        buffered += 1;
        if (batch.lines.length >= config.maxBatchRecords)
            seal(key);
        return prepared.id;
    }
    function seal(key) {
        const batch = openBatches.get(key);
        if (batch === undefined)
            return;
        clearTimeout(batch.timer);
        openBatches.delete(key);
        let settle = () => { };
        const settled = new Promise((resolve) => {
            settle = resolve;
        });
        unsettled.add(settled);
        void settled.then(() => unsettled.delete(settled));
        queue.push({ kind: batch.kind, model: batch.model, lines: batch.lines, settle });
        pump();
    }
    function pump() {
        while (activeRequests < config.maxConcurrentRequests) {
            const delivery = queue.shift();
            if (delivery === undefined)
                return;
            const count = delivery.lines.length;
            activeRequests += 1;
            buffered -= count;
            inFlight += count;
            deliver(delivery)
                .catch((cause) => {
                reportError(new HighwayClientError('internal_error', 'delivery failed unexpectedly', { cause }));
                dropDelivery(delivery, 'internal_error', undefined, String(cause));
            })
                .finally(() => {
                activeRequests -= 1;
                inFlight -= count;
                delivery.settle();
                pump();
            });
        }
    }
    async function deliver(delivery) {
        const { kind, model, lines } = delivery;
        const json = `{"model":${JSON.stringify(model)},"records":[${lines.join(',')}]}`;
        // Built once: every attempt sends the same bytes, as the collector's dedup by id expects.
        const body = config.gzip ? new Uint8Array(await gzipAsync(json)) : new TextEncoder().encode(json);
        const url = kind === 'prediction' ? config.predictionsUrl : config.labelsUrl;
        sent += lines.length;
        for (let attempt = 1;; attempt += 1) {
            const result = await attemptRequest(url, body, attempt);
            if (result.outcome === 'delivered') {
                countDelivered(delivery, result.status, result.bodyText);
                return;
            }
            reportError(new HighwayClientError(result.status === undefined ? 'network_error' : 'http_status', result.message, {
                status: result.status,
            }));
            if (result.outcome === 'drop') {
                dropDelivery(delivery, 'non_retryable_status', result.status, result.message);
                return;
            }
            if (attempt > config.maxRetries) {
                dropDelivery(delivery, 'retries_exhausted', result.status, `gave up after ${attempt} attempts: ${result.message}`);
                return;
            }
            const delayMs = computeRetryDelayMs({
                retry: attempt,
                baseMs: config.retryBaseMs,
                maxMs: config.retryMaxMs,
                random: Math.random,
                retryAfterMs: result.retryAfterMs,
            });
            await sleepUntil(Date.now() + delayMs);
            retries += 1;
        }
    }
    async function attemptRequest(url, body, attempt) {
        const headers = {
            'Content-Type': 'application/json',
            'X-Highway-Attempt': String(attempt),
        };
        if (config.gzip)
            headers['Content-Encoding'] = 'gzip';
        if (config.apiKey !== undefined)
            headers['Authorization'] = `Bearer ${config.apiKey}`;
        let status;
        let bodyText;
        let retryAfterHeader;
        try {
            const response = await config.fetch(url, {
                method: 'POST',
                headers,
                body,
                signal: AbortSignal.timeout(config.requestTimeoutMs),
            });
            status = response.status;
            retryAfterHeader = response.headers.get('retry-after');
            // Read the body even on errors so the connection goes back to the pool.
            bodyText = await response.text();
        }
        catch (cause) {
            return { outcome: 'retry', status: undefined, retryAfterMs: undefined, message: `request to ${url} failed: ${describeCause(cause)}` };
        }
        const outcome = classifyStatus(status);
        if (outcome === 'delivered')
            return { outcome, status, bodyText };
        return {
            outcome,
            status,
            retryAfterMs: parseRetryAfterMs(retryAfterHeader, Date.now()),
            message: `collector answered ${status} to ${url}${bodyText === '' ? '' : `: ${truncate(bodyText, 200)}`}`,
        };
    }
    function countDelivered(delivery, status, bodyText) {
        const total = delivery.lines.length;
        const parsed = acceptedBodySchema.safeParse(safeJsonParse(bodyText));
        if (!parsed.success) {
            // The collector took the batch (2xx) but said nothing readable about it: count it accepted.
            accepted += total;
            reportError(new HighwayClientError('invalid_response', `collector answered ${status} with an unreadable body: ${truncate(bodyText, 200)}`, {
                status,
            }));
            return;
        }
        const rejections = (parsed.data.rejected ?? []).filter((entry) => entry.index >= 0 && entry.index < total);
        const rejectedIndices = new Set(rejections.map((entry) => entry.index));
        // Not `parsed.data.accepted`: on a retry the collector may not count records an earlier
        // attempt already delivered, yet they are accepted all the same.
        accepted += total - rejectedIndices.size;
        rejected += rejectedIndices.size;
        if (rejectedIndices.size > 0) {
            const examples = rejections
                .slice(0, 3)
                .map((entry) => `#${entry.index}: ${(entry.errors ?? []).join(', ') || 'no reason given'}`)
                .join('; ');
            reportError(new HighwayClientError('records_rejected', `collector quarantined ${rejectedIndices.size} of ${total} ${delivery.kind} records of model "${delivery.model}" (${examples})`, { status }));
        }
    }
    function dropDelivery(delivery, reason, status, message) {
        const records = delivery.lines.map((line) => JSON.parse(line));
        const event = status === undefined
            ? { reason, kind: delivery.kind, model: delivery.model, records, message }
            : { reason, kind: delivery.kind, model: delivery.model, records, status, message };
        reportDrop(event);
    }
    function sleepUntil(deadlineMs) {
        return new Promise((resolve) => {
            // Re-armed until the deadline has really passed: timers may fire a millisecond early, and a
            // Retry-After is a promise to the collector not to come back sooner.
            const arm = () => {
                const remainingMs = deadlineMs - Date.now();
                if (remainingMs <= 0) {
                    resolve();
                    return;
                }
                const timer = setTimeout(() => {
                    backoffTimers.delete(timer);
                    arm();
                }, Math.min(remainingMs, MAX_TIMER_MS));
                if (flushWaiters === 0)
                    timer.unref();
                backoffTimers.add(timer);
            };
            arm();
        });
    }
    // Timers are unref'd so the SDK never keeps a process alive, except while someone awaits
    // flush()/close(): a script ending in `await client.close()` must not exit mid back-off.
    function refreshTimerRefs() {
        for (const timer of backoffTimers) {
            if (flushWaiters > 0)
                timer.ref();
            else
                timer.unref();
        }
    }
    async function flush() {
        for (const key of [...openBatches.keys()])
            seal(key);
        const waiting = [...unsettled];
        if (waiting.length === 0)
            return;
        flushWaiters += 1;
        refreshTimerRefs();
        try {
            await Promise.all(waiting);
        }
        finally {
            flushWaiters -= 1;
            refreshTimerRefs();
        }
    }
    return {
        logPrediction(model, record) {
            try {
                return log('prediction', model, record);
            }
            catch (cause) {
                // Last line of defence (e.g. a getter on the record that throws): never throw into the host.
                reportError(new HighwayClientError('internal_error', 'logPrediction failed', { cause }));
                return '';
            }
        },
        logLabel(model, record) {
            try {
                log('label', model, record);
            }
            catch (cause) {
                reportError(new HighwayClientError('internal_error', 'logLabel failed', { cause }));
            }
        },
        flush,
        close() {
            if (closing === undefined) {
                closed = true;
                closing = flush();
            }
            return closing;
        },
        stats() {
            return { buffered, inFlight, sent, accepted, rejected, dropped, retries };
        },
    };
}
/**
 * Turns a log call's input into its wire record. Only what the SDK itself relies on is checked
 * (an object, the id, the timestamp, JSON-serialisable); field-level validation is the
 * collector's, which quarantines bad records, so the two schemas cannot drift apart.
 */
function prepareRecord(kind, model, input) {
    if (typeof model !== 'string' || model === '')
        return { ok: false, message: 'model must be a non-empty string' };
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        return { ok: false, message: `record must be an object, got ${input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input}` };
    }
    const fields = input;
    let id;
    if (fields['id'] === undefined && kind === 'prediction') {
        id = randomUUID();
    }
    else if (typeof fields['id'] === 'string' && fields['id'] !== '') {
        id = fields['id'];
    }
    else {
        return {
            ok: false,
            message: kind === 'label' ? 'label id (the prediction id) must be a non-empty string' : 'id must be a non-empty string when given',
        };
    }
    let ts;
    const rawTs = fields['ts'];
    if (rawTs === undefined) {
        ts = Date.now();
    }
    else if ((typeof rawTs === 'string' && rawTs !== '') || (typeof rawTs === 'number' && Number.isFinite(rawTs))) {
        ts = rawTs;
    }
    else {
        return { ok: false, message: 'ts must be an ISO-8601 string or finite epoch milliseconds when given' };
    }
    const record = { ...fields, id, ts };
    let line;
    try {
        line = JSON.stringify(record);
    }
    catch (cause) {
        return { ok: false, message: `record is not JSON-serialisable: ${describeCause(cause)}` };
    }
    // A toJSON on the record could turn it into something other than an object.
    if (line === undefined || !line.startsWith('{'))
        return { ok: false, message: 'record does not serialise to a JSON object' };
    return { ok: true, id, record, line };
}
function safeJsonParse(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
function describeCause(cause) {
    if (cause instanceof Error) {
        // fetch wraps the socket error (ECONNREFUSED, …) in `cause`; that is the useful part.
        const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
        return `${cause.message}${inner}`;
    }
    return String(cause);
}
function truncate(text, maxChars) {
    return text.length > maxChars ? `${text.slice(0, maxChars - 3)}...` : text;
}
//# sourceMappingURL=client.js.map