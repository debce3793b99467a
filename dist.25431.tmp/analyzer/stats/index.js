export { andersonKsamp, andersonPValue } from "./anderson-ksamp.js";
export { hellinger, jensenShannon, klDivergence, psi, tvd } from "./binned-distances.js";
export { binIndex, countOnEdges, histogram, linearQuantileSorted, referenceBinEdges, sturgesEdges, weighSorted } from "./binning.js";
export { chiSquare, proportionsZTest } from "./categorical-tests.js";
export { fisherExact, gTest } from "./contingency-tests.js";
export { eppsSingleton } from "./epps-singleton.js";
export { evidentlyBinnedCounts, hellingerNumerical } from "./evidently-binning.js";
export { mannWhitneyU, tTest } from "./location-tests.js";
export { empiricalMmd, MMD_MAX_VALUES, MMD_PERMUTATIONS, PERMUTATION_SEED, seededRandom, TVD_PERMUTATIONS, tvdPermutationTest } from "./permutation.js";
export { energyDistance, wassersteinDistance, wassersteinNormed } from "./cdf-distance.js";
export { CATEGORICAL_TEST_DEFAULTS, CVM_EXACT_MAX_N, DEFAULT_BIN_COUNT, EVIDENTLY_BINNED_MIN_UNIQUE, EMPTY_BIN_PROPORTION, FEW_VALUES_MAX_UNIQUE, KS_EXACT_MAX_N, MIN_OBSERVATIONS, NUMERICAL_TEST_DEFAULTS, SMALL_REFERENCE_MAX_ROWS, TWO_VALUES_MAX_UNIQUE, WASSERSTEIN_STD_FLOOR, } from "./const.js";
export { cramerVonMises2samp, cramerVonMisesLimitCdf } from "./cramer-von-mises.js";
export { defaultTest, isDrifted } from "./default-test.js";
export { ks2samp } from "./ks-2samp.js";
export { kolmogornSf, smirnovSf } from "./kolmogorov.js";
export { isBinnedTest, runBinnedDistance, runCategoricalTest, runEvidentlyBinned, runNumericalTest } from "./run-test.js";
export { sortSample } from "./sample.js";
export { chiSquaredSf, normalSf, regularizedBeta, regularizedGammaQ, studentTSf } from "./special-functions.js";
//# sourceMappingURL=index.js.map