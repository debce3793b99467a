// Evidently's tests that Highway added (fisher_exact, g_test, t_test, mannw, epps_singleton, empirical_mmd,
// TVD) and Evidently's binning, against golden values from scripts/golden/evidently_tests.py (SciPy 1.10.1).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  empiricalMmd,
  eppsSingleton,
  fisherExact,
  gTest,
  hellinger,
  klDivergence,
  mannWhitneyU,
  MMD_PERMUTATIONS,
  regularizedBeta,
  runCategoricalTest,
  runNumericalTest,
  studentTSf,
  tTest,
  TVD_PERMUTATIONS,
  tvdPermutationTest,
} from './index.ts'
import { expectClose, P_VALUE_TOLERANCE, STATISTIC_TOLERANCE, type GoldenNumber } from './test-fixture.ts'

type Golden = { statistic: GoldenNumber; pValue: GoldenNumber }
type Fixture = {
  numerical: {
    name: string
    reference: number[]
    current: number[]
    expected: {
      t_test: Golden
      mannw: Golden & { method: 'exact' | 'asymptotic' }
      epps_singleton?: Golden
      empirical_mmd: { statistic: number; numpyPermutationPValue: number }
      psi: number
      kl: number
      jensenshannon: number
      hellinger: number
    }
  }[]
  categorical: {
    name: string
    referenceCounts: number[]
    currentCounts: number[]
    expected: { fisher_exact?: Golden; g_test: Golden & { evidentlyPValue?: GoldenNumber }; kl: number; hellinger: number; TVD: { statistic: number; numpyPermutationPValue: number } }
  }[]
  special: { tSf: [number, number, number][]; betainc: [number, number, number, number][] }
}

const golden = JSON.parse(readFileSync(new URL('../../test/fixtures/golden/evidently-tests.json', import.meta.url), 'utf8')) as Fixture

/** A permutation p-value from k permutations against NumPy's: within 4 standard errors (and one step of 1/k). */
function expectWithinMonteCarlo(actual: number | null, numpy: number, permutations: number, label: string): void {
  const p = Math.min(Math.max(numpy, 1 / permutations), 1 - 1 / permutations)
  const allowed = 4 * Math.sqrt((p * (1 - p)) / permutations) + 1 / permutations
  expect(Math.abs((actual ?? NaN) - numpy) <= allowed, `${label}: got ${actual}, NumPy's permutations ${numpy}, allowed ±${allowed.toFixed(4)}`).toBe(true)
}

function ok<T extends { ok: boolean }>(outcome: T): Extract<T, { ok: true }> {
  if (!outcome.ok) throw new Error(`not ok: ${JSON.stringify(outcome)}`)
  return outcome as Extract<T, { ok: true }>
}

describe("numerical tests Evidently has, against SciPy", () => {
  for (const c of golden.numerical) {
    describe(c.name, () => {
      it('matches ttest_ind (t_test) to 1e-9', () => {
        const out = ok(tTest(c.reference, c.current))
        expectClose(out.statistic, c.expected.t_test.statistic, STATISTIC_TOLERANCE, 't')
        expectClose(out.pValue, c.expected.t_test.pValue, P_VALUE_TOLERANCE, 't p-value')
      })
      it('matches mannwhitneyu(alternative="less") (mannw) to 1e-9, with the same method', () => {
        const out = ok(mannWhitneyU(c.reference, c.current))
        expect(out.method).toBe(c.expected.mannw.method)
        expectClose(out.statistic, c.expected.mannw.statistic, STATISTIC_TOLERANCE, 'U1')
        expectClose(out.pValue, c.expected.mannw.pValue, P_VALUE_TOLERANCE, 'U p-value')
      })
      const es = c.expected.epps_singleton
      if (es) {
        it('matches epps_singleton_2samp (epps_singleton) to 1e-9', () => {
          const out = ok(eppsSingleton(c.reference, c.current))
          expectClose(out.statistic, es.statistic, STATISTIC_TOLERANCE, 'W')
          expectClose(out.pValue, es.pValue, P_VALUE_TOLERANCE, 'W p-value')
        })
      }
      it("matches Evidently's empirical MMD statistic to 1e-9 and its permutation p-value within Monte Carlo error", () => {
        const out = ok(empiricalMmd(c.reference, c.current))
        expectClose(out.statistic, c.expected.empirical_mmd.statistic, { relative: 1e-9, absolute: 1e-14 }, 'MMD²')
        expectWithinMonteCarlo(out.pValue, c.expected.empirical_mmd.numpyPermutationPValue, MMD_PERMUTATIONS, 'MMD p-value')
      })
      it("matches Evidently's binned psi, kl, jensenshannon and hellinger (Sturges bins) to 1e-9", () => {
        for (const test of ['psi', 'kl', 'jensenshannon', 'hellinger'] as const) {
          const out = ok(runNumericalTest(test, c.reference, c.current))
          expectClose(out.statistic, c.expected[test], STATISTIC_TOLERANCE, test)
        }
      })
    })
  }

  it('refuses epps_singleton with not_enough_data when the pooled IQR is 0, where Evidently raises', () => {
    expect(eppsSingleton([1, 1, 1, 1, 1, 1, 2], [1, 1, 1, 1, 1, 1])).toMatchObject({ ok: false, reason: 'not_enough_data' })
  })

  it('computes the statistic alone with 0 permutations (chunk statistics), the same as with them', () => {
    const c = golden.numerical[0]!
    const full = ok(empiricalMmd(c.reference, c.current))
    expect(runNumericalTest('empirical_mmd', c.reference, c.current, { permutations: 0 })).toEqual({ ok: true, statistic: full.statistic, pValue: null })
    expect(runCategoricalTest('TVD', [60, 40], [35, 65], { permutations: 0 })).toEqual({ ok: true, statistic: 0.25, pValue: null })
  })

  it('gives the same p-value for the same windows every time (seeded permutations)', () => {
    const c = golden.numerical[0]!
    expect(empiricalMmd(c.reference, c.current)).toEqual(empiricalMmd(c.reference, c.current))
  })
})

