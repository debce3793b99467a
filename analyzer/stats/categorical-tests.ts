import { checkCounts } from './sample.ts'
import { chiSquaredSf, normalSf } from './special-functions.ts'
import type { Counts, StatOutcome } from './types.ts'

/**
 * Pearson's chi-square goodness-of-fit of the current counts against expected counts from the
 * reference, as Evidently's chisquare_stattest.py calls SciPy 1.10.1:
 * `chisquare(f_obs=current, f_exp=reference × (n_current / n_reference))`, df = categories − 1.
 * Categories are the union of those seen in either window; an entry with count 0 in both is not a
 * category and is skipped. A category unseen in the reference has expected count 0: like SciPy
 * (and so Evidently), the statistic is +Infinity and the p-value 0, i.e. drift — a category the
 * reference never produced is a change of distribution. With a single category in both windows the
 * distributions are identical; SciPy returns NaN (df = 0), Highway returns statistic 0, p-value 1.
 * Drift when p < 0.05.
 */
export function chiSquare(referenceCounts: Counts, currentCounts: Counts): StatOutcome {
  return powerDivergence(referenceCounts, currentCounts, (observed, expected) => (observed - expected) ** 2 / expected)
}

/**
 * A power-divergence test of the current counts against the reference shares scaled to the current total
 * (Cressie–Read: chi-square and G are its members). `term` is a cell's contribution, given expected > 0; a cell
 * the reference never produced makes the statistic +Infinity (p = 0); cells empty on both sides do not count;
 * fewer than two categories give statistic 0, p = 1.
 */
export function powerDivergence(referenceCounts: Counts, currentCounts: Counts, term: (observed: number, expected: number) => number): StatOutcome {
  const totals = checkCounts(referenceCounts, currentCounts)
  if (!totals.ok) return totals
  const scale = totals.currentTotal / totals.referenceTotal
  let statistic = 0
  let categories = 0
  for (let i = 0; i < referenceCounts.length; i++) {
    const observed = currentCounts[i] as number
    const expected = (referenceCounts[i] as number) * scale
    if (observed === 0 && expected === 0) continue
    categories++
    statistic += expected === 0 ? Infinity : term(observed, expected)
  }
  if (categories < 2) return { ok: true, statistic: 0, pValue: 1 }
  const pValue = statistic === Infinity ? 0 : chiSquaredSf(Math.max(0, statistic), categories - 1)
  return { ok: true, statistic, pValue }
}

/**
 * Two-proportion z-test as Evidently's z_stattest.py: the first category (in sort order) of those seen in
 * either window is 0 and every other category is 1, p1 and p2 are the shares of 1 in the reference and
 * current windows, z = (p1 − p2)/√(P(1−P)(1/n1 + 1/n2)) with the pooled share P, and the two-sided p-value
 * 2·sf(|z|). With two categories that is the usual test; a third category (one the reference never saw, say)
 * joins the "other" side, as in Evidently, instead of failing. Evidently writes 2·(1 − Φ(|z|)), equal to
 * within a few ulps of 1 (~1e-15 absolute); the survival function keeps small p-values accurate. When a
 * single category is seen in both windows Evidently returns p = 1, and so does this (statistic 0).
 * Drift when p < 0.05.
 */
export function proportionsZTest(referenceCounts: Counts, currentCounts: Counts): StatOutcome {
  const totals = checkCounts(referenceCounts, currentCounts)
  if (!totals.ok) return totals
  const n1 = totals.referenceTotal
  const n2 = totals.currentTotal
  let first = 0
  while (first < referenceCounts.length && (referenceCounts[first] as number) + (currentCounts[first] as number) === 0) first++
  const p1 = (n1 - ((referenceCounts[first] ?? 0) as number)) / n1
  const p2 = (n2 - ((currentCounts[first] ?? 0) as number)) / n2
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
  if (pooled === 0 || pooled === 1) return { ok: true, statistic: 0, pValue: 1 }
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
  return { ok: true, statistic: z, pValue: Math.min(1, 2 * normalSf(Math.abs(z))) }
}
