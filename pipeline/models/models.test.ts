import { describe, expect, it } from 'vitest'
import { modelParamsSchema } from '../../contract/index.ts'
import { createSeededRandom } from '../../random/index.ts'
import { createMatrix, matrixFromRows, minimizeLbfgs, predictParams, trainLogisticRegression, trainMlp, trainRidgeRegression } from './index.ts'
import type { Matrix } from './index.ts'

/** n rows of d standard-normal features from a seeded stream. */
function gaussianMatrix(n: number, d: number, seed: number): Matrix {
  const random = createSeededRandom(seed)
  return createMatrix(Float64Array.from({ length: n * d }, () => random.normal()), n, d)
}

describe('trainRidgeRegression', () => {
  it('recovers the coefficients of a noiseless linear target with alpha 0', () => {
    const x = gaussianMatrix(200, 3, 1)
    const y = Array.from({ length: 200 }, (_, i) => 2 * (x.data[i * 3] as number) - 0.5 * (x.data[i * 3 + 2] as number) + 7)
    const model = trainRidgeRegression({ x, y, alpha: 0 })
    if (model.params.kind !== 'linear') throw new Error('expected linear')
    model.params.weights.forEach((w, j) => expect(w).toBeCloseTo([2, 0, -0.5][j] as number, 10))
    expect(model.params.bias).toBeCloseTo(7, 10)
    expect(modelParamsSchema.parse(model.params)).toEqual(model.params)
  })

  it('shrinks the weights as alpha grows and never penalises the intercept', () => {
    const x = gaussianMatrix(100, 2, 2)
    const y = Array.from({ length: 100 }, (_, i) => 3 * (x.data[i * 2] as number) + 100)
    const norms = [0, 10, 1000].map((alpha) => {
      const p = trainRidgeRegression({ x, y, alpha }).params
      return p.kind === 'linear' ? Math.hypot(...p.weights) : Number.NaN
    })
    expect(norms[1]).toBeLessThan(norms[0] as number)
    expect(norms[2]).toBeLessThan(norms[1] as number)
    const heavy = trainRidgeRegression({ x, y, alpha: 1e12 }).params
    // With weights crushed to 0 the intercept is the target mean, not 0.
    if (heavy.kind === 'linear') expect(heavy.bias).toBeCloseTo(y.reduce((a, b) => a + b, 0) / 100, 6)
  })

  it('names the fix when collinear columns make ordinary least squares singular', () => {
    const x = matrixFromRows([[1, 2], [2, 4], [3, 6], [4, 8]])
    expect(() => trainRidgeRegression({ x, y: [1, 2, 3, 4], alpha: 0 })).toThrow(/singular with alpha 0.*use alpha > 0/)
    expect(() => trainRidgeRegression({ x, y: [1, 2, 3, 4], alpha: 1 })).not.toThrow()
  })

  it('refuses a NaN in the design matrix, naming row and column', () => {
    const x = matrixFromRows([[1, 2], [Number.NaN, 4]])
    expect(() => trainRidgeRegression({ x, y: [1, 2] })).toThrow(/row 1, column 0 is NaN/)
  })
})

describe('trainLogisticRegression', () => {
  it('fits separable-ish data and reports progress once per solver iteration', () => {
    const x = gaussianMatrix(300, 2, 3)
    const random = createSeededRandom(4)
    const y = Array.from({ length: 300 }, (_, i) => (1 / (1 + Math.exp(-(2 * (x.data[i * 2] as number) - 1))) > random.uniform() ? 1 : 0))
    const seen: number[] = []
    const model = trainLogisticRegression({ x, y, classes: 2, onProgress: (p) => seen.push(p.epoch) })
    expect(model.converged).toBe(true)
    expect(seen).toEqual(Array.from({ length: model.epochs }, (_, i) => i + 1))
    if (model.params.kind !== 'logistic') throw new Error('expected logistic')
    expect(model.params.weights[0]?.[0]).toBeGreaterThan(1)
    expect(Math.abs(model.params.weights[0]?.[1] as number)).toBeLessThan(0.5)
  })

  it('gives the same optimum with Newton and L-BFGS on a multinomial problem', () => {
    const x = gaussianMatrix(240, 3, 5)
    const y = Array.from({ length: 240 }, (_, i) => [0, 1, 2].reduce((best, k) => ((x.data[i * 3 + k] as number) > (x.data[i * 3 + best] as number) ? k : best), 0))
    const newton = trainLogisticRegression({ x, y, classes: 3, C: 0.5, solver: 'newton' })
    const lbfgs = trainLogisticRegression({ x, y, classes: 3, C: 0.5, solver: 'lbfgs' })
    const a = predictParams(newton.params, x).data
    const b = predictParams(lbfgs.params, x).data
    expect(Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))))).toBeLessThan(1e-6)
    if (newton.params.kind === 'logistic') expect(Math.abs(newton.params.bias.reduce((s, v) => s + v, 0))).toBeLessThan(1e-12)
  })

  it('rejects labels outside the declared classes with the row and value', () => {
    const x = matrixFromRows([[0], [1], [2]])
    expect(() => trainLogisticRegression({ x, y: [0, 1, 2], classes: 2 })).toThrow(/y\[2\] is 2; labels must be class indices in \[0, 2\)/)
    expect(() => trainLogisticRegression({ x, y: [0, 1, 1], classes: 2, C: 0 })).toThrow(/C must be a positive/)
  })
})

