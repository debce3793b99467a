// What the stages of `resolveDocuments` share: the issue list they all write to, the shapes of declared and checked
// objects they hand each other, and the small lookups every stage uses. No stage keeps state of its own.
import type { z } from 'zod'
import { ANNOTATION_PREFIX, CALENDAR_MIN_SECONDS } from './const.ts'
import { formatDurationSeconds } from './duration.ts'
import { describeValue, formatPath, issuesFromZod, type LocalIssue, type PathSegment } from './issues.ts'
import { referenceSchema, type Metadata } from './schema.ts'
import type { ResolvedSli, ResolvedWindow, SourceType, SpecError, SpecKind, SpecRule } from './types.ts'
import type { SourceDocument } from './yaml-documents.ts'

/** Collects problems as `SpecError`s with document paths and lines, in the order the stages find them. */
export class IssueList {
  readonly errors: SpecError[] = []

  /** How many problems have been found so far: a stage compares it before and after a check. */
  get count(): number {
    return this.errors.length
  }

  add(doc: SourceDocument, path: readonly PathSegment[], rule: SpecRule, message: string): void {
    const line = doc.lineAt(path)
    this.errors.push({ file: doc.file, path: formatPath(['documents', doc.index, ...path]), rule, message, ...(line === undefined ? {} : { line }) })
  }

  addAll(doc: SourceDocument, base: readonly PathSegment[], issues: readonly LocalIssue[]): void {
    for (const issue of issues) this.add(doc, [...base, ...issue.path], issue.rule, issue.message)
  }
}

/** A parsed document of one kind. */
export interface Parsed<S> {
  readonly metadata: Metadata
  readonly spec: S
}

/** A declared object: where it is, and its value once checked (undefined when it has problems of its own). */
export interface Declared<T> {
  readonly doc: SourceDocument
  readonly value: T | undefined
}

/** A DataSource once its type is known. */
export interface DataSourceValue {
  readonly type: SourceType
  readonly connectionDetails: unknown
}

/** An AlertCondition with its windows in seconds and the labels and annotations its alerts carry. */
export interface ConditionValue {
  readonly name: string
  readonly severity: 'page' | 'ticket'
  readonly op: 'gt' | 'gte'
  readonly burnRate: number
  readonly longWindowSeconds: number
  readonly shortWindowSeconds: number
  readonly alertAfterSeconds: number
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
}

/** An AlertPolicy with its condition and notification targets resolved. */
export interface PolicyValue {
  readonly name: string
  readonly displayName?: string
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  readonly condition: ConditionValue
  readonly alertWhenBreaching: boolean
  readonly alertWhenResolved: boolean
  readonly alertWhenNoData: boolean
  readonly notificationTargets: readonly string[]
}

/** A Highway setting read from an annotation, with where it was written. */
export interface Located<T> {
  readonly value: T
  readonly doc: SourceDocument
  readonly path: readonly PathSegment[]
}

/** Highway's settings of an SLO or SLI, read from its `highway.dev/` annotations. */
export interface Settings {
  readonly evaluationDelaySeconds?: Located<number>
  readonly minEvents?: Located<number>
  readonly wilson?: Located<boolean>
  readonly wilsonConfidence?: Located<number>
  readonly unfreezeAbove?: Located<number>
}

/** An SLI once checked, with its own settings. */
export interface SliValue {
  readonly sli: ResolvedSli
  readonly settings: Settings
  /** Why the SLI needs labels (and so an evaluation delay), when it does. */
  readonly needsLabels?: string
}

/** Labels as alert labels: the first value of each list. */
export function alertLabels(labels: Metadata['labels']): Record<string, string> {
  return Object.fromEntries(Object.entries(labels ?? {}).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : v[0] === undefined ? [] : [[k, v[0]]])))
}

/** Annotations to carry onto an alert: all but Highway's own settings. */
export function alertAnnotations(annotations: Metadata['annotations']): Record<string, string> {
  return Object.fromEntries(Object.entries(annotations ?? {}).filter(([k]) => !k.startsWith(ANNOTATION_PREFIX)))
}

/** Whether a parsed YAML value is a mapping. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** The names a map declares, as an error message lists them: the first ten. */
export function declaredNames(map: ReadonlyMap<string, unknown>): string {
  const names = [...map.keys()]
  if (names.length === 0) return 'none declared'
  return `declared: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''}`
}

/** The length of a window, in seconds (a calendar window counts its shortest month, week or day) and as text. */
export function windowLength(window: ResolvedWindow): { seconds: number; text: string } {
  return window.kind === 'rolling'
    ? { seconds: window.seconds, text: formatDurationSeconds(window.seconds) }
    : { seconds: CALENDAR_MIN_SECONDS[window.unit], text: `calendar ${window.unit}` }
}

/** The checked value of a referenced object; reports a name that nothing of that kind declares. */
export function lookup<T>(issues: IssueList, doc: SourceDocument, path: readonly PathSegment[], map: ReadonlyMap<string, Declared<T>>, kind: SpecKind, name: string): T | undefined {
  const found = map.get(name)
  if (found === undefined) issues.add(doc, path, 'unresolved_reference', `names no ${kind} (${declaredNames(map)}), got ${describeValue(name)}`)
  return found?.value
}

/** Parses a list item that is either a reference `{refKey: name}` or an inline object; reports mixtures. */
export function referenceOrInline<T>(
  issues: IssueList,
  doc: SourceDocument,
  path: readonly PathSegment[],
  item: unknown,
  refKey: string,
  kind: SpecKind,
  inline: z.ZodType<T>,
): { ref: string } | { inline: T } | undefined {
  if (isRecord(item) && refKey in item) {
    const others = Object.keys(item).filter((k) => k !== refKey)
    if (others.length > 0) {
      issues.add(doc, path, 'exclusive', `give ${refKey} or an inline ${kind} (kind, metadata, spec), not both; also got ${others.join(', ')}`)
      return undefined
    }
    const parsed = referenceSchema(refKey).safeParse(item)
    if (!parsed.success) {
      issues.addAll(doc, path, issuesFromZod(parsed.error.issues, item))
      return undefined
    }
    return { ref: item[refKey] as string }
  }
  if (!isRecord(item)) {
    issues.add(doc, path, 'type', `must be {${refKey}: <name>} or an inline ${kind} (kind, metadata, spec), got ${describeValue(item)}`)
    return undefined
  }
  const parsed = inline.safeParse(item)
  if (!parsed.success) {
    issues.addAll(doc, path, issuesFromZod(parsed.error.issues, item))
    return undefined
  }
  return { inline: parsed.data }
}
