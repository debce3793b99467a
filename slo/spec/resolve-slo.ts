import { ANNOTATIONS, DEFAULT_MIN_EVENTS, DEFAULT_WILSON_CONFIDENCE } from './const.ts'
import { formatDurationSeconds } from './duration.ts'
import { describeValue } from './issues.ts'
import { checkAlerting } from './resolve-alerting.ts'
import type { Catalog } from './resolve-catalog.ts'
import { declaredNames, lookup, windowLength, type Declared, type IssueList, type Parsed, type Settings, type SliValue } from './resolve-context.ts'
import { checkObjectives } from './resolve-objectives.ts'
import { checkSli } from './resolve-sli.ts'
import { checkWindow } from './resolve-window.ts'
import type { Metadata, SloSpec } from './schema.ts'
import type { ResolvedSlo, ResolvedWindow, SpecModel } from './types.ts'
import type { SourceDocument } from './yaml-documents.ts'

/** What an SLO is resolved against: the checked objects it may name, the settings read from documents, the configured models. */
export interface SloScope extends Catalog {
  readonly settingsOf: ReadonlyMap<SourceDocument, Settings>
  readonly models: readonly SpecModel[] | undefined
}

/** The SLO's SLI: named by indicatorRef, or inline as indicator (not both; one of them unless objectives are composite). */
export function resolveIndicator(issues: IssueList, scope: SloScope, doc: SourceDocument, spec: SloSpec): SliValue | undefined {
  const composite = spec.objectives.some((o) => o.indicator !== undefined || o.indicatorRef !== undefined)
  if (spec.indicator !== undefined && spec.indicatorRef !== undefined) issues.add(doc, ['spec'], 'exclusive', 'give indicator or indicatorRef, not both')
  else if (spec.indicatorRef !== undefined) return lookup(issues, doc, ['spec', 'indicatorRef'], scope.slis, 'SLI', spec.indicatorRef)
  else if (spec.indicator !== undefined) return checkSli(issues, scope, doc, ['spec', 'indicator'], spec.indicator)
  // Composite objectives are refused, objective by objective, by checkObjectives.
  else if (!composite) issues.add(doc, ['spec', 'indicatorRef'], 'required', 'is required (the name of an SLI), or an inline indicator')
  return undefined
}

/** The display name of the SLO's service; once any Service is declared, the SLO must name one of them. */
export function resolveServiceDisplayName(issues: IssueList, services: Catalog['services'], doc: SourceDocument, spec: SloSpec): string {
  if (services.size === 0) return spec.service
  const service = services.get(spec.service)
  if (service === undefined) {
    issues.add(doc, ['spec', 'service'], 'unresolved_reference', `names no Service (${declaredNames(services)}): once a directory declares Services, every SLO must name one, got ${describeValue(spec.service)}`)
    return spec.service
  }
  return service.value?.metadata.displayName ?? spec.service
}

/** Checks Highway's settings of an SLO (its own, over its SLI's) against each other, the SLI and the window. */
export function checkSloSettings(issues: IssueList, doc: SourceDocument, metadata: Metadata, sliValue: SliValue | undefined, settings: Settings, window: ResolvedWindow | undefined): void {
  const delay = settings.evaluationDelaySeconds
  if (sliValue?.needsLabels !== undefined && delay === undefined) {
    issues.add(
      doc,
      ['metadata', 'annotations', ANNOTATIONS.evaluationDelay],
      'required',
      `is required: SLI ${sliValue.sli.name} needs labels (${sliValue.needsLabels}); set it on the SLI or the SLO to how long labels take to arrive, e.g. "7d"`,
    )
  }
  if (delay !== undefined && window !== undefined) {
    const length = windowLength(window)
    if (delay.value >= length.seconds) {
      issues.add(delay.doc, delay.path, 'inconsistent', `must be shorter than the window of SLO ${metadata.name} (${length.text}), got ${describeValue(formatDurationSeconds(delay.value))}`)
    }
  }
  if (settings.wilson?.value === true && sliValue?.sli.kind === 'threshold') {
    issues.add(settings.wilson.doc, settings.wilson.path, 'inconsistent', `applies to ratio SLIs only; ${sliValue.sli.name} (used by SLO ${metadata.name}) is a threshold SLI`)
  }
  if (settings.wilsonConfidence !== undefined && settings.wilson?.value !== true) {
    issues.add(settings.wilsonConfidence.doc, settings.wilsonConfidence.path, 'inconsistent', `has no effect unless ${ANNOTATIONS.wilson} is "true" (for SLO ${metadata.name})`)
  }
}

/**
 * Stage 3: resolves one SLO with everything it refers to (SLI, service, window, objectives, alert policies,
 * settings); undefined when any of it has a problem.
 */
export function resolveSlo(issues: IssueList, scope: SloScope, doc: SourceDocument, slo: Parsed<SloSpec>): ResolvedSlo | undefined {
  const { metadata, spec } = slo
  const before = issues.count
  const sliValue = resolveIndicator(issues, scope, doc, spec)
  const serviceDisplayName = resolveServiceDisplayName(issues, scope.services, doc, spec)
  const window = checkWindow(issues, doc, spec)
  const objectives = checkObjectives(issues, doc, spec, sliValue?.sli, window)
  const alerting = checkAlerting(issues, scope, doc, spec, objectives, window)
  // Highway settings: the SLO's annotations override the SLI's.
  const settings: Settings = { ...sliValue?.settings, ...scope.settingsOf.get(doc) }
  checkSloSettings(issues, doc, metadata, sliValue, settings, window)

  if (issues.count > before || sliValue === undefined || window === undefined || objectives === undefined || alerting === undefined) return undefined
  const labels: Record<string, readonly string[]> = {}
  for (const [key, value] of Object.entries(metadata.labels ?? {})) labels[key] = typeof value === 'string' ? [value] : value
  return {
    name: metadata.name,
    displayName: metadata.displayName ?? metadata.name,
    service: spec.service,
    serviceDisplayName,
    description: spec.description ?? '',
    labels,
    objectives,
    window,
    budgeting: spec.budgetingMethod,
    sli: sliValue.sli,
    evaluationDelaySeconds: settings.evaluationDelaySeconds?.value ?? 0,
    minEvents: settings.minEvents?.value ?? DEFAULT_MIN_EVENTS,
    ...(settings.wilson?.value === true ? { wilson: { confidence: settings.wilsonConfidence?.value ?? DEFAULT_WILSON_CONFIDENCE } } : {}),
    ...(settings.unfreezeAbove === undefined ? {} : { unfreezeAbove: settings.unfreezeAbove.value }),
    alerting,
    file: doc.file,
  }
}

/** Stage 4: the resolved SLOs, in declaration order; an SLO with any problem (its own or its references') is left out. */
export function resolveSlos(issues: IssueList, scope: SloScope, slos: ReadonlyMap<string, Declared<Parsed<SloSpec>>>): ResolvedSlo[] {
  const specs: ResolvedSlo[] = []
  for (const [, { doc, value }] of slos) {
    if (value === undefined) continue
    const before = issues.count
    const resolved = resolveSlo(issues, scope, doc, value)
    if (resolved !== undefined && issues.count === before) specs.push(resolved)
  }
  return specs
}
