import type { DenseLayer, ModelParams } from '../../contract/index.ts'
import { assertFinite, selectRows } from './matrix.ts'
import { createSeededRandom, shuffleInPlace } from '../../random/index.ts'
import type { EpochRecord, Matrix, ProgressCallback, TrainedModel } from './types.ts'

/** What the network predicts: a number (standardised while training), or one of `classes` ≥ 2 classes. */
export type MlpTask = { readonly kind: 'regression' } | { readonly kind: 'classification'; readonly classes: number }

/** Options of trainMlp; every default is listed here. */
export interface MlpOptions {
  readonly x: Matrix
  /** Regression: the target. Classification: class index in [0, classes) (binary: 1 is `classes[1]`). */
  readonly y: ArrayLike<number>
  readonly task: MlpTask
  /** Units per hidden layer, one or two layers; [32] by default. */
  readonly hidden?: readonly number[]
  /** Hidden activation; relu by default. */
  readonly activation?: 'relu' | 'tanh'
  /** Adam step size; 1e-3 by default (Kingma & Ba 2015). */
  readonly learningRate?: number
  /** Rows per mini-batch; 64 by default. */
  readonly batchSize?: number
  /** Epoch cap; 200 by default. */
  readonly maxEpochs?: number
  /** Epochs without a validation improvement larger than `minDelta` before stopping; 10 by default. */
  readonly patience?: number
  /** Smallest validation-loss decrease that counts as an improvement; 1e-4 by default (sklearn's `tol`). */
  readonly minDelta?: number
  /** L2 penalty added to the mean loss as ½·l2·‖W‖² (weights only, not biases), as sklearn's `alpha`; 1e-4 by default. */
  readonly l2?: number
  /** An explicit validation split; when absent, `validationFraction` of the rows are held out at random. */
  readonly validation?: { readonly x: Matrix; readonly y: ArrayLike<number> }
  /** Share held out for early stopping when no `validation` is given; 0.1 by default; 0 trains for `maxEpochs`. */
  readonly validationFraction?: number
  /** Seeds initialisation, the validation split and the batch order; 0 by default. */
  readonly seed?: number
  readonly onProgress?: ProgressCallback
}

interface Network {
  readonly sizes: readonly number[]
  readonly weights: Float64Array[]
  readonly biases: Float64Array[]
}

type OutputKind = 'identity' | 'sigmoid' | 'softmax'

const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const

function validate(options: MlpOptions): void {
  const { x, y, task } = options
  const hidden = options.hidden ?? [32]
  if (hidden.length < 1 || hidden.length > 2) throw new RangeError(`hidden must list 1 or 2 layer sizes, got ${hidden.length}`)
  hidden.forEach((h, i) => {
    if (!Number.isInteger(h) || h < 1) throw new RangeError(`hidden[${i}] must be a positive integer, got ${h}`)
  })
  if (y.length !== x.rows) throw new RangeError(`y has ${y.length} values but x has ${x.rows} rows`)
  if (x.rows < 2) throw new RangeError(`x has ${x.rows} rows; an MLP needs at least 2`)
  assertFinite(x, 'x')
  const positive = (name: string, v: number | undefined): void => {
    if (v !== undefined && !(v > 0 && Number.isFinite(v))) throw new RangeError(`${name} must be a positive finite number, got ${v}`)
  }
  positive('learningRate', options.learningRate)
  positive('batchSize', options.batchSize)
  positive('maxEpochs', options.maxEpochs)
  positive('patience', options.patience)
  if (options.l2 !== undefined && !(options.l2 >= 0)) throw new RangeError(`l2 must be ≥ 0, got ${options.l2}`)
  const fraction = options.validationFraction
  if (fraction !== undefined && !(fraction >= 0 && fraction < 1)) throw new RangeError(`validationFraction must be in [0, 1), got ${fraction}`)
  const checkY = (values: ArrayLike<number>, what: string): void => {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number
      if (task.kind === 'regression') {
        if (!Number.isFinite(v)) throw new RangeError(`${what}[${i}] is ${v}; targets must be finite`)
      } else if (!Number.isInteger(v) || v < 0 || v >= task.classes) {
        throw new RangeError(`${what}[${i}] is ${v}; labels must be class indices in [0, ${task.classes})`)
      }
    }
  }
  if (task.kind === 'classification' && (!Number.isInteger(task.classes) || task.classes < 2)) throw new RangeError(`task.classes must be an integer ≥ 2, got ${task.classes}`)
  checkY(y, 'y')
  if (options.validation) {
    if (options.validation.x.cols !== x.cols) throw new RangeError(`validation.x has ${options.validation.x.cols} columns, x has ${x.cols}`)
    if (options.validation.y.length !== options.validation.x.rows) throw new RangeError(`validation.y has ${options.validation.y.length} values but validation.x has ${options.validation.x.rows} rows`)
    assertFinite(options.validation.x, 'validation.x')
    checkY(options.validation.y, 'validation.y')
  }
}

