import type { Cause, CauseKind } from './types.ts'

// Probable causes of an incident, ranked, pure. Each kind scores in 0..1 from figures the other components saved;
// the figures go out as the cause's evidence, so an on-call engineer can check the ranking rather than trust it.
// Weights are judgement, kept here as data: a change to what serves, close before the onset, is the most common
// trigger of a model incident (Google SRE Workbook, ch. 9: "most outages are caused by changes"); drift of a
// feature the model leans on comes next; data-quality breaks, quarantine spikes and label delay follow.

/** How far before the onset a change or a break still counts (default one hour). */
export const DEFAULT_LOOKBACK_MS = 60 * 60 * 1000

/** Audit actions that change what a model serves. */
const RELEASE_ACTIONS = new Set(['release', 'promote', 'advance', 'register-and-release'])
const ALIAS_ACTIONS = new Set(['alias', 'rollback', 'set-alias'])

/** A change to a model, from the audit trail. */
export interface ChangeFact {
  readonly atMs: number
  readonly component: string
  readonly action: string
  readonly model: string
  readonly target: string
  readonly actor: string
  readonly outcome: string
}

/** One feature's drift in one saved drift result (the analyzer's DriftColumnResult, loosely). */
export interface DriftFeatureFact {
  readonly feature: string
  readonly statistic: number | null
  readonly p_value: number | null
  readonly threshold: number
  readonly drifted: boolean
}

/** A saved drift result of a model. */
export interface DriftFact {
  readonly model: string
  readonly toMs: number
  readonly features: readonly DriftFeatureFact[]
}

/** A saved data-quality result of a model. */
export interface QualityFact {
  readonly model: string
  readonly toMs: number
  readonly rows: number
  readonly quarantined: number
  readonly features: ReadonlyArray<{ readonly feature: string; readonly missing_share: number; readonly out_of_range_share: number; readonly type_error_share: number; readonly unseen_category_share: number }>
}

/** A saved performance result's label coverage. */
export interface LabelFact {
  readonly model: string
  readonly toMs: number
  readonly labelCoverage: number | null
}

/** Everything the ranking reads. */
export interface CauseInput {
  readonly onsetMs: number
  readonly lookbackMs?: number
  readonly changes: readonly ChangeFact[]
  readonly drift: readonly DriftFact[]
  /** Permutation importance per model and feature (the champion's training metrics); absent when unknown. */
  readonly importance: Readonly<Record<string, Readonly<Record<string, number>> | null>>
  readonly quality: readonly QualityFact[]
  readonly labels: readonly LabelFact[]
}

/** Shares below this are noise, not a break. */
const SHARE_FLOOR = 0.01
/** A quality share at which the data-quality score saturates. */
const QUALITY_SATURATION = 0.2
/** A quarantine share increase at which the spike score saturates. */
const SPIKE_SATURATION = 0.1
/** Label coverage below which label delay is a candidate. */
const LABEL_COVERAGE_FLOOR = 0.5
/** What importance counts as when the registry has none for the model: neither high nor low. */
const UNKNOWN_IMPORTANCE_SHARE = 0.5

const KIND_ORDER: readonly CauseKind[] = ['release', 'alias_change', 'feature_drift', 'data_quality', 'quarantine_spike', 'label_delay']
const round = (x: number): number => Math.round(x * 10_000) / 10_000
const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 1)

/**
 * How strongly one column drifted, 0..1: 1 − p for a test with a p-value, the statistic over its threshold for a
 * distance (1 at and above the threshold), 1 for an infinite statistic (null with a p-value of 0).
 */
export function driftScoreOf(f: DriftFeatureFact): number {
  if (f.p_value !== null) return clamp01(1 - f.p_value)
  if (f.statistic === null) return 1
  return f.threshold > 0 ? clamp01(f.statistic / f.threshold) : f.statistic > 0 ? 1 : 0
}

function changeCauses(input: CauseInput, lookbackMs: number): Cause[] {
  const out: Cause[] = []
  for (const c of input.changes) {
    if (c.outcome !== 'done' || c.component === 'http') continue
    const kind: CauseKind | null = RELEASE_ACTIONS.has(c.action) ? 'release' : ALIAS_ACTIONS.has(c.action) ? 'alias_change' : null
    if (!kind) continue
    const beforeMs = input.onsetMs - c.atMs
    if (beforeMs < 0 || beforeMs > lookbackMs) continue
    // 1 at the onset, 0.5 at the edge of the lookback: any change in the window outranks a weak signal elsewhere.
    const score = 0.5 + 0.5 * (1 - beforeMs / lookbackMs)
    out.push({
      kind,
      ref: `${c.model}@${c.target || '?'}`,
      score: round(score),
      evidence: { model: c.model, action: c.action, component: c.component, target: c.target, actor: c.actor, at: new Date(c.atMs).toISOString(), minutes_before_onset: round(beforeMs / 60_000) },
    })
  }
  return out
}

