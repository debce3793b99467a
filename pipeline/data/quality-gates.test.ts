import { describe, expect, it } from 'vitest'
import { modelSpecSchema } from '../../config/index.ts'
import { assertQuality, checkQuality, datasetProfileSchema, loadDataset, parseTable, profileDataset, QualityGateError, splitDataset, toDataRows, type DataRow, type GateCheck } from './index.ts'

const HOUR = new URL('../../datasets/bike-sharing/hour.csv', import.meta.url).pathname
const SMS = new URL('../../datasets/sms-spam/SMSSpamCollection', import.meta.url).pathname

const bikeSpec = modelSpecSchema.parse({
  name: 'bike',
  task: 'regression',
  features: {
    temp: { type: 'number' },
    hum: { type: 'number' },
    hr: { type: 'number' },
    workingday: { type: 'boolean' },
    weathersit: { type: 'category' },
  },
})
const bike = await loadDataset(HOUR, bikeSpec, { target: 'cnt', featureColumns: {}, time: (v) => Date.parse(`${v.dteday}T00:00:00Z`) + Number(v.hr) * 3_600_000 })
const month = (r: DataRow) => new Date(r.ts!).getUTCMonth() + 1

const check = (checks: readonly GateCheck[], gate: string, feature: string | null) => checks.find((c) => c.gate === gate && c.feature === feature)

