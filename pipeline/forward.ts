import type { DenseLayer, ModelParams } from '../contract/index.ts'

/*
 * The pure forward pass over preprocessed vectors: the reference that training, explanations and the exported ONNX
 * graph (pipeline/onnx) must agree with. Every step is written as the graph computes it, in double precision:
 * Gemm (w·x + b), σ(t) = 1 / (1 + e^(−t)), softmax with the row maximum subtracted, y = raw × scale + mean.
 */

/** What a model returns: a regression value, or one probability per class. */
export type ModelOutput = 'prediction' | 'probabilities'

/** The widths a model's parameters imply. */
export interface ModelShape {
  /** Length of the preprocessed input vector. */
  readonly inputWidth: number
  /** Columns of `predictVectors`' result: 1 for regression, the number of classes otherwise. */
  readonly outputWidth: number
  readonly output: ModelOutput
}

/** Parameters that contradict themselves (ragged weights, a layer that does not fit the next), naming where. */
export class ModelParamsError extends Error {
  override readonly name = 'ModelParamsError'
  readonly field: string

  constructor(field: string, message: string) {
    super(`${field}: ${message}`)
    this.field = field
  }
}

function checkDense(field: string, weights: readonly (readonly number[])[], bias: readonly number[], inputs: number | undefined): number {
  if (weights.length === 0) throw new ModelParamsError(`${field}.weights`, 'must have at least one row')
  const width = inputs ?? weights[0]?.length ?? 0
  if (width === 0) throw new ModelParamsError(`${field}.weights`, 'rows must have at least one column')
  weights.forEach((row, i) => {
    if (row.length !== width) throw new ModelParamsError(`${field}.weights[${i}]`, `has ${row.length} columns, expected ${width}`)
  })
  if (bias.length !== weights.length) throw new ModelParamsError(`${field}.bias`, `has ${bias.length} entries, expected one per weight row (${weights.length})`)
  return width
}

/** The input and output widths of a model, after checking that its parameters fit together. */
export function modelShape(params: ModelParams): ModelShape {
  switch (params.kind) {
    case 'linear':
      if (params.weights.length === 0) throw new ModelParamsError('weights', 'must have at least one entry')
      return { inputWidth: params.weights.length, outputWidth: 1, output: 'prediction' }
    case 'logistic': {
      const inputWidth = checkDense('logistic', params.weights, params.bias, undefined)
      // One row is the binary form σ(w·x + b) = p(classes[1]); returned as [1 − p, p].
      const classes = params.weights.length === 1 ? 2 : params.weights.length
      return { inputWidth, outputWidth: classes, output: 'probabilities' }
    }
    case 'mlp': {
      let width: number | undefined
      let inputWidth = 0
      params.layers.forEach((layer, i) => {
        const w = checkDense(`layers[${i}]`, layer.weights, layer.bias, width)
        if (i === 0) inputWidth = w
        width = layer.weights.length
      })
      const last = params.layers[params.layers.length - 1] as DenseLayer
      const units = last.weights.length
      const at = `layers[${params.layers.length - 1}].activation`
      if (last.activation === 'identity') {
        if (units !== 1) throw new ModelParamsError(at, `identity output must have 1 unit for regression, has ${units}`)
        return { inputWidth, outputWidth: 1, output: 'prediction' }
      }
      if (params.target !== undefined) throw new ModelParamsError('target', `target scaling needs an identity (regression) output layer, not ${last.activation}`)
      if (last.activation === 'sigmoid' && units === 1) return { inputWidth, outputWidth: 2, output: 'probabilities' }
      if (last.activation === 'softmax' && units >= 2) return { inputWidth, outputWidth: units, output: 'probabilities' }
      throw new ModelParamsError(at, `the output layer must be identity (regression), sigmoid with 1 unit (binary) or softmax with 2+ units; got ${last.activation} with ${units}`)
    }
  }
}

/** σ(t) = 1 / (1 + e^(−t)): overflows to exactly 0 or 1, never NaN. */
const sigmoid = (t: number): number => 1 / (1 + Math.exp(-t))

