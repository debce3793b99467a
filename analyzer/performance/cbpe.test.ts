import { describe, expect, it } from 'vitest'
import { binaryClassificationMetrics } from '../../model-metrics/index.ts'
import { CBPE_METRICS, estimateCbpe, fitCbpe, needsCalibration } from './index.ts'
import type { CbpeModel } from './index.ts'
import { createSeededRandom } from '../../random/index.ts'

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z))

/** Known truth P(y = 1 | x) = σ(−0.5 + 2x); P(y | x) is the same in every window, only x moves. */
const truth = (x: number): number => sigmoid(-0.5 + 2 * x)
/** The model's score: monotone in the truth but overconfident (logit × 1.8), so it needs calibration. */
const overconfidentScore = (x: number): number => sigmoid(1.8 * (-0.5 + 2 * x))

function simulate(seed: number, n: number, xMean: number, score: (x: number) => number): { scores: Float64Array; labels: Uint8Array } {
  const random = createSeededRandom(seed)
  const scores = new Float64Array(n)
  const labels = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const x = xMean + random.normal()
    scores[i] = score(x)
    labels[i] = random.uniform() < truth(x) ? 1 : 0
  }
  return { scores, labels }
}

function value(outcome: { ok: boolean; value?: number }): number {
  if (!outcome.ok || outcome.value === undefined) throw new Error('expected a value')
  return outcome.value
}

describe('CBPE on a simulated covariate shift with known truth', () => {
  const reference = simulate(1, 20_000, 0, overconfidentScore)
  const current = simulate(2, 20_000, 1.2, overconfidentScore) // x shifted by 1.2 sd, P(y | x) unchanged
  const model = fitCbpe({ scores: reference.scores, labels: reference.labels })
  const estimated = estimateCbpe(model, { scores: current.scores })
  const realisedCurrent = binaryClassificationMetrics({ labels: current.labels, scores: current.scores })
  const realisedReference = binaryClassificationMetrics({ labels: reference.labels, scores: reference.scores })

  it('calibrates the overconfident scores, as needs_calibration asks', () => {
    expect(model.calibrationDecision).toBe('needed')
    expect(model.calibration).not.toBeNull()
  })

  it('is not trivially passing: realised accuracy moved by more than the 0.02 tolerance', () => {
    expect(Math.abs(value(realisedCurrent.accuracy) - value(realisedReference.accuracy))).toBeGreaterThan(0.02)
  })

  it('estimates accuracy within 0.02 of the realised accuracy on the shifted window', () => {
    expect(Math.abs(value(estimated.accuracy) - value(realisedCurrent.accuracy))).toBeLessThan(0.02)
  })

  it('follows the shift: the estimate moves from the reference accuracy the same way as the realised one', () => {
    const estimatedMove = value(estimated.accuracy) - value(realisedReference.accuracy)
    const realisedMove = value(realisedCurrent.accuracy) - value(realisedReference.accuracy)
    expect(Math.sign(estimatedMove)).toBe(Math.sign(realisedMove))
    expect(Math.abs(estimatedMove - realisedMove)).toBeLessThan(0.02)
  })

  it('estimates precision, recall, F1 and ROC AUC within 0.03 of their realised values', () => {
    for (const m of ['precision', 'recall', 'f1', 'roc_auc'] as const) {
      expect(Math.abs(value(estimated[m]) - value(realisedCurrent[m])), m).toBeLessThan(0.03)
    }
  })

  it('puts the realised accuracy inside the ±3 sampling error band', () => {
    const a = estimated.accuracy
    expect(a.ok).toBe(true)
    if (a.ok) {
      expect(a.lower).toBeLessThanOrEqual(value(realisedCurrent.accuracy))
      expect(a.upper).toBeGreaterThanOrEqual(value(realisedCurrent.accuracy))
      expect(a.samplingError).toBeCloseTo(model.reference.chunkStd.accuracy * Math.sqrt(model.reference.chunkSize / 20_000), 15)
    }
  })

  it('would miss without calibration: raw overconfident scores overstate accuracy', () => {
    const raw = fitCbpe({ scores: reference.scores, labels: reference.labels, calibration: 'none' })
    const error = Math.abs(value(estimateCbpe(raw, { scores: current.scores }).accuracy) - value(realisedCurrent.accuracy))
    expect(error).toBeGreaterThan(0.02)
  })
})

