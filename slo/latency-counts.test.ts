import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { createIngestWriter, encodePrediction, openStore, readLatencyThresholds, type Store } from '../store/index.ts'
import { evaluateSlo } from './evaluate.ts'
import { latencyThresholdsOf, prepareLatencyCounts } from './latency-counts.ts'
import { parseSloSources, type ResolvedSlo } from './spec/index.ts'

// Exact latency thresholds between the rollup's buckets (issue 11, docs/slo.md "Latency thresholds") over real chDB.
// Predictions go into the raw table as ingest writes them; `received_at` is when the collector took them, which is
// what splits the view's counting (received at or after a threshold's cut) from the backfill (received before).
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const NOW = Date.UTC(2026, 11, 1, 12, 0, 30)

const tmp = makeTempDir('slo-latency')
let store: Store
const open = () => openStore({ mode: 'embedded', dataDir: tmp.dir, database: 'highway', retentionDays: 3650 })

beforeAll(async () => {
  store = await open()
}, 60_000)
afterAll(async () => {
  await store.close()
  tmp.cleanup()
})

function latencySlo(name: string, thresholdMs: number): ResolvedSlo {
  const text = `apiVersion: openslo/v1
kind: SLO
metadata: { name: ${name} }
spec:
  service: checkout
  indicator:
    metadata: { name: ${name}-sli }
    spec:
      ratioMetric:
        good: { metricSource: { type: highway, spec: { model: checkout, select: latency_below, thresholdMs: ${thresholdMs} } } }
        total: { metricSource: { type: highway, spec: { model: checkout, select: all } } }
  timeWindow: [{ duration: 1d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ displayName: main, target: 0.9 }]
`
  const loaded = parseSloSources([{ file: `${name}.yaml`, text }])
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors))
  return loaded.specs[0]!
}

/** Writes one prediction per latency (null: none reported) as ingest does, made `ageMs` before NOW and received at `receivedAtMs`. */
async function ingest(latencies: ReadonlyArray<number | null>, receivedAtMs: number, ageMs = HOUR): Promise<void> {
  const lines = latencies.map((latencyMs, i) =>
    encodePrediction({
      model: 'checkout', version: 'v1', id: `p${receivedAtMs}-${i}`, tsMs: NOW - ageMs + i, receivedAtMs,
      numFeatures: {}, strFeatures: {}, textFeatures: {}, prediction: 0.5, predictionClass: '', predictionScores: {}, latencyMs, status: 'ok',
    }),
  )
  const payload = lines.join('\n')
  const writer = createIngestWriter(store, { timeoutMs: 30_000 })
  await writer.insert('predictions', payload, `latency-test-${receivedAtMs}`, await writer.prepare('predictions', payload))
}

/** What raw predictions say: how many of the last day took at most `thresholdMs`. */
async function rawBelow(thresholdMs: number): Promise<number> {
  const [row] = await store.queryRows<{ n: number }>(
    `SELECT countIf(latency_ms <= {x:Float64}) AS n FROM highway.predictions WHERE model = 'checkout' AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64})`,
    { x: thresholdMs, from: NOW - 24 * HOUR, to: NOW },
  )
  return Number(row?.n ?? -1)
}

