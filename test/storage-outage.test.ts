import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSpoolDir, Spool, type Collector, type IngestSink } from '../collector/index.ts'
import { serveCollector } from './support/serve-collector.ts'
import { parseConfig } from '../config/index.ts'
import { createLogger } from '../cli/logger.ts'
import { createIngestWriter, findStoredRecords, openStore, readModelCounts, StoreError, type IngestTable, type Store } from '../store/index.ts'
import { invalidPrediction, validPrediction } from './support/ingest-load.ts'
import { BOOKING_MODEL, postJson } from './support/service.ts'
import { makeTempDir } from './support/temp-dir.ts'
import { waitFor } from './support/wait-for.ts'

// Storage outage, end to end in one process: real collector, real HTTP, real embedded ClickHouse. The only
// fake is failure injection at the store adapter (the IngestSink), which the issue allows.

const MODELS = ['outage-main', 'outage-lost-ack', 'outage-restart', 'outage-dead', 'outage-no-ts'] as const
type ModelName = (typeof MODELS)[number]

const tmp = makeTempDir('outage')
let store: Store

/** The store adapter between collector and ClickHouse, with switchable failures. */
class SwitchableSink implements IngestSink {
  /** `down`: every insert fails before reaching ClickHouse. */
  down = false
  /** Inserts (of the predictions table) that will reach ClickHouse and then fail, as if the acknowledgement were lost. */
  loseAcks = 0
  readonly calls: Array<{ table: IngestTable; token: string; outcome: 'stored' | 'down' | 'ack lost' | 'rejected' }> = []
  readonly #real: IngestSink

  constructor(real: IngestSink) {
    this.#real = real
  }

  async insert(table: IngestTable, payload: string, token: string): Promise<void> {
    if (this.down) {
      this.calls.push({ table, token, outcome: 'down' })
      throw new StoreError('unavailable', `insert into ${table}`, 'injected: ClickHouse is unreachable (ECONNREFUSED)')
    }
    try {
      await this.#real.insert(table, payload, token)
    } catch (err) {
      this.calls.push({ table, token, outcome: 'rejected' })
      throw err
    }
    if (table === 'predictions' && this.loseAcks > 0) {
      this.loseAcks--
      this.calls.push({ table, token, outcome: 'ack lost' })
      throw new StoreError('unavailable', `insert into ${table}`, 'injected: socket hang up after the insert was stored')
    }
    this.calls.push({ table, token, outcome: 'stored' })
  }
}

interface Running {
  readonly collector: Collector
  readonly sink: SwitchableSink
  readonly url: string
  readonly spoolDir: string
  readonly logs: string[]
  stop(): Promise<void>
}

const running: Running[] = []

/** A collector over the shared store with its own spool dir (or a given one), served on 127.0.0.1:0. */
async function startCollector(spoolDir: string, sink?: SwitchableSink): Promise<Running> {
  const config = parseConfig(
    { models: MODELS.map((name) => ({ ...BOOKING_MODEL, name })), storage: { dataDir: tmp.dir }, ingest: { spoolDir } },
    { source: 'storage-outage test' },
  )
  const theSink = sink ?? new SwitchableSink(createIngestWriter(store, { timeoutMs: 10_000 }))
  const logs: string[] = []
  const { url, collector, server } = await serveCollector({
    config,
    sink: theSink,
    reader: { readModelCounts: (m) => readModelCounts(store, m), findStoredRecords: (q) => findStoredRecords(store, q) },
    isTransient: (err) => err instanceof StoreError && err.transient,
    logger: createLogger({ write: (line) => logs.push(line) }),
  })
  let stopped: Promise<void> | undefined
  const r: Running = {
    collector,
    sink: theSink,
    url,
    spoolDir,
    logs,
    stop() {
      stopped ??= (async () => {
        server.closeAllConnections()
        await new Promise<void>((resolve) => server.close(() => resolve()))
        await collector.close()
      })()
      return stopped
    },
  }
  running.push(r)
  return r
}

const baseTsMs = Date.now() - 3_600_000

/** One request body: `valid` good records and `invalid` ones to quarantine, ids unique under `prefix`. */
function body(model: ModelName, prefix: string, valid: number, invalid: number): { model: string; records: unknown[]; ids: string[] } {
  const ids = Array.from({ length: valid }, (_, i) => `${prefix}-${i}`)
  const records: unknown[] = ids.map((id, i) => validPrediction(id, baseTsMs + i * 1_000))
  for (let i = 0; i < invalid; i++) records.push(invalidPrediction(`${prefix}-bad-${i}`, baseTsMs))
  return { model, records, ids }
}

