import { SOURCE_TYPES } from './const.ts'
import { describeValue, type PathSegment } from './issues.ts'
import { checkAnnotationKeys, readSettings } from './resolve-annotations.ts'
import { lookup, type DataSourceValue, type Declared, type IssueList, type Parsed, type Settings, type SliValue } from './resolve-context.ts'
import type { MetricSourceSpec, SliSpec } from './schema.ts'
import { checkEventQuery, checkMeasureQuery } from './source-spec.ts'
import type { EventQuery, MeasureQuery, ResolvedSli, ResolvedSource, SourceType, SpecModel } from './types.ts'
import type { SourceDocument } from './yaml-documents.ts'

/** What an SLI is checked against: declared DataSources, the settings read from SLI documents, and the configured models. */
export interface SliScope {
  readonly dataSources: ReadonlyMap<string, Declared<DataSourceValue>>
  readonly settingsOf: ReadonlyMap<SourceDocument, Settings>
  /** With them, model names, features, tasks and metrics are checked too. */
  readonly models: readonly SpecModel[] | undefined
}

/** Where a metric source's numbers come from: its type, and the DataSource it names, if any. */
interface CheckedSource {
  readonly type: SourceType
  readonly dataSource?: { readonly name: string; readonly value: DataSourceValue }
}

/** Checks a DataSource document's type, which may be written in any case. */
export function checkDataSource(issues: IssueList, doc: SourceDocument, spec: { readonly type: string; readonly connectionDetails?: unknown }): DataSourceValue | undefined {
  const type = spec.type.toLowerCase()
  if (!(SOURCE_TYPES as readonly string[]).includes(type)) {
    issues.add(doc, ['spec', 'type'], 'enum', `must be one of ${SOURCE_TYPES.join(', ')} (any case), got ${describeValue(spec.type)}`)
    return undefined
  }
  return { type: type as SourceType, connectionDetails: spec.connectionDetails ?? {} }
}

function checkSource(issues: IssueList, scope: SliScope, doc: SourceDocument, path: readonly PathSegment[], source: MetricSourceSpec): CheckedSource | undefined {
  let dataSource: CheckedSource['dataSource']
  if (source.metricSourceRef !== undefined) {
    const found = lookup(issues, doc, [...path, 'metricSourceRef'], scope.dataSources, 'DataSource', source.metricSourceRef)
    if (found === undefined) return undefined
    dataSource = { name: source.metricSourceRef, value: found }
  }
  if (source.type !== undefined) {
    const type = source.type.toLowerCase()
    if (!(SOURCE_TYPES as readonly string[]).includes(type)) {
      issues.add(doc, [...path, 'type'], 'enum', `must be one of ${SOURCE_TYPES.join(', ')} (any case), got ${describeValue(source.type)}`)
      return undefined
    }
    if (dataSource !== undefined && dataSource.value.type !== type) {
      issues.add(doc, [...path, 'type'], 'inconsistent', `contradicts DataSource ${dataSource.name}, which is ${dataSource.value.type}, got ${describeValue(source.type)}`)
      return undefined
    }
    return { type: type as SourceType, ...(dataSource === undefined ? {} : { dataSource }) }
  }
  if (dataSource !== undefined) return { type: dataSource.value.type, dataSource }
  issues.add(doc, path, 'required', 'needs type (highway, clickhouse or prometheus) or metricSourceRef (a DataSource) to say where the numbers come from')
  return undefined
}

function sourceOf(checked: CheckedSource): ResolvedSource {
  const { dataSource } = checked
  return { type: checked.type, ...(dataSource === undefined ? {} : { dataSource: { name: dataSource.name, connectionDetails: dataSource.value.connectionDetails } }) }
}

function eventQuery(issues: IssueList, scope: SliScope, doc: SourceDocument, path: readonly PathSegment[], source: MetricSourceSpec): { checked: CheckedSource; query: EventQuery } | undefined {
  const checked = checkSource(issues, scope, doc, path, source)
  if (checked === undefined) return undefined
  const query = checkEventQuery(checked.type, source.spec, scope.models)
  if (!query.ok) {
    issues.addAll(doc, [...path, 'spec'], query.issues)
    return undefined
  }
  return { checked, query: query.value }
}

