import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { openStore, type Store } from '../store/index.ts'
import { wilsonLowerBound } from './burn-rate/index.ts'
import { evaluateSlo } from './evaluate.ts'
import { parseSloSources, type ResolvedSlo } from './spec/index.ts'

// Quality SLIs over real chDB. A binary classifier predicts one case a minute for ten days, every score 0.9
// (predicted positive). Labels arrive days late, through the `labels` table, so the label-joined rollup is kept by
// its materialized views exactly as in production. Every expectation is a hand count of the rows inserted.
const DAY = 86_400_000
const START = Date.UTC(2026, 0, 1)
const NOW = START + 10 * DAY
const DAY3_WRONG = { first: 3 * 1440, count: 100 } // predictions (by minute index) labelled 0: wrong
const EARLY_COMPLAINTS = { first: 9 * 1440, count: 50 } // day 9: only the wrong ones are labelled yet

const tmp = makeTempDir('slo-quality')
let store: Store

/** Labels for predictions p<first> … p<first+count−1>, received at `receivedMs`. */
async function label(first: number, count: number, receivedMs: number, value: string): Promise<void> {
  await store.command(
    `INSERT INTO highway.labels (model, id, ts, received_at, label, label_class)
     SELECT 'triage', concat('p', toString(number)), fromUnixTimestamp64Milli({rec:Int64}), fromUnixTimestamp64Milli({rec:Int64}), ${value}, '' FROM numbers({first:UInt64}, {count:UInt64})`,
    { first, count, rec: receivedMs },
  )
}

beforeAll(async () => {
  store = await openStore({ mode: 'embedded', dataDir: tmp.dir, database: 'highway', retentionDays: 3650 })
  await store.command(
    `INSERT INTO highway.predictions (model, version, id, ts, received_at, prediction, status)
     SELECT 'triage', 'v1', concat('p', toString(number)), fromUnixTimestamp64Milli(toInt64({start:Int64} + number * 60000)) AS t, t, 0.9, 'ok' FROM numbers({n:UInt64})`,
    { start: START, n: 10 * 1440 },
  )
  // Days 0-6 labelled at day 9.5: all right (1) except 100 predictions of day 3.
  await label(0, DAY3_WRONG.first, START + 9.5 * DAY, '1')
  await label(DAY3_WRONG.first, DAY3_WRONG.count, START + 9.5 * DAY, '0')
  await label(DAY3_WRONG.first + DAY3_WRONG.count, 7 * 1440 - DAY3_WRONG.first - DAY3_WRONG.count, START + 9.5 * DAY, '1')
  // Day 9: complaints come first, so the first labels of a fresh day are all wrong.
  await label(EARLY_COMPLAINTS.first, EARLY_COMPLAINTS.count, START + 9.9 * DAY, '0')
  // A regression model: predictions 10.0; labels 10.5 (error 0.5) for 30 of them, 12 (error 2) for 10.
  await store.command(
    `INSERT INTO highway.predictions (model, version, id, ts, received_at, prediction, status)
     SELECT 'demand', 'v1', concat('d', toString(number)), fromUnixTimestamp64Milli(toInt64({start:Int64} + number * 60000)) AS t, t, 10.0, 'ok' FROM numbers(40)`,
    { start: START + 2 * DAY },
  )
  await store.command(
    `INSERT INTO highway.labels (model, id, ts, received_at, label, label_class)
     SELECT 'demand', concat('d', toString(number)), now64(3), fromUnixTimestamp64Milli({rec:Int64}), if(number < 30, 10.5, 12), '' FROM numbers(40)`,
    { rec: START + 3 * DAY },
  )
}, 120_000)
afterAll(async () => {
  await store.close()
  tmp.cleanup()
})

