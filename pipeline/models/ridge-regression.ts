import type { ModelParams } from '../../contract/index.ts'
import { choleskySolve } from './linear-algebra.ts'
import { assertFinite } from './matrix.ts'
import type { Matrix, ProgressCallback, TrainedModel } from './types.ts'

/** Options of trainRidgeRegression. */
export interface RidgeRegressionOptions {
  readonly x: Matrix
  readonly y: ArrayLike<number>
  /** L2 strength, as scikit-learn's `Ridge(alpha)`; 1 by default; 0 is ordinary least squares. */
  readonly alpha?: number
  readonly onProgress?: ProgressCallback
}

/**
 * Fits ridge regression in closed form with the objective of scikit-learn's `Ridge(alpha)`: ‖y − Xw − b‖² + α‖w‖²,
 * intercept unpenalised. As sklearn does, X and y are centred (which removes b from the problem), then
 * (XcᵀXc + αI) w = Xcᵀyc is solved by Cholesky and b = ȳ − x̄·w. Throws a RangeError naming the fix when the system
 * is singular (collinear columns with α = 0, e.g. a full one-hot block).
 */
export function trainRidgeRegression(options: RidgeRegressionOptions): TrainedModel {
  const { x, y } = options
  const alpha = options.alpha ?? 1
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new RangeError(`alpha must be a finite number ≥ 0, got ${alpha}`)
  if (y.length !== x.rows) throw new RangeError(`y has ${y.length} targets but x has ${x.rows} rows`)
  if (x.rows === 0) throw new RangeError('x has no rows: nothing to train on')
  assertFinite(x, 'x')
  const n = x.rows
  const d = x.cols
  const data = x.data
  const xMean = new Float64Array(d)
  let yMean = 0
  for (let i = 0; i < n; i++) {
    const yi = y[i] as number
    if (!Number.isFinite(yi)) throw new RangeError(`y[${i}] is ${yi}; targets must be finite`)
    yMean += yi
    for (let j = 0; j < d; j++) xMean[j] = (xMean[j] as number) + (data[i * d + j] as number)
  }
  yMean /= n
  for (let j = 0; j < d; j++) xMean[j] = (xMean[j] as number) / n
  // Gram matrix of the centred columns (upper triangle, mirrored) and Xcᵀyc, one pass over the rows.
  const gram = new Float64Array(d * d)
  const xty = new Float64Array(d)
  const row = new Float64Array(d)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = (data[i * d + j] as number) - (xMean[j] as number)
    const yc = (y[i] as number) - yMean
    for (let j = 0; j < d; j++) {
      const rj = row[j] as number
      xty[j] = (xty[j] as number) + rj * yc
      for (let k = j; k < d; k++) gram[j * d + k] = (gram[j * d + k] as number) + rj * (row[k] as number)
    }
  }
  for (let j = 0; j < d; j++) {
    gram[j * d + j] = (gram[j * d + j] as number) + alpha
    for (let k = j + 1; k < d; k++) gram[k * d + j] = gram[j * d + k] as number
  }
  const w = choleskySolve(gram, d, xty)
  if (w === null) {
    throw new RangeError(`ridge: XᵀX + αI is singular with alpha ${alpha} (collinear or constant columns); use alpha > 0 or drop a column`)
  }
  let bias = yMean
  for (let j = 0; j < d; j++) bias -= (xMean[j] as number) * (w[j] as number)
  let sse = 0
  for (let i = 0; i < n; i++) {
    let p = bias
    for (let j = 0; j < d; j++) p += (w[j] as number) * (data[i * d + j] as number)
    sse += ((y[i] as number) - p) ** 2
  }
  const loss = sse / n
  options.onProgress?.({ epoch: 1, epochs: 1, loss })
  const params: ModelParams = { kind: 'linear', weights: Array.from(w), bias }
  return { params, history: [{ epoch: 1, loss }], converged: true, epochs: 1 }
}
