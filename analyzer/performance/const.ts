// The metric names live in model-metrics (SLO specs name them without loading the analyzer).
export { CBPE_METRICS } from '../../model-metrics/index.ts'

/** Confidence band half-width in sampling errors (NannyML `SAMPLING_ERROR_RANGE = 3`). */
export const SAMPLING_ERROR_RANGE = 3

/** Reference chunks when no chunk size is given (NannyML's DefaultChunker cuts data into 10 chunks). */
export const DEFAULT_REFERENCE_CHUNKS = 10

/**
 * NannyML `needs_calibration` settings (nannyml/calibration.py): ECE on 10 equal-frequency bins over the
 * test folds of 10 stratified shuffle splits with 10% test size and random_state 42; scores with
 * ROC AUC above 0.999 are left alone.
 */
export const NEEDS_CALIBRATION = { bins: 10, splits: 10, testFraction: 0.1, seed: 42, aucCeiling: 0.999 } as const

/** sklearn `IsotonicRegression` merges inputs closer than `np.finfo(float64).resolution` (1e-15) to the first of their group. */
export const ISOTONIC_X_RESOLUTION = 1e-15