async function stored(model: ModelName): Promise<{ rows: number; ids: number; rollup: number; quarantine: number; quarantineHashes: number }> {
  const [r] = await store.queryRows<{ rows: number; ids: number; rollup: number; quarantine: number; quarantineHashes: number }>(
    `SELECT
       (SELECT count() FROM highway.predictions WHERE model = {m:String}) AS rows,
       (SELECT uniqExact(id) FROM highway.predictions WHERE model = {m:String}) AS ids,
       (SELECT sum(predictions) FROM highway.prediction_rollup_1m WHERE model = {m:String}) AS rollup,
       (SELECT count() FROM highway.quarantine WHERE model = {m:String}) AS quarantine,
       (SELECT uniqExact(record_hash) FROM highway.quarantine WHERE model = {m:String}) AS quarantineHashes`,
    { m: model },
  )
  return { rows: Number(r!.rows), ids: Number(r!.ids), rollup: Number(r!.rollup), quarantine: Number(r!.quarantine), quarantineHashes: Number(r!.quarantineHashes) }
}

async function storedIds(model: ModelName): Promise<Set<string>> {
  const rows = await store.queryRows<{ id: string }>('SELECT id FROM highway.predictions WHERE model = {m:String}', { m: model })
  return new Set(rows.map((r) => r.id))
}

beforeAll(async () => {
  store = await openStore({ mode: 'embedded', dataDir: tmp.dir, database: 'highway', retentionDays: 90 })
})

afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()))
  await store?.close()
  tmp.cleanup()
})

