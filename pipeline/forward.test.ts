import { describe, expect, it } from 'vitest'
import type { ModelParams } from '../contract/index.ts'
import { ModelParamsError, modelShape, predictVectors } from './forward.ts'

const rows = (...values: number[][]): Float64Array => Float64Array.from(values.flat())
const sigma = (t: number): number => 1 / (1 + Math.exp(-t))

describe('predictVectors', () => {
  it('computes w·x + b for a linear model, then undoes the target scaling', () => {
    const params: ModelParams = { kind: 'linear', weights: [2, -1], bias: 0.5, target: { mean: 10, scale: 3 } }
    const out = predictVectors(params, rows([1, 2], [0.5, -4]), 2)
    // raw: 2·1 − 2 + 0.5 = 0.5 and 1 + 4 + 0.5 = 5.5; then × 3 + 10.
    expect(Array.from(out)).toEqual([0.5 * 3 + 10, 5.5 * 3 + 10])
  })

  it('returns [1 − p, p] for a binary logistic model, keeping the small probability exact', () => {
    const params: ModelParams = { kind: 'logistic', weights: [[1, 1]], bias: [0] }
    const out = predictVectors(params, rows([0.2, 0.1], [-20, -20], [20, 20]), 2)
    expect(out[1]).toBeCloseTo(sigma(0.3), 15)
    expect(out[0]! + out[1]!).toBeCloseTo(1, 15)
    // z = −40: p = e^−40 / (1 + e^−40) ≈ 4.2e−18, which 1 − (1 − p) would round to 0.
    expect(out[3]! / (Math.exp(-40) / (1 + Math.exp(-40)))).toBeCloseTo(1, 12)
    expect(out[2]).toBe(1)
    expect(out[4]! / Math.exp(-40)).toBeCloseTo(1, 12)
    expect(out[5]).toBe(1)
  })

  it('returns the softmax over class scores for a multinomial model, without overflowing on large scores', () => {
    const params: ModelParams = { kind: 'logistic', weights: [[1], [2], [3]], bias: [0, 0, 0] }
    const out = predictVectors(params, rows([1], [1000]), 1)
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)]
    const total = e[0]! + e[1]! + e[2]!
    expect(out[0]).toBeCloseTo(e[0]! / total, 15)
    expect(out[1]).toBeCloseTo(e[1]! / total, 15)
    expect(out[2]).toBeCloseTo(e[2]! / total, 15)
    expect(Array.from(out.subarray(3))).toEqual([0, 0, 1])
  })

  it('runs MLP layers in order with their activations', () => {
    const params: ModelParams = {
      kind: 'mlp',
      layers: [
        { weights: [[1, 0], [0, 1], [1, 1]], bias: [0, -1, 0], activation: 'relu' },
        { weights: [[1, 1, 1], [0.5, 0, -0.5]], bias: [0, 0.1], activation: 'tanh' },
        { weights: [[2, -3]], bias: [0.25], activation: 'identity' },
      ],
      target: { mean: 1, scale: 2 },
    }
    const x = [0.3, -0.4]
    const h1 = [Math.max(0, x[0]!), Math.max(0, x[1]! - 1), Math.max(0, x[0]! + x[1]!)]
    const h2 = [Math.tanh(h1[0]! + h1[1]! + h1[2]!), Math.tanh(0.5 * h1[0]! - 0.5 * h1[2]! + 0.1)]
    const y = (2 * h2[0]! - 3 * h2[1]! + 0.25) * 2 + 1
    expect(predictVectors(params, rows(x), 2)[0]).toBeCloseTo(y, 14)
  })

  it('gives a one-unit sigmoid MLP output as two class probabilities', () => {
    const params: ModelParams = {
      kind: 'mlp',
      layers: [
        { weights: [[1], [-1]], bias: [0, 0], activation: 'sigmoid' },
        { weights: [[3, -2]], bias: [0.5], activation: 'sigmoid' },
      ],
    }
    const out = predictVectors(params, rows([0.7]), 1)
    const z = 3 * sigma(0.7) - 2 * sigma(-0.7) + 0.5
    expect(out).toHaveLength(2)
    expect(out[1]).toBeCloseTo(sigma(z), 15)
    expect(out[0]).toBeCloseTo(sigma(-z), 15)
  })

  it('applies a softmax output layer row by row', () => {
    const params: ModelParams = { kind: 'mlp', layers: [{ weights: [[1], [-1]], bias: [0, 0], activation: 'softmax' }] }
    const out = predictVectors(params, rows([0], [2]), 1)
    expect(Array.from(out.subarray(0, 2))).toEqual([0.5, 0.5])
    expect(out[2]).toBeCloseTo(Math.exp(2) / (Math.exp(2) + Math.exp(-2)), 15)
  })

  it('refuses a matrix whose width is not the model input width', () => {
    const params: ModelParams = { kind: 'linear', weights: [1, 2, 3], bias: 0 }
    expect(() => predictVectors(params, rows([1, 2]), 2)).toThrow(/width: the model takes 3 columns, got 2/)
    expect(() => predictVectors(params, Float64Array.from([1, 2, 3, 4]), 3)).toThrow(/matrix: length 4 is not a multiple of width 3/)
  })
})

