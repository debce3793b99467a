import type { FeatureSpec } from '../../config/index.ts'
import type { FeatureTransform, Preprocessor } from '../../contract/index.ts'
import { preprocessorSchema } from '../../contract/index.ts'
import { columnNames, featureSpans } from './columns.ts'
import { FeaturizeError } from './errors.ts'
import { fitOptionsSchema, type FeatureFitOptions, type FitOptions } from './options.ts'
import { featuresOf, type RowLike } from './row-features.ts'
import { fitTextTransform } from './tfidf.ts'
import { featurizeText } from '../../contract/index.ts'

/** The features a preprocessor is fitted for: a model spec, or anything with its `features` map. */
export interface FeatureSchema {
  readonly features: Readonly<Record<string, FeatureSpec>>
}

/** Rows as one numeric matrix: row-major values, the row width, and a name per column. */
export interface TransformedRows {
  readonly matrix: Float64Array
  readonly rows: number
  readonly width: number
  readonly columns: string[]
}

// Below this, a standard deviation is rounding noise of a constant column (scikit-learn's `_handle_zeros_in_scale`
// uses 10 × machine epsilon the same way), and dividing by it would blow that noise up.
const STD_FLOOR = 10 * Number.EPSILON

/**
 * Fits the preprocessing of a model's features on training rows, in the schema's feature order:
 * numbers → impute (training mean, or median) then standardise with the population std of the imputed column (as
 * scikit-learn's SimpleImputer → StandardScaler; scale 1 when the std is 0); booleans → 1/0, missing → share of
 * true; categories → one-hot over the schema's `values` (in schema order) or else the observed values (sorted),
 * optionally the `maxCategories` most frequent; text → TF-IDF (tfidf.ts).
 */
export function fitPreprocessor(schema: FeatureSchema, rows: readonly RowLike[], options: FitOptions = {}): Preprocessor {
  const parsed = fitOptionsSchema.safeParse(options)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new FeaturizeError(`options.${issue.path.join('.')}`, issue.message)
  }
  const opts = parsed.data
  const exclude = new Set(opts.exclude ?? [])
  for (const name of [...exclude, ...Object.keys(opts.features ?? {})]) {
    if (!(name in schema.features)) throw new FeaturizeError(name, `is named in the options but is not a feature of the schema (have: ${Object.keys(schema.features).join(', ')})`)
  }
  const features: FeatureTransform[] = []
  for (const [name, spec] of Object.entries(schema.features)) {
    if (exclude.has(name)) continue
    const featureOptions: FeatureFitOptions = { numericImpute: opts.numericImpute, maxCategories: opts.maxCategories, text: opts.text, ...opts.features?.[name] }
    const values = rows.map((row) => featuresOf(row)[name])
    features.push(fitFeature(name, spec, values, featureOptions))
  }
  if (features.length === 0) throw new FeaturizeError('(schema)', 'has no feature left to fit (all excluded?)')
  return preprocessorSchema.parse({ features })
}

function fitFeature(name: string, spec: FeatureSpec, values: readonly unknown[], options: FeatureFitOptions): FeatureTransform {
  switch (spec.type) {
    case 'number':
      return fitNumeric(name, values, options.numericImpute ?? 'mean')
    case 'boolean': {
      let trues = 0
      let seen = 0
      values.forEach((v, i) => {
        const b = readBoolean(name, v, i)
        if (b === null) return
        seen++
        if (b) trues++
      })
      return { kind: 'boolean', name, impute: seen === 0 ? 0 : trues / seen }
    }
    case 'category': {
      const counts = new Map<string, number>()
      values.forEach((v, i) => {
        const c = readCategory(name, v, i)
        if (c !== null) counts.set(c, (counts.get(c) ?? 0) + 1)
      })
      let categories = spec.values ? [...spec.values] : [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      if (options.maxCategories !== undefined && categories.length > options.maxCategories) {
        const rank = new Map(categories.map((c, i) => [c, i]))
        const kept = new Set([...categories].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || rank.get(a)! - rank.get(b)!).slice(0, options.maxCategories))
        categories = categories.filter((c) => kept.has(c))
      }
      if (categories.length === 0) throw new FeaturizeError(name, 'has no category: the schema lists no values and the training rows hold none')
      return { kind: 'onehot', name, categories }
    }
    case 'text':
      return fitTextTransform(
        name,
        values.map((v, i) => readText(name, v, i)),
        options.text ?? {},
      )
  }
}

