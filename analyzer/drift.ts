import type { DriftTest, ModelSpec } from '../config/index.ts'
import { adjustedPValues, breachesThreshold, chunkThreshold, reconstructionError } from './multivariate/index.ts'
import { alignCounts, type CategoricalProfile, type NumericProfile, type ReferenceProfile } from './profile.ts'
import { binCounts, fromSample, fromSketch, sketchOf, sketchValue, wasserstein } from './sketch.ts'
import {
  CATEGORICAL_TEST_DEFAULTS,
  defaultTest,
  isDrifted,
  NUMERICAL_TEST_DEFAULTS,
  psi,
  jensenShannon,
  klDivergence,
  hellinger,
  runCategoricalTest,
  runNumericalTest,
  WASSERSTEIN_STD_FLOOR,
  type CategoricalTest,
  type DriftDirection,
  type NumericalTest,
  type StatOutcome,
} from './stats/index.ts'

/** How a statistic was computed: on raw values (exact), on the full window's sketch, on a sample of a large window, or on exact counts. */
export type DriftMethod = 'exact' | 'sketch' | 'sample' | 'counts'

/** One column's drift, as the API returns it. `p_value` is null for distances. */
export interface DriftColumnResult {
  feature: string
  kind: 'numerical' | 'categorical' | 'text'
  test: DriftTest
  statistic: number | null
  p_value: number | null
  /** After the configured multiple-testing correction; absent without one. */
  p_value_adjusted?: number | null
  threshold: number
  threshold_source: 'test' | 'config' | 'chunks'
  drifted: boolean
  method: DriftMethod
  n_reference: number
  n_current: number
  status: 'ok' | 'not_enough_data'
  detail?: string
  /** Reference and current distributions, for reports: counts per bin (numeric, on the reference's quantile edges) or per category. */
  histogram?: { bins: string[]; reference: number[]; current: number[] }
}

/** A window's drift against the reference. */
export interface DriftResult {
  model: string
  version: string
  from: string
  to: string
  reference: { n: number; id: string; source: string }
  current: { n: number }
  dataset: { drift_share: number; drifted: boolean; share_threshold: number; features: number; drifted_features: number }
  features: DriftColumnResult[]
  prediction: DriftColumnResult | null
  label: DriftColumnResult | null
  multivariate: { method: 'pca_reconstruction'; statistic: number | null; lower: number | null; upper: number | null; drifted: boolean; n_current: number } | null
  correction: 'none' | 'bh' | 'bonferroni'
}

/** The current window's data, gathered by the runner (from rollups, and raw samples where a test needs them). */
export interface CurrentWindow {
  readonly rows: number
  readonly numeric: ReadonlyMap<string, { n: number; sketch: Record<string, number> }>
  readonly categories: ReadonlyMap<string, ReadonlyMap<string, number>>
  /** Raw values (all of a small window, or a sample of a large one), for tests that need them. */
  readonly samples: ReadonlyMap<string, Float64Array>
  readonly textDescriptors: ReadonlyMap<string, Record<'length' | 'tokens' | 'oov_share', Float64Array>>
  readonly matrix: readonly number[][] | null
  readonly labels: Float64Array | null
  readonly labelClasses: readonly string[] | null
}

/** Reference raw values for exact tests (from the stored sample). */
export interface ReferenceValues {
  readonly numeric: ReadonlyMap<string, Float64Array>
  readonly textDescriptors: ReadonlyMap<string, Record<'length' | 'tokens' | 'oov_share', Float64Array>>
  readonly labels: Float64Array
}

/** The test a numeric column gets, and whether it runs on values or on counts. */
export interface TestPlan {
  readonly test: DriftTest
  readonly input: 'numerical' | 'categorical'
  readonly threshold: number
  readonly direction: DriftDirection
  readonly source: 'test' | 'config'
}

const SAMPLE_TESTS: ReadonlySet<string> = new Set(['ks', 'anderson', 'cramer_von_mises', 'energy'])
const CATEGORICAL_ONLY: ReadonlySet<string> = new Set(['chisquare', 'ztest', 'tvd'])

/** Whether a numeric test needs raw values even on a large window (it has no sketch form). */
export function needsRawValues(test: DriftTest): boolean {
  return SAMPLE_TESTS.has(test)
}

function ruleOf(test: DriftTest, input: 'numerical' | 'categorical'): { threshold: number; direction: DriftDirection } {
  if (input === 'categorical' && test in CATEGORICAL_TEST_DEFAULTS) return CATEGORICAL_TEST_DEFAULTS[test as CategoricalTest]
  return NUMERICAL_TEST_DEFAULTS[test as NumericalTest]
}

