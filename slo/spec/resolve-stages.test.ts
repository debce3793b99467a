import { describe, expect, it } from 'vitest'
import { checkAlerting } from './resolve-alerting.ts'
import { checkReferencedObjects } from './resolve-catalog.ts'
import { IssueList, type Parsed, type PolicyValue } from './resolve-context.ts'
import { checkEnvelope, indexDocuments, type IndexedDocuments } from './resolve-index.ts'
import { checkObjectives } from './resolve-objectives.ts'
import { checkSloSettings, resolveServiceDisplayName, resolveSlo } from './resolve-slo.ts'
import { checkWindow } from './resolve-window.ts'
import type { SloSpec } from './schema.ts'
import { TEST_MODELS } from './test-models.ts'
import type { ResolvedSli, SpecError } from './types.ts'
import { splitYamlDocuments, type SourceDocument } from './yaml-documents.ts'

// Each stage of resolveDocuments on its own: the stage gets only what it reads, and writes to its own issue list.

/** Runs stage 1 over one file of YAML. */
function indexed(text: string): { issues: IssueList; indexed: IndexedDocuments; documents: readonly SourceDocument[] } {
  const { documents, errors } = splitYamlDocuments('slos.yaml', text)
  if (errors.length > 0) throw new Error(`bad test YAML: ${errors.map((e) => e.message).join('; ')}`)
  const issues = new IssueList()
  return { issues, indexed: indexDocuments(issues, documents), documents }
}

/** The parsed SLO of that name, with its document, as stage 1 leaves it. */
function sloOf(index: IndexedDocuments, name: string): { doc: SourceDocument; spec: SloSpec; value: Parsed<SloSpec> } {
  const found = index.declared.SLO.get(name)
  if (found?.value === undefined) throw new Error(`SLO ${name} was not indexed with a value`)
  return { doc: found.doc, spec: found.value.spec, value: found.value }
}

function brief(errors: readonly SpecError[]): Pick<SpecError, 'path' | 'rule' | 'message'>[] {
  return errors.map(({ path, rule, message }) => ({ path, rule, message }))
}

const SLO = (name: string, rest = ''): string => `apiVersion: openslo/v1
kind: SLO
metadata: { name: ${name} }
spec:
  service: booking
  indicatorRef: served
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.99 }]
${rest}`

const SERVED_SLI = `apiVersion: openslo/v1
kind: SLI
metadata: { name: served }
spec:
  ratioMetric:
    good: { metricSource: { type: highway, spec: { model: booking-spam, select: ok } } }
    total: { metricSource: { type: highway, spec: { model: booking-spam, select: all } } }
`

const RATIO_SLI: ResolvedSli = {
  kind: 'ratio',
  name: 'served',
  good: { type: 'highway', model: 'booking-spam', select: 'ok' },
  total: { type: 'highway', model: 'booking-spam', select: 'all' },
  source: { type: 'highway' },
}

describe('checkEnvelope', () => {
  it('reports both a v1alpha apiVersion and an unknown kind, and reads the document no further', () => {
    const [doc] = splitYamlDocuments('slos.yaml', 'apiVersion: openslo/v1alpha\nkind: Slo\nspec: 3\n').documents
    const issues = new IssueList()
    expect(checkEnvelope(issues, doc!)).toBeUndefined()
    expect(brief(issues.errors)).toEqual([
      { path: 'documents[0].apiVersion', rule: 'api_version', message: 'must be "openslo/v1", got "openslo/v1alpha" (v1alpha, which Sloth reads, has another shape: queries sit in objectives)' },
      { path: 'documents[0].kind', rule: 'unknown_kind', message: 'must be one of SLO, SLI, DataSource, Service, AlertPolicy, AlertCondition, AlertNotificationTarget, got "Slo"' },
    ])
  })
})

describe('indexDocuments (stage 1)', () => {
  it('indexes documents by kind and name without following references', () => {
    const { issues, indexed: index } = indexed(`${SLO('availability')}---\n${SERVED_SLI}`)
    expect(issues.errors).toEqual([])
    expect([...index.declared.SLO.keys()]).toEqual(['availability'])
    expect([...index.declared.SLI.keys()]).toEqual(['served'])
    expect(index.declared.AlertPolicy.size).toBe(0)
  })

  it('leaves an SLO that names a missing SLI for a later stage to report', () => {
    const { issues } = indexed(SLO('availability'))
    expect(issues.errors).toEqual([])
  })

  it('reports a second object of the same kind and name, and keeps the first', () => {
    const { issues, indexed: index, documents } = indexed(`${SERVED_SLI}---\n${SERVED_SLI}`)
    expect(brief(issues.errors)).toEqual([
      { path: 'documents[1].metadata.name', rule: 'duplicate_name', message: 'duplicates the SLI "served" in slos.yaml documents[0]: names must be unique per kind' },
    ])
    expect(index.declared.SLI.get('served')?.doc).toBe(documents[0])
  })

  it('reads the settings of an SLO whose spec is broken, so both problems come in one report', () => {
    const text = SLO('availability').replace('metadata: { name: availability }', 'metadata: { name: availability, annotations: { highway.dev/min-events: "50" } }').replace('target: 0.99', 'target: 2')
    const { issues, indexed: index, documents } = indexed(text)
    expect(issues.errors.map((e) => e.path)).toEqual(['documents[0].spec.objectives[0].target'])
    expect(index.declared.SLO.get('availability')?.value).toBeUndefined()
    expect(index.settingsOf.get(documents[0]!)?.minEvents?.value).toBe(50)
  })
})