function checkRatioSli(
  issues: IssueList,
  scope: SliScope,
  doc: SourceDocument,
  specPath: readonly PathSegment[],
  name: string,
  ratioMetric: NonNullable<SliSpec['ratioMetric']>,
  settings: Settings,
  before: number,
): SliValue | undefined {
  const ratioPath = [...specPath, 'ratioMetric']
  if (ratioMetric.raw !== undefined || ratioMetric.rawType !== undefined) {
    const key = ratioMetric.raw !== undefined ? 'raw' : 'rawType'
    issues.add(doc, [...ratioPath, key], 'unsupported', 'precomputed ratios (raw, rawType) are not supported: give good (or bad) and total counts')
    return undefined
  }
  if (ratioMetric.good !== undefined && ratioMetric.bad !== undefined) issues.add(doc, ratioPath, 'exclusive', 'give good or bad (the numerator), not both')
  else if (ratioMetric.good === undefined && ratioMetric.bad === undefined) issues.add(doc, ratioPath, 'required', 'needs good or bad (the numerator)')
  if (ratioMetric.total === undefined) issues.add(doc, [...ratioPath, 'total'], 'required', 'is required (the denominator: all events)')
  if (issues.count > before || ratioMetric.total === undefined) return undefined
  const numeratorKey = ratioMetric.good !== undefined ? 'good' : 'bad'
  const numeratorSpec = ratioMetric.good ?? ratioMetric.bad
  if (numeratorSpec === undefined) return undefined
  const numeratorPath = [...ratioPath, numeratorKey, 'metricSource']
  const totalPath = [...ratioPath, 'total', 'metricSource']
  const numerator = eventQuery(issues, scope, doc, numeratorPath, numeratorSpec.metricSource)
  const total = eventQuery(issues, scope, doc, totalPath, ratioMetric.total.metricSource)
  if (numerator === undefined || total === undefined) return undefined
  if (numerator.checked.type !== total.checked.type) {
    issues.add(doc, totalPath, 'inconsistent', `must come from the same source type as ${numeratorKey}: ${numeratorKey} is ${numerator.checked.type}, total is ${total.checked.type}`)
    return undefined
  }
  if (numerator.checked.dataSource?.name !== total.checked.dataSource?.name) {
    issues.add(doc, [...totalPath, 'metricSourceRef'], 'inconsistent', `must name the same DataSource as ${numeratorKey} (${numerator.checked.dataSource?.name ?? 'none'}), got ${describeValue(total.checked.dataSource?.name)}`)
    return undefined
  }
  const num = numerator.query
  const tot = total.query
  if (num.type === 'highway' && tot.type === 'highway') {
    if (numeratorKey === 'bad') {
      issues.add(doc, [...ratioPath, 'bad'], 'unsupported', 'type highway counts good events: write good (bad suits clickhouse and prometheus counters)')
      return undefined
    }
    if (num.model !== tot.model || num.version !== tot.version) {
      const show = (q: { model: string; version?: string }): string => (q.version === undefined ? q.model : `${q.model} version ${q.version}`)
      issues.add(doc, [...totalPath, 'spec', 'model'], 'inconsistent', `must count the same model and version as good (${show(num)}), got ${show(tot)}`)
      return undefined
    }
  }
  const labelSelect = [num, tot].find((q): q is EventQuery & { type: 'highway' } => q.type === 'highway' && (q.select === 'correct' || q.select === 'labelled'))
  const sli: ResolvedSli =
    numeratorKey === 'good'
      ? { kind: 'ratio', name, good: num, total: tot, source: sourceOf(numerator.checked) }
      : { kind: 'ratio', name, bad: num, total: tot, source: sourceOf(numerator.checked) }
  return { sli, settings, ...(labelSelect === undefined ? {} : { needsLabels: `select ${labelSelect.select}` }) }
}

function checkThresholdSli(
  issues: IssueList,
  scope: SliScope,
  doc: SourceDocument,
  specPath: readonly PathSegment[],
  name: string,
  thresholdMetric: NonNullable<SliSpec['thresholdMetric']>,
  settings: Settings,
  before: number,
): SliValue | undefined {
  const path = [...specPath, 'thresholdMetric', 'metricSource']
  const checked = checkSource(issues, scope, doc, path, thresholdMetric.metricSource)
  if (checked === undefined) return undefined
  const query = checkMeasureQuery(checked.type, thresholdMetric.metricSource.spec, scope.models)
  if (!query.ok) {
    issues.addAll(doc, [...path, 'spec'], query.issues)
    return undefined
  }
  const measure: MeasureQuery = query.value
  const needsLabels = measure.type === 'highway' && (measure.measure === 'performance' || measure.measure === 'label_coverage') ? `measure ${measure.measure}` : undefined
  if (issues.count > before) return undefined
  return { sli: { kind: 'threshold', name, measure, source: sourceOf(checked) }, settings, ...(needsLabels === undefined ? {} : { needsLabels }) }
}

/**
 * Checks an SLI declared at `base` (`[]` for a document of its own, `['spec', 'indicator']` inline in an SLO):
 * its metric sources, their queries, and whether it needs labels.
 */
export function checkSli(issues: IssueList, scope: SliScope, doc: SourceDocument, base: readonly PathSegment[], parsed: Parsed<SliSpec>): SliValue | undefined {
  const before = issues.count
  const specPath = [...base, 'spec']
  let settings = scope.settingsOf.get(doc) ?? {}
  // A document's own annotations were read when it was indexed; an inline SLI's are read here.
  if (base.length > 0) {
    checkAnnotationKeys(issues, doc, [...base, 'metadata'], parsed.metadata.annotations, 'SLI')
    settings = readSettings(issues, doc, [...base, 'metadata'], parsed.metadata.annotations)
  }
  const { ratioMetric, thresholdMetric } = parsed.spec
  const name = parsed.metadata.name
  if (ratioMetric !== undefined && thresholdMetric !== undefined) {
    issues.add(doc, specPath, 'exclusive', 'give ratioMetric or thresholdMetric, not both')
    return undefined
  }
  if (ratioMetric !== undefined) return checkRatioSli(issues, scope, doc, specPath, name, ratioMetric, settings, before)
  if (thresholdMetric !== undefined) return checkThresholdSli(issues, scope, doc, specPath, name, thresholdMetric, settings, before)
  issues.add(doc, specPath, 'required', 'needs ratioMetric (good or bad over total) or thresholdMetric (one value per time slice)')
  return undefined
}
