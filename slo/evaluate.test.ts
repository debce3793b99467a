import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { openStore, type Store } from '../store/index.ts'
import { evaluateSlo } from './evaluate.ts'
import { parseSloSources, type ResolvedSlo } from './spec/index.ts'

// A simulated month over real chDB: 10 predictions a minute for 30 days, written straight into `predictions`
// so the materialized views keep the per-minute rollup the evaluator reads. One incident of 100% errors for
// 30 minutes on day 20, and one slow hour (500 ms) on day 10. Every expectation is a hand computation.
const MINUTE = 60_000
const DAY = 86_400_000
const PER_MINUTE = 10
const START = Date.UTC(2026, 9, 1) // 1 October 2026, 00:00 UTC
const END = START + 30 * DAY
const INCIDENT = START + 20 * DAY
const INCIDENT_MINUTES = 30
const SLOW = START + 10 * DAY

const tmp = makeTempDir('slo')
let store: Store

beforeAll(async () => {
  store = await openStore({ mode: 'embedded', dataDir: tmp.dir, database: 'highway', retentionDays: 3650 })
  const rows = (END - START) / MINUTE * PER_MINUTE
  await store.command(
    `INSERT INTO highway.predictions (model, version, id, ts, received_at, prediction, latency_ms, status)
     SELECT 'checkout', 'v1', toString(number), fromUnixTimestamp64Milli(toInt64({start:Int64} + intDiv(number, {per:UInt32}) * 60000 + (number % {per:UInt32}) * 1000)) AS t, t, 0.5,
       if(t >= fromUnixTimestamp64Milli({slow:Int64}) AND t < fromUnixTimestamp64Milli({slow:Int64} + 3600000), 500, 50),
       if(t >= fromUnixTimestamp64Milli({incident:Int64}) AND t < fromUnixTimestamp64Milli({incident:Int64} + {incidentMs:Int64}), 'error', 'ok')
     FROM numbers({rows:UInt64})`,
    { start: START, per: PER_MINUTE, slow: SLOW, incident: INCIDENT, incidentMs: INCIDENT_MINUTES * MINUTE, rows },
  )
}, 120_000)
afterAll(async () => {
  await store.close()
  tmp.cleanup()
})

function slo(indicator: string, extra = ''): ResolvedSlo {
  const text = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-slo
  ${extra}
spec:
  service: checkout
  indicator:
    metadata: { name: checkout-sli }
    spec:
      ratioMetric:
${indicator}
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ displayName: main, target: 0.999 }]
`
  const loaded = parseSloSources([{ file: 'test.yaml', text }])
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors))
  return loaded.specs[0]!
}

const availability = slo(`        good: { metricSource: { type: highway, spec: { model: checkout, select: ok } } }
        total: { metricSource: { type: highway, spec: { model: checkout, select: all } } }`)

describe('a simulated month against 99.9% availability over 30 days', () => {
  it('spends the budget the incident cost: 300 bad of 432,000 events is 69.4% of it', async () => {
    const s = await evaluateSlo(store, availability, END)
    expect(s.sli).toEqual({ good: 432_000 - 300, total: 432_000, ratio: (432_000 - 300) / 432_000 })
    const consumed = 300 / 432_000 / 0.001
    expect(s.error_budget.consumed).toBeCloseTo(consumed, 9)
    expect(s.error_budget.remaining).toBeCloseTo(1 - consumed, 9)
    expect(s.burn_rates.period).toBeCloseTo(consumed, 9)
    expect(s.policy.frozen).toBe(false)
    expect(s.alerts.every((a) => !a.firing)).toBe(true)
  })

  it('pages within the Workbook detection time for 100% errors (0.02 × 30 d × 0.001 ≈ 52 s), at the rollup grain of a minute', async () => {
    const before = await evaluateSlo(store, availability, INCIDENT)
    expect(before.alerts.some((a) => a.firing)).toBe(false)
    const after = await evaluateSlo(store, availability, INCIDENT + 2 * MINUTE)
    const page = after.alerts.find((a) => a.severity === 'page' && a.long_window === '1h')!
    expect(page).toMatchObject({ firing: true, factor: 14.4 })
    // 100% errors burn at 1 / (1 − 0.999) = 1000 in the 5-minute window that holds only the incident.
    expect(after.burn_rates['5m']).toBeCloseTo(((2 * PER_MINUTE) / (5 * PER_MINUTE)) * 1000, 6)
    expect(after.time_to_exhaustion_s).not.toBeNull()
  })

  it('stops paging once the short window is clean again, and tickets while the long windows still burn', async () => {
    // 35 minutes after the incident both page tiers' short windows (5m, 30m) are clean.
    const s = await evaluateSlo(store, availability, INCIDENT + INCIDENT_MINUTES * MINUTE + 35 * MINUTE)
    expect(s.alerts.filter((a) => a.severity === 'page').every((a) => !a.firing)).toBe(true)
    // The last hour holds 25 of the incident's minutes: 250 bad of 600.
    expect(s.burn_rates['1h']).toBeCloseTo((250 / 600) * 1000, 6)
    expect(s.alerts.find((a) => a.severity === 'ticket' && a.long_window === '1d')!.firing).toBe(true)
  })

  it('judges a labelled SLI only on matured windows: with a one-day evaluation delay the incident is not seen yet', async () => {
    const delayed = slo(
      `        good: { metricSource: { type: highway, spec: { model: checkout, select: ok } } }
        total: { metricSource: { type: highway, spec: { model: checkout, select: all } } }`,
      `annotations: { highway.dev/evaluation-delay: 1d }`,
    )
    const s = await evaluateSlo(store, delayed, INCIDENT + 2 * MINUTE)
    expect(s.alerts.some((a) => a.firing)).toBe(false)
    expect(s.sli.total).toBe(s.sli.good)
  })

  it('counts requests under a latency threshold from the rollup buckets: the slow hour is 600 bad of 432,000', async () => {
    const latency = slo(`        good: { metricSource: { type: highway, spec: { model: checkout, select: latency_below, thresholdMs: 100 } } }
        total: { metricSource: { type: highway, spec: { model: checkout, select: all } } }`)
    const s = await evaluateSlo(store, latency, END)
    expect(s.sli).toMatchObject({ good: 432_000 - 600, total: 432_000 })
    expect(s.error_budget.consumed).toBeCloseTo(600 / 432_000 / 0.001, 9)
  })

  it('accepts a latency threshold between the rollup buckets, and answers unsupported naming it until its exact counts are prepared (issue 11)', async () => {
    const between = slo(`        good: { metricSource: { type: highway, spec: { model: checkout, select: latency_below, thresholdMs: 120 } } }
        total: { metricSource: { type: highway, spec: { model: checkout, select: all } } }`)
    const s = await evaluateSlo(store, between, END)
    expect(s.status).toBe('unsupported')
    expect(s.detail).toMatch(/latency threshold 120 ms is not counted yet/)
  })

  it('freezes releases once the budget is spent', async () => {
    const strict = { ...availability, objectives: [{ ...availability.objectives[0]!, target: 0.99995 }] }
    const s = await evaluateSlo(store, strict, END)
    expect(s.error_budget.remaining).toBeLessThan(0)
    expect(s.policy.frozen).toBe(true)
  })
})
