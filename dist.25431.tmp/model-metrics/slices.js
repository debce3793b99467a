import { binaryClassificationMetrics } from "./binary-classification.js";
import { multiclassClassificationMetrics } from "./multiclass-classification.js";
import { regressionMetrics } from "./regression.js";
/** The slice of rows whose category is missing (null or undefined). */
const MISSING_SLICE = '(missing)';
/**
 * Row indices of each distinct slice value (a missing value forms the slice "(missing)"), indices in row order:
 * slices sorted by value, or largest first with ties by value.
 */
function groupRows(sliceValues, order) {
    const groups = new Map();
    for (let i = 0; i < sliceValues.length; i++) {
        const v = sliceValues[i] ?? MISSING_SLICE;
        const g = groups.get(v);
        if (g === undefined)
            groups.set(v, [i]);
        else
            g.push(i);
    }
    const byValue = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
    const entries = [...groups.entries()];
    entries.sort(order === 'by_value' ? ([a], [b]) => byValue(a, b) : ([a, ga], [b, gb]) => gb.length - ga.length || byValue(a, b));
    return entries.map(([v, rows]) => [v, Int32Array.from(rows)]);
}
function pickNumbers(column, rows) {
    const out = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++)
        out[k] = column[rows[k]];
    return out;
}
function pick(column, rows) {
    const out = new Array(rows.length);
    for (let k = 0; k < rows.length; k++)
        out[k] = column[rows[k]];
    return out;
}
/**
 * Realised metrics per value of a categorical feature (`sliceValues[i]` is row i's value), each with
 * its row count `n`, values in sorted order. The task follows the input's shape: `predictions` →
 * regression, `predicted` → multiclass, otherwise binary. Options (threshold, minRows, eceBins) apply
 * to every slice; a slice below `minRows` is `not_enough_data` like any small window.
 */
export function metricsBySlice(sliceValues, input) {
    if (sliceValues.length !== input.labels.length)
        throw new RangeError(`metricsBySlice: sliceValues has ${sliceValues.length} rows but labels has ${input.labels.length}; they must be aligned row by row`);
    return groupRows(sliceValues, 'by_value').map(([value, rows]) => {
        let metrics;
        if ('predictions' in input) {
            metrics = regressionMetrics({ ...input, labels: pickNumbers(input.labels, rows), predictions: pickNumbers(input.predictions, rows) });
        }
        else if ('predicted' in input) {
            const { scores } = input;
            metrics = multiclassClassificationMetrics({
                ...input,
                labels: pick(input.labels, rows),
                predicted: pick(input.predicted, rows),
                scores: scores === undefined ? undefined : pick(scores, rows),
            });
        }
        else {
            metrics = binaryClassificationMetrics({ ...input, labels: pickNumbers(input.labels, rows), scores: pickNumbers(input.scores, rows) });
        }
        return { value, n: rows.length, metrics };
    });
}
/**
 * The caller's metric set per value of a categorical feature (training's holdout slices): groups row indices by
 * `values[i]` and calls `compute` with each group's indices (in row order). Slices come largest first, ties by
 * value; a null value forms the slice "(missing)". `compute` is e.g.
 * `(idx) => binaryMetricValues({ labels: Array.from(idx, (i) => y[i]), scores: Array.from(idx, (i) => p[i]) })`.
 */
export function computeBySlice(values, compute) {
    return groupRows(values, 'largest_first').map(([value, indices]) => ({ value, count: indices.length, metrics: compute(indices) }));
}
//# sourceMappingURL=slices.js.map