import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { openStore, type Store } from '../store/index.ts'
import { readRaw } from '../bench/slo-raw.ts'
import { evaluateSlo, evaluateSlos, type SloStatus } from './evaluate.ts'
import { prepareLatencyCounts } from './latency-counts.ts'
import { parseSloSources, type ResolvedSlo } from './spec/index.ts'

// The batched tick over real chDB: every SLI kind the rollups answer, for three models (one split by version), read
// in one query per table, must give the SAME statuses as raw scans (bench/slo-raw.ts: predictions, labels joined by
// id, quarantine; no rollup) and as evaluating each SLO alone. Rows go into the raw tables, so the materialized views
// fill the rollups as ingest does. NOW is not on a whole minute, so window edges inside minutes are exercised.
const MINUTE = 60_000
const DAY = 86_400_000
const START = Date.UTC(2026, 2, 20)
const NOW = START + 12 * DAY + 17 * MINUTE + 23_456

const tmp = makeTempDir('slo-tick')
let store: Store

beforeAll(async () => {
  store = await openStore({ mode: 'embedded', dataDir: tmp.dir, database: 'highway', retentionDays: 3650 })
  // alpha: one prediction every 20 s for 12 days and a bit (after NOW too), v1 then v2 from day 6; ~1% errors in
  // bursts, latencies 1-400 ms, scores spread over [0, 1). beta: every 45 s, one version, a bad hour on day 11.
  await store.command(
    `INSERT INTO highway.predictions (model, version, id, ts, received_at, prediction, latency_ms, status)
     SELECT 'alpha', if(number < 26000, 'v1', 'v2'), concat('a', toString(number)), fromUnixTimestamp64Milli(toInt64({start:Int64} + number * 20000 + 7)) AS t, t,
       (cityHash64(number) % 1000) / 1000, 1 + cityHash64(number, 1) % 400, if(cityHash64(intDiv(number, 30)) % 100 = 0, 'error', 'ok')
     FROM numbers(53000)`,
    { start: START },
  )
  await store.command(
    `INSERT INTO highway.predictions (model, version, id, ts, received_at, prediction, latency_ms, status)
     SELECT 'beta', 'v1', concat('b', toString(number)), fromUnixTimestamp64Milli(toInt64({start:Int64} + number * 45000)) AS t, t,
       0.7, if(number % 7 = 0, NULL, 1 + cityHash64(number, 3) % 300), if(t >= fromUnixTimestamp64Milli({bad:Int64}) AND t < fromUnixTimestamp64Milli({bad:Int64} + 3600000), 'error', 'ok')
     FROM numbers(23500)`,
    { start: START, bad: START + 11 * DAY },
  )
  // gamma: a regression model, prediction 10 every minute for 2 days; labels 10.5 (error 0.5) or 13 (error 3).
  await store.command(
    `INSERT INTO highway.predictions (model, version, id, ts, received_at, prediction, status)
     SELECT 'gamma', 'v1', concat('g', toString(number)), fromUnixTimestamp64Milli(toInt64({start:Int64} + number * 60000)) AS t, t, 10, 'ok' FROM numbers(2880)`,
    { start: START + 8 * DAY },
  )
  // Rejected alpha records: one every 10 minutes on days 4-9.
  await store.command(
    `INSERT INTO highway.quarantine (model, kind, received_at, ts, record_id, record_hash, raw, reasons, fields, rules)
     SELECT 'alpha', 'prediction', t, t, concat('q', toString(number)), '', '{}', ['height_cm: must be ≥ 30'], ['height_cm'], ['min']
     FROM (SELECT number, fromUnixTimestamp64Milli(toInt64({start:Int64} + number * 600000 + 1234)) AS t FROM numbers(864))`,
    { start: START + 4 * DAY },
  )
  // Labels for every 7th alpha prediction up to day 10 (85% right), then a correction batch that flips some.
  await store.command(
    `INSERT INTO highway.labels (model, id, ts, received_at, label, label_class)
     SELECT 'alpha', concat('a', toString(p)), now64(3), fromUnixTimestamp64Milli(toInt64({start:Int64} + p * 20000 + 86400000)),
       if(cityHash64(p, 9) % 100 < 85, if((cityHash64(p) % 1000) / 1000 >= 0.5, 1, 0), if((cityHash64(p) % 1000) / 1000 >= 0.5, 0, 1)), ''
     FROM (SELECT number * 7 AS p FROM numbers(6000))`,
    { start: START },
  )
  await store.command(
    `INSERT INTO highway.labels (model, id, ts, received_at, label, label_class)
     SELECT 'alpha', concat('a', toString(p)), now64(3), fromUnixTimestamp64Milli({late:Int64}), 1 - if((cityHash64(p) % 1000) / 1000 >= 0.5, 1, 0), ''
     FROM (SELECT number * 70 AS p FROM numbers(500))`,
    { late: START + 12 * DAY },
  )
  await store.command(
    `INSERT INTO highway.labels (model, id, ts, received_at, label, label_class)
     SELECT 'gamma', concat('g', toString(number)), now64(3), fromUnixTimestamp64Milli({rec:Int64}), if(number % 4 = 0, 13, 10.5), '' FROM numbers(0, 2880, 3)`,
    { rec: START + 10 * DAY },
  )
  // Every row above was received before now: the exact latency counts come from the backfill.
  await prepareLatencyCounts({ store, slos: load(SOURCES.join('')) })
}, 180_000)
afterAll(async () => {
  await store.close()
  tmp.cleanup()
})

