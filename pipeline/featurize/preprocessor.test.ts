import { describe, expect, it } from 'vitest'
import { preprocessorSchema } from '../../contract/index.ts'
import { loadDataset, type DataRow } from '../data/index.ts'
import { modelSpecSchema } from '../../config/index.ts'
import { columnFeatures, columnNames, featureSpans, featurizeText, fitPreprocessor, transformRows, vectorWidth } from './index.ts'

const bikeSpec = modelSpecSchema.parse({
  name: 'bike',
  task: 'regression',
  features: {
    temp: { type: 'number', min: 0, max: 1 },
    hum: { type: 'number', min: 0, max: 1 },
    hr: { type: 'number', integer: true, min: 0, max: 23 },
    workingday: { type: 'boolean' },
    weathersit: { type: 'category', values: ['1', '2', '3', '4'] },
  },
})
const bike = await loadDataset(new URL('../../datasets/bike-sharing/hour.csv', import.meta.url).pathname, bikeSpec, { target: 'cnt' })

function column(rows: readonly DataRow[], name: string): number[] {
  return rows.map((r) => r.features[name] as number)
}

describe('fitPreprocessor', () => {
  it('standardises numbers with the training mean and the population standard deviation (bike-sharing hour.csv)', () => {
    const p = fitPreprocessor(bikeSpec, bike.rows)
    const temp = p.features.find((f) => f.name === 'temp')!
    const xs = column(bike.rows, 'temp')
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length
    const std = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length)
    expect(temp).toEqual({ kind: 'numeric', name: 'temp', impute: expect.closeTo(mean, 12), mean: expect.closeTo(mean, 12), scale: expect.closeTo(std, 12) })
    const { matrix, width } = transformRows(p, bike.rows)
    const z = bike.rows.map((_, i) => matrix[i * width]!)
    expect(z.reduce((s, x) => s + x, 0) / z.length).toBeCloseTo(0, 12)
    expect(Math.sqrt(z.reduce((s, x) => s + x * x, 0) / z.length)).toBeCloseTo(1, 12)
  })

  it('keeps the schema order of features and of category values, and names every column', () => {
    const p = fitPreprocessor(bikeSpec, bike.rows)
    expect(p.features.map((f) => f.kind)).toEqual(['numeric', 'numeric', 'numeric', 'boolean', 'onehot'])
    expect(columnNames(p)).toEqual(['temp', 'hum', 'hr', 'workingday', 'weathersit=1', 'weathersit=2', 'weathersit=3', 'weathersit=4'])
    expect(columnFeatures(p)).toEqual(['temp', 'hum', 'hr', 'workingday', 'weathersit', 'weathersit', 'weathersit', 'weathersit'])
    expect(vectorWidth(p)).toBe(8)
    expect(() => preprocessorSchema.parse(p)).not.toThrow()
  })

  it('imputes missing numbers with the mean, or the median when asked, and standardises the imputed column', () => {
    const spec = { features: { x: { type: 'number' as const, integer: false, required: false } } }
    const rows = [{ x: 1 }, { x: 2 }, { x: 10 }, { x: null }]
    const mean = fitPreprocessor(spec, rows).features[0]!
    const median = fitPreprocessor(spec, rows, { numericImpute: 'median' }).features[0]!
    expect(mean).toMatchObject({ impute: 13 / 3, mean: 13 / 3 })
    expect(median).toMatchObject({ impute: 2, mean: 15 / 4, scale: expect.closeTo(Math.sqrt(((1 - 3.75) ** 2 + (2 - 3.75) ** 2 + (10 - 3.75) ** 2 + (2 - 3.75) ** 2) / 4), 14) })
    const { matrix } = transformRows(fitPreprocessor(spec, rows, { numericImpute: 'median' }), [{ x: null }, { x: Number.NaN }])
    expect(matrix[0]).toBeCloseTo((2 - 3.75) / (median as { scale: number }).scale, 14)
    expect(matrix[1]).toBe(matrix[0])
  })

  it('gives a constant column scale 1 instead of dividing by a zero (or rounding-noise) deviation', () => {
    const spec = { features: { x: { type: 'number' as const, integer: false, required: true } } }
    const t = fitPreprocessor(spec, Array.from({ length: 7 }, () => ({ x: 0.1 }))).features[0]!
    expect(t).toMatchObject({ kind: 'numeric', scale: 1 })
  })

  it('encodes booleans as 1/0 and imputes a missing one with the training share of true', () => {
    const spec = { features: { b: { type: 'boolean' as const, required: false } } }
    const p = fitPreprocessor(spec, [{ b: true }, { b: true }, { b: false }, { b: null }])
    expect(p.features[0]).toEqual({ kind: 'boolean', name: 'b', impute: 2 / 3 })
    expect(Array.from(transformRows(p, [{ b: false }, { b: true }, { b: null }, { b: 1 }]).matrix)).toEqual([0, 1, 2 / 3, 1])
  })

  it('one-hot encodes observed categories in sorted order, and unseen or empty ones as all zeros', () => {
    const spec = { features: { c: { type: 'category' as const, required: false } } }
    const p = fitPreprocessor(spec, [{ c: 'FR' }, { c: 'CH' }, { c: 'DE' }, { c: 'CH' }])
    expect(p.features[0]).toEqual({ kind: 'onehot', name: 'c', categories: ['CH', 'DE', 'FR'] })
    expect(Array.from(transformRows(p, [{ c: 'DE' }, { c: 'IT' }, { c: '' }, { c: null }]).matrix)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
  })

  it('keeps only the maxCategories most frequent categories, in their original order', () => {
    const spec = { features: { c: { type: 'category' as const, values: ['a', 'b', 'c', 'd'], required: true } } }
    const rows = ['d', 'd', 'd', 'b', 'b', 'a', 'c'].map((c) => ({ c }))
    expect(fitPreprocessor(spec, rows, { maxCategories: 2 }).features[0]).toEqual({ kind: 'onehot', name: 'c', categories: ['b', 'd'] })
    expect(fitPreprocessor(spec, rows, { features: { c: { maxCategories: 3 } } }).features[0]).toMatchObject({ categories: ['a', 'b', 'd'] })
  })

  it('puts text through the shared featuriser, so training rows equal featurizeText output', () => {
    const spec = { features: { n: { type: 'number' as const, integer: false, required: true }, note: { type: 'text' as const, maxLength: 100, required: false } } }
    const rows = [
      { n: 1, note: 'free prize now' },
      { n: 2, note: 'see you now' },
      { n: 3, note: null },
    ]
    const p = fitPreprocessor(spec, rows, { text: { ngrams: 2 } })
    const text = p.features[1]!
    if (text.kind !== 'text') throw new Error('expected a text transform')
    const spans = featureSpans(p)
    expect(spans.map((s) => [s.feature, s.offset, s.width])).toEqual([
      ['n', 0, 1],
      ['note', 1, text.vocabulary.length],
    ])
    const { matrix, width } = transformRows(p, rows)
    const vectors = featurizeText(
      text,
      rows.map((r) => r.note),
    )
    rows.forEach((_, i) => expect(Array.from(matrix.subarray(i * width + 1, (i + 1) * width))).toEqual(Array.from(vectors.subarray(i * text.vocabulary.length, (i + 1) * text.vocabulary.length))))
    expect(columnNames(p)).toContain('note:free prize')
  })

  it('accepts pipeline rows and bare feature records alike', () => {
    const p = fitPreprocessor(bikeSpec, bike.rows.slice(0, 100))
    const a = transformRows(p, bike.rows.slice(0, 5))
    const b = transformRows(
      p,
      bike.rows.slice(0, 5).map((r) => r.features),
    )
    expect(Array.from(a.matrix)).toEqual(Array.from(b.matrix))
  })

  it('names the feature, row and value of a value of the wrong type, and the option of a bad option', () => {
    const p = fitPreprocessor(bikeSpec, bike.rows.slice(0, 100))
    expect(() => transformRows(p, [{ ...bike.rows[0]!.features, hum: 'high' }])).toThrow('hum: rows[0]: must be a number or null, got "high"')
    expect(() => fitPreprocessor(bikeSpec, bike.rows, { maxCategories: 0 })).toThrow(/options\.maxCategories/)
    expect(() => fitPreprocessor(bikeSpec, bike.rows, { exclude: ['nope'] })).toThrow(/nope: is named in the options but is not a feature of the schema/)
  })
})
