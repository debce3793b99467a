/** Sufficient-decrease constant of the Armijo condition (Nocedal & Wright, "Numerical Optimization", §3.1). */
const ARMIJO_C1 = 1e-4
/** Halvings before a step is declared unrepresentable in float64. */
const MAX_BACKTRACKS = 60

/**
 * Backtracking line search from `x` along the descent direction `d` (with `slope` = ∇f·d < 0): halves the step
 * from 1 until f(x + step·d) satisfies the Armijo condition. Writes the accepted point into `xNew` and returns its
 * value, or `accepted: false` when no decrease is representable (the optimum is reached to machine precision).
 */
export function backtrack(x: Float64Array, d: Float64Array, f: number, slope: number, xNew: Float64Array, evaluate: (point: Float64Array) => number): { accepted: boolean; value: number } {
  let step = 1
  let value = Number.POSITIVE_INFINITY
  for (let b = 0; b < MAX_BACKTRACKS; b++) {
    for (let i = 0; i < x.length; i++) xNew[i] = (x[i] as number) + step * (d[i] as number)
    value = evaluate(xNew)
    if (Number.isFinite(value) && value <= f + ARMIJO_C1 * step * slope) return { accepted: true, value }
    step *= 0.5
  }
  return { accepted: false, value }
}
