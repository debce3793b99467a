import { describe, expect, it } from 'vitest'
import { multiclassClassificationMetrics } from './index.ts'

describe('multiclassClassificationMetrics', () => {
  it('gives accuracy and macro precision, recall and F1 only when no scores are given', () => {
    const result = multiclassClassificationMetrics({ labels: ['a', 'b', 'c'], predicted: ['a', 'b', 'b'] })
    expect(Object.keys(result).sort()).toEqual(['accuracy', 'f1', 'precision', 'recall'])
    expect(result.accuracy).toEqual({ ok: true, value: 2 / 3 })
    // a: P 1 R 1; b: P ½ R 1; c: never predicted → P 0 (sklearn zero_division=0), R 0.
    expect(result.precision).toEqual({ ok: true, value: 0.5 })
    expect(result.recall).toEqual({ ok: true, value: 2 / 3 })
  })

  it('answers not_enough_data for every metric of an empty window', () => {
    const result = multiclassClassificationMetrics({ labels: [], predicted: [], scores: [] })
    for (const o of Object.values(result)) expect(o).toMatchObject({ ok: false, reason: 'not_enough_data' })
    expect(Object.keys(result)).toHaveLength(6)
  })

  it('says one-vs-rest ROC AUC is undefined when a scored class never occurs in the labels', () => {
    const result = multiclassClassificationMetrics({
      labels: ['a', 'b'],
      predicted: ['a', 'b'],
      scores: [{ a: 0.7, b: 0.2, c: 0.1 }, { a: 0.2, b: 0.7, c: 0.1 }],
    })
    expect(result.roc_auc).toMatchObject({ ok: false, reason: 'undefined_metric' })
    expect(result.roc_auc.ok ? '' : result.roc_auc.detail).toContain('"c"')
    expect(result.log_loss.ok).toBe(true)
  })

  it('treats a class missing from a score row as probability 0', () => {
    const withZero = multiclassClassificationMetrics({ labels: ['a', 'b'], predicted: ['a', 'b'], scores: [{ a: 1, b: 0 }, { a: 0.3, b: 0.7 }] })
    const missing = multiclassClassificationMetrics({ labels: ['a', 'b'], predicted: ['a', 'b'], scores: [{ a: 1 }, { a: 0.3, b: 0.7 }] })
    expect(missing).toEqual(withZero)
  })
})