describe('checkQuality', () => {
  it('passes a holdout of the SMS messages against the profile of the rest: no drift, nothing missing', async () => {
    const spec = modelSpecSchema.parse({ name: 'sms', task: 'binary_classification', features: { message: { type: 'text', maxLength: 1000 } } })
    const sms = await loadDataset(SMS, spec, { format: 'tsv', columns: ['label', 'message'], target: 'label' })
    const s = splitDataset(sms.rows, { seed: 5 })
    const report = checkQuality({ schema: spec, rows: s.holdout, previous: profileDataset(spec, s.train) })
    expect(report.passed).toBe(true)
    expect(check(report.checks, 'drift', 'message')).toMatchObject({ passed: true, detail: expect.stringContaining('text length') })
    expect(check(report.checks, 'dataset_drift', null)).toMatchObject({ value: 0, passed: true })
    expect(() => assertQuality(report)).not.toThrow()
  })

  it('finds the temperature drift between winter and summer hours (bike sharing) with the analyzer tests', () => {
    const winter = bike.rows.filter((r) => month(r) <= 2)
    const summer = bike.rows.filter((r) => month(r) === 7 || month(r) === 8)
    const report = checkQuality({ schema: bikeSpec, rows: summer, previous: profileDataset(bikeSpec, winter) })
    const temp = check(report.checks, 'drift', 'temp')!
    // More than 1000 reference rows and many values: Evidently's default is the normed Wasserstein distance ≥ 0.1.
    expect(temp).toMatchObject({ passed: false, threshold: 0.1, blocking: false, detail: expect.stringContaining('wasserstein') })
    expect(temp.value).toBeGreaterThan(1)
    expect(check(report.checks, 'drift', 'hr')).toMatchObject({ passed: true })
    // Summer temperatures lie outside the winter range: temp has no schema range, so the previous one is used.
    expect(check(report.checks, 'out_of_range_share', 'temp')).toMatchObject({ passed: false, detail: expect.stringContaining('previous training range') })
    expect(report.passed).toBe(false)
  })

  it('blocks on one drifted feature in drift mode "feature", and runs no drift test in mode "off"', () => {
    const winter = bike.rows.filter((r) => month(r) <= 2)
    const summer = bike.rows.filter((r) => month(r) === 7 || month(r) === 8)
    const previous = profileDataset(bikeSpec, winter)
    const loose = { features: { temp: { maxOutOfRangeShare: 1 }, hum: { maxOutOfRangeShare: 1 } } }
    const byFeature = checkQuality({ schema: bikeSpec, rows: summer, previous }, { drift: 'feature', ...loose })
    expect(byFeature.failed.map((c) => [c.gate, c.feature])).toContainEqual(['drift', 'temp'])
    const off = checkQuality({ schema: bikeSpec, rows: summer, previous }, { drift: 'off', ...loose })
    expect(off.checks.some((c) => c.gate === 'drift' || c.gate === 'dataset_drift')).toBe(false)
  })

  it('uses the drift test and threshold the model configures for a feature', () => {
    const spec = { ...bikeSpec, drift: { ...bikeSpec.drift, features: { temp: { test: 'psi' as const, threshold: 5 } } } }
    const winter = bike.rows.filter((r) => month(r) <= 2)
    const summer = bike.rows.filter((r) => month(r) === 7 || month(r) === 8)
    const temp = check(checkQuality({ schema: spec, rows: summer, previous: profileDataset(spec, winter) }).checks, 'drift', 'temp')!
    expect(temp).toMatchObject({ threshold: 5, detail: expect.stringContaining('psi') })
  })

  it('fails on a feature missing too often, and the error names gate, feature, value and threshold', () => {
    const spec = modelSpecSchema.parse({ name: 'm', task: 'regression', features: { a: { type: 'number' }, b: { type: 'number', required: false } } })
    const rows: DataRow[] = Array.from({ length: 50 }, (_, i) => ({ features: { a: i, b: i % 10 < 3 ? null : i }, target: i, ts: null }))
    const report = checkQuality({ schema: spec, rows })
    expect(report.failed).toEqual([{ gate: 'missing_share', feature: 'b', value: 0.3, threshold: 0.2, passed: false, blocking: true, detail: expect.any(String) }])
    expect(() => assertQuality(report)).toThrow(QualityGateError)
    expect(() => assertQuality(report)).toThrow('data quality gates failed: missing_share of feature b is 0.3 (share of rows without a value, at most 0.2)')
    expect(checkQuality({ schema: spec, rows }, { features: { b: { maxMissingShare: 0.5 } } }).passed).toBe(true)
  })

  it("counts rows outside the schema's range and categories outside its values from the validation report", () => {
    const spec = modelSpecSchema.parse({
      name: 'm',
      task: 'binary_classification',
      features: { h: { type: 'number', min: 30, max: 300 }, c: { type: 'category', values: ['CH', 'DE'] } },
    })
    const lines = ['h,c,y', ...Array.from({ length: 97 }, (_, i) => `${100 + i},CH,${i % 2}`), '20,CH,1', '400,DE,0', '150,IT,1']
    const typed = toDataRows(spec, parseTable(lines.join('\n'), { format: 'csv' }), { target: 'y' })
    const report = checkQuality({ schema: spec, rows: typed.rows, invalid: typed.invalid, total: typed.total })
    expect(check(report.checks, 'out_of_range_share', 'h')).toMatchObject({ value: 0.02, passed: false })
    expect(check(report.checks, 'unseen_categories', 'c')).toMatchObject({ value: 0.01, passed: true })
    expect(check(report.checks, 'invalid_share', null)).toMatchObject({ value: 0.03, passed: true })
  })

  it('counts categories the previous training set never had when the schema lists none', () => {
    const spec = modelSpecSchema.parse({ name: 'm', task: 'regression', features: { c: { type: 'category' } } })
    const rows = (cats: string[]) => cats.map((c, i) => ({ features: { c }, target: i, ts: null }))
    const previous = profileDataset(spec, rows(Array.from({ length: 40 }, (_, i) => (i % 2 ? 'a' : 'b'))))
    const report = checkQuality({ schema: spec, rows: rows([...Array.from({ length: 36 }, () => 'a'), 'z', 'z', 'y', 'a']), previous })
    expect(check(report.checks, 'unseen_categories', 'c')).toMatchObject({ value: 0.075, passed: false, detail: expect.stringContaining('"z"') })
  })

  it('fails a dataset with too few rows or too many refused rows', () => {
    const spec = modelSpecSchema.parse({ name: 'm', task: 'regression', features: { a: { type: 'number' } } })
    const rows: DataRow[] = Array.from({ length: 10 }, (_, i) => ({ features: { a: i }, target: i, ts: null }))
    const report = checkQuality({ schema: spec, rows, invalid: [{ row: 11, field: 'a', rule: 'type', value: '"x"', message: '' }] })
    expect(report.failed.map((c) => [c.gate, c.value])).toEqual([
      ['min_rows', 10],
      ['invalid_share', 1 / 11],
    ])
  })

  it('refuses thresholds that name an unknown feature or a share above 1', () => {
    const spec = modelSpecSchema.parse({ name: 'm', task: 'regression', features: { a: { type: 'number' } } })
    expect(() => checkQuality({ schema: spec, rows: [] }, { features: { nope: { maxMissingShare: 0.1 } } })).toThrow(/features\.nope names no feature/)
    expect(() => checkQuality({ schema: spec, rows: [] }, { maxMissingShare: 2 })).toThrow()
  })
})

describe('profileDataset', () => {
  it('survives a JSON round trip through its schema, so it can be stored with a model version', () => {
    const profile = profileDataset(bikeSpec, bike.rows.slice(0, 2000), { sampleSize: 100, version: bike.version })
    expect(datasetProfileSchema.parse(JSON.parse(JSON.stringify(profile)))).toEqual(profile)
    const temp = profile.features.temp!
    if (temp.type !== 'number') throw new Error('temp is a number')
    expect(temp.sample).toHaveLength(100)
    expect(temp.count).toBe(2000)
    expect(temp.sample.every((x, i) => i === 0 || x >= temp.sample[i - 1]!)).toBe(true)
  })
})
