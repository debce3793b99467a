import { describe, expect, it } from 'vitest'
import { binaryClassificationMetrics, metricsBySlice, multiclassClassificationMetrics, regressionMetrics } from './index.ts'

describe('metricsBySlice', () => {
  const country = ['fr', 'de', 'fr', 'de', 'fr', 'es']

  it('gives binary metrics per value, sorted, with the row count, equal to the metrics of the subset', () => {
    const labels = [1, 0, 0, 1, 1, 0]
    const scores = [0.9, 0.2, 0.6, 0.4, 0.7, 0.1]
    const slices = metricsBySlice(country, { labels, scores, threshold: 0.5 })
    expect(slices.map((s) => [s.value, s.n])).toEqual([['de', 2], ['es', 1], ['fr', 3]])
    expect(slices[2]?.metrics).toEqual(binaryClassificationMetrics({ labels: [1, 0, 1], scores: [0.9, 0.6, 0.7] }))
    expect(slices[1]?.metrics.roc_auc).toMatchObject({ ok: false, reason: 'undefined_metric' })
  })

  it('marks a slice below minRows as not_enough_data', () => {
    const slices = metricsBySlice(country, { labels: [1, 0, 0, 1, 1, 0], scores: [0.9, 0.2, 0.6, 0.4, 0.7, 0.1], minRows: 2 })
    expect(slices.find((s) => s.value === 'es')?.metrics.accuracy).toMatchObject({ ok: false, reason: 'not_enough_data' })
  })

  it('gives regression metrics per value', () => {
    const slices = metricsBySlice(country, { labels: [1, 2, 3, 4, 5, 6], predictions: [1, 2, 4, 4, 5, 8] })
    expect(slices.find((s) => s.value === 'fr')?.metrics).toEqual(regressionMetrics({ labels: [1, 3, 5], predictions: [1, 4, 5] }))
  })

  it('gives multiclass metrics per value, scores included', () => {
    const labels = ['a', 'b', 'a', 'b', 'b', 'a']
    const predicted = ['a', 'b', 'b', 'b', 'b', 'a']
    const scores = labels.map((_, i) => ({ a: i / 10, b: 1 - i / 10 }))
    const slices = metricsBySlice(country, { labels, predicted, scores })
    const rows = [0, 2, 4]
    expect(slices.find((s) => s.value === 'fr')?.metrics).toEqual(
      multiclassClassificationMetrics({ labels: rows.map((i) => labels[i] as string), predicted: rows.map((i) => predicted[i] as string), scores: rows.map((i) => scores[i] as { a: number; b: number }) }),
    )
  })

  it('rejects slice values that are not aligned with the rows', () => {
    expect(() => metricsBySlice(['x'], { labels: [1, 0], scores: [0.3, 0.4] })).toThrow('sliceValues has 1 rows but labels has 2')
  })
})
