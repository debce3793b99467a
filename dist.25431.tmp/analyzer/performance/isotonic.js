import { ISOTONIC_X_RESOLUTION } from "./const.js";
import { assertFinite, assertSameLength } from "../../model-metrics/index.js";
/**
 * Increasing isotonic regression of y on x, read as sklearn 1.2 `IsotonicRegression(increasing=True,
 * out_of_bounds='clip')` fits it: inputs closer than 1e-15 to the first of a run are merged (their
 * targets averaged), the pool-adjacent-violators algorithm (Ayer et al. 1955; Barlow et al. 1972)
 * makes the fitted values non-decreasing, and points whose value equals both neighbours are dropped.
 * The result is the knots of a piecewise-linear map (sklearn's `X_thresholds_`, `y_thresholds_`).
 */
export function fitIsotonic(x, y) {
    assertSameLength('fitIsotonic', x, y, 'x', 'y');
    assertFinite('fitIsotonic', 'x', x);
    assertFinite('fitIsotonic', 'y', y);
    if (x.length === 0)
        throw new RangeError('fitIsotonic: needs at least one point');
    const order = Uint32Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a] - x[b]);
    const gx = [];
    const gw = [];
    const gy = [];
    for (const i of order) {
        const xi = x[i];
        const last = gx.length - 1;
        if (last >= 0 && xi - gx[last] < ISOTONIC_X_RESOLUTION) {
            gw[last] += 1;
            gy[last] += y[i];
        }
        else {
            gx.push(xi);
            gw.push(1);
            gy.push(y[i]);
        }
    }
    return fitIsotonicGroups({ x: gx, weight: gw, weightedY: gy, length: gx.length });
}
/** Isotonic regression on pre-grouped, sorted inputs; merges inputs closer than 1e-15 as sklearn does. */
export function fitIsotonicGroups(groups) {
    const m = groups.length;
    if (m === 0)
        throw new RangeError('fitIsotonicGroups: needs at least one point');
    const resolution = ISOTONIC_X_RESOLUTION;
    const { x: gx, weight: gw, weightedY: gy } = groups;
    // Merge near-equal inputs into the first of their run (sklearn `_make_unique`).
    const ux = new Float64Array(m);
    const uw = new Float64Array(m);
    const uy = new Float64Array(m);
    let k = 0;
    for (let i = 0; i < m; i++) {
        const xi = gx[i];
        if (k > 0 && xi - ux[k - 1] < resolution) {
            uw[k - 1] += gw[i];
            uy[k - 1] += gy[i];
        }
        else {
            ux[k] = xi;
            uw[k] = gw[i];
            uy[k++] = gy[i];
        }
    }
    // Pool adjacent violators with a stack of blocks (sum of w·y, sum of w, last index).
    const blockSum = new Float64Array(k);
    const blockWeight = new Float64Array(k);
    const blockEnd = new Int32Array(k);
    let top = -1;
    for (let i = 0; i < k; i++) {
        top++;
        blockSum[top] = uy[i];
        blockWeight[top] = uw[i];
        blockEnd[top] = i;
        // Previous block's mean above this one's (weights are positive, so compare cross-multiplied).
        while (top > 0 && blockSum[top - 1] * blockWeight[top] > blockSum[top] * blockWeight[top - 1]) {
            blockSum[top - 1] += blockSum[top];
            blockWeight[top - 1] += blockWeight[top];
            blockEnd[top - 1] = blockEnd[top];
            top--;
        }
    }
    const fitted = new Float64Array(k);
    let start = 0;
    for (let b = 0; b <= top; b++) {
        const value = blockSum[b] / blockWeight[b];
        for (let i = start; i <= blockEnd[b]; i++)
            fitted[i] = value;
        start = blockEnd[b] + 1;
    }
    // Keep the ends and every point whose value differs from a neighbour (sklearn `trim_duplicates`).
    const outX = [];
    const outY = [];
    for (let i = 0; i < k; i++) {
        const v = fitted[i];
        if (i === 0 || i === k - 1 || v !== fitted[i - 1] || v !== fitted[i + 1]) {
            outX.push(ux[i]);
            outY.push(v);
        }
    }
    return { x: outX, y: outY };
}
/**
 * Applies an isotonic map: clip to the fitted range, then interpolate linearly between knots, with
 * the knot search and arithmetic of SciPy's `interp1d` (searchsorted-left, slope·(t − x_lo) + y_lo).
 */
export function applyIsotonic(map, value) {
    const { x, y } = map;
    const k = x.length;
    if (k === 1)
        return y[0];
    const t = Math.min(Math.max(value, x[0]), x[k - 1]);
    // First index with x[idx] >= t, clipped to [1, k - 1].
    let lo = 0;
    let hi = k;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (x[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    const idx = Math.min(Math.max(lo, 1), k - 1);
    const x0 = x[idx - 1];
    const y0 = y[idx - 1];
    const slope = (y[idx] - y0) / (x[idx] - x0);
    return slope * (t - x0) + y0;
}
//# sourceMappingURL=isotonic.js.map