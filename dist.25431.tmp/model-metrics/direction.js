/** Which way is better for every metric this folder computes: scores up, errors and losses down. */
export const METRIC_DIRECTIONS = {
    accuracy: 'higher',
    precision: 'higher',
    recall: 'higher',
    f1: 'higher',
    roc_auc: 'higher',
    pr_auc: 'higher',
    r2: 'higher',
    log_loss: 'lower',
    brier: 'lower',
    ece: 'lower',
    mae: 'lower',
    rmse: 'lower',
    mape: 'lower',
};
/** The direction of a known metric; throws a RangeError listing the known names otherwise. */
export function metricDirection(metric) {
    const direction = METRIC_DIRECTIONS[metric];
    if (!direction)
        throw new RangeError(`unknown metric "${metric}"; known metrics: ${Object.keys(METRIC_DIRECTIONS).join(', ')}`);
    return direction;
}
/** True when `candidate` beats `reference` by more than `margin` (≥ 0) in the metric's direction. */
export function isBetter(candidate, reference, direction, margin = 0) {
    return direction === 'higher' ? candidate > reference + margin : candidate < reference - margin;
}
//# sourceMappingURL=direction.js.map