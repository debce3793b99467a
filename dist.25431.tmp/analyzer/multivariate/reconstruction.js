/**
 * Multivariate drift by PCA reconstruction error, as NannyML's DataReconstructionDriftCalculator
 * (nannyml/drift/multivariate/data_reconstruction/calculator.py): standardise the reference
 * (sklearn StandardScaler), keep the principal components that explain more than 65% of its variance
 * (sklearn PCA `n_components=0.65`), and measure, for a window, the mean Euclidean distance between each
 * standardised row and its projection back from those components. A change in how features move
 * together — invisible to per-feature tests when the marginals stay put — moves rows off the reference's
 * principal subspace and raises the error. The alert band is learnt from reference chunks (mean ± 3 std,
 * lower bound 0, dropped when negative, as NannyML).
 *
 * Contract on the input (NannyML does these steps itself; here the caller does, and must do them the same
 * way for the reference and every window):
 * - numeric columns only: encode categoricals first. NannyML uses a normalised count encoder (each category
 *   becomes its reference frequency), which keeps one column per feature; one-hot columns also work.
 * - no missing values: impute each feature with its reference mean (NannyML's SimpleImputer 'mean'; for
 *   categoricals, the most frequent category). Any non-finite value throws.
 * - the same column order everywhere.
 *
 * The components are eigenvectors of the covariance matrix of the standardised reference, found with the
 * Jacobi solver, where sklearn takes an SVD of the data; both give the same subspace and variances.
 */
import { chunkThreshold, splitChunks } from "./chunk-threshold.js";
import { DEFAULT_STD_MULTIPLIER, DEFAULT_VARIANCE_EXPLAINED } from "./const.js";
import { symmetricEigen } from "./symmetric-eigen.js";
import { requireInteger, requireOpenUnit } from "./validate.js";
// Rows are summed in blocks, then blocks summed: the rounding error grows with the block count, not the row count.
const SUM_BLOCK_ROWS = 256;
/** Fits the standardisation and the principal components of reference rows (numeric, imputed). */
export function fitReconstruction(options) {
    const { rows, varianceExplained = DEFAULT_VARIANCE_EXPLAINED, componentCount } = options;
    const n = rows.length;
    if (n < 2)
        throw new RangeError(`rows.length = ${n}: expected at least 2 reference rows`);
    const p = checkRows('rows', rows, rows[0]?.length ?? 0);
    if (p < 1)
        throw new RangeError('rows[0].length = 0: expected at least one feature');
    if (componentCount === undefined)
        requireOpenUnit('varianceExplained', varianceExplained);
    else {
        requireInteger('componentCount', componentCount, 1);
        if (componentCount > Math.min(n, p))
            throw new RangeError(`componentCount = ${componentCount}: expected ≤ min(rows, features) = ${Math.min(n, p)}`);
    }
    const { means, scales } = fitScaler(rows, p);
    const standardised = rows.map((row) => standardise(row, means, scales));
    const covariance = covarianceOf(standardised, p);
    const eigen = symmetricEigen(covariance);
    // Rounding can leave the eigenvalues of zero-variance directions a hair below 0; variances cannot be negative.
    const explainedVariance = eigen.values.map((value) => Math.max(value, 0));
    const totalVariance = explainedVariance.reduce((sum, value) => sum + value, 0);
    if (!(totalVariance > 0))
        throw new RangeError('rows: every feature is constant in the reference; nothing to reconstruct');
    const explainedVarianceRatio = explainedVariance.map((value) => value / totalVariance);
    const kept = componentCount ?? componentsFor(explainedVarianceRatio, varianceExplained);
    return {
        featureCount: p,
        referenceRowCount: n,
        means,
        scales,
        components: eigen.vectors.slice(0, kept),
        explainedVariance,
        explainedVarianceRatio,
        varianceExplained: componentCount === undefined ? varianceExplained : null,
    };
}
/** Euclidean distance between each standardised row and its reconstruction from the kept components. */
export function reconstructionErrors(model, rows) {
    checkRows('rows', rows, model.featureCount);
    return rows.map((row) => residualNorm(model, standardise(row, model.means, model.scales)));
}
/** Mean reconstruction error of a window of rows: NannyML's per-chunk `reconstruction_error` value. */
export function reconstructionError(model, rows) {
    if (rows.length === 0)
        throw new RangeError('rows = []: expected at least one row');
    const errors = reconstructionErrors(model, rows);
    return blockSum(errors.length, (i) => errors[i] ?? 0) / errors.length;
}
/**
 * Alert band of the reconstruction error: the mean error of each `chunkSize`-row reference chunk, then
 * mean ± 3 std (ddof 0); a negative lower threshold is removed (`null`), as NannyML, since errors are ≥ 0.
 */
