import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { openStore, policyTransitions, saveAnalysisResult, type Store } from '../store/index.ts'
import { evaluateSlo } from './evaluate.ts'
import { SloMetrics } from './metrics.ts'
import { createBudgetPolicy, createFreezeCheck } from './policy/index.ts'
import { parseSloSources, type ResolvedSlo } from './spec/index.ts'

// Time-slice budgeting and the budget policy over real chDB: the analyzer's saved drift results (hourly windows),
// predictions through the per-minute rollup, and freeze transitions persisted across a reopened store.
const HOUR = 3_600_000
const NOW = Date.UTC(2026, 2, 10)
const DAY_START = NOW - 24 * HOUR
const DRIFTED_HOURS = [3, 4, 17]

const tmp = makeTempDir('slo-budgeting')
let store: Store

async function saveDrift(hour: number, share: number, computedAtMs: number): Promise<void> {
  const fromMs = DAY_START + hour * HOUR
  await saveAnalysisResult(store, { job: 'drift', model: 'triage', version: '', fromMs, toMs: fromMs + HOUR, computedAtMs, result: { dataset: { drift_share: share, drifted: share >= 0.5 }, features: [] } })
}

beforeAll(async () => {
  store = await openStore({ mode: 'embedded', dataDir: tmp.dir, database: 'highway', retentionDays: 3650 })
  for (let h = 0; h < 24; h++) await saveDrift(h, DRIFTED_HOURS.includes(h) ? 0.6 : 0.1, NOW - HOUR)
  // Hour 0: 10 predictions, 5 errors; hour 1: 100 predictions, 1 error.
  await store.command(
    `INSERT INTO highway.predictions (model, version, id, ts, received_at, prediction, status)
     SELECT 'triage', 'v1', toString(number), fromUnixTimestamp64Milli(toInt64({start:Int64} + if(number < 10, number, 3600000 + number))) AS t, t, 0.5,
       if(number < 5 OR number = 10, 'error', 'ok') FROM numbers(110)`,
    { start: DAY_START },
  )
}, 120_000)
afterAll(async () => {
  await store.close()
  tmp.cleanup()
})

function parse(text: string): ResolvedSlo {
  const loaded = parseSloSources([{ file: 'budgeting.yaml', text }])
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors))
  return loaded.specs[0]!
}

const driftSlo = parse(`apiVersion: openslo/v1
kind: SLO
metadata: { name: triage-drift }
spec:
  service: triage
  indicator:
    metadata: { name: triage-drift-share }
    spec:
      thresholdMetric: { metricSource: { type: highway, spec: { model: triage, measure: dataset_drift_share } } }
  timeWindow: [{ duration: 1d, isRolling: true }]
  budgetingMethod: Timeslices
  objectives: [{ displayName: stable, target: 0.9, op: lte, value: 0.3, timeSliceTarget: 1, timeSliceWindow: 1h }]
`)

function ratioSlo(budgeting: string, good: string, extra = ''): ResolvedSlo {
  return parse(`apiVersion: openslo/v1
kind: SLO
metadata: { name: triage-ok }
spec:
  service: triage
  indicator:
    metadata: { name: triage-ok }
    spec:
      ratioMetric:
        ${good}
        total: ${good.includes('clickhouse') ? `{ metricSource: { type: clickhouse, spec: { query: "SELECT count() FROM highway.predictions WHERE ts >= {from:DateTime64(3)} AND ts < {to:DateTime64(3)}" } } }` : '{ metricSource: { type: highway, spec: { model: triage, select: all } } }'}
  timeWindow: [{ duration: 1d, isRolling: true }]
  budgetingMethod: ${budgeting}
  objectives: [{ displayName: ok, target: 0.9${extra} }]
`)
}

describe('threshold SLIs over the analyzer saved results (Timeslices)', () => {
  it('judges each hourly slice by dataset_drift_share lte 0.3: 3 drifted hours of 24 spend 125% of a 90% budget', async () => {
    const s = await evaluateSlo(store, driftSlo, NOW)
    expect(s.status).toBe('ok')
    expect(s.sli).toEqual({ good: 21, total: 24, ratio: 21 / 24 })
    expect(s.error_budget.consumed).toBeCloseTo(3 / 24 / 0.1, 9)
    // The last 6 hours (18-23) are clean; the period holds all three drifted hours.
    expect(s.burn_rates['6h']).toBeCloseTo(0, 9)
    expect(s.burn_rates.period).toBeCloseTo(3 / 24 / 0.1, 9)
  })
})

