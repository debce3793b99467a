import { isDrifted, runCategoricalTest, runNumericalTest, CATEGORICAL_TEST_DEFAULTS, NUMERICAL_TEST_DEFAULTS, type CategoricalTest, type NumericalTest, type StatOutcome } from '../../analyzer/index.ts'
import type { AnalysisPolicy } from './types.ts'

// The canary judge: pure functions from what the predictions table says about two versions to a verdict, and from
// a verdict and the release's progress to the next action. No I/O, no clock: the adapter (controller.ts) reads,
// calls these, and acts.

/** What a window of predictions says about one version (read by `store` `readVersionWindowFacts`). */
export interface VersionFacts {
  readonly predictions: number
  readonly errors: number
  readonly latencyP99Ms: number | null
  /** Numeric predictions (a deterministic sample). */
  readonly values: readonly number[]
  /** Predicted class counts. */
  readonly classes: Readonly<Record<string, number>>
  readonly labelled: number
  readonly correct: number
  readonly absErrorSum: number
}

/** The checks of one analysis. */
export type CheckName = 'error_rate' | 'latency_p99' | 'prediction_drift' | 'accuracy'

/** `no_data` fails the analysis unless a minimum traffic makes the window inconclusive; `skipped` never fails. */
export type CheckStatus = 'pass' | 'fail' | 'no_data' | 'skipped'

/** One check: the canary's figure, the stable baseline's, the bound the canary had to meet, and why. */
export interface CheckResult {
  readonly check: CheckName
  readonly status: CheckStatus
  readonly canary: number | null
  readonly baseline: number | null
  readonly bound: number | null
  readonly detail: string
}

/** The verdict of one analysis of a canary against its stable baseline. */
export interface CanaryAnalysis {
  readonly verdict: 'pass' | 'fail' | 'inconclusive'
  readonly checks: readonly CheckResult[]
  /** Checks that failed or had no data (when they count). */
  readonly failedChecks: number
  readonly canaryPredictions: number
  readonly baselinePredictions: number
  readonly reason: string
}

/** The model's task decides what "accuracy" means. */
export type Task = 'binary_classification' | 'multiclass_classification' | 'regression'

const round = (x: number): number => Math.round(x * 1e6) / 1e6

function errorRate(canary: VersionFacts, baseline: VersionFacts, policy: AnalysisPolicy): CheckResult {
  if (canary.predictions === 0 || baseline.predictions === 0) {
    return { check: 'error_rate', status: 'no_data', canary: null, baseline: null, bound: null, detail: `no predictions from the ${canary.predictions === 0 ? 'canary' : 'stable version'} in the window` }
  }
  const c = canary.errors / canary.predictions
  const b = baseline.errors / baseline.predictions
  const bound = b + policy.maxErrorRateIncrease
  const pass = c <= bound
  return {
    check: 'error_rate',
    status: pass ? 'pass' : 'fail',
    canary: round(c),
    baseline: round(b),
    bound: round(bound),
    detail: `${canary.errors}/${canary.predictions} canary predictions failed against ${baseline.errors}/${baseline.predictions} stable; bound stable + ${policy.maxErrorRateIncrease}`,
  }
}

function latency(canary: VersionFacts, baseline: VersionFacts, policy: AnalysisPolicy): CheckResult {
  if (canary.latencyP99Ms === null || baseline.latencyP99Ms === null) {
    return { check: 'latency_p99', status: 'no_data', canary: canary.latencyP99Ms, baseline: baseline.latencyP99Ms, bound: null, detail: `no latency from the ${canary.latencyP99Ms === null ? 'canary' : 'stable version'} in the window` }
  }
  const bound = baseline.latencyP99Ms * policy.maxLatencyP99Ratio + policy.latencyP99SlackMs
  const pass = canary.latencyP99Ms <= bound
  return {
    check: 'latency_p99',
    status: pass ? 'pass' : 'fail',
    canary: round(canary.latencyP99Ms),
    baseline: round(baseline.latencyP99Ms),
    bound: round(bound),
    detail: `p99 ${round(canary.latencyP99Ms)} ms against stable ${round(baseline.latencyP99Ms)} ms; bound stable × ${policy.maxLatencyP99Ratio} + ${policy.latencyP99SlackMs} ms`,
  }
}

const NUMERICAL = new Set<string>(Object.keys(NUMERICAL_TEST_DEFAULTS))
const CATEGORICAL = new Set<string>(Object.keys(CATEGORICAL_TEST_DEFAULTS))
// Evidently treats a numeric column with at most 5 distinct values as categorical (FEW_VALUES_MAX_UNIQUE).
const FEW_VALUES = 5

/** Counts of each value over the union of both windows' values, in one sorted order. */
function alignedCounts(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): [number[], number[]] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
  return [keys.map((k) => a[k] ?? 0), keys.map((k) => b[k] ?? 0)]
}

function countValues(values: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1
  return out
}

/** Significance an effect-size drift must also reach (p-value below it). */
const DRIFT_SIGNIFICANCE = 0.01

