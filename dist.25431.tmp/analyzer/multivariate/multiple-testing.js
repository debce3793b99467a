/**
 * Corrections for testing many features in one window. Testing 25 features at 5% each flags at least one
 * in 1 − 0.95²⁵ ≈ 72% of perfectly stable windows; these corrections bound that. The arithmetic follows
 * statsmodels `multipletests` (statsmodels/stats/multitest.py, `fdrcorrection` and the `'bonferroni'`
 * branch) operation for operation, so flags agree exactly and adjusted p-values to the last bit.
 */
import { DEFAULT_ALPHA } from "./const.js";
import { requireOpenUnit, requireProbability } from "./validate.js";
/**
 * Benjamini–Hochberg step-up flags, controlling the false discovery rate at `alpha` for independent or
 * positively dependent tests (Benjamini & Hochberg 1995): sort p ascending, find the largest rank i with
 * p(i) ≤ (i / m) · alpha, flag every test up to that rank.
 */
export function benjaminiHochberg(pValues, alpha = DEFAULT_ALPHA) {
    checkInputs(pValues, alpha);
    const m = pValues.length;
    const order = ascendingOrder(pValues);
    let lastRejectedRank = 0;
    order.forEach((index, position) => {
        // statsmodels: ecdffactor = arange(1, m + 1) / m; reject = p_sorted <= ecdffactor * alpha.
        if (at(pValues, index) <= ((position + 1) / m) * alpha)
            lastRejectedRank = position + 1;
    });
    const flags = new Array(m).fill(false);
    for (let position = 0; position < lastRejectedRank; position++)
        flags[at(order, position)] = true;
    return flags;
}
/** Bonferroni flags, controlling the family-wise error rate at `alpha`: p ≤ alpha / m. */
export function bonferroni(pValues, alpha = DEFAULT_ALPHA) {
    checkInputs(pValues, alpha);
    const perTest = alpha / pValues.length;
    return pValues.map((p) => p <= perTest);
}
/**
 * Adjusted p-values, compared with alpha to give the same flags: Benjamini–Hochberg as statsmodels
 * `fdr_bh` (p(i) · m / i, made monotone from the largest rank down, capped at 1) or Bonferroni (p · m, capped).
 */
export function adjustedPValues(pValues, method = 'benjamini-hochberg') {
    pValues.forEach((p, i) => requireProbability(`pValues[${i}]`, p));
    const m = pValues.length;
    if (method === 'bonferroni')
        return pValues.map((p) => Math.min(p * m, 1));
    const order = ascendingOrder(pValues);
    const adjusted = new Array(m);
    let runningMin = Number.POSITIVE_INFINITY;
    for (let position = m - 1; position >= 0; position--) {
        const index = at(order, position);
        // statsmodels divides by ecdffactor = (i / m), not multiplies by m / i: same operation, same last bit.
        runningMin = Math.min(runningMin, at(pValues, index) / ((position + 1) / m));
        adjusted[index] = Math.min(runningMin, 1);
    }
    return adjusted;
}
function checkInputs(pValues, alpha) {
    requireOpenUnit('alpha', alpha);
    pValues.forEach((p, i) => requireProbability(`pValues[${i}]`, p));
}
// Ties may come in any order: flags and adjusted values of tied p-values are equal either way.
function ascendingOrder(values) {
    return values.map((_, i) => i).sort((a, b) => at(values, a) - at(values, b));
}
function at(array, index) {
    return array[index];
}
//# sourceMappingURL=multiple-testing.js.map