function fitNumeric(name: string, values: readonly unknown[], impute: 'mean' | 'median'): FeatureTransform {
  const observed: number[] = []
  values.forEach((v, i) => {
    const x = readNumber(name, v, i)
    if (!Number.isNaN(x)) observed.push(x)
  })
  const fill = observed.length === 0 ? 0 : impute === 'mean' ? mean(observed) : median(observed)
  const column = Float64Array.from(values, (_, i) => {
    const x = readNumber(name, values[i], i)
    return Number.isNaN(x) ? fill : x
  })
  const m = column.length === 0 ? 0 : mean(column)
  let ss = 0
  for (const x of column) ss += (x - m) * (x - m)
  const std = column.length === 0 ? 0 : Math.sqrt(ss / column.length)
  const scale = std > STD_FLOOR * Math.max(1, Math.abs(m)) ? std : 1
  return { kind: 'numeric', name, impute: fill, mean: m, scale }
}

/** Neumaier-compensated mean: long columns of similar values lose digits with a plain running sum. */
function mean(xs: ArrayLike<number>): number {
  let sum = 0
  let c = 0
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!
    const t = sum + x
    c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum
    sum = t
  }
  return (sum + c) / xs.length
}

function median(xs: readonly number[]): number {
  const s = Float64Array.from(xs).sort()
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v) : String(v)
}

/** A number, or NaN when missing (null, undefined or NaN). */
function readNumber(name: string, v: unknown, row: number): number {
  if (v === null || v === undefined) return NaN
  if (typeof v === 'number') return v === Infinity || v === -Infinity ? fail(name, row, 'must be a finite number', v) : v
  return fail(name, row, 'must be a number or null', v)
}

function readBoolean(name: string, v: unknown, row: number): boolean | null {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return null
  if (typeof v === 'boolean') return v
  // ClickHouse keeps booleans as 0/1 in num_features; accept them as such.
  if (v === 0 || v === 1) return v === 1
  return fail(name, row, 'must be true, false (or 1, 0) or null', v)
}

function readCategory(name: string, v: unknown, row: number): string | null {
  if (v === null || v === undefined || v === '') return null
  if (typeof v === 'string') return v
  return fail(name, row, 'must be a string category or null', v)
}

function readText(name: string, v: unknown, row: number): string | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'string') return v
  return fail(name, row, 'must be a string or null', v)
}

function fail(name: string, row: number, rule: string, v: unknown): never {
  throw new FeaturizeError(name, `rows[${row}]: ${rule}, got ${describe(v)}`)
}

/**
 * Applies a fitted preprocessor to rows: one row-major Float64Array of rows × width, columns in the preprocessor's
 * order (names from `columnNames`). Missing values are imputed, unseen or empty categories encode as all zeros
 * and texts go through `featurizeText`, exactly as the exported ONNX graph does.
 */
export function transformRows(preprocessor: Preprocessor, rows: readonly RowLike[]): TransformedRows {
  const spans = featureSpans(preprocessor)
  const width = spans.reduce((w, s) => w + s.width, 0)
  const matrix = new Float64Array(rows.length * width)
  const records = rows.map(featuresOf)
  preprocessor.features.forEach((t, f) => {
    const offset = spans[f]!.offset
    switch (t.kind) {
      case 'numeric':
        records.forEach((r, i) => {
          const x = readNumber(t.name, r[t.name], i)
          matrix[i * width + offset] = ((Number.isNaN(x) ? t.impute : x) - t.mean) / t.scale
        })
        break
      case 'boolean':
        records.forEach((r, i) => {
          const b = readBoolean(t.name, r[t.name], i)
          matrix[i * width + offset] = b === null ? t.impute : b ? 1 : 0
        })
        break
      case 'onehot': {
        const index = new Map(t.categories.map((c, j) => [c, j]))
        records.forEach((r, i) => {
          const c = readCategory(t.name, r[t.name], i)
          const j = c === null ? undefined : index.get(c)
          if (j !== undefined) matrix[i * width + offset + j] = 1
        })
        break
      }
      case 'text': {
        const tw = t.vocabulary.length
        const block = featurizeText(
          t,
          records.map((r, i) => readText(t.name, r[t.name], i)),
        )
        for (let i = 0; i < records.length; i++) matrix.set(block.subarray(i * tw, (i + 1) * tw), i * width + offset)
        break
      }
    }
  })
  return { matrix, rows: rows.length, width, columns: columnNames(preprocessor) }
}
