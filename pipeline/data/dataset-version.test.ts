import { describe, expect, it } from 'vitest'
import { modelSpecSchema } from '../../config/index.ts'
import { canonicalRow, datasetVersion, parseTable, toDataRows, type DataRow } from './index.ts'

const spec = modelSpecSchema.parse({ name: 'm', task: 'regression', features: { a: { type: 'number' }, b: { type: 'category' } } })

describe('datasetVersion', () => {
  it('is the same for the same rows read from CSV ("1.0", "2.50") and NDJSON (1, 2.5, keys in another order)', () => {
    const fromCsv = toDataRows(spec, parseTable('a,b,y\n1.0,x,2.50\n-0,y,3e2\n', { format: 'csv' }), { target: 'y' })
    const fromJson = toDataRows(spec, parseTable('{"y":2.5,"b":"x","a":1}\n{"b":"y","y":300,"a":0}\n', { format: 'ndjson' }), { target: 'y' })
    expect(fromCsv.rows).toHaveLength(2)
    expect(datasetVersion(fromCsv.rows)).toBe(datasetVersion(fromJson.rows))
  })

  it('changes when a value, the target, the time or the row order changes', () => {
    const rows: DataRow[] = [
      { features: { a: 1, b: 'x' }, target: 2, ts: 10 },
      { features: { a: 2, b: 'y' }, target: 3, ts: 20 },
    ]
    const base = datasetVersion(rows)
    const variants: DataRow[][] = [
      [{ ...rows[0]!, features: { a: 1.0000001, b: 'x' } }, rows[1]!],
      [{ ...rows[0]!, target: '2' }, rows[1]!],
      [{ ...rows[0]!, ts: 11 }, rows[1]!],
      [rows[1]!, rows[0]!],
      [rows[0]!],
    ]
    for (const v of variants) expect(datasetVersion(v)).not.toBe(base)
  })

  it('serialises a row with sorted feature names and shortest numbers', () => {
    expect(canonicalRow({ features: { b: 'x', a: 1.5e-7, c: null, d: true }, target: 'spam', ts: null })).toBe('{"features":{"a":1.5e-7,"b":"x","c":null,"d":true},"target":"spam","ts":null}')
  })
})
