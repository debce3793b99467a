import type { ModelParams } from '../../contract/index.ts'
import { minimizeLbfgs } from './lbfgs.ts'
import { minimizeNewton } from './newton.ts'
import { assertFinite } from './matrix.ts'
import type { EpochRecord, Matrix, ProgressCallback, TrainedModel } from './types.ts'

/** Options of trainLogisticRegression. */
export interface LogisticRegressionOptions {
  readonly x: Matrix
  /** Class index per row, in [0, classes). Binary: 1 is the positive class (`classes[1]` of the signature). */
  readonly y: ArrayLike<number>
  /** Number of classes K ≥ 2; K = 2 fits one weight row (sigmoid), K > 2 a multinomial (softmax) model. */
  readonly classes: number
  /** Inverse L2 strength, as scikit-learn's `C`; 1 by default. */
  readonly C?: number
  /** L-BFGS iteration cap; 1000 by default. */
  readonly maxIterations?: number
  /** Stop when max |∇f| of the averaged objective ≤ this; 1e-10 by default. */
  readonly tolerance?: number
  /** `auto` (default): Newton when the model has at most 200 parameters, else L-BFGS. */
  readonly solver?: 'auto' | 'newton' | 'lbfgs'
  readonly onProgress?: ProgressCallback
}

/** log(1 + eᶻ) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))
}

function checkLabels(y: ArrayLike<number>, rows: number, classes: number): void {
  if (!Number.isInteger(classes) || classes < 2) throw new RangeError(`classes must be an integer ≥ 2, got ${classes}`)
  if (y.length !== rows) throw new RangeError(`y has ${y.length} labels but x has ${rows} rows`)
  if (rows === 0) throw new RangeError('x has no rows: nothing to train on')
  for (let i = 0; i < rows; i++) {
    const v = y[i] as number
    if (!Number.isInteger(v) || v < 0 || v >= classes) throw new RangeError(`y[${i}] is ${v}; labels must be class indices in [0, ${classes})`)
  }
}

/** Newton's p × p Hessian is formed and factorised each iteration; above this many parameters L-BFGS is cheaper. */
const NEWTON_MAX_PARAMETERS = 200

/**
 * Value, gradient and (when `hess` is given) Hessian of the averaged objective (1/n)[Σᵢ lossᵢ + ‖W‖²/(2C)] over
 * θ = [W (K × d, row-major), b (K)], K = 1 for the binary model. Hessian rows only visit the non-zero columns of
 * each row, which makes one-hot designs cheap.
 */
function objective(x: Matrix, y: ArrayLike<number>, K: number, C: number): (theta: Float64Array, grad: Float64Array, hess: Float64Array | null) => number {
  const n = x.rows
  const d = x.cols
  const data = x.data
  const p = K * d + K
  const penalty = 1 / C
  const scale = 1 / n
  const z = new Float64Array(K)
  const prob = new Float64Array(K)
  const nz = new Int32Array(d + 1)
  const nzValue = new Float64Array(d + 1)
  return (theta, grad, hess) => {
    grad.fill(0)
    if (hess) hess.fill(0)
    let loss = 0
    for (let i = 0; i < n; i++) {
      const off = i * d
      const yi = y[i] as number
      let zMax = Number.NEGATIVE_INFINITY
      for (let k = 0; k < K; k++) {
        let v = theta[K * d + k] as number
        const wOff = k * d
        for (let j = 0; j < d; j++) v += (theta[wOff + j] as number) * (data[off + j] as number)
        z[k] = v
        if (v > zMax) zMax = v
      }
      if (K === 1) {
        const v = z[0] as number
        // Binary: loss = log(1 + eᶻ) − y·z, ∂/∂z = σ(z) − y.
        loss += softplus(v) - yi * v
        prob[0] = 1 / (1 + Math.exp(-v))
        const r = (prob[0] as number) - yi
        for (let j = 0; j < d; j++) grad[j] = (grad[j] as number) + r * (data[off + j] as number)
        grad[d] = (grad[d] as number) + r
      } else {
        // Multinomial: loss = logΣₖ e^{zₖ} − z_y, ∂/∂zₖ = pₖ − 1[y = k].
        let sum = 0
        for (let k = 0; k < K; k++) sum += Math.exp((z[k] as number) - zMax)
        const lse = zMax + Math.log(sum)
        loss += lse - (z[yi] as number)
        for (let k = 0; k < K; k++) {
          const pk = Math.exp((z[k] as number) - lse)
          prob[k] = pk
          const r = pk - (k === yi ? 1 : 0)
          const wOff = k * d
          for (let j = 0; j < d; j++) grad[wOff + j] = (grad[wOff + j] as number) + r * (data[off + j] as number)
          grad[K * d + k] = (grad[K * d + k] as number) + r
        }
      }
      if (hess) {
        // ∂²/∂zₖ∂zₗ = pₖ(δₖₗ − pₗ) (binary: p(1 − p)), times x̃ⱼx̃ₘ with x̃ = [x, 1].
        let count = 0
        for (let j = 0; j < d; j++) {
          const v = data[off + j] as number
          if (v !== 0) {
            nz[count] = j
            nzValue[count++] = v
          }
        }
        nz[count] = d
        nzValue[count++] = 1
        for (let k = 0; k < K; k++) {
          const pk = prob[k] as number
          for (let l = 0; l < K; l++) {
            const c = K === 1 ? pk * (1 - pk) : pk * ((k === l ? 1 : 0) - (prob[l] as number))
            if (c === 0) continue
            for (let a = 0; a < count; a++) {
              const ja = nz[a] as number
              const row = (ja === d ? K * d + k : k * d + ja) * p
              const ca = c * (nzValue[a] as number)
              for (let b = 0; b < count; b++) {
                const jb = nz[b] as number
                const col = jb === d ? K * d + l : l * d + jb
                hess[row + col] = (hess[row + col] as number) + ca * (nzValue[b] as number)
              }
            }
          }
        }
      }
    }
    let ww = 0
    for (let q = 0; q < K * d; q++) {
      const w = theta[q] as number
      ww += w * w
      grad[q] = ((grad[q] as number) + penalty * w) * scale
    }
    for (let k = 0; k < K; k++) grad[K * d + k] = (grad[K * d + k] as number) * scale
    if (hess) {
      for (let q = 0; q < p * p; q++) hess[q] = (hess[q] as number) * scale
      for (let q = 0; q < K * d; q++) hess[q * p + q] = (hess[q * p + q] as number) + penalty * scale
    }
    return (loss + 0.5 * penalty * ww) * scale
  }
}

