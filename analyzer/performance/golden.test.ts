import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { applyIsotonic, estimateCbpe, fitCbpe, fitIsotonic } from './index.ts'
import type { CbpeOutcome } from './index.ts'

// Golden values written by scripts/golden/performance.py with scikit-learn 1.2.1 (see its docstring); its metric
// cases are checked in model-metrics/golden.test.ts.
interface IsotonicCase { name: string; x: number[]; y: number[]; thresholdsX: number[]; thresholdsY: number[]; probe: number[]; predicted: number[] }
interface CbpeExpected { value: number; samplingError: number; lower: number; upper: number; referenceChunkStd: number }
interface CbpeCase {
  name: string
  threshold: number
  chunkSize: number
  referenceScores: number[]
  referenceLabels: number[]
  scores: number[]
  calibratedScores: number[]
  expected: Record<string, CbpeExpected>
}
interface Golden {
  meta: { sklearn: string }
  isotonic: IsotonicCase[]
  cbpe: CbpeCase[]
}

const golden = JSON.parse(readFileSync(new URL('../../test/fixtures/golden/performance.json', import.meta.url), 'utf8')) as Golden

/** Relative tolerance against sklearn: summation order (NumPy sums pairwise, we sum in sequence) moves the last digits. */
const RELATIVE_TOLERANCE = 1e-9

function expectClose(actual: number, expected: number, label: string): void {
  const scale = Math.max(Math.abs(actual), Math.abs(expected))
  expect(Math.abs(actual - expected), `${label}: got ${actual}, sklearn ${expected}`).toBeLessThanOrEqual(RELATIVE_TOLERANCE * scale)
}

describe('isotonic and CBPE golden values from scikit-learn', () => {
  it(`were generated with scikit-learn 1.2.1`, () => {
    expect(golden.meta.sklearn).toBe('1.2.1')
  })

  describe('fitIsotonic', () => {
    it.each(golden.isotonic.map((c) => [c.name, c] as const))('finds the knots and predictions of IsotonicRegression on %s', (_name, c) => {
      const map = fitIsotonic(c.x, c.y)
      expect(map.x).toEqual(c.thresholdsX)
      expect(map.y.length).toBe(c.thresholdsY.length)
      map.y.forEach((v, i) => expectClose(v, c.thresholdsY[i] as number, `${c.name}.y[${i}]`))
      c.probe.forEach((t, i) => expectClose(applyIsotonic(map, t), c.predicted[i] as number, `${c.name}.predict(${t})`))
    })
  })

  describe('estimateCbpe with isotonic calibration', () => {
    it.each(golden.cbpe.map((c) => [c.name, c] as const))('matches the NumPy expected confusion matrix and band on %s', (_name, c) => {
      const model = fitCbpe({ scores: c.referenceScores, labels: c.referenceLabels, threshold: c.threshold, chunkSize: c.chunkSize, calibration: 'isotonic' })
      const map = model.calibration
      expect(map).not.toBeNull()
      c.scores.forEach((s, i) => {
        if (map !== null) expectClose(applyIsotonic(map, s), c.calibratedScores[i] as number, `calibrated[${i}]`)
      })
      const estimate = estimateCbpe(model, { scores: c.scores })
      for (const [metric, expected] of Object.entries(c.expected)) {
        const o = estimate[metric as keyof typeof estimate] as CbpeOutcome
        expect(o.ok, metric).toBe(true)
        if (!o.ok) continue
        expectClose(model.reference.chunkStd[metric as keyof typeof model.reference.chunkStd], expected.referenceChunkStd, `${metric}.chunkStd`)
        expectClose(o.value, expected.value, `${metric}.value`)
        expectClose(o.samplingError, expected.samplingError, `${metric}.samplingError`)
        expectClose(o.lower, expected.lower, `${metric}.lower`)
        expectClose(o.upper, expected.upper, `${metric}.upper`)
      }
    })
  })
})
