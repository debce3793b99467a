import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { binaryMetricValues, computeBySlice, multiclassMetricValues, regressionMetricValues, reliabilityBins } from './index.ts'

// Written by scripts/golden/sklearn_models.py with scikit-learn 1.2.1 (see its docstring for the conventions): the
// evaluation-set figures that training records for a version.
type Figures = Record<string, number | null>
interface BinaryCase {
  name: string
  threshold: number
  labels: number[]
  scores: number[]
  expected: Figures
  reliability: Array<{ count: number; meanScore: number | null; fractionPositive: number | null }>
  slices?: string[]
  sliceExpected?: Array<{ value: string; count: number; metrics: Figures }>
}
interface MulticlassCase { name: string; classes: number; labels: number[]; probabilities: number[][]; expected: Figures }
interface RegressionCase { name: string; labels: number[]; predictions: number[]; expected: Figures }
interface Golden { meta: { sklearn: string; eceBins: number }; binary: BinaryCase[]; multiclass: MulticlassCase[]; regression: RegressionCase[] }

const golden = JSON.parse(readFileSync(new URL('../test/fixtures/golden/pipeline-metrics.json', import.meta.url), 'utf8')) as Golden

/** Relative tolerance: NumPy sums pairwise, we sum in sequence, so only the last digits may differ. */
const TOLERANCE = 1e-9

function expectFigures(actual: object, expected: Figures, label: string): void {
  const got = actual as Record<string, number | null>
  for (const [metric, want] of Object.entries(expected)) {
    const value = got[metric]
    if (want === null) {
      expect(value, `${label}.${metric} should be undefined (null)`).toBeNull()
    } else {
      expect(typeof value, `${label}.${metric} should be a number, got ${value}`).toBe('number')
      const diff = Math.abs((value as number) - want)
      expect(diff, `${label}.${metric}: got ${value}, sklearn ${want}`).toBeLessThanOrEqual(TOLERANCE * Math.max(1, Math.abs(want)))
    }
  }
}

describe('holdout figures against the scikit-learn goldens of pipeline-metrics.json', () => {
  it('uses a fixture generated with scikit-learn 1.2.1', () => {
    expect(golden.meta.sklearn).toBe('1.2.1')
  })

  describe('binaryMetricValues', () => {
    it.each(golden.binary.map((c) => [c.name, c] as const))('matches sklearn on %s', (_name, c) => {
      expectFigures(binaryMetricValues({ labels: c.labels, scores: c.scores, threshold: c.threshold, eceBins: golden.meta.eceBins }), c.expected, c.name)
    })

    it.each(golden.binary.map((c) => [c.name, c] as const))('builds the reliability bins of %s', (_name, c) => {
      const bins = reliabilityBins(c.labels, c.scores, golden.meta.eceBins)
      expect(bins.map((b) => b.count)).toEqual(c.reliability.map((b) => b.count))
      bins.forEach((b, i) => {
        const want = c.reliability[i] as BinaryCase['reliability'][number]
        expectFigures({ meanScore: b.meanScore, fractionPositive: b.fractionPositive }, { meanScore: want.meanScore, fractionPositive: want.fractionPositive }, `${c.name} bin ${i}`)
      })
    })
  })

  describe('computeBySlice', () => {
    it('gives every category its own metrics and count, largest slice first', () => {
      const c = golden.binary.find((b) => b.slices) as Required<BinaryCase>
      const slices = computeBySlice(c.slices, (idx) =>
        binaryMetricValues({ labels: Array.from(idx, (i) => c.labels[i] as number), scores: Array.from(idx, (i) => c.scores[i] as number), threshold: c.threshold }),
      )
      expect(slices.map((s) => [s.value, s.count])).toEqual(c.sliceExpected.map((s) => [s.value, s.count]))
      slices.forEach((s, i) => expectFigures(s.metrics, (c.sliceExpected[i] as { metrics: Figures }).metrics, `slice ${s.value}`))
    })

    it('puts rows without a category into a "(missing)" slice', () => {
      const slices = computeBySlice(['a', null, 'a', undefined], (idx) => Array.from(idx))
      expect(slices).toEqual([
        { value: '(missing)', count: 2, metrics: [1, 3] },
        { value: 'a', count: 2, metrics: [0, 2] },
      ])
    })
  })

  describe('multiclassMetricValues', () => {
    it.each(golden.multiclass.map((c) => [c.name, c] as const))('matches sklearn on %s', (_name, c) => {
      const probabilities = { data: Float64Array.from(c.probabilities.flat()), rows: c.labels.length, cols: c.classes }
      expectFigures(multiclassMetricValues({ labels: c.labels, probabilities }), c.expected, c.name)
    })
  })

  describe('regressionMetricValues', () => {
    it.each(golden.regression.map((c) => [c.name, c] as const))('matches sklearn on %s', (_name, c) => {
      expectFigures(regressionMetricValues({ labels: c.labels, predictions: c.predictions }), c.expected, c.name)
    })

    it('divides by the float64 epsilon when a target is zero, as sklearn and the analyzer do', () => {
      expect(regressionMetricValues({ labels: [0, 0], predictions: [1, 2] }).mape).toBe(1.5 * 2 ** 52)
    })
  })

  describe('bad input', () => {
    it('names the row of a label that is not 0 or 1', () => {
      expect(() => binaryMetricValues({ labels: [0, 2], scores: [0.1, 0.2] })).toThrow('labels[1] must be 0 or 1, got 2')
    })

    it('refuses misaligned labels and predictions', () => {
      expect(() => regressionMetricValues({ labels: [1, 2, 3], predictions: [1, 2] })).toThrow('labels has 3 rows but predictions has 2')
    })
  })
})