function spec(name: string, indicator: string, rest: string, annotations = ''): string {
  return `---
apiVersion: openslo/v1
kind: SLO
metadata: { name: ${name}${annotations ? `, annotations: { ${annotations} }` : ''} }
spec:
  service: tick
  indicator:
    metadata: { name: ${name}-sli }
    spec:
      ${indicator}
${rest}
`
}
const ratio = (model: string, good: string, total: string) =>
  `ratioMetric: { good: { metricSource: { type: highway, spec: { model: ${model}, ${good} } } }, total: { metricSource: { type: highway, spec: { model: ${model}, ${total} } } } }`
const occurrences = (target: number, window = '7d') => `  timeWindow: [{ duration: ${window}, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ displayName: main, target: ${target} }]`
const slices = (method: string, objective: string, window = '7d') => `  timeWindow: [{ duration: ${window}, isRolling: true }]
  budgetingMethod: ${method}
  objectives: [{ displayName: main, ${objective} }]`

const SOURCES = [
  spec('alpha-availability', ratio('alpha', 'select: ok', 'select: all'), occurrences(0.995)),
  spec('alpha-v2-latency', ratio('alpha', 'version: v2, select: latency_below, thresholdMs: 100', 'version: v2, select: all'), occurrences(0.9, '3d')),
  spec('alpha-v1-availability', ratio('alpha', 'version: v1, select: ok', 'version: v1, select: all'), occurrences(0.99, '10d')),
  spec('alpha-accepted', ratio('alpha', 'select: not_quarantined', 'select: all'), occurrences(0.999)),
  spec('alpha-accepted-slices', ratio('alpha', 'select: not_quarantined', 'select: all'), slices('Timeslices', 'target: 0.9, timeSliceTarget: 0.999, timeSliceWindow: 1h')),
  spec('alpha-accuracy', ratio('alpha', 'select: correct', 'select: labelled'), occurrences(0.8, '10d'), 'highway.dev/evaluation-delay: 1d'),
  spec('alpha-accuracy-daily', ratio('alpha', 'select: correct', 'select: labelled'), slices('RatioTimeslices', 'target: 0.8, timeSliceWindow: 1d', '10d'), 'highway.dev/evaluation-delay: 1d'),
  spec('alpha-freshness', 'thresholdMetric: { metricSource: { type: highway, spec: { model: alpha, measure: freshness_seconds } } }', slices('Timeslices', 'target: 0.99, op: lte, value: 30, timeSliceTarget: 1, timeSliceWindow: 1h')),
  spec('alpha-label-coverage', 'thresholdMetric: { metricSource: { type: highway, spec: { model: alpha, measure: label_coverage } } }', slices('Timeslices', 'target: 0.9, op: gte, value: 0.1, timeSliceTarget: 1, timeSliceWindow: 1d', '10d'), 'highway.dev/evaluation-delay: 1d'),
  spec('beta-availability-5m', ratio('beta', 'select: ok', 'select: all'), slices('Timeslices', 'target: 0.99, timeSliceTarget: 0.99, timeSliceWindow: 5m')),
  spec('beta-latency-hourly', ratio('beta', 'select: latency_below, thresholdMs: 250', 'select: all'), slices('RatioTimeslices', 'target: 0.9, timeSliceWindow: 1h')),
  spec('beta-availability-month', ratio('beta', 'select: ok', 'select: all'), `  timeWindow: [{ duration: 1M, isRolling: false, calendar: { timeZone: Europe/Paris } }]
  budgetingMethod: Occurrences
  objectives: [{ displayName: main, target: 0.999 }]`),
  spec('gamma-within-1', ratio('gamma', 'select: correct, tolerance: 1', 'select: labelled'), occurrences(0.9, '10d'), 'highway.dev/evaluation-delay: 1d'),
  // Thresholds between the rollup buckets: the exact counts of slo_latency_below_1m (prepared in beforeAll).
  spec('alpha-v2-latency-120', ratio('alpha', 'version: v2, select: latency_below, thresholdMs: 120', 'version: v2, select: all'), occurrences(0.7, '3d')),
  spec('beta-latency-175-hourly', ratio('beta', 'select: latency_below, thresholdMs: 175', 'select: all'), slices('RatioTimeslices', 'target: 0.5, timeSliceWindow: 1h')),
]

