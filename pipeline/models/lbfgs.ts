import { backtrack } from './line-search.ts'

/** Options of the L-BFGS minimiser. */
export interface LbfgsOptions {
  /** Iteration cap; 1000 by default. */
  readonly maxIterations?: number
  /** Stop when max |gradient| ≤ this; 1e-10 by default (the objectives here are averaged, so gradients are O(1)). */
  readonly gradientTolerance?: number
  /** Correction pairs kept (m in Nocedal & Wright); 10 by default. */
  readonly memory?: number
  /** Called after each iteration with the objective value. */
  readonly onIteration?: (iteration: number, value: number) => void
}

/** Where L-BFGS stopped and why. */
export interface LbfgsResult {
  readonly x: Float64Array
  readonly value: number
  readonly iterations: number
  readonly gradientMaxAbs: number
  /** True when the gradient tolerance was met (or the line search could not improve at machine precision with a near-zero gradient). */
  readonly converged: boolean
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number)
  return s
}

function maxAbs(a: Float64Array): number {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number))
  return m
}

/**
 * Minimises a smooth function with limited-memory BFGS: two-loop recursion for the direction and a backtracking
 * Armijo line search (Nocedal & Wright, "Numerical Optimization", 2nd ed., algorithms 7.4 and 7.5, 3.1). A pair
 * with non-positive curvature sᵀy is skipped, which keeps the implicit Hessian positive definite. Meant for the
 * convex objectives of this folder, where Armijo backtracking is enough. `fg` writes the gradient into `grad` and
 * returns the value.
 */
export function minimizeLbfgs(fg: (x: Float64Array, grad: Float64Array) => number, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIterations = options.maxIterations ?? 1000
  const tolerance = options.gradientTolerance ?? 1e-10
  const memory = options.memory ?? 10
  const n = x0.length
  const x = Float64Array.from(x0)
  const g = new Float64Array(n)
  let f = fg(x, g)
  const s: Float64Array[] = []
  const y: Float64Array[] = []
  const rho: number[] = []
  const alpha = new Float64Array(memory)
  const d = new Float64Array(n)
  const xNew = new Float64Array(n)
  const gNew = new Float64Array(n)
  let iterations = 0
  let converged = maxAbs(g) <= tolerance
  while (!converged && iterations < maxIterations) {
    // Two-loop recursion: d = −H g.
    d.set(g)
    for (let k = s.length - 1; k >= 0; k--) {
      const a = (rho[k] as number) * dot(s[k] as Float64Array, d)
      alpha[k] = a
      const yk = y[k] as Float64Array
      for (let i = 0; i < n; i++) d[i] = (d[i] as number) - a * (yk[i] as number)
    }
    const last = s.length - 1
    // Initial Hessian scaling γ = sᵀy / yᵀy (N&W eq. 7.20); before any pair, a step of unit length.
    const gamma = last >= 0 ? dot(s[last] as Float64Array, y[last] as Float64Array) / dot(y[last] as Float64Array, y[last] as Float64Array) : 1 / Math.max(maxAbs(g), 1e-300)
    for (let i = 0; i < n; i++) d[i] = (d[i] as number) * gamma
    for (let k = 0; k < s.length; k++) {
      const b = (rho[k] as number) * dot(y[k] as Float64Array, d)
      const sk = s[k] as Float64Array
      for (let i = 0; i < n; i++) d[i] = (d[i] as number) + (sk[i] as number) * ((alpha[k] as number) - b)
    }
    for (let i = 0; i < n; i++) d[i] = -(d[i] as number)
    let slope = dot(g, d)
    if (!(slope < 0)) {
      // Not a descent direction (rounding): restart from steepest descent.
      s.length = 0
      y.length = 0
      rho.length = 0
      for (let i = 0; i < n; i++) d[i] = -(g[i] as number)
      slope = dot(g, d)
    }
    const { accepted, value: fNew } = backtrack(x, d, f, slope, xNew, (point) => fg(point, gNew))
    iterations++
    if (!accepted) {
      // No decrease representable in float64: we are at the minimum to machine precision.
      converged = maxAbs(g) <= Math.sqrt(tolerance)
      break
    }
    const sk = new Float64Array(n)
    const yk = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      sk[i] = (xNew[i] as number) - (x[i] as number)
      yk[i] = (gNew[i] as number) - (g[i] as number)
    }
    const sy = dot(sk, yk)
    if (sy > 1e-300) {
      if (s.length === memory) {
        s.shift()
        y.shift()
        rho.shift()
      }
      s.push(sk)
      y.push(yk)
      rho.push(1 / sy)
    }
    x.set(xNew)
    g.set(gNew)
    const decrease = f - fNew
    f = fNew
    options.onIteration?.(iterations, f)
    converged = maxAbs(g) <= tolerance
    // A step that changes f by less than float64 resolution with a tiny gradient is converged as well.
    if (!converged && decrease <= 1e-16 * Math.max(1, Math.abs(f)) && maxAbs(g) <= Math.sqrt(tolerance)) converged = true
    // f did not move at all: further iterations cannot help.
    if (decrease === 0) break
  }
  return { x, value: f, iterations, gradientMaxAbs: maxAbs(g), converged }
}