/** Picks the test for a column: configured, else Evidently's default for the reference size and distinct values. */
export function planColumn(model: ModelSpec, feature: string, reference: NumericProfile | CategoricalProfile, referenceRows: number): TestPlan {
  const configured = model.drift.features[feature]
  if (configured) {
    const input = reference.kind === 'categorical' || CATEGORICAL_ONLY.has(configured.test) ? 'categorical' : 'numerical'
    const rule = ruleOf(configured.test, input)
    return { test: configured.test, input, threshold: configured.threshold ?? rule.threshold, direction: rule.direction, source: configured.threshold === undefined ? 'test' : 'config' }
  }
  const unique = reference.kind === 'categorical' ? Object.keys(reference.counts).length : reference.unique
  const choice = defaultTest(reference.kind, referenceRows, unique)
  return { test: choice.test, input: choice.kind, threshold: choice.threshold, direction: choice.direction, source: 'test' }
}

function column(feature: string, kind: DriftColumnResult['kind'], plan: TestPlan, outcome: StatOutcome, method: DriftMethod, nRef: number, nCur: number): DriftColumnResult {
  if (!outcome.ok) {
    return { feature, kind, test: plan.test, statistic: null, p_value: null, threshold: plan.threshold, threshold_source: plan.source, drifted: false, method, n_reference: nRef, n_current: nCur, status: 'not_enough_data', detail: outcome.detail }
  }
  return {
    feature,
    kind,
    test: plan.test,
    statistic: outcome.statistic,
    p_value: outcome.pValue,
    threshold: plan.threshold,
    threshold_source: plan.source,
    drifted: isDrifted(outcome, plan.threshold, plan.direction) ?? false,
    method,
    n_reference: nRef,
    n_current: nCur,
    status: 'ok',
  }
}

const notEnough = (detail: string): StatOutcome => ({ ok: false, reason: 'not_enough_data', detail })

/** Drift of one numeric column: exact on raw values when the runner fetched the whole window, else sketch or sample. */
export function numericColumnDrift(
  feature: string,
  kind: 'numerical' | 'text',
  plan: TestPlan,
  ref: NumericProfile,
  refValues: Float64Array | undefined,
  cur: { n: number; sketch: Record<string, number> } | undefined,
  curValues: Float64Array | undefined,
  minRows: number,
): DriftColumnResult {
  const nCur = cur?.n ?? curValues?.length ?? 0
  if (nCur < minRows || ref.n < minRows) return column(feature, kind, plan, notEnough(`needs at least ${minRows} values on each side (reference ${ref.n}, current ${nCur})`), 'exact', ref.n, nCur)
  if (plan.input === 'categorical') {
    // Few-valued numeric columns are compared on their value counts (keyed by sketch bucket: exact per value).
    return column(feature, kind, plan, runCategoricalTest(plan.test as CategoricalTest, ...alignCounts(ref.values ?? ref.sketch, cur?.sketch ?? {})), 'counts', ref.n, nCur)
  }
  const test = plan.test as NumericalTest
  const wholeWindow = curValues !== undefined && curValues.length === nCur
  if (curValues !== undefined && refValues !== undefined && (wholeWindow || needsRawValues(test))) {
    return column(feature, kind, plan, runNumericalTest(test, refValues, curValues), wholeWindow ? 'exact' : 'sample', ref.n, curValues.length)
  }
  if (cur === undefined) return column(feature, kind, plan, notEnough('no current values'), 'sketch', ref.n, 0)
  const current = fromSketch(cur.sketch)
  switch (test) {
    case 'wasserstein':
      return column(feature, kind, plan, { ok: true, statistic: wasserstein(fromSketch(ref.sketch), current) / Math.max(ref.std, WASSERSTEIN_STD_FLOOR), pValue: null }, 'sketch', ref.n, nCur)
    case 'psi':
    case 'jensenshannon':
    case 'kl':
    case 'hellinger': {
      const curCounts = binCounts(current, ref.edges)
      const f = { psi, jensenshannon: jensenShannon, kl: klDivergence, hellinger }[test]
      return column(feature, kind, plan, f(ref.counts, curCounts), 'sketch', ref.n, nCur)
    }
    default:
      return column(feature, kind, plan, notEnough(`${test} needs raw values, which were not fetched`), 'sample', ref.n, nCur)
  }
}

/** Drift of one categorical column from exact counts. */
export function categoricalColumnDrift(feature: string, plan: TestPlan, ref: CategoricalProfile, cur: ReadonlyMap<string, number> | undefined, minRows: number): DriftColumnResult {
  const nCur = cur ? [...cur.values()].reduce((s, n) => s + n, 0) : 0
  if (nCur < minRows || ref.n < minRows) return column(feature, 'categorical', plan, notEnough(`needs at least ${minRows} values on each side (reference ${ref.n}, current ${nCur})`), 'counts', ref.n, nCur)
  return column(feature, 'categorical', plan, runCategoricalTest(plan.test as CategoricalTest, ...alignCounts(ref.counts, cur ?? new Map())), 'counts', ref.n, nCur)
}

