import { metricDirection } from '../../model-metrics/index.ts'
import type { MetricDirection } from '../../model-metrics/index.ts'

/** The verdict of one release gate, with the figures it was decided on and a sentence saying why. */
export interface GateResult {
  readonly gate: 'champion' | 'slices' | 'invalid_input' | 'latency'
  readonly passed: boolean
  readonly figures: Readonly<Record<string, number | string | null>>
  readonly reason: string
}

/** Input of championGate. */
export interface ChampionGateInput {
  /** The primary metric, e.g. roc_auc or rmse. */
  readonly metric: string
  /** Taken from model-metrics when omitted. */
  readonly direction?: MetricDirection
  /** The candidate's value on the evaluation set; null when undefined there. */
  readonly candidate: number | null
  /** The champion's value on the same set, or null/undefined when no champion is registered. */
  readonly champion?: number | null
  /** Required improvement in the metric's own units (≥ 0 demands progress; < 0 tolerates a small loss). */
  readonly margin: number
}

const round = (v: number): number => Number(v.toPrecision(6))

/** Improvement of `candidate` over `reference` in the metric's better direction (positive = better). */
function improvement(candidate: number, reference: number, direction: MetricDirection): number {
  return direction === 'higher' ? candidate - reference : reference - candidate
}

/** Passes when the candidate beats the champion on the primary metric by at least `margin`; passes when no champion exists yet. */
export function championGate(input: ChampionGateInput): GateResult {
  const direction = input.direction ?? metricDirection(input.metric)
  const base = { metric: input.metric, direction, margin: input.margin, candidate: input.candidate, champion: input.champion ?? null }
  if (!Number.isFinite(input.margin)) throw new RangeError(`champion gate: margin must be finite, got ${input.margin}`)
  if (input.candidate === null || !Number.isFinite(input.candidate)) {
    return { gate: 'champion', passed: false, figures: { ...base, improvement: null }, reason: `the candidate has no ${input.metric} on the evaluation set` }
  }
  if (input.champion === null || input.champion === undefined) {
    return { gate: 'champion', passed: true, figures: { ...base, improvement: null }, reason: 'no champion yet' }
  }
  const gain = improvement(input.candidate, input.champion, direction)
  const passed = gain >= input.margin
  const verb = passed ? 'beats' : 'does not beat'
  return {
    gate: 'champion',
    passed,
    figures: { ...base, improvement: gain },
    reason: `candidate ${input.metric} ${round(input.candidate)} ${verb} the champion's ${round(input.champion)} by the required ${input.margin} (${direction} is better; improvement ${round(gain)})`,
  }
}

/** One slice's figures as metricsBySlice returns them. */
interface SliceFigures {
  readonly value: string
  readonly count: number
  readonly metrics: Readonly<Record<string, number | null>>
}

/** Input of sliceGate. */
export interface SliceGateInput {
  readonly metric: string
  readonly direction?: MetricDirection
  /** Slices of one categorical feature: the candidate's and the champion's (null when no champion). */
  readonly candidate: readonly SliceFigures[]
  readonly champion: readonly SliceFigures[] | null
  /** Largest allowed worsening of any slice, in the metric's units. */
  readonly tolerance: number
  /** Slices with fewer rows (in the candidate's evaluation) are not judged; 30 by default. */
  readonly minCount?: number
}

/** Passes when no slice (with enough rows) is worse than the champion's same slice by more than `tolerance`. */
export function sliceGate(input: SliceGateInput): GateResult {
  const direction = input.direction ?? metricDirection(input.metric)
  const minCount = input.minCount ?? 30
  if (!(input.tolerance >= 0)) throw new RangeError(`slice gate: tolerance must be ≥ 0, got ${input.tolerance}`)
  if (input.champion === null) {
    return { gate: 'slices', passed: true, figures: { metric: input.metric, tolerance: input.tolerance, judged: 0, worst_slice: null, worst_drop: null }, reason: 'no champion yet' }
  }
  const championBySlice = new Map(input.champion.map((s) => [s.value, s]))
  let judged = 0
  let worst: { value: string; drop: number } | null = null
  const failing: string[] = []
  for (const slice of input.candidate) {
    const reference = championBySlice.get(slice.value)
    const candidateValue = slice.metrics[input.metric]
    const championValue = reference?.metrics[input.metric]
    // A slice is judged only where both models have a defined value on enough rows.
    if (slice.count < minCount || typeof candidateValue !== 'number' || typeof championValue !== 'number') continue
    judged++
    const drop = -improvement(candidateValue, championValue, direction)
    if (worst === null || drop > worst.drop) worst = { value: slice.value, drop }
    if (drop > input.tolerance) failing.push(`${slice.value} (${round(championValue)} → ${round(candidateValue)})`)
  }
  const figures = { metric: input.metric, tolerance: input.tolerance, min_count: minCount, judged, failing: failing.length, worst_slice: worst?.value ?? null, worst_drop: worst?.drop ?? null }
  if (failing.length > 0) {
    return { gate: 'slices', passed: false, figures, reason: `${failing.length} slice(s) lose more than ${input.tolerance} ${input.metric} against the champion: ${failing.join(', ')}` }
  }
  return { gate: 'slices', passed: true, figures, reason: judged === 0 ? `no slice has ≥ ${minCount} rows and a ${input.metric} for both models` : `no slice loses more than ${input.tolerance} ${input.metric} against the champion (${judged} judged)` }
}

