// Regression: the config accepted drift tests that crash or mislead on a feature's type (a categorical with
// ks → 500; a numeric with ztest → 500 at reference upload, then 409; a continuous numeric with chisquare or
// tvd tested on sketch buckets, reporting N(0,1) vs N(0,1) as drift). Now refused when the config loads,
// naming the feature, the test and why; Evidently's allowed combinations (kl and hellinger on categories) work.
import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../config/index.ts'

const model = (drift: Record<string, unknown>) => ({
  models: [
    {
      name: 'm',
      task: 'regression',
      features: { channel: { type: 'category' }, pair: { type: 'category', values: ['a', 'b'] }, x: { type: 'number' }, flag: { type: 'boolean' }, note: { type: 'text' } },
      drift: { features: drift },
    },
  ],
})

function refusal(drift: Record<string, unknown>): string {
  try {
    parseConfig(model(drift), { source: 'highway.yaml' })
  } catch (e) {
    if (e instanceof ConfigError) return e.message
    throw e
  }
  throw new Error('the config was accepted')
}

describe('drift test and feature type combinations', () => {
  it.each(['ks', 'wasserstein', 'anderson', 'cramer_von_mises', 'energy', 't_test', 'mannw', 'epps_singleton', 'empirical_mmd'])(
    'refuses the numerical test %s on a category feature, naming the feature, the test and why',
    (test) => {
      const message = refusal({ channel: { test } })
      expect(message).toContain('drift.features.channel.test')
      expect(message).toContain(`"${test}"`)
      expect(message).toContain('numerical test')
      expect(message).toContain('chisquare')
    },
  )

  it.each(['chisquare', 'ztest', 'tvd', 'TVD', 'g_test', 'fisher_exact'])('refuses the categorical test %s on a number feature, before any reference is posted', (test) => {
    const message = refusal({ x: { test } })
    expect(message).toContain('drift.features.x.test')
    expect(message).toContain(`"${test}"`)
    expect(message).toMatch(/categorical|two values/)
  })

  it('refuses categorical tests on text features, whose drift runs on numeric descriptors', () => {
    expect(refusal({ note: { test: 'chisquare' } })).toContain('drift.features.note.test')
  })

  it('refuses fisher_exact on a category feature that does not declare at most two values', () => {
    expect(refusal({ channel: { test: 'fisher_exact' } })).toContain('at most two `values`')
  })

  it("accepts Evidently's combinations: kl and hellinger on categories, psi and jensenshannon on both, fisher_exact on two values and booleans", () => {
    const config = parseConfig(
      model({ channel: { test: 'kl' }, pair: { test: 'fisher_exact' }, x: { test: 'hellinger', binning: 'deciles' }, flag: { test: 'chisquare' }, note: { test: 'psi' } }),
      { source: 'highway.yaml' },
    )
    expect(config.models[0]!.drift.features).toMatchObject({ channel: { test: 'kl' }, pair: { test: 'fisher_exact' }, x: { test: 'hellinger', binning: 'deciles' } })
    expect(config.models[0]!.drift.binning).toBe('evidently')
  })

  it("accepts Evidently's names kl_div, z, ed and es and reports Highway's", () => {
    const config = parseConfig(model({ channel: { test: 'kl_div' }, pair: { test: 'z' }, x: { test: 'es' }, note: { test: 'ed' } }), { source: 'highway.yaml' })
    expect(config.models[0]!.drift.features).toMatchObject({ channel: { test: 'kl' }, pair: { test: 'ztest' }, x: { test: 'epps_singleton' }, note: { test: 'energy' } })
  })

  it('refuses an unknown binning, naming the key and the allowed values', () => {
    expect(refusal({ x: { test: 'psi', binning: 'quartiles' } })).toMatch(/drift\.features\.x\.binning.*evidently.*deciles/s)
  })
})
