import { z } from 'zod'
import {
  CATEGORICAL_TEST_DEFAULTS,
  NUMERICAL_TEST_DEFAULTS,
  defaultTest,
  isDrifted,
  runCategoricalTest,
  runNumericalTest,
  type CategoricalTest,
  type DriftDirection,
  type NumericalTest,
  type StatOutcome,
} from '../../analyzer/index.ts'
import type { FeatureSpec, ModelSpec } from '../../config/index.ts'
import type { DatasetProfile, FeatureProfile } from './profile.ts'
import type { DataRow, InvalidRow } from './types.ts'

const share = z.number().min(0).max(1)
const featureThresholdsSchema = z.object({ maxMissingShare: share, maxOutOfRangeShare: share, maxUnseenShare: share }).partial().strict()

/**
 * Thresholds of the data quality gates. The defaults are Highway's choices, not a standard: 30 rows (the
 * analyzer's `minRows`, too few for any fit to mean much), 5 % refused rows, 20 % missing per feature (optional
 * features are expected to be missing sometimes), 1 % out of range or unseen categories (a schema that real data
 * breaks that often is wrong, or the data is). Drift: `dataset` blocks when the share of drifted features reaches
 * the model's `drift.shareThreshold` (Evidently's dataset drift, default 0.5); `feature` blocks on any drifted
 * feature; `off` skips the tests.
 */
export const qualityThresholdsSchema = z
  .object({
    minRows: z.number().int().min(1).default(30),
    maxInvalidShare: share.default(0.05),
    maxMissingShare: share.default(0.2),
    maxOutOfRangeShare: share.default(0.01),
    maxUnseenShare: share.default(0.01),
    drift: z.enum(['dataset', 'feature', 'off']).default('dataset'),
    /** Per-feature overrides of the share thresholds. */
    features: z.record(z.string(), featureThresholdsSchema).default({}),
  })
  .strict()

/** Gate thresholds as given (every field optional). */
export type QualityThresholds = z.input<typeof qualityThresholdsSchema>

/** The defaults of every gate threshold. */
export const DEFAULT_QUALITY_THRESHOLDS = qualityThresholdsSchema.parse({})

/** The gates. */
export type GateName = 'min_rows' | 'invalid_share' | 'missing_share' | 'out_of_range_share' | 'unseen_categories' | 'drift' | 'dataset_drift'

/** One check of one gate (for one feature, or the whole dataset when `feature` is null). */
export interface GateCheck {
  readonly gate: GateName
  readonly feature: string | null
  /** The measured figure (a share, a row count, or a drift statistic / p-value); null when it could not be measured. */
  readonly value: number | null
  readonly threshold: number
  readonly passed: boolean
  /** Whether a failure of this check fails the report (per-feature drift informs only, unless drift mode is `feature`). */
  readonly blocking: boolean
  /** What was compared, in words: the rule, the test, the reference. */
  readonly detail: string
}

/** All checks and the verdict: passed when every blocking check passed. */
export interface QualityReport {
  readonly passed: boolean
  readonly checks: GateCheck[]
  /** The blocking checks that failed. */
  readonly failed: GateCheck[]
}

/** What the gates look at: the schema, the valid rows, the refused rows, and optionally the previous training set. */
export interface QualityInput {
  readonly schema: { readonly features: Readonly<Record<string, FeatureSpec>>; readonly drift?: Pick<ModelSpec['drift'], 'shareThreshold' | 'features'> }
  readonly rows: readonly DataRow[]
  readonly invalid?: readonly InvalidRow[]
  /** Rows in the source, valid or not; default: valid rows plus distinct refused rows. */
  readonly total?: number
  readonly previous?: DatasetProfile
}

/** A failed gate: names each failing gate, feature, value and threshold; carries the whole report. */
export class QualityGateError extends Error {
  override readonly name = 'QualityGateError'
  readonly report: QualityReport

  constructor(report: QualityReport) {
    super(`data quality gates failed: ${report.failed.map(describeFailure).join('; ')}`)
    this.report = report
  }
}

function describeFailure(c: GateCheck): string {
  const what = c.feature === null ? c.gate : `${c.gate} of feature ${c.feature}`
  return `${what} is ${c.value === null ? 'unknown' : round(c.value)} (${c.detail} ${c.threshold})`
}

const round = (x: number) => String(Number(x.toPrecision(4)))

/** Throws a QualityGateError when the report failed; returns it otherwise. */
export function assertQuality(report: QualityReport): QualityReport {
  if (!report.passed) throw new QualityGateError(report)
  return report
}

/**
 * Runs the data quality gates (pure): enough rows, few refused rows, and per feature the missing share, the share
 * out of the schema's range (or, without one, the previous training set's range), the share of categories the
 * schema (or the previous training set) does not know, and drift against the previous training set with the
 * analyzer's tests (the model's `drift.features` choice, else Evidently's default test for the column).
 */
