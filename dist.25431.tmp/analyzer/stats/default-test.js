import { CATEGORICAL_TEST_DEFAULTS, FEW_VALUES_MAX_UNIQUE, NUMERICAL_TEST_DEFAULTS, SMALL_REFERENCE_MAX_ROWS, TWO_VALUES_MAX_UNIQUE, } from "./const.js";
function numerical(test) {
    return { kind: 'numerical', test, ...NUMERICAL_TEST_DEFAULTS[test] };
}
function categorical(test) {
    return { kind: 'categorical', test, ...CATEGORICAL_TEST_DEFAULTS[test] };
}
/**
 * Evidently's default drift test for a column (registry.py `_get_default_stattest`):
 * reference ≤ 1000 rows → numerical with > 5 unique values `ks` (p ≤ 0.05), otherwise `chisquare`
 * (p < 0.05) or `ztest` when ≤ 2 unique values; reference > 1000 rows → numerical with > 5 unique
 * values `wasserstein` (≥ 0.1), otherwise `jensenshannon` (≥ 0.1). `uniqueValues` counts distinct
 * non-null values over reference ∪ current, as Evidently does (`pd.concat([...]).nunique()`). The
 * returned `kind` says which input the test takes: a few-valued numerical column is tested on its
 * value counts (`categorical`), as Evidently's `get_binned_data` does for such columns.
 */
export function defaultTest(kind, referenceRows, uniqueValues) {
    const fewValues = kind === 'categorical' || uniqueValues <= FEW_VALUES_MAX_UNIQUE;
    if (referenceRows <= SMALL_REFERENCE_MAX_ROWS) {
        if (!fewValues)
            return numerical('ks');
        return categorical(uniqueValues > TWO_VALUES_MAX_UNIQUE ? 'chisquare' : 'ztest');
    }
    if (!fewValues)
        return numerical('wasserstein');
    return categorical('jensenshannon');
}
/**
 * Drift verdict of an outcome under a threshold and direction; null when there is no verdict
 * (not enough data, or a p-value direction on a statistic without p-value).
 */
export function isDrifted(outcome, threshold, direction) {
    if (!outcome.ok)
        return null;
    switch (direction) {
        case 'p_value_below':
            return outcome.pValue === null ? null : outcome.pValue < threshold;
        case 'p_value_at_most':
            return outcome.pValue === null ? null : outcome.pValue <= threshold;
        case 'statistic_at_least':
            return outcome.statistic >= threshold;
        case 'statistic_above':
            return outcome.statistic > threshold;
    }
}
//# sourceMappingURL=default-test.js.map