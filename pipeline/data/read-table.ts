import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { parseDelimited } from './delimited.ts'
import type { InvalidRow } from './types.ts'

/** File formats the pipeline reads, chosen by extension. */
export type TableFormat = 'csv' | 'tsv' | 'ndjson'

/** How to read a table. */
export interface TableOptions {
  /** Overrides the format the extension implies. */
  readonly format?: TableFormat
  /** Column names for a headerless CSV/TSV file (or, with `header: true`, names that replace the header's). */
  readonly columns?: readonly string[]
  /** Whether the first line of a CSV/TSV file names the columns; default: true unless `columns` is given. */
  readonly header?: boolean
}

/** One data record of a table: its 1-based row number, the line it starts on, and its values by column. */
export interface RawRecord {
  readonly row: number
  readonly line: number
  readonly values: Readonly<Record<string, unknown>>
}

/** A table as read: records, column names (delimited files), and records that could not be read at all. */
export interface RawTable {
  readonly format: TableFormat
  readonly columns: string[] | null
  /** Values are text (CSV, TSV) and still need typing, or JSON values (NDJSON). */
  readonly textValues: boolean
  readonly records: RawRecord[]
  readonly invalid: InvalidRow[]
  /** Data records seen, readable or not. */
  readonly total: number
}

const FORMATS: Record<string, TableFormat> = { '.csv': 'csv', '.tsv': 'tsv', '.tab': 'tsv', '.ndjson': 'ndjson', '.jsonl': 'ndjson' }

/** The format a file's extension implies: .csv, .tsv/.tab, .ndjson/.jsonl. */
export function tableFormatOf(path: string): TableFormat {
  const ext = extname(path).toLowerCase()
  const format = FORMATS[ext]
  if (!format) throw new Error(`${path}: cannot tell the format from the extension ${JSON.stringify(ext)} (expected one of ${Object.keys(FORMATS).join(', ')}; or pass format)`)
  return format
}

/** Reads a CSV, TSV or NDJSON file (UTF-8) into raw records; the format comes from the extension unless given. */
export async function readTable(path: string, options: TableOptions = {}): Promise<RawTable> {
  const format = options.format ?? tableFormatOf(path)
  return parseTable(await readFile(path, 'utf8'), { ...options, format })
}

/** Parses table text of a known format into raw records (see `readTable`). */
export function parseTable(text: string, options: TableOptions & { format: TableFormat }): RawTable {
  return options.format === 'ndjson' ? parseNdjson(text) : parseDelimitedTable(text, options.format, options)
}

function parseDelimitedTable(text: string, format: 'csv' | 'tsv', options: TableOptions): RawTable {
  const lines = parseDelimited(text, { delimiter: format === 'csv' ? ',' : '\t', quoting: format === 'csv' })
  const header = options.header ?? options.columns === undefined
  const first = header ? lines.shift() : undefined
  if (header && first === undefined) throw new Error('the file is empty: expected a header line naming the columns')
  if (first?.error) throw new Error(`header (line ${first.line}): ${first.error}`)
  const columns = options.columns ? [...options.columns] : first!.fields
  if (first && first.fields.length !== columns.length) {
    throw new Error(`header (line ${first.line}) has ${first.fields.length} columns but ${columns.length} column names were given`)
  }
  const seen = new Set<string>()
  for (const c of columns) {
    if (c === '') throw new Error('column names must not be empty')
    if (seen.has(c)) throw new Error(`column name ${JSON.stringify(c)} appears twice`)
    seen.add(c)
  }
  const records: RawRecord[] = []
  const invalid: InvalidRow[] = []
  lines.forEach((l, i) => {
    const row = i + 1
    if (l.error !== undefined) {
      invalid.push({ row, field: '(row)', rule: 'parse', value: `line ${l.line}`, message: `line ${l.line}: ${l.error}` })
    } else if (l.fields.length !== columns.length) {
      invalid.push({ row, field: '(row)', rule: 'parse', value: `${l.fields.length} fields`, message: `line ${l.line}: has ${l.fields.length} fields, expected ${columns.length} (${columns.join(', ')})` })
    } else {
      const values: Record<string, string> = {}
      columns.forEach((c, j) => (values[c] = l.fields[j]!))
      records.push({ row, line: l.line, values })
    }
  })
  return { format, columns, textValues: true, records, invalid, total: lines.length }
}

function parseNdjson(text: string): RawTable {
  const records: RawRecord[] = []
  const invalid: InvalidRow[] = []
  let row = 0
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim()
    if (line === '') return
    row++
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (err) {
      invalid.push({ row, field: '(row)', rule: 'parse', value: `line ${i + 1}`, message: `line ${i + 1}: is not JSON (${err instanceof Error ? err.message : String(err)})` })
      return
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      invalid.push({ row, field: '(row)', rule: 'parse', value: `line ${i + 1}`, message: `line ${i + 1}: must be a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}` })
      return
    }
    records.push({ row, line: i + 1, values: value as Record<string, unknown> })
  })
  return { format: 'ndjson', columns: null, textValues: false, records, invalid, total: row }
}