/**
 * Fits L2-regularised logistic regression with the objective of scikit-learn's `LogisticRegression(C)`:
 * C·Σᵢ lossᵢ + ½‖W‖², intercept unpenalised; binary with one weight vector, K > 2 classes multinomial (softmax
 * cross-entropy, sklearn's `multi_class='auto'`). The objective is minimised divided by C·n (same minimiser,
 * gradients O(1)) to a gradient tolerance of 1e-10, so the answer is the unique optimum, not a solver's
 * approximation: Newton's method (sklearn's `newton-cholesky` idea) when there are at most 200 parameters, L-BFGS
 * above (e.g. bag-of-words text). Starts from zero, like sklearn, which keeps the multinomial intercepts summing to
 * zero (they are otherwise only defined up to a common shift, the Hessian's null direction).
 */
export function trainLogisticRegression(options: LogisticRegressionOptions): TrainedModel {
  const { x, y, classes } = options
  const C = options.C ?? 1
  if (!(C > 0) || !Number.isFinite(C)) throw new RangeError(`C must be a positive finite number, got ${C}`)
  checkLabels(y, x.rows, classes)
  assertFinite(x, 'x')
  const d = x.cols
  const K = classes === 2 ? 1 : classes
  const p = K * d + K
  const solver = options.solver ?? 'auto'
  const useNewton = solver === 'newton' || (solver === 'auto' && p <= NEWTON_MAX_PARAMETERS)
  const maxIterations = options.maxIterations ?? (useNewton ? 100 : 1000)
  const gradientTolerance = options.tolerance ?? 1e-10
  const history: EpochRecord[] = []
  const onIteration = (iteration: number, value: number): void => {
    history.push({ epoch: iteration, loss: value })
    options.onProgress?.({ epoch: iteration, epochs: maxIterations, loss: value })
  }
  const fgh = objective(x, y, K, C)
  const start = new Float64Array(p)
  const result = useNewton
    ? minimizeNewton(fgh, start, { maxIterations, gradientTolerance, onIteration })
    : minimizeLbfgs((theta, grad) => fgh(theta, grad, null), start, { maxIterations, gradientTolerance, onIteration })
  const weights: number[][] = []
  for (let k = 0; k < K; k++) weights.push(Array.from(result.x.subarray(k * d, (k + 1) * d)))
  const bias = Array.from(result.x.subarray(K * d, K * d + K))
  if (K > 1) {
    // Softmax ignores a common shift of the intercepts and nothing penalises them: report the zero-sum
    // representative (where sklearn's zero start lands), not wherever rounding in the Hessian's null direction left them.
    const mean = bias.reduce((a, b) => a + b, 0) / K
    for (let k = 0; k < K; k++) bias[k] = (bias[k] as number) - mean
  }
  const params: ModelParams = { kind: 'logistic', weights, bias }
  return { params, history, converged: result.converged, epochs: result.iterations }
}
