import { z } from 'zod'
import type { SloStatus } from '../slo/index.ts'
import type { Condition, ModelRule, Severity } from '../config/index.ts'
import { fingerprintOf } from './fingerprint.ts'
import type { HoldTimes, Observation } from './state.ts'

/**
 * Rule sources, pure: each turns what another component computed (SLO statuses, the analyzer's saved results)
 * into observations, one per label set, each with the hold times of its rule. An observation with
 * `active: false` tells the evaluator the condition was checked and is false; a label set absent from a tick is
 * treated the same way (its rule no longer produces it).
 */

/** One observation and the hold times of the rule that made it. */
export interface RuleObservation {
  readonly rule: string
  readonly hold: HoldTimes
  readonly observation: Observation
}

/** Every alert Highway raises carries these labels; `source` tells them from alerts Alertmanager sends in. */
export const SOURCE_LABEL = 'highway'

/** The alert name of an SLO's burn-rate tiers. */
export const SLO_ALERT_NAME = 'SloErrorBudgetBurn'

const SEVERITIES: readonly Severity[] = ['page', 'ticket', 'info']
const severityOf = (s: string): Severity => (SEVERITIES.includes(s as Severity) ? (s as Severity) : 'info')

function observation(labels: Record<string, string>, annotations: Record<string, string>, active: boolean, value: number | null): Observation {
  return { fingerprint: fingerprintOf(labels), labels, annotations, active, value }
}

/**
 * The multiwindow burn-rate tiers of each SLO (`SloStatus.alerts`), one alert per SLO and severity: active when
 * any tier of that severity fires (both its long and short windows burn faster than its factor, SRE workbook
 * ch. 5). The value is the fastest long-window burn rate among the firing tiers.
 */
export function sloObservations(statuses: readonly SloStatus[], sloFor: Readonly<Record<'page' | 'ticket', number>>): RuleObservation[] {
  const out: RuleObservation[] = []
  for (const s of statuses) {
    const bySeverity = new Map<Severity, Array<SloStatus['alerts'][number]>>()
    for (const tier of s.alerts) {
      const sev = severityOf(tier.severity)
      bySeverity.set(sev, [...(bySeverity.get(sev) ?? []), tier])
    }
    for (const [severity, tiers] of bySeverity) {
      const firing = tiers.filter((t) => t.firing)
      const rates = firing.map((t) => s.burn_rates[t.long_window]).filter((r): r is number => typeof r === 'number')
      const value = rates.length > 0 ? Math.max(...rates) : null
      const labels: Record<string, string> = { alertname: SLO_ALERT_NAME, severity, slo: s.name, model: s.model, service: s.service, source: SOURCE_LABEL }
      const windows = (firing.length > 0 ? firing : tiers).map((t) => `${t.long_window}/${t.short_window} above ${t.factor}x`).join(', ')
      const annotations = {
        summary: `SLO ${s.name} is burning its error budget (${severity})`,
        description: `Burn rate over ${windows}; ${(s.error_budget.remaining * 100).toFixed(1)}% of the budget remains.`,
      }
      const forSeconds = severity === 'page' || severity === 'ticket' ? sloFor[severity] : 0
      out.push({ rule: `${SLO_ALERT_NAME}:${s.name}:${severity}`, hold: { forSeconds, keepFiringForSeconds: 0 }, observation: observation(labels, annotations, firing.length > 0, value) })
    }
  }
  return out
}

/** The newest saved result of one analyzer job for one model, as the alerts component reads it. */
export interface SavedAnalysis {
  readonly computedAtMs: number
  readonly toMs: number
  readonly result: unknown
}

/** The port model-health rules read through: the composition root implements it over the store. */
export interface AnalysisResultsPort {
  /** The newest saved result of `job` (`drift`, `quality`, `performance`) for `model` computed at or before `nowMs`, or null. */
  latest(job: 'drift' | 'quality' | 'performance', model: string, nowMs: number): Promise<SavedAnalysis | null>
}

