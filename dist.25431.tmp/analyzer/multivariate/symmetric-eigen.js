/**
 * Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method (Jacobi 1846; the rotation as
 * in Golub & Van Loan, "Matrix Computations", 4th ed., §8.5, with Rutishauser's small-root tangent). Each
 * rotation zeroes one off-diagonal entry; sweeps repeat until every off-diagonal entry is negligible against
 * its diagonal pair. Slow for large matrices (O(n³) per sweep) but accurate and simple, which suits the
 * ≤ ~50 × 50 covariance matrices of PCA reconstruction.
 */
const MAX_SWEEPS = 100;
/** Eigenvalues (descending) and orthonormal eigenvectors of a symmetric matrix, by cyclic Jacobi rotations. */
export function symmetricEigen(matrix) {
    const n = matrix.length;
    const a = new Float64Array(n * n);
    matrix.forEach((row, i) => {
        if (row.length !== n)
            throw new RangeError(`matrix[${i}].length = ${row.length}: expected ${n} (a square matrix)`);
        row.forEach((value, j) => {
            if (!Number.isFinite(value))
                throw new RangeError(`matrix[${i}][${j}] = ${value}: expected a finite number`);
            a[i * n + j] = value;
        });
    });
    for (let i = 0; i < n; i++) {
        for (let j = 0; j < i; j++) {
            const x = a[i * n + j] ?? 0;
            const y = a[j * n + i] ?? 0;
            if (Math.abs(x - y) > 1e-12 * Math.max(1, Math.abs(x), Math.abs(y))) {
                throw new RangeError(`matrix[${i}][${j}] = ${x}, matrix[${j}][${i}] = ${y}: expected a symmetric matrix`);
            }
            a[i * n + j] = a[j * n + i] = (x + y) / 2;
        }
    }
    // v accumulates the rotations; column k of v is the k-th eigenvector, stored row-major as v[row * n + k].
    const v = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
        v[i * n + i] = 1;
    for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
        let rotated = false;
        for (let p = 0; p < n - 1; p++) {
            for (let q = p + 1; q < n; q++) {
                const apq = a[p * n + q] ?? 0;
                const app = a[p * n + p] ?? 0;
                const aqq = a[q * n + q] ?? 0;
                // Negligible against the diagonal (Demmel & Veselić 1992): rotating would change nothing in
                // double precision, and skipping keeps the small eigenvalues as accurate as the data allows.
                if (Math.abs(apq) <= Number.EPSILON * Math.sqrt(Math.abs(app * aqq)) || apq === 0) {
                    a[p * n + q] = a[q * n + p] = 0;
                    continue;
                }
                rotated = true;
                const theta = (aqq - app) / (2 * apq);
                // t = tan of the rotation angle, the root of t² + 2θt − 1 = 0 of smaller magnitude (|angle| ≤ π/4).
                const t = Math.abs(theta) > 1e150 ? 1 / (2 * theta) : Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                const c = 1 / Math.sqrt(t * t + 1);
                const s = t * c;
                // A ← Jᵀ A J with J the rotation in the (p, q) plane: columns first, then rows.
                for (let k = 0; k < n; k++) {
                    const akp = a[k * n + p] ?? 0;
                    const akq = a[k * n + q] ?? 0;
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for (let k = 0; k < n; k++) {
                    const apk = a[p * n + k] ?? 0;
                    const aqk = a[q * n + k] ?? 0;
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                // The exact updates of the diagonal pair (Rutishauser) beat the rounded results of the loops above.
                a[p * n + p] = app - t * apq;
                a[q * n + q] = aqq + t * apq;
                a[p * n + q] = a[q * n + p] = 0;
                for (let k = 0; k < n; k++) {
                    const vkp = v[k * n + p] ?? 0;
                    const vkq = v[k * n + q] ?? 0;
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
        if (!rotated)
            break;
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (a[j * n + j] ?? 0) - (a[i * n + i] ?? 0));
    const values = order.map((k) => a[k * n + k] ?? 0);
    const vectors = order.map((k) => {
        const vector = Array.from({ length: n }, (_, row) => v[row * n + k] ?? 0);
        return withLargestLoadingPositive(vector);
    });
    return { values, vectors };
}
// Eigenvectors are defined up to sign; fix it so that results are deterministic and comparable across runs.
function withLargestLoadingPositive(vector) {
    let largest = 0;
    for (const x of vector)
        if (Math.abs(x) > Math.abs(largest))
            largest = x;
    return largest < 0 ? vector.map((x) => -x) : vector;
}
//# sourceMappingURL=symmetric-eigen.js.map