function driftCauses(input: CauseInput, lookbackMs: number): Cause[] {
  const best = new Map<string, { model: string; f: DriftFeatureFact; drift: number; toMs: number }>()
  for (const d of input.drift) {
    if (Math.abs(d.toMs - input.onsetMs) > lookbackMs) continue
    for (const f of d.features) {
      if (!f.drifted) continue
      const key = `${d.model}/${f.feature}`
      const drift = driftScoreOf(f)
      const had = best.get(key)
      if (!had || drift > had.drift) best.set(key, { model: d.model, f, drift, toMs: d.toMs })
    }
  }
  const out: Cause[] = []
  for (const [ref, b] of best) {
    const imp = input.importance[b.model] ?? null
    const positive = imp ? Object.values(imp).map((v) => Math.max(0, v)) : []
    const top = positive.length > 0 ? Math.max(...positive) : 0
    const importance = imp ? (imp[b.f.feature] ?? null) : null
    // Importance relative to the model's most important feature; unknown when training stored none.
    const share = imp === null || top <= 0 ? UNKNOWN_IMPORTANCE_SHARE : Math.max(0, importance ?? 0) / top
    out.push({
      kind: 'feature_drift',
      ref,
      score: round(b.drift * share),
      evidence: {
        model: b.model,
        feature: b.f.feature,
        drift_score: round(b.drift),
        statistic: b.f.statistic,
        p_value: b.f.p_value,
        threshold: b.f.threshold,
        importance,
        importance_share: imp === null ? null : round(share),
        window_to: new Date(b.toMs).toISOString(),
      },
    })
  }
  return out
}

const CHECKS = [
  ['missing', 'missing_share'],
  ['out_of_range', 'out_of_range_share'],
  ['type_error', 'type_error_share'],
  ['unseen_category', 'unseen_category_share'],
] as const

function qualityCauses(input: CauseInput, lookbackMs: number): Cause[] {
  const out: Cause[] = []
  const during = input.quality.filter((q) => Math.abs(q.toMs - input.onsetMs) <= lookbackMs)
  const worst = new Map<string, { model: string; feature: string; check: string; share: number; toMs: number }>()
  for (const q of during) {
    for (const f of q.features) {
      for (const [check, field] of CHECKS) {
        const share = f[field]
        if (!(share > SHARE_FLOOR)) continue
        const key = `${q.model}/${f.feature}/${check}`
        if ((worst.get(key)?.share ?? -1) < share) worst.set(key, { model: q.model, feature: f.feature, check, share, toMs: q.toMs })
      }
    }
  }
  for (const [ref, w] of worst) {
    out.push({ kind: 'data_quality', ref, score: round(0.8 * clamp01(w.share / QUALITY_SATURATION)), evidence: { model: w.model, feature: w.feature, check: w.check, share: round(w.share), window_to: new Date(w.toMs).toISOString() } })
  }
  // A quarantine spike: the share of quarantined records around the onset against the day before the lookback.
  const models = new Set(input.quality.map((q) => q.model))
  const shareOf = (q: QualityFact): number => (q.rows + q.quarantined === 0 ? 0 : q.quarantined / (q.rows + q.quarantined))
  for (const model of models) {
    const now = during.filter((q) => q.model === model)
    if (now.length === 0) continue
    const before = input.quality.filter((q) => q.model === model && q.toMs < input.onsetMs - lookbackMs && q.toMs >= input.onsetMs - lookbackMs - 24 * 3600_000)
    const peak = now.reduce((a, q) => (shareOf(q) > shareOf(a) ? q : a))
    const shareNow = shareOf(peak)
    const shareBefore = before.length === 0 ? 0 : before.reduce((s, q) => s + shareOf(q), 0) / before.length
    const spike = shareNow - shareBefore
    if (shareNow <= SHARE_FLOOR || spike <= SHARE_FLOOR) continue
    out.push({
      kind: 'quarantine_spike',
      ref: model,
      score: round(0.8 * clamp01(spike / SPIKE_SATURATION)),
      evidence: { model, share_during: round(shareNow), share_before: round(shareBefore), quarantined: peak.quarantined, rows: peak.rows, baseline_windows: before.length, window_to: new Date(peak.toMs).toISOString() },
    })
  }
  return out
}

function labelCauses(input: CauseInput, lookbackMs: number): Cause[] {
  const lowest = new Map<string, LabelFact>()
  for (const l of input.labels) {
    if (l.labelCoverage === null || Math.abs(l.toMs - input.onsetMs) > lookbackMs) continue
    const had = lowest.get(l.model)
    if (!had || (had.labelCoverage ?? 1) > l.labelCoverage) lowest.set(l.model, l)
  }
  const out: Cause[] = []
  for (const [model, l] of lowest) {
    const coverage = l.labelCoverage ?? 1
    if (coverage >= LABEL_COVERAGE_FLOOR) continue
    // Late labels make realised performance (and SLOs on it) look worse than it is: a cause of the alert, not the model.
    out.push({ kind: 'label_delay', ref: model, score: round(0.5 * (1 - coverage)), evidence: { model, label_coverage: round(coverage), window_to: new Date(l.toMs).toISOString() } })
  }
  return out
}

/** Every probable cause, highest score first (ties: by kind as listed above, then by reference). */
export function rankCauses(input: CauseInput): Cause[] {
  const lookbackMs = input.lookbackMs ?? DEFAULT_LOOKBACK_MS
  const all = [...changeCauses(input, lookbackMs), ...driftCauses(input, lookbackMs), ...qualityCauses(input, lookbackMs), ...labelCauses(input, lookbackMs)]
  return all.filter((c) => c.score > 0).sort((a, b) => b.score - a.score || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.ref.localeCompare(b.ref))
}

/**
 * Permutation importance by feature from a registered version's metrics (`metrics.importance`, what `highway train`
 * stores: `[{feature, mean, std, values}]`); null when the version has none (an imported model, an undefined metric).
 */
export function importanceFromMetrics(metrics: Readonly<Record<string, unknown>> | undefined): Record<string, number> | null {
  const list = metrics?.importance
  if (!Array.isArray(list)) return null
  const out: Record<string, number> = {}
  for (const f of list as unknown[]) {
    if (f && typeof f === 'object' && typeof (f as { feature?: unknown }).feature === 'string' && typeof (f as { mean?: unknown }).mean === 'number') out[(f as { feature: string }).feature] = (f as { mean: number }).mean
  }
  return Object.keys(out).length > 0 ? out : null
}
