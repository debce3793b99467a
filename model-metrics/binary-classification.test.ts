import { describe, expect, it } from 'vitest'
import { CLASSIFICATION_METRICS, binaryClassificationMetrics } from './index.ts'
import { createSeededRandom } from '../random/index.ts'

describe('binaryClassificationMetrics', () => {
  it('answers not_enough_data for every metric of an empty window, never NaN', () => {
    const result = binaryClassificationMetrics({ labels: [], scores: [] })
    for (const m of CLASSIFICATION_METRICS) expect(result[m]).toEqual({ ok: false, reason: 'not_enough_data', detail: 'the window has no rows' })
  })

  it('answers not_enough_data below minRows', () => {
    const result = binaryClassificationMetrics({ labels: [0, 1, 1], scores: [0.2, 0.8, 0.6], minRows: 30 })
    expect(result.accuracy).toMatchObject({ ok: false, reason: 'not_enough_data' })
    expect(result.accuracy.ok ? '' : result.accuracy.detail).toContain('3 rows')
  })

  it('says ROC AUC is undefined when the window holds one class, and still gives accuracy and log loss', () => {
    const result = binaryClassificationMetrics({ labels: [1, 1, 1], scores: [0.9, 0.4, 0.7] })
    expect(result.roc_auc).toMatchObject({ ok: false, reason: 'undefined_metric' })
    expect(result.accuracy).toEqual({ ok: true, value: 2 / 3 })
    expect(result.log_loss.ok).toBe(true)
  })

  it('predicts positive at score >= threshold, so a score equal to the threshold counts as positive', () => {
    const result = binaryClassificationMetrics({ labels: [1, 0], scores: [0.5, 0.49] })
    expect(result.accuracy).toEqual({ ok: true, value: 1 })
    const strict = binaryClassificationMetrics({ labels: [1, 0], scores: [0.5, 0.49], threshold: 0.51 })
    expect(strict.accuracy).toEqual({ ok: true, value: 0.5 })
  })

  it('counts a tie across classes as half a correctly ordered pair in ROC AUC', () => {
    const result = binaryClassificationMetrics({ labels: [0, 1, 0, 1], scores: [0.3, 0.3, 0.1, 0.9] })
    // Pairs (pos, neg): (0.3, 0.3) tie = ½, (0.3, 0.1) = 1, (0.9, 0.3) = 1, (0.9, 0.1) = 1 → 3.5 / 4.
    expect(result.roc_auc).toEqual({ ok: true, value: 0.875 })
  })

  it('makes log loss, Brier and ECE undefined when scores are not probabilities, keeping the ranking metrics', () => {
    const result = binaryClassificationMetrics({ labels: [0, 1, 1], scores: [-1.2, 2.5, 0.7] })
    for (const m of ['log_loss', 'brier', 'ece'] as const) expect(result[m]).toMatchObject({ ok: false, reason: 'undefined_metric' })
    expect(result.roc_auc).toEqual({ ok: true, value: 1 })
  })

  it('puts a score of exactly 1 in the last ECE bin', () => {
    const result = binaryClassificationMetrics({ labels: [1, 1], scores: [1, 0.95] })
    expect(result.ece.ok && result.ece.value).toBeCloseTo(0.025, 15)
  })

  it('rejects labels other than 0 and 1, misaligned columns and NaN scores with a sentence naming the row', () => {
    expect(() => binaryClassificationMetrics({ labels: [0, 2], scores: [0.1, 0.2] })).toThrow('labels[1] must be 0 or 1, got 2')
    expect(() => binaryClassificationMetrics({ labels: [0, 1], scores: [0.1] })).toThrow('labels has 2 rows but scores has 1')
    expect(() => binaryClassificationMetrics({ labels: [0, 1], scores: [0.1, Number.NaN] })).toThrow('scores[1] must be a finite number, got NaN')
  })

  it('handles a million rows', () => {
    const n = 1_000_000
    const random = createSeededRandom(7)
    const labels = new Uint8Array(n)
    const scores = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const y = random.uniform() < 0.3 ? 1 : 0
      labels[i] = y
      scores[i] = 1 / (1 + Math.exp(-(y - 0.5 + random.normal())))
    }
    // Speed is measured in bench/, not asserted here; this proves a million rows run without a comparator sort blowing the stack.
    const result = binaryClassificationMetrics({ labels, scores })
    expect(result.roc_auc.ok).toBe(true)
  })
})
