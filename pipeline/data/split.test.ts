import { describe, expect, it } from 'vitest'
import { modelSpecSchema } from '../../config/index.ts'
import { loadDataset, splitDataset, type DataRow } from './index.ts'

const HOUR = new URL('../../datasets/bike-sharing/hour.csv', import.meta.url).pathname
const SMS = new URL('../../datasets/sms-spam/SMSSpamCollection', import.meta.url).pathname

const bike = await loadDataset(HOUR, modelSpecSchema.parse({ name: 'bike', task: 'regression', features: { temp: { type: 'number' } } }), {
  target: 'cnt',
  time: (v) => Date.parse(`${v.dteday}T00:00:00Z`) + Number(v.hr) * 3_600_000,
})
const sms = await loadDataset(SMS, modelSpecSchema.parse({ name: 'sms', task: 'binary_classification', features: { message: { type: 'text', maxLength: 1000 } } }), {
  format: 'tsv',
  columns: ['label', 'message'],
  target: 'label',
})

const spamShare = (rows: readonly DataRow[]) => rows.filter((r) => r.target === 'spam').length / rows.length

describe('splitDataset', () => {
  it('splits time-ordered data by time: every training row before every validation row before every holdout row', () => {
    const shuffled = [...bike.rows].reverse()
    const s = splitDataset(shuffled, { validation: 0.2, holdout: 0.1 })
    expect(s.method).toBe('time')
    expect(s.train.length + s.validation.length + s.holdout.length).toBe(bike.rows.length)
    expect(s.holdout.length).toBe(Math.round(bike.rows.length * 0.1))
    expect(s.validation.length).toBe(Math.round(bike.rows.length * 0.2))
    const maxTs = (rows: readonly DataRow[]) => Math.max(...rows.map((r) => r.ts!))
    const minTs = (rows: readonly DataRow[]) => Math.min(...rows.map((r) => r.ts!))
    expect(maxTs(s.train)).toBeLessThan(minTs(s.validation))
    expect(maxTs(s.validation)).toBeLessThan(minTs(s.holdout))
    expect(s.validationFromMs).toBe(minTs(s.validation))
    expect(s.holdoutFromMs).toBe(minTs(s.holdout))
  })

  it('never puts rows of the same time in two parts', () => {
    const rows: DataRow[] = [1, 1, 1, 2, 2, 2, 3, 3, 3, 3].map((ts, i) => ({ features: { i }, target: i, ts }))
    const s = splitDataset(rows, { method: 'time', validation: 0.25, holdout: 0.25 })
    const times = (rs: readonly DataRow[]) => new Set(rs.map((r) => r.ts))
    for (const t of times(s.train)) expect(times(s.validation).has(t) || times(s.holdout).has(t)).toBe(false)
    for (const t of times(s.validation)) expect(times(s.holdout).has(t)).toBe(false)
  })

  it('splits untimed classification data at random within each class, keeping the spam share in every part', () => {
    const s = splitDataset(sms.rows, { seed: 7 })
    expect(s.method).toBe('stratified')
    expect(s.train.length + s.validation.length + s.holdout.length).toBe(sms.rows.length)
    const overall = spamShare(sms.rows)
    for (const part of [s.train, s.validation, s.holdout]) expect(Math.abs(spamShare(part) - overall)).toBeLessThan(0.002)
    expect(new Set([...s.train, ...s.validation, ...s.holdout]).size).toBe(sms.rows.length)
  })

  it('gives the same split for the same seed and a different one for another seed', () => {
    const a = splitDataset(sms.rows, { seed: 1 })
    const b = splitDataset(sms.rows, { seed: 1 })
    const c = splitDataset(sms.rows, { seed: 2 })
    expect(a.holdout).toEqual(b.holdout)
    expect(a.holdout).not.toEqual(c.holdout)
  })

  it('stratifies regression targets by decile when there is no time', () => {
    const rows = bike.rows.map((r) => ({ ...r, ts: null }))
    const s = splitDataset(rows, { seed: 3 })
    const mean = (rs: readonly DataRow[]) => rs.reduce((x, r) => x + (r.target as number), 0) / rs.length
    expect(Math.abs(mean(s.holdout) - mean(rows)) / mean(rows)).toBeLessThan(0.03)
  })

  it('refuses shares that leave nothing to train on, and a time split of rows without time', () => {
    expect(() => splitDataset(sms.rows, { validation: 0.5, holdout: 0.5 })).toThrow(/validation \+ holdout must leave rows for training/)
    expect(() => splitDataset(sms.rows, { method: 'time' })).toThrow(/row 1 has none/)
  })
})
