import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { binaryClassificationMetrics, multiclassClassificationMetrics, regressionMetrics } from './index.ts'
import type { MetricOutcome } from './index.ts'

// Golden values written by scripts/golden/performance.py with scikit-learn 1.2.1 (see its docstring); its isotonic
// and CBPE cases are checked in analyzer/performance/golden.test.ts.
type Expected = { value: number } | { undefined: string } | { not_enough_data: string }
interface BinaryCase { name: string; threshold: number; labels: number[]; scores: number[]; expected: Record<string, Expected> }
interface RegressionCase { name: string; labels: number[]; predictions: number[]; expected: Record<string, Expected> }
interface MulticlassCase { name: string; labels: string[]; predicted: string[]; scores?: Array<Record<string, number>>; expected: Record<string, Expected> }
interface Golden {
  meta: { sklearn: string }
  binary: BinaryCase[]
  regression: RegressionCase[]
  multiclass: MulticlassCase[]
}

const golden = JSON.parse(readFileSync(new URL('../test/fixtures/golden/performance.json', import.meta.url), 'utf8')) as Golden

/** Relative tolerance against sklearn: summation order (NumPy sums pairwise, we sum in sequence) moves the last digits. */
const RELATIVE_TOLERANCE = 1e-9

function expectClose(actual: number, expected: number, label: string): void {
  const scale = Math.max(Math.abs(actual), Math.abs(expected))
  expect(Math.abs(actual - expected), `${label}: got ${actual}, sklearn ${expected}`).toBeLessThanOrEqual(RELATIVE_TOLERANCE * scale)
}

function expectOutcome(outcome: MetricOutcome | undefined, expected: Expected, label: string): void {
  expect(outcome, `${label} is missing`).toBeDefined()
  const o = outcome as MetricOutcome
  if ('value' in expected) {
    expect(o.ok, `${label}: ${o.ok ? '' : o.detail}`).toBe(true)
    if (o.ok) expectClose(o.value, expected.value, label)
  } else if ('undefined' in expected) {
    expect(o, label).toMatchObject({ ok: false, reason: 'undefined_metric' })
  } else {
    expect(o, label).toMatchObject({ ok: false, reason: 'not_enough_data' })
  }
}

describe('model metrics against the scikit-learn goldens of performance.json', () => {
  it(`were generated with scikit-learn 1.2.1`, () => {
    expect(golden.meta.sklearn).toBe('1.2.1')
  })

  describe('binaryClassificationMetrics', () => {
    it.each(golden.binary.map((c) => [c.name, c] as const))('matches sklearn on the %s window', (_name, c) => {
      const result = binaryClassificationMetrics({ labels: c.labels, scores: c.scores, threshold: c.threshold })
      for (const [metric, expected] of Object.entries(c.expected)) expectOutcome(result[metric as keyof typeof result], expected, `${c.name}.${metric}`)
    })

    it('gives the same figures from typed arrays as from plain arrays', () => {
      const c = golden.binary.find((b) => b.name === 'larger') as BinaryCase
      const plain = binaryClassificationMetrics({ labels: c.labels, scores: c.scores })
      const typed = binaryClassificationMetrics({ labels: Uint8Array.from(c.labels), scores: Float64Array.from(c.scores) })
      expect(typed).toEqual(plain)
    })
  })

  describe('regressionMetrics', () => {
    it.each(golden.regression.map((c) => [c.name, c] as const))('matches sklearn on the %s window', (_name, c) => {
      const result = regressionMetrics({ labels: c.labels, predictions: c.predictions })
      for (const [metric, expected] of Object.entries(c.expected)) expectOutcome(result[metric as keyof typeof result], expected, `${c.name}.${metric}`)
    })
  })

  describe('multiclassClassificationMetrics', () => {
    it.each(golden.multiclass.map((c) => [c.name, c] as const))('matches sklearn on the %s window', (_name, c) => {
      const result = multiclassClassificationMetrics(c.scores === undefined ? { labels: c.labels, predicted: c.predicted } : { labels: c.labels, predicted: c.predicted, scores: c.scores })
      expect(Object.keys(result).sort()).toEqual(Object.keys(c.expected).sort())
      for (const [metric, expected] of Object.entries(c.expected)) expectOutcome(result[metric as keyof typeof result], expected, `${c.name}.${metric}`)
    })
  })
})
