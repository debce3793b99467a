import { burnRate, timesliceBudget } from "../burn-rate/index.js";
/** The slices of [startMs, asOfMs) that have fully elapsed: a slice still filling is not judged yet. */
export function completeSlices(startMs, asOfMs, sliceSeconds) {
    return { startMs, sliceSeconds, count: Math.max(0, Math.floor((asOfMs - startMs) / (sliceSeconds * 1000))) };
}
/** Whether a slice carries data. */
function judged(slice) {
    return slice !== null && (typeof slice === 'boolean' || slice.good + slice.bad > 0);
}
/**
 * Budget figures of the slices that lie wholly inside a window ending at the grid's last slice (OpenSLO
 * `Timeslices`: share of bad slices; `RatioTimeslices`: 1 − mean slice ratio; maths in burn-rate/budget.ts).
 * `windowSeconds` undefined means the whole period. A window shorter than one slice holds none: null.
 */
export function sliceWindow(slices, grid, windowSeconds, method) {
    const take = windowSeconds === undefined ? slices.length : Math.min(slices.length, Math.floor(windowSeconds / grid.sliceSeconds));
    const inWindow = slices.slice(slices.length - take);
    const withData = inWindow.filter(judged);
    if (withData.length === 0)
        return { burnRate: null, judged: 0, good: 0, errorRatio: null };
    const budget = typeof withData[0] === 'boolean'
        ? timesliceBudget({ target: method.target, slices: withData })
        : timesliceBudget({ target: method.target, slices: withData, ...(method.timeSliceTarget === undefined ? {} : { timeSliceTarget: method.timeSliceTarget }) });
    const good = typeof withData[0] === 'boolean'
        ? withData.filter(Boolean).length
        : method.timeSliceTarget === undefined
            ? withData.reduce((s, c) => s + c.good / (c.good + c.bad), 0)
            : withData.filter((c) => c.good / (c.good + c.bad) >= (method.timeSliceTarget ?? 1)).length;
    return { burnRate: burnRate(budget.errorRatio, method.target), judged: withData.length, good, errorRatio: budget.errorRatio };
}
/** Whether `value op threshold` holds (OpenSLO objective `op`, `value`: the slice is good when it does). */
export function compare(value, op, threshold) {
    switch (op) {
        case 'lt':
            return value < threshold;
        case 'lte':
            return value <= threshold;
        case 'gt':
            return value > threshold;
        case 'gte':
            return value >= threshold;
    }
}
/**
 * Counts a threshold SLI's values per slice (several analyzer windows may end in one slice): good when `value op
 * threshold` holds. Budgeting then reads the slice as a ratio: under `Timeslices` it is good when the good share
 * reaches `timeSliceTarget` (OpenSLO), under `RatioTimeslices` its share counts. A slice without a value carries no data.
 */
export function countValues(values, op, threshold) {
    return values.map((vs) => {
        if (vs.length === 0)
            return null;
        const good = vs.filter((v) => compare(v, op, threshold)).length;
        return { good, bad: vs.length - good };
    });
}
//# sourceMappingURL=slices.js.map