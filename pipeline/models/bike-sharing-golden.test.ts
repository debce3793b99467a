import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { binaryMetricValues, multiclassMetricValues, regressionMetricValues } from '../../model-metrics/index.ts'
import { createMatrix, predictParams, trainLogisticRegression, trainMlp, trainRidgeRegression } from './index.ts'
import type { Matrix, TrainingProgress } from './index.ts'

/*
 * Acceptance against scikit-learn 1.2.1 on the real bike-sharing hours. The design-matrix rule is the one in
 * scripts/golden/sklearn_models.py, rebuilt here independently:
 * - split by dteday: train = 2011; validation = 2012-01-01 .. 2012-06-30; holdout = 2012-07-01 .. 2012-12-31;
 * - temp, atemp, hum, windspeed standardised with the train mean and population std; holiday, workingday as 0/1;
 *   one-hot of season, hr, weekday, weathersit over the categories seen in train, sorted numerically;
 * - targets: cnt (ridge, MLP); cnt > median(train cnt) (binary); train tertile of cnt (multinomial).
 */
interface Golden {
  meta: { sklearn: string }
  split: { train: number; validation: number; holdout: number }
  columns: string[]
  standardisation: { mean: Record<string, number>; std: Record<string, number> }
  ridge: { alpha: number; coef: number[]; intercept: number; holdout: { rmse: number; mae: number; r2: number }; holdoutPredictionsHead: number[] }
  logistic: { C: number; threshold: number; coef: number[]; intercept: number; holdout: { roc_auc: number; log_loss: number; accuracy: number } }
  multinomial: { C: number; tertiles: [number, number]; coef: number[][]; intercept: number[]; holdout: { roc_auc: number; log_loss: number; accuracy: number } }
}

const golden = JSON.parse(readFileSync(new URL('../../test/fixtures/golden/sklearn-models.json', import.meta.url), 'utf8')) as Golden

const NUMERIC = ['temp', 'atemp', 'hum', 'windspeed'] as const
const BINARY = ['holiday', 'workingday'] as const
const ONEHOT = ['season', 'hr', 'weekday', 'weathersit'] as const

type Row = Record<string, string>

function readHours(): Row[] {
  const text = readFileSync(new URL('../../datasets/bike-sharing/hour.csv', import.meta.url), 'utf8')
  const [header, ...lines] = text.split(/\r?\n/).filter((l) => l.length > 0)
  const names = (header as string).split(',')
  return lines.map((line) => {
    const cells = line.split(',')
    return Object.fromEntries(names.map((n, i) => [n, cells[i] as string]))
  })
}

/** NumPy's default quantile (linear interpolation, Hyndman & Fan type 7). */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const h = (sorted.length - 1) * q
  const lo = Math.floor(h)
  return (sorted[lo] as number) + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] as number) - (sorted[lo] as number))
}

interface Design {
  columns: string[]
  mean: Record<string, number>
  std: Record<string, number>
  build: (rows: readonly Row[]) => Matrix
}

function fitDesign(train: readonly Row[]): Design {
  const mean: Record<string, number> = {}
  const std: Record<string, number> = {}
  for (const name of NUMERIC) {
    const v = train.map((r) => Number(r[name]))
    const m = v.reduce((a, b) => a + b, 0) / v.length
    mean[name] = m
    std[name] = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length)
  }
  const categories = Object.fromEntries(ONEHOT.map((name) => [name, [...new Set(train.map((r) => Number(r[name])))].sort((a, b) => a - b)])) as Record<string, number[]>
  const columns = [...NUMERIC, ...BINARY, ...ONEHOT.flatMap((name) => (categories[name] as number[]).map((c) => `${name}=${c}`))]
  const build = (rows: readonly Row[]): Matrix => {
    const d = columns.length
    const data = new Float64Array(rows.length * d)
    rows.forEach((r, i) => {
      let j = i * d
      for (const name of NUMERIC) data[j++] = (Number(r[name]) - (mean[name] as number)) / (std[name] as number)
      for (const name of BINARY) data[j++] = Number(r[name])
      for (const name of ONEHOT) for (const c of categories[name] as number[]) data[j++] = Number(r[name]) === c ? 1 : 0
    })
    return createMatrix(data, rows.length, d)
  }
  return { columns, mean, std, build }
}

function expectCoefficientsClose(actual: readonly number[], expected: readonly number[], tolerance: number, what: string): void {
  expect(actual.length, `${what}: number of coefficients`).toBe(expected.length)
  const worst = Math.max(...actual.map((a, j) => Math.abs(a - (expected[j] as number))))
  expect(worst, `${what}: largest |ours − sklearn| over ${actual.length} coefficients`).toBeLessThanOrEqual(tolerance)
}

