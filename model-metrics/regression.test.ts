import { describe, expect, it } from 'vitest'
import { regressionMetrics } from './index.ts'
import type { RegressionMetric } from './index.ts'

describe('regressionMetrics', () => {
  it.each([
    ['an empty window', [], [], { mae: 'not_enough_data', rmse: 'not_enough_data', mape: 'not_enough_data', r2: 'not_enough_data' }],
    ['a single row', [2], [3], { mae: 1, rmse: 1, mape: 0.5, r2: 'not_enough_data' }],
    ['constant labels predicted exactly', [4, 4, 4], [4, 4, 4], { mae: 0, rmse: 0, mape: 0, r2: 1 }],
    ['constant labels predicted with error (sklearn 1.2 gives R² = 0)', [4, 4, 4], [4, 5, 4], { mae: 1 / 3, rmse: Math.sqrt(1 / 3), mape: 1 / 12, r2: 0 }],
    ['labels 0.1 repeated, whose float mean is not 0.1', [0.1, 0.1, 0.1], [0.1, 0.2, 0.1], { r2: 0 }],
  ] as const)('gives the sklearn figures for %s', (_name, labels, predictions, expected) => {
    const result = regressionMetrics({ labels, predictions })
    for (const [metric, value] of Object.entries(expected)) {
      const o = result[metric as RegressionMetric]
      if (value === 'not_enough_data') expect(o, metric).toMatchObject({ ok: false, reason: 'not_enough_data' })
      else expect(o.ok && o.value, metric).toBeCloseTo(value, 14)
    }
  })

  it('divides by the float64 epsilon, not by zero, when a label is 0 (MAPE as sklearn)', () => {
    const result = regressionMetrics({ labels: [0, 1], predictions: [1, 1] })
    expect(result.mape).toEqual({ ok: true, value: 2 ** 52 / 2 })
  })

  it('rejects non-finite values', () => {
    expect(() => regressionMetrics({ labels: [1, Infinity], predictions: [1, 2] })).toThrow('labels[1] must be a finite number, got Infinity')
  })
})