describe('exact latency thresholds between the rollup buckets', () => {
  const slo120 = latencySlo('checkout-120', 120)
  const slo300 = latencySlo('checkout-300', 300)
  const slo250 = latencySlo('checkout-250', 250)

  it('collects the thresholds of the loaded SLOs, once each', () => {
    expect(latencyThresholdsOf([slo300, slo120, slo250, slo120])).toEqual([120, 250, 300])
  })

  it('backfills predictions received before a threshold existed: 119 and 120 ms are below 120 ms, 121 ms is not', async () => {
    await ingest([119, 120, 121, null], NOW - 2 * HOUR)
    const prepared = await prepareLatencyCounts({ store, slos: [slo120, slo250], now: () => NOW - HOUR })
    // 250 ms is a rollup bucket: it keeps the bucket path and is not counted again.
    expect(prepared.counted).toEqual([{ thresholdMs: 120, countedFromMs: NOW - HOUR }])
    expect(prepared.backfilled).toEqual([120])
    const s = await evaluateSlo(store, slo120, NOW)
    expect(s.status).toBe('ok')
    // Total: predictions that report a latency (the null one is not judged).
    expect(s.sli).toMatchObject({ good: 2, total: 3 })
  })

  it('counts predictions received after the cut through the view, exactly at the threshold too, and a replayed block once', async () => {
    await ingest([120, 120.000001, 119.999, 5000], NOW - 30 * MINUTE)
    // The same block again (a spool replay: same deduplication token) is stored once, and counted once.
    await ingest([120, 120.000001, 119.999, 5000], NOW - 30 * MINUTE)
    const s = await evaluateSlo(store, slo120, NOW)
    expect(s.sli).toMatchObject({ good: 4, total: 7 })
    expect(s.sli.good).toBe(await rawBelow(120))
  })

  it('keeps counting after a restart, without backfilling again', async () => {
    await store.close()
    store = await open()
    const prepared = await prepareLatencyCounts({ store, slos: [slo120], now: () => NOW - 20 * MINUTE })
    expect(prepared).toEqual({ counted: [{ thresholdMs: 120, countedFromMs: NOW - HOUR }], backfilled: [], stopped: [] })
    await ingest([1, 200], NOW - 10 * MINUTE)
    const s = await evaluateSlo(store, slo120, NOW)
    expect(s.sli).toMatchObject({ good: 5, total: 9 })
    expect(s.sli.good).toBe(await rawBelow(120))
  })

  it('does not double-count when the view is re-created with a new threshold set, and backfills only the new threshold', async () => {
    const prepared = await prepareLatencyCounts({ store, slos: [slo120, slo300], now: () => NOW - 5 * MINUTE })
    expect(prepared.backfilled).toEqual([300])
    expect(prepared.counted).toEqual([
      { thresholdMs: 120, countedFromMs: NOW - HOUR },
      { thresholdMs: 300, countedFromMs: NOW - 5 * MINUTE },
    ])
    // Received after the swap, with the cut of 300 ms before: counted by the view, once, for each threshold.
    await ingest([110, 290, 310], NOW - 4 * MINUTE)
    const [a, b] = [await evaluateSlo(store, slo120, NOW), await evaluateSlo(store, slo300, NOW)]
    expect(a.sli).toMatchObject({ good: 6, total: 12 })
    expect(b.sli).toMatchObject({ good: 10, total: 12 })
    expect([a.sli.good, b.sli.good]).toEqual([await rawBelow(120), await rawBelow(300)])
  })

  it('starts a threshold brought back from scratch: the rows of its earlier counting are never read', async () => {
    const dropped = await prepareLatencyCounts({ store, slos: [slo300], now: () => NOW - 3 * MINUTE })
    expect(dropped.stopped).toEqual([120])
    // While 120 ms is not counted, its SLO says so rather than answering with stale counts.
    expect((await evaluateSlo(store, slo120, NOW)).detail).toMatch(/latency threshold 120 ms is not counted yet/)
    await ingest([100], NOW - 2 * MINUTE)
    const back = await prepareLatencyCounts({ store, slos: [slo120, slo300], now: () => NOW - MINUTE })
    expect(back.backfilled).toEqual([120])
    await ingest([50, 150], NOW - 30_000)
    const [a, b] = [await evaluateSlo(store, slo120, NOW), await evaluateSlo(store, slo300, NOW)]
    expect(a.sli).toMatchObject({ good: 8, total: 15 })
    expect([a.sli.good, b.sli.good]).toEqual([await rawBelow(120), await rawBelow(300)])
  })

  it('stops counting and drops the view when no SLO names a threshold between buckets', async () => {
    const none = await prepareLatencyCounts({ store, slos: [slo250], now: () => NOW })
    expect(none).toEqual({ counted: [], backfilled: [], stopped: [120, 300] })
    expect(await readLatencyThresholds(store)).toEqual([])
    const views = await store.queryRows<{ name: string }>("SELECT name FROM system.tables WHERE database = 'highway' AND name = 'slo_latency_below_1m_mv'")
    expect(views).toEqual([])
  })
})