let train: Row[]
let validation: Row[]
let holdout: Row[]
let design: Design
let xTrain: Matrix
let xValid: Matrix
let xHold: Matrix
const cnt = (rows: readonly Row[]): number[] => rows.map((r) => Number(r.cnt))

beforeAll(() => {
  const hours = readHours()
  train = hours.filter((r) => (r.dteday as string) < '2012-01-01')
  validation = hours.filter((r) => (r.dteday as string) >= '2012-01-01' && (r.dteday as string) <= '2012-06-30')
  holdout = hours.filter((r) => (r.dteday as string) >= '2012-07-01')
  design = fitDesign(train)
  xTrain = design.build(train)
  xValid = design.build(validation)
  xHold = design.build(holdout)
})

describe('models against scikit-learn 1.2.1 on bike-sharing hours', () => {
  it('rebuilds the same split and design matrix as the Python script', () => {
    expect(golden.meta.sklearn).toBe('1.2.1')
    expect({ train: train.length, validation: validation.length, holdout: holdout.length }).toEqual(golden.split)
    expect(design.columns).toEqual(golden.columns)
    for (const name of NUMERIC) {
      expect(design.mean[name]).toBeCloseTo(golden.standardisation.mean[name] as number, 12)
      expect(design.std[name]).toBeCloseTo(golden.standardisation.std[name] as number, 12)
    }
  })

  it('fits ridge regression to the same coefficients and holdout RMSE as sklearn Ridge', () => {
    const model = trainRidgeRegression({ x: xTrain, y: cnt(train), alpha: golden.ridge.alpha })
    if (model.params.kind !== 'linear') throw new Error('expected a linear model')
    expectCoefficientsClose(model.params.weights, golden.ridge.coef, 1e-7, 'ridge weights')
    expect(model.params.bias).toBeCloseTo(golden.ridge.intercept, 8)
    const predictions = predictParams(model.params, xHold).data
    const metrics = regressionMetricValues({ labels: cnt(holdout), predictions })
    // The acceptance is RMSE within 1 %; the closed form agrees to rounding.
    expect(Math.abs((metrics.rmse as number) / golden.ridge.holdout.rmse - 1)).toBeLessThan(1e-9)
    expect(metrics.r2).toBeCloseTo(golden.ridge.holdout.r2, 9)
    expectCoefficientsClose(Array.from(predictions.subarray(0, 20)), golden.ridge.holdoutPredictionsHead, 1e-7, 'first holdout predictions')
  })

  it('fits binary logistic regression to the same coefficients and holdout ROC AUC as sklearn', () => {
    const threshold = quantile(cnt(train), 0.5)
    expect(threshold).toBe(golden.logistic.threshold)
    const y = cnt(train).map((v) => (v > threshold ? 1 : 0))
    const progress: TrainingProgress[] = []
    const model = trainLogisticRegression({ x: xTrain, y, classes: 2, C: golden.logistic.C, onProgress: (p) => progress.push(p) })
    expect(model.converged).toBe(true)
    expect(progress.length).toBe(model.epochs)
    // The objective never rises under an Armijo line search.
    for (let i = 1; i < model.history.length; i++) expect((model.history[i] as { loss: number }).loss).toBeLessThanOrEqual((model.history[i - 1] as { loss: number }).loss)
    if (model.params.kind !== 'logistic') throw new Error('expected a logistic model')
    expectCoefficientsClose(model.params.weights[0] as number[], golden.logistic.coef, 1e-7, 'logistic weights')
    expect(model.params.bias[0]).toBeCloseTo(golden.logistic.intercept, 7)
    const p = predictParams(model.params, xHold)
    const scores = Array.from({ length: p.rows }, (_, i) => p.data[i * 2 + 1] as number)
    const labels = cnt(holdout).map((v) => (v > threshold ? 1 : 0))
    const metrics = binaryMetricValues({ labels, scores })
    // Acceptance: within 0.01 of sklearn's ROC AUC; being at the same optimum it agrees far closer.
    expect(Math.abs((metrics.roc_auc as number) - golden.logistic.holdout.roc_auc)).toBeLessThan(1e-6)
    expect(metrics.log_loss).toBeCloseTo(golden.logistic.holdout.log_loss, 6)
  })

  it('reaches the same optimum with the L-BFGS solver used for wide (text) models', () => {
    const y = cnt(train).map((v) => (v > golden.logistic.threshold ? 1 : 0))
    const model = trainLogisticRegression({ x: xTrain, y, classes: 2, C: golden.logistic.C, solver: 'lbfgs' })
    expect(model.converged).toBe(true)
    if (model.params.kind !== 'logistic') throw new Error('expected a logistic model')
    // Slower to the last digits on this ill-conditioned design (full one-hot blocks + intercept), still at 1e-4.
    expectCoefficientsClose(model.params.weights[0] as number[], golden.logistic.coef, 1e-4, 'L-BFGS logistic weights')
    const p = predictParams(model.params, xHold)
    const labels = cnt(holdout).map((v) => (v > golden.logistic.threshold ? 1 : 0))
    const auc = binaryMetricValues({ labels, scores: Array.from({ length: p.rows }, (_, i) => p.data[i * 2 + 1] as number) }).roc_auc as number
    expect(Math.abs(auc - golden.logistic.holdout.roc_auc)).toBeLessThan(1e-5)
  })

  it('fits multinomial logistic regression to the same coefficients and holdout metrics as sklearn', () => {
    const [q1, q2] = [quantile(cnt(train), 1 / 3), quantile(cnt(train), 2 / 3)]
    expect([q1, q2]).toEqual(golden.multinomial.tertiles)
    const tertile = (v: number): number => (v <= q1 ? 0 : v <= q2 ? 1 : 2)
    const model = trainLogisticRegression({ x: xTrain, y: cnt(train).map(tertile), classes: 3, C: golden.multinomial.C })
    expect(model.converged).toBe(true)
    if (model.params.kind !== 'logistic') throw new Error('expected a logistic model')
    const { weights, bias } = model.params
    golden.multinomial.coef.forEach((row, k) => expectCoefficientsClose(weights[k] as number[], row, 1e-6, `class ${k} weights`))
    expectCoefficientsClose(bias, golden.multinomial.intercept, 1e-6, 'intercepts')
    const metrics = multiclassMetricValues({ labels: cnt(holdout).map(tertile), probabilities: predictParams(model.params, xHold) })
    expect(Math.abs((metrics.roc_auc as number) - golden.multinomial.holdout.roc_auc)).toBeLessThan(1e-6)
    expect(metrics.accuracy).toBeCloseTo(golden.multinomial.holdout.accuracy, 3)
    expect(metrics.log_loss).toBeCloseTo(golden.multinomial.holdout.log_loss, 6)
  })
})