/** out[i, k] = Σ_j x[i, j] · w[k][j] + b[k] (Gemm with transB = 1). */
function dense(x: Float64Array, rows: number, width: number, weights: readonly (readonly number[])[], bias: readonly number[]): Float64Array {
  const units = weights.length
  const out = new Float64Array(rows * units)
  for (let i = 0; i < rows; i++) {
    const offset = i * width
    for (let k = 0; k < units; k++) {
      const w = weights[k] as readonly number[]
      let sum = 0
      for (let j = 0; j < width; j++) sum += (x[offset + j] as number) * (w[j] as number)
      out[i * units + k] = sum + (bias[k] as number)
    }
  }
  return out
}

/** Softmax of each row in place, the row maximum subtracted first so e^t cannot overflow. */
function softmaxRows(a: Float64Array, rows: number, units: number): void {
  for (let i = 0; i < rows; i++) {
    const row = a.subarray(i * units, (i + 1) * units)
    let max = -Infinity
    for (const v of row) max = Math.max(max, v)
    let sum = 0
    for (let k = 0; k < units; k++) {
      const e = Math.exp((row[k] as number) - max)
      row[k] = e
      sum += e
    }
    for (let k = 0; k < units; k++) row[k] = (row[k] as number) / sum
  }
}

function activate(a: Float64Array, rows: number, units: number, activation: DenseLayer['activation']): void {
  switch (activation) {
    case 'identity':
      return
    case 'relu':
      for (let i = 0; i < a.length; i++) a[i] = Math.max(0, a[i] as number)
      return
    case 'tanh':
      for (let i = 0; i < a.length; i++) a[i] = Math.tanh(a[i] as number)
      return
    case 'sigmoid':
      for (let i = 0; i < a.length; i++) a[i] = sigmoid(a[i] as number)
      return
    case 'softmax':
      softmaxRows(a, rows, units)
      return
  }
}

/** Binary probabilities [σ(−z), σ(z)]: equal to [1 − p, p], but the small one keeps its relative precision. */
function binary(z: Float64Array): Float64Array {
  const out = new Float64Array(z.length * 2)
  z.forEach((t, i) => {
    out[2 * i] = sigmoid(-t)
    out[2 * i + 1] = sigmoid(t)
  })
  return out
}

function unscale(y: Float64Array, target: { mean: number; scale: number } | undefined): Float64Array {
  if (target !== undefined) for (let i = 0; i < y.length; i++) y[i] = (y[i] as number) * target.scale + target.mean
  return y
}

/**
 * Runs a model over `matrix` (row-major, `width` columns). Regression → one value per row (target scaling undone);
 * classification → rows × classes probabilities in `classes` order (binary: [1 − p, p]).
 */
export function predictVectors(params: ModelParams, matrix: Float64Array, width: number): Float64Array {
  const shape = modelShape(params)
  if (width !== shape.inputWidth) throw new ModelParamsError('width', `the model takes ${shape.inputWidth} columns, got ${width}`)
  if (matrix.length % width !== 0) throw new ModelParamsError('matrix', `length ${matrix.length} is not a multiple of width ${width}`)
  const rows = matrix.length / width
  switch (params.kind) {
    case 'linear':
      return unscale(dense(matrix, rows, width, [params.weights], [params.bias]), params.target)
    case 'logistic': {
      const z = dense(matrix, rows, width, params.weights, params.bias)
      if (params.weights.length === 1) return binary(z)
      softmaxRows(z, rows, params.weights.length)
      return z
    }
    case 'mlp': {
      // modelShape allows a sigmoid output layer only with one unit: the binary form, kept as a logit for binary().
      const lastIndex = params.layers.length - 1
      const binaryOutput = params.layers[lastIndex]?.activation === 'sigmoid'
      let h = matrix
      let w = width
      params.layers.forEach((layer, i) => {
        const units = layer.weights.length
        const a = dense(h, rows, w, layer.weights, layer.bias)
        if (!(i === lastIndex && binaryOutput)) activate(a, rows, units, layer.activation)
        h = a
        w = units
      })
      if (binaryOutput) return binary(h)
      return shape.output === 'prediction' ? unscale(h, params.target) : h
    }
  }
}