describe('ratio SLIs with slices and with bad events', () => {
  it('RatioTimeslices weighs the quiet hour (5 of 10 good) as much as the busy one (99 of 100)', async () => {
    const s = await evaluateSlo(store, ratioSlo('RatioTimeslices', 'good: { metricSource: { type: highway, spec: { model: triage, select: ok } } }', ', timeSliceWindow: 1h'), NOW)
    expect(s.sli.total).toBe(2)
    expect(s.error_budget.consumed).toBeCloseTo((1 - (0.5 + 0.99) / 2) / 0.1, 9)
  })

  it('Timeslices counts the hours whose ratio reaches timeSliceTarget: one of two', async () => {
    const s = await evaluateSlo(store, ratioSlo('Timeslices', 'good: { metricSource: { type: highway, spec: { model: triage, select: ok } } }', ', timeSliceTarget: 0.95, timeSliceWindow: 1h'), NOW)
    expect(s.sli).toEqual({ good: 1, total: 2, ratio: 0.5 })
    expect(s.error_budget.consumed).toBeCloseTo(0.5 / 0.1, 9)
  })

  it('takes good = total − bad when the SLI gives bad events (ClickHouse SQL)', async () => {
    const bad = `bad: { metricSource: { type: clickhouse, spec: { query: "SELECT count() FROM highway.predictions WHERE status != 'ok' AND ts >= {from:DateTime64(3)} AND ts < {to:DateTime64(3)}" } } }`
    const s = await evaluateSlo(store, ratioSlo('Occurrences', bad), NOW)
    expect(s.sli).toEqual({ good: 104, total: 110, ratio: 104 / 110 })
    expect(s.error_budget.consumed).toBeCloseTo(6 / 110 / 0.1, 9)
  })
})

describe('error budget policy', () => {
  it('freezes the model once, audits the change, keeps it across a restart, and thaws only above the recovery level', async () => {
    let clock = NOW
    const registry = new Registry()
    const metrics = new SloMetrics(registry)
    const policy = createBudgetPolicy({ store, slos: [driftSlo], now: () => clock })
    const first = await policy.observe(await evaluateSlo(store, driftSlo, NOW))
    metrics.publish(first)
    expect(first.policy).toMatchObject({ frozen: true, reason: 'error budget exhausted: -25% left' })
    expect(await policy.isModelFrozen('triage')).toEqual({ frozen: true, reason: 'SLO triage-drift: error budget exhausted: -25% left' })
    expect(await policy.checkRelease('triage', {})).toMatchObject({ allowed: false })
    expect(await policy.checkRelease('triage', { rollback: true })).toMatchObject({ allowed: true })
    expect(await createFreezeCheck(store)('other-model')).toEqual({ frozen: false })
    expect(await registry.getSingleMetricAsString('highway_slo_frozen')).toMatch(/highway_slo_frozen\{[^}]*sloth_slo="triage-drift"\} 1/)
    // The same evaluation again, from the API and the tick at once: no second transition.
    clock += 1000
    const status = await evaluateSlo(store, driftSlo, NOW)
    await Promise.all([policy.observe(status), policy.observe(status)])
    expect(await policyTransitions(store, 'triage-drift')).toHaveLength(1)

    // Restart: a new store and policy read the persisted state.
    await store.close()
    store = await openStore({ mode: 'embedded', dataDir: tmp.dir, database: 'highway', retentionDays: 3650 })
    const restarted = createBudgetPolicy({ store, slos: [driftSlo], now: () => clock })
    expect(await restarted.isModelFrozen('triage')).toMatchObject({ frozen: true })

    // Hour 17 is recomputed clean: 2 bad of 24 leaves 16.7% of the budget, above the 10% recovery level.
    await saveDrift(17, 0.1, NOW)
    clock += 1000
    const recovered = await restarted.observe(await evaluateSlo(store, driftSlo, NOW))
    expect(recovered.error_budget.remaining).toBeCloseTo(1 - 2 / 24 / 0.1, 9)
    expect(recovered.policy).toMatchObject({ frozen: false, reason: 'error budget recovered: 16.67% left, at least 10% required' })
    const audit = await policyTransitions(store, 'triage-drift')
    expect(audit.map((t) => ({ model: t.model, frozen: t.frozen }))).toEqual([
      { model: 'triage', frozen: true },
      { model: 'triage', frozen: false },
    ])
    expect(await restarted.isModelFrozen('triage')).toEqual({ frozen: false })
  })
})
