import { z } from 'zod'
import { CBPE_METRICS } from '../../model-metrics/index.ts'
import type { CbpeMetric } from '../../model-metrics/index.ts'
import { CLASSIFICATION_METRICS, MULTICLASS_METRICS, REGRESSION_METRICS } from '../../model-metrics/index.ts'
import type { Task } from '../../config/index.ts'
import { HIGHWAY_MEASURE_FORMS, HIGHWAY_SELECTS } from './const.ts'
import { issuesFromZod, type LocalIssue } from './issues.ts'
import type { EventQuery, HighwayEventQuery, HighwayMeasure, MeasureQuery, PerformanceMetric, SourceType, SpecModel } from './types.ts'

/** A checked query, or the problems with it (paths relative to `metricSource.spec`). */
export type SourceCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly LocalIssue[] }

// Same rule as model and feature names in config/schema.ts: safe as map keys, metric labels and file names.
const modelNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'must be a model name: 1-128 letters, digits, "_", "." or "-", starting with a letter or digit')
const FEATURE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/

function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `allowed: ${Object.keys(shape).join(', ')}` : undefined),
  })
}

const highwayEventSchema = strict({
  model: modelNameSchema,
  version: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters').optional(),
  select: z.enum(HIGHWAY_SELECTS as ['all', 'ok', 'latency_below', 'labelled', 'correct', 'not_quarantined']),
  thresholdMs: z.number().gt(0, 'must be a latency in milliseconds above 0').optional(),
  tolerance: z.number().min(0, 'must be an absolute error of 0 or more').optional(),
})

const highwayMeasureSchema = strict({
  model: modelNameSchema,
  version: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters').optional(),
  measure: z.string(),
})

const querySchema = strict({ query: z.string().min(1, 'must not be empty') })

/** Every performance metric the analyzer computes, for some task (analyzer/performance/const.ts). */
const ALL_PERFORMANCE_METRICS: readonly PerformanceMetric[] = [...new Set<PerformanceMetric>([...CLASSIFICATION_METRICS, ...MULTICLASS_METRICS, ...REGRESSION_METRICS])]

const METRICS_BY_TASK: Readonly<Record<Task, readonly PerformanceMetric[]>> = {
  binary_classification: CLASSIFICATION_METRICS,
  multiclass_classification: MULTICLASS_METRICS,
  regression: REGRESSION_METRICS,
}

function parse<T>(schema: z.ZodType<T>, spec: unknown): SourceCheck<T> {
  const result = schema.safeParse(spec)
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: issuesFromZod(result.error.issues, spec) }
}

function findModel(name: string, models: readonly SpecModel[] | undefined, issues: LocalIssue[]): SpecModel | undefined {
  if (models === undefined) return undefined
  const model = models.find((m) => m.name === name)
  if (model === undefined) {
    const have = models.map((m) => m.name).join(', ') || 'none'
    issues.push({ path: ['model'], rule: 'unresolved_reference', message: `names no configured model (have: ${have}), got ${JSON.stringify(name)}` })
  }
  return model
}

/** Checks the `spec` of a `type: highway` metric source of a ratio SLI. */
function checkHighwayEvents(spec: unknown, models: readonly SpecModel[] | undefined): SourceCheck<HighwayEventQuery> {
  const parsed = parse(highwayEventSchema, spec)
  if (!parsed.ok) return parsed
  const { model, version, select, thresholdMs, tolerance } = parsed.value
  const issues: LocalIssue[] = []
  const configured = findModel(model, models, issues)
  if (select === 'latency_below' && thresholdMs === undefined) {
    issues.push({ path: ['thresholdMs'], rule: 'required', message: 'is required with select latency_below (the latency, in milliseconds, under which a prediction is good)' })
  }
  // Any finite threshold above 0 is served: the rollup's buckets answer their own exactly, and the SLO component keeps
  // exact counts for the others (docs/slo.md, "Latency thresholds"). What cannot be served (0, negative, infinite)
  // is refused by the schema above.
  if (select !== 'latency_below' && thresholdMs !== undefined) {
    issues.push({ path: ['thresholdMs'], rule: 'forbidden', message: `only applies with select latency_below, got select ${select}` })
  }
  if (select !== 'correct' && tolerance !== undefined) {
    issues.push({ path: ['tolerance'], rule: 'forbidden', message: `only applies with select correct, got select ${select}` })
  }
  if (select === 'correct' && configured !== undefined) {
    if (configured.task === 'regression' && tolerance === undefined) {
      issues.push({ path: ['tolerance'], rule: 'required', message: `is required with select correct on a regression model (${model}): the largest |prediction - label| that counts as correct` })
    }
    if (configured.task !== 'regression' && tolerance !== undefined) {
      issues.push({ path: ['tolerance'], rule: 'forbidden', message: `only applies to regression models; ${model} is ${configured.task} (a prediction is correct when it equals the label)` })
    }
  }
  if (issues.length > 0) return { ok: false, issues }
  const base = { type: 'highway' as const, model, ...(version === undefined ? {} : { version }) }
  if (select === 'latency_below' && thresholdMs !== undefined) return { ok: true, value: { ...base, select, thresholdMs } }
  if (select === 'correct') return { ok: true, value: { ...base, select, ...(tolerance === undefined ? {} : { tolerance }) } }
  if (select === 'latency_below') return { ok: false, issues }
  return { ok: true, value: { ...base, select } }
}