/** Bin labels for edges e0 < e1 < …: (−∞, e0), [e0, e1), …, [e_last, +∞) — stats' histogram rule. */
function binLabels(edges: readonly number[]): string[] {
  const f = (x: number) => Number(x.toPrecision(4)).toString()
  return Array.from({ length: edges.length + 1 }, (_, i) => (i === 0 ? `< ${f(edges[0] ?? 0)}` : i === edges.length ? `≥ ${f(edges[i - 1]!)}` : `${f(edges[i - 1]!)}–${f(edges[i]!)}`))
}

/** Attaches reference-vs-current histograms to numeric and categorical results. */
function withHistogram(r: DriftColumnResult, ref: NumericProfile | CategoricalProfile, cur: { sketch: Record<string, number> } | ReadonlyMap<string, number> | undefined, curValues?: Float64Array): DriftColumnResult {
  if (ref.kind === 'categorical') {
    const counts = cur instanceof Map ? cur : new Map<string, number>()
    const [reference, current] = alignCounts(ref.counts, counts)
    return { ...r, histogram: { bins: [...new Set([...Object.keys(ref.counts), ...counts.keys()])].sort(), reference, current } }
  }
  if (ref.values) {
    // Few distinct values (booleans, small integers): one bar per value, keyed like the counts the test used.
    const curCounts = curValues && curValues.length > 0 ? sketchOf(curValues) : cur && 'sketch' in cur ? (cur.sketch as Record<string, number>) : {}
    const keys = [...new Set([...Object.keys(ref.values), ...Object.keys(curCounts)])].sort((a, b) => sketchValue(Number(a)) - sketchValue(Number(b)))
    const label = (k: string) => String(ref.exactValues?.[k] ?? Number(sketchValue(Number(k)).toPrecision(3)))
    return { ...r, histogram: { bins: keys.map(label), reference: keys.map((k) => ref.values![k] ?? 0), current: keys.map((k) => curCounts[k] ?? 0) } }
  }
  const current = curValues && curValues.length > 0 ? binCounts(fromSample(curValues), ref.edges) : cur && 'sketch' in cur ? binCounts(fromSketch(cur.sketch as Record<string, number>), ref.edges) : ref.counts.map(() => 0)
  return { ...r, histogram: { bins: binLabels(ref.edges), reference: ref.counts, current } }
}

