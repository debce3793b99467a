// Distances between two histograms given as aligned counts: reference-quantile bins of a numerical
// column (binning.ts) or categories of a categorical one (aligned over the union of categories, a
// category unseen in one window having count 0 there). Formulas follow Evidently's stattests.
import { EMPTY_BIN_PROPORTION, EMPTY_BIN_SMALL_DIVISOR } from "./const.js";
import { checkCounts } from "./sample.js";
function proportions(counts, total) {
    const out = new Float64Array(counts.length);
    for (let i = 0; i < counts.length; i++)
        out[i] = counts[i] / total;
    return out;
}
/**
 * Evidently's `get_binned_data(..., feel_zeroes=True)` (utils.py): in each window separately, empty
 * bins get 0.0001, or the smallest non-empty proportion divided by 1e6 when that proportion is
 * itself ≤ 0.0001. The proportions are not renormalised afterwards (Evidently does not).
 */
function fillEmptyBins(p) {
    let smallest = Infinity;
    for (const v of p)
        if (v !== 0 && v < smallest)
            smallest = v;
    const fill = smallest <= EMPTY_BIN_PROPORTION ? smallest / EMPTY_BIN_SMALL_DIVISOR : EMPTY_BIN_PROPORTION;
    return p.map((v) => (v === 0 ? fill : v));
}
/** Divides by the sum, as SciPy's `entropy` and `jensenshannon` do before using their inputs. */
function normalise(p) {
    let sum = 0;
    for (const v of p)
        sum += v;
    return p.map((v) => v / sum);
}
/** SciPy's `rel_entr(x, y)` = x·ln(x/y) for x > 0, 0 for x = 0 (y > 0 here). */
function relativeEntropy(x, y) {
    return x === 0 ? 0 : x * Math.log(x / y);
}
/**
 * Population stability index Σ (r − c)·ln(r/c) on proportions with empty bins filled as Evidently
 * does (psi.py, `get_binned_data` with feel_zeroes); drift when ≥ 0.1.
 */
export function psi(referenceCounts, currentCounts) {
    const totals = checkCounts(referenceCounts, currentCounts);
    if (!totals.ok)
        return totals;
    const r = fillEmptyBins(proportions(referenceCounts, totals.referenceTotal));
    const c = fillEmptyBins(proportions(currentCounts, totals.currentTotal));
    let sum = 0;
    for (let i = 0; i < r.length; i++) {
        const ri = r[i];
        const ci = c[i];
        sum += (ri - ci) * Math.log(ri / ci);
    }
    return { ok: true, statistic: sum, pValue: null };
}
/**
 * Kullback–Leibler divergence KL(reference ‖ current) = SciPy's `entropy(reference, current)`
 * (natural log, inputs renormalised) on proportions with empty bins filled as Evidently's kl_div.py
 * does (so it is finite when current misses a bin); drift when ≥ 0.1.
 */
export function klDivergence(referenceCounts, currentCounts) {
    const totals = checkCounts(referenceCounts, currentCounts);
    if (!totals.ok)
        return totals;
    const r = normalise(fillEmptyBins(proportions(referenceCounts, totals.referenceTotal)));
    const c = normalise(fillEmptyBins(proportions(currentCounts, totals.currentTotal)));
    let sum = 0;
    for (let i = 0; i < r.length; i++)
        sum += relativeEntropy(r[i], c[i]);
    return { ok: true, statistic: sum, pValue: null };
}
/**
 * Jensen–Shannon distance, SciPy's `scipy.spatial.distance.jensenshannon(reference, current)` with
 * the natural log: √((KL(p‖m) + KL(q‖m))/2), m = (p+q)/2. No empty-bin filling: Evidently's
 * jensenshannon.py calls `get_binned_data(..., feel_zeroes=False)`. Drift when ≥ 0.1.
 */
export function jensenShannon(referenceCounts, currentCounts) {
    const totals = checkCounts(referenceCounts, currentCounts);
    if (!totals.ok)
        return totals;
    const p = normalise(proportions(referenceCounts, totals.referenceTotal));
    const q = normalise(proportions(currentCounts, totals.currentTotal));
    let left = 0;
    let right = 0;
    for (let i = 0; i < p.length; i++) {
        const pi = p[i];
        const qi = q[i];
        const m = (pi + qi) / 2;
        left += relativeEntropy(pi, m);
        right += relativeEntropy(qi, m);
    }
    return { ok: true, statistic: Math.sqrt((left + right) / 2), pValue: null };
}
/**
 * Hellinger distance √(1 − Σ √(r·c)) on proportions, the Bhattacharyya sum clipped to [0, 1], as
 * Evidently's hellinger_distance.py computes it for categories (its numerical branch multiplies
 * equal-width densities by the bin width, which is the same sum of proportions). No filling.
 * Drift when ≥ 0.1.
 */
export function hellinger(referenceCounts, currentCounts) {
    const totals = checkCounts(referenceCounts, currentCounts);
    if (!totals.ok)
        return totals;
    const r = proportions(referenceCounts, totals.referenceTotal);
    const c = proportions(currentCounts, totals.currentTotal);
    let coefficient = 0;
    for (let i = 0; i < r.length; i++)
        coefficient += Math.sqrt(r[i] * c[i]);
    coefficient = Math.min(1, Math.max(0, coefficient));
    return { ok: true, statistic: Math.sqrt(1 - coefficient), pValue: null };
}
/**
 * Total variation distance ½·Σ|r − c| on proportions (Evidently tvd_stattest.py
 * `_total_variation_distance`). Deviation: Evidently reports a permutation-test p-value of this
 * distance (1000 NumPy-seeded permutations, drift when p < 0.1), which cannot be reproduced outside
 * NumPy's generator and costs 1000 passes over the window; Highway reports the distance with a
 * threshold of 0.1 (drift when ≥ 0.1).
 */
export function tvd(referenceCounts, currentCounts) {
    const totals = checkCounts(referenceCounts, currentCounts);
    if (!totals.ok)
        return totals;
    const r = proportions(referenceCounts, totals.referenceTotal);
    const c = proportions(currentCounts, totals.currentTotal);
    let sum = 0;
    for (let i = 0; i < r.length; i++)
        sum += Math.abs(r[i] - c[i]);
    return { ok: true, statistic: 0.5 * sum, pValue: null };
}
//# sourceMappingURL=binned-distances.js.map