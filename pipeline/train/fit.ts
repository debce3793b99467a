import type { ModelSpec, Task } from '../../config/index.ts'
import type { ModelParams, ModelSignature, Preprocessor, SignatureInput } from '../../contract/index.ts'
import { splitDataset, type DataRow, type DatasetSplits } from '../data/index.ts'
import { fitPreprocessor, transformRows } from '../featurize/index.ts'
import { predictVectors } from '../forward.ts'
import { binaryMetricValues, computeBySlice, multiclassMetricValues, regressionMetricValues } from '../../model-metrics/index.ts'
import { createMatrix, trainLogisticRegression, trainMlp, trainRidgeRegression, type Matrix, type ProgressCallback, type TrainedModel } from '../models/index.ts'
import type { TrialParams } from '../search/index.ts'
import type { Algorithm, ResolvedTraining } from './spec.ts'

/** Metric name → value (null where the data cannot define it), as the registry stores them. */
export type MetricValues = Record<string, number | null>

/**
 * The class names in output order: the configured ones, else the target's values sorted by code point (so "0"/"1"
 * and "ham"/"spam" put the positive class second). Throws naming a target value outside configured classes.
 */
export function classesOf(task: Task, rows: readonly DataRow[], configured: readonly string[] | null): string[] | null {
  if (task === 'regression') return null
  const seen = [...new Set(rows.map((r) => String(r.target)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  if (configured === null) {
    if (seen.length < 2) throw new RangeError(`the target has ${seen.length} class(es) (${seen.join(', ')}); a classifier needs at least 2`)
    if (task === 'binary_classification' && seen.length !== 2) throw new RangeError(`a binary model needs 2 classes, the target has ${seen.length}: ${seen.slice(0, 10).join(', ')}`)
    return seen
  }
  const unknown = seen.filter((c) => !configured.includes(c))
  if (unknown.length > 0) throw new RangeError(`target values ${unknown.slice(0, 5).map((c) => JSON.stringify(c)).join(', ')} are not among training.classes (${configured.join(', ')})`)
  return [...configured]
}

/** Targets as numbers: the value (regression) or the class index. */
export function encodeTargets(rows: readonly DataRow[], classes: readonly string[] | null): Float64Array {
  if (classes === null) return Float64Array.from(rows, (r) => Number(r.target))
  const index = new Map(classes.map((c, i) => [c, i]))
  return Float64Array.from(rows, (r) => index.get(String(r.target)) ?? -1)
}

/**
 * Splits rows for training: with `holdoutFromMs`, the rows at or after it are the holdout and the rows before it
 * are split by time into train and validation (`validation` is their share); otherwise `splitDataset`, by time
 * when `byTime` (a time column is mapped, or the rows are stored predictions), else seeded stratified.
 */
export function splitForTraining(rows: readonly DataRow[], training: ResolvedTraining, byTime: boolean): DatasetSplits {
  const { split } = training
  if (split.holdoutFromMs !== null) {
    const cut = split.holdoutFromMs
    const before = rows.filter((r) => r.ts !== null && r.ts < cut)
    const holdout = rows.filter((r) => r.ts !== null && r.ts >= cut)
    const inner = splitDataset(before, { method: 'time', validation: split.validation, holdout: 0, seed: split.seed })
    return { method: 'time', train: inner.train, validation: inner.validation, holdout, validationFromMs: inner.validationFromMs, holdoutFromMs: holdout[0]?.ts ?? null }
  }
  return splitDataset(rows, { method: byTime ? 'time' : 'stratified', validation: split.validation, holdout: split.holdout, seed: split.seed })
}

/** The matrix of rows through a fitted preprocessor. */
export function designMatrix(preprocessor: Preprocessor, rows: readonly DataRow[]): Matrix {
  const t = transformRows(preprocessor, rows)
  return createMatrix(t.matrix, t.rows, t.width)
}

/** Fits the preprocessing on training rows with the configured options. */
export function fitFeatures(model: ModelSpec, training: ResolvedTraining, train: readonly DataRow[]): Preprocessor {
  return fitPreprocessor(model, train, training.featurize)
}

const num = (params: TrialParams, name: string): number | undefined => {
  const v = params[name]
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`hyperparameter ${name} must be a number, got ${JSON.stringify(v)}`)
  return v
}

/** Options of fitAlgorithm. */
export interface FitAlgorithmOptions {
  readonly algorithm: Algorithm
  readonly task: Task
  readonly params: TrialParams
  readonly x: Matrix
  readonly y: Float64Array
  readonly classes: readonly string[] | null
  readonly seed: number
  /** MLP early stopping set; without it the MLP holds out a seeded 10 % of `x`. */
  readonly validation?: { readonly x: Matrix; readonly y: Float64Array }
  readonly onProgress?: ProgressCallback
}

/** Trains one algorithm with one point of its hyperparameter space (pure, deterministic given the seed). */
export function fitAlgorithm(o: FitAlgorithmOptions): TrainedModel {
  const progress = o.onProgress ? { onProgress: o.onProgress } : {}
  switch (o.algorithm) {
    case 'ridge': {
      const alpha = num(o.params, 'alpha')
      return trainRidgeRegression({ x: o.x, y: o.y, ...(alpha !== undefined ? { alpha } : {}), ...progress })
    }
    case 'logistic': {
      const C = num(o.params, 'C')
      return trainLogisticRegression({ x: o.x, y: o.y, classes: o.classes!.length, ...(C !== undefined ? { C } : {}), ...progress })
    }
    case 'mlp': {
      const hidden = [num(o.params, 'hidden') ?? 32, ...(num(o.params, 'hidden2') !== undefined ? [num(o.params, 'hidden2')!] : [])].map(Math.round)
      const activation = o.params.activation
      if (activation !== undefined && activation !== 'relu' && activation !== 'tanh') throw new RangeError(`hyperparameter activation must be relu or tanh, got ${JSON.stringify(activation)}`)
      const optional: Record<string, number> = {}
      for (const name of ['learningRate', 'batchSize', 'maxEpochs', 'patience', 'l2'] as const) {
        const v = num(o.params, name)
        if (v !== undefined) optional[name] = name === 'batchSize' || name === 'maxEpochs' || name === 'patience' ? Math.round(v) : v
      }
      return trainMlp({
        x: o.x,
        y: o.y,
        task: o.task === 'regression' ? { kind: 'regression' } : { kind: 'classification', classes: o.classes!.length },
        hidden,
        seed: o.seed,
        ...(activation !== undefined ? { activation } : {}),
        ...optional,
        ...(o.validation ? { validation: o.validation } : {}),
        ...progress,
      })
    }
  }
}

/** A model's outputs over a matrix (TypeScript forward pass, the reference the ONNX graph must match). */
export function predictMatrix(params: ModelParams, x: Matrix): Float64Array {
  return predictVectors(params, x.data, x.cols)
}

/** Every metric of the task for outputs (regression: values; classification: rows × classes) against targets. */
export function evaluateOutputs(task: Task, outputs: Float64Array, y: Float64Array, classCount: number): MetricValues {
  if (task === 'regression') return { ...regressionMetricValues({ labels: y, predictions: outputs }) }
  if (task === 'binary_classification') {
    const scores = Float64Array.from({ length: y.length }, (_, i) => outputs[i * 2 + 1]!)
    return { ...binaryMetricValues({ labels: y, scores }) }
  }
  return { ...multiclassMetricValues({ labels: y, probabilities: { data: outputs, rows: y.length, cols: classCount } }) }
}

/** Rows `indices` of outputs with `width` columns. */
function pick(outputs: Float64Array, width: number, indices: Int32Array): Float64Array {
  const out = new Float64Array(indices.length * width)
  indices.forEach((r, i) => out.set(outputs.subarray(r * width, (r + 1) * width), i * width))
  return out
}

/** One feature's slices with every metric, largest slice first. */
export interface FeatureSlices {
  readonly feature: string
  readonly slices: Array<{ value: string; count: number; metrics: MetricValues }>
}

/** Metrics per value of each category feature (the holdout report and the slice gate's input). */
export function sliceOutputs(task: Task, rows: readonly DataRow[], outputs: Float64Array, y: Float64Array, classCount: number, features: readonly string[]): FeatureSlices[] {
  const width = task === 'regression' ? 1 : classCount
  return features.map((feature) => ({
    feature,
    slices: computeBySlice(
      rows.map((r) => {
        const v = r.features[feature]
        return v === null || v === undefined || v === '' ? null : String(v)
      }),
      (idx) => evaluateOutputs(task, pick(outputs, width, idx), Float64Array.from(idx, (i) => y[i]!), classCount),
    ),
  }))
}

/** The signature served with a fitted preprocessor: inputs in its order, text featurisers, classes. */
export function signatureOf(task: Task, preprocessor: Preprocessor, classes: readonly string[] | null): ModelSignature {
  const type = { numeric: 'number', boolean: 'boolean', onehot: 'category', text: 'text' } as const
  const inputs: SignatureInput[] = preprocessor.features.map((f) => ({ name: f.name, type: type[f.kind] }))
  const text = preprocessor.features.filter((f) => f.kind === 'text')
  return classes === null ? { task, inputs, text } : { task, inputs, text, classes: [...classes] }
}

/** What a final fit produced, before export. */
export interface FinalFit {
  readonly preprocessor: Preprocessor
  readonly params: ModelParams
  readonly signature: ModelSignature
  readonly trained: TrainedModel
  /** TypeScript forward-pass outputs on the holdout. */
  readonly holdoutOutputs: Float64Array
  readonly holdoutMetrics: MetricValues
}

/**
 * Refits the chosen hyperparameters on train + validation with the preprocessor fitted on train, and evaluates on
 * the holdout: the part a reproduction re-runs. The MLP stops early on a seeded 10 % of the refit rows.
 */
export function fitFinal(o: {
  model: ModelSpec
  training: ResolvedTraining
  splits: DatasetSplits
  preprocessor: Preprocessor
  classes: readonly string[] | null
  params: TrialParams
  seed: number
  onProgress?: ProgressCallback
}): FinalFit {
  const rows = [...o.splits.train, ...o.splits.validation]
  const x = designMatrix(o.preprocessor, rows)
  const y = encodeTargets(rows, o.classes)
  const trained = fitAlgorithm({ algorithm: o.training.algorithm, task: o.model.task, params: o.params, x, y, classes: o.classes, seed: o.seed, ...(o.onProgress ? { onProgress: o.onProgress } : {}) })
  const hx = designMatrix(o.preprocessor, o.splits.holdout)
  const hy = encodeTargets(o.splits.holdout, o.classes)
  const holdoutOutputs = predictMatrix(trained.params, hx)
  return {
    preprocessor: o.preprocessor,
    params: trained.params,
    signature: signatureOf(o.model.task, o.preprocessor, o.classes),
    trained,
    holdoutOutputs,
    holdoutMetrics: evaluateOutputs(o.model.task, holdoutOutputs, hy, o.classes?.length ?? 1),
  }
}
