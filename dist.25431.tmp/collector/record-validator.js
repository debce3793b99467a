import { createHash } from 'node:crypto';
import { compileFastPredictionCheck } from "./record-fast-check.js";
import { buildRecordSchemas } from "./record-schema.js";
/** How far ahead of the collector's clock a timestamp may be (clock skew), in ms. */
export const MAX_FUTURE_SKEW_MS = 24 * 3600 * 1000;
/** Raw records kept in quarantine are cut at this many characters. */
export const MAX_QUARANTINED_CHARS = 64 * 1024;
/**
 * Compiles a validator for one model; `retentionDays` bounds how old a timestamp may be (older rows would expire at
 * once). `fastPath: false` checks every record with zod alone (the reference the fast path is tested against).
 */
export function createRecordValidator(model, options) {
    const schemas = buildRecordSchemas(model);
    const fastCheck = options.fastPath === false ? () => false : compileFastPredictionCheck(model);
    // Features by kind, in the schema's order (the order zod's output has them in, whichever path checked the record).
    const kinds = Object.entries(model.features).map(([name, f]) => [name, f.type === 'number' || f.type === 'boolean' ? 'num' : f.type === 'text' ? 'text' : 'str']);
    const retentionMs = options.retentionDays * 24 * 3600 * 1000;
    const checkTime = (value, nowMs) => {
        if (value === undefined || value === null)
            return nowMs;
        const ms = typeof value === 'number' ? value : Date.parse(value);
        if (!Number.isFinite(ms))
            return reject('ts', 'time', `must be an ISO-8601 time or epoch milliseconds, got ${preview(value)}`);
        if (ms > nowMs + MAX_FUTURE_SKEW_MS)
            return reject('ts', 'time', `must not be more than 24 hours in the future, got ${preview(value)}`);
        if (ms < nowMs - retentionMs)
            return reject('ts', 'time', `must be within the retention of ${options.retentionDays} days, got ${preview(value)}`);
        return ms;
    };
    return {
        model,
        prediction(record, nowMs) {
            let r;
            // A record the fast check vouches for is what zod would return; anything else goes through zod.
            if (fastCheck(record))
                r = record;
            else {
                const parsed = schemas.prediction.safeParse(record, { reportInput: true });
                if (!parsed.success)
                    return fromZod(parsed.error);
                r = parsed.data;
            }
            const ts = checkTime(r.ts, nowMs);
            if (typeof ts !== 'number')
                return ts;
            const unencodable = illFormedPrediction(r);
            if (unencodable)
                return unencodable;
            const numFeatures = {};
            const strFeatures = {};
            const textFeatures = {};
            const features = r.features;
            for (const [key, kind] of kinds) {
                const v = Object.hasOwn(features, key) ? features[key] : undefined;
                if (v === null || v === undefined)
                    continue;
                if (kind === 'num')
                    numFeatures[key] = typeof v === 'boolean' ? Number(v) : v;
                else if (kind === 'text')
                    textFeatures[key] = v;
                else
                    strFeatures[key] = v;
            }
            const p = r.prediction;
            return {
                ok: true,
                row: {
                    model: model.name,
                    version: r.version ?? '',
                    id: String(r.id),
                    tsMs: ts,
                    receivedAtMs: nowMs,
                    numFeatures,
                    strFeatures,
                    textFeatures,
                    prediction: typeof p === 'number' ? p : typeof p === 'boolean' ? Number(p) : null,
                    predictionClass: p === null || p === undefined ? '' : typeof p === 'string' ? p : typeof p === 'object' ? argMax(p) : model.task === 'multiclass_classification' ? String(p) : '',
                    predictionScores: p !== null && typeof p === 'object' ? p : {},
                    latencyMs: r.latency_ms ?? null,
                    status: r.status ?? 'ok',
                },
            };
        },
        label(record, nowMs) {
            const parsed = schemas.label.safeParse(record, { reportInput: true });
            if (!parsed.success)
                return fromZod(parsed.error);
            const r = parsed.data;
            const ts = checkTime(r.ts, nowMs);
            if (typeof ts !== 'number')
                return ts;
            const unencodable = illFormed('id', r.id) ?? illFormed('label', r.label);
            if (unencodable)
                return unencodable;
            const l = r.label;
            return {
                ok: true,
                row: {
                    model: model.name,
                    id: String(r.id),
                    tsMs: ts,
                    receivedAtMs: nowMs,
                    label: typeof l === 'number' ? l : typeof l === 'boolean' ? Number(l) : null,
                    labelClass: typeof l === 'string' ? l : model.task === 'multiclass_classification' ? String(l) : '',
                },
            };
        },
        quarantine(kind, record, rejected, nowMs) {
            const raw = safeStringify(record);
            const id = record !== null && typeof record === 'object' && 'id' in record ? record.id : undefined;
            const ts = record !== null && typeof record === 'object' && 'ts' in record ? record.ts : undefined;
            const tsMs = typeof ts === 'number' ? ts : typeof ts === 'string' ? Date.parse(ts) : NaN;
            // Out-of-range times fall back to receipt, like records without one (the ts column must stay insertable).
            const readableTs = Number.isFinite(tsMs) && Math.abs(tsMs - nowMs) <= retentionMs + MAX_FUTURE_SKEW_MS;
            return {
                model: model.name,
                kind,
                receivedAtMs: nowMs,
                // Whole milliseconds: ClickHouse refuses "1795714102996.5" for a DateTime64(3) and with it the whole batch.
                tsMs: readableTs ? Math.floor(tsMs) : nowMs,
                recordId: typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 256) : '',
                recordHash: createHash('sha256').update(kind).update('\0').update(raw).digest('hex').slice(0, 32),
                raw: raw.length > MAX_QUARANTINED_CHARS ? raw.slice(0, MAX_QUARANTINED_CHARS) : raw,
                reasons: rejected.errors,
                fields: rejected.fields,
                rules: rejected.rules,
            };
        },
    };
}
// A lone UTF-16 surrogate ("a\ud800", legal in a JS string and as a JSON escape) has no UTF-8 form: ClickHouse
// refuses it (a 500 for the whole batch), and RowBinary's UTF-8 encoding would store U+FFFD instead, a silent change.
const LONE_SURROGATE = /\p{Cs}/u;
function illFormed(field, value) {
    if (typeof value !== 'string' || !LONE_SURROGATE.test(value))
        return undefined;
    return reject(field, 'type', `must be well-formed UTF-16 text (a lone surrogate has no UTF-8 form), got ${preview(value)}`);
}
function illFormedPrediction(r) {
    const found = illFormed('id', r.id) ?? illFormed('version', r.version);
    if (found)
        return found;
    for (const k in r.features) {
        const v = r.features[k];
        if (typeof v === 'string' && LONE_SURROGATE.test(v))
            return illFormed(`features.${k}`, v);
    }
    const p = r.prediction;
    if (typeof p === 'string')
        return illFormed('prediction', p);
    if (p !== null && typeof p === 'object')
        for (const k of Object.keys(p))
            if (LONE_SURROGATE.test(k))
                return illFormed(`prediction.${k.slice(0, 64)}`, k);
    return undefined;
}
/** A rejection for one field and rule. */
export function reject(field, rule, message) {
    return { ok: false, errors: [`${field}: ${message}`], fields: [field], rules: [rule] };
}
function fromZod(error) {
    const out = { ok: false, errors: [], fields: [], rules: [] };
    for (const issue of error.issues) {
        const path = issue.path.map(String);
        const field = path.join('.') || '(record)';
        if (issue.code === 'unrecognized_keys') {
            const inFeatures = path[0] === 'features';
            for (const key of issue.keys) {
                out.errors.push(`${field === '(record)' ? key : `${field}.${key}`}: is not ${inFeatures ? "in the model's schema" : 'a known field'}`);
                out.fields.push(inFeatures ? `features.${key}` : key);
                out.rules.push(inFeatures ? 'unknown_feature' : 'unknown_field');
            }
            continue;
        }
        const input = issue.input;
        // A missing field fails as invalid_type, or as invalid_union when its schema is a union (id, ts, prediction, label).
        // null counts as missing: a required feature sent as null is "required", not a type error.
        if (issue.code === 'custom' && issue.message.startsWith('is required')) {
            out.errors.push(`${field}: ${issue.message}`);
            out.rules.push('required');
        }
        else if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && (input === undefined || (input === null && path.length > 0))) {
            out.errors.push(path.length === 0 ? '(record): must be a JSON object' : `${field}: is required${input === null ? ', got null' : ''}`);
            out.rules.push('required');
        }
        else {
            const rule = issue.code === 'too_big' && issue.origin === 'string' ? 'length' : issue.code === 'too_small' || issue.code === 'too_big' ? 'range' : issue.code === 'invalid_value' ? 'category' : 'type';
            out.errors.push(`${field}: ${issue.message}, got ${preview(input)}`);
            out.rules.push(rule);
        }
        out.fields.push(field);
    }
    return capped(out);
}
// A record can break thousands of rules (a million unknown keys): keep the first few, each short, and say how
// many more, so quarantine rows and responses stay small.
const MAX_REASONS = 20;
const MAX_REASON_CHARS = 300;
function capped(r) {
    const cut = (m) => (m.length > MAX_REASON_CHARS ? `${m.slice(0, MAX_REASON_CHARS - 3)}...` : m);
    if (r.errors.length <= MAX_REASONS)
        return { ...r, errors: r.errors.map(cut), fields: r.fields.map((f) => f.slice(0, 200)) };
    const more = r.errors.length - MAX_REASONS;
    return {
        ok: false,
        errors: [...r.errors.slice(0, MAX_REASONS).map(cut), `(record): and ${more} more problems`],
        fields: r.fields.slice(0, MAX_REASONS).map((f) => f.slice(0, 200)),
        rules: r.rules.slice(0, MAX_REASONS),
    };
}
function argMax(scores) {
    let best = '';
    let bestScore = -Infinity;
    for (const k in scores) {
        const s = scores[k];
        if (s > bestScore) {
            best = k;
            bestScore = s;
        }
    }
    return best;
}
/** A short, safe rendering of a value for an error message. */
export function preview(value) {
    if (value === undefined)
        return 'nothing';
    if (typeof value === 'string')
        return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
    if (typeof value === 'number' || typeof value === 'boolean' || value === null)
        return String(value);
    if (Array.isArray(value))
        return `an array of ${value.length}`;
    return 'an object';
}
// Records nested deeper than this are kept as a description, not stringified. V8's JSON.stringify overflows its
// stack near 5,000 levels and each overflow costs ~10 ms of blocked event loop (measured): a 32 MB body of such
// records stalled the whole process for 40 s. Real records are a few levels deep.
const MAX_STRINGIFIED_DEPTH = 1_000;
function nestedDeeperThan(value, maxDepth) {
    const stack = [];
    if (value !== null && typeof value === 'object')
        stack.push({ value, depth: 1 });
    for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
        if (item.depth > maxDepth)
            return true;
        for (const child of Array.isArray(item.value) ? item.value : Object.values(item.value)) {
            if (child !== null && typeof child === 'object')
                stack.push({ value: child, depth: item.depth + 1 });
        }
    }
    return false;
}
function safeStringify(value) {
    try {
        if (nestedDeeperThan(value, MAX_STRINGIFIED_DEPTH))
            return JSON.stringify({ unserialisable: `${preview(value)} nested more than ${MAX_STRINGIFIED_DEPTH} levels deep` });
        return JSON.stringify(value) ?? String(value);
    }
    catch {
        // Deeply nested input can overflow the stack; keep what we can say about it rather than lose the record.
        return JSON.stringify({ unserialisable: preview(value) });
    }
}
//# sourceMappingURL=record-validator.js.map