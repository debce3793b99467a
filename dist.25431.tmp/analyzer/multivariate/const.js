/**
 * Defaults of the multivariate analyzer, each from the tool whose behaviour it reproduces.
 * NannyML sources read: nannyml/thresholds.py (StandardDeviationThreshold), nannyml/chunk.py
 * (SizeBasedChunker), nannyml/drift/multivariate/data_reconstruction/calculator.py.
 */
/** Standard deviations around the mean of reference-chunk values; NannyML StandardDeviationThreshold default (3). */
export const DEFAULT_STD_MULTIPLIER = 3;
/** Share of variance the kept principal components must exceed; NannyML DataReconstructionDriftCalculator `n_components=0.65`. */
export const DEFAULT_VARIANCE_EXPLAINED = 0.65;
/** Family-wise (Bonferroni) or false-discovery (Benjamini–Hochberg) rate; statsmodels `multipletests` default alpha. */
export const DEFAULT_ALPHA = 0.05;
/** Largest vocabulary `buildVocabulary` keeps, most frequent tokens first (Highway choice, bounded memory per model). */
export const DEFAULT_VOCABULARY_MAX_SIZE = 20_000;
/** Fewest reference occurrences for a token to enter the vocabulary (1: every seen token is known). */
export const DEFAULT_VOCABULARY_MIN_COUNT = 1;
//# sourceMappingURL=const.js.map