/** One probe of bad or missing input: what should happen and what the caller saw. */
export interface InvalidInputCase {
  readonly name: string
  /** `rejected`: a clear 4xx error is right (e.g. a string for a number); `handled`: a finite prediction is right (e.g. a missing optional value). */
  readonly expected: 'rejected' | 'handled'
  /** `crashed`: 5xx, exception, or a non-finite output. */
  readonly observed: 'rejected' | 'handled' | 'crashed'
  readonly detail?: string
}

/** Input of invalidInputGate. */
export interface InvalidInputGateInput {
  readonly cases: readonly InvalidInputCase[]
}

/** Passes when every probe of missing or invalid input behaved as expected (rejected cleanly, or handled). */
export function invalidInputGate(input: InvalidInputGateInput): GateResult {
  if (input.cases.length === 0) throw new RangeError('invalid-input gate: no cases were observed')
  const wrong = input.cases.filter((c) => c.observed !== c.expected)
  const crashed = input.cases.filter((c) => c.observed === 'crashed').length
  const figures = { cases: input.cases.length, failures: wrong.length, crashed }
  if (wrong.length > 0) {
    const list = wrong.map((c) => `${c.name}: expected ${c.expected}, observed ${c.observed}${c.detail ? ` (${c.detail})` : ''}`).join('; ')
    return { gate: 'invalid_input', passed: false, figures, reason: `${wrong.length} of ${input.cases.length} invalid-input cases misbehaved: ${list}` }
  }
  return { gate: 'invalid_input', passed: true, figures, reason: `all ${input.cases.length} invalid-input cases behaved as expected` }
}

/** The q-quantile (0 ≤ q ≤ 1) with linear interpolation between order statistics (Hyndman & Fan type 7, NumPy's default). */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty list')
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`)
  const sorted = Float64Array.from(values).sort()
  const h = (sorted.length - 1) * q
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, sorted.length - 1)
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number))
}

/** Input of latencyGate. */
export interface LatencyGateInput {
  /** Measured single-row latencies in milliseconds. */
  readonly latenciesMs: ArrayLike<number>
  readonly budgetMs: number
  /** 0.99 by default. */
  readonly quantile?: number
  /** Fewer samples fail the gate: a p99 of 20 samples is just the maximum; 100 by default. */
  readonly minSamples?: number
}

/** Passes when the measured p99 (by default) single-row latency is within the budget, over enough samples. */
export function latencyGate(input: LatencyGateInput): GateResult {
  const quantile = input.quantile ?? 0.99
  const minSamples = input.minSamples ?? 100
  if (!(input.budgetMs > 0)) throw new RangeError(`latency gate: budgetMs must be > 0, got ${input.budgetMs}`)
  for (let i = 0; i < input.latenciesMs.length; i++) {
    const v = input.latenciesMs[i] as number
    if (!(v >= 0 && Number.isFinite(v))) throw new RangeError(`latency gate: latenciesMs[${i}] is ${v}; latencies must be finite and ≥ 0`)
  }
  const label = `p${round(quantile * 100)}`
  const n = input.latenciesMs.length
  if (n < minSamples) {
    return { gate: 'latency', passed: false, figures: { samples: n, min_samples: minSamples, quantile, budget_ms: input.budgetMs, latency_ms: null }, reason: `only ${n} latency samples; at least ${minSamples} are needed for a ${label}` }
  }
  const value = percentile(input.latenciesMs, quantile)
  const passed = value <= input.budgetMs
  return {
    gate: 'latency',
    passed,
    figures: { samples: n, min_samples: minSamples, quantile, budget_ms: input.budgetMs, latency_ms: value },
    reason: `${label} single-row latency ${round(value)} ms is ${passed ? 'within' : 'over'} the ${input.budgetMs} ms budget`,
  }
}

/** True when every gate passed (and there was at least one). */
export function allGatesPassed(results: readonly GateResult[]): boolean {
  return results.length > 0 && results.every((r) => r.passed)
}