describe('storage outage', () => {
  it('acknowledges and spools every record while ClickHouse is down, then stores each exactly once when it returns', async () => {
    const c = await startCollector(join(tmp.dir, 'spool-main'))
    c.sink.down = true
    const acked: string[] = []
    const bodies = Array.from({ length: 8 }, (_, b) => body('outage-main', `main-${b}`, 50, 2))
    let lastEntries = 0
    for (const b of bodies) {
      const res = await postJson(`${c.url}/v1/predictions`, { model: b.model, records: b.records })
      expect(res.status).toBe(202)
      expect(res.body).toMatchObject({ accepted: 50 })
      expect(res.body.rejected).toHaveLength(2)
      acked.push(...b.ids)
      // Sequential requests are separate groups: each one is one more durable entry on disk.
      expect(c.collector.writer.spool.entries).toBe(lastEntries + 1)
      lastEntries = c.collector.writer.spool.entries
    }

    // Records are still made durable (in the spool), but ClickHouse cannot take writes: not ready (issue 16).
    const ready = await fetch(`${c.url}/readyz`)
    expect(ready.status).toBe(503)
    const readyBody = (await ready.json()) as { ready: boolean; storage: string; spool: { entries: number; bytes: number } }
    expect(readyBody).toMatchObject({ ready: false, storage: 'degraded', spool: { entries: 8, state: 'writable' } })
    expect(readyBody.spool.bytes).toBeGreaterThan(0)
    expect(await stored('outage-main')).toEqual({ rows: 0, ids: 0, rollup: 0, quarantine: 0, quarantineHashes: 0 })
    expect(c.sink.calls.filter((x) => x.outcome === 'stored')).toEqual([])

    // A client retry of an acknowledged request cannot be checked against ClickHouse yet: 503, try later.
    const retryDuringOutage = await postJson(`${c.url}/v1/predictions`, { model: bodies[0]!.model, records: bodies[0]!.records }, { 'X-Highway-Attempt': '2' })
    expect(retryDuringOutage.status).toBe(503)
    expect(retryDuringOutage.headers.get('retry-after')).toBe('5')

    c.sink.down = false
    await waitFor('the drainer to empty the spool', () => c.collector.writer.spool.entries === 0, { timeoutMs: 30_000 })
    expect(c.collector.writer.degraded).toBe(false)
    expect(readdirSync(c.spoolDir).filter((n) => n.endsWith('.spool'))).toEqual([])

    expect(await stored('outage-main')).toEqual({ rows: 400, ids: 400, rollup: 400, quarantine: 16, quarantineHashes: 16 })
    expect(await storedIds('outage-main')).toEqual(new Set(acked))

    // The same retry after the drain: 202, and nothing is stored twice (the ids and hashes are already there).
    const retryAfter = await postJson(`${c.url}/v1/predictions`, { model: bodies[0]!.model, records: bodies[0]!.records }, { 'X-Highway-Attempt': '2' })
    expect(retryAfter.status).toBe(202)
    expect(await stored('outage-main')).toEqual({ rows: 400, ids: 400, rollup: 400, quarantine: 16, quarantineHashes: 16 })

    const readyAgain = (await (await fetch(`${c.url}/readyz`)).json()) as { storage: string }
    expect(readyAgain.storage).toBe('ok')
    await c.stop()
  })

  it('stores nothing twice when a client retries, after the outage, a request whose records carry no ts', async () => {
    const c = await startCollector(join(tmp.dir, 'spool-no-ts'))
    c.sink.down = true
    // Without ts a record is stamped with its time of receipt, which differs between the attempts.
    const ids = Array.from({ length: 30 }, (_, i) => `no-ts-${i}`)
    const records = ids.map((id) => {
      const record = validPrediction(id, 0)
      delete record.ts
      return record
    })
    const first = await postJson(`${c.url}/v1/predictions`, { model: 'outage-no-ts', records })
    expect(first.status).toBe(202)
    c.sink.down = false
    await waitFor('the drainer to empty the spool', () => c.collector.writer.spool.entries === 0, { timeoutMs: 30_000 })
    expect((await stored('outage-no-ts')).rows).toBe(30)

    // The client never saw the 202 (say its connection dropped) and sends the request again.
    const retry = await postJson(`${c.url}/v1/predictions`, { model: 'outage-no-ts', records }, { 'X-Highway-Attempt': '2' })
    expect(retry.status).toBe(202)
    expect(await stored('outage-no-ts')).toEqual({ rows: 30, ids: 30, rollup: 30, quarantine: 0, quarantineHashes: 0 })
    await c.stop()
  })

  it('stores a batch once when ClickHouse took the insert but the acknowledgement was lost', async () => {
    const c = await startCollector(join(tmp.dir, 'spool-lost-ack'))
    c.sink.loseAcks = 1
    const b = body('outage-lost-ack', 'ack', 120, 3)
    const res = await postJson(`${c.url}/v1/predictions`, { model: b.model, records: b.records })
    expect(res.status).toBe(202)
    await waitFor('the drainer to replay the spooled batch', () => c.collector.writer.spool.entries === 0, { timeoutMs: 30_000 })

    const predictionCalls = c.sink.calls.filter((x) => x.table === 'predictions')
    // The first insert landed and failed; the replay used the same token and ClickHouse kept the rows once.
    expect(predictionCalls.map((x) => x.outcome)).toEqual(['ack lost', 'stored'])
    expect(predictionCalls[1]!.token).toBe(predictionCalls[0]!.token)
    expect(await stored('outage-lost-ack')).toEqual({ rows: 120, ids: 120, rollup: 120, quarantine: 3, quarantineHashes: 3 })
    expect(await storedIds('outage-lost-ack')).toEqual(new Set(b.ids))
    await c.stop()
  })

  it('drains at start what a collector left in the spool when it stopped during the outage', async () => {
    const spoolDir = join(tmp.dir, 'spool-restart')
    const first = await startCollector(spoolDir)
    first.sink.down = true
    const acked: string[] = []
    const requests = Array.from({ length: 5 }, (_, i) => body('outage-restart', `restart-${i}`, 40, 1))
    // Concurrent requests: group commit merges some of them into one spool entry.
    const answers = await Promise.all(requests.map((b) => postJson(`${first.url}/v1/predictions`, { model: b.model, records: b.records })))
    for (const [i, a] of answers.entries()) {
      expect(a.status).toBe(202)
      acked.push(...requests[i]!.ids)
    }
    const left = first.collector.writer.spool.entries
    expect(left).toBeGreaterThan(0)
    await first.stop()
    expect(new Spool({ dir: spoolDir, maxBytes: 1 << 30 }).entries).toBe(left)
    expect((await stored('outage-restart')).rows).toBe(0)

    // ClickHouse is back; a fresh collector over the same spool directory replays it without being asked.
    const second = await startCollector(spoolDir)
    await waitFor('the restarted collector to drain the spool', () => second.collector.writer.spool.entries === 0, { timeoutMs: 30_000 })
    expect(await stored('outage-restart')).toEqual({ rows: 200, ids: 200, rollup: 200, quarantine: 5, quarantineHashes: 5 })
    expect(await storedIds('outage-restart')).toEqual(new Set(acked))
    await second.stop()
  })

  it('keeps a spooled row ClickHouse refuses outright in spool/dead/, stores the rest, and counts it', async () => {
    const spoolDir = join(tmp.dir, 'spool-dead')
    // A row ClickHouse cannot parse (too few columns), ahead of a good entry, as an earlier process left them.
    const left = new Spool({ dir: spoolDir, maxBytes: 1 << 30 })
    await left.append([{ table: 'predictions', token: 'earlier:0:predictions', payload: '["outage-dead","v1","only three columns"]' }])
    const good = body('outage-dead', 'dead-good', 10, 0)
    await left.append([
      {
        table: 'predictions',
        token: 'earlier:1:predictions',
        payload: good.ids
          .map((id, i) => JSON.stringify(['outage-dead', 'v1', id, baseTsMs + i, baseTsMs + i, { height_cm: 170 }, {}, { note: 'n' }, 0.5, '', {}, 2.5, 'ok']))
          .join('\n'),
      },
    ])

    const c = await startCollector(spoolDir)
    await waitFor('the drainer to set the bad row aside and drain the good entry', () => c.collector.writer.spool.entries === 0, { timeoutMs: 30_000 })
    expect(c.sink.calls.filter((x) => x.token === 'earlier:0:predictions').map((x) => x.outcome)).toEqual(['rejected'])
    expect(readSpoolDir(join(spoolDir, 'dead')).map((e) => e.map((p) => p.payload))).toEqual([['["outage-dead","v1","only three columns"]']])
    expect(c.logs.some((l) => l.includes('refused rows'))).toBe(true)

    const metrics = await (await fetch(`${c.url}/metrics`)).text()
    expect(metrics).toMatch(/^highway_ingest_refused_rows_total\{table="predictions"\} 1$/m)
    expect(metrics).toMatch(/^highway_spool_entries 0$/m)
    expect(await stored('outage-dead')).toMatchObject({ rows: 10, ids: 10, rollup: 10 })
    await c.stop()
  })
})