function slo(options: { model?: string; delay: string; target?: number; tolerance?: number; wilson?: boolean; window?: string }): ResolvedSlo {
  const model = options.model ?? 'triage'
  const tolerance = options.tolerance === undefined ? '' : `, tolerance: ${options.tolerance}`
  const annotations = [`highway.dev/evaluation-delay: ${options.delay}`, ...(options.wilson ? ['highway.dev/wilson: "true"'] : [])].join(', ')
  const text = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${model}-quality
  annotations: { ${annotations} }
spec:
  service: ${model}
  indicator:
    metadata: { name: ${model}-correct }
    spec:
      ratioMetric:
        good: { metricSource: { type: highway, spec: { model: ${model}, select: correct${tolerance} } } }
        total: { metricSource: { type: highway, spec: { model: ${model}, select: labelled } } }
  timeWindow: [{ duration: ${options.window ?? '7d'}, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ displayName: right, target: ${options.target ?? 0.98} }]
`
  const loaded = parseSloSources([{ file: 'quality.yaml', text }])
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors))
  return loaded.specs[0]!
}

/** The same counts from raw rows: newest label per id (by received_at) joined to its prediction. */
async function rawCounts(model: string, fromMs: number, toMs: number): Promise<{ labelled: number; correct: number }> {
  const [row] = await store.queryRows<{ labelled: number; correct: number }>(
    `SELECT count() AS labelled, countIf((p.prediction >= 0.5) = (l.label = 1)) AS correct
     FROM highway.predictions AS p
     INNER JOIN (SELECT id, argMax(label, received_at) AS label FROM highway.labels WHERE model = {model:String} GROUP BY id) AS l ON p.id = l.id
     WHERE p.model = {model:String} AND p.ts >= fromUnixTimestamp64Milli({from:Int64}) AND p.ts < fromUnixTimestamp64Milli({to:Int64})`,
    { model, from: fromMs, to: toMs },
  )
  return { labelled: Number(row?.labelled), correct: Number(row?.correct) }
}

describe('late labels: a quality SLI over the label-joined rollup', () => {
  const matured = slo({ delay: '2d' })

  it('does not burn before its labels mature: with a 2-day delay, day 9 early complaints are not judged', async () => {
    const s = await evaluateSlo(store, matured, NOW)
    // The period is [day 1, day 8): labels exist for days 1-6 (8,640 predictions), 100 of them wrong.
    expect(s.window.to).toBe(new Date(NOW - 2 * DAY).toISOString())
    expect(s.sli).toEqual({ good: 6 * 1440 - 100, total: 6 * 1440, ratio: (6 * 1440 - 100) / (6 * 1440) })
    expect(s.error_budget.consumed).toBeCloseTo(100 / (6 * 1440) / 0.02, 9)
    // Day 7 has no labels yet: short windows carry no data rather than a burn.
    expect(s.burn_rates['5m']).toBeNull()
    expect(s.burn_rates['1d']).toBeNull()
    expect(s.alerts.some((a) => a.firing)).toBe(false)
  })

  it('would burn on the unmatured complaints without the delay, which is what the delay is for', async () => {
    const eager = await evaluateSlo(store, slo({ delay: '0m' }), NOW)
    // The last day holds only the 50 complaints: 50 wrong of 50 labelled, a burn rate of 1 / 0.02 = 50.
    expect(eager.burn_rates['1d']).toBeCloseTo(50, 9)
    // The period [day 3, day 10) counts days 3-6 (100 wrong) and the 50 complaints as if they were the whole of day 9.
    expect(eager.sli).toMatchObject({ good: 4 * 1440 - 100, total: 4 * 1440 + 50 })
  })

  it('agrees with a raw join of predictions and their newest labels', async () => {
    const s = await evaluateSlo(store, matured, NOW)
    const raw = await rawCounts('triage', START + DAY, NOW - 2 * DAY)
    expect({ labelled: s.sli.total, correct: s.sli.good }).toEqual(raw)
  })

  it('restates the budget when late labels land and corrections replace earlier labels', async () => {
    const before = await evaluateSlo(store, matured, NOW)
    // At day 10.1: day 7 gets its labels (all right), and 60 of day 3's wrong labels are corrected to right.
    await label(7 * 1440, 1440, START + 10.1 * DAY, '1')
    await label(DAY3_WRONG.first, 60, START + 10.1 * DAY, '1')
    const after = await evaluateSlo(store, matured, NOW)
    expect(after.sli).toMatchObject({ good: 7 * 1440 - 40, total: 7 * 1440 })
    expect(after.error_budget.consumed).toBeCloseTo(40 / (7 * 1440) / 0.02, 9)
    expect(after.error_budget.remaining).toBeGreaterThan(before.error_budget.remaining)
    expect({ labelled: after.sli.total, correct: after.sli.good }).toEqual(await rawCounts('triage', START + DAY, NOW - 2 * DAY))
  })

  it('ignores a stale resend: a label older than the one counted does not replace it', async () => {
    const before = await evaluateSlo(store, matured, NOW)
    // The original (wrong) label of a corrected prediction, received again with its old receipt time.
    await label(DAY3_WRONG.first, 1, START + 9.5 * DAY + 1, '0')
    const after = await evaluateSlo(store, matured, NOW)
    expect(after.sli).toEqual(before.sli)
  })

  it('judges a regression model within its tolerance: 30 errors of 0.5 are right at tolerance 1, 10 errors of 2 are not', async () => {
    const s = await evaluateSlo(store, slo({ model: 'demand', delay: '1d', tolerance: 1 }), START + 5 * DAY)
    expect(s.sli).toMatchObject({ good: 30, total: 40 })
    const tight = await evaluateSlo(store, slo({ model: 'demand', delay: '1d', tolerance: 0.25 }), START + 5 * DAY)
    expect(tight.sli).toMatchObject({ good: 0, total: 40 })
  })

  it('judges a small labelled sample on its Wilson lower bound when asked', async () => {
    const plain = await evaluateSlo(store, slo({ model: 'demand', delay: '1d', tolerance: 1, target: 0.5 }), START + 5 * DAY)
    const wilson = await evaluateSlo(store, slo({ model: 'demand', delay: '1d', tolerance: 1, target: 0.5, wilson: true }), START + 5 * DAY)
    expect(plain.error_budget.consumed).toBeCloseTo((1 - 30 / 40) / 0.5, 9)
    expect(wilson.error_budget.consumed).toBeCloseTo((1 - wilsonLowerBound(30, 40, 0.95)) / 0.5, 9)
    expect(wilson.error_budget.consumed).toBeGreaterThan(plain.error_budget.consumed)
  })
})