export function checkQuality(input: QualityInput, thresholds: QualityThresholds = {}): QualityReport {
  const t = qualityThresholdsSchema.parse(thresholds)
  for (const name of Object.keys(t.features)) {
    if (!(name in input.schema.features)) throw new Error(`quality thresholds: features.${name} names no feature of the schema (have: ${Object.keys(input.schema.features).join(', ')})`)
  }
  const invalid = input.invalid ?? []
  const invalidRows = new Set(invalid.map((p) => p.row)).size
  const total = input.total ?? input.rows.length + invalidRows
  const n = input.rows.length
  const checks: GateCheck[] = []
  const push = (c: Omit<GateCheck, 'blocking'> & { blocking?: boolean }) => checks.push({ blocking: true, ...c })
  const shareOf = (count: number, of: number) => (of === 0 ? 0 : count / of)
  const refused = (feature: string, rule: InvalidRow['rule']) => new Set(invalid.filter((p) => p.field === feature && p.rule === rule).map((p) => p.row)).size

  push({ gate: 'min_rows', feature: null, value: n, threshold: t.minRows, passed: n >= t.minRows, detail: 'valid rows, at least' })
  const invalidShare = shareOf(invalidRows, total)
  push({ gate: 'invalid_share', feature: null, value: invalidShare, threshold: t.maxInvalidShare, passed: invalidShare <= t.maxInvalidShare, detail: `${invalidRows} of ${total} rows refused, at most` })

  for (const [name, spec] of Object.entries(input.schema.features)) {
    const own = t.features[name] ?? {}
    const values = input.rows.map((r) => r.features[name] ?? null)
    const present = values.filter((v) => v !== null && !(typeof v === 'number' && Number.isNaN(v)))
    const prev = input.previous?.features[name]

    const maxMissing = own.maxMissingShare ?? t.maxMissingShare
    const missing = shareOf(n - present.length, n)
    push({ gate: 'missing_share', feature: name, value: missing, threshold: maxMissing, passed: missing <= maxMissing, detail: 'share of rows without a value, at most' })

    if (spec.type === 'number') {
      const maxOut = own.maxOutOfRangeShare ?? t.maxOutOfRangeShare
      if (spec.min !== undefined || spec.max !== undefined) {
        const v = shareOf(refused(name, 'range'), total)
        push({ gate: 'out_of_range_share', feature: name, value: v, threshold: maxOut, passed: v <= maxOut, detail: `share of rows outside the schema's range [${spec.min ?? '-inf'}, ${spec.max ?? 'inf'}], at most` })
      } else if (prev?.type === 'number' && prev.min !== null && prev.max !== null) {
        const lo = prev.min
        const hi = prev.max
        const v = shareOf(present.filter((x) => typeof x === 'number' && (x < lo || x > hi)).length, n)
        push({ gate: 'out_of_range_share', feature: name, value: v, threshold: maxOut, passed: v <= maxOut, detail: `share of rows outside the previous training range [${lo}, ${hi}], at most` })
      }
    }
    if (spec.type === 'category') {
      const maxUnseen = own.maxUnseenShare ?? t.maxUnseenShare
      if (spec.values) {
        const v = shareOf(refused(name, 'category'), total)
        push({ gate: 'unseen_categories', feature: name, value: v, threshold: maxUnseen, passed: v <= maxUnseen, detail: "share of rows with a category outside the schema's values, at most" })
      } else if (prev?.type === 'category') {
        const unseen = present.filter((c) => !(String(c) in prev.counts))
        const v = shareOf(unseen.length, n)
        const examples = [...new Set(unseen.map(String))].slice(0, 3).map((c) => JSON.stringify(c))
        push({ gate: 'unseen_categories', feature: name, value: v, threshold: maxUnseen, passed: v <= maxUnseen, detail: `share of rows with a category the previous training set never had${examples.length ? ` (e.g. ${examples.join(', ')})` : ''}, at most` })
      }
    }
  }

  if (input.previous && t.drift !== 'off') {
    let tested = 0
    let drifted = 0
    for (const [name, spec] of Object.entries(input.schema.features)) {
      const prev = input.previous.features[name]
      if (!prev || prev.type !== spec.type) continue
      const check = driftCheck(name, prev, input.rows, input.schema.drift?.features[name])
      if (check.value !== null) {
        tested++
        if (!check.passed) drifted++
      }
      push({ ...check, blocking: t.drift === 'feature' })
    }
    if (tested > 0) {
      const threshold = input.schema.drift?.shareThreshold ?? 0.5
      const v = drifted / tested
      // Evidently: dataset drift when share_of_drifted_columns >= drift_share.
      push({ gate: 'dataset_drift', feature: null, value: v, threshold, passed: v < threshold, detail: `${drifted} of ${tested} features drifted from the previous training set, share below` })
    }
  }
  const failed = checks.filter((c) => c.blocking && !c.passed)
  return { passed: failed.length === 0, checks, failed }
}

