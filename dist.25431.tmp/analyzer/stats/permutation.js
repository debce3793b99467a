// Seeded permutation tests: Evidently's TVD (tvd_stattest.py, 1000 permutations) and empirical MMD
// (mmd_stattest.py, 100 permutations). Evidently draws with NumPy's global generator (TVD seeds it with
// 0, MMD does not seed at all); Highway uses its own seeded generator, so p-values are deterministic
// and agree with Evidently's up to Monte Carlo error (a p-value from k permutations has standard
// error √(p(1−p)/k)), not to the digit.
import { CompensatedSum } from "./sample.js";
import { checkCounts, checkSampleSizes, sortSample } from "./sample.js";
/** Seed of every permutation test (Evidently's TVD calls `np.random.seed(0)`). */
export const PERMUTATION_SEED = 0;
/** Permutations of Evidently's TVD test (`permutation_test(..., iterations=1000)`). */
export const TVD_PERMUTATIONS = 1000;
/** Permutations of Evidently's empirical MMD test (`range(100)` in `mmd_pval`). */
export const MMD_PERMUTATIONS = 100;
/**
 * Values per window the MMD kernel is built on. Evidently builds the full (n_ref + n_cur)² kernel matrix
 * (8 GB at 20,000 rows each) and permutes it 100 times; Highway takes this many values per window, evenly
 * spaced in rank (a deterministic stratified subsample), so a window costs at most ~10⁸ operations.
 */
export const MMD_MAX_VALUES = 500;
/**
 * xoshiro128** (Blackman & Vigna 2018, "Scrambled linear pseudorandom number generators"), seeded through
 * SplitMix32; uniform integers by rejection, so every draw is unbiased.
 */
export function seededRandom(seed) {
    let x = seed >>> 0;
    const splitMix = () => {
        x = (x + 0x9e3779b9) >>> 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
        return (z ^ (z >>> 16)) >>> 0;
    };
    const s = new Uint32Array([splitMix(), splitMix(), splitMix(), splitMix()]);
    const next = () => {
        const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
        const t = (s[1] << 9) >>> 0;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = rotl(s[3], 11);
        return result;
    };
    return {
        below(bound) {
            if (!(bound >= 1 && bound <= 2 ** 32))
                throw new RangeError(`bound must be in [1, 2^32], got ${bound}`);
            const limit = 2 ** 32 - (2 ** 32 % bound);
            for (;;) {
                const r = next();
                if (r < limit)
                    return r % bound;
            }
        },
    };
}
function rotl(v, k) {
    return ((v << k) | (v >>> (32 - k))) >>> 0;
}
/** Fenwick tree over category counts: draws without replacement in O(log categories). */
function drawWithoutReplacement(pooled, draws, random) {
    const size = pooled.length;
    const tree = new Float64Array(size + 1);
    for (let i = 0; i < size; i++) {
        for (let j = i + 1; j <= size; j += j & -j)
            tree[j] += pooled[i];
    }
    let remaining = pooled.reduce((a, b) => a + b, 0);
    let top = 1;
    while (top * 2 <= size)
        top *= 2;
    const out = new Float64Array(size);
    for (let d = 0; d < draws; d++) {
        let target = random.below(remaining);
        let pos = 0;
        for (let step = top; step > 0; step >>= 1) {
            const next = pos + step;
            if (next <= size && tree[next] <= target) {
                pos = next;
                target -= tree[next];
            }
        }
        out[pos]++;
        for (let j = pos + 1; j <= size; j += j & -j)
            tree[j]--;
        remaining--;
    }
    return out;
}
function totalVariation(reference, current, referenceTotal, currentTotal) {
    let sum = 0;
    for (let i = 0; i < reference.length; i++)
        sum += Math.abs(reference[i] / referenceTotal - current[i] / currentTotal);
    return 0.5 * sum;
}
/**
 * Evidently's `TVD` test (tvd_stattest.py): the total variation distance ½·Σ|r − c| of the two windows'
 * category shares, and the share of {@link TVD_PERMUTATIONS} random splits of the pooled rows into
 * windows of the same sizes whose distance is at least the observed one (`permutation_test`). The
 * statistic is the distance, the p-value that share; drift when p < 0.1 (Evidently's default). Each split
 * draws the smaller window without replacement from the pooled counts. Cost: 1000 × min(n_ref, n_cur)
 * draws. Differs from Highway's `tvd`, which thresholds the distance itself.
 */
export function tvdPermutationTest(referenceCounts, currentCounts, permutations = TVD_PERMUTATIONS, seed = PERMUTATION_SEED) {
    const totals = checkCounts(referenceCounts, currentCounts);
    if (!totals.ok)
        return totals;
    const nRef = totals.referenceTotal;
    const nCur = totals.currentTotal;
    const observed = totalVariation(referenceCounts, currentCounts, nRef, nCur);
    const pooled = Array.from(referenceCounts, (r, i) => r + currentCounts[i]);
    const random = seededRandom(seed);
    const drawReference = nRef <= nCur;
    let atLeast = 0;
    for (let k = 0; k < permutations; k++) {
        const drawn = drawWithoutReplacement(pooled, drawReference ? nRef : nCur, random);
        const rest = pooled.map((p, i) => p - drawn[i]);
        const d = drawReference ? totalVariation(drawn, rest, nRef, nCur) : totalVariation(rest, drawn, nRef, nCur);
        if (observed <= Math.abs(d))
            atLeast++;
    }
    return { ok: true, statistic: observed, pValue: permutations > 0 ? atLeast / permutations : null };
}
/** Values at evenly spaced ranks of a sorted sample: the sample itself when it is small enough. */
function stratified(sorted, size) {
    if (sorted.length <= size)
        return sorted;
    return Float64Array.from({ length: size }, (_, i) => sorted[Math.floor(((i + 0.5) * sorted.length) / size)]);
}
/**
 * Squared distances as Evidently's `squared_paired_dist` forms them for one-dimensional x, y:
 * d[i][j] = (y_j² − 2·x_i·y_j) + x_i², in NumPy's order of operations (so the median matches).
 */
