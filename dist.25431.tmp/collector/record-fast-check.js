// Zod costs about 10 µs per record of 25 features (bench/RESULTS.md, "where the time goes"), a sixth of the
// service's CPU per record. Almost every record is valid, and for a valid one zod's output equals the input (no
// transforms, no coercion), so a plain check of the same rules can stand in for it. The check is conservative:
// it knows a subset of the schema's rules and says false for anything it does not know (scores objects, a
// missing prediction, unknown keys, unsafe integers). A rule added to record-schema.ts must be added here too;
// the differential test (record-fast-check.test.ts) runs both over the fuzz payloads and fails on any difference.
const RECORD_KEYS = new Set(['id', 'ts', 'version', 'features', 'prediction', 'latency_ms', 'status']);
const STATUS = /^[a-z][a-z0-9_]{0,31}$/;
const MAX_LATENCY_MS = 3_600_000;
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v) => typeof v === 'number' && Number.isFinite(v);
const isStringOfLength = (v, min, max) => typeof v === 'string' && v.length >= min && v.length <= max;
function featureCheck(spec) {
    switch (spec.type) {
        case 'number': {
            const min = spec.min ?? -Infinity;
            const max = spec.max ?? Infinity;
            // zod's .int() takes safe integers only.
            return spec.integer ? (v) => Number.isSafeInteger(v) && v >= min && v <= max : (v) => isFiniteNumber(v) && v >= min && v <= max;
        }
        case 'category': {
            if (spec.values === undefined)
                return (v) => isStringOfLength(v, 1, 1024);
            const values = new Set(spec.values);
            return (v) => typeof v === 'string' && values.has(v);
        }
        case 'text': {
            const maxLength = spec.maxLength;
            return (v) => isStringOfLength(v, 0, maxLength);
        }
        case 'boolean':
            return (v) => typeof v === 'boolean';
    }
}
function predictionCheck(task) {
    switch (task) {
        case 'binary_classification':
            return (v) => (isFiniteNumber(v) && v >= 0 && v <= 1) || typeof v === 'boolean' || isStringOfLength(v, 1, 256);
        case 'multiclass_classification':
            return (v) => isStringOfLength(v, 1, 256) || (Number.isSafeInteger(v) && v >= 0);
        case 'regression':
            return isFiniteNumber;
    }
}
/** Compiles the fast check for one model's prediction records. */
export function compileFastPredictionCheck(model) {
    const checks = new Map();
    const required = [];
    for (const [name, spec] of Object.entries(model.features)) {
        checks.set(name, featureCheck(spec));
        if (spec.required)
            required.push(name);
    }
    const prediction = predictionCheck(model.task);
    const featuresOk = (features) => {
        if (!isObject(features))
            return false;
        for (const key in features) {
            // An own key only (JSON.parse makes no others); an undeclared one is zod's to reject or strip.
            const check = checks.get(key);
            if (check === undefined || !Object.hasOwn(features, key))
                return false;
            const v = features[key];
            if (v === null || v === undefined)
                continue;
            if (!check(v))
                return false;
        }
        for (const name of required) {
            const v = Object.hasOwn(features, name) ? features[name] : undefined;
            if (v === null || v === undefined)
                return false;
        }
        return true;
    };
    return (record) => {
        if (!isObject(record))
            return false;
        for (const key in record)
            if (!RECORD_KEYS.has(key) || !Object.hasOwn(record, key))
                return false;
        const { id, ts, version, latency_ms: latencyMs, status } = record;
        if (!(isStringOfLength(id, 1, 256) || (Number.isSafeInteger(id) && id >= 0)))
            return false;
        if (ts !== undefined && ts !== null && !(Number.isSafeInteger(ts) || isStringOfLength(ts, 1, 64)))
            return false;
        if (version !== undefined && version !== null && !isStringOfLength(version, 0, 128))
            return false;
        if (latencyMs !== undefined && latencyMs !== null && !(isFiniteNumber(latencyMs) && latencyMs >= 0 && latencyMs <= MAX_LATENCY_MS))
            return false;
        if (status !== undefined && status !== null && !(typeof status === 'string' && STATUS.test(status)))
            return false;
        if (!prediction(record.prediction))
            return false;
        return featuresOk(record.features);
    };
}
//# sourceMappingURL=record-fast-check.js.map