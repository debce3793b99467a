export { andersonKsamp, andersonPValue } from './anderson-ksamp.ts'
export { hellinger, jensenShannon, klDivergence, psi, tvd } from './binned-distances.ts'
export { binIndex, countOnEdges, histogram, linearQuantileSorted, referenceBinEdges, sturgesEdges, weighSorted, type WeightedSample } from './binning.ts'
export { chiSquare, proportionsZTest } from './categorical-tests.ts'
export { fisherExact, gTest } from './contingency-tests.ts'
export { eppsSingleton } from './epps-singleton.ts'
export { evidentlyBinnedCounts, hellingerNumerical, type BinningFacts } from './evidently-binning.ts'
export { mannWhitneyU, tTest } from './location-tests.ts'
export { empiricalMmd, MMD_MAX_VALUES, MMD_PERMUTATIONS, PERMUTATION_SEED, seededRandom, TVD_PERMUTATIONS, tvdPermutationTest } from './permutation.ts'
export { energyDistance, wassersteinDistance, wassersteinNormed } from './cdf-distance.ts'
export {
  CATEGORICAL_TEST_DEFAULTS,
  CVM_EXACT_MAX_N,
  DEFAULT_BIN_COUNT,
  EVIDENTLY_BINNED_MIN_UNIQUE,
  EMPTY_BIN_PROPORTION,
  FEW_VALUES_MAX_UNIQUE,
  KS_EXACT_MAX_N,
  MIN_OBSERVATIONS,
  NUMERICAL_TEST_DEFAULTS,
  SMALL_REFERENCE_MAX_ROWS,
  TWO_VALUES_MAX_UNIQUE,
  WASSERSTEIN_STD_FLOOR,
} from './const.ts'
export { cramerVonMises2samp, cramerVonMisesLimitCdf } from './cramer-von-mises.ts'
export { defaultTest, isDrifted } from './default-test.ts'
export { ks2samp } from './ks-2samp.ts'
export { kolmogornSf, smirnovSf } from './kolmogorov.ts'
export { isBinnedTest, runBinnedDistance, runCategoricalTest, runEvidentlyBinned, runNumericalTest, type BinnedTest, type NumericalTestOptions } from './run-test.ts'
export { sortSample } from './sample.ts'
export { chiSquaredSf, normalSf, regularizedBeta, regularizedGammaQ, studentTSf } from './special-functions.ts'
export type {
  Binning,
  CategoricalTest,
  ColumnKind,
  Counts,
  DriftDirection,
  DriftRule,
  DriftTestChoice,
  NumericalTest,
  PValueMethod,
  Sample,
  SampleTestOutcome,
  StatOutcome,
} from './types.ts'