/** Computes a window's drift from the reference profile and the gathered window data. Pure. */
export function computeDrift(input: {
  model: ModelSpec
  version: string
  fromMs: number
  toMs: number
  reference: { id: string; source: string; profile: ReferenceProfile; values: ReferenceValues }
  current: CurrentWindow
  minRows: number
  /** Plans made once per reference (analyzer.ts `planColumns`), keyed as there; missing keys are planned here. */
  plans?: ReadonlyMap<string, TestPlan>
}): DriftResult {
  const { model, current, minRows } = input
  const profile = input.reference.profile
  const planOf = (key: string, feature: string, ref: NumericProfile | CategoricalProfile): TestPlan => input.plans?.get(key) ?? planColumn(model, feature, ref, profile.rows)
  const results: DriftColumnResult[] = []
  // Text features count once in the drift share: drifted when any descriptor drifted.
  const textGroups = new Map<string, DriftColumnResult[]>()
  for (const [feature, ref] of Object.entries(profile.features)) {
    if (ref.kind === 'numerical') {
      const plan = planOf(feature, feature, ref)
      const r = numericColumnDrift(feature, 'numerical', plan, ref, input.reference.values.numeric.get(feature), current.numeric.get(feature), current.samples.get(feature), minRows)
      results.push(withHistogram(r, ref, current.numeric.get(feature), current.samples.get(feature)))
    } else if (ref.kind === 'categorical') {
      const r = categoricalColumnDrift(feature, planOf(feature, feature, ref), ref, current.categories.get(feature), minRows)
      results.push(withHistogram(r, ref, current.categories.get(feature)))
    } else {
      const group: DriftColumnResult[] = []
      const cur = current.textDescriptors.get(feature)
      const refValues = input.reference.values.textDescriptors.get(feature)
      for (const descriptor of ['length', 'tokens', 'oov_share'] as const) {
        const name = `${feature}.${descriptor}`
        const refProfile = ref.descriptors[descriptor]
        const plan = planOf(name, feature, refProfile)
        const values = cur?.[descriptor]
        group.push(numericColumnDrift(name, 'text', plan, refProfile, refValues?.[descriptor], values ? { n: values.length, sketch: sketchOf(values) } : undefined, values, minRows))
      }
      textGroups.set(feature, group)
      results.push(...group)
    }
  }

  const correction = model.drift.correction
  if (correction !== 'none') {
    const tested = results.filter((r) => r.status === 'ok' && r.p_value !== null)
    const adjusted = adjustedPValues(tested.map((r) => r.p_value!), correction === 'bh' ? 'benjamini-hochberg' : 'bonferroni')
    tested.forEach((r, i) => {
      r.p_value_adjusted = adjusted[i]!
      const rule = ruleOf(r.test, r.kind === 'categorical' || CATEGORICAL_ONLY.has(r.test) ? 'categorical' : 'numerical')
      r.drifted = isDrifted({ ok: true, statistic: r.statistic!, pValue: adjusted[i]! }, r.threshold, rule.direction) ?? false
    })
  }
  if (model.drift.thresholds === 'chunks') {
    for (const r of results) {
      const stats = profile.chunkStatistics[r.feature]
      if (r.status !== 'ok' || r.statistic === null || !stats || stats.length < 2) continue
      const band = chunkThreshold(stats, { stdMultiplier: 3, lowerBound: 0 })
      // Only an upper breach means drift: a statistic smaller than usual is a window closer to the reference.
      r.threshold = band.upper ?? r.threshold
      r.threshold_source = 'chunks'
      r.drifted = band.upper !== null && r.statistic > band.upper
    }
  }

  const byFeature = Object.keys(profile.features).map((f) => {
    const group = textGroups.get(f)
    if (group) return group.some((r) => r.drifted)
    return results.find((r) => r.feature === f)?.drifted ?? false
  })
  const drifted = byFeature.filter(Boolean).length
  const share = byFeature.length === 0 ? 0 : drifted / byFeature.length

  return {
    model: model.name,
    version: input.version,
    from: new Date(input.fromMs).toISOString(),
    to: new Date(input.toMs).toISOString(),
    reference: { n: profile.rows, id: input.reference.id, source: input.reference.source },
    current: { n: current.rows },
    dataset: { drift_share: share, drifted: current.rows >= minRows && share >= model.drift.shareThreshold, share_threshold: model.drift.shareThreshold, features: byFeature.length, drifted_features: drifted },
    features: results,
    prediction: predictionDrift(profile, input.reference.values, current, minRows, planOf),
    label: labelDrift(profile, input.reference.values, current, minRows, planOf),
    multivariate: multivariateDrift(profile, current, minRows),
    correction,
  }
}

type PlanOf = (key: string, feature: string, ref: NumericProfile | CategoricalProfile) => TestPlan

function predictionDrift(profile: ReferenceProfile, refValues: ReferenceValues, current: CurrentWindow, minRows: number, planOf: PlanOf): DriftColumnResult | null {
  const ref = profile.prediction
  if (!ref) return null
  const feature = ref.kind === 'numerical' ? '__prediction' : '__prediction_class'
  const plan = planOf(feature, feature, ref)
  if (ref.kind === 'categorical') return { ...categoricalColumnDrift(feature, plan, ref, current.categories.get(feature), minRows), feature: 'prediction' }
  return { ...numericColumnDrift(feature, 'numerical', plan, ref, refValues.numeric.get(feature), current.numeric.get(feature), current.samples.get(feature), minRows), feature: 'prediction' }
}

function labelDrift(profile: ReferenceProfile, refValues: ReferenceValues, current: CurrentWindow, minRows: number, planOf: PlanOf): DriftColumnResult | null {
  const ref = profile.label
  if (!ref || ref.kind !== 'numerical' || !current.labels) return null
  const labels = current.labels.filter(Number.isFinite)
  const plan = planOf('__label', '__label', ref)
  return { ...numericColumnDrift('__label', 'numerical', plan, ref, refValues.labels, { n: labels.length, sketch: sketchOf(labels) }, labels, minRows), feature: 'label' }
}

function multivariateDrift(profile: ReferenceProfile, current: CurrentWindow, minRows: number): DriftResult['multivariate'] {
  const r = profile.reconstruction
  if (!r) return null
  const rows = current.matrix ?? []
  if (rows.length < minRows) return { method: 'pca_reconstruction', statistic: null, lower: r.lower, upper: r.upper, drifted: false, n_current: rows.length }
  const statistic = reconstructionError(r.model, rows)
  return { method: 'pca_reconstruction', statistic, lower: r.lower, upper: r.upper, drifted: breachesThreshold({ lower: r.lower, upper: r.upper }, statistic), n_current: rows.length }
}