// Only the fields the conditions read, loosely: the analyzer may add fields without breaking alerts.
const driftShape = z.looseObject({
  dataset: z.looseObject({ drift_share: z.number(), drifted: z.boolean() }),
  features: z.array(z.looseObject({ feature: z.string(), drifted: z.boolean(), statistic: z.number().nullable().optional() })),
})
const qualityShape = z.looseObject({
  rows: z.number(),
  quarantined: z.number(),
  label_coverage: z.number().nullable().optional(),
  features: z.array(
    z.looseObject({ feature: z.string(), missing_share: z.number(), out_of_range_share: z.number(), type_error_share: z.number(), unseen_category_share: z.number() }),
  ),
})
const performanceShape = z.looseObject({
  label_coverage: z.number().nullable().optional(),
  realised: z.record(z.string(), z.number().nullable()),
  estimated: z.record(z.string(), z.looseObject({ value: z.number() }).nullable()),
})

/** The job whose saved results a condition reads. */
export function jobOf(condition: Condition): 'drift' | 'quality' | 'performance' {
  switch (condition.kind) {
    case 'dataset_drift':
    case 'feature_drift':
      return 'drift'
    case 'quality':
      return 'quality'
    case 'performance':
    case 'label_coverage':
      return 'performance'
  }
}

/**
 * The observations of one model-health rule on the newest saved result of its job. A missing or unreadable result
 * yields none: the evaluator then resolves what the rule had raised, as Prometheus does when a series disappears.
 */
export function modelRuleObservations(rule: ModelRule, saved: SavedAnalysis | null): RuleObservation[] {
  const hold: HoldTimes = { forSeconds: rule.for, keepFiringForSeconds: rule.keepFiringFor }
  const base: Record<string, string> = { ...rule.labels, alertname: rule.name, severity: rule.severity, model: rule.model, source: SOURCE_LABEL }
  const annotations: Record<string, string> = Object.fromEntries(Object.entries(rule.annotations).filter((e): e is [string, string] => typeof e[1] === 'string'))
  const make = (extra: Record<string, string>, active: boolean, value: number | null): RuleObservation => ({
    rule: rule.name,
    hold,
    observation: observation({ ...base, ...extra }, annotations, active, value),
  })
  if (!saved) return []
  const c = rule.condition
  switch (c.kind) {
    case 'dataset_drift': {
      const r = driftShape.safeParse(saved.result)
      return r.success ? [make({}, r.data.dataset.drifted, r.data.dataset.drift_share)] : []
    }
    case 'feature_drift': {
      const r = driftShape.safeParse(saved.result)
      if (!r.success) return []
      return c.features.map((f) => {
        const col = r.data.features.find((x) => x.feature === f)
        return make({ feature: f }, col?.drifted ?? false, col?.statistic ?? null)
      })
    }
    case 'quality': {
      const r = qualityShape.safeParse(saved.result)
      if (!r.success) return []
      if (c.check === 'quarantine') {
        const received = r.data.rows + r.data.quarantined
        const share = received === 0 ? 0 : r.data.quarantined / received
        return [make({ check: c.check }, share > c.above, share)]
      }
      const key = ({ missing: 'missing_share', out_of_range: 'out_of_range_share', unseen_category: 'unseen_category_share', type_error: 'type_error_share' } as const)[c.check]
      const features = c.features ? r.data.features.filter((f) => c.features!.includes(f.feature)) : r.data.features
      return features.map((f) => make({ check: c.check, feature: f.feature }, f[key] > c.above, f[key]))
    }
    case 'performance': {
      const r = performanceShape.safeParse(saved.result)
      if (!r.success) return []
      const value = c.source === 'realised' ? (r.data.realised[c.metric] ?? null) : (r.data.estimated[c.metric]?.value ?? null)
      // No figure (too few labels for a realised metric) is not a breach: the rule says nothing this window.
      return value === null ? [] : [make({ metric: c.metric, performance_source: c.source }, value < c.below, value)]
    }
    case 'label_coverage': {
      const r = performanceShape.safeParse(saved.result)
      const coverage = r.success ? (r.data.label_coverage ?? null) : null
      return coverage === null ? [] : [make({}, coverage < c.below, coverage)]
    }
  }
}
