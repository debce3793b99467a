import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { modelSpecSchema } from '../../config/index.ts'
import { makeTempDir } from '../../test/support/temp-dir.ts'
import { loadDataset, parseTable, readTable, tableFormatOf, toDataRows } from './index.ts'

const tmp = makeTempDir('data-load')
afterAll(() => tmp.cleanup())
const file = (name: string, text: string) => {
  const path = join(tmp.dir, name)
  writeFileSync(path, text)
  return path
}

const smsSpec = modelSpecSchema.parse({ name: 'sms', task: 'binary_classification', features: { message: { type: 'text', maxLength: 1000 } } })
const SMS = new URL('../../datasets/sms-spam/SMSSpamCollection', import.meta.url).pathname
const HOUR = new URL('../../datasets/bike-sharing/hour.csv', import.meta.url).pathname

const booking = modelSpecSchema.parse({
  name: 'booking',
  task: 'binary_classification',
  features: {
    height_cm: { type: 'number', min: 30, max: 300 },
    country: { type: 'category', values: ['CH', 'DE', 'FR'], required: false },
    returning: { type: 'boolean', required: false },
    note: { type: 'text', maxLength: 20 },
  },
})

describe('loadDataset', () => {
  it('reads the headerless SMS spam TSV with given column names: 5,574 messages, 4,827 ham and 747 spam', async () => {
    const d = await loadDataset(SMS, smsSpec, { format: 'tsv', columns: ['label', 'message'], target: 'label' })
    expect(d.total).toBe(5574)
    expect(d.invalid).toEqual([])
    expect(d.rows.filter((r) => r.target === 'ham')).toHaveLength(4827)
    expect(d.rows.filter((r) => r.target === 'spam')).toHaveLength(747)
    // Messages keep their bare quotes (the file is unquoted TSV).
    expect(d.rows.some((r) => String(r.features.message).includes('"'))).toBe(true)
    expect(d.version).toMatch(/^[0-9a-f]{64}$/)
  })

  it('reads bike-sharing hour.csv (CRLF, header) typed by the schema, with a time built from two columns', async () => {
    const spec = modelSpecSchema.parse({
      name: 'bike',
      task: 'regression',
      features: { temp: { type: 'number', min: 0, max: 1 }, workingday: { type: 'boolean' }, season: { type: 'category', values: ['1', '2', '3', '4'] } },
    })
    const d = await loadDataset(HOUR, spec, { target: 'cnt', time: (v) => Date.parse(`${v.dteday}T00:00:00Z`) + Number(v.hr) * 3_600_000 })
    expect(d.format).toBe('csv')
    expect(d.total).toBe(17379)
    expect(d.invalid).toEqual([])
    expect(d.rows[0]).toEqual({ features: { temp: 0.24, workingday: false, season: '1' }, target: 16, ts: Date.parse('2011-01-01T00:00:00Z') })
    expect(d.rows.at(-1)!.ts).toBe(Date.parse('2012-12-31T23:00:00Z'))
    expect(d.rows.reduce((s, r) => s + (r.target as number), 0)).toBe(3292679)
  })

  it('reports every refused row by row, field, rule and value, and keeps the valid ones', async () => {
    const path = file(
      'bad.csv',
      [
        'height_cm,country,returning,note,label,when',
        '172.5,CH,yes,"hello, ""you""",1,2025-01-01T00:00:00Z',
        '20,IT,maybe,ok,0,2025-01-02T00:00:00Z',
        ',DE,no,this note is far too long for the schema,1,2025-01-03T00:00:00Z',
        'tall,,true,ok,,not a time',
        '180,FR,false,ok,0',
        '181,,,"",1,1735862400000',
      ].join('\r\n'),
    )
    const d = await loadDataset(path, booking, { target: 'label', time: 'when' })
    expect(d.total).toBe(6)
    expect(d.rows).toEqual([
      { features: { height_cm: 172.5, country: 'CH', returning: true, note: 'hello, "you"' }, target: '1', ts: Date.parse('2025-01-01T00:00:00Z') },
      { features: { height_cm: 181, country: null, returning: null, note: '' }, target: '1', ts: 1735862400000 },
    ])
    const byRow = (row: number) => d.invalid.filter((p) => p.row === row).map((p) => [p.field, p.rule, p.value])
    expect(byRow(2)).toEqual([
      ['height_cm', 'range', '20'],
      ['country', 'category', '"IT"'],
      ['returning', 'type', '"maybe"'],
    ])
    expect(byRow(3)).toEqual([
      ['height_cm', 'required', 'null'],
      ['note', 'length', '"this note is far too long for the schema"'],
    ])
    expect(byRow(4)).toEqual([
      ['height_cm', 'type', '"tall"'],
      ['label', 'required', 'null'],
      ['when', 'time', '"not a time"'],
    ])
    expect(byRow(5)).toEqual([['(row)', 'parse', '5 fields']])
    expect(d.invalid.find((p) => p.row === 2)!.message).toBe('height_cm: must be a number from 30 to 300, got 20')
  })

  it('reads NDJSON / JSONL values as JSON types and reports lines that are not JSON objects', async () => {
    const path = file(
      'rows.jsonl',
      ['{"height_cm": 170, "country": "DE", "note": "x", "label": 1}', '', 'not json', '[1,2]', '{"height_cm": "170", "note": "x", "label": true}'].join('\n'),
    )
    const d = await loadDataset(path, booking, { target: 'label' })
    expect(d.format).toBe('ndjson')
    expect(d.rows).toEqual([{ features: { height_cm: 170, country: 'DE', returning: null, note: 'x' }, target: '1', ts: null }])
    expect(d.invalid.map((p) => [p.row, p.field, p.rule])).toEqual([
      [2, '(row)', 'parse'],
      [3, '(row)', 'parse'],
      [4, 'height_cm', 'type'],
    ])
  })

  it('refuses a file without the target column or a required feature, naming the column', async () => {
    const path = file('cols.csv', 'height_cm,note\n170,x\n')
    await expect(loadDataset(path, booking, { target: 'label' })).rejects.toThrow('has no column "label" (columns: height_cm, note)')
    const path2 = file('cols2.csv', 'height_cm,label\n170,1\n')
    await expect(loadDataset(path2, booking, { target: 'label' })).rejects.toThrow('has no column "note" for feature note')
  })
})

