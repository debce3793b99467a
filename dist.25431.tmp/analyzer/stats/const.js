// Evidently sources cited below live under src/evidently/legacy/calculations/stattests/ in
// evidentlyai/evidently (read at commit 05d85bbb / 61f1e728 / b419ef0f, 2025); SciPy sources are 1.10.1.
/** Fewest finite observations a window needs before any statistic is computed (SciPy's `cramervonmises_2samp` floor, applied to every test). */
export const MIN_OBSERVATIONS = 2;
/** Reference rows up to which Evidently picks hypothesis tests instead of distances (registry.py `_get_default_stattest`: `shape[0] <= 1000`). */
export const SMALL_REFERENCE_MAX_ROWS = 1000;
/** Unique values up to which Evidently treats a numerical column as categorical (registry.py: `n_values <= 5`). */
export const FEW_VALUES_MAX_UNIQUE = 5;
/** Unique values up to which Evidently picks the two-proportion z-test over chi-square (registry.py: `n_values > 2` → chi-square). */
export const TWO_VALUES_MAX_UNIQUE = 2;
/** Floor of the reference standard deviation that norms the Wasserstein distance (wasserstein_distance_norm.py: `max(np.std(reference_data), 0.001)`). */
export const WASSERSTEIN_STD_FLOOR = 0.001;
/** Proportion written into empty bins before PSI and KL (utils.py `get_binned_data`, `feel_zeroes=True`). */
export const EMPTY_BIN_PROPORTION = 0.0001;
/** Divisor of the smallest non-empty proportion when that proportion is itself ≤ {@link EMPTY_BIN_PROPORTION} (utils.py: `min(...) / 10**6`). */
export const EMPTY_BIN_SMALL_DIVISOR = 1e6;
/** Largest sample size for which SciPy's `ks_2samp(method='auto')` computes the exact p-value (`MAX_AUTO_N = 10000` in _stats_py.py). */
export const KS_EXACT_MAX_N = 10000;
/** Largest sample size for which SciPy's `cramervonmises_2samp(method='auto')` is exact (`max(nx, ny) > 20` → asymptotic, _hypotests.py). */
export const CVM_EXACT_MAX_N = 20;
/**
 * Quantile bins of the `deciles` binning, cut from the reference: the usual binning of PSI (Yurdakul 2018,
 * "Statistical properties of population stability index"). The default binning is Evidently's (Sturges'
 * rule over reference ∪ current, binning.ts `sturgesEdges`).
 */
export const DEFAULT_BIN_COUNT = 10;
/**
 * Default threshold and direction of each numerical test, from the `StatTest(default_threshold=…)`
 * and the comparison in each Evidently stattest file:
 * ks_stattest.py (0.05, `p_value <= threshold`), wasserstein_distance_norm.py (0.1, `>=`),
 * psi.py (0.1, `>=`), jensenshannon.py (0.1, `>=`), kl_div.py (0.1, `>=`),
 * hellinger_distance.py (0.1, `>=`), anderson_darling_stattest.py (0.1, `p_value < threshold`),
 * cramer_von_mises_stattest.py (0.1, `p_value <= threshold`), energy_distance.py (0.1, `distance > threshold`).
 */
export const NUMERICAL_TEST_DEFAULTS = {
    ks: { threshold: 0.05, direction: 'p_value_at_most' },
    wasserstein: { threshold: 0.1, direction: 'statistic_at_least' },
    psi: { threshold: 0.1, direction: 'statistic_at_least' },
    jensenshannon: { threshold: 0.1, direction: 'statistic_at_least' },
    kl: { threshold: 0.1, direction: 'statistic_at_least' },
    hellinger: { threshold: 0.1, direction: 'statistic_at_least' },
    anderson: { threshold: 0.1, direction: 'p_value_below' },
    cramer_von_mises: { threshold: 0.1, direction: 'p_value_at_most' },
    energy: { threshold: 0.1, direction: 'statistic_above' },
    // t_test.py (StatTest default 0.05, `p_value < threshold`), mann_whitney_urank_stattest.py (0.05, `<`),
    // epps_singleton_stattest.py (0.05, `<`), mmd_stattest.py (0.1, `<`).
    t_test: { threshold: 0.05, direction: 'p_value_below' },
    mannw: { threshold: 0.05, direction: 'p_value_below' },
    epps_singleton: { threshold: 0.05, direction: 'p_value_below' },
    empirical_mmd: { threshold: 0.1, direction: 'p_value_below' },
};
/**
 * Default threshold and direction of each categorical test: chisquare_stattest.py (StatTest default
 * 0.05 from registry.py, `p_value < threshold`), z_stattest.py (0.05, `p_value < threshold`),
 * jensenshannon.py, psi.py, kl_div.py and hellinger_distance.py (0.1, `>=`), tvd_stattest.py (`TVD`:
 * a permutation p-value, 0.1, `p_value < threshold`), fisher_exact_stattest.py (0.1, `<`) and
 * g_stattest.py (0.1, `<`). Highway's own `tvd` thresholds the distance itself at 0.1 (`>=`).
 */
export const CATEGORICAL_TEST_DEFAULTS = {
    chisquare: { threshold: 0.05, direction: 'p_value_below' },
    ztest: { threshold: 0.05, direction: 'p_value_below' },
    jensenshannon: { threshold: 0.1, direction: 'statistic_at_least' },
    psi: { threshold: 0.1, direction: 'statistic_at_least' },
    kl: { threshold: 0.1, direction: 'statistic_at_least' },
    hellinger: { threshold: 0.1, direction: 'statistic_at_least' },
    tvd: { threshold: 0.1, direction: 'statistic_at_least' },
    TVD: { threshold: 0.1, direction: 'p_value_below' },
    fisher_exact: { threshold: 0.1, direction: 'p_value_below' },
    g_test: { threshold: 0.1, direction: 'p_value_below' },
};
/** Reference distinct values above which Evidently bins a numerical column (utils.py `get_binned_data`: `n_vals > 20`); at most that, it compares value counts. */
export const EVIDENTLY_BINNED_MIN_UNIQUE = 21;
//# sourceMappingURL=const.js.map