function drift(canary: VersionFacts, baseline: VersionFacts, policy: AnalysisPolicy): CheckResult {
  if (policy.drift === false) return { check: 'prediction_drift', status: 'skipped', canary: null, baseline: null, bound: null, detail: 'turned off' }
  const wanted = policy.drift.test
  const numeric = canary.values.length > 0 || baseline.values.length > 0
  const canaryN = numeric ? canary.values.length : Object.values(canary.classes).reduce((s, x) => s + x, 0)
  const baselineN = numeric ? baseline.values.length : Object.values(baseline.classes).reduce((s, x) => s + x, 0)
  if (canaryN === 0) return { check: 'prediction_drift', status: 'no_data', canary: null, baseline: null, bound: null, detail: 'no successful canary prediction in the window' }
  if (canaryN < policy.minDriftSamples || baselineN < policy.minDriftSamples) {
    return { check: 'prediction_drift', status: 'skipped', canary: null, baseline: null, bound: null, detail: `${canaryN} canary and ${baselineN} stable predictions; drift judged from ${policy.minDriftSamples} each` }
  }
  let test: NumericalTest | CategoricalTest
  let outcome: StatOutcome
  let kind: 'numerical' | 'categorical'
  // The significance of a difference, asked only when an effect size crosses its bound.
  let significance: () => StatOutcome
  if (numeric && new Set([...canary.values, ...baseline.values]).size > FEW_VALUES) {
    kind = 'numerical'
    test = wanted && NUMERICAL.has(wanted) ? (wanted as NumericalTest) : 'wasserstein'
    outcome = runNumericalTest(test, baseline.values, canary.values)
    significance = () => runNumericalTest('ks', baseline.values, canary.values)
  } else {
    // Classes, or numeric predictions with a handful of values: compare counts per value.
    kind = 'categorical'
    test = wanted && CATEGORICAL.has(wanted) ? (wanted as CategoricalTest) : 'jensenshannon'
    const [ref, cur] = numeric ? alignedCounts(countValues(baseline.values), countValues(canary.values)) : alignedCounts(baseline.classes, canary.classes)
    outcome = runCategoricalTest(test, ref, cur)
    significance = () => runCategoricalTest('chisquare', ref, cur)
  }
  const rule = kind === 'numerical' ? NUMERICAL_TEST_DEFAULTS[test as NumericalTest] : CATEGORICAL_TEST_DEFAULTS[test as CategoricalTest]
  const threshold = policy.drift.threshold ?? rule.threshold
  const what = `${canaryN} canary and ${baselineN} stable predictions`
  const drifted = isDrifted(outcome, threshold, rule.direction)
  if (drifted === null || !outcome.ok) {
    return { check: 'prediction_drift', status: 'no_data', canary: null, baseline: null, bound: threshold, detail: `${test}: ${outcome.ok ? 'no p-value' : outcome.detail} (${what})` }
  }
  const usesP = rule.direction.startsWith('p_value')
  const figure = usesP ? outcome.pValue! : outcome.statistic
  const detail = `${test} ${usesP ? 'p-value' : 'statistic'} ${round(figure)} (${rule.direction.replaceAll('_', ' ')} ${threshold} is drift) over ${what}`
  // An effect size alone flags small samples of one distribution: the normed Wasserstein distance between two
  // samples of ~100 draws of the same scores is about 0.1 by chance. A drift must also be significant (KS on
  // numbers, chi-square on counts, p < DRIFT_SIGNIFICANCE), so identical versions are not rolled back at low traffic.
  const p = drifted && !usesP ? significance() : undefined
  const insignificant = p !== undefined && p.ok && p.pValue !== null && p.pValue >= DRIFT_SIGNIFICANCE
  return {
    check: 'prediction_drift',
    status: drifted && !insignificant ? 'fail' : 'pass',
    canary: round(figure),
    baseline: null,
    bound: threshold,
    detail: insignificant ? `${detail}, but not significant (${kind === 'numerical' ? 'ks' : 'chisquare'} p-value ${round(p.pValue!)} ≥ ${DRIFT_SIGNIFICANCE})` : detail,
  }
}

function accuracy(canary: VersionFacts, baseline: VersionFacts, task: Task, policy: AnalysisPolicy): CheckResult {
  if (canary.labelled < policy.minLabels || baseline.labelled < policy.minLabels) {
    return { check: 'accuracy', status: 'skipped', canary: null, baseline: null, bound: null, detail: `labels: ${canary.labelled} canary, ${baseline.labelled} stable; judged from ${policy.minLabels} each` }
  }
  if (task === 'regression') {
    const c = canary.absErrorSum / canary.labelled
    const b = baseline.absErrorSum / baseline.labelled
    const bound = b * (1 + policy.maxMaeIncrease)
    return {
      check: 'accuracy',
      status: c <= bound + 1e-12 ? 'pass' : 'fail',
      canary: round(c),
      baseline: round(b),
      bound: round(bound),
      detail: `MAE over ${canary.labelled} canary and ${baseline.labelled} stable labels; bound stable × (1 + ${policy.maxMaeIncrease})`,
    }
  }
  const c = canary.correct / canary.labelled
  const b = baseline.correct / baseline.labelled
  const bound = b - policy.maxAccuracyDrop
  return {
    check: 'accuracy',
    status: c >= bound - 1e-12 ? 'pass' : 'fail',
    canary: round(c),
    baseline: round(b),
    bound: round(bound),
    detail: `accuracy over ${canary.labelled} canary and ${baseline.labelled} stable labels; bound stable − ${policy.maxAccuracyDrop}`,
  }
}

