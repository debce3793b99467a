/** A numeric sample: one value per row. Non-finite values (NaN, ±Infinity) are dropped, as Evidently does. */
export type Sample = readonly number[] | Float64Array

/** Counts per bin or per category, aligned index by index between reference and current. */
export type Counts = readonly number[] | Float64Array

/** Tests that Highway runs on numerical columns (names follow Evidently; `kl` is Evidently's `kl_div`, `energy` its `ed`). */
export type NumericalTest =
  | 'ks'
  | 'wasserstein'
  | 'psi'
  | 'jensenshannon'
  | 'kl'
  | 'hellinger'
  | 'anderson'
  | 'cramer_von_mises'
  | 'energy'
  | 't_test'
  | 'mannw'
  | 'epps_singleton'
  | 'empirical_mmd'

/**
 * Tests that Highway runs on categorical columns (Evidently's `z` is named `ztest` here, `kl_div` is `kl`).
 * `TVD` is Evidently's permutation test of the total variation distance; `tvd` is Highway's threshold on the distance itself.
 */
export type CategoricalTest = 'chisquare' | 'ztest' | 'jensenshannon' | 'psi' | 'kl' | 'hellinger' | 'tvd' | 'TVD' | 'fisher_exact' | 'g_test'

/** How numerical binned tests (`psi`, `kl`, `jensenshannon`, `hellinger`) bin: as Evidently does (Sturges over reference ∪ current), or on 10 reference deciles. */
export type Binning = 'evidently' | 'deciles'

/** Kind of input a test consumes: samples or reference-binned counts, or counts per category. */
export type ColumnKind = 'numerical' | 'categorical'

/**
 * How a threshold decides drift, with the comparison Evidently uses for that test:
 * `p_value_below` p < t, `p_value_at_most` p ≤ t, `statistic_at_least` s ≥ t, `statistic_above` s > t.
 */
export type DriftDirection = 'p_value_below' | 'p_value_at_most' | 'statistic_at_least' | 'statistic_above'

/** Outcome of a statistic: a value (and a p-value for hypothesis tests), or an explicit refusal; never NaN. */
export type StatOutcome =
  | { ok: true; statistic: number; pValue: number | null }
  | { ok: false; reason: 'not_enough_data'; detail: string }

/** How the p-value of a two-sample test was computed (SciPy's vocabulary). */
export type PValueMethod = 'exact' | 'asymptotic'

/** A sample test outcome that also says which p-value method SciPy's `method='auto'` rule picked. */
export type SampleTestOutcome =
  | { ok: true; statistic: number; pValue: number; method: PValueMethod }
  | { ok: false; reason: 'not_enough_data'; detail: string }

/** Test, threshold and direction for one column, as chosen by Evidently's default rule. */
export type DriftTestChoice =
  | { kind: 'numerical'; test: NumericalTest; threshold: number; direction: DriftDirection }
  | { kind: 'categorical'; test: CategoricalTest; threshold: number; direction: DriftDirection }

/** A threshold and the comparison that turns a statistic or p-value into a drift verdict. */
export type DriftRule = { threshold: number; direction: DriftDirection }
