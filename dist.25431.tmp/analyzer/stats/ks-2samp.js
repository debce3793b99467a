import { KS_EXACT_MAX_N } from "./const.js";
import { gcd, kolmogornSf, outerProbInside, probOutsideSquare, roundHalfEven } from "./kolmogorov.js";
import { checkSampleSizes, sortSample } from "./sample.js";
/** Largest |F_ref − F_cur| over the pooled sample, by one merge of the two sorted samples (SciPy evaluates both ECDFs with `searchsorted(side='right')`). */
function ksStatistic(a, b) {
    const n1 = a.length;
    const n2 = b.length;
    let i = 0;
    let j = 0;
    let maxDiff = -Infinity;
    let minDiff = Infinity;
    while (i < n1 || j < n2) {
        const v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
        while (i < n1 && a[i] === v)
            i++;
        while (j < n2 && b[j] === v)
            j++;
        const diff = i / n1 - j / n2;
        if (diff > maxDiff)
            maxDiff = diff;
        if (diff < minDiff)
            minDiff = diff;
    }
    // SciPy: minS = clip(−min, 0, 1); two-sided picks minS only when it is strictly larger.
    const minS = Math.min(Math.max(-minDiff, 0), 1);
    return minS > maxDiff ? minS : maxDiff;
}
/** Two-sided asymptotic p-value: kstwo.sf(d, round(m·n/(m+n))) as in SciPy's `ks_2samp(method='asymp')`. */
function ksAsymptoticPValue(n1, n2, d) {
    const m = Math.max(n1, n2);
    const n = Math.min(n1, n2);
    const en = (m * n) / (m + n);
    return Math.min(1, Math.max(0, kolmogornSf(roundHalfEven(en), d)));
}
/**
 * Two-sample Kolmogorov–Smirnov test on already sorted finite samples, SciPy 1.10.1
 * `ks_2samp(a, b)` (two-sided, method='auto'): exact when both sizes ≤ 10000, else asymptotic; an
 * exact attempt that fails numerically falls back to asymptotic, as SciPy does.
 */
export function ks2sampSorted(reference, current) {
    const refusal = checkSampleSizes(reference, current);
    if (refusal)
        return refusal;
    const n1 = reference.length;
    const n2 = current.length;
    let d = ksStatistic(reference, current);
    if (Math.max(n1, n2) <= KS_EXACT_MAX_N) {
        // _attempt_exact_2kssamp: d is snapped to the lattice h/lcm(n1, n2) before the count.
        const g = gcd(n1, n2);
        const lcm = (n1 / g) * n2;
        const h = roundHalfEven(d * lcm);
        d = h / lcm;
        if (h === 0)
            return { ok: true, statistic: d, pValue: 1, method: 'exact' };
        const prob = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
        if (prob >= 0 && prob <= 1)
            return { ok: true, statistic: d, pValue: prob, method: 'exact' };
    }
    return { ok: true, statistic: d, pValue: ksAsymptoticPValue(n1, n2, d), method: 'asymptotic' };
}
/** Two-sample Kolmogorov–Smirnov test, SciPy's `ks_2samp(reference, current)` (Evidently `ks`: drift when p ≤ 0.05). */
export function ks2samp(reference, current) {
    return ks2sampSorted(sortSample(reference), sortSample(current));
}
//# sourceMappingURL=ks-2samp.js.map