describe('checkReferencedObjects (stage 2)', () => {
  it('checks a DataSource where it is declared and keeps it without a value when its type is unknown', () => {
    const { issues, indexed: index } = indexed('apiVersion: openslo/v1\nkind: DataSource\nmetadata: { name: graphite }\nspec: { type: graphite }\n')
    const catalog = checkReferencedObjects(issues, index, TEST_MODELS)
    expect(brief(issues.errors)).toEqual([{ path: 'documents[0].spec.type', rule: 'enum', message: 'must be one of highway, clickhouse, prometheus (any case), got "graphite"' }])
    expect(catalog.dataSources.has('graphite')).toBe(true)
    expect(catalog.dataSources.get('graphite')?.value).toBeUndefined()
  })

  it('resolves a policy against the conditions and targets declared beside it, and reports the one it cannot find', () => {
    const policy = `apiVersion: openslo/v1
kind: AlertPolicy
metadata: { name: fast-burn }
spec:
  conditions: [{ conditionRef: page-fast }]
  notificationTargets: [{ targetRef: pager }]
`
    const { issues, indexed: index } = indexed(policy)
    const catalog = checkReferencedObjects(issues, index, TEST_MODELS)
    expect(brief(issues.errors)).toEqual([
      { path: 'documents[0].spec.conditions[0].conditionRef', rule: 'unresolved_reference', message: 'names no AlertCondition (none declared), got "page-fast"' },
      { path: 'documents[0].spec.notificationTargets[0].targetRef', rule: 'unresolved_reference', message: 'names no AlertNotificationTarget (none declared), got "pager"' },
    ])
    expect(catalog.policies.get('fast-burn')?.value).toBeUndefined()
  })

  it('checks an SLI against the configured models only when models are given', () => {
    const sli = SERVED_SLI.replaceAll('booking-spam', 'no-such-model')
    const withModels = indexed(sli)
    checkReferencedObjects(withModels.issues, withModels.indexed, TEST_MODELS)
    expect(withModels.issues.errors.map((e) => e.rule)).toEqual(['unresolved_reference', 'unresolved_reference'])
    const without = indexed(sli)
    const catalog = checkReferencedObjects(without.issues, without.indexed, undefined)
    expect(without.issues.errors).toEqual([])
    expect(catalog.slis.get('served')?.value?.sli.kind).toBe('ratio')
  })
})

describe('checkWindow', () => {
  it('resolves a rolling window to seconds', () => {
    const { issues, indexed: index } = indexed(SLO('availability'))
    const { doc, spec } = sloOf(index, 'availability')
    expect(checkWindow(issues, doc, spec)).toEqual({ kind: 'rolling', seconds: 30 * 86_400 })
    expect(issues.errors).toEqual([])
  })

  it('reports both a calendar length it cannot count and an unknown time zone', () => {
    const { issues, indexed: index } = indexed(SLO('availability').replace('{ duration: 30d, isRolling: true }', '{ duration: 2w, calendar: { timeZone: Mars/Olympus } }'))
    const { doc, spec } = sloOf(index, 'availability')
    expect(checkWindow(issues, doc, spec)).toBeUndefined()
    expect(issues.errors.map((e) => [e.path, e.rule])).toEqual([
      ['documents[0].spec.timeWindow[0].duration', 'format'],
      ['documents[0].spec.timeWindow[0].calendar.timeZone', 'time_zone'],
    ])
  })
})

describe('checkObjectives', () => {
  it('requires op and value when the SLI is a threshold SLI, and Timeslices budgeting', () => {
    const { issues, indexed: index } = indexed(SLO('drift'))
    const { doc, spec } = sloOf(index, 'drift')
    const sli: ResolvedSli = { kind: 'threshold', name: 'drift-share', measure: { type: 'highway', model: 'booking-spam', measure: 'dataset_drift_share' }, source: { type: 'highway' } }
    expect(checkObjectives(issues, doc, spec, sli, { kind: 'rolling', seconds: 86_400 })).toBeUndefined()
    expect(issues.errors.map((e) => [e.path, e.rule])).toEqual([
      ['documents[0].spec.objectives[0].op', 'required'],
      ['documents[0].spec.objectives[0].value', 'required'],
      ['documents[0].spec.budgetingMethod', 'inconsistent'],
    ])
  })

  it('names objectives after their display names', () => {
    const { issues, indexed: index } = indexed(SLO('availability').replace('[{ target: 0.99 }]', '[{ target: 0.99, displayName: Most Requests }, { targetPercent: 99.9 }]'))
    const { doc, spec } = sloOf(index, 'availability')
    expect(checkObjectives(issues, doc, spec, RATIO_SLI, { kind: 'rolling', seconds: 86_400 })).toEqual([
      { name: 'most-requests', displayName: 'Most Requests', target: 0.99 },
      { name: 'objective-1', displayName: 'objective-1', target: 0.999 },
    ])
  })
})