/**
 * A feed-forward pass over `rows` rows of `input`; fills `acts[l]` (rows × sizes[l]) for every layer, the last
 * with the output activation. Buffers are reused across batches: no allocation in the training loop.
 */
function forward(net: Network, input: Float64Array, rows: number, acts: Float64Array[], hiddenActivation: 'relu' | 'tanh', output: OutputKind): void {
  acts[0] = input
  const layers = net.weights.length
  for (let l = 0; l < layers; l++) {
    const inSize = net.sizes[l] as number
    const outSize = net.sizes[l + 1] as number
    const w = net.weights[l] as Float64Array
    const b = net.biases[l] as Float64Array
    const a = acts[l] as Float64Array
    const z = acts[l + 1] as Float64Array
    const last = l === layers - 1
    for (let i = 0; i < rows; i++) {
      const aOff = i * inSize
      for (let o = 0; o < outSize; o++) {
        let v = b[o] as number
        const wOff = o * inSize
        for (let j = 0; j < inSize; j++) v += (w[wOff + j] as number) * (a[aOff + j] as number)
        if (!last) v = hiddenActivation === 'relu' ? (v > 0 ? v : 0) : Math.tanh(v)
        else if (output === 'sigmoid') v = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))
        z[i * outSize + o] = v
      }
      if (last && output === 'softmax') {
        const off = i * outSize
        let max = Number.NEGATIVE_INFINITY
        for (let o = 0; o < outSize; o++) max = Math.max(max, z[off + o] as number)
        let sum = 0
        for (let o = 0; o < outSize; o++) {
          const e = Math.exp((z[off + o] as number) - max)
          z[off + o] = e
          sum += e
        }
        for (let o = 0; o < outSize; o++) z[off + o] = (z[off + o] as number) / sum
      }
    }
  }
}

/** Clamps probabilities away from 0 and 1 in the log loss (float64 epsilon, as sklearn 1.2's log_loss). */
const PROBABILITY_FLOOR = 2 ** -52

/**
 * Mean loss of `rows` outputs against targets and, when `delta` is given, writes ∂loss/∂z of the output layer
 * (rows × outputs) into it. Regression: ½(ŷ − y)² (sklearn's squared loss); binary: log loss of a sigmoid;
 * multiclass: cross-entropy of a softmax — all three give ∂/∂z = ŷ − y, divided by rows for the mean.
 */
function outputLoss(out: Float64Array, targets: Float64Array, indexOf: (i: number) => number, rows: number, outputs: number, output: OutputKind, delta: Float64Array | null): number {
  let loss = 0
  for (let i = 0; i < rows; i++) {
    const t = targets[indexOf(i)] as number
    if (output === 'identity') {
      const r = (out[i] as number) - t
      loss += 0.5 * r * r
      if (delta) delta[i] = r / rows
    } else if (output === 'sigmoid') {
      const p = Math.min(1 - PROBABILITY_FLOOR, Math.max(PROBABILITY_FLOOR, out[i] as number))
      loss -= t === 1 ? Math.log(p) : Math.log(1 - p)
      if (delta) delta[i] = ((out[i] as number) - t) / rows
    } else {
      const off = i * outputs
      loss -= Math.log(Math.max(PROBABILITY_FLOOR, out[off + t] as number))
      if (delta) for (let o = 0; o < outputs; o++) delta[off + o] = ((out[off + o] as number) - (o === t ? 1 : 0)) / rows
    }
  }
  return loss / rows
}

/**
 * Trains a small multilayer perceptron (1–2 hidden layers, relu or tanh) with Adam (Kingma & Ba 2015) on shuffled
 * mini-batches, Glorot-uniform initialisation (Glorot & Bengio 2010, as sklearn's MLP) and early stopping on a
 * validation split with patience; the weights of the best validation epoch are the ones returned. Regression
 * targets are standardised for training and the scaling is stored in `params.target`. Output: identity
 * (regression), one sigmoid unit (binary) or softmax (K > 2). Deterministic given `seed`.
 */