describe('trainMlp on bike-sharing hours', () => {
  const options = (seed: number) => ({
    x: xTrain,
    y: cnt(train),
    task: { kind: 'regression' as const },
    hidden: [32],
    maxEpochs: 60,
    patience: 5,
    validation: { x: xValid, y: cnt(validation) },
    seed,
  })

  it('beats the mean predictor and ridge regression clearly on the holdout', () => {
    const progress: TrainingProgress[] = []
    const model = trainMlp({ ...options(7), onProgress: (p) => progress.push(p) })
    expect(progress.length).toBe(model.epochs)
    expect(progress.every((p) => p.valLoss !== undefined && p.epochs === 60)).toBe(true)
    const labels = cnt(holdout)
    const mlp = regressionMetricValues({ labels, predictions: predictParams(model.params, xHold).data }).rmse as number
    const mean = cnt(train).reduce((a, b) => a + b, 0) / train.length
    const baseline = regressionMetricValues({ labels, predictions: labels.map(() => mean) }).rmse as number
    // hr × workingday interactions are what a linear model cannot express and the hidden layer can.
    expect(mlp).toBeLessThan(0.6 * baseline)
    expect(mlp).toBeLessThan(0.8 * golden.ridge.holdout.rmse)
  })

  it('is reproducible by seed and differs across seeds', () => {
    const short = { maxEpochs: 3 }
    const a = trainMlp({ ...options(11), ...short })
    const b = trainMlp({ ...options(11), ...short })
    const c = trainMlp({ ...options(12), ...short })
    expect(b.params).toEqual(a.params)
    expect(b.history).toEqual(a.history)
    expect(c.params).not.toEqual(a.params)
  })

  it('classifies above the prior: holdout log loss below the constant-rate model', () => {
    const threshold = golden.logistic.threshold
    const toLabel = (v: number): number => (v > threshold ? 1 : 0)
    const model = trainMlp({ x: xTrain, y: cnt(train).map(toLabel), task: { kind: 'classification', classes: 2 }, hidden: [16, 8], activation: 'tanh', maxEpochs: 30, patience: 4, seed: 3 })
    const labels = cnt(holdout).map(toLabel)
    const p = predictParams(model.params, xHold)
    const metrics = binaryMetricValues({ labels, scores: Array.from({ length: p.rows }, (_, i) => p.data[i * 2 + 1] as number) })
    const rate = cnt(train).map(toLabel).reduce((a, b) => a + b, 0) / train.length
    const prior = binaryMetricValues({ labels, scores: labels.map(() => rate) })
    expect(metrics.log_loss as number).toBeLessThan(0.6 * (prior.log_loss as number))
    expect(metrics.roc_auc as number).toBeGreaterThan(0.9)
  })
})
