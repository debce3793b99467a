import { WASSERSTEIN_STD_FLOOR } from "./const.js";
import { checkSampleSizes, CompensatedSum, sortSample } from "./sample.js";
/**
 * ∫|U − V|^p over the real line for the two empirical CDFs, by one merge of the sorted samples:
 * between consecutive pooled values the CDFs are constant (SciPy 1.10.1 `_cdf_distance`, which uses
 * `searchsorted(side='right')` on the pooled sorted values; Bellemare et al. 2017, arXiv:1705.10743).
 */
function cdfDistanceIntegral(a, b, power) {
    const n1 = a.length;
    const n2 = b.length;
    const sum = new CompensatedSum();
    let i = 0;
    let j = 0;
    let previous = Math.min(a[0], b[0]);
    while (i < n1 || j < n2) {
        const v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
        if (i > 0 || j > 0) {
            const gap = Math.abs(i / n1 - j / n2);
            sum.add((power === 1 ? gap : gap * gap) * (v - previous));
        }
        while (i < n1 && a[i] === v)
            i++;
        while (j < n2 && b[j] === v)
            j++;
        previous = v;
    }
    return sum.value();
}
/** Population standard deviation (ddof = 0, NumPy's `np.std` default), two-pass with compensated sums. */
export function populationStd(sorted) {
    const n = sorted.length;
    const total = new CompensatedSum();
    for (let i = 0; i < n; i++)
        total.add(sorted[i]);
    const mean = total.value() / n;
    const squares = new CompensatedSum();
    for (let i = 0; i < n; i++) {
        const d = sorted[i] - mean;
        squares.add(d * d);
    }
    return Math.sqrt(squares.value() / n);
}
/** First Wasserstein distance on sorted finite samples, SciPy's `wasserstein_distance`. */
export function wassersteinDistanceSorted(reference, current) {
    const refusal = checkSampleSizes(reference, current);
    if (refusal)
        return refusal;
    return { ok: true, statistic: cdfDistanceIntegral(reference, current, 1), pValue: null };
}
/** First Wasserstein distance between the empirical distributions, SciPy's `wasserstein_distance(reference, current)`. */
export function wassersteinDistance(reference, current) {
    return wassersteinDistanceSorted(sortSample(reference), sortSample(current));
}
/** Evidently's normed Wasserstein on sorted finite samples (see {@link wassersteinNormed}). */
export function wassersteinNormedSorted(reference, current) {
    const refusal = checkSampleSizes(reference, current);
    if (refusal)
        return refusal;
    // wasserstein_distance_norm.py: norm = max(np.std(reference_data), 0.001).
    const norm = Math.max(populationStd(reference), WASSERSTEIN_STD_FLOOR);
    return { ok: true, statistic: cdfDistanceIntegral(reference, current, 1) / norm, pValue: null };
}
/** Wasserstein distance divided by max(std(reference, ddof=0), 0.001), Evidently's `wasserstein` (drift when ≥ 0.1). */
export function wassersteinNormed(reference, current) {
    return wassersteinNormedSorted(sortSample(reference), sortSample(current));
}
/** Energy distance on sorted finite samples (see {@link energyDistance}). */
export function energyDistanceSorted(reference, current) {
    const refusal = checkSampleSizes(reference, current);
    if (refusal)
        return refusal;
    // SciPy: energy_distance = sqrt(2)·l2 distance between the CDFs (Székely & Rizzo 2013, eq. 2.3).
    return { ok: true, statistic: Math.SQRT2 * Math.sqrt(cdfDistanceIntegral(reference, current, 2)), pValue: null };
}
/** Energy distance, SciPy's `energy_distance(reference, current)` (Evidently `ed`: drift when > 0.1). */
export function energyDistance(reference, current) {
    return energyDistanceSorted(sortSample(reference), sortSample(current));
}
//# sourceMappingURL=cdf-distance.js.map