export function trainMlp(options: MlpOptions): TrainedModel {
  validate(options)
  const { task } = options
  const hidden = options.hidden ?? [32]
  const activation = options.activation ?? 'relu'
  const learningRate = options.learningRate ?? 1e-3
  const maxEpochs = options.maxEpochs ?? 200
  const patience = options.patience ?? 10
  const minDelta = options.minDelta ?? 1e-4
  const l2 = options.l2 ?? 1e-4
  const random = createSeededRandom(options.seed ?? 0)
  const outputs = task.kind === 'classification' && task.classes > 2 ? task.classes : 1
  const output: OutputKind = task.kind === 'regression' ? 'identity' : outputs === 1 ? 'sigmoid' : 'softmax'

  // Split: the caller's validation set, or a seeded random share of the rows.
  let train: Matrix = options.x
  let trainYRaw: ArrayLike<number> = options.y
  let valid: Matrix | null = null
  let validYRaw: ArrayLike<number> | null = null
  if (options.validation) {
    valid = options.validation.x
    validYRaw = options.validation.y
  } else {
    const fraction = options.validationFraction ?? 0.1
    const held = Math.floor(options.x.rows * fraction)
    if (held >= 1) {
      const order = new Int32Array(options.x.rows).map((_, i) => i)
      shuffleInPlace(order, random)
      const trainIdx = order.subarray(held)
      const validIdx = order.subarray(0, held)
      train = selectRows(options.x, trainIdx)
      valid = selectRows(options.x, validIdx)
      trainYRaw = Array.from(trainIdx, (i) => options.y[i] as number)
      validYRaw = Array.from(validIdx, (i) => options.y[i] as number)
    }
  }

  // Standardise a regression target (population std, as sklearn's StandardScaler); a constant target keeps scale 1.
  let target: { mean: number; scale: number } | undefined
  if (task.kind === 'regression') {
    let mean = 0
    for (let i = 0; i < trainYRaw.length; i++) mean += trainYRaw[i] as number
    mean /= trainYRaw.length
    let ss = 0
    for (let i = 0; i < trainYRaw.length; i++) ss += ((trainYRaw[i] as number) - mean) ** 2
    const std = Math.sqrt(ss / trainYRaw.length)
    target = { mean, scale: std > 0 ? std : 1 }
  }
  const toTarget = (values: ArrayLike<number>): Float64Array => {
    const out = Float64Array.from(values as ArrayLike<number>)
    if (target) for (let i = 0; i < out.length; i++) out[i] = ((out[i] as number) - target.mean) / target.scale
    return out
  }
  const trainY = toTarget(trainYRaw)
  const validY = validYRaw ? toTarget(validYRaw) : null

  const sizes = [train.cols, ...hidden, outputs]
  const net: Network = { sizes, weights: [], biases: [] }
  for (let l = 0; l < sizes.length - 1; l++) {
    const fanIn = sizes[l] as number
    const fanOut = sizes[l + 1] as number
    const bound = Math.sqrt(6 / (fanIn + fanOut))
    const w = new Float64Array(fanIn * fanOut)
    for (let q = 0; q < w.length; q++) w[q] = (2 * random.uniform() - 1) * bound
    net.weights.push(w)
    net.biases.push(new Float64Array(fanOut))
  }
  const params = [...net.weights, ...net.biases]
  const grads = params.map((p) => new Float64Array(p.length))
  const m1 = params.map((p) => new Float64Array(p.length))
  const m2 = params.map((p) => new Float64Array(p.length))
  const layers = net.weights.length

  const batchSize = Math.min(options.batchSize ?? 64, train.rows)
  const acts: Float64Array[] = sizes.map((s) => new Float64Array(batchSize * s))
  const deltas: Float64Array[] = sizes.map((s) => new Float64Array(batchSize * s))
  const batchX = new Float64Array(batchSize * train.cols)
  const order = new Int32Array(train.rows).map((_, i) => i)
  let batchStart = 0
  const batchIndex = (i: number): number => order[batchStart + i] as number

  const evaluate = (x: Matrix, y: Float64Array): number => {
    const evalActs = sizes.map((s) => new Float64Array(x.rows * s))
    forward(net, x.data, x.rows, evalActs, activation, output)
    return outputLoss(evalActs[layers] as Float64Array, y, (i) => i, x.rows, outputs, output, null)
  }

  const history: EpochRecord[] = []
  let best = Number.POSITIVE_INFINITY
  let bestParams: Float64Array[] | null = null
  let wait = 0
  let step = 0
  let epoch = 0
  let stoppedEarly = false
  while (epoch < maxEpochs) {
    epoch++
    shuffleInPlace(order, random)
    let lossSum = 0
    for (batchStart = 0; batchStart < train.rows; batchStart += batchSize) {
      const rows = Math.min(batchSize, train.rows - batchStart)
      for (let i = 0; i < rows; i++) {
        const src = batchIndex(i) * train.cols
        batchX.set(train.data.subarray(src, src + train.cols), i * train.cols)
      }
      forward(net, batchX, rows, acts, activation, output)
      lossSum += rows * outputLoss(acts[layers] as Float64Array, trainY, batchIndex, rows, outputs, output, deltas[layers] as Float64Array)
      // Backpropagation: ∂W[l] = δ[l+1]ᵀ a[l]; δ[l] = (δ[l+1] W[l]) ⊙ f′(a[l]).
      for (let l = layers - 1; l >= 0; l--) {
        const inSize = sizes[l] as number
        const outSize = sizes[l + 1] as number
        const w = net.weights[l] as Float64Array
        const gw = grads[l] as Float64Array
        const gb = grads[layers + l] as Float64Array
        const a = acts[l] as Float64Array
        const dOut = deltas[l + 1] as Float64Array
        for (let q = 0; q < gw.length; q++) gw[q] = l2 * (w[q] as number)
        gb.fill(0)
        for (let i = 0; i < rows; i++) {
          for (let o = 0; o < outSize; o++) {
            const g = dOut[i * outSize + o] as number
            if (g === 0) continue
            gb[o] = (gb[o] as number) + g
            const wOff = o * inSize
            const aOff = i * inSize
            for (let j = 0; j < inSize; j++) gw[wOff + j] = (gw[wOff + j] as number) + g * (a[aOff + j] as number)
          }
        }
        if (l > 0) {
          const dIn = deltas[l] as Float64Array
          for (let i = 0; i < rows; i++) {
            for (let j = 0; j < inSize; j++) {
              let s = 0
              for (let o = 0; o < outSize; o++) s += (dOut[i * outSize + o] as number) * (w[o * inSize + j] as number)
              const av = a[i * inSize + j] as number
              dIn[i * inSize + j] = activation === 'relu' ? (av > 0 ? s : 0) : s * (1 - av * av)
            }
          }
        }
      }
      // Adam with bias correction (Kingma & Ba 2015, algorithm 1).
      step++
      const c1 = 1 - ADAM.beta1 ** step
      const c2 = 1 - ADAM.beta2 ** step
      for (let p = 0; p < params.length; p++) {
        const theta = params[p] as Float64Array
        const g = grads[p] as Float64Array
        const m = m1[p] as Float64Array
        const v = m2[p] as Float64Array
        for (let q = 0; q < theta.length; q++) {
          const gq = g[q] as number
          const mq = ADAM.beta1 * (m[q] as number) + (1 - ADAM.beta1) * gq
          const vq = ADAM.beta2 * (v[q] as number) + (1 - ADAM.beta2) * gq * gq
          m[q] = mq
          v[q] = vq
          theta[q] = (theta[q] as number) - (learningRate * (mq / c1)) / (Math.sqrt(vq / c2) + ADAM.epsilon)
        }
      }
    }
    const loss = lossSum / train.rows
    if (valid && validY) {
      const valLoss = evaluate(valid, validY)
      history.push({ epoch, loss, valLoss })
      options.onProgress?.({ epoch, epochs: maxEpochs, loss, valLoss })
      if (valLoss < best - minDelta) {
        best = valLoss
        bestParams = params.map((p) => Float64Array.from(p))
        wait = 0
      } else if (++wait >= patience) {
        stoppedEarly = true
        break
      }
    } else {
      history.push({ epoch, loss })
      options.onProgress?.({ epoch, epochs: maxEpochs, loss })
    }
  }
  if (bestParams) bestParams.forEach((p, i) => (params[i] as Float64Array).set(p))

  const denseLayers: DenseLayer[] = []
  for (let l = 0; l < layers; l++) {
    const inSize = sizes[l] as number
    const outSize = sizes[l + 1] as number
    const w = net.weights[l] as Float64Array
    const rows: number[][] = []
    for (let o = 0; o < outSize; o++) rows.push(Array.from(w.subarray(o * inSize, (o + 1) * inSize)))
    const last = l === layers - 1
    denseLayers.push({ weights: rows, bias: Array.from(net.biases[l] as Float64Array), activation: last ? output : activation })
  }
  const result: ModelParams = target ? { kind: 'mlp', layers: denseLayers, target } : { kind: 'mlp', layers: denseLayers }
  // Without a validation split there is no early stop: running all epochs is the plan, hence "converged".
  return { params: result, history, converged: stoppedEarly || !valid, epochs: epoch }
}
