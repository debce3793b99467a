import { describe, expect, it } from 'vitest'
import { allGatesPassed, championGate, invalidInputGate, latencyGate, percentile, sliceGate } from './index.ts'

describe('championGate', () => {
  it.each([
    ['passes with "no champion yet" when none is registered', { metric: 'roc_auc', candidate: 0.8, champion: null, margin: 0.01 }, true, /no champion yet/],
    ['passes when ROC AUC rises by at least the margin', { metric: 'roc_auc', candidate: 0.82, champion: 0.8, margin: 0.01 }, true, /beats/],
    ['fails when ROC AUC rises by less than the margin', { metric: 'roc_auc', candidate: 0.805, champion: 0.8, margin: 0.01 }, false, /does not beat/],
    ['passes when RMSE falls by at least the margin', { metric: 'rmse', candidate: 90, champion: 100, margin: 5 }, true, /lower is better/],
    ['fails when RMSE rises', { metric: 'rmse', candidate: 110, champion: 100, margin: 0 }, false, /does not beat/],
    ['tolerates a small loss with a negative margin', { metric: 'roc_auc', candidate: 0.795, champion: 0.8, margin: -0.01 }, true, /beats/],
    ['fails when the candidate has no value', { metric: 'roc_auc', candidate: null, champion: 0.8, margin: 0 }, false, /has no roc_auc/],
  ] as const)('%s', (_name, input, passed, reason) => {
    const result = championGate(input)
    expect(result.gate).toBe('champion')
    expect(result.passed).toBe(passed)
    expect(result.reason).toMatch(reason)
  })

  it('reports the improvement in the metric direction', () => {
    expect(championGate({ metric: 'rmse', candidate: 90, champion: 100, margin: 5 }).figures.improvement).toBe(10)
  })
})

describe('sliceGate', () => {
  const slice = (value: string, count: number, auc: number | null) => ({ value, count, metrics: { roc_auc: auc } })
  const champion = [slice('CH', 500, 0.9), slice('DE', 300, 0.85), slice('FR', 10, 0.9)]

  it('fails when one slice loses more than the tolerance and names it', () => {
    const result = sliceGate({ metric: 'roc_auc', candidate: [slice('CH', 500, 0.91), slice('DE', 300, 0.8)], champion, tolerance: 0.02 })
    expect(result.passed).toBe(false)
    expect(result.reason).toMatch(/DE \(0\.85 → 0\.8\)/)
    expect(result.figures).toMatchObject({ judged: 2, failing: 1, worst_slice: 'DE' })
  })

  it('ignores slices with too few rows, unknown to the champion, or without a value', () => {
    const result = sliceGate({ metric: 'roc_auc', candidate: [slice('CH', 500, 0.89), slice('FR', 10, 0.1), slice('IT', 400, 0.1), slice('DE', 300, null)], champion, tolerance: 0.02 })
    expect(result.passed).toBe(true)
    expect(result.figures.judged).toBe(1)
  })

  it('passes with "no champion yet" when there is none', () => {
    expect(sliceGate({ metric: 'roc_auc', candidate: [slice('CH', 500, 0.5)], champion: null, tolerance: 0 })).toMatchObject({ passed: true, reason: 'no champion yet' })
  })
})

describe('invalidInputGate', () => {
  it('passes when every probe was rejected or handled as expected', () => {
    const result = invalidInputGate({ cases: [{ name: 'height_cm = "tall"', expected: 'rejected', observed: 'rejected' }, { name: 'country missing', expected: 'handled', observed: 'handled' }] })
    expect(result).toMatchObject({ gate: 'invalid_input', passed: true, figures: { cases: 2, failures: 0, crashed: 0 } })
  })

  it('fails on a crash and says which case and what happened', () => {
    const result = invalidInputGate({ cases: [{ name: 'height_cm = NaN', expected: 'rejected', observed: 'crashed', detail: 'HTTP 500' }] })
    expect(result.passed).toBe(false)
    expect(result.reason).toMatch(/height_cm = NaN: expected rejected, observed crashed \(HTTP 500\)/)
  })
})

describe('latencyGate', () => {
  const latencies = Array.from({ length: 1000 }, (_, i) => (i < 990 ? 2 : 50))

  it('passes when the p99 is within the budget and fails when over', () => {
    const ok = latencyGate({ latenciesMs: latencies, budgetMs: 10 })
    expect(ok.passed).toBe(true)
    // Position 999 × 0.99 = 989.01 sits between the last 2 ms and the first 50 ms sample: 2 + 0.01 × 48.
    expect(ok.figures.latency_ms).toBeCloseTo(2.48, 10)
    expect(latencyGate({ latenciesMs: latencies, budgetMs: 10, quantile: 0.999 }).passed).toBe(false)
  })

  it('fails with too few samples for the quantile', () => {
    expect(latencyGate({ latenciesMs: [1, 2, 3], budgetMs: 10 }).reason).toMatch(/only 3 latency samples; at least 100/)
  })

  it('interpolates quantiles as NumPy does', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(percentile([10, 1, 5], 1)).toBe(10)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99)).toBeCloseTo(9.91, 12)
  })
})

describe('allGatesPassed', () => {
  it('is true only when there is at least one gate and all passed', () => {
    const pass = championGate({ metric: 'rmse', candidate: 1, champion: null, margin: 0 })
    const fail = championGate({ metric: 'rmse', candidate: 2, champion: 1, margin: 0 })
    expect(allGatesPassed([pass])).toBe(true)
    expect(allGatesPassed([pass, fail])).toBe(false)
    expect(allGatesPassed([])).toBe(false)
  })
})
