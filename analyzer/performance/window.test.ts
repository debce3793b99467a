import { describe, expect, it } from 'vitest'
import { assessWindow, fitCbpe, joinLabelsById } from './index.ts'
import { createSeededRandom } from '../../random/index.ts'

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z))

function simulate(seed: number, n: number): { scores: number[]; labels: number[] } {
  const random = createSeededRandom(seed)
  const scores: number[] = []
  const labels: number[] = []
  for (let i = 0; i < n; i++) {
    const p = sigmoid(2 * random.normal())
    scores.push(p)
    labels.push(random.uniform() < p ? 1 : 0)
  }
  return { scores, labels }
}

describe('joinLabelsById', () => {
  it('puts each label on its prediction, leaves the rest undefined and reports coverage', () => {
    const joined = joinLabelsById(['p1', 'p2', 'p3', 'p4'], [
      { id: 'p3', value: 1 },
      { id: 'p1', value: 0 },
      { id: 'unknown', value: 1 },
    ])
    expect(joined).toEqual({ values: [0, undefined, 1, undefined], labelledRows: 2, coverage: 0.5 })
  })

  it('lets a later label for the same id replace the earlier one', () => {
    expect(joinLabelsById(['a'], [{ id: 'a', value: 'cat' }, { id: 'a', value: 'dog' }]).values).toEqual(['dog'])
  })

  it('reports zero coverage, not NaN, for a window without predictions', () => {
    expect(joinLabelsById([], []).coverage).toBe(0)
  })
})

describe('assessWindow', () => {
  const reference = simulate(1, 4_000)
  const model = fitCbpe({ scores: reference.scores, labels: reference.labels })
  const window = simulate(2, 1_000)

  it('reports the estimate while label coverage is below the set level', () => {
    const labels = window.labels.map((y, i) => (i < 500 ? y : null))
    const result = assessWindow(model, { scores: window.scores, labels, minLabelCoverage: 0.8 })
    expect(result).toMatchObject({ rows: 1_000, labelledRows: 500, labelCoverage: 0.5, source: 'estimated', realised: null, comparison: null })
    expect(result.estimated.accuracy.ok).toBe(true)
  })

  it('switches to the realised figures and compares them with the estimate once coverage reaches the level', () => {
    const labels = window.labels.map((y, i) => (i < 800 ? y : Number.NaN))
    const result = assessWindow(model, { scores: window.scores, labels, minLabelCoverage: 0.8 })
    expect(result.source).toBe('realised')
    expect(result.realised?.accuracy.ok).toBe(true)
    const accuracy = result.comparison?.accuracy
    expect(accuracy).toBeDefined()
    if (accuracy !== undefined && 'difference' in accuracy) {
      expect(accuracy.difference).toBeCloseTo(accuracy.realised - accuracy.estimated, 15)
      expect(Math.abs(accuracy.difference)).toBeLessThan(0.05)
      expect(accuracy.withinBand).toBe(true)
    }
  })

  it('stays on the estimate for an empty window', () => {
    const result = assessWindow(model, { scores: [], labels: [], minLabelCoverage: 0.5 })
    expect(result).toMatchObject({ rows: 0, labelCoverage: 0, source: 'estimated' })
    expect(result.estimated.accuracy).toMatchObject({ ok: false, reason: 'not_enough_data' })
  })

  it('rejects a coverage level outside (0, 1]', () => {
    expect(() => assessWindow(model, { scores: [0.5], labels: [1], minLabelCoverage: 0 })).toThrow('minLabelCoverage must be in (0, 1], got 0')
  })
})
