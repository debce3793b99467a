// Tests on counts per category that Evidently offers besides chi-square: Fisher's exact test
// (fisher_exact_stattest.py) and the G-test (g_stattest.py), defined as SciPy 1.10.1 computes them.

import { checkCounts } from './sample.ts'
import { powerDivergence } from './categorical-tests.ts'
import type { Counts, StatOutcome } from './types.ts'

// SciPy's fisher_exact treats probabilities within this relative distance of the observed table's as equal.
const FISHER_RELATIVE_TOLERANCE = 1e-7

/**
 * Two-sided p-value of the hypergeometric table with `successes` of `draws` in the first row, out of a
 * population of `population` with `marked` marked items: the sum of the probabilities of every table
 * at most as likely as the observed one (× (1 + 1e-7), SciPy's `fisher_exact` rule). Probabilities are
 * built as ratios from the mode, so no factorials overflow and no log-gamma cancels.
 */
function hypergeometricTwoSided(successes: number, population: number, marked: number, draws: number): number {
  const lo = Math.max(0, draws - (population - marked))
  const hi = Math.min(draws, marked)
  const mode = Math.floor(((draws + 1) * (marked + 1)) / (population + 2))
  const weights = new Float64Array(hi - lo + 1)
  weights[mode - lo] = 1
  // pmf(x+1)/pmf(x) = (K − x)(n − x) / ((x + 1)(N − K − n + x + 1)).
  for (let x = mode; x < hi; x++) {
    weights[x + 1 - lo] = (weights[x - lo] as number) * (((marked - x) * (draws - x)) / ((x + 1) * (population - marked - draws + x + 1)))
  }
  for (let x = mode; x > lo; x--) {
    weights[x - 1 - lo] = (weights[x - lo] as number) * ((x * (population - marked - draws + x)) / ((marked - x + 1) * (draws - x + 1)))
  }
  let total = 0
  for (const w of weights) total += w
  const observed = weights[successes - lo] as number
  if (Math.abs(observed - 1) <= FISHER_RELATIVE_TOLERANCE) return 1
  let tail = 0
  for (const w of weights) if (w <= observed * (1 + FISHER_RELATIVE_TOLERANCE)) tail += w
  return Math.min(1, tail / total)
}

/**
 * Fisher's exact test of a two-valued feature, as Evidently's fisher_exact_stattest.py runs
 * `scipy.stats.fisher_exact` on the 2×2 table [[current second, current first], [reference second,
 * reference first]] (two-sided), "first" being the category that sorts first among those seen. The
 * statistic is that table's odds ratio (+Infinity when a cell of its denominator is 0; 1 when a margin is
 * 0, where SciPy gives NaN and p = 1). Departures: Evidently requires equally long windows (Highway takes
 * any sizes: the test conditions on them) and raises on a third category; the config admits this test only
 * on two-valued features (booleans, categories declaring two `values`), and should a third value still
 * arrive it joins the second category, as in the z-test, instead of failing. Drift when p < 0.1
 * (Evidently's default).
 */
export function fisherExact(referenceCounts: Counts, currentCounts: Counts): StatOutcome {
  const totals = checkCounts(referenceCounts, currentCounts)
  if (!totals.ok) return totals
  let first = 0
  while (first < referenceCounts.length && (referenceCounts[first] as number) + (currentCounts[first] as number) === 0) first++
  const refFirst = (referenceCounts[first] ?? 0) as number
  const curFirst = (currentCounts[first] ?? 0) as number
  const refSecond = totals.referenceTotal - refFirst
  const curSecond = totals.currentTotal - curFirst
  // Table [[a, b], [c, d]] = [[curSecond, curFirst], [refSecond, refFirst]].
  const a = curSecond
  const b = curFirst
  const c = refSecond
  const d = refFirst
  if (a + c === 0 || b + d === 0) return { ok: true, statistic: 1, pValue: 1 }
  const oddsRatio = b * c === 0 ? Infinity : (a * d) / (b * c)
  const pValue = hypergeometricTwoSided(a, a + b + c + d, a + b, a + c)
  return { ok: true, statistic: oddsRatio, pValue }
}

/**
 * G-test (log-likelihood ratio) of the current counts against the reference's, as Evidently's g_stattest.py
 * calls `scipy.stats.power_divergence(f_obs=current, f_exp=reference, lambda_="log-likelihood")`:
 * G = 2·Σ o·ln(o/e), df = categories − 1. Departure: Evidently passes the raw reference counts as f_exp,
 * which SciPy ≥ 1.9 refuses unless both windows have the same total (and which would test the sizes as
 * well as the shapes); Highway scales them to the current total, as its chi-square does. Equal to
 * Evidently's whenever Evidently runs. A category unseen in the reference gives +Infinity and p = 0;
 * one category in both windows gives statistic 0, p = 1. Drift when p < 0.1 (Evidently's default).
 */
export function gTest(referenceCounts: Counts, currentCounts: Counts): StatOutcome {
  // An empty current cell contributes 0 (x ln x → 0).
  return powerDivergence(referenceCounts, currentCounts, (observed, expected) => (observed === 0 ? 0 : 2 * observed * Math.log(observed / expected)))
}
