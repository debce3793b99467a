import { andersonKsampSorted } from './anderson-ksamp.ts'
import { hellinger, jensenShannon, klDivergence, psi, tvd } from './binned-distances.ts'
import { histogram, referenceBinEdges, weighSorted, type WeightedSample } from './binning.ts'
import { chiSquare, proportionsZTest } from './categorical-tests.ts'
import { DEFAULT_BIN_COUNT } from './const.ts'
import { fisherExact, gTest } from './contingency-tests.ts'
import { cramerVonMises2sampSorted } from './cramer-von-mises.ts'
import { energyDistanceSorted, wassersteinNormedSorted } from './cdf-distance.ts'
import { eppsSingletonSorted } from './epps-singleton.ts'
import { evidentlyBinnedCounts, hellingerNumerical, type BinningFacts } from './evidently-binning.ts'
import { ks2sampSorted } from './ks-2samp.ts'
import { mannWhitneyUSorted, tTestSorted } from './location-tests.ts'
import { empiricalMmd, tvdPermutationTest } from './permutation.ts'
import { notEnoughData, sortSample } from './sample.ts'
import type { Binning, CategoricalTest, Counts, NumericalTest, Sample, StatOutcome } from './types.ts'

/** The binned numerical tests, which depend on a binning. */
export type BinnedTest = 'psi' | 'jensenshannon' | 'kl' | 'hellinger'

/** Whether a numerical test bins its inputs (and so takes a {@link Binning}). */
export function isBinnedTest(test: string): test is BinnedTest {
  return test === 'psi' || test === 'jensenshannon' || test === 'kl' || test === 'hellinger'
}

/** Options of {@link runNumericalTest}: the binning of binned tests (default Evidently's) and the decile binning's bin count. */
export interface NumericalTestOptions {
  readonly binning?: Binning
  readonly bins?: number
  /** Permutations of permutation tests (`empirical_mmd`, `TVD`); 0 computes the statistic only (p-value null), for chunk statistics. */
  readonly permutations?: number
}

/**
 * Runs one named numerical test on two raw samples: each sample is sorted once. Binned tests bin as
 * Evidently does by default (`evidently`: Sturges over reference ∪ current, value counts for ≤ 20
 * reference values, Hellinger over distinct values), or on {@link referenceBinEdges} (`deciles`). A number
 * as the fourth argument is the decile binning's bin count (the earlier signature). `wasserstein` is
 * Evidently's normed distance.
 */
export function runNumericalTest(test: NumericalTest, reference: Sample, current: Sample, options: NumericalTestOptions | number = {}): StatOutcome {
  const opts: NumericalTestOptions = typeof options === 'number' ? { binning: 'deciles', bins: options } : options
  const ref = sortSample(reference)
  const cur = sortSample(current)
  switch (test) {
    case 'ks':
      return ks2sampSorted(ref, cur)
    case 'wasserstein':
      return wassersteinNormedSorted(ref, cur)
    case 'energy':
      return energyDistanceSorted(ref, cur)
    case 'anderson':
      return andersonKsampSorted(ref, cur)
    case 'cramer_von_mises':
      return cramerVonMises2sampSorted(ref, cur)
    case 't_test':
      return tTestSorted(ref, cur)
    case 'mannw':
      return mannWhitneyUSorted(ref, cur)
    case 'epps_singleton':
      return eppsSingletonSorted(ref, cur)
    case 'empirical_mmd':
      return empiricalMmd(reference, current, opts.permutations)
    case 'psi':
    case 'jensenshannon':
    case 'kl':
    case 'hellinger': {
      if ((opts.binning ?? 'evidently') === 'evidently') return runEvidentlyBinned(test, weighSorted(ref), weighSorted(cur))
      const edges = referenceBinEdges(ref, opts.bins ?? DEFAULT_BIN_COUNT)
      return runBinnedDistance(test, histogram(ref, edges), histogram(cur, edges))
    }
  }
}

/** A binned numerical test with Evidently's binning, on weighted samples (raw values, or sketch buckets with `facts`). */
export function runEvidentlyBinned(test: BinnedTest, reference: WeightedSample, current: WeightedSample, facts: BinningFacts & { readonly unionUnique?: number } = {}): StatOutcome {
  if (test === 'hellinger') return hellingerNumerical(reference, current, facts)
  const counts = evidentlyBinnedCounts(reference, current, facts)
  if (!counts) return notEnoughData('needs values in both windows')
  return runBinnedDistance(test, counts.reference, counts.current)
}

/** A binned distance on counts already aligned bin by bin (or category by category). */
export function runBinnedDistance(test: BinnedTest | 'tvd', referenceCounts: Counts, currentCounts: Counts): StatOutcome {
  switch (test) {
    case 'psi':
      return psi(referenceCounts, currentCounts)
    case 'jensenshannon':
      return jensenShannon(referenceCounts, currentCounts)
    case 'kl':
      return klDivergence(referenceCounts, currentCounts)
    case 'hellinger':
      return hellinger(referenceCounts, currentCounts)
    case 'tvd':
      return tvd(referenceCounts, currentCounts)
  }
}

/** Runs one named categorical test on counts aligned over the union of categories (index 0 = the category that sorts first). */
export function runCategoricalTest(test: CategoricalTest, referenceCounts: Counts, currentCounts: Counts, options: Pick<NumericalTestOptions, 'permutations'> = {}): StatOutcome {
  switch (test) {
    case 'chisquare':
      return chiSquare(referenceCounts, currentCounts)
    case 'ztest':
      return proportionsZTest(referenceCounts, currentCounts)
    case 'fisher_exact':
      return fisherExact(referenceCounts, currentCounts)
    case 'g_test':
      return gTest(referenceCounts, currentCounts)
    case 'TVD':
      return tvdPermutationTest(referenceCounts, currentCounts, options.permutations)
    case 'jensenshannon':
    case 'psi':
    case 'kl':
    case 'hellinger':
    case 'tvd':
      return runBinnedDistance(test, referenceCounts, currentCounts)
  }
}
