// Tests of a shift in location that Evidently offers for numerical columns: Student's t-test
// (t_test.py, `scipy.stats.ttest_ind`) and the Mann–Whitney U test (mann_whitney_urank_stattest.py,
// `scipy.stats.mannwhitneyu(x=reference, y=current, alternative="less")`), as SciPy 1.10.1 computes them.
import { checkSampleSizes, CompensatedSum, sortSample } from "./sample.js";
import { normalSf, studentTSf } from "./special-functions.js";
function meanAndSumOfSquares(values) {
    const sum = new CompensatedSum();
    for (const v of values)
        sum.add(v);
    const mean = sum.value() / values.length;
    const ss = new CompensatedSum();
    for (const v of values)
        ss.add((v - mean) * (v - mean));
    return { mean, ss: ss.value() };
}
/**
 * Student's two-sample t-test with pooled variance, SciPy's `ttest_ind(reference, current)`:
 * t = (x̄_ref − x̄_cur) / √(s²_pooled·(1/n₁ + 1/n₂)), df = n₁ + n₂ − 2, two-sided p = 2·t.sf(|t|).
 * When both windows are constant SciPy gives NaN: Highway gives t = 0, p = 1 for equal constants and
 * t = ±Infinity, p = 0 for different ones. Drift when p < 0.05 (Evidently's default).
 */
export function tTestSorted(reference, current) {
    const refused = checkSampleSizes(reference, current);
    if (refused)
        return refused;
    const n1 = reference.length;
    const n2 = current.length;
    const a = meanAndSumOfSquares(reference);
    const b = meanAndSumOfSquares(current);
    const df = n1 + n2 - 2;
    const pooled = (a.ss + b.ss) / df;
    const denominator = Math.sqrt(pooled * (1 / n1 + 1 / n2));
    const difference = a.mean - b.mean;
    if (denominator === 0) {
        return difference === 0 ? { ok: true, statistic: 0, pValue: 1, method: 'exact' } : { ok: true, statistic: difference > 0 ? Infinity : -Infinity, pValue: 0, method: 'exact' };
    }
    const t = difference / denominator;
    return { ok: true, statistic: t, pValue: Math.min(1, 2 * studentTSf(Math.abs(t), df)), method: 'asymptotic' };
}
/** {@link tTestSorted} on unsorted samples (non-finite values dropped). */
export function tTest(reference, current) {
    return tTestSorted(sortSample(reference), sortSample(current));
}
/**
 * Number of arrangements of m and n items with U = k, k = 0 … m·n: the coefficients of the Gaussian
 * binomial [m+n choose m]_q = Π_{j=1..m} (1 − q^{n+j}) / (1 − q^j) (Andrews, "The theory of partitions",
 * 1976, §3.3), which is the distribution SciPy's `_MWU` recursion counts.
 */
function mannWhitneyCounts(m, n) {
    const small = Math.min(m, n);
    const large = Math.max(m, n);
    const size = small * large + 1;
    const c = new Float64Array(size);
    c[0] = 1;
    for (let j = 1; j <= small; j++) {
        const shift = large + j;
        for (let k = size - 1; k >= shift; k--)
            c[k] = c[k] - c[k - shift];
        for (let k = j; k < size; k++)
            c[k] = c[k] + c[k - j];
    }
    return c;
}
/**
 * Mann–Whitney U test as Evidently runs it: `mannwhitneyu(x=reference, y=current, alternative="less")`,
 * SciPy 1.10.1 `method='auto'` (exact when one sample has ≤ 8 values and there are no ties, else the
 * normal approximation with tie correction and continuity correction). The statistic is U₁ of the
 * reference (midranks); the one-sided p-value tests whether the reference tends to be smaller than the
 * current window (Evidently's choice of alternative: a shift of the current window downwards is not
 * flagged). Drift when p < 0.05 (Evidently's default).
 */
export function mannWhitneyUSorted(reference, current) {
    const refused = checkSampleSizes(reference, current);
    if (refused)
        return refused;
    const n1 = reference.length;
    const n2 = current.length;
    const n = n1 + n2;
    let i = 0;
    let j = 0;
    let rank = 0;
    let r1 = 0;
    let tieTerm = 0;
    while (i < n1 || j < n2) {
        const x = Math.min(i < n1 ? reference[i] : Infinity, j < n2 ? current[j] : Infinity);
        let fromRef = 0;
        let fromCur = 0;
        while (i < n1 && reference[i] === x) {
            fromRef++;
            i++;
        }
        while (j < n2 && current[j] === x) {
            fromCur++;
            j++;
        }
        const t = fromRef + fromCur;
        const midrank = rank + (t + 1) / 2;
        r1 += fromRef * midrank;
        tieTerm += t * t * t - t;
        rank += t;
    }
    const u1 = r1 - (n1 * (n1 + 1)) / 2;
    const u2 = n1 * n2 - u1;
    const exact = !(n1 > 8 && n2 > 8) && tieTerm === 0;
    if (exact) {
        const counts = mannWhitneyCounts(n1, n2);
        let total = 0;
        for (const c of counts)
            total += c;
        let below = 0;
        for (let k = 0; k <= n1 * n2 - u2; k++)
            below += counts[k];
        return { ok: true, statistic: u1, pValue: Math.min(1, Math.max(0, below / total)), method: 'exact' };
    }
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    const z = (u2 - (n1 * n2) / 2 - 0.5) / s;
    return { ok: true, statistic: u1, pValue: s === 0 ? 1 : Math.min(1, Math.max(0, normalSf(z))), method: 'asymptotic' };
}
/** {@link mannWhitneyUSorted} on unsorted samples (non-finite values dropped). */
export function mannWhitneyU(reference, current) {
    return mannWhitneyUSorted(sortSample(reference), sortSample(current));
}
//# sourceMappingURL=location-tests.js.map