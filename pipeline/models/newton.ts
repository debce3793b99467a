import { choleskySolve } from './linear-algebra.ts'
import { backtrack } from './line-search.ts'

/** Options of minimizeNewton. */
export interface NewtonOptions {
  /** Iteration cap; 100 by default (Newton on these objectives needs about ten). */
  readonly maxIterations?: number
  /** Stop when max |gradient| ≤ this; 1e-10 by default. */
  readonly gradientTolerance?: number
  readonly onIteration?: (iteration: number, value: number) => void
}

/** Where Newton's method stopped. */
export interface NewtonResult {
  readonly x: Float64Array
  readonly value: number
  readonly iterations: number
  readonly gradientMaxAbs: number
  readonly converged: boolean
}

function maxAbs(a: Float64Array): number {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number))
  return m
}

/**
 * Minimises a smooth, strictly convex function by Newton's method with a backtracking Armijo line search (Nocedal &
 * Wright, "Numerical Optimization", 2nd ed., §3.3): the step solves H d = −g by Cholesky. Quadratic convergence
 * reaches the optimum to rounding in a handful of iterations, which is why logistic regression uses it whenever the
 * parameter count keeps the p × p Hessian small. A Hessian that is not numerically positive definite is damped
 * (H + λI, λ growing tenfold) until it is. `fgh` writes the gradient, and the Hessian when `hess` is not null.
 */
export function minimizeNewton(fgh: (x: Float64Array, grad: Float64Array, hess: Float64Array | null) => number, x0: Float64Array, options: NewtonOptions = {}): NewtonResult {
  const maxIterations = options.maxIterations ?? 100
  const tolerance = options.gradientTolerance ?? 1e-10
  const p = x0.length
  const x = Float64Array.from(x0)
  const g = new Float64Array(p)
  const h = new Float64Array(p * p)
  const xNew = new Float64Array(p)
  const gNew = new Float64Array(p)
  let f = fgh(x, g, h)
  let iterations = 0
  let converged = maxAbs(g) <= tolerance
  while (!converged && iterations < maxIterations) {
    const minusG = g.map((v) => -v)
    let d: Float64Array | null = null
    for (let damping = 0; d === null; damping = damping === 0 ? 1e-10 : damping * 10) {
      const a = Float64Array.from(h)
      for (let i = 0; i < p; i++) a[i * p + i] = (a[i * p + i] as number) + damping
      d = choleskySolve(a, p, minusG)
      if (damping > 1e6) throw new RangeError('newton: the Hessian stays singular even when damped')
    }
    let slope = 0
    for (let i = 0; i < p; i++) slope += (g[i] as number) * (d[i] as number)
    const { accepted } = backtrack(x, d, f, slope, xNew, (point) => fgh(point, gNew, null))
    iterations++
    if (!accepted) {
      // No decrease representable in float64: the optimum is reached to machine precision.
      converged = maxAbs(g) <= Math.sqrt(tolerance)
      break
    }
    x.set(xNew)
    f = fgh(x, g, h)
    options.onIteration?.(iterations, f)
    converged = maxAbs(g) <= tolerance
  }
  return { x, value: f, iterations, gradientMaxAbs: maxAbs(g), converged }
}