describe('fitCbpe', () => {
  const reference = simulate(3, 3_000, 0, truth)

  it('returns plain JSON that estimates the same after a round trip', () => {
    const model = fitCbpe({ scores: reference.scores, labels: reference.labels, calibration: 'isotonic' })
    const reloaded = JSON.parse(JSON.stringify(model)) as CbpeModel
    const window = simulate(4, 500, 0.5, truth).scores
    expect(estimateCbpe(reloaded, { scores: window })).toEqual(estimateCbpe(model, { scores: window }))
  })

  it('keeps one realised figure per complete reference chunk, ten chunks by default', () => {
    const model = fitCbpe({ scores: reference.scores.subarray(0, 2_995), labels: reference.labels.subarray(0, 2_995) })
    expect(model.reference).toMatchObject({ rows: 2_995, chunkSize: 299, chunkCount: 10 })
    for (const m of CBPE_METRICS) expect(model.reference.chunkValues[m]).toHaveLength(10)
  })

  it('refuses a reference with one class, or too short for two chunks, naming the problem', () => {
    expect(() => fitCbpe({ scores: [0.2, 0.7, 0.9], labels: [1, 1, 1] })).toThrow('needs both classes')
    expect(() => fitCbpe({ scores: reference.scores, labels: reference.labels, chunkSize: 2_000 })).toThrow('1 complete chunk(s)')
  })

  it('refuses a reference where a metric is undefined in all but one chunk', () => {
    // Only the first chunk holds a row scored above the threshold: precision is undefined elsewhere.
    const scores = Array.from({ length: 40 }, (_, i) => (i === 0 ? 0.9 : 0.1))
    const labels = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 1 : 0))
    expect(() => fitCbpe({ scores, labels, chunkSize: 10, calibration: 'none' })).toThrow('precision is defined in 1 of 4 reference chunks')
  })
})

describe('estimateCbpe', () => {
  const reference = simulate(5, 4_000, 0, truth)
  const model = fitCbpe({ scores: reference.scores, labels: reference.labels })

  it('answers not_enough_data for every metric of an empty window', () => {
    const result = estimateCbpe(model, { scores: [] })
    for (const m of CBPE_METRICS) expect(result[m]).toMatchObject({ ok: false, reason: 'not_enough_data' })
  })

  it('widens the band for a single row, clipped to [0, 1]', () => {
    const result = estimateCbpe(model, { scores: [0.8] })
    expect(result.accuracy).toMatchObject({ ok: true })
    if (result.accuracy.ok) {
      expect(result.accuracy.lower).toBeGreaterThanOrEqual(0)
      expect(result.accuracy.upper).toBeLessThanOrEqual(1)
      expect(result.accuracy.upper - result.accuracy.lower).toBeGreaterThan(0.2)
    }
  })

  it('says precision is undefined when no row is predicted positive', () => {
    const result = estimateCbpe(model, { scores: [0.1, 0.2, 0.3] })
    expect(result.precision).toMatchObject({ ok: false, reason: 'undefined_metric' })
    expect(result.recall.ok).toBe(true)
  })

  it('narrows the band as the window grows, by √(chunkSize / n)', () => {
    const small = estimateCbpe(model, { scores: simulate(6, 100, 0, truth).scores }).f1
    const large = estimateCbpe(model, { scores: simulate(6, 10_000, 0, truth).scores }).f1
    expect(small.ok && large.ok).toBe(true)
    if (small.ok && large.ok) expect(small.samplingError / large.samplingError).toBeCloseTo(10, 12)
  })

  it('estimates a window of a million rows', () => {
    const { scores } = simulate(8, 1_000_000, 0.3, truth)
    const result = estimateCbpe(model, { scores })
    expect(result.roc_auc.ok).toBe(true)
  })
})

describe('needsCalibration', () => {
  it('leaves scores alone when the window has one class', () => {
    expect(needsCalibration([1, 1, 1, 1], [0.1, 0.5, 0.7, 0.9])).toBe(false)
  })

  it('leaves scores alone when they rank almost perfectly (ROC AUC above 0.999)', () => {
    const labels = Array.from({ length: 200 }, (_, i) => (i < 100 ? 0 : 1))
    const scores = labels.map((y, i) => (y === 1 ? 0.51 : 0.0) + i / 1000)
    expect(needsCalibration(labels, scores)).toBe(false)
  })

  it('asks for calibration of overconfident scores', () => {
    const { scores, labels } = simulate(9, 5_000, 0, overconfidentScore)
    expect(needsCalibration(labels, scores)).toBe(true)
  })

  it('decides the same way every time (seeded splits)', () => {
    const { scores, labels } = simulate(10, 3_000, 0, truth)
    const first = needsCalibration(labels, scores)
    for (let k = 0; k < 3; k++) expect(needsCalibration(labels, scores)).toBe(first)
  })
})
