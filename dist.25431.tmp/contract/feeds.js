import { TEXT_VECTOR_SUFFIX } from "./signature.js";
function describe(value) {
    if (value === undefined)
        return 'nothing';
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
/**
 * Checks one record's features against the signature: every key must be a signature input, and each value of the
 * input's type or null (missing: NaN for numbers, "" for categories and text — the graph imputes). Returns
 * sentences naming the field, the rule and the value; empty when the record is usable.
 */
export function checkFeatures(signature, features, path) {
    const errors = [];
    const types = new Map(signature.inputs.map((i) => [i.name, i.type]));
    for (const key of Object.keys(features)) {
        if (!types.has(key))
            errors.push(`${path}.${key}: is not an input of this model (inputs: ${signature.inputs.map((i) => i.name).join(', ')})`);
    }
    for (const input of signature.inputs) {
        const v = features[input.name];
        if (v === null || v === undefined)
            continue;
        const where = `${path}.${input.name}`;
        switch (input.type) {
            case 'number':
                if (typeof v !== 'number' || !Number.isFinite(v))
                    errors.push(`${where}: must be a finite number or null, got ${describe(v)}`);
                break;
            case 'boolean':
                if (typeof v !== 'boolean')
                    errors.push(`${where}: must be true, false or null, got ${describe(v)}`);
                break;
            case 'category':
            case 'text':
                if (typeof v !== 'string')
                    errors.push(`${where}: must be a string or null, got ${describe(v)}`);
                break;
        }
    }
    return errors;
}
/** Builds the graph feeds of checked records, per the graph contract in contract/signature.ts. */
export function buildFeeds(signature, records, featurizeText) {
    const n = records.length;
    const feeds = {};
    for (const input of signature.inputs) {
        const values = records.map((r) => r[input.name]);
        if (input.type === 'number' || input.type === 'boolean') {
            const data = new Float64Array(n);
            for (let i = 0; i < n; i++) {
                const v = values[i];
                data[i] = v === null || v === undefined ? Number.NaN : typeof v === 'boolean' ? Number(v) : v;
            }
            feeds[input.name] = { type: 'float64', dims: [n, 1], data };
        }
        else if (input.type === 'category') {
            feeds[input.name] = { type: 'string', dims: [n, 1], data: values.map((v) => (typeof v === 'string' ? v : '')) };
        }
        else {
            const transform = signature.text.find((t) => t.kind === 'text' && t.name === input.name);
            if (!transform)
                throw new Error(`text input "${input.name}" has no featuriser in the signature's text list`);
            if (!featurizeText)
                throw new Error(`text input "${input.name}" needs the text featuriser, and none is configured`);
            const width = transform.vocabulary.length;
            const data = featurizeText(transform, values.map((v) => (typeof v === 'string' ? v : '')));
            if (data.length !== n * width)
                throw new Error(`text featuriser returned ${data.length} values for ${n} × ${width}`);
            feeds[`${input.name}${TEXT_VECTOR_SUFFIX}`] = { type: 'float64', dims: [n, width], data };
        }
    }
    return feeds;
}
/** The graph output a signature's task reads. */
export function outputNameOf(signature) {
    return signature.task === 'regression' ? 'prediction' : 'probabilities';
}
/** Reads n rows of the contract output (`prediction` [N,1] or `probabilities` [N,C]). */
export function readOutputRows(signature, outputs, n) {
    const name = outputNameOf(signature);
    const t = outputs[name];
    if (!t)
        throw new Error(`the graph returned no "${name}" output (got ${Object.keys(outputs).join(', ') || 'none'})`);
    const data = t.data;
    if (Array.isArray(data) || data instanceof BigInt64Array)
        throw new Error(`output "${name}" must be a floating-point tensor, got ${t.type}`);
    const rows = [];
    if (signature.task === 'regression') {
        if (data.length !== n)
            throw new Error(`output "prediction" holds ${data.length} values for ${n} rows`);
        for (let i = 0; i < n; i++)
            rows.push({ prediction: data[i], logged: data[i] });
        return rows;
    }
    const classes = signature.classes ?? [];
    const c = classes.length;
    if (c === 0)
        throw new Error('a classification signature must list its classes');
    if (data.length !== n * c)
        throw new Error(`output "probabilities" holds ${data.length} values for ${n} rows × ${c} classes`);
    for (let i = 0; i < n; i++) {
        const scores = {};
        let best = 0;
        for (let j = 0; j < c; j++) {
            scores[classes[j]] = data[i * c + j];
            if (data[i * c + j] > data[i * c + best])
                best = j;
        }
        // Binary: the log keeps p(positive class) so realised AUC and calibration can be computed from it.
        const logged = signature.task === 'binary_classification' && c === 2 ? data[i * c + 1] : scores;
        rows.push({ prediction: classes[best], scores, logged });
    }
    return rows;
}
//# sourceMappingURL=feeds.js.map