describe('categorical tests Evidently has, against SciPy', () => {
  for (const c of golden.categorical) {
    describe(c.name, () => {
      const fisher = c.expected.fisher_exact
      if (fisher) {
        it('matches fisher_exact to 1e-9', () => {
          const out = ok(fisherExact(c.referenceCounts, c.currentCounts))
          expectClose(out.statistic, fisher.statistic, STATISTIC_TOLERANCE, 'odds ratio')
          expectClose(out.pValue ?? NaN, fisher.pValue, P_VALUE_TOLERANCE, 'Fisher p-value')
        })
      }
      it('matches power_divergence(lambda_="log-likelihood") (g_test) to 1e-9', () => {
        const out = ok(gTest(c.referenceCounts, c.currentCounts))
        expectClose(out.statistic, c.expected.g_test.statistic, STATISTIC_TOLERANCE, 'G')
        expectClose(out.pValue ?? NaN, c.expected.g_test.pValue, P_VALUE_TOLERANCE, 'G p-value')
        if (c.expected.g_test.evidentlyPValue !== undefined) expectClose(out.pValue ?? NaN, c.expected.g_test.evidentlyPValue, P_VALUE_TOLERANCE, "Evidently's G p-value")
      })
      it('runs kl and hellinger on categories as Evidently does', () => {
        expectClose(ok(runCategoricalTest('kl', c.referenceCounts, c.currentCounts)).statistic, c.expected.kl, STATISTIC_TOLERANCE, 'kl')
        expectClose(ok(runCategoricalTest('hellinger', c.referenceCounts, c.currentCounts)).statistic, c.expected.hellinger, STATISTIC_TOLERANCE, 'hellinger')
        expect(klDivergence(c.referenceCounts, c.currentCounts)).toEqual(runCategoricalTest('kl', c.referenceCounts, c.currentCounts))
        expect(hellinger(c.referenceCounts, c.currentCounts)).toEqual(runCategoricalTest('hellinger', c.referenceCounts, c.currentCounts))
      })
      it("matches Evidently's TVD distance exactly and its permutation p-value within Monte Carlo error", () => {
        const out = ok(tvdPermutationTest(c.referenceCounts, c.currentCounts))
        expectClose(out.statistic, c.expected.TVD.statistic, STATISTIC_TOLERANCE, 'TVD')
        expectWithinMonteCarlo(out.pValue, c.expected.TVD.numpyPermutationPValue, TVD_PERMUTATIONS, 'TVD p-value')
        expect(runCategoricalTest('TVD', c.referenceCounts, c.currentCounts)).toEqual(out)
      })
    })
  }
})

describe('special functions behind the t-test', () => {
  it.each(golden.special.tSf)('t.sf(%d, df=%d) matches SciPy to 1e-9', (t, df, want) => {
    expectClose(studentTSf(t, df), want, P_VALUE_TOLERANCE, `t.sf(${t}, ${df})`)
  })
  it.each(golden.special.betainc)('betainc at x=%d, a=%d, b=%d matches SciPy to 1e-9', (x, a, b, want) => {
    expectClose(regularizedBeta(x, a, b), want, P_VALUE_TOLERANCE, `I_${x}(${a}, ${b})`)
  })
})