function load(text: string): ResolvedSlo[] {
  const loaded = parseSloSources([{ file: 'tick.yaml', text }])
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors.slice(0, 3)))
  return [...loaded.specs]
}

/** The store with its queries counted: a view of the real store, not a fake. */
function counting(inner: Store): { store: Store; queries: () => number } {
  let n = 0
  const queryRows = <T,>(sql: string, params?: Record<string, unknown>): Promise<T[]> => {
    n++
    return inner.queryRows<T>(sql, params)
  }
  return { store: { ...inner, queryRows }, queries: () => n }
}

const statusesOf = (outcomes: Awaited<ReturnType<typeof evaluateSlos>>): SloStatus[] =>
  outcomes.map((o) => {
    if (!o.ok) throw o.error
    return o.status
  })

describe('one evaluation tick of many SLOs', () => {
  it('gives every SLO the same status as raw scans of predictions, labels and quarantine', async () => {
    const slos = load(SOURCES.join(''))
    const rollup = statusesOf(await evaluateSlos(store, slos, NOW))
    const raw = statusesOf(await evaluateSlos(store, slos, NOW, (needs) => readRaw(store, needs)))
    expect(rollup.map((s) => s.name)).toEqual(slos.map((s) => s.name))
    for (let i = 0; i < slos.length; i++) expect(rollup[i], slos[i]!.name).toEqual(raw[i])
    // Not vacuous: every supported SLO saw data, the bad hour and the quarantine burnt something, labels were counted.
    for (const s of rollup.filter((s) => s.name !== 'beta-latency-odd')) expect(s.status, s.name).toBe('ok')
    const by = Object.fromEntries(rollup.map((s) => [s.name, s]))
    expect(by['alpha-accepted']!.sli.total - by['alpha-accepted']!.sli.good).toBeGreaterThan(0)
    expect(by['alpha-accuracy']!.sli.total).toBeGreaterThan(3000)
    expect(by['gamma-within-1']!.sli).toMatchObject({ total: 960, good: 720 })
    expect(by['beta-availability-5m']!.error_budget.consumed).toBeGreaterThan(0)
  })

  it('reads the rollups in one query per table, whatever the number of SLOs', async () => {
    const few = counting(store)
    await evaluateSlos(few.store, load(SOURCES.slice(0, 3).join('')), NOW)
    expect(few.queries()).toBe(1)
    const all = counting(store)
    // Every SLO three times over (renamed), still one query for each of the four tables they read, and one of the
    // thresholds slo_latency_below_1m counts.
    const many = load([0, 1, 2].map((r) => SOURCES.join('').replaceAll('name: ', `name: r${r}-`)).join(''))
    expect(many.length).toBe(3 * load(SOURCES.join('')).length)
    const outcomes = await evaluateSlos(all.store, many, NOW)
    expect(outcomes).toHaveLength(many.length)
    expect(all.queries()).toBe(5)
  })

  it('answers each SLO as if it were evaluated alone', async () => {
    const slos = load(SOURCES.join(''))
    const together = statusesOf(await evaluateSlos(store, slos, NOW))
    for (let i = 0; i < slos.length; i++) expect(await evaluateSlo(store, slos[i]!, NOW)).toEqual(together[i])
  })

  it('keeps answering the other SLOs when one SLO own SQL fails', async () => {
    const broken = spec(
      'broken-sql',
      `ratioMetric: { good: { metricSource: { type: clickhouse, spec: { query: "SELECT count() FROM highway.no_such_table WHERE ts >= {from:DateTime64(3)} AND ts < {to:DateTime64(3)}" } } }, total: { metricSource: { type: clickhouse, spec: { query: "SELECT count() FROM highway.predictions WHERE ts >= {from:DateTime64(3)} AND ts < {to:DateTime64(3)}" } } } }`,
      occurrences(0.99),
    )
    const outcomes = await evaluateSlos(store, load(broken + SOURCES[0]!), NOW)
    expect(outcomes[0]).toMatchObject({ ok: false, name: 'broken-sql' })
    expect(outcomes[1]).toMatchObject({ ok: true, status: { name: 'alpha-availability', status: 'ok' } })
  })
})
