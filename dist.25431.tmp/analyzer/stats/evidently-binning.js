// Evidently's binning of numerical columns for the binned tests (utils.py `get_binned_data` for psi,
// kl_div and jensenshannon; hellinger_distance.py for hellinger), on weighted samples so that raw values
// (exact path) and sketch buckets (large windows) go through the same code.
import { countOnEdges, sturgesEdges } from "./binning.js";
import { EVIDENTLY_BINNED_MIN_UNIQUE, MIN_OBSERVATIONS } from "./const.js";
import { notEnoughData } from "./sample.js";
function total(sample) {
    let n = 0;
    for (const c of sample.counts)
        n += c;
    return n;
}
function range(reference, current, facts) {
    const lo = Math.min(reference.values[0], current.values[0]);
    const hi = Math.max(reference.values[reference.values.length - 1], current.values[current.values.length - 1]);
    return { min: facts.min ?? lo, max: facts.max ?? hi };
}
function unionValues(reference, current) {
    return Float64Array.from(new Set([...reference.values, ...current.values])).sort();
}
/**
 * Counts per bin as Evidently's `get_binned_data` makes them for a numerical column: when the reference
 * has more than 20 distinct values, `np.histogram` on `np.histogram_bin_edges(reference ∪ current,
 * 'sturges')`; otherwise value counts over the values seen in either window. Null when a window is empty.
 */
export function evidentlyBinnedCounts(reference, current, facts = {}) {
    if (reference.values.length === 0 || current.values.length === 0)
        return null;
    const referenceUnique = facts.referenceUnique ?? reference.values.length;
    if (referenceUnique >= EVIDENTLY_BINNED_MIN_UNIQUE) {
        const { min, max } = range(reference, current, facts);
        const edges = sturgesEdges(min, max, total(reference) + total(current));
        return { reference: countOnEdges(reference, edges), current: countOnEdges(current, edges) };
    }
    const keys = unionValues(reference, current);
    const count = (s) => {
        const m = new Map();
        s.values.forEach((v, i) => m.set(v, s.counts[i]));
        return Array.from(keys, (k) => m.get(k) ?? 0);
    };
    return { reference: count(reference), current: count(current) };
}
/**
 * Hellinger distance of a numerical column as hellinger_distance.py computes it: Sturges edges over the
 * distinct values of reference ∪ current (not over the rows), `np.histogram(density=True)` of each window,
 * and √(1 − clip(Σ √(h₁·h₂)·w, 0, 1)) with w the mean bin width. Drift when ≥ 0.1.
 */
export function hellingerNumerical(reference, current, facts = {}) {
    const nRef = total(reference);
    const nCur = total(current);
    if (nRef < MIN_OBSERVATIONS || nCur < MIN_OBSERVATIONS) {
        return notEnoughData(`needs at least ${MIN_OBSERVATIONS} observations in each window, got reference=${nRef}, current=${nCur}`);
    }
    const { min, max } = range(reference, current, facts);
    const edges = sturgesEdges(min, max, facts.unionUnique ?? unionValues(reference, current).length);
    const h1 = countOnEdges(reference, edges);
    const h2 = countOnEdges(current, edges);
    const width = (edges[edges.length - 1] - edges[0]) / (edges.length - 1);
    let coefficient = 0;
    for (let i = 0; i < h1.length; i++) {
        const db = edges[i + 1] - edges[i];
        coefficient += Math.sqrt((h1[i] / db / nRef) * (h2[i] / db / nCur)) * width;
    }
    coefficient = Math.min(1, Math.max(0, coefficient));
    return { ok: true, statistic: Math.sqrt(1 - coefficient), pValue: null };
}
//# sourceMappingURL=evidently-binning.js.map