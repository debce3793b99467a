import type { FeatureSpec, Task } from '../../config/index.ts'
import type { RawTable } from './read-table.ts'
import type { DataRow, FeatureRecord, FeatureValue, InvalidRow, TargetValue } from './types.ts'
import { previewValue, validateFeatures } from './validate.ts'

/** Which columns hold the target, the time and each feature. */
export interface RowMapping {
  /** Column of the target (label). */
  readonly target: string
  /** Column of the row's time (ISO-8601 or epoch ms), or a function computing epoch ms from the raw values. */
  readonly time?: string | ((values: Readonly<Record<string, unknown>>) => number | null)
  /** Feature name → column name, where they differ. */
  readonly featureColumns?: Readonly<Record<string, string>>
  /** Cells of a CSV/TSV file that mean "missing"; default `[""]`. A text feature keeps "" as an empty text. */
  readonly missingValues?: readonly string[]
}

/** Typed, validated rows and every row that was refused, with why. */
export interface TypedRows {
  readonly rows: DataRow[]
  readonly invalid: InvalidRow[]
  /** Data records seen in the source, valid or not. */
  readonly total: number
}

/** The part of a model spec typing needs: its task and features. */
interface SchemaLike {
  readonly task: Task
  readonly features: Readonly<Record<string, FeatureSpec>>
}

// A decimal number as written in data files; Number() alone would also take "0x1F", " " and "Infinity".
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const TRUE = new Set(['true', '1', 'yes'])
const FALSE = new Set(['false', '0', 'no'])

/** Types one cell of a text file by the feature's spec; a cell that does not parse stays a string so validation names it. */
function typeCell(spec: FeatureSpec, cell: string, missing: ReadonlySet<string>): FeatureValue {
  if (spec.type === 'text') return cell === '' ? '' : missing.has(cell) ? null : cell
  if (missing.has(cell)) return null
  switch (spec.type) {
    case 'number': {
      const t = cell.trim()
      return DECIMAL.test(t) ? Number(t) : cell
    }
    case 'boolean': {
      const t = cell.trim().toLowerCase()
      return TRUE.has(t) ? true : FALSE.has(t) ? false : cell
    }
    case 'category':
      return cell
  }
}

type Read<T> = { ok: true; value: T } | { ok: false; message: string }

function readTarget(task: Task, value: unknown, textValues: boolean): Read<TargetValue> {
  if (task === 'regression') {
    if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value }
    if (textValues && typeof value === 'string' && DECIMAL.test(value.trim())) return { ok: true, value: Number(value.trim()) }
    return { ok: false, message: `must be a finite number, got ${previewValue(value)}` }
  }
  // Classes are names: 1 and true are the same class "1", as the collector stores labels.
  if (typeof value === 'string' && value !== '') return { ok: true, value }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return { ok: true, value: String(value) }
  if (typeof value === 'boolean') return { ok: true, value: value ? '1' : '0' }
  return { ok: false, message: `must be a class name, a class index, true or false, got ${previewValue(value)}` }
}

function readTime(value: unknown): Read<number | null> {
  if (value === null || value === undefined || value === '') return { ok: true, value: null }
  if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value }
  if (typeof value === 'string') {
    const t = value.trim()
    const ms = /^\d+$/.test(t) ? Number(t) : Date.parse(t)
    if (Number.isFinite(ms)) return { ok: true, value: ms }
  }
  return { ok: false, message: `must be epoch milliseconds or an ISO-8601 time, got ${previewValue(value)}` }
}

/**
 * Turns raw records into typed rows of a model: text cells typed by each feature's spec (numbers, booleans as
 * true/false/1/0/yes/no, categories and text as they are), then checked with the collector's rules. The target is
 * typed by the task (a number for regression, a class name otherwise); the time, when mapped, becomes epoch ms.
 * Columns the schema does not name are ignored. A row that breaks any rule is left out and reported once per
 * broken rule, never silently dropped.
 */
export function toDataRows(schema: SchemaLike, table: RawTable, mapping: RowMapping): TypedRows {
  const missing = new Set(mapping.missingValues ?? [''])
  const rows: DataRow[] = []
  const invalid: InvalidRow[] = [...table.invalid]
  const specs = Object.entries(schema.features)
  for (const record of table.records) {
    const features: FeatureRecord = {}
    for (const [name, spec] of specs) {
      const raw = record.values[mapping.featureColumns?.[name] ?? name]
      features[name] = raw === undefined ? null : table.textValues && typeof raw === 'string' ? typeCell(spec, raw, missing) : (raw as FeatureValue)
    }
    const problems: InvalidRow[] = validateFeatures(schema.features, features).map((p) => ({ row: record.row, ...p }))
    let rawTarget = record.values[mapping.target]
    if (table.textValues && typeof rawTarget === 'string' && missing.has(rawTarget)) rawTarget = null
    let target: TargetValue | null = null
    if (rawTarget === undefined || rawTarget === null) {
      problems.push({ row: record.row, field: mapping.target, rule: 'required', value: previewValue(rawTarget), message: `${mapping.target}: the target is required, got ${previewValue(rawTarget)}` })
    } else {
      const t = readTarget(schema.task, rawTarget, table.textValues)
      if (t.ok) target = t.value
      else problems.push({ row: record.row, field: mapping.target, rule: 'type', value: previewValue(rawTarget), message: `${mapping.target}: ${t.message}` })
    }
    let ts: number | null = null
    if (mapping.time !== undefined) {
      const field = typeof mapping.time === 'string' ? mapping.time : '(time)'
      const raw = typeof mapping.time === 'string' ? record.values[mapping.time] : undefined
      const t = typeof mapping.time === 'string' ? readTime(raw) : { ok: true as const, value: mapping.time(record.values) }
      if (!t.ok) problems.push({ row: record.row, field, rule: 'time', value: previewValue(raw), message: `${field}: ${t.message}` })
      else if (t.value === null || !Number.isFinite(t.value)) problems.push({ row: record.row, field, rule: 'time', value: previewValue(raw), message: `${field}: a time is required to order the rows, got ${previewValue(raw)}` })
      else ts = t.value
    }
    if (problems.length > 0 || target === null) invalid.push(...problems)
    else rows.push({ features, target, ts })
  }
  invalid.sort((a, b) => a.row - b.row)
  return { rows, invalid, total: table.total }
}
