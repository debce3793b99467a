import { encodeLabel, encodePrediction, encodeQuarantine } from "../store/index.js";
import { AppError, parseJsonBody } from "../server/index.js";
import { OverloadedError } from "./durable-writer.js";
import { reject } from "./record-validator.js";
import { ingestEnvelopeSchema } from "./schemas.js";
/** Checks the envelope of a body read within limits: JSON `{model, records}` or NDJSON lines with `?model=`. */
export function parseIngestRequest(body, limits) {
    if (body.format === 'ndjson') {
        const model = limits.model;
        if (!model)
            throw new AppError('bad_request', 'model: is required as ?model=<name> for NDJSON bodies');
        const records = [];
        const unparsed = new Map();
        for (const line of body.text.split('\n')) {
            if (line.trim() === '')
                continue;
            if (records.length >= limits.maxRecords)
                throw new AppError('payload_too_large', `records: at most ${limits.maxRecords} per request`);
            try {
                records.push(JSON.parse(line));
            }
            catch (err) {
                unparsed.set(records.length, reject('(record)', 'parse', `line is not valid JSON (${err.message})`));
                records.push(line);
            }
        }
        return { model, records, unparsed, ownsRecords: true };
    }
    const doc = parseJsonBody(body.text);
    const parsed = ingestEnvelopeSchema.safeParse(doc);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue.path.length ? issue.path.join('.') : 'body';
        const detail = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}; expected {model, records}` : issue.message;
        throw new AppError('bad_request', `${where}: ${detail}`);
    }
    if (parsed.data.records.length > limits.maxRecords)
        throw new AppError('payload_too_large', `records: at most ${limits.maxRecords} per request, got ${parsed.data.records.length}`);
    return { model: parsed.data.model, records: parsed.data.records, unparsed: new Map(), ownsRecords: true };
}
/**
 * Validates every record, stores the valid ones and quarantines the rest in one durable submission. On a retry
 * (attempt > 1) records already stored by an earlier attempt are skipped, so a replay counts nothing twice.
 */
export async function ingestRecords(kind, request, deps) {
    const { validator, writer, metrics, nowMs } = deps;
    const model = validator.model.name;
    const rows = [];
    const ids = [];
    const quarantine = [];
    const result = { accepted: 0, rejected: [] };
    let minTs = Infinity;
    let maxTs = -Infinity;
    // A record without ts is stamped with its time of receipt, which differs between attempts: no ts bound then.
    let allTimed = true;
    for (let i = 0; i < request.records.length; i++) {
        const record = request.records[i];
        const checked = request.unparsed.get(i) ?? (kind === 'prediction' ? validator.prediction(record, nowMs) : validator.label(record, nowMs));
        if (checked.ok) {
            const row = checked.row;
            if ('numFeatures' in row) {
                rows.push(encodePrediction(row));
                ids.push(row.id);
                if (record.ts == null)
                    allTimed = false;
                if (row.tsMs < minTs)
                    minTs = row.tsMs;
                if (row.tsMs > maxTs)
                    maxTs = row.tsMs;
            }
            else
                rows.push(encodeLabel(row));
            continue;
        }
        const q = validator.quarantine(kind, record, checked, nowMs);
        quarantine.push({ line: encodeQuarantine(q), hash: q.recordHash });
        result.rejected.push({ index: i, errors: checked.errors });
        metrics.countRejected(model, kind, checked.rules);
    }
    // The parsed records are several times the size of their encoded rows, and the request object lives until the
    // answer is sent: let them go before waiting for the insert, so queued requests hold only their encoded rows.
    if (request.ownsRecords === true)
        request.records.length = 0;
    let keep = rows;
    let keepQuarantine = quarantine;
    if (deps.attempt > 1 && kind === 'prediction') {
        // Earlier attempts must be in ClickHouse before we can see what they stored.
        if (!(await writer.stored()))
            throw new AppError('unavailable', 'storage is catching up after an outage; retry this request later', { retryAfterSeconds: 5 });
        const stored = await deps.reader.findStoredRecords({ model, ids, hashes: quarantine.map((q) => q.hash), ...(ids.length && allTimed ? { fromMs: minTs, toMs: maxTs } : {}) });
        keep = rows.filter((_, i) => !stored.ids.has(ids[i]));
        keepQuarantine = quarantine.filter((q) => !stored.hashes.has(q.hash));
        metrics.deduplicated.inc({ model, kind }, rows.length - keep.length);
    }
    try {
        await writer.submit({
            predictions: kind === 'prediction' ? keep : [],
            labels: kind === 'label' ? keep : [],
            quarantine: keepQuarantine.map((q) => q.line),
        });
    }
    catch (err) {
        if (err instanceof OverloadedError) {
            metrics.overloaded.inc();
            throw new AppError('overloaded', err.message, { retryAfterSeconds: err.retryAfterSeconds });
        }
        throw new AppError('unavailable', 'records could not be made durable; retry later', { retryAfterSeconds: 5, cause: err });
    }
    result.accepted = rows.length;
    metrics.accepted.inc({ model, kind }, rows.length);
    return result;
}
//# sourceMappingURL=ingest.js.map