describe('trainMlp', () => {
  it('learns a nonlinear target that a linear model cannot fit', () => {
    const x = gaussianMatrix(600, 2, 6)
    const target = (m: Matrix): number[] => Array.from({ length: m.rows }, (_, i) => (m.data[i * 2] as number) ** 2 + Math.abs(m.data[i * 2 + 1] as number))
    const y = target(x)
    const xValid = gaussianMatrix(200, 2, 16)
    const validation = { x: xValid, y: target(xValid) }
    const mlp = trainMlp({ x, y, validation, task: { kind: 'regression' }, hidden: [16], activation: 'tanh', learningRate: 0.01, maxEpochs: 150, patience: 15, seed: 1 })
    const ridge = trainRidgeRegression({ x, y })
    const mse = (pred: Float64Array): number => pred.reduce((s, v, i) => s + (v - (y[i] as number)) ** 2, 0) / y.length
    expect(mse(predictParams(mlp.params, x).data)).toBeLessThan(0.3 * mse(predictParams(ridge.params, x).data))
    // Training standardises the target; params carry the scaling back.
    if (mlp.params.kind === 'mlp') expect(mlp.params.target?.mean).toBeCloseTo(y.reduce((a, b) => a + b, 0) / y.length, 10)
  })

  it('stops early when the validation loss stops improving and keeps the best epoch', () => {
    const x = gaussianMatrix(200, 4, 7)
    const random = createSeededRandom(8)
    const y = Array.from({ length: 200 }, () => random.normal()) // pure noise: validation cannot improve for long
    const model = trainMlp({ x, y, task: { kind: 'regression' }, hidden: [64, 64], learningRate: 0.01, maxEpochs: 500, patience: 5, seed: 2 })
    expect(model.epochs).toBeLessThan(500)
    expect(model.converged).toBe(true)
    const losses = model.history.map((h) => h.valLoss as number)
    expect(model.history.length).toBe(model.epochs)
    const best = Math.min(...losses)
    expect(losses.indexOf(best)).toBe(model.epochs - 1 - 5)
  })

  it('outputs softmax probabilities for more than two classes', () => {
    const x = gaussianMatrix(300, 2, 9)
    const y = Array.from({ length: 300 }, (_, i) => ((x.data[i * 2] as number) > 0 ? 1 : 0) + ((x.data[i * 2 + 1] as number) > 0 ? 1 : 0))
    const model = trainMlp({ x, y, task: { kind: 'classification', classes: 3 }, maxEpochs: 40, seed: 3 })
    const p = predictParams(model.params, x)
    expect(p.cols).toBe(3)
    for (let i = 0; i < p.rows; i++) expect((p.data[i * 3] as number) + (p.data[i * 3 + 1] as number) + (p.data[i * 3 + 2] as number)).toBeCloseTo(1, 12)
    const accuracy = y.filter((label, i) => [0, 1, 2].reduce((b, k) => ((p.data[i * 3 + k] as number) > (p.data[i * 3 + b] as number) ? k : b), 0) === label).length / y.length
    expect(accuracy).toBeGreaterThan(0.8)
    expect(modelParamsSchema.parse(model.params)).toEqual(model.params)
  })

  it('refuses three hidden layers and a validation set of the wrong width', () => {
    const x = gaussianMatrix(10, 2, 1)
    const y = Array.from({ length: 10 }, () => 1)
    expect(() => trainMlp({ x, y, task: { kind: 'regression' }, hidden: [4, 4, 4] })).toThrow(/1 or 2 layer sizes/)
    expect(() => trainMlp({ x, y, task: { kind: 'regression' }, validation: { x: gaussianMatrix(3, 3, 1), y: [1, 2, 3] } })).toThrow(/validation.x has 3 columns, x has 2/)
  })
})

describe('predictParams', () => {
  it('returns [1 − p, p] for a binary logistic model and refuses the wrong width', () => {
    const params = { kind: 'logistic' as const, weights: [[1, -1]], bias: [0.5] }
    const p = predictParams(params, matrixFromRows([[0, 0], [2, 0]]))
    expect(p.cols).toBe(2)
    expect(p.data[1]).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 15)
    expect((p.data[2] as number) + (p.data[3] as number)).toBeCloseTo(1, 15)
    expect(() => predictParams(params, matrixFromRows([[1, 2, 3]]))).toThrow(/takes 2 columns, got 3/)
  })
})

describe('minimizeLbfgs', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const fg = (x: Float64Array, g: Float64Array): number => {
      const [a, b] = [x[0] as number, x[1] as number]
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a)
      g[1] = 200 * (b - a * a)
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2
    }
    const result = minimizeLbfgs(fg, Float64Array.from([-1.2, 1]), { gradientTolerance: 1e-9 })
    expect(result.converged).toBe(true)
    expect(result.x[0]).toBeCloseTo(1, 6)
    expect(result.x[1]).toBeCloseTo(1, 6)
  })
})
