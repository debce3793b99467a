import type { z } from 'zod'
import { OPENSLO_API_VERSION, SPEC_KINDS } from './const.ts'
import { describeValue, issuesFromZod } from './issues.ts'
import { checkAnnotationKeys, readSettings } from './resolve-annotations.ts'
import { isRecord, type Declared, type IssueList, type Parsed, type Settings } from './resolve-context.ts'
import {
  alertConditionSpecSchema,
  alertNotificationTargetSpecSchema,
  alertPolicySpecSchema,
  dataSourceSpecSchema,
  documentSchema,
  serviceSpecSchema,
  sliSpecSchema,
  sloSpecSchema,
  type AlertConditionSpec,
  type AlertNotificationTargetSpec,
  type AlertPolicySpec,
  type DataSourceSpec,
  type SliSpec,
  type SloSpec,
} from './schema.ts'
import type { SpecKind } from './types.ts'
import type { SourceDocument } from './yaml-documents.ts'

/** Parsed Service spec (null or absent when the document gives none). */
export type ServiceSpec = z.infer<typeof serviceSpecSchema>

/** Every object of the documents, by kind and name; the value is undefined where the document has problems of its own. */
export interface DeclaredObjects {
  readonly SLO: ReadonlyMap<string, Declared<Parsed<SloSpec>>>
  readonly SLI: ReadonlyMap<string, Declared<Parsed<SliSpec>>>
  readonly DataSource: ReadonlyMap<string, Declared<Parsed<DataSourceSpec>>>
  readonly Service: ReadonlyMap<string, Declared<Parsed<ServiceSpec>>>
  readonly AlertPolicy: ReadonlyMap<string, Declared<Parsed<AlertPolicySpec>>>
  readonly AlertCondition: ReadonlyMap<string, Declared<Parsed<AlertConditionSpec>>>
  readonly AlertNotificationTarget: ReadonlyMap<string, Declared<Parsed<AlertNotificationTargetSpec>>>
}

/** What the first stage hands on: the declared objects, and the settings of each SLO and SLI document. */
export interface IndexedDocuments {
  readonly declared: DeclaredObjects
  /** Read from every SLO and SLI document, even one whose spec is broken, so all their problems come in one report. */
  readonly settingsOf: ReadonlyMap<SourceDocument, Settings>
}

const DOCUMENT_SCHEMAS = {
  SLO: documentSchema(sloSpecSchema),
  SLI: documentSchema(sliSpecSchema),
  DataSource: documentSchema(dataSourceSpecSchema),
  Service: documentSchema(serviceSpecSchema),
  AlertPolicy: documentSchema(alertPolicySpecSchema),
  AlertCondition: documentSchema(alertConditionSpecSchema),
  AlertNotificationTarget: documentSchema(alertNotificationTargetSpecSchema),
} as const

/**
 * Checks a document's envelope: a mapping with the v1 apiVersion and a kind Highway knows. Undefined when it is
 * not, and the document is not read further: checked against a v1 schema, another version's shape would only give
 * misleading errors.
 */
export function checkEnvelope(issues: IssueList, doc: SourceDocument): { raw: Record<string, unknown>; kind: SpecKind } | undefined {
  const raw = doc.value
  if (!isRecord(raw)) {
    issues.add(doc, [], 'type', `must be an OpenSLO object (a mapping with apiVersion, kind, metadata and spec), got ${describeValue(raw)}`)
    return undefined
  }
  let envelopeOk = true
  if (raw.apiVersion === undefined) {
    issues.add(doc, ['apiVersion'], 'required', `is required: "${OPENSLO_API_VERSION}"`)
    envelopeOk = false
  } else if (raw.apiVersion !== OPENSLO_API_VERSION) {
    const hint = raw.apiVersion === 'openslo/v1alpha' ? ' (v1alpha, which Sloth reads, has another shape: queries sit in objectives)' : ''
    issues.add(doc, ['apiVersion'], 'api_version', `must be "${OPENSLO_API_VERSION}", got ${describeValue(raw.apiVersion)}${hint}`)
    envelopeOk = false
  }
  const kind = raw.kind
  if (kind === undefined) {
    issues.add(doc, ['kind'], 'required', `is required: one of ${SPEC_KINDS.join(', ')}`)
    return undefined
  }
  if (typeof kind !== 'string' || !(SPEC_KINDS as readonly string[]).includes(kind)) {
    issues.add(doc, ['kind'], 'unknown_kind', `must be one of ${SPEC_KINDS.join(', ')}, got ${describeValue(kind)}`)
    return undefined
  }
  if (!envelopeOk) return undefined
  return { raw, kind: kind as SpecKind }
}

/**
 * Stage 1: checks each document on its own (envelope, kind, structure, annotations) and indexes it by kind and
 * name, reporting duplicate names. References between documents are left to the later stages.
 */
export function indexDocuments(issues: IssueList, documents: readonly SourceDocument[]): IndexedDocuments {
  const declared = {
    SLO: new Map<string, Declared<Parsed<SloSpec>>>(),
    SLI: new Map<string, Declared<Parsed<SliSpec>>>(),
    DataSource: new Map<string, Declared<Parsed<DataSourceSpec>>>(),
    Service: new Map<string, Declared<Parsed<ServiceSpec>>>(),
    AlertPolicy: new Map<string, Declared<Parsed<AlertPolicySpec>>>(),
    AlertCondition: new Map<string, Declared<Parsed<AlertConditionSpec>>>(),
    AlertNotificationTarget: new Map<string, Declared<Parsed<AlertNotificationTargetSpec>>>(),
  }
  const settingsOf = new Map<SourceDocument, Settings>()

  for (const doc of documents) {
    const envelope = checkEnvelope(issues, doc)
    if (envelope === undefined) continue
    const { raw, kind: specKind } = envelope
    const result = DOCUMENT_SCHEMAS[specKind].safeParse(raw)
    if (!result.success) issues.addAll(doc, [], issuesFromZod(result.error.issues, raw))
    const metadata = isRecord(raw.metadata) ? raw.metadata : undefined
    // Annotations are read even when the rest is broken, so their problems come in the same report.
    const annotations = isRecord(metadata?.annotations) ? metadata.annotations : undefined
    checkAnnotationKeys(issues, doc, ['metadata'], annotations, specKind)
    if (specKind === 'SLO' || specKind === 'SLI') settingsOf.set(doc, readSettings(issues, doc, ['metadata'], annotations))
    const name = typeof metadata?.name === 'string' ? metadata.name : undefined
    if (name === undefined) continue
    const map = declared[specKind] as Map<string, Declared<unknown>>
    const first = map.get(name)
    if (first !== undefined) {
      issues.add(doc, ['metadata', 'name'], 'duplicate_name', `duplicates the ${specKind} "${name}" in ${first.doc.file} documents[${first.doc.index}]: names must be unique per kind${specKind === 'SLO' ? ', across services too (the API and the budget audit trail address an SLO by name: /v1/slos/{name})' : ''}`)
      continue
    }
    map.set(name, { doc, value: result.success ? (result.data as unknown) : undefined })
  }
  return { declared, settingsOf }
}
