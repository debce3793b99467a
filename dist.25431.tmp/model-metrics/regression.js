import { FLOAT64_EPS, REGRESSION_METRICS } from "./const.js";
import { assertFinite, assertSameLength, fillOutcomes, metricValue, notEnoughData, outcomeValues, resolveMinRows } from "./outcome.js";
const WHAT = 'regressionMetrics';
/**
 * Metrics of a regressor over one window (production) or evaluation set (a version's holdout), as scikit-learn
 * 1.2 defines them.
 *
 * - mae: mean |y − ŷ| (`mean_absolute_error`).
 * - rmse: √(mean (y − ŷ)²) (`mean_squared_error(squared=False)`).
 * - mape: mean |y − ŷ| / max(|y|, eps), eps = 2^-52 (`mean_absolute_percentage_error`): a label of 0
 *   makes it explode (≈ 4.5e15 × |ŷ|) rather than divide by zero. A fraction, not a percentage.
 * - r2: 1 − SS_res / SS_tot (`r2_score`, force_finite=True): 1.0 when SS_res = 0 (even for
 *   constant labels), 0.0 when labels are constant but predictions are not; `not_enough_data`
 *   below two rows, where sklearn warns and returns NaN. Labels that are all identical count as
 *   constant exactly (SS_tot = 0), whatever rounding the mean would add.
 *
 * Throws RangeError on misaligned columns or non-finite values.
 */
export function regressionMetrics(input) {
    const { labels, predictions } = input;
    const minRows = resolveMinRows(WHAT, input.minRows);
    assertSameLength(WHAT, labels, predictions, 'labels', 'predictions');
    assertFinite(WHAT, 'labels', labels);
    assertFinite(WHAT, 'predictions', predictions);
    const n = labels.length;
    if (n < minRows)
        return fillOutcomes(REGRESSION_METRICS, notEnoughData(n === 0 ? 'the window has no rows' : `the window has ${n} rows, fewer than the ${minRows} required`));
    let absolute = 0;
    let squared = 0;
    let percentage = 0;
    let labelSum = 0;
    let constant = true;
    const first = labels[0];
    const eps = FLOAT64_EPS;
    for (let i = 0; i < n; i++) {
        const y = labels[i];
        const e = y - predictions[i];
        absolute += Math.abs(e);
        squared += e * e;
        percentage += Math.abs(e) / Math.max(Math.abs(y), eps);
        labelSum += y;
        if (y !== first)
            constant = false;
    }
    let r2;
    if (n < 2)
        r2 = notEnoughData('R² needs at least two rows');
    else if (squared === 0)
        r2 = metricValue(1);
    else if (constant)
        r2 = metricValue(0);
    else {
        const mean = labelSum / n;
        let total = 0;
        for (let i = 0; i < n; i++) {
            const d = labels[i] - mean;
            total += d * d;
        }
        r2 = total === 0 ? metricValue(0) : metricValue(1 - squared / total);
    }
    return {
        mae: metricValue(absolute / n),
        rmse: metricValue(Math.sqrt(squared / n)),
        mape: metricValue(percentage / n),
        r2,
    };
}
/** regressionMetrics as training reports it: the same outcomes as `number | null`, after the row count. */
export function regressionMetricValues(input) {
    return { rows: input.labels.length, ...outcomeValues(regressionMetrics(input)) };
}
//# sourceMappingURL=regression.js.map