function squaredDistance(xi, yj) {
    return yj * yj - 2 * (xi * yj) + xi * xi;
}
/** NumPy's `percentile(a, 50, method='nearest')`: the element at rank round-half-even((n − 1)/2). */
function nearestMedian(values) {
    const sorted = Float64Array.from(values).sort();
    const virtual = (sorted.length - 1) * 0.5;
    const floor = Math.floor(virtual);
    const index = virtual - floor === 0.5 ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(virtual);
    return sorted[index];
}
/**
 * Evidently's empirical maximum mean discrepancy test (mmd_stattest.py, `empirical_mmd`): an RBF kernel
 * with σ from the median of the reference's pairwise squared distances (√(median/2), 'nearest'
 * percentile; √0.5 when that is 0), the diagonal of the pooled kernel matrix zeroed, the unbiased
 * MMD² = ΣKxx/(nx(nx−1)) + ΣKyy/(ny(ny−1)) − 2·mean(Kxy), and p = the share of {@link MMD_PERMUTATIONS}
 * seeded permutations of the pooled values whose MMD² is at least the observed one. Windows larger than
 * {@link MMD_MAX_VALUES} are subsampled (see there). Drift when p < 0.1 (Evidently's default).
 */
export function empiricalMmd(reference, current, permutations = MMD_PERMUTATIONS, seed = PERMUTATION_SEED) {
    const sortedRef = sortSample(reference);
    const sortedCur = sortSample(current);
    const refused = checkSampleSizes(sortedRef, sortedCur);
    if (refused)
        return refused;
    // Evidently keeps the rows' order; the statistic does not depend on it, so the subsample is taken in rank order.
    const x = reference.length <= MMD_MAX_VALUES ? Float64Array.from(reference).filter(Number.isFinite) : stratified(sortedRef, MMD_MAX_VALUES);
    const y = current.length <= MMD_MAX_VALUES ? Float64Array.from(current).filter(Number.isFinite) : stratified(sortedCur, MMD_MAX_VALUES);
    const nx = x.length;
    const ny = y.length;
    const n = nx + ny;
    const xx = new Float64Array(nx * nx);
    for (let i = 0; i < nx; i++)
        for (let j = 0; j < nx; j++)
            xx[i * nx + j] = squaredDistance(x[i], x[j]);
    let sigma = Math.sqrt(0.5 * nearestMedian(xx));
    if (sigma === 0)
        sigma = Math.sqrt(0.5);
    const gamma = 1 / (2 * sigma ** 2);
    const pooled = new Float64Array(n);
    pooled.set(x);
    pooled.set(y, nx);
    // Pooled kernel matrix: rows and columns 0..nx−1 are the reference, then the current window.
    const kernel = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
            if (i === j)
                continue;
            // Kxy is built as rbf(x, y) and used transposed below the diagonal: distance from the reference side.
            const d = i < nx && j >= nx ? squaredDistance(pooled[i], pooled[j]) : j < nx && i >= nx ? squaredDistance(pooled[j], pooled[i]) : squaredDistance(pooled[i], pooled[j]);
            kernel[i * n + j] = Math.exp(-gamma * d);
        }
    }
    const a = 1 / (nx * (nx - 1));
    const b = 1 / (ny * (ny - 1));
    const mmdOf = (inX, exact) => {
        const sxx = exact ? new CompensatedSum() : null;
        const syy = exact ? new CompensatedSum() : null;
        const sxy = exact ? new CompensatedSum() : null;
        let fxx = 0;
        let fyy = 0;
        let fxy = 0;
        for (let i = 0; i < n; i++) {
            const row = i * n;
            const ix = inX[i] === 1;
            for (let j = 0; j < n; j++) {
                const k = kernel[row + j];
                const jx = inX[j] === 1;
                if (ix && jx) {
                    if (sxx)
                        sxx.add(k);
                    else
                        fxx += k;
                }
                else if (!ix && !jx) {
                    if (syy)
                        syy.add(k);
                    else
                        fyy += k;
                }
                else if (!ix && jx) {
                    if (sxy)
                        sxy.add(k);
                    else
                        fxy += k;
                }
            }
        }
        if (sxx && syy && sxy)
            return a * sxx.value() + b * syy.value() - (2 * sxy.value()) / (nx * ny);
        return a * fxx + b * fyy - (2 * fxy) / (nx * ny);
    };
    const groups = new Uint8Array(n);
    groups.fill(1, 0, nx);
    const observed = mmdOf(groups, true);
    const random = seededRandom(seed);
    const order = Array.from({ length: n }, (_, i) => i);
    let atLeast = 0;
    for (let k = 0; k < permutations; k++) {
        for (let i = n - 1; i > 0; i--) {
            const j = random.below(i + 1);
            const t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        const permuted = new Uint8Array(n);
        for (let p = 0; p < nx; p++)
            permuted[order[p]] = 1;
        if (observed <= mmdOf(permuted, false))
            atLeast++;
    }
    return { ok: true, statistic: observed, pValue: permutations > 0 ? atLeast / permutations : null };
}
//# sourceMappingURL=permutation.js.map