import { describe, expect, it } from 'vitest'
import {
  CATEGORICAL_TEST_DEFAULTS,
  defaultTest,
  FEW_VALUES_MAX_UNIQUE,
  isDrifted,
  NUMERICAL_TEST_DEFAULTS,
  runNumericalTest,
  SMALL_REFERENCE_MAX_ROWS,
  type CategoricalTest,
  type DriftTestChoice,
  type NumericalTest,
  type StatOutcome,
} from './index.ts'

describe('defaultTest follows Evidently’s get_default_stattest', () => {
  const table: [string, Parameters<typeof defaultTest>, Pick<DriftTestChoice, 'kind' | 'test' | 'threshold' | 'direction'>][] = [
    ['a small numerical reference with many values gets KS, drift when p ≤ 0.05', ['numerical', 1000, 6], { kind: 'numerical', test: 'ks', threshold: 0.05, direction: 'p_value_at_most' }],
    ['a small numerical reference with five values gets chi-square on its value counts', ['numerical', 500, 5], { kind: 'categorical', test: 'chisquare', threshold: 0.05, direction: 'p_value_below' }],
    ['a small numerical reference with two values gets the z-test', ['numerical', 500, 2], { kind: 'categorical', test: 'ztest', threshold: 0.05, direction: 'p_value_below' }],
    ['a small categorical reference with three values gets chi-square, drift when p < 0.05', ['categorical', 1000, 3], { kind: 'categorical', test: 'chisquare', threshold: 0.05, direction: 'p_value_below' }],
    ['a small categorical reference with two values gets the z-test', ['categorical', 10, 2], { kind: 'categorical', test: 'ztest', threshold: 0.05, direction: 'p_value_below' }],
    ['a small categorical reference with one value gets the z-test', ['categorical', 10, 1], { kind: 'categorical', test: 'ztest', threshold: 0.05, direction: 'p_value_below' }],
    ['a large numerical reference gets the normed Wasserstein distance, drift when ≥ 0.1', ['numerical', 1001, 1000], { kind: 'numerical', test: 'wasserstein', threshold: 0.1, direction: 'statistic_at_least' }],
    ['a large few-valued numerical reference gets Jensen-Shannon on value counts', ['numerical', 5000, 4], { kind: 'categorical', test: 'jensenshannon', threshold: 0.1, direction: 'statistic_at_least' }],
    ['a large categorical reference gets Jensen-Shannon, drift when ≥ 0.1', ['categorical', 1_000_000, 2], { kind: 'categorical', test: 'jensenshannon', threshold: 0.1, direction: 'statistic_at_least' }],
  ]
  for (const [sentence, args, want] of table) {
    it(sentence, () => expect(defaultTest(...args)).toEqual(want))
  }

  it('switches from tests to distances just above 1000 reference rows', () => {
    expect(SMALL_REFERENCE_MAX_ROWS).toBe(1000)
    expect(defaultTest('numerical', SMALL_REFERENCE_MAX_ROWS, 100).test).toBe('ks')
    expect(defaultTest('numerical', SMALL_REFERENCE_MAX_ROWS + 1, 100).test).toBe('wasserstein')
    expect(defaultTest('numerical', 10, FEW_VALUES_MAX_UNIQUE + 1).test).toBe('ks')
  })
})

describe('default thresholds cite Evidently and are coherent', () => {
  const numerical = Object.entries(NUMERICAL_TEST_DEFAULTS) as [NumericalTest, (typeof NUMERICAL_TEST_DEFAULTS)[NumericalTest]][]
  const categorical = Object.entries(CATEGORICAL_TEST_DEFAULTS) as [CategoricalTest, (typeof CATEGORICAL_TEST_DEFAULTS)[CategoricalTest]][]

  it('gives every named test a threshold in (0, 1)', () => {
    expect(numerical.map(([name]) => name).sort()).toEqual(
      ['anderson', 'cramer_von_mises', 'empirical_mmd', 'energy', 'epps_singleton', 'hellinger', 'jensenshannon', 'kl', 'ks', 'mannw', 'psi', 't_test', 'wasserstein'],
    )
    expect(categorical.map(([name]) => name).sort()).toEqual(['TVD', 'chisquare', 'fisher_exact', 'g_test', 'hellinger', 'jensenshannon', 'kl', 'psi', 'tvd', 'ztest'])
    for (const [, rule] of [...numerical, ...categorical]) {
      expect(rule.threshold).toBeGreaterThan(0)
      expect(rule.threshold).toBeLessThan(1)
    }
  })

  it('uses p-value directions exactly for the hypothesis tests', () => {
    const pValueTests = new Set(['ks', 'anderson', 'cramer_von_mises', 'chisquare', 'ztest', 't_test', 'mannw', 'epps_singleton', 'empirical_mmd', 'TVD', 'fisher_exact', 'g_test'])
    for (const [name, rule] of [...numerical, ...categorical]) {
      expect(rule.direction.startsWith('p_value'), name).toBe(pValueTests.has(name))
    }
  })

  it('agrees between the numerical and categorical versions of shared tests', () => {
    expect(CATEGORICAL_TEST_DEFAULTS.psi).toEqual(NUMERICAL_TEST_DEFAULTS.psi)
    expect(CATEGORICAL_TEST_DEFAULTS.jensenshannon).toEqual(NUMERICAL_TEST_DEFAULTS.jensenshannon)
  })
})

describe('isDrifted', () => {
  const withP = (pValue: number): StatOutcome => ({ ok: true, statistic: 1, pValue })
  const distance = (statistic: number): StatOutcome => ({ ok: true, statistic, pValue: null })

  it('flags KS drift at p equal to the threshold (≤) but chi-square only below it (<)', () => {
    expect(isDrifted(withP(0.05), 0.05, 'p_value_at_most')).toBe(true)
    expect(isDrifted(withP(0.05), 0.05, 'p_value_below')).toBe(false)
    expect(isDrifted(withP(0.049), 0.05, 'p_value_below')).toBe(true)
  })

  it('flags Wasserstein at the threshold (≥) but energy only above it (>)', () => {
    expect(isDrifted(distance(0.1), 0.1, 'statistic_at_least')).toBe(true)
    expect(isDrifted(distance(0.1), 0.1, 'statistic_above')).toBe(false)
  })

  it('gives no verdict without data or without a p-value', () => {
    expect(isDrifted({ ok: false, reason: 'not_enough_data', detail: 'empty' }, 0.05, 'p_value_below')).toBeNull()
    expect(isDrifted(distance(0.5), 0.05, 'p_value_below')).toBeNull()
  })

  it('detects a shift with the default test of a large window and not a resample of the same law', () => {
    const base = Array.from({ length: 2000 }, (_, i) => Math.sin(i * 12.9898) * 1.7)
    const shifted = base.map((v) => v + 0.5)
    const choice = defaultTest('numerical', base.length, base.length)
    if (choice.kind !== 'numerical') throw new Error('expected a numerical test')
    expect(isDrifted(runNumericalTest(choice.test, base, shifted), choice.threshold, choice.direction)).toBe(true)
    expect(isDrifted(runNumericalTest(choice.test, base, base.slice(0, 1000)), choice.threshold, choice.direction)).toBe(false)
  })
})