describe('readTable', () => {
  it('chooses the format by extension and refuses an unknown one', () => {
    expect(['a.csv', 'a.TSV', 'a.tab', 'a.ndjson', 'a.jsonl'].map(tableFormatOf)).toEqual(['csv', 'tsv', 'tsv', 'ndjson', 'ndjson'])
    expect(() => tableFormatOf('datasets/sms-spam/SMSSpamCollection')).toThrow(/cannot tell the format/)
  })

  it('renames header columns when both header and columns are given, and refuses duplicate names', async () => {
    const t = await readTable(file('h.csv', 'x,y\n1,2\n'), { header: true, columns: ['a', 'b'] })
    expect(t.records[0]!.values).toEqual({ a: '1', b: '2' })
    expect(() => parseTable('a,a\n1,2\n', { format: 'csv' })).toThrow('column name "a" appears twice')
  })

  it('treats the configured missing markers as missing, but an empty text as an empty text', () => {
    const t = parseTable('height_cm,country,note,label\nNA,NA,,1\n', { format: 'csv' })
    const typed = toDataRows({ ...booking, features: { ...booking.features, height_cm: { ...booking.features.height_cm!, required: false } } }, t, { target: 'label', missingValues: ['', 'NA'] })
    expect(typed.rows[0]!.features).toEqual({ height_cm: null, country: null, returning: null, note: '' })
  })
})
