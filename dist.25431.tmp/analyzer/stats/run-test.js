import { andersonKsampSorted } from "./anderson-ksamp.js";
import { hellinger, jensenShannon, klDivergence, psi, tvd } from "./binned-distances.js";
import { histogram, referenceBinEdges, weighSorted } from "./binning.js";
import { chiSquare, proportionsZTest } from "./categorical-tests.js";
import { DEFAULT_BIN_COUNT } from "./const.js";
import { fisherExact, gTest } from "./contingency-tests.js";
import { cramerVonMises2sampSorted } from "./cramer-von-mises.js";
import { energyDistanceSorted, wassersteinNormedSorted } from "./cdf-distance.js";
import { eppsSingletonSorted } from "./epps-singleton.js";
import { evidentlyBinnedCounts, hellingerNumerical } from "./evidently-binning.js";
import { ks2sampSorted } from "./ks-2samp.js";
import { mannWhitneyUSorted, tTestSorted } from "./location-tests.js";
import { empiricalMmd, tvdPermutationTest } from "./permutation.js";
import { notEnoughData, sortSample } from "./sample.js";
/** Whether a numerical test bins its inputs (and so takes a {@link Binning}). */
export function isBinnedTest(test) {
    return test === 'psi' || test === 'jensenshannon' || test === 'kl' || test === 'hellinger';
}
/**
 * Runs one named numerical test on two raw samples: each sample is sorted once. Binned tests bin as
 * Evidently does by default (`evidently`: Sturges over reference ∪ current, value counts for ≤ 20
 * reference values, Hellinger over distinct values), or on {@link referenceBinEdges} (`deciles`). A number
 * as the fourth argument is the decile binning's bin count (the earlier signature). `wasserstein` is
 * Evidently's normed distance.
 */
export function runNumericalTest(test, reference, current, options = {}) {
    const opts = typeof options === 'number' ? { binning: 'deciles', bins: options } : options;
    const ref = sortSample(reference);
    const cur = sortSample(current);
    switch (test) {
        case 'ks':
            return ks2sampSorted(ref, cur);
        case 'wasserstein':
            return wassersteinNormedSorted(ref, cur);
        case 'energy':
            return energyDistanceSorted(ref, cur);
        case 'anderson':
            return andersonKsampSorted(ref, cur);
        case 'cramer_von_mises':
            return cramerVonMises2sampSorted(ref, cur);
        case 't_test':
            return tTestSorted(ref, cur);
        case 'mannw':
            return mannWhitneyUSorted(ref, cur);
        case 'epps_singleton':
            return eppsSingletonSorted(ref, cur);
        case 'empirical_mmd':
            return empiricalMmd(reference, current, opts.permutations);
        case 'psi':
        case 'jensenshannon':
        case 'kl':
        case 'hellinger': {
            if ((opts.binning ?? 'evidently') === 'evidently')
                return runEvidentlyBinned(test, weighSorted(ref), weighSorted(cur));
            const edges = referenceBinEdges(ref, opts.bins ?? DEFAULT_BIN_COUNT);
            return runBinnedDistance(test, histogram(ref, edges), histogram(cur, edges));
        }
    }
}
/** A binned numerical test with Evidently's binning, on weighted samples (raw values, or sketch buckets with `facts`). */
export function runEvidentlyBinned(test, reference, current, facts = {}) {
    if (test === 'hellinger')
        return hellingerNumerical(reference, current, facts);
    const counts = evidentlyBinnedCounts(reference, current, facts);
    if (!counts)
        return notEnoughData('needs values in both windows');
    return runBinnedDistance(test, counts.reference, counts.current);
}
/** A binned distance on counts already aligned bin by bin (or category by category). */
export function runBinnedDistance(test, referenceCounts, currentCounts) {
    switch (test) {
        case 'psi':
            return psi(referenceCounts, currentCounts);
        case 'jensenshannon':
            return jensenShannon(referenceCounts, currentCounts);
        case 'kl':
            return klDivergence(referenceCounts, currentCounts);
        case 'hellinger':
            return hellinger(referenceCounts, currentCounts);
        case 'tvd':
            return tvd(referenceCounts, currentCounts);
    }
}
/** Runs one named categorical test on counts aligned over the union of categories (index 0 = the category that sorts first). */
export function runCategoricalTest(test, referenceCounts, currentCounts, options = {}) {
    switch (test) {
        case 'chisquare':
            return chiSquare(referenceCounts, currentCounts);
        case 'ztest':
            return proportionsZTest(referenceCounts, currentCounts);
        case 'fisher_exact':
            return fisherExact(referenceCounts, currentCounts);
        case 'g_test':
            return gTest(referenceCounts, currentCounts);
        case 'TVD':
            return tvdPermutationTest(referenceCounts, currentCounts, options.permutations);
        case 'jensenshannon':
        case 'psi':
        case 'kl':
        case 'hellinger':
        case 'tvd':
            return runBinnedDistance(test, referenceCounts, currentCounts);
    }
}
//# sourceMappingURL=run-test.js.map