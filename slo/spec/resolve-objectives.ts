import { formatDurationSeconds } from './duration.ts'
import { describeValue, type PathSegment } from './issues.ts'
import { windowLength, type IssueList } from './resolve-context.ts'
import type { ObjectiveSpec, SloSpec } from './schema.ts'
import { measureValueRange } from './source-spec.ts'
import type { BudgetingMethod, ResolvedObjective, ResolvedSli, ResolvedWindow } from './types.ts'
import type { SourceDocument } from './yaml-documents.ts'

/** Where the problems of one objective go: `spec.objectives[i]` of an SLO document. */
interface ObjectiveAt {
  readonly issues: IssueList
  readonly doc: SourceDocument
  readonly at: (...path: PathSegment[]) => PathSegment[]
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** The objective's target as a ratio, from target or targetPercent (exactly one of them). */
function objectiveTarget({ issues, doc, at }: ObjectiveAt, objective: ObjectiveSpec): number | undefined {
  if (objective.target !== undefined && objective.targetPercent !== undefined) issues.add(doc, at(), 'exclusive', 'give target or targetPercent, not both')
  else if (objective.target === undefined && objective.targetPercent === undefined) issues.add(doc, at('target'), 'required', 'is required (a number in (0, 1)), or targetPercent (in (0, 100))')
  else return objective.target ?? Number(((objective.targetPercent ?? 0) / 100).toPrecision(12))
  return undefined
}

/** The objective's time slice in seconds, when the budgeting method slices time; reports fields the method forbids or needs. */
function objectiveSlice({ issues, doc, at }: ObjectiveAt, objective: ObjectiveSpec, budgeting: BudgetingMethod, window: ResolvedWindow | undefined): number | undefined {
  if (budgeting === 'Timeslices' && objective.timeSliceTarget === undefined) {
    issues.add(doc, at('timeSliceTarget'), 'required', 'is required with budgetingMethod Timeslices (a number in (0, 1]: the good ratio that makes a slice good)')
  }
  if (budgeting !== 'Timeslices' && objective.timeSliceTarget !== undefined) {
    issues.add(doc, at('timeSliceTarget'), 'forbidden', `only applies with budgetingMethod Timeslices, got ${budgeting}`)
  }
  if (budgeting !== 'Occurrences' && objective.timeSliceWindow === undefined) {
    issues.add(doc, at('timeSliceWindow'), 'required', `is required with budgetingMethod ${budgeting} (a duration such as 5m, or a number of minutes)`)
  }
  if (budgeting === 'Occurrences' && objective.timeSliceWindow !== undefined) {
    issues.add(doc, at('timeSliceWindow'), 'forbidden', 'only applies with budgetingMethod Timeslices or RatioTimeslices, got Occurrences')
  }
  const sliceSeconds = budgeting === 'Occurrences' ? undefined : objective.timeSliceWindow
  if (sliceSeconds !== undefined && window !== undefined) {
    const length = windowLength(window)
    if (sliceSeconds >= length.seconds) {
      issues.add(doc, at('timeSliceWindow'), 'inconsistent', `must be shorter than the SLO window (${length.text}), got ${describeValue(formatDurationSeconds(sliceSeconds))}`)
    }
  }
  return sliceSeconds
}

/** Reports op and value given to a ratio SLI, or missing (or out of the measure's range) for a threshold SLI. */
function checkComparison({ issues, doc, at }: ObjectiveAt, objective: ObjectiveSpec, sli: ResolvedSli | undefined): void {
  if (sli?.kind === 'ratio') {
    for (const key of ['op', 'value'] as const) {
      if (objective[key] !== undefined) issues.add(doc, at(key), 'forbidden', `only applies to threshold SLIs; ${sli.name} is a ratio SLI, got ${describeValue(objective[key])}`)
    }
  }
  if (sli?.kind === 'threshold') {
    if (objective.op === undefined) issues.add(doc, at('op'), 'required', 'is required with a threshold SLI: one of lte, gte, lt, gt (a slice is good when measure op value)')
    if (objective.value === undefined) issues.add(doc, at('value'), 'required', 'is required with a threshold SLI (the value the measure is compared with)')
    else {
      const range = measureValueRange(sli.measure)
      if (range !== undefined && !range.test(objective.value)) {
        const measure = sli.measure.type === 'highway' ? sli.measure.measure : sli.measure.type
        issues.add(doc, at('value'), 'range', `must be ${range.expected} for ${measure}, got ${describeValue(objective.value)}`)
      }
    }
  }
}

/**
 * Checks an SLO's objectives against its budgeting method, its SLI and its window (either undefined when it has
 * problems of its own), and names each objective after its display name.
 */
export function checkObjectives(issues: IssueList, doc: SourceDocument, spec: SloSpec, sli: ResolvedSli | undefined, window: ResolvedWindow | undefined): ResolvedObjective[] | undefined {
  const before = issues.count
  const budgeting = spec.budgetingMethod
  const out: ResolvedObjective[] = []
  const names = new Map<string, number>()
  spec.objectives.forEach((objective: ObjectiveSpec, i) => {
    const where: ObjectiveAt = { issues, doc, at: (...path) => ['spec', 'objectives', i, ...path] }
    for (const key of ['indicator', 'indicatorRef', 'compositeWeight'] as const) {
      if (objective[key] !== undefined) {
        issues.add(doc, where.at(key), 'unsupported', 'composite SLOs (objectives with their own indicator) are not supported: write one SLO per indicator')
      }
    }
    const target = objectiveTarget(where, objective)
    const sliceSeconds = objectiveSlice(where, objective, budgeting, window)
    checkComparison(where, objective, sli)

    const name = objective.displayName === undefined || slug(objective.displayName) === '' ? `objective-${i}` : slug(objective.displayName)
    const clash = names.get(name)
    if (clash !== undefined) issues.add(doc, where.at('displayName'), 'duplicate_name', `names the same objective as objectives[${clash}] ("${name}"): display names must differ`)
    names.set(name, i)
    if (target === undefined) return
    out.push({
      name,
      displayName: objective.displayName ?? name,
      target,
      ...(sli?.kind === 'threshold' && objective.op !== undefined ? { op: objective.op } : {}),
      ...(sli?.kind === 'threshold' && objective.value !== undefined ? { value: objective.value } : {}),
      ...(budgeting === 'Timeslices' && objective.timeSliceTarget !== undefined ? { timeSliceTarget: objective.timeSliceTarget } : {}),
      ...(sliceSeconds !== undefined ? { timeSliceWindowSeconds: sliceSeconds } : {}),
    })
  })
  if (sli?.kind === 'threshold') {
    if (spec.objectives.length > 1) {
      issues.add(doc, ['spec', 'objectives'], 'range', `must list one objective with a threshold SLI (OpenSLO: "only one Threshold can be defined"), got ${spec.objectives.length} items`)
    }
    if (budgeting !== 'Timeslices') {
      issues.add(doc, ['spec', 'budgetingMethod'], 'inconsistent', `must be Timeslices with a threshold SLI (each slice is good when measure op value), got ${describeValue(budgeting)}`)
    }
  }
  return issues.count > before ? undefined : out
}