const CATEGORICAL_TESTS: ReadonlySet<string> = new Set(Object.keys(CATEGORICAL_TEST_DEFAULTS))
const NUMERICAL_TESTS: ReadonlySet<string> = new Set(Object.keys(NUMERICAL_TEST_DEFAULTS))

interface Plan {
  readonly input: 'numerical' | 'categorical'
  readonly test: string
  readonly threshold: number
  readonly direction: DriftDirection
}

function countsOf(values: readonly (string | number)[]): Map<string, number> {
  const m = new Map<string, number>()
  for (const v of values) m.set(String(v), (m.get(String(v)) ?? 0) + 1)
  return m
}

/** Counts aligned over the union of categories, sorted (index 0 = the category that sorts first). */
function aligned(ref: ReadonlyMap<string, number>, cur: ReadonlyMap<string, number>): [number[], number[]] {
  const keys = [...new Set([...ref.keys(), ...cur.keys()])].sort()
  return [keys.map((k) => ref.get(k) ?? 0), keys.map((k) => cur.get(k) ?? 0)]
}

function driftCheck(name: string, prev: FeatureProfile, rows: readonly DataRow[], configured: { test: string; threshold?: number | undefined } | undefined): Omit<GateCheck, 'blocking'> {
  const present = rows.map((r) => r.features[name] ?? null).filter((v) => v !== null && !(typeof v === 'number' && Number.isNaN(v)))
  let refValues: number[] | null = null
  let curValues: number[] | null = null
  let refCounts: Map<string, number>
  let curCounts: Map<string, number>
  let kind: 'numerical' | 'categorical'
  let referenceRows: number
  switch (prev.type) {
    case 'number':
    case 'text':
      refValues = prev.type === 'number' ? prev.sample : prev.lengthSample
      curValues = prev.type === 'number' ? present.filter((v): v is number => typeof v === 'number') : present.map((v) => String(v).length)
      refCounts = countsOf(refValues)
      curCounts = countsOf(curValues)
      kind = 'numerical'
      referenceRows = prev.count
      break
    case 'boolean':
      refCounts = new Map(Object.entries(prev.counts))
      curCounts = countsOf(present.map((v) => (v === true || v === 1 ? 'true' : 'false')))
      kind = 'categorical'
      referenceRows = prev.count
      break
    case 'category':
      refCounts = new Map(Object.entries(prev.counts))
      curCounts = countsOf(present.map(String))
      kind = 'categorical'
      referenceRows = prev.count
      break
  }
  const unique = new Set([...refCounts.keys(), ...curCounts.keys()]).size
  let plan: Plan
  if (configured && (CATEGORICAL_TESTS.has(configured.test) || (kind === 'numerical' && NUMERICAL_TESTS.has(configured.test)))) {
    const input = kind === 'categorical' || !NUMERICAL_TESTS.has(configured.test) ? 'categorical' : 'numerical'
    const rule = input === 'categorical' ? CATEGORICAL_TEST_DEFAULTS[configured.test as CategoricalTest] : NUMERICAL_TEST_DEFAULTS[configured.test as NumericalTest]
    plan = { input, test: configured.test, threshold: configured.threshold ?? rule.threshold, direction: rule.direction }
  } else {
    const choice = defaultTest(kind, referenceRows, unique)
    plan = { input: choice.kind, test: choice.test, threshold: choice.threshold, direction: choice.direction }
  }
  const outcome: StatOutcome =
    plan.input === 'numerical' && refValues && curValues
      ? runNumericalTest(plan.test as NumericalTest, refValues, curValues)
      : runCategoricalTest(plan.test as CategoricalTest, ...aligned(refCounts, curCounts))
  const onPValue = plan.direction === 'p_value_below' || plan.direction === 'p_value_at_most'
  const measured = prev.type === 'text' ? 'text length' : 'values'
  if (!outcome.ok) {
    return { gate: 'drift', feature: name, value: null, threshold: plan.threshold, passed: true, detail: `${plan.test} on ${measured}: not enough data (${outcome.detail})` }
  }
  const value = onPValue ? outcome.pValue : outcome.statistic
  const drifted = isDrifted(outcome, plan.threshold, plan.direction) ?? false
  const comparison = { p_value_below: 'p-value below', p_value_at_most: 'p-value at most', statistic_at_least: 'statistic at least', statistic_above: 'statistic above' }[plan.direction]
  return { gate: 'drift', feature: name, value, threshold: plan.threshold, passed: !drifted, detail: `${plan.test} on ${measured} vs the previous training set; drift when ${comparison}` }
}
