import { sortSample } from "./sample.js";
/** The smallest double strictly greater than x (IEEE 754 nextUp), for finite x. */
function nextUp(x) {
    if (x === 0)
        return Number.MIN_VALUE;
    const buffer = new DataView(new ArrayBuffer(8));
    buffer.setFloat64(0, x);
    const bits = buffer.getBigUint64(0);
    buffer.setBigUint64(0, x > 0 ? bits + 1n : bits - 1n);
    return buffer.getFloat64(0);
}
/** Quantile of sorted data at probability q with NumPy's default 'linear' rule (Hyndman & Fan type 7), including NumPy's `_lerp`. */
export function linearQuantileSorted(sorted, q) {
    const n = sorted.length;
    const virtualIndex = (n - 1) * q;
    const below = Math.floor(virtualIndex);
    const lowerValue = sorted[Math.min(Math.max(below, 0), n - 1)];
    const upperValue = sorted[Math.min(below + 1, n - 1)];
    const gamma = virtualIndex - below;
    const diff = upperValue - lowerValue;
    // numpy.lib.function_base._lerp: a + (b−a)·t, or b − (b−a)·(1−t) when t ≥ 0.5.
    return gamma >= 0.5 ? upperValue - diff * (1 - gamma) : lowerValue + diff * gamma;
}
/**
 * Bin edges cut from the reference window, stored with the reference so that current windows can
 * be histogrammed in ClickHouse. Rule:
 * 1. q_i = np.quantile(reference, i/bins) for i = 0 … bins−1 (NumPy's default linear rule), so
 *    q_0 = min(reference);
 * 2. the last edge is nextUp(max(reference)), the double just above the maximum, so that the last
 *    regular bin is closed, [q_{bins−1}, max];
 * 3. equal edges are merged (ties, constant columns), leaving a strictly increasing list.
 * With {@link histogram}'s rule (bin = number of edges ≤ x) this gives edges.length + 1 bins:
 * (−∞, q_0), [q_0, q_1), …, [q_last, max], (max, +∞). The two open-ended bins are empty in the
 * reference and catch current values outside its range; a constant column c gets (−∞, c), {c}, (c, +∞).
 * Evidently bins differently (utils.py `get_binned_data`: Sturges' rule, `np.histogram_bin_edges`
 * over reference ∪ current, or value counts when the reference has ≤ 20 unique values); Highway keeps
 * Evidently's formulas on these reference-quantile bins. An empty reference gives no edges.
 */
export function referenceBinEdges(reference, bins) {
    if (!Number.isInteger(bins) || bins < 1)
        throw new RangeError(`bins must be an integer ≥ 1, got ${bins}`);
    const sorted = sortSample(reference);
    if (sorted.length === 0)
        return [];
    const edges = [];
    for (let i = 0; i < bins; i++) {
        const edge = linearQuantileSorted(sorted, i / bins);
        if (edges.length === 0 || edge > edges[edges.length - 1])
            edges.push(edge);
    }
    edges.push(nextUp(sorted[sorted.length - 1]));
    return edges;
}
/** Index of the bin holding x: the number of edges ≤ x (NumPy's `searchsorted(edges, x, side='right')`). */
export function binIndex(edges, x) {
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (edges[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
/** Counts of the finite values in each of the edges.length + 1 bins defined by {@link referenceBinEdges}. */
export function histogram(values, edges) {
    const counts = new Array(edges.length + 1).fill(0);
    for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (!Number.isFinite(v))
            continue;
        const bin = binIndex(edges, v);
        counts[bin] = counts[bin] + 1;
    }
    return counts;
}
/** Ascending distinct values of a sorted sample with their multiplicities. */
export function weighSorted(sorted) {
    const values = [];
    const counts = [];
    for (const v of sorted) {
        if (values.length > 0 && values[values.length - 1] === v)
            counts[counts.length - 1]++;
        else {
            values.push(v);
            counts.push(1);
        }
    }
    return { values: Float64Array.from(values), counts: Float64Array.from(counts) };
}
/**
 * NumPy's `histogram_bin_edges(a, bins='sturges')` from the range and size of `a`: width = ptp/(log₂ size + 1),
 * ceil(ptp/width) equal bins (1 when ptp = 0), a constant range widened to [x − 0.5, x + 0.5], and the edges
 * of `np.linspace(first, last, bins + 1)` (i·step + first, the last set to `last`), replicated operation by
 * operation so that the bins are NumPy's.
 */
export function sturgesEdges(min, max, size) {
    if (!(size >= 1) || !Number.isFinite(min) || !Number.isFinite(max) || min > max)
        throw new RangeError(`sturgesEdges needs finite min ≤ max and size ≥ 1, got ${min}, ${max}, ${size}`);
    const ptp = max - min;
    let first = min;
    let last = max;
    if (first === last) {
        first -= 0.5;
        last += 0.5;
    }
    const width = ptp / (Math.log2(size) + 1);
    const bins = width ? Math.ceil((last - first) / width) : 1;
    const step = (last - first) / bins;
    const edges = Array.from({ length: bins + 1 }, (_, i) => i * step + first);
    edges[bins] = last;
    return edges;
}
/**
 * Counts per bin of `np.histogram(values, edges)`: [e_i, e_{i+1}), the last bin closed. Values outside
 * [e_0, e_last] — which only sketch representatives can be, by at most the sketch's relative accuracy —
 * are counted in the first or last bin, where their true values lie.
 */
export function countOnEdges(sample, edges) {
    const bins = edges.length - 1;
    const out = new Array(Math.max(bins, 0)).fill(0);
    if (bins < 1)
        return out;
    for (let i = 0; i < sample.values.length; i++) {
        const bin = Math.min(Math.max(binIndex(edges, sample.values[i]) - 1, 0), bins - 1);
        out[bin] += sample.counts[i];
    }
    return out;
}
//# sourceMappingURL=binning.js.map