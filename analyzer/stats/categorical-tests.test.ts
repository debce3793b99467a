import { describe, expect, it } from 'vitest'
import { chiSquare, hellinger, jensenShannon, klDivergence, proportionsZTest, psi, runCategoricalTest, tvd } from './index.ts'
import { expectClose, loadGolden, P_VALUE_TOLERANCE, STATISTIC_TOLERANCE } from './test-fixture.ts'

const golden = loadGolden()

describe('categorical tests against SciPy and Evidently golden values', () => {
  for (const testCase of golden.categorical) {
    const r = testCase.referenceCounts
    const c = testCase.currentCounts
    const expected = testCase.expected

    if (expected.notEnoughData) {
      it(`refuses ${testCase.name} with not_enough_data`, () => {
        for (const outcome of [chiSquare(r, c), jensenShannon(r, c), psi(r, c), klDivergence(r, c), hellinger(r, c), tvd(r, c)]) {
          expect(outcome).toMatchObject({ ok: false, reason: 'not_enough_data' })
        }
        if (r.length <= 2) expect(proportionsZTest(r, c).ok).toBe(false)
      })
      continue
    }

    describe(testCase.name, () => {
      it('matches chisquare with expected counts from reference proportions', () => {
        const outcome = chiSquare(r, c)
        if (!outcome.ok) throw new Error(outcome.detail)
        expectClose(outcome.statistic, expected.chisquare.statistic, STATISTIC_TOLERANCE, 'chi-square statistic')
        expectClose(outcome.pValue ?? NaN, expected.chisquare.pValue, P_VALUE_TOLERANCE, 'chi-square p-value')
      })

      if (expected.ztest) {
        const ztest = expected.ztest
        it("matches Evidently's two-proportion z-test", () => {
          const outcome = proportionsZTest(r, c)
          if (!outcome.ok) throw new Error(outcome.detail)
          expectClose(outcome.statistic, ztest.statistic, STATISTIC_TOLERANCE, 'z statistic')
          expectClose(outcome.pValue ?? NaN, ztest.pValue, P_VALUE_TOLERANCE, 'z p-value (2·sf)')
          // Evidently's 2·(1 − Φ(|z|)) differs only by the rounding of 1 − Φ (a few ulps of 1).
          expectClose(outcome.pValue ?? NaN, ztest.evidentlyPValue, { relative: 0, absolute: 2e-15 }, 'z p-value (Evidently)')
        })
      }

      it('matches Jensen-Shannon, PSI, KL, Hellinger and TVD on category proportions', () => {
        const pairs: [string, ReturnType<typeof psi>, number][] = [
          ['jensenshannon', runCategoricalTest('jensenshannon', r, c), expected.jensenshannon],
          ['psi', runCategoricalTest('psi', r, c), expected.psi],
          ['kl', klDivergence(r, c), expected.kl],
          ['hellinger', hellinger(r, c), expected.hellinger],
          ['tvd', runCategoricalTest('tvd', r, c), expected.tvd],
        ]
        for (const [name, outcome, want] of pairs) {
          if (!outcome.ok) throw new Error(`${name}: ${outcome.detail}`)
          expectClose(outcome.statistic, want, STATISTIC_TOLERANCE, name)
        }
      })
    })
  }

  it('reports drift with an infinite statistic when a category is unseen in the reference, as SciPy does', () => {
    const outcome = chiSquare([400, 300, 200, 0], [120, 90, 60, 7])
    expect(outcome).toEqual({ ok: true, statistic: Infinity, pValue: 0 })
  })

  it("runs the z-test on a third category as Evidently does, the first category against all others, instead of throwing", () => {
    expect(proportionsZTest([50, 50, 0], [40, 40, 20])).toEqual(proportionsZTest([50, 50], [40, 60]))
    expect(proportionsZTest([0, 50, 50], [0, 40, 60])).toEqual(proportionsZTest([50, 50], [40, 60]))
  })

  it('refuses misaligned counts', () => {
    expect(() => chiSquare([1, 2], [1, 2, 3])).toThrow(RangeError)
    expect(() => psi([1, -2], [1, 2])).toThrow(RangeError)
  })
})
