import { describe, expect, it } from 'vitest'
import { modelSpecSchema, type ModelSpec, type Task } from '../config/index.ts'
import { computePerformance } from '../analyzer/performance-report.ts'
import { CLASSIFICATION_METRICS, REGRESSION_METRICS } from '../model-metrics/index.ts'
import type { DataRow } from '../pipeline/data/index.ts'
import { evaluateOutputs, sliceOutputs } from '../pipeline/train/fit.ts'
import { gauss, mulberry32 } from '../random/index.ts'
import type { LabelledWindow } from '../store/index.ts'

// Issue 10: a version's holdout score (pipeline/train, evaluateOutputs and sliceOutputs) and its production score
// (analyzer, computePerformance) must be the same code. Both paths get the same predictions and labels here, through
// their own entry points, and must give bit-identical figures for every metric they share.

const COUNTRIES = ['ch', 'de', 'fr', 'it'] as const

function modelOf(task: Task): ModelSpec {
  return modelSpecSchema.parse({ name: `parity-${task}`, task, features: { country: { type: 'category', values: [...COUNTRIES] } } })
}

/** The production side: one window whose every prediction has a label. */
function production(task: Task, w: { scores: Float64Array; labels: Float64Array; predictedClasses?: string[]; labelClasses?: string[]; countries: string[] }): ReturnType<typeof computePerformance> {
  const n = w.labels.length
  const labelled: LabelledWindow = {
    predictions: n,
    labelled: n,
    scores: w.scores,
    predictedClasses: w.predictedClasses ?? new Array<string>(n).fill(''),
    labels: w.labels,
    labelClasses: w.labelClasses ?? new Array<string>(n).fill(''),
    slices: { country: w.countries },
    delaysSeconds: new Float64Array(n),
  }
  return computePerformance({ model: modelOf(task), version: '1', fromMs: 0, toMs: 3_600_000, labelled, allScores: null, cbpe: null, minLabelCoverage: 0.5, minRows: 1 })
}

/** The holdout rows as training sees them: only the slice feature matters here. */
function rowsOf(countries: readonly string[], labels: Float64Array): DataRow[] {
  return countries.map((country, i) => ({ features: { country }, target: labels[i] as number, ts: null }))
}

function pick(values: Readonly<Record<string, number | null>>, metrics: readonly string[]): Record<string, number | null | undefined> {
  return Object.fromEntries(metrics.map((m) => [m, values[m]]))
}

function seededCountries(random: () => number, n: number): string[] {
  return Array.from({ length: n }, () => COUNTRIES[Math.floor(random() * COUNTRIES.length)] as string)
}

describe('holdout and production scores', () => {
  it('are identical for a binary classifier, overall and per slice', () => {
    const random = mulberry32(10)
    const n = 3_000
    const labels = Float64Array.from({ length: n }, () => (random() < 0.35 ? 1 : 0))
    // Scores on a 0.01 grid: ties within and across classes, and scores on ECE bin edges.
    const scores = labels.map((y) => Math.min(1, Math.max(0, Math.round(100 / (1 + Math.exp(-(1.2 * (2 * y - 1) + gauss(random))))) / 100)))
    const countries = seededCountries(random, n)
    const outputs = new Float64Array(n * 2)
    scores.forEach((s, i) => {
      outputs[2 * i] = 1 - s
      outputs[2 * i + 1] = s
    })

    const holdout = evaluateOutputs('binary_classification', outputs, labels, 2)
    const realised = production('binary_classification', { scores, labels, countries })
    expect(realised.source).toBe('realised')
    expect(pick(holdout, CLASSIFICATION_METRICS)).toEqual(pick(realised.realised, CLASSIFICATION_METRICS))
    for (const m of CLASSIFICATION_METRICS) expect(typeof holdout[m], m).toBe('number')

    const [holdoutSlices] = sliceOutputs('binary_classification', rowsOf(countries, labels), outputs, labels, 2, ['country'])
    const realisedSlices = realised.slices.country ?? []
    expect(new Set(holdoutSlices?.slices.map((s) => s.value))).toEqual(new Set(COUNTRIES))
    for (const slice of holdoutSlices?.slices ?? []) {
      const other = realisedSlices.find((s) => s.value === slice.value)
      expect(other?.n, slice.value).toBe(slice.count)
      expect(pick(slice.metrics, CLASSIFICATION_METRICS), slice.value).toEqual(pick(other?.metrics ?? {}, CLASSIFICATION_METRICS))
    }
  })

  it('are identical for a regressor, MAPE on zero targets included', () => {
    const random = mulberry32(11)
    const n = 2_000
    // Hourly counts: some hours are 0, where MAPE divides by 2⁻⁵² in both paths.
    const labels = Float64Array.from({ length: n }, () => (random() < 0.05 ? 0 : Math.round(20 + 8 * gauss(random))))
    const predictions = labels.map((y) => y + 4 * gauss(random))
    const countries = seededCountries(random, n)

    const holdout = evaluateOutputs('regression', predictions, labels, 1)
    const realised = production('regression', { scores: predictions, labels, countries })
    expect(pick(holdout, REGRESSION_METRICS)).toEqual(pick(realised.realised, REGRESSION_METRICS))
    for (const m of REGRESSION_METRICS) expect(typeof holdout[m], m).toBe('number')

    const [holdoutSlices] = sliceOutputs('regression', rowsOf(countries, labels), predictions, labels, 1, ['country'])
    for (const slice of holdoutSlices?.slices ?? []) {
      const other = (realised.slices.country ?? []).find((s) => s.value === slice.value)
      expect(pick(slice.metrics, REGRESSION_METRICS), slice.value).toEqual(pick(other?.metrics ?? {}, REGRESSION_METRICS))
    }
  })

  it('are identical for a multiclass classifier on the class figures production computes', () => {
    const random = mulberry32(12)
    const n = 1_500
    const k = 3
    const labels = Float64Array.from({ length: n }, () => Math.floor(random() * k))
    const probabilities = new Float64Array(n * k)
    const predicted: string[] = []
    for (let i = 0; i < n; i++) {
      const z = Array.from({ length: k }, (_, c) => gauss(random) + (c === labels[i] ? 1.2 : 0))
      const e = z.map(Math.exp)
      const sum = e.reduce((a, b) => a + b, 0)
      e.forEach((v, c) => (probabilities[i * k + c] = v / sum))
      // The served model logs its predicted class: the argmax, first class on ties.
      let arg = 0
      for (let c = 1; c < k; c++) if ((probabilities[i * k + c] as number) > (probabilities[i * k + arg] as number)) arg = c
      predicted.push(String(arg))
    }
    const classFigures = ['accuracy', 'precision', 'recall', 'f1']

    const holdout = evaluateOutputs('multiclass_classification', probabilities, labels, k)
    const realised = production('multiclass_classification', {
      scores: new Float64Array(n),
      labels,
      predictedClasses: predicted,
      labelClasses: Array.from(labels, String),
      countries: seededCountries(random, n),
    })
    expect(pick(holdout, classFigures)).toEqual(pick(realised.realised, classFigures))
    for (const m of classFigures) expect(typeof holdout[m], m).toBe('number')
  })
})