/** Checks the `spec` of a `type: highway` metric source of a threshold SLI, and its `measure`. */
function checkHighwayMeasure(spec: unknown, models: readonly SpecModel[] | undefined): SourceCheck<MeasureQuery> {
  const parsed = parse(highwayMeasureSchema, spec)
  if (!parsed.ok) return parsed
  const { model, version, measure: text } = parsed.value
  const issues: LocalIssue[] = []
  const configured = findModel(model, models, issues)
  const measure = parseMeasure(text, configured, issues)
  if (issues.length > 0 || measure === undefined) return { ok: false, issues }
  return { ok: true, value: { type: 'highway', model, ...(version === undefined ? {} : { version }), ...measure } }
}

function parseMeasure(text: string, model: SpecModel | undefined, issues: LocalIssue[]): HighwayMeasure | undefined {
  const colon = text.indexOf(':')
  const name = colon === -1 ? text : text.slice(0, colon)
  const parameter = colon === -1 ? undefined : text.slice(colon + 1)
  const got = `got ${JSON.stringify(text)}`
  const fail = (rule: LocalIssue['rule'], message: string): undefined => {
    issues.push({ path: ['measure'], rule, message })
    return undefined
  }
  switch (name) {
    case 'dataset_drift_share':
    case 'freshness_seconds':
    case 'label_coverage':
      if (parameter !== undefined) return fail('format', `${name} takes no parameter, ${got}`)
      return { measure: name }
    case 'feature_drift': {
      if (parameter === undefined || !FEATURE_NAME.test(parameter)) return fail('format', `must name a feature: feature_drift:<feature>, ${got}`)
      if (model !== undefined && !(parameter in model.features)) {
        return fail('unresolved_reference', `names no feature of model ${model.name} (have: ${Object.keys(model.features).join(', ')}), ${got}`)
      }
      return { measure: name, feature: parameter }
    }
    case 'performance': {
      const allowed = model === undefined ? ALL_PERFORMANCE_METRICS : METRICS_BY_TASK[model.task]
      const of = model === undefined ? '' : ` of a ${model.task} model`
      if (parameter === undefined) return fail('format', `must name a metric: performance:<metric> with one of ${allowed.join(', ')}${of}, ${got}`)
      if (!(allowed as readonly string[]).includes(parameter)) return fail('enum', `must name a metric${of}: one of ${allowed.join(', ')}, ${got}`)
      return { measure: name, metric: parameter as PerformanceMetric }
    }
    case 'estimated_performance': {
      if (parameter === undefined) return fail('format', `must name a metric: estimated_performance:<metric> with one of ${CBPE_METRICS.join(', ')}, ${got}`)
      if (!(CBPE_METRICS as readonly string[]).includes(parameter)) return fail('enum', `must name a metric CBPE estimates: one of ${CBPE_METRICS.join(', ')}, ${got}`)
      if (model !== undefined && model.task !== 'binary_classification') {
        return fail('inconsistent', `CBPE estimates binary classifiers only; ${model.name} is ${model.task}, ${got}`)
      }
      return { measure: name, metric: parameter as CbpeMetric }
    }
    default:
      return fail('enum', `must be one of ${HIGHWAY_MEASURE_FORMS.join(', ')}, ${got}`)
  }
}

// ClickHouse query parameters are written {name:Type} (ClickHouse docs, "Queries with Parameters").
const QUERY_PARAMETER = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{}]+?)\s*\}/g
const WINDOW_PARAMETERS = ['from', 'to'] as const

function withoutStringLiterals(sql: string): string {
  return sql.replace(/'(?:[^'\\]|\\.|'')*'/g, "''")
}

function withoutLeadingComments(sql: string): string {
  let rest = sql
  for (;;) {
    const trimmed = rest.trimStart()
    if (trimmed.startsWith('--')) rest = trimmed.slice(trimmed.indexOf('\n') === -1 ? trimmed.length : trimmed.indexOf('\n'))
    else if (trimmed.startsWith('/*')) rest = trimmed.slice(trimmed.indexOf('*/') === -1 ? trimmed.length : trimmed.indexOf('*/') + 2)
    else return trimmed
  }
}

/**
 * Checks ClickHouse SQL: one read-only statement that binds exactly the window, `{from:DateTime64(3)}` and
 * `{to:DateTime64(3)}`, which the evaluator passes as query parameters (it binds nothing else).
 */
