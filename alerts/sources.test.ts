import { describe, expect, it } from 'vitest'
import type { SloStatus } from '../slo/index.ts'
import { modelRuleSchema } from '../config/index.ts'
import { fingerprintOf } from './fingerprint.ts'
import { modelRuleObservations, sloObservations } from './sources.ts'

const status = (firing: boolean[]): SloStatus => ({
  name: 'booking-latency',
  service: 'booking',
  model: 'booking-spam',
  target: 0.99,
  window: { duration: '30d', rolling: true, from: '', to: '' },
  budgeting_method: 'Occurrences',
  status: 'ok',
  sli: { good: 90, total: 100, ratio: 0.9 },
  error_budget: { total: 1, consumed: 0.5, remaining: 0.5 },
  burn_rates: { '1h': 20, '6h': 7, '1d': 3, '3d': 1 },
  alerts: [
    { severity: 'page', long_window: '1h', short_window: '5m', factor: 14.4, firing: firing[0]! },
    { severity: 'page', long_window: '6h', short_window: '30m', factor: 6, firing: firing[1]! },
    { severity: 'ticket', long_window: '1d', short_window: '2h', factor: 3, firing: firing[2]! },
  ],
  time_to_exhaustion_s: null,
  policy: { frozen: false },
})

describe('sloObservations', () => {
  it('raises one alert per SLO and severity, active when any tier of that severity fires', () => {
    const obs = sloObservations([status([false, true, false])], { page: 0, ticket: 600 })
    expect(obs.map((o) => [o.observation.labels.severity, o.observation.active, o.observation.value, o.hold.forSeconds])).toEqual([
      ['page', true, 7, 0],
      ['ticket', false, null, 600],
    ])
    const labels = { alertname: 'SloErrorBudgetBurn', severity: 'page', slo: 'booking-latency', model: 'booking-spam', service: 'booking', source: 'highway' }
    expect(obs[0]!.observation.labels).toEqual(labels)
    expect(obs[0]!.observation.fingerprint).toBe(fingerprintOf(labels))
  })
})

describe('modelRuleObservations', () => {
  const rule = (condition: unknown) => modelRuleSchema.parse({ name: 'ModelHealth', model: 'booking-spam', severity: 'ticket', for: '10m', condition, labels: { team: 'ml' }, annotations: { summary: 's' } })
  const drift = { dataset: { drift_share: 0.6, drifted: true }, features: [{ feature: 'height_cm', drifted: true, statistic: 0.4 }, { feature: 'country', drifted: false, statistic: 0.01 }] }

  it('fires dataset drift on the saved verdict, with the drift share as value', () => {
    const [o] = modelRuleObservations(rule({ kind: 'dataset_drift' }), { computedAtMs: 0, toMs: 0, result: drift })
    expect(o?.observation).toMatchObject({ active: true, value: 0.6, labels: { alertname: 'ModelHealth', model: 'booking-spam', severity: 'ticket', team: 'ml', source: 'highway' } })
    expect(o?.hold).toEqual({ forSeconds: 600, keepFiringForSeconds: 0 })
  })
  it('raises one alert per named feature, active only for those that drifted', () => {
    const obs = modelRuleObservations(rule({ kind: 'feature_drift', features: ['height_cm', 'country'] }), { computedAtMs: 0, toMs: 0, result: drift })
    expect(obs.map((o) => [o.observation.labels.feature, o.observation.active])).toEqual([['height_cm', true], ['country', false]])
  })
  it('compares quality shares with their bound, per feature and for the quarantine', () => {
    const quality = { rows: 90, quarantined: 10, features: [{ feature: 'a', missing_share: 0.2, out_of_range_share: 0, type_error_share: 0, unseen_category_share: 0 }] }
    expect(modelRuleObservations(rule({ kind: 'quality', check: 'missing', above: 0.1 }), { computedAtMs: 0, toMs: 0, result: quality })[0]?.observation.active).toBe(true)
    expect(modelRuleObservations(rule({ kind: 'quality', check: 'quarantine', above: 0.1 }), { computedAtMs: 0, toMs: 0, result: quality })[0]?.observation).toMatchObject({ active: false, value: 0.1 })
  })
  it('reads realised or estimated performance against a lower bound and says nothing without a figure', () => {
    const perf = { label_coverage: 0.1, realised: { accuracy: null }, estimated: { accuracy: { value: 0.7, lower: 0.6, upper: 0.8 } } }
    expect(modelRuleObservations(rule({ kind: 'performance', metric: 'accuracy', source: 'estimated', below: 0.8 }), { computedAtMs: 0, toMs: 0, result: perf })[0]?.observation.active).toBe(true)
    expect(modelRuleObservations(rule({ kind: 'performance', metric: 'accuracy', source: 'realised', below: 0.8 }), { computedAtMs: 0, toMs: 0, result: perf })).toEqual([])
  })
  it('says nothing when no result is saved or it cannot be read', () => {
    expect(modelRuleObservations(rule({ kind: 'dataset_drift' }), null)).toEqual([])
    expect(modelRuleObservations(rule({ kind: 'dataset_drift' }), { computedAtMs: 0, toMs: 0, result: { other: 1 } })).toEqual([])
  })
})

describe('modelRuleSchema', () => {
  it('names the key and the value it refuses', () => {
    const r = modelRuleSchema.safeParse({ name: 'x', model: 'm', severity: 'urgent', condition: { kind: 'dataset_drift' } })
    expect(r.success).toBe(false)
    expect(r.error?.issues[0]?.path).toEqual(['severity'])
  })
})