describe('checkAlerting', () => {
  const policy: PolicyValue = {
    name: 'fast-burn',
    labels: {},
    annotations: {},
    condition: { name: 'page-fast', severity: 'page', op: 'gte', burnRate: 14.4, longWindowSeconds: 3_600, shortWindowSeconds: 300, alertAfterSeconds: 0, labels: {}, annotations: {} },
    alertWhenBreaching: true,
    alertWhenResolved: false,
    alertWhenNoData: false,
    notificationTargets: ['pager'],
  }
  // The policy as stage 2 would have checked it, declared in a document of its own.
  const policyDoc = splitYamlDocuments('policies.yaml', 'apiVersion: openslo/v1\nkind: AlertPolicy\n').documents[0]!
  const scope = { policies: new Map([['fast-burn', { doc: policyDoc, value: policy }]]), conditions: new Map(), targets: new Map() }

  it('turns a referenced policy into a page tier', () => {
    const { issues, indexed: index } = indexed(SLO('availability', '  alertPolicies: [fast-burn]\n'))
    const { doc, spec } = sloOf(index, 'availability')
    const alerting = checkAlerting(issues, scope, doc, spec, [{ name: 'objective-0', displayName: 'objective-0', target: 0.99 }], { kind: 'rolling', seconds: 30 * 86_400 })
    expect(issues.errors).toEqual([])
    expect(alerting?.pageTiers?.map((t) => [t.policy, t.burnRate, t.notificationTargets])).toEqual([['fast-burn', 14.4, ['pager']]])
    expect(alerting?.ticketTiers).toBeUndefined()
  })

  it('reports a burn rate that an objective can never reach', () => {
    const { issues, indexed: index } = indexed(SLO('availability', '  alertPolicies: [fast-burn]\n'))
    const { doc, spec } = sloOf(index, 'availability')
    expect(checkAlerting(issues, scope, doc, spec, [{ name: 'loose', displayName: 'loose', target: 0.9 }], undefined)).toBeUndefined()
    expect(brief(issues.errors)).toEqual([
      {
        path: 'documents[0].spec.alertPolicies[0]',
        rule: 'unreachable',
        message: 'AlertPolicy fast-burn fires at burn rate >= 14.4, which objective loose (target 90%) can never reach: at 100% errors its burn rate is 10',
      },
    ])
  })
})

describe('resolveSlo (stage 3)', () => {
  it('keeps the service name as its display name while no Service is declared', () => {
    const { issues, indexed: index } = indexed(SLO('availability'))
    const { doc, spec } = sloOf(index, 'availability')
    expect(resolveServiceDisplayName(issues, index.declared.Service, doc, spec)).toBe('booking')
    expect(issues.errors).toEqual([])
  })

  it('asks for an evaluation delay when the SLI needs labels', () => {
    const { issues, indexed: index } = indexed(SLO('accuracy'))
    const { doc, value } = sloOf(index, 'accuracy')
    checkSloSettings(issues, doc, value.metadata, { sli: RATIO_SLI, settings: {}, needsLabels: 'select correct' }, {}, { kind: 'rolling', seconds: 86_400 })
    expect(brief(issues.errors)).toEqual([
      {
        path: 'documents[0].metadata.annotations["highway.dev/evaluation-delay"]',
        rule: 'required',
        message: 'is required: SLI served needs labels (select correct); set it on the SLI or the SLO to how long labels take to arrive, e.g. "7d"',
      },
    ])
  })

  it('resolves an SLO against the catalog of stage 2', () => {
    const { issues, indexed: index } = indexed(`${SLO('availability')}---\n${SERVED_SLI}`)
    const catalog = checkReferencedObjects(issues, index, TEST_MODELS)
    const { doc, value } = sloOf(index, 'availability')
    const slo = resolveSlo(issues, { ...catalog, settingsOf: index.settingsOf, models: TEST_MODELS }, doc, value)
    expect(issues.errors).toEqual([])
    expect(slo).toMatchObject({ name: 'availability', service: 'booking', sli: RATIO_SLI, window: { kind: 'rolling', seconds: 30 * 86_400 }, minEvents: 1, evaluationDelaySeconds: 0 })
  })
})