function checkClickHouse(spec: unknown): SourceCheck<{ type: 'clickhouse'; query: string }> {
  const parsed = parse(querySchema, spec)
  if (!parsed.ok) return parsed
  const sql = parsed.value.query
  const issues: LocalIssue[] = []
  const add = (message: string): void => void issues.push({ path: ['query'], rule: 'query', message })
  const head = withoutLeadingComments(sql)
  if (!/^(select|with)\b/i.test(head)) add(`must be one read-only SELECT (or WITH ... SELECT) statement, got ${JSON.stringify(head.slice(0, 40))}`)
  const code = withoutStringLiterals(sql)
  if (/;\s*\S/.test(code)) add('must be a single statement: nothing may follow a ";"')
  const bound = new Set<string>()
  for (const [, name, type] of code.matchAll(QUERY_PARAMETER)) {
    if (name === undefined || type === undefined) continue
    bound.add(name)
    if (!(WINDOW_PARAMETERS as readonly string[]).includes(name)) {
      add(`binds {${name}:${type}}, which Highway does not pass: only {from:DateTime64(3)} and {to:DateTime64(3)} are bound`)
    } else if (type.replace(/\s+/g, '') !== 'DateTime64(3)') {
      add(`binds {${name}:${type}}, but Highway passes ${name} as DateTime64(3): write {${name}:DateTime64(3)}`)
    }
  }
  const missing = WINDOW_PARAMETERS.filter((name) => !bound.has(name))
  if (missing.length > 0) {
    add(`must bind the window as {from:DateTime64(3)} and {to:DateTime64(3)}; missing ${missing.map((m) => `{${m}:DateTime64(3)}`).join(' and ')}`)
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { type: 'clickhouse', query: sql } }
}

// Sloth's only template variable: "{{.window}}" is replaced by each SLI window it records
// (slok/sloth examples/openslo-getting-started.yml; internal/storage/io/openslo.go keeps the queries as written).
const TEMPLATE_ACTION = /\{\{(.*?)\}\}/g
const WINDOW_ACTION = /^\s*\.window\s*$/

function balanced(code: string): boolean {
  const pairs: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' }
  const stack: string[] = []
  for (const ch of code) {
    if (ch === '(' || ch === '[' || ch === '{') stack.push(ch)
    else if (ch in pairs && stack.pop() !== pairs[ch]) return false
  }
  return stack.length === 0
}

/** Checks PromQL: only `{{.window}}` as template, balanced brackets, and `{{.window}}` present in ratio queries. */
function checkPrometheus(spec: unknown, needsWindow: boolean): SourceCheck<{ type: 'prometheus'; query: string }> {
  const parsed = parse(querySchema, spec)
  if (!parsed.ok) return parsed
  const query = parsed.value.query
  const issues: LocalIssue[] = []
  const add = (message: string): void => void issues.push({ path: ['query'], rule: 'query', message })
  let hasWindow = false
  for (const [action, inner] of query.matchAll(TEMPLATE_ACTION)) {
    if (inner !== undefined && WINDOW_ACTION.test(inner)) hasWindow = true
    else add(`uses ${action}; the only template variable is {{.window}}`)
  }
  if (needsWindow && !hasWindow) {
    add('must contain {{.window}} where the range goes, e.g. rate(http_requests_total[{{.window}}]): the rule generator fills in each alert window')
  }
  const code = query.replace(TEMPLATE_ACTION, '').replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
  if (!balanced(code)) add('has unbalanced brackets')
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { type: 'prometheus', query } }
}

/** Checks a metric source's `spec` that counts events (ratio SLIs), per source type. */
export function checkEventQuery(type: SourceType, spec: unknown, models: readonly SpecModel[] | undefined): SourceCheck<EventQuery> {
  switch (type) {
    case 'highway':
      return checkHighwayEvents(spec, models)
    case 'clickhouse':
      return checkClickHouse(spec)
    case 'prometheus':
      return checkPrometheus(spec, true)
  }
}

/** Checks a metric source's `spec` that yields one value per slice (threshold SLIs), per source type. */
export function checkMeasureQuery(type: SourceType, spec: unknown, models: readonly SpecModel[] | undefined): SourceCheck<MeasureQuery> {
  switch (type) {
    case 'highway':
      return checkHighwayMeasure(spec, models)
    case 'clickhouse':
      return checkClickHouse(spec)
    case 'prometheus':
      return checkPrometheus(spec, false)
  }
}

/** The range a measure's objective value must lie in, as a check and a phrase; undefined when any finite number will do. */
export function measureValueRange(query: MeasureQuery): { readonly test: (value: number) => boolean; readonly expected: string } | undefined {
  if (query.type !== 'highway') return undefined
  const share = { test: (v: number) => v >= 0 && v <= 1, expected: 'a share in [0, 1]' }
  const nonNegative = { test: (v: number) => v >= 0, expected: 'a number of 0 or more' }
  switch (query.measure) {
    case 'dataset_drift_share':
    case 'label_coverage':
      return share
    case 'freshness_seconds':
      return nonNegative
    case 'feature_drift':
      return undefined
    case 'performance':
    case 'estimated_performance':
      if (['log_loss', 'mae', 'rmse', 'mape'].includes(query.metric)) return nonNegative
      if (query.metric === 'r2') return { test: (v: number) => v <= 1, expected: 'an R² of at most 1' }
      return share
  }
}