/**
 * Judges a canary (or shadow) against the stable version: error rate, p99 latency, prediction drift and, once
 * labels are in, realised accuracy. A check outside its bound fails; a check without data fails too, unless the
 * policy sets a minimum traffic and the canary has not reached it (then the whole window is inconclusive).
 */
export function analyseCanary(input: { canary: VersionFacts; baseline: VersionFacts; task: Task; policy: AnalysisPolicy }): CanaryAnalysis {
  const { canary, baseline, task, policy } = input
  const checks = [errorRate(canary, baseline, policy), latency(canary, baseline, policy), drift(canary, baseline, policy), accuracy(canary, baseline, task, policy)]
  const base = { checks, canaryPredictions: canary.predictions, baselinePredictions: baseline.predictions }
  if (policy.minRequests > 0 && (canary.predictions < policy.minRequests || baseline.predictions < policy.minRequests)) {
    return {
      ...base,
      verdict: 'inconclusive',
      failedChecks: 0,
      reason: `too little traffic to judge: ${canary.predictions} canary and ${baseline.predictions} stable predictions, ${policy.minRequests} needed each`,
    }
  }
  const failed = checks.filter((c) => c.status === 'fail' || c.status === 'no_data')
  return {
    ...base,
    verdict: failed.length === 0 ? 'pass' : 'fail',
    failedChecks: failed.length,
    reason: failed.length === 0 ? 'every check within its bound' : failed.map((c) => `${c.check}: ${c.status === 'no_data' ? 'no data' : 'outside its bound'} (${c.detail})`).join('; '),
  }
}

/** Where a release stands, as the decision needs it. */
export interface ReleaseProgress {
  /** Index into `steps`. */
  readonly step: number
  readonly steps: readonly number[]
  /** Failed analyses so far, over the whole release. */
  readonly failedAnalyses: number
  readonly failureThreshold: number
  readonly stepStartedAtMs: number
  /** An inconclusive step older than this counts as a failed analysis (traffic never came). */
  readonly stepTimeoutMs: number
}

/** What the controller does next. */
export type ReleaseDecision =
  | { readonly action: 'advance'; readonly step: number; readonly failedAnalyses: number; readonly reason: string }
  | { readonly action: 'promote'; readonly failedAnalyses: number; readonly reason: string }
  | { readonly action: 'rollback'; readonly failedAnalyses: number; readonly reason: string }
  | { readonly action: 'hold'; readonly failedAnalyses: number; readonly reason: string }

/**
 * The next action after an analysis. Failed analyses accumulate over the release and roll it back when they reach
 * the threshold (Argo Rollouts' `failureLimit` counts the same way), so a bad version is gone within
 * threshold × interval; a passing analysis moves to the next step, and after the last one the version is promoted.
 */
export function decideNext(progress: ReleaseProgress, analysis: Pick<CanaryAnalysis, 'verdict' | 'reason'>, nowMs: number): ReleaseDecision {
  let failed = progress.failedAnalyses
  let verdict = analysis.verdict
  let reason = analysis.reason
  if (verdict === 'inconclusive' && nowMs - progress.stepStartedAtMs >= progress.stepTimeoutMs) {
    verdict = 'fail'
    reason = `step ${progress.step + 1} inconclusive for ${Math.round((nowMs - progress.stepStartedAtMs) / 1000)} s (timeout ${Math.round(progress.stepTimeoutMs / 1000)} s): ${reason}`
  }
  if (verdict === 'fail') {
    failed += 1
    if (failed >= progress.failureThreshold) return { action: 'rollback', failedAnalyses: failed, reason: `${failed} failed analyses (threshold ${progress.failureThreshold}); last: ${reason}` }
    return { action: 'hold', failedAnalyses: failed, reason: `failed analysis ${failed} of ${progress.failureThreshold} allowed before rollback: ${reason}` }
  }
  if (verdict === 'inconclusive') return { action: 'hold', failedAnalyses: failed, reason }
  if (progress.step + 1 >= progress.steps.length) return { action: 'promote', failedAnalyses: failed, reason: `all ${progress.steps.length} steps passed` }
  return { action: 'advance', step: progress.step + 1, failedAnalyses: failed, reason: `step ${progress.step + 1} (${progress.steps[progress.step]}%) passed` }
}
