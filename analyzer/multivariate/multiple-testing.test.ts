import { describe, expect, it } from 'vitest'
import { GOLDEN } from './golden.ts'
import { adjustedPValues, benjaminiHochberg, bonferroni } from './index.ts'
import { createSeededRandom } from '../../random/index.ts'

describe('multiple-testing corrections against a NumPy re-implementation of statsmodels', () => {
  for (const c of GOLDEN.multipleTesting) {
    it(`agrees exactly on ${c.name}`, () => {
      expect(benjaminiHochberg(c.pValues, c.alpha)).toEqual(c.expected.benjaminiHochberg)
      expect(bonferroni(c.pValues, c.alpha)).toEqual(c.expected.bonferroni)
      // Same IEEE operations in the same order as statsmodels: equal to the last bit.
      expect(adjustedPValues(c.pValues)).toEqual(c.expected.adjustedBenjaminiHochberg)
      expect(adjustedPValues(c.pValues, 'bonferroni')).toEqual(c.expected.adjustedBonferroni)
    })
  }
})

describe('benjaminiHochberg', () => {
  it('flags exactly the p-values whose adjusted value is at most alpha', () => {
    const uniform = createSeededRandom(7).uniform
    for (let trial = 0; trial < 200; trial++) {
      const p = Array.from({ length: 30 }, () => (uniform() < 0.2 ? uniform() * 1e-3 : uniform()))
      const adjusted = adjustedPValues(p)
      expect(benjaminiHochberg(p, 0.05)).toEqual(adjusted.map((q) => q <= 0.05))
    }
  })

  it('flags a larger p-value when a later rank passes its step-up line (step-up, not step-down)', () => {
    // Sorted: 0.011 (rank 1 line 0.00833), …, 0.03 (rank 5 line 0.04167): rank 5 passes, so ranks 1–4 are flagged too.
    expect(benjaminiHochberg([0.011, 0.012, 0.013, 0.014, 0.2, 0.03], 0.05)).toEqual([true, true, true, true, false, true])
  })

  it('answers an empty list with an empty list', () => {
    expect(benjaminiHochberg([])).toEqual([])
    expect(adjustedPValues([])).toEqual([])
  })

  it('rejects a p-value outside [0, 1] and an alpha outside (0, 1), naming them', () => {
    expect(() => benjaminiHochberg([0.2, 1.5])).toThrow(/pValues\[1\] = 1.5/)
    expect(() => benjaminiHochberg([0.2], 0)).toThrow(/alpha = 0/)
    expect(() => adjustedPValues([Number.NaN])).toThrow(/pValues\[0\] = NaN/)
  })
})

describe('a stable window with 25 features tested at 5%', () => {
  // A fair stand-in for a large harmless window: when nothing drifted, each feature's p-value is uniform
  // on [0, 1] whatever the sample size, so 5% of them fall below 0.05 by chance alone. 4000 windows of 25
  // independent features; the bands below are about ±4 binomial standard deviations.
  const windows = 4000
  const features = 25
  const uniform = createSeededRandom(20240611).uniform
  const pValues = Array.from({ length: windows }, () => Array.from({ length: features }, () => uniform()))

  it('flags about 5% of features, and at least one feature in about 72% of windows, without correction', () => {
    const flagged = pValues.flat().filter((p) => p < 0.05).length / (windows * features)
    const windowsFlagged = pValues.filter((p) => p.some((x) => x < 0.05)).length / windows
    expect(flagged).toBeGreaterThan(0.045)
    expect(flagged).toBeLessThan(0.055)
    expect(windowsFlagged).toBeGreaterThan(0.70) // 1 − 0.95²⁵ = 0.723
    expect(windowsFlagged).toBeLessThan(0.75)
  })

  it('flags a feature in at most about 5% of windows with Benjamini–Hochberg (its FDR equals FWER when nothing drifted)', () => {
    const windowsFlagged = pValues.filter((p) => benjaminiHochberg(p, 0.05).some(Boolean)).length / windows
    expect(windowsFlagged).toBeLessThan(0.065)
  })

  it('flags a feature in at most about 5% of windows with Bonferroni', () => {
    const windowsFlagged = pValues.filter((p) => bonferroni(p, 0.05).some(Boolean)).length / windows
    expect(windowsFlagged).toBeLessThan(0.065)
  })

  it('still flags three features that truly drifted among 22 that did not', () => {
    let found = 0
    let falseDiscoveryProportions = 0
    for (const p of pValues) {
      const flags = benjaminiHochberg([1e-6, 1e-5, 1e-4, ...p.slice(3)], 0.05)
      const trueFlags = flags.slice(0, 3).filter(Boolean).length
      const falseFlags = flags.slice(3).filter(Boolean).length
      found += trueFlags
      falseDiscoveryProportions += falseFlags / Math.max(trueFlags + falseFlags, 1)
    }
    expect(found).toBe(3 * windows)
    // FDR = E[false flags / flags] ≤ alpha · 22 / 25 = 0.044 for independent tests (Benjamini & Hochberg 1995).
    expect(falseDiscoveryProportions / windows).toBeLessThan(0.05)
  })
})
