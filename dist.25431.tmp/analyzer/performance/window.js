import { assertSameLength, binaryClassificationMetrics } from "../../model-metrics/index.js";
import { estimateCbpe } from "./cbpe.js";
import { CBPE_METRICS } from "./const.js";
/**
 * Joins labels to predictions by id. A label whose id matches no prediction is ignored; when an id
 * has several labels the last one given wins, so pass labels in arrival order and a correction
 * replaces the first label.
 */
export function joinLabelsById(predictionIds, labels) {
    const latest = new Map();
    for (const l of labels)
        latest.set(l.id, l.value);
    const values = new Array(predictionIds.length);
    let labelledRows = 0;
    for (let i = 0; i < predictionIds.length; i++) {
        const id = predictionIds[i];
        if (latest.has(id)) {
            values[i] = latest.get(id);
            labelledRows++;
        }
        else
            values[i] = undefined;
    }
    return { values, labelledRows, coverage: predictionIds.length === 0 ? 0 : labelledRows / predictionIds.length };
}
/**
 * Performance of one window of a binary classifier: the CBPE estimate always, and once the share of
 * rows with a label reaches `minLabelCoverage` the realised metrics on the labelled rows, each
 * estimated metric set against its realised value (difference and whether it fell in the band).
 * `source` says which figure to report. Missing labels are null, undefined or NaN.
 * The coverage level is the caller's setting (from config): no published default exists.
 */
export function assessWindow(model, window) {
    const { scores, labels, minLabelCoverage } = window;
    if (!(minLabelCoverage > 0 && minLabelCoverage <= 1))
        throw new RangeError(`assessWindow: minLabelCoverage must be in (0, 1], got ${String(minLabelCoverage)}`);
    assertSameLength('assessWindow', scores, labels, 'scores', 'labels');
    const n = scores.length;
    const estimated = estimateCbpe(model, { scores });
    let labelledRows = 0;
    for (let i = 0; i < n; i++) {
        const y = labels[i];
        if (y !== null && y !== undefined && !Number.isNaN(y))
            labelledRows++;
    }
    const labelCoverage = n === 0 ? 0 : labelledRows / n;
    if (labelledRows === 0 || labelCoverage < minLabelCoverage) {
        return { rows: n, labelledRows, labelCoverage, source: 'estimated', estimated, realised: null, comparison: null };
    }
    const labelledScores = new Float64Array(labelledRows);
    const labelledLabels = new Float64Array(labelledRows);
    let k = 0;
    for (let i = 0; i < n; i++) {
        const y = labels[i];
        if (y === null || y === undefined || Number.isNaN(y))
            continue;
        labelledScores[k] = scores[i];
        labelledLabels[k++] = y;
    }
    const realised = binaryClassificationMetrics({ labels: labelledLabels, scores: labelledScores, threshold: model.threshold });
    const comparison = {};
    for (const m of CBPE_METRICS) {
        const e = estimated[m];
        const r = realised[m];
        if (!e.ok)
            comparison[m] = e;
        else if (!r.ok)
            comparison[m] = r;
        else
            comparison[m] = { estimated: e.value, realised: r.value, difference: r.value - e.value, withinBand: r.value >= e.lower && r.value <= e.upper };
    }
    return { rows: n, labelledRows, labelCoverage, source: 'realised', estimated, realised, comparison };
}
//# sourceMappingURL=window.js.map