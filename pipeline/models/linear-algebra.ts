const PIVOT_TOLERANCE = 1e-12

/**
 * Solves A x = b for a symmetric positive definite A (n × n, row-major; overwritten by its Cholesky factor L) by
 * A = L Lᵀ and two triangular solves (Golub & Van Loan, "Matrix Computations", 4th ed., algorithm 4.2.1).
 * Returns null when A is not numerically positive definite: a pivot at or below 1e-12 of its original diagonal
 * entry means a (near) linear dependence, whose solution would be rounding noise.
 */
export function choleskySolve(a: Float64Array, n: number, b: Float64Array): Float64Array | null {
  for (let j = 0; j < n; j++) {
    const original = a[j * n + j] as number
    let diag = original
    for (let k = 0; k < j; k++) diag -= (a[j * n + k] as number) ** 2
    if (!(diag > PIVOT_TOLERANCE * original)) return null
    const ljj = Math.sqrt(diag)
    a[j * n + j] = ljj
    for (let i = j + 1; i < n; i++) {
      let v = a[i * n + j] as number
      for (let k = 0; k < j; k++) v -= (a[i * n + k] as number) * (a[j * n + k] as number)
      a[i * n + j] = v / ljj
    }
  }
  const x = Float64Array.from(b)
  for (let i = 0; i < n; i++) {
    let v = x[i] as number
    for (let k = 0; k < i; k++) v -= (a[i * n + k] as number) * (x[k] as number)
    x[i] = v / (a[i * n + i] as number)
  }
  for (let i = n - 1; i >= 0; i--) {
    let v = x[i] as number
    for (let k = i + 1; k < n; k++) v -= (a[k * n + i] as number) * (x[k] as number)
    x[i] = v / (a[i * n + i] as number)
  }
  return x
}
