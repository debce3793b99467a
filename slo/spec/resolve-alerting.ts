import { ANNOTATIONS, SHORT_WINDOW_DIVISOR } from './const.ts'
import { formatDurationSeconds, parseFixedDuration } from './duration.ts'
import { describeValue, issuesFromZod, type PathSegment } from './issues.ts'
import { checkAnnotationKeys } from './resolve-annotations.ts'
import {
  alertAnnotations,
  alertLabels,
  lookup,
  referenceOrInline,
  windowLength,
  type ConditionValue,
  type Declared,
  type IssueList,
  type Parsed,
  type PolicyValue,
} from './resolve-context.ts'
import {
  alertConditionSpecSchema,
  alertNotificationTargetSpecSchema,
  alertPolicySpecSchema,
  inlineObjectSchema,
  objectNameSchema,
  type AlertConditionSpec,
  type AlertPolicySpec,
  type SloSpec,
} from './schema.ts'
import type { BurnRateTier, ResolvedAlerting, ResolvedObjective, ResolvedWindow } from './types.ts'
import type { SourceDocument } from './yaml-documents.ts'

const inlineConditionSchema = inlineObjectSchema('AlertCondition', alertConditionSpecSchema)
const inlineTargetSchema = inlineObjectSchema('AlertNotificationTarget', alertNotificationTargetSpecSchema)
const inlinePolicySchema = inlineObjectSchema('AlertPolicy', alertPolicySpecSchema)

/** The declared conditions and notification targets an AlertPolicy may name. */
export interface PolicyScope {
  readonly conditions: ReadonlyMap<string, Declared<ConditionValue>>
  readonly targets: ReadonlyMap<string, Declared<string>>
}

/** The declared policies an SLO may name, and what an inline policy may name. */
export interface AlertingScope extends PolicyScope {
  readonly policies: ReadonlyMap<string, Declared<PolicyValue>>
}

/**
 * Checks an AlertCondition declared at `base` (`[]` for a document of its own): the short window, from its
 * annotation or lookbackWindow / 12 (at least a minute).
 */
export function checkCondition(issues: IssueList, doc: SourceDocument, base: readonly PathSegment[], condition: Parsed<AlertConditionSpec>): ConditionValue | undefined {
  const { op, threshold, lookbackWindow, alertAfter } = condition.spec.condition
  const annotations = condition.metadata.annotations
  // A document's own annotation keys were checked when it was indexed; an inline one's are checked here.
  if (base.length > 0) checkAnnotationKeys(issues, doc, [...base, 'metadata'], annotations, 'AlertCondition')
  let shortSeconds = Math.max(60, Math.round(lookbackWindow / SHORT_WINDOW_DIVISOR))
  const shortText = annotations?.[ANNOTATIONS.shortWindow]
  if (shortText !== undefined) {
    const shortPath = [...base, 'metadata', 'annotations', ANNOTATIONS.shortWindow]
    const short = parseFixedDuration(shortText)
    if (!short.ok) {
      issues.add(doc, shortPath, 'format', `${short.message}, got ${describeValue(shortText)}`)
      return undefined
    }
    if (short.seconds >= lookbackWindow) {
      issues.add(doc, shortPath, 'inconsistent', `must be shorter than the lookbackWindow (${formatDurationSeconds(lookbackWindow)}), got ${describeValue(shortText)}`)
      return undefined
    }
    shortSeconds = short.seconds
  }
  return {
    name: condition.metadata.name,
    severity: condition.spec.severity,
    op,
    burnRate: threshold,
    longWindowSeconds: lookbackWindow,
    shortWindowSeconds: shortSeconds,
    alertAfterSeconds: alertAfter ?? 0,
    labels: alertLabels(condition.metadata.labels),
    annotations: { ...(condition.spec.description === undefined ? {} : { description: condition.spec.description }), ...alertAnnotations(annotations) },
  }
}

/** Checks an AlertPolicy declared at `base` (`[]` for a document of its own), resolving its condition and notification targets. */
export function checkPolicy(issues: IssueList, scope: PolicyScope, doc: SourceDocument, base: readonly PathSegment[], policy: Parsed<AlertPolicySpec>): PolicyValue | undefined {
  const before = issues.count
  if (base.length > 0) checkAnnotationKeys(issues, doc, [...base, 'metadata'], policy.metadata.annotations, 'AlertPolicy')
  const conditionPath = [...base, 'spec', 'conditions', 0]
  const item = referenceOrInline(issues, doc, conditionPath, policy.spec.conditions[0], 'conditionRef', 'AlertCondition', inlineConditionSchema)
  let condition: ConditionValue | undefined
  if (item !== undefined && 'ref' in item) condition = lookup(issues, doc, [...conditionPath, 'conditionRef'], scope.conditions, 'AlertCondition', item.ref)
  else if (item !== undefined) condition = checkCondition(issues, doc, conditionPath, item.inline)
  const targetNames: string[] = []
  policy.spec.notificationTargets.forEach((target, i) => {
    const path = [...base, 'spec', 'notificationTargets', i]
    const parsed = referenceOrInline(issues, doc, path, target, 'targetRef', 'AlertNotificationTarget', inlineTargetSchema)
    if (parsed === undefined) return
    if ('ref' in parsed) {
      const name = lookup(issues, doc, [...path, 'targetRef'], scope.targets, 'AlertNotificationTarget', parsed.ref)
      if (name !== undefined) targetNames.push(name)
    } else {
      checkAnnotationKeys(issues, doc, [...path, 'metadata'], parsed.inline.metadata.annotations, 'AlertNotificationTarget')
      targetNames.push(parsed.inline.metadata.name)
    }
  })
  if (condition === undefined || issues.count > before) return undefined
  return {
    name: policy.metadata.name,
    ...(policy.metadata.displayName === undefined ? {} : { displayName: policy.metadata.displayName }),
    labels: alertLabels(policy.metadata.labels),
    annotations: { ...(policy.spec.description === undefined ? {} : { description: policy.spec.description }), ...alertAnnotations(policy.metadata.annotations) },
    condition,
    // OpenSLO leaves these to implementations; a policy that never fires on a breach would be pointless.
    alertWhenBreaching: policy.spec.alertWhenBreaching ?? true,
    alertWhenResolved: policy.spec.alertWhenResolved ?? false,
    alertWhenNoData: policy.spec.alertWhenNoData ?? false,
    notificationTargets: targetNames,
  }
}

