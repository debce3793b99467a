import { checkSampleSizes, CompensatedSum, notEnoughData, sortSample } from "./sample.js";
// Scholz & Stephens (1987), "K-sample Anderson-Darling tests", JASA 82(399), Table 2: the
// interpolation coefficients SciPy 1.10.1 `anderson_ksamp` uses for its critical values.
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];
const SIGNIFICANCE = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];
/** Least-squares fit of y ≈ c0·x² + c1·x + c2 by Householder QR (the fit `np.polyfit(x, y, 2)` computes). */
function fitQuadratic(xs, ys) {
    const rows = xs.length;
    const a = xs.map((x) => [x * x, x, 1]);
    const b = [...ys];
    for (let col = 0; col < 3; col++) {
        let norm = 0;
        for (let r = col; r < rows; r++)
            norm += a[r]?.[col] ** 2;
        norm = Math.sqrt(norm);
        const pivot = a[col]?.[col];
        const alpha = pivot > 0 ? -norm : norm;
        const v = new Array(rows).fill(0);
        for (let r = col; r < rows; r++)
            v[r] = a[r]?.[col];
        v[col] = v[col] - alpha;
        let vv = 0;
        for (let r = col; r < rows; r++)
            vv += v[r] ** 2;
        if (vv === 0)
            continue;
        for (let c = col; c < 3; c++) {
            let dot = 0;
            for (let r = col; r < rows; r++)
                dot += v[r] * a[r]?.[c];
            const f = (2 * dot) / vv;
            for (let r = col; r < rows; r++)
                a[r][c] = a[r]?.[c] - f * v[r];
        }
        let dot = 0;
        for (let r = col; r < rows; r++)
            dot += v[r] * b[r];
        const f = (2 * dot) / vv;
        for (let r = col; r < rows; r++)
            b[r] = b[r] - f * v[r];
    }
    const c = [0, 0, 0];
    for (let i = 2; i >= 0; i--) {
        let s = b[i];
        for (let j = i + 1; j < 3; j++)
            s -= a[i]?.[j] * c[j];
        c[i] = s / a[i]?.[i];
    }
    return [c[0], c[1], c[2]];
}
// Two samples: m = k − 1 = 1, so SciPy's critical = b0 + b1/√m + b2/m is fixed, and so is the fit.
const CRITICAL_VALUES = B0.map((b0, i) => b0 + B1[i] + B2[i]);
const CRITICAL_MIN = Math.min(...CRITICAL_VALUES);
const CRITICAL_MAX = Math.max(...CRITICAL_VALUES);
const LOG_SIGNIFICANCE_FIT = fitQuadratic(CRITICAL_VALUES, SIGNIFICANCE.map((s) => Math.log(s)));
/**
 * p-value of SciPy 1.10.1 `anderson_ksamp`: exp of a quadratic fitted to (critical value, ln
 * significance), capped at 0.25 below the smallest critical value and floored at 0.001 above the
 * largest (SciPy warns in both cases; the returned number is the cap).
 */
export function andersonPValue(statistic) {
    if (statistic < CRITICAL_MIN)
        return 0.25;
    if (statistic > CRITICAL_MAX)
        return 0.001;
    const [c0, c1, c2] = LOG_SIGNIFICANCE_FIT;
    return Math.exp((c0 * statistic + c1) * statistic + c2);
}
/**
 * A²akN of Scholz & Stephens (1987) eq. 7 (midranks, for ties) for two sorted samples, by one merge
 * over the distinct pooled values instead of SciPy's per-sample `searchsorted` (same sums).
 */
function midrankStatistic(a, b) {
    const n1 = a.length;
    const n2 = b.length;
    const total = n1 + n2;
    const sumA = new CompensatedSum();
    const sumB = new CompensatedSum();
    let i = 0;
    let j = 0;
    while (i < n1 || j < n2) {
        const v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
        const below = i + j;
        const startI = i;
        const startJ = j;
        while (i < n1 && a[i] === v)
            i++;
        while (j < n2 && b[j] === v)
            j++;
        const fa = i - startI;
        const fb = j - startJ;
        const lj = fa + fb;
        const bj = below + lj / 2;
        const denominator = bj * (total - bj) - (total * lj) / 4;
        const weight = lj / total;
        const ma = i - fa / 2;
        const mb = j - fb / 2;
        sumA.add((weight * (total * ma - bj * n1) ** 2) / denominator);
        sumB.add((weight * (total * mb - bj * n2) ** 2) / denominator);
    }
    return ((sumA.value() / n1 + sumB.value() / n2) * (total - 1)) / total;
}
/** Standardised statistic (A²kN − (k−1))/σN of SciPy's `anderson_ksamp` for k = 2 samples. */
function standardise(a2kn, n1, n2) {
    const total = n1 + n2;
    const k = 2;
    const hSum = 1 / n1 + 1 / n2;
    // h = Σ_{i=1}^{N−1} 1/i and g = Σ_{i=1}^{N−2} Σ_{j=i+1}^{N−1} 1/((N−i)·j), accumulated in SciPy's
    // order: cumulative sums of 1/(N−1), 1/(N−2), …, 1/2, each divided by 2, 3, …, N−1.
    const cumulative = new CompensatedSum();
    const gSum = new CompensatedSum();
    for (let idx = 0; idx < total - 2; idx++) {
        cumulative.add(1 / (total - 1 - idx));
        gSum.add(cumulative.value() / (idx + 2));
    }
    const h = cumulative.value() + 1;
    const g = gSum.value();
    const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * hSum;
    const b = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * hSum - 8 * h + 4 * g - 6;
    const c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * hSum + 4 * h;
    const d = (2 * h + 6) * k ** 2 - 4 * h * k;
    // SciPy raises N to powers as Python integers, then rounds once to a double; BigInt does the same.
    const total3 = Number(BigInt(total) ** 3n);
    const total2 = Number(BigInt(total) ** 2n);
    const sigmaSquared = (a * total3 + b * total2 + c * total + d) / ((total - 1) * (total - 2) * (total - 3));
    return (a2kn - (k - 1)) / Math.sqrt(sigmaSquared);
}
/** k-sample Anderson–Darling on sorted finite samples (see {@link andersonKsamp}). */
export function andersonKsampSorted(reference, current) {
    const refusal = checkSampleSizes(reference, current);
    if (refusal)
        return refusal;
    const lowest = Math.min(reference[0], current[0]);
    const highest = Math.max(reference[reference.length - 1], current[current.length - 1]);
    if (lowest === highest) {
        // SciPy raises "anderson_ksamp needs more than one distinct observation".
        return notEnoughData('anderson_ksamp needs at least two distinct values in the pooled windows, got one');
    }
    const statistic = standardise(midrankStatistic(reference, current), reference.length, current.length);
    return { ok: true, statistic, pValue: andersonPValue(statistic) };
}
/**
 * Two-sample Anderson–Darling test, SciPy 1.10.1 `anderson_ksamp([reference, current], midrank=True)`:
 * statistic is SciPy's standardised A², p-value its interpolated, capped [0.001, 0.25] value
 * (Evidently `anderson`: drift when p < 0.1).
 */
export function andersonKsamp(reference, current) {
    return andersonKsampSorted(sortSample(reference), sortSample(current));
}
//# sourceMappingURL=anderson-ksamp.js.map