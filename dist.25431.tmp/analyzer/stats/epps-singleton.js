// Epps–Singleton two-sample test on the empirical characteristic function (Epps & Singleton 1986,
// "An omnibus test for the two-sample problem using the empirical characteristic function"), as
// SciPy 1.10.1 `epps_singleton_2samp(x, y, t=(0.4, 0.8))` computes it and Evidently's
// epps_singleton_stattest.py (name `es`) calls it.
import { linearQuantileSorted } from "./binning.js";
import { notEnoughData } from "./sample.js";
import { chiSquaredSf } from "./special-functions.js";
import { sortSample } from "./sample.js";
/** SciPy's default evaluation points t of the characteristic function. */
const POINTS = [0.4, 0.8];
/** Fewest values SciPy accepts in each sample. */
const EPPS_MIN_OBSERVATIONS = 5;
/** Sample size below which SciPy applies the small-sample correction (max(nx, ny) < 25). */
const SMALL_SAMPLE_MAX = 25;
const DOUBLE_EPSILON = 2.220446049250313e-16;
/** NumPy's `pinv` default rcond. */
const PINV_RCOND = 1e-15;
/** Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations (Golub & Van Loan §8.5). */
function symmetricEigen(matrix) {
    const n = matrix.length;
    const a = matrix.map((r) => [...r]);
    const v = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
    for (let sweep = 0; sweep < 100; sweep++) {
        let off = 0;
        for (let p = 0; p < n; p++)
            for (let q = p + 1; q < n; q++)
                off += a[p][q] ** 2;
        if (off === 0)
            break;
        for (let p = 0; p < n; p++) {
            for (let q = p + 1; q < n; q++) {
                const apq = a[p][q];
                if (apq === 0)
                    continue;
                const theta = (a[q][q] - a[p][p]) / (2 * apq);
                const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                const c = 1 / Math.sqrt(t * t + 1);
                const s = t * c;
                for (let k = 0; k < n; k++) {
                    const akp = a[k][p];
                    const akq = a[k][q];
                    a[k][p] = c * akp - s * akq;
                    a[k][q] = s * akp + c * akq;
                }
                for (let k = 0; k < n; k++) {
                    const apk = a[p][k];
                    const aqk = a[q][k];
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
                for (let k = 0; k < n; k++) {
                    const vkp = v[k][p];
                    const vkq = v[k][q];
                    v[k][p] = c * vkp - s * vkq;
                    v[k][q] = s * vkp + c * vkq;
                }
            }
        }
    }
    return { values: a.map((r, i) => r[i]), vectors: v };
}
/** Mean vector and biased covariance (np.cov(bias=True)) of the characteristic-function features of one sample. */
function features(values, ts) {
    const d = 2 * ts.length;
    const rows = Array.from(values, (x) => [...ts.map((t) => Math.cos(t * x)), ...ts.map((t) => Math.sin(t * x))]);
    const mean = new Array(d).fill(0);
    for (const r of rows)
        for (let k = 0; k < d; k++)
            mean[k] += r[k];
    for (let k = 0; k < d; k++)
        mean[k] /= rows.length;
    const cov = Array.from({ length: d }, () => new Array(d).fill(0));
    for (const r of rows) {
        for (let p = 0; p < d; p++)
            for (let q = 0; q < d; q++)
                cov[p][q] += (r[p] - mean[p]) * (r[q] - mean[q]);
    }
    for (let p = 0; p < d; p++)
        for (let q = 0; q < d; q++)
            cov[p][q] /= rows.length;
    return { mean, cov };
}
/**
 * Epps–Singleton W statistic and p-value: σ = IQR(pooled)/2, t_k/σ evaluation points, W = n·gᵀ·Σ⁺·g with
 * g the difference of the mean (cos, sin) features and Σ⁺ NumPy's pseudo-inverse of (n/nx)·Σx + (n/ny)·Σy,
 * the small-sample correction when max(nx, ny) < 25, and p = χ²_r.sf(W) with r the rank of Σ⁺.
 * Refused (not enough data) below 5 values per window, and when the pooled IQR is 0 (Evidently raises
 * there). Drift when p < 0.05 (Evidently's default).
 */
export function eppsSingletonSorted(reference, current) {
    const nx = reference.length;
    const ny = current.length;
    if (nx < EPPS_MIN_OBSERVATIONS || ny < EPPS_MIN_OBSERVATIONS) {
        return notEnoughData(`epps_singleton needs at least ${EPPS_MIN_OBSERVATIONS} finite values in each window, got reference=${nx}, current=${ny}`);
    }
    const pooled = new Float64Array(nx + ny);
    pooled.set(reference);
    pooled.set(current, nx);
    pooled.sort();
    const iqr = linearQuantileSorted(pooled, 0.75) - linearQuantileSorted(pooled, 0.25);
    if (!(iqr > 0))
        return notEnoughData('epps_singleton needs a pooled interquartile range above 0 (the middle half of the values is constant)');
    const sigma = iqr / 2;
    const ts = POINTS.map((t) => t / sigma);
    const n = nx + ny;
    const fx = features(reference, ts);
    const fy = features(current, ts);
    const d = 2 * ts.length;
    const cov = Array.from({ length: d }, (_, p) => Array.from({ length: d }, (_, q) => (n / nx) * fx.cov[p][q] + (n / ny) * fy.cov[p][q]));
    const { values, vectors } = symmetricEigen(cov);
    const largest = Math.max(...values.map(Math.abs));
    const kept = values.map((v) => Math.abs(v) > PINV_RCOND * largest);
    // Rank of the pseudo-inverse (np.linalg.matrix_rank): its singular values 1/|λ| above max·d·eps.
    const inverseSingular = values.map((v, i) => (kept[i] ? 1 / Math.abs(v) : 0));
    const inverseLargest = Math.max(...inverseSingular);
    const rank = inverseSingular.filter((s) => s > inverseLargest * d * DOUBLE_EPSILON).length;
    const g = fx.mean.map((m, k) => m - fy.mean[k]);
    let w = 0;
    for (let i = 0; i < d; i++) {
        if (!kept[i])
            continue;
        let projection = 0;
        for (let k = 0; k < d; k++)
            projection += vectors[k][i] * g[k];
        w += (projection * projection) / values[i];
    }
    w *= n;
    if (Math.max(nx, ny) < SMALL_SAMPLE_MAX)
        w *= 1 / (1 + n ** -0.45 + 10.1 * (nx ** -1.7 + ny ** -1.7));
    if (rank === 0)
        return notEnoughData('epps_singleton: the characteristic-function covariance is zero');
    return { ok: true, statistic: w, pValue: Math.min(1, Math.max(0, chiSquaredSf(Math.max(0, w), rank))), method: 'asymptotic' };
}
/** {@link eppsSingletonSorted} on unsorted samples (non-finite values dropped). */
export function eppsSingleton(reference, current) {
    return eppsSingletonSorted(sortSample(reference), sortSample(current));
}
//# sourceMappingURL=epps-singleton.js.map