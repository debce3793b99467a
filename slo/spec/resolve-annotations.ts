import { ANNOTATION_PREFIX, ANNOTATIONS } from './const.ts'
import { parseFixedDuration } from './duration.ts'
import { describeValue, type PathSegment } from './issues.ts'
import type { IssueList, Settings } from './resolve-context.ts'
import type { SpecKind } from './types.ts'
import type { SourceDocument } from './yaml-documents.ts'

/** Annotations Highway reads, by kind; other `highway.dev/` keys are typos. */
const ANNOTATIONS_BY_KIND: Readonly<Record<SpecKind, readonly string[]>> = {
  SLO: [ANNOTATIONS.evaluationDelay, ANNOTATIONS.minEvents, ANNOTATIONS.wilson, ANNOTATIONS.wilsonConfidence, ANNOTATIONS.unfreezeAbove],
  SLI: [ANNOTATIONS.evaluationDelay, ANNOTATIONS.minEvents, ANNOTATIONS.wilson, ANNOTATIONS.wilsonConfidence],
  AlertCondition: [ANNOTATIONS.shortWindow],
  AlertPolicy: [],
  DataSource: [],
  Service: [],
  AlertNotificationTarget: [],
}

/** Reports `highway.dev/` annotation keys that Highway does not read on this kind. */
export function checkAnnotationKeys(
  issues: IssueList,
  doc: SourceDocument,
  metadataPath: readonly PathSegment[],
  annotations: Readonly<Record<string, unknown>> | undefined,
  kind: SpecKind,
): void {
  const known = ANNOTATIONS_BY_KIND[kind]
  for (const key of Object.keys(annotations ?? {})) {
    if (!key.startsWith(ANNOTATION_PREFIX) || known.includes(key)) continue
    const on = `on ${/^[AS]/.test(kind) && kind !== 'Service' ? 'an' : 'a'} ${kind}`
    const expected = known.length === 0 ? `Highway reads no ${ANNOTATION_PREFIX} annotations ${on}` : `Highway reads ${known.join(', ')} ${on}`
    issues.add(doc, [...metadataPath, 'annotations', key], 'unknown_field', `is not a Highway annotation (${expected})`)
  }
}

/** Reads Highway's settings from annotations; values that are not strings were reported by the schema and are skipped. */
export function readSettings(issues: IssueList, doc: SourceDocument, metadataPath: readonly PathSegment[], raw: Readonly<Record<string, unknown>> | undefined): Settings {
  const settings: { -readonly [K in keyof Settings]: Settings[K] } = {}
  if (raw === undefined) return settings
  const annotations: Record<string, string> = {}
  for (const [key, value] of Object.entries(raw)) if (typeof value === 'string') annotations[key] = value
  const at = (key: string): PathSegment[] => [...metadataPath, 'annotations', key]
  const delay = annotations[ANNOTATIONS.evaluationDelay]
  if (delay !== undefined) {
    const parsed = parseFixedDuration(delay, { allowZero: true })
    if (parsed.ok) settings.evaluationDelaySeconds = { value: parsed.seconds, doc, path: at(ANNOTATIONS.evaluationDelay) }
    else issues.add(doc, at(ANNOTATIONS.evaluationDelay), 'format', `${parsed.message}, got ${describeValue(delay)}`)
  }
  const minEvents = annotations[ANNOTATIONS.minEvents]
  if (minEvents !== undefined) {
    if (/^[1-9][0-9]{0,8}$/.test(minEvents)) settings.minEvents = { value: Number(minEvents), doc, path: at(ANNOTATIONS.minEvents) }
    else issues.add(doc, at(ANNOTATIONS.minEvents), 'format', `must be a whole number of events, at least 1, got ${describeValue(minEvents)}`)
  }
  const wilson = annotations[ANNOTATIONS.wilson]
  if (wilson !== undefined) {
    if (wilson === 'true' || wilson === 'false') settings.wilson = { value: wilson === 'true', doc, path: at(ANNOTATIONS.wilson) }
    else issues.add(doc, at(ANNOTATIONS.wilson), 'enum', `must be "true" or "false", got ${describeValue(wilson)}`)
  }
  const confidence = annotations[ANNOTATIONS.wilsonConfidence]
  if (confidence !== undefined) {
    const value = /^\s*$/.test(confidence) ? Number.NaN : Number(confidence)
    if (value > 0 && value < 1) settings.wilsonConfidence = { value, doc, path: at(ANNOTATIONS.wilsonConfidence) }
    else issues.add(doc, at(ANNOTATIONS.wilsonConfidence), 'range', `must be a confidence in (0, 1) such as "0.95", got ${describeValue(confidence)}`)
  }
  const unfreeze = annotations[ANNOTATIONS.unfreezeAbove]
  if (unfreeze !== undefined) {
    const value = /^\s*$/.test(unfreeze) ? Number.NaN : Number(unfreeze)
    if (value >= 0 && value <= 1) settings.unfreezeAbove = { value, doc, path: at(ANNOTATIONS.unfreezeAbove) }
    else issues.add(doc, at(ANNOTATIONS.unfreezeAbove), 'range', `must be a share of the error budget in [0, 1] such as "0.1", got ${describeValue(unfreeze)}`)
  }
  return settings
}
