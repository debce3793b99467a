/** A computed metric value. */
export function metricValue(value) {
    return { ok: true, value };
}
/** A metric the window has too few rows for. */
export function notEnoughData(detail) {
    return { ok: false, reason: 'not_enough_data', detail };
}
/** A metric the data cannot define (e.g. ROC AUC with one class). */
export function undefinedMetric(detail) {
    return { ok: false, reason: 'undefined_metric', detail };
}
/** The same outcome for every metric of a set. */
export function fillOutcomes(metrics, outcome) {
    const out = {};
    for (const m of metrics)
        out[m] = outcome;
    return out;
}
/** Checks that two columns have the same length; a mismatch is a caller bug, so it throws. */
export function assertSameLength(what, a, b, aName, bName) {
    if (a.length !== b.length)
        throw new RangeError(`${what}: ${aName} has ${a.length} rows but ${bName} has ${b.length}; they must be aligned row by row`);
}
/** Checks every value is finite; NaN or ±Infinity is a caller bug, so it throws naming the row. */
export function assertFinite(what, name, values) {
    for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (!Number.isFinite(v))
            throw new RangeError(`${what}: ${name}[${i}] must be a finite number, got ${String(v)}`);
    }
}
/** Checks every binary label is 0 or 1. */
export function assertBinaryLabels(what, labels) {
    for (let i = 0; i < labels.length; i++) {
        const v = labels[i];
        if (v !== 0 && v !== 1)
            throw new RangeError(`${what}: labels[${i}] must be 0 or 1, got ${String(v)}`);
    }
}
/** Checks a minimum-rows option. */
export function resolveMinRows(what, minRows) {
    const m = minRows ?? 1;
    if (!Number.isInteger(m) || m < 1)
        throw new RangeError(`${what}: minRows must be an integer of at least 1, got ${String(minRows)}`);
    return m;
}
/** Outcomes as `number | null`, in the same key order: the value, or null where there is none (training's figures). */
export function outcomeValues(outcomes) {
    const out = {};
    for (const [k, o] of Object.entries(outcomes))
        out[k] = o.ok ? o.value : null;
    return out;
}
//# sourceMappingURL=outcome.js.map