describe('modelShape', () => {
  it.each<[string, ModelParams, { inputWidth: number; outputWidth: number; output: string }]>([
    ['linear', { kind: 'linear', weights: [1, 2], bias: 0 }, { inputWidth: 2, outputWidth: 1, output: 'prediction' }],
    ['binary logistic', { kind: 'logistic', weights: [[1, 2, 3]], bias: [0] }, { inputWidth: 3, outputWidth: 2, output: 'probabilities' }],
    ['multinomial logistic', { kind: 'logistic', weights: [[1], [2], [3]], bias: [0, 0, 0] }, { inputWidth: 1, outputWidth: 3, output: 'probabilities' }],
    [
      'MLP regression',
      { kind: 'mlp', layers: [{ weights: [[1, 1]], bias: [0], activation: 'relu' }, { weights: [[1]], bias: [0], activation: 'identity' }] },
      { inputWidth: 2, outputWidth: 1, output: 'prediction' },
    ],
  ])('reads the widths of a %s model', (_name, params, shape) => {
    expect(modelShape(params)).toEqual(shape)
  })

  it.each<[string, ModelParams, RegExp]>([
    ['ragged weights', { kind: 'logistic', weights: [[1, 2], [3]], bias: [0, 0] }, /logistic\.weights\[1\]: has 1 columns, expected 2/],
    ['a bias of the wrong length', { kind: 'logistic', weights: [[1, 2]], bias: [0, 0] }, /logistic\.bias: has 2 entries/],
    [
      'layers that do not chain',
      { kind: 'mlp', layers: [{ weights: [[1, 1]], bias: [0], activation: 'relu' }, { weights: [[1, 2]], bias: [0], activation: 'identity' }] },
      /layers\[1\]\.weights\[0\]: has 2 columns, expected 1/,
    ],
    ['a relu output layer', { kind: 'mlp', layers: [{ weights: [[1]], bias: [0], activation: 'relu' }] }, /layers\[0\]\.activation: the output layer must be/],
    ['a two-unit sigmoid output', { kind: 'mlp', layers: [{ weights: [[1], [2]], bias: [0, 0], activation: 'sigmoid' }] }, /got sigmoid with 2/],
    [
      'target scaling on a classifier',
      { kind: 'mlp', layers: [{ weights: [[1], [2]], bias: [0, 0], activation: 'softmax' }], target: { mean: 0, scale: 1 } },
      /target: target scaling needs an identity/,
    ],
    ['no weights', { kind: 'linear', weights: [], bias: 0 }, /weights: must have at least one entry/],
  ])('refuses %s, naming where', (_name, params, message) => {
    expect(() => modelShape(params)).toThrow(ModelParamsError)
    expect(() => modelShape(params)).toThrow(message)
  })
})