export function fitReconstructionThreshold(model, referenceRows, chunkSize, options = {}) {
    const { stdMultiplier = DEFAULT_STD_MULTIPLIER, incomplete = 'keep' } = options;
    const chunks = splitChunks(referenceRows.length, chunkSize, incomplete);
    if (chunks.length === 0)
        throw new RangeError(`referenceRows.length = ${referenceRows.length}: expected at least one chunk of ${chunkSize} rows`);
    const errors = reconstructionErrors(model, referenceRows);
    const chunkErrors = chunks.map(({ start, end }) => blockSum(end - start, (i) => errors[start + i] ?? 0) / (end - start));
    const band = chunkThreshold(chunkErrors, { stdMultiplier, lowerBound: 0, outOfBounds: 'none' });
    return { ...band, chunkErrors };
}
// sklearn's rule for a float n_components (PCA._fit_full): searchsorted(cumsum(ratio), share, side='right') + 1,
// i.e. the fewest components whose cumulative share is strictly greater than the target.
function componentsFor(ratios, share) {
    let cumulative = 0;
    let atOrBelow = 0;
    for (const ratio of ratios) {
        cumulative += ratio;
        if (cumulative <= share)
            atOrBelow++;
        else
            break;
    }
    return Math.min(atOrBelow + 1, ratios.length);
}
// StandardScaler: mean, then the population variance with the Chan–Golub–LeVeque correction term; features
// indistinguishable from a constant (sklearn `_is_constant_feature`) get scale 1 so they stand at 0.
function fitScaler(rows, p) {
    const n = rows.length;
    const sums = columnBlockSums(rows, p, (x) => x);
    const means = Array.from(sums, (sum) => sum / n);
    const squares = columnBlockSums(rows, p, (x, j) => (x - (means[j] ?? 0)) ** 2);
    const corrections = columnBlockSums(rows, p, (x, j) => x - (means[j] ?? 0));
    const scales = means.map((mean, j) => {
        const correction = corrections[j] ?? 0;
        const variance = ((squares[j] ?? 0) - (correction * correction) / n) / n;
        const constant = variance <= n * Number.EPSILON * variance + (n * mean * Number.EPSILON) ** 2;
        return constant ? 1 : Math.sqrt(variance);
    });
    return { means, scales };
}
// Per-column sums of term(value, column), accumulated row by row (cache-friendly) in blocks of rows.
function columnBlockSums(rows, p, term) {
    const total = new Float64Array(p);
    const partial = new Float64Array(p);
    for (let start = 0; start < rows.length; start += SUM_BLOCK_ROWS) {
        partial.fill(0);
        for (let i = start; i < Math.min(start + SUM_BLOCK_ROWS, rows.length); i++) {
            const row = rows[i];
            for (let j = 0; j < p; j++)
                partial[j] = (partial[j] ?? 0) + term(row[j] ?? 0, j);
        }
        for (let j = 0; j < p; j++)
            total[j] = (total[j] ?? 0) + (partial[j] ?? 0);
    }
    return total;
}
function standardise(row, means, scales) {
    const z = new Float64Array(row.length);
    for (let j = 0; j < row.length; j++)
        z[j] = ((row[j] ?? 0) - (means[j] ?? 0)) / (scales[j] ?? 1);
    return z;
}
// Covariance (divisor n − 1, as sklearn's explained_variance_) of the standardised rows about their own mean,
// which is 0 up to rounding; PCA centres again, so do we.
function covarianceOf(z, p) {
    const n = z.length;
    const centre = columnBlockSums(z, p, (x) => x).map((sum) => sum / n);
    const total = new Float64Array(p * p);
    const block = new Float64Array(p * p);
    const d = new Float64Array(p);
    for (let start = 0; start < n; start += SUM_BLOCK_ROWS) {
        block.fill(0);
        for (let i = start; i < Math.min(start + SUM_BLOCK_ROWS, n); i++) {
            const row = z[i];
            for (let j = 0; j < p; j++)
                d[j] = (row[j] ?? 0) - (centre[j] ?? 0);
            for (let j = 0; j < p; j++) {
                const dj = d[j] ?? 0;
                for (let k = j; k < p; k++)
                    block[j * p + k] = (block[j * p + k] ?? 0) + dj * (d[k] ?? 0);
            }
        }
        for (let e = 0; e < p * p; e++)
            total[e] = (total[e] ?? 0) + (block[e] ?? 0);
    }
    return Array.from({ length: p }, (_, j) => Array.from({ length: p }, (_, k) => (total[j <= k ? j * p + k : k * p + j] ?? 0) / (n - 1)));
}
// ‖z − Pᵀ P z‖ with P the kept components (rows); the residual is formed explicitly, not as ‖z‖² − ‖Pz‖²,
// whose cancellation would lose the small errors of well-reconstructed rows.
function residualNorm(model, z) {
    const residual = Float64Array.from(z);
    for (const component of model.components) {
        let score = 0;
        for (let j = 0; j < z.length; j++)
            score += (component[j] ?? 0) * (z[j] ?? 0);
        for (let j = 0; j < z.length; j++)
            residual[j] = (residual[j] ?? 0) - score * (component[j] ?? 0);
    }
    let sum = 0;
    for (const r of residual)
        sum += r * r;
    return Math.sqrt(sum);
}
function blockSum(count, term) {
    let total = 0;
    for (let start = 0; start < count; start += SUM_BLOCK_ROWS) {
        let partial = 0;
        for (let i = start; i < Math.min(start + SUM_BLOCK_ROWS, count); i++)
            partial += term(i);
        total += partial;
    }
    return total;
}
function checkRows(name, rows, width) {
    rows.forEach((row, i) => {
        if (row.length !== width)
            throw new RangeError(`${name}[${i}].length = ${row.length}: expected ${width} features`);
        row.forEach((value, j) => {
            if (!Number.isFinite(value))
                throw new RangeError(`${name}[${i}][${j}] = ${value}: expected a finite number (impute missing values with the reference mean first)`);
        });
    });
    return width;
}
//# sourceMappingURL=reconstruction.js.map