/** One burn-rate tier from a policy: the condition's own labels and annotations refine the policy's. */
function tierOf(policy: PolicyValue): BurnRateTier {
  const condition = policy.condition
  return {
    policy: policy.name,
    condition: condition.name,
    severity: condition.severity,
    op: condition.op,
    burnRate: condition.burnRate,
    longWindowSeconds: condition.longWindowSeconds,
    shortWindowSeconds: condition.shortWindowSeconds,
    alertAfterSeconds: condition.alertAfterSeconds,
    alertWhenBreaching: policy.alertWhenBreaching,
    alertWhenResolved: policy.alertWhenResolved,
    alertWhenNoData: policy.alertWhenNoData,
    notificationTargets: policy.notificationTargets,
    ...(policy.displayName === undefined ? {} : { policyDisplayName: policy.displayName }),
    alertLabels: { ...policy.labels, ...condition.labels },
    alertAnnotations: { ...policy.annotations, ...condition.annotations },
  }
}

/** Reports a policy that looks back as far as the SLO window, or fires at a burn rate an objective can never reach. */
function checkPolicyFits(issues: IssueList, doc: SourceDocument, path: readonly PathSegment[], policy: PolicyValue, objectives: readonly ResolvedObjective[] | undefined, window: ResolvedWindow | undefined): void {
  const condition = policy.condition
  if (window !== undefined) {
    const length = windowLength(window)
    if (condition.longWindowSeconds >= length.seconds) {
      issues.add(doc, path, 'inconsistent', `AlertPolicy ${policy.name} looks back ${formatDurationSeconds(condition.longWindowSeconds)}, which must be shorter than the SLO window (${length.text})`)
    }
  }
  for (const objective of objectives ?? []) {
    // The error ratio is at most 1, so the burn rate (error ratio / (1 - target)) is at most 1 / (1 - target).
    const ceiling = 1 / (1 - objective.target)
    const unreachable = condition.op === 'gte' ? condition.burnRate > ceiling * (1 + 1e-9) : condition.burnRate >= ceiling * (1 - 1e-9)
    if (unreachable) {
      issues.add(
        doc,
        path,
        'unreachable',
        `AlertPolicy ${policy.name} fires at burn rate ${condition.op === 'gte' ? '>=' : '>'} ${condition.burnRate}, which objective ${objective.name} (target ${percent(objective.target)}) can never reach: at 100% errors its burn rate is ${Number(ceiling.toPrecision(6))}`,
      )
    }
  }
}

function percent(target: number): string {
  return `${Number((target * 100).toPrecision(12))}%`
}

/**
 * Resolves an SLO's `alertPolicies` (names, references or inline policies) into burn-rate tiers by severity,
 * checked against the SLO's window and objectives (either undefined when they have problems of their own).
 */
export function checkAlerting(
  issues: IssueList,
  scope: AlertingScope,
  doc: SourceDocument,
  spec: SloSpec,
  objectives: readonly ResolvedObjective[] | undefined,
  window: ResolvedWindow | undefined,
): ResolvedAlerting | undefined {
  const before = issues.count
  const tiers: BurnRateTier[] = []
  const seen = new Map<string, number>()
  ;(spec.alertPolicies ?? []).forEach((item, i) => {
    const path: PathSegment[] = ['spec', 'alertPolicies', i]
    let policy: PolicyValue | undefined
    // The v1 JSON schema lists policies as plain names; the README and go-sdk write {alertPolicyRef: name}.
    const parsed = typeof item === 'string' ? { ref: item } : referenceOrInline(issues, doc, path, item, 'alertPolicyRef', 'AlertPolicy', inlinePolicySchema)
    if (parsed === undefined) return
    if ('ref' in parsed) {
      const refPath = typeof item === 'string' ? path : [...path, 'alertPolicyRef']
      const name = objectNameSchema.safeParse(parsed.ref)
      if (!name.success) {
        issues.addAll(doc, refPath, issuesFromZod(name.error.issues, parsed.ref))
        return
      }
      const previous = seen.get(parsed.ref)
      if (previous !== undefined) {
        issues.add(doc, refPath, 'duplicate_name', `lists AlertPolicy ${parsed.ref} again (already alertPolicies[${previous}])`)
        return
      }
      seen.set(parsed.ref, i)
      policy = lookup(issues, doc, refPath, scope.policies, 'AlertPolicy', parsed.ref)
    } else policy = checkPolicy(issues, scope, doc, path, parsed.inline)
    if (policy === undefined) return
    checkPolicyFits(issues, doc, path, policy, objectives, window)
    tiers.push(tierOf(policy))
  })
  if (issues.count > before) return undefined
  const page = tiers.filter((t) => t.severity === 'page')
  const ticket = tiers.filter((t) => t.severity === 'ticket')
  return { ...(page.length > 0 ? { pageTiers: page } : {}), ...(ticket.length > 0 ? { ticketTiers: ticket } : {}) }
}
