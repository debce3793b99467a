// Column lists in the order the encoders below emit them; JSONCompactEachRow is positional (and ~1.8x faster
// to insert than JSONEachRow, measured: docs/storage.md).
const COLUMNS = {
    predictions: ['model', 'version', 'id', 'ts', 'received_at', 'num_features', 'str_features', 'text_features', 'prediction', 'prediction_class', 'prediction_scores', 'latency_ms', 'status'],
    labels: ['model', 'id', 'ts', 'received_at', 'label', 'label_class'],
    quarantine: ['model', 'kind', 'received_at', 'ts', 'record_id', 'record_hash', 'raw', 'reasons', 'fields', 'rules'],
};
// JSON.stringify writes a lone UTF-16 surrogate (JSON can carry one as "\ud800") as a `\udXXX` escape, and
// ClickHouse refuses the whole insert over it ("missing second part of surrogate pair"): one such string would
// fail a group commit of innocent rows and, retried from the spool, bury them all in dead/. Paired surrogates
// come out as raw characters, so a `\udXXX` escape after an even run of backslashes is always a lone one; it
// becomes U+FFFD, as invalid UTF-8 in a request body already does.
const LONE_SURROGATE_ESCAPE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;
function rowLine(values) {
    const line = JSON.stringify(values);
    return line.includes('\\ud') ? line.replace(LONE_SURROGATE_ESCAPE, '$1\\ufffd') : line;
}
/** Columns of a raw table in the positional order its encoder emits them (JSONCompactEachRow). */
export function insertColumns(table) {
    return COLUMNS[table];
}
/** One JSONCompactEachRow line for a prediction (DateTime64(3) columns take epoch milliseconds). */
export function encodePrediction(r) {
    return rowLine([r.model, r.version, r.id, r.tsMs, r.receivedAtMs, r.numFeatures, r.strFeatures, r.textFeatures, r.prediction, r.predictionClass, r.predictionScores, r.latencyMs, r.status]);
}
/** One JSONCompactEachRow line for a label. */
export function encodeLabel(r) {
    return rowLine([r.model, r.id, r.tsMs, r.receivedAtMs, r.label, r.labelClass]);
}
/** One JSONCompactEachRow line for a quarantined record. */
export function encodeQuarantine(r) {
    return rowLine([r.model, r.kind, r.receivedAtMs, r.tsMs, r.recordId, r.recordHash, r.raw, r.reasons, r.fields, r.rules]);
}
//# sourceMappingURL=rows.js.map