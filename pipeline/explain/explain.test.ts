import { describe, expect, it } from 'vitest'
import { binaryMetricValues, regressionMetricValues } from '../../model-metrics/index.ts'
import { createSeededRandom } from '../../random/index.ts'
import { createMatrix, predictParams, trainLogisticRegression, trainRidgeRegression } from '../models/index.ts'
import { explainLinear, permutationImportance } from './index.ts'

const sum = (values: Iterable<number>): number => [...values].reduce((a, b) => a + b, 0)

// Raw rows: a numeric feature (standardised into one column) and a category (one-hot into three columns).
const COLORS = ['red', 'green', 'blue'] as const
const columnFeatures = ['size', 'color', 'color', 'color']
interface Raw extends Record<string, unknown> { size: number; color: string; noise: number }
function makeRows(n: number, seed: number): Raw[] {
  const random = createSeededRandom(seed)
  return Array.from({ length: n }, () => ({ size: 10 + 3 * random.normal(), color: COLORS[random.int(3)] as string, noise: random.normal() }))
}
const toVector = (r: Raw): number[] => [(r.size - 10) / 3, ...COLORS.map((c) => (r.color === c ? 1 : 0))]
const toMatrix = (rows: readonly Raw[]) => createMatrix(Float64Array.from(rows.flatMap(toVector)), rows.length, 4)

describe('explainLinear', () => {
  const rows = makeRows(400, 1)
  const random = createSeededRandom(2)
  const target = rows.map((r) => 2 * r.size + (r.color === 'red' ? 5 : 0) + random.normal())
  const ridge = trainRidgeRegression({ x: toMatrix(rows), y: target, alpha: 0.1 })

  it('adds up to the prediction of a ridge model: baseline + contributions = prediction', () => {
    for (const row of rows.slice(0, 20)) {
      const e = explainLinear({ params: ridge.params, vector: toVector(row), columnFeatures })
      const prediction = predictParams(ridge.params, createMatrix(Float64Array.from(toVector(row)), 1, 4)).data[0] as number
      expect(e.scale).toBe('prediction')
      expect(e.output).toBeCloseTo(prediction, 10)
      expect(e.baseline + sum(Object.values(e.contributions))).toBeCloseTo(prediction, 10)
      // One-hot columns are summed back to their raw feature.
      expect(Object.keys(e.contributions)).toEqual(['size', 'color'])
      expect(e.contributions.color).toBeCloseTo(sum(e.columnContributions.slice(1)), 12)
    }
  })

  it('adds up to the logit of a logistic model, with a reference vector as baseline too', () => {
    const labels = target.map((t) => (t > 25 ? 1 : 0))
    const model = trainLogisticRegression({ x: toMatrix(rows), y: labels, classes: 2 })
    const reference = [0, 1 / 3, 1 / 3, 1 / 3]
    for (const row of rows.slice(0, 20)) {
      const p = predictParams(model.params, createMatrix(Float64Array.from(toVector(row)), 1, 4)).data[1] as number
      const logit = Math.log(p / (1 - p))
      for (const e of [explainLinear({ params: model.params, vector: toVector(row), columnFeatures }), explainLinear({ params: model.params, vector: toVector(row), columnFeatures, reference })]) {
        expect(e.scale).toBe('logit')
        expect(e.baseline + sum(Object.values(e.contributions))).toBeCloseTo(logit, 9)
      }
    }
  })

  it('explains the predicted class of a multinomial model by default', () => {
    const labels = rows.map((r) => COLORS.indexOf(r.color as (typeof COLORS)[number]))
    const model = trainLogisticRegression({ x: toMatrix(rows), y: labels, classes: 3 })
    const e = explainLinear({ params: model.params, vector: toVector(rows[0] as Raw), columnFeatures })
    expect(e.classIndex).toBe(labels[0])
    expect(e.contributions.color).toBeGreaterThan(Math.abs(e.contributions.size as number))
  })

  it('refuses an MLP and a column map of the wrong length', () => {
    const mlp = { kind: 'mlp' as const, layers: [{ weights: [[1]], bias: [0], activation: 'identity' as const }] }
    expect(() => explainLinear({ params: mlp, vector: [1], columnFeatures: ['a'] })).toThrow(/use permutationImportance/)
    expect(() => explainLinear({ params: ridge.params, vector: [1, 0, 0, 0], columnFeatures: ['a'] })).toThrow(/columnFeatures has 1 names but the vector has 4/)
  })
})

describe('permutationImportance', () => {
  const rows = makeRows(500, 3)
  const random = createSeededRandom(4)
  const target = rows.map((r) => 2 * r.size + (r.color === 'red' ? 1 : 0) + 0.5 * random.normal())
  const model = trainRidgeRegression({ x: toMatrix(rows), y: target })
  const predict = (batch: readonly Raw[]) => predictParams(model.params, toMatrix(batch)).data
  const rmse = (p: Float64Array) => regressionMetricValues({ labels: target, predictions: p }).rmse as number

  it('ranks the feature the target depends on first and an unused one near zero', async () => {
    const result = await permutationImportance({ rows, features: ['noise', 'color', 'size'], predict, score: rmse, direction: 'lower', repeats: 5, seed: 1 })
    expect(result.importances.map((i) => i.feature)).toEqual(['size', 'color', 'noise'])
    const [size, color, noise] = result.importances
    expect(size?.mean).toBeGreaterThan(3)
    expect(color?.mean).toBeGreaterThan(0.1)
    expect(noise).toMatchObject({ mean: 0, std: 0 }) // the model never reads `noise`
    expect(size?.values).toHaveLength(5)
    expect(size?.std).toBeGreaterThan(0)
  })

  it('is positive for a useful feature whichever way the metric points, and repeats by seed', async () => {
    const labels = target.map((t) => (t > 20 ? 1 : 0))
    const auc = (p: Float64Array) => binaryMetricValues({ labels, scores: Array.from(p, (v) => 1 / (1 + Math.exp(-(v - 20)))) }).roc_auc as number
    const options = { rows, features: ['size'], predict, score: auc, direction: 'higher' as const, repeats: 3, seed: 9 }
    const a = await permutationImportance(options)
    expect(a.importances[0]?.mean).toBeGreaterThan(0.2)
    expect(await permutationImportance(options)).toEqual(a)
  })
})
