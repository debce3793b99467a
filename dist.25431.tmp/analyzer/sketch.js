/**
 * A mergeable quantile sketch kept by ClickHouse: DDSketch-style logarithmic buckets (Masson, Rim & Lee,
 * "DDSketch: a fast and fully-mergeable quantile sketch with relative-error guarantees", VLDB 2019).
 * A value x lands in bucket ceil(log_γ |x|) with γ = (1 + α) / (1 − α); every value in a bucket is within
 * relative error α of the bucket's representative. Buckets are summed with `sumMap`, so hourly rollups of
 * any window merge exactly, and drift statistics on a window read kilobytes of buckets, not its raw rows.
 */
import { SKETCH_SQL } from "../store/index.js";
/** Relative accuracy of a bucket's representative value. */
export const SKETCH_RELATIVE_ACCURACY = SKETCH_SQL.relativeAccuracy;
const LN_GAMMA = SKETCH_SQL.lnGamma;
const GAMMA = Math.exp(LN_GAMMA);
// Magnitudes below this are bucket 0; the offset keeps every other key ≥ 1, with the value's sign.
const MIN_MAGNITUDE = SKETCH_SQL.minMagnitude;
const OFFSET = SKETCH_SQL.offset;
/** Bucket key of a value, as ClickHouse computes it (store's `sketchKeyExpr`). */
export function sketchKey(x) {
    const m = Math.abs(x);
    if (m < MIN_MAGNITUDE)
        return 0;
    return Math.sign(x) * (Math.ceil(Math.log(m) / LN_GAMMA) + OFFSET);
}
/** Representative value of a bucket: the point of least relative error between its bounds γ^(i−1) and γ^i. */
export function sketchValue(key) {
    if (key === 0)
        return 0;
    const i = Math.abs(key) - OFFSET;
    return (Math.sign(key) * 2 * GAMMA ** i) / (GAMMA + 1);
}
/** Sketch buckets (key → count) of raw values, as ClickHouse would keep them. */
export function sketchOf(values) {
    const out = {};
    for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (!Number.isFinite(v))
            continue;
        const k = String(sketchKey(v));
        out[k] = (out[k] ?? 0) + 1;
    }
    return out;
}
/** Turns sketch buckets (key → count) into sorted representative values with counts. */
export function fromSketch(buckets) {
    const entries = (buckets instanceof Map ? [...buckets.entries()] : Object.entries(buckets).map(([k, v]) => [Number(k), v])).filter(([, c]) => c > 0);
    // Keys order as their values do (sign, then magnitude through the offset), so sort the integers.
    entries.sort((a, b) => a[0] - b[0]);
    const values = new Float64Array(entries.length);
    const counts = new Float64Array(entries.length);
    let n = 0;
    entries.forEach(([k, c], i) => {
        values[i] = sketchValue(k);
        counts[i] = c;
        n += c;
    });
    return { values, counts, n };
}
/** Turns a raw sample into sorted distinct values with counts (exact). */
export function fromSample(sample) {
    const sorted = Float64Array.from(sample).sort();
    const values = [];
    const counts = [];
    for (let i = 0; i < sorted.length; i++) {
        const v = sorted[i];
        if (values.length > 0 && values[values.length - 1] === v)
            counts[counts.length - 1]++;
        else {
            values.push(v);
            counts.push(1);
        }
    }
    return { values: Float64Array.from(values), counts: Float64Array.from(counts), n: sorted.length };
}
/** Counts per bin where a value's bin is the number of edges ≤ it — the rule of stats' `histogram` on raw values. */
export function binCounts(dist, edges) {
    const out = new Array(edges.length + 1).fill(0);
    let bin = 0;
    for (let i = 0; i < dist.values.length; i++) {
        const v = dist.values[i];
        while (bin < edges.length && v >= edges[bin])
            bin++;
        out[bin] += dist.counts[i];
    }
    return out;
}
/** Two distributions' ECDFs walked together: the building block of KS and Wasserstein on weighted values. */
function walk(a, b, visit) {
    let i = 0;
    let j = 0;
    let ca = 0;
    let cb = 0;
    while (i < a.values.length || j < b.values.length) {
        const va = i < a.values.length ? a.values[i] : Infinity;
        const vb = j < b.values.length ? b.values[j] : Infinity;
        const x = Math.min(va, vb);
        if (va === x)
            ca += a.counts[i++];
        if (vb === x)
            cb += b.counts[j++];
        const next = Math.min(i < a.values.length ? a.values[i] : Infinity, j < b.values.length ? b.values[j] : Infinity);
        visit(x, next, ca / a.n, cb / b.n);
    }
}
/** Kolmogorov–Smirnov statistic sup |F_a − F_b| between two weighted distributions. */
export function ksStatistic(a, b) {
    let d = 0;
    walk(a, b, (_x, _next, fa, fb) => {
        d = Math.max(d, Math.abs(fa - fb));
    });
    return d;
}
/** First Wasserstein distance ∫ |F_a − F_b| dx between two weighted distributions (scipy.stats.wasserstein_distance). */
export function wasserstein(a, b) {
    let w = 0;
    walk(a, b, (x, next, fa, fb) => {
        if (Number.isFinite(next))
            w += Math.abs(fa - fb) * (next - x);
    });
    return w;
}
/** Mean and population standard deviation of a weighted distribution. */
export function moments(d) {
    let s = 0;
    for (let i = 0; i < d.values.length; i++)
        s += d.values[i] * d.counts[i];
    const mean = s / d.n;
    let ss = 0;
    for (let i = 0; i < d.values.length; i++)
        ss += (d.values[i] - mean) ** 2 * d.counts[i];
    return { mean, std: Math.sqrt(ss / d.n) };
}
//# sourceMappingURL=sketch.js.map