import { describe, expect, it } from 'vitest'
import { driftScoreOf, importanceFromMetrics, rankCauses, type CauseInput } from './causes.ts'

const onsetMs = Date.parse('2026-12-07T10:00:00Z')
const min = 60_000
const base: CauseInput = { onsetMs, changes: [], drift: [], importance: {}, quality: [], labels: [] }
const release = (minutesBefore: number, over: Partial<CauseInput['changes'][number]> = {}) => ({ atMs: onsetMs - minutesBefore * min, component: 'releases', action: 'release', model: 'm', target: '3', actor: 'ops', outcome: 'done', ...over })

describe('driftScoreOf', () => {
  it.each([
    ['a test: one minus the p-value', { feature: 'f', statistic: 0.4, p_value: 0.01, threshold: 0.05, drifted: true }, 0.99],
    ['a distance at half its threshold', { feature: 'f', statistic: 0.05, p_value: null, threshold: 0.1, drifted: false }, 0.5],
    ['a distance past its threshold', { feature: 'f', statistic: 0.3, p_value: null, threshold: 0.1, drifted: true }, 1],
    ['an infinite statistic', { feature: 'f', statistic: null, p_value: null, threshold: 0.1, drifted: true }, 1],
  ])('scores %s', (_, f, want) => {
    expect(driftScoreOf(f)).toBeCloseTo(want, 6)
  })
})

describe('rankCauses', () => {
  it('ranks a release closer to the onset higher, and ignores changes after it, outside the window, or not done', () => {
    const causes = rankCauses({ ...base, changes: [release(50, { target: '1' }), release(5, { target: '2' }), release(-5, { target: '4' }), release(90, { target: '5' }), release(1, { target: '6', outcome: 'refused' })] })
    expect(causes.map((c) => c.ref)).toEqual(['m@2', 'm@1'])
    expect(causes[0]!.evidence.minutes_before_onset).toBe(5)
  })

  it('weighs drift by permutation importance relative to the most important feature', () => {
    const drift = [{ model: 'm', toMs: onsetMs, features: [
      { feature: 'a', statistic: 0.5, p_value: 0, threshold: 0.05, drifted: true },
      { feature: 'b', statistic: 0.5, p_value: 0, threshold: 0.05, drifted: true },
      { feature: 'c', statistic: 0.01, p_value: 0.6, threshold: 0.05, drifted: false },
    ] }]
    const causes = rankCauses({ ...base, drift, importance: { m: { a: 0.02, b: 0.2, c: 0.5 } } })
    expect(causes.map((c) => [c.ref, c.score])).toEqual([['m/b', 0.4], ['m/a', 0.04]])
    expect(causes[0]!.evidence).toMatchObject({ importance: 0.2, importance_share: 0.4, drift_score: 1 })
  })

  it('counts drift at half weight when the registry holds no importance', () => {
    const drift = [{ model: 'm', toMs: onsetMs, features: [{ feature: 'a', statistic: 1, p_value: 0, threshold: 0.05, drifted: true }] }]
    expect(rankCauses({ ...base, drift, importance: { m: null } })[0]).toMatchObject({ score: 0.5, evidence: { importance: null } })
  })

  it('finds data-quality breaks, a quarantine spike against the day before, and label delay', () => {
    const q = (toMs: number, quarantined: number, missing: number) => ({ model: 'm', toMs, rows: 900, quarantined, features: [{ feature: 'height_cm', missing_share: missing, out_of_range_share: 0, type_error_share: 0, unseen_category_share: 0 }] })
    const causes = rankCauses({ ...base, quality: [q(onsetMs - 5 * 3600_000, 9, 0), q(onsetMs, 100, 0.1)], labels: [{ model: 'm', toMs: onsetMs, labelCoverage: 0.2 }] })
    expect(causes.map((c) => c.kind)).toEqual(['quarantine_spike', 'data_quality', 'label_delay'])
    expect(causes[0]!.evidence).toMatchObject({ share_during: 0.1, share_before: 0.0099 })
    expect(causes.find((c) => c.kind === 'data_quality')).toMatchObject({ ref: 'm/height_cm/missing', score: 0.4 })
  })

  it('ranks the release 10 minutes before a drift onset and the most important drifted feature first', () => {
    const drift = [{ model: 'm', toMs: onsetMs + 5 * min, features: [
      { feature: 'top', statistic: 0.9, p_value: 0, threshold: 0.05, drifted: true },
      { feature: 'minor', statistic: 0.9, p_value: 0, threshold: 0.05, drifted: true },
    ] }]
    const causes = rankCauses({ ...base, changes: [release(10)], drift, importance: { m: { top: 0.3, minor: 0.03 } }, labels: [{ model: 'm', toMs: onsetMs, labelCoverage: 0.6 }] })
    expect(causes.slice(0, 2).map((c) => `${c.kind}:${c.ref}`).sort()).toEqual(['feature_drift:m/top', 'release:m@3'])
  })
})

describe('importanceFromMetrics', () => {
  it('reads what training stores, and null when it stored none', () => {
    expect(importanceFromMetrics({ importance: [{ feature: 'a', mean: 0.1, std: 0, values: [0.1] }] })).toEqual({ a: 0.1 })
    expect(importanceFromMetrics({ importance: null })).toBeNull()
    expect(importanceFromMetrics(undefined)).toBeNull()
  })
})
