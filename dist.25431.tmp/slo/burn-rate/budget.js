import { assertNonNegative, assertTarget, BurnRateInputError } from "./errors.js";
import { wilsonLowerBound } from "./wilson.js";
/**
 * Burn rate: how many times faster than sustainable the budget is spent, error ratio / (1 − target)
 * (SRE Workbook, "Alerting on SLOs": a burn rate of 1 spends exactly the budget over the period).
 */
export function burnRate(errorRatio, target) {
    assertTarget(target);
    assertNonNegative(errorRatio, 'errorRatio');
    return errorRatio / (1 - target);
}
function budgetFromErrorRatio(errorRatio, target) {
    const consumed = errorRatio / (1 - target);
    return { total: 1, consumed, remaining: 1 - consumed, errorRatio };
}
/**
 * Error budget of the OpenSLO `Occurrences` method: every event counts, error ratio = bad / total,
 * consumed = error ratio / (1 − target). With no events nothing has been spent (consumed 0).
 */
export function errorBudget(input) {
    const { target, goodEvents, totalEvents, wilsonConfidence } = input;
    assertTarget(target);
    assertNonNegative(goodEvents, 'goodEvents');
    assertNonNegative(totalEvents, 'totalEvents');
    if (goodEvents > totalEvents)
        throw new BurnRateInputError('goodEvents', goodEvents, `at most totalEvents (${totalEvents})`);
    if (totalEvents === 0)
        return budgetFromErrorRatio(0, target);
    const goodRatio = wilsonConfidence === undefined ? goodEvents / totalEvents : wilsonLowerBound(goodEvents, totalEvents, wilsonConfidence);
    return budgetFromErrorRatio(1 - goodRatio, target);
}
function isJudged(slices) {
    return slices.every((slice) => slice === null || typeof slice === 'boolean');
}
/**
 * Error budget of the OpenSLO `Timeslices` and `RatioTimeslices` methods (OpenSLO v1 spec, "budgetingMethod").
 * Timeslices: error ratio = bad slices / slices with data. RatioTimeslices: error ratio = 1 − mean of the
 * slices' good ratios, so that a quiet slice weighs as much as a busy one (the point of the method for
 * statistical SLIs computed per slice). Budget fractions as in {@link errorBudget}.
 */
export function timesliceBudget(input) {
    const { target, slices } = input;
    assertTarget(target);
    if (isJudged(slices)) {
        const judged = slices.filter((slice) => slice !== null);
        const bad = judged.filter((good) => !good).length;
        return withMethod('Timeslices', judged.length, judged.length === 0 ? 0 : bad / judged.length, target);
    }
    const counted = slices.filter((slice, index) => {
        assertNonNegative(slice.good, `slices[${index}].good`);
        assertNonNegative(slice.bad, `slices[${index}].bad`);
        return slice.good + slice.bad > 0;
    });
    const ratios = counted.map((slice) => slice.good / (slice.good + slice.bad));
    const timeSliceTarget = 'timeSliceTarget' in input ? input.timeSliceTarget : undefined;
    if (timeSliceTarget !== undefined) {
        if (!(timeSliceTarget > 0 && timeSliceTarget <= 1)) {
            throw new BurnRateInputError('timeSliceTarget', timeSliceTarget, 'a ratio > 0 and ≤ 1');
        }
        const bad = ratios.filter((ratio) => ratio < timeSliceTarget).length;
        return withMethod('Timeslices', ratios.length, ratios.length === 0 ? 0 : bad / ratios.length, target);
    }
    const meanGood = ratios.length === 0 ? 1 : ratios.reduce((sum, ratio) => sum + ratio, 0) / ratios.length;
    return withMethod('RatioTimeslices', ratios.length, 1 - meanGood, target);
}
function withMethod(method, slicesCounted, errorRatio, target) {
    return { ...budgetFromErrorRatio(errorRatio, target), method, slicesCounted };
}
/**
 * Seconds until the remaining budget is gone if the current burn rate holds:
 * remaining × period / burn rate (a burn rate of b spends b / period of the budget per second).
 *
 * Returns `null` when there is nothing to project: the burn rate is ≤ 0 (the budget never runs out) or
 * the budget is already spent (remaining ≤ 0; the caller tells the two apart by `remaining`). The
 * projection is linear: in a rolling window old errors also age out, so it is a worst case.
 */
export function timeToExhaustionSeconds(input) {
    const { remaining, burnRate: rate, periodSeconds } = input;
    if (!(Number.isFinite(periodSeconds) && periodSeconds > 0)) {
        throw new BurnRateInputError('periodSeconds', periodSeconds, 'a positive number of seconds');
    }
    if (Number.isNaN(remaining) || Number.isNaN(rate))
        throw new BurnRateInputError('remaining, burnRate', [remaining, rate], 'numbers');
    if (rate <= 0 || remaining <= 0)
        return null;
    return (remaining * periodSeconds) / rate;
}
//# sourceMappingURL=budget.js.map