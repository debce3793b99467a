import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '../store/index.ts'
import { startHighwayProcess, type HighwayProcess } from './support/highway-process.ts'
import { bookingConfigYaml, invalidPrediction, validPrediction } from './support/ingest-load.ts'
import { BOOKING_MODEL } from './support/service.ts'
import { makeTempDir } from './support/temp-dir.ts'
import { waitFor } from './support/wait-for.ts'

// Acceptance test: kill -9 during sustained ingest, restart on the same data dir, every acknowledged id is
// stored exactly once. The collector runs as a real child process (`highway start`, embedded chDB); this process
// only drives HTTP load and, at the end, opens the data dir once the child has exited.

const CYCLES = 5
const WORKERS = 4
const VALID_PER_BATCH = 200
const INVALID_PER_BATCH = 3
/** Fresh batches sent after the last restart, on top of the retries. */
const FINAL_BATCHES = 20

/** The whole acceptance test, for one acknowledgement mode: each gets its own data dir, client and child processes. */
function crashRecoverySuite(acknowledge: 'logged' | 'stored'): void {
  const tmp = makeTempDir('crash')
  const dataDir = join(tmp.dir, 'data')
  const configPath = join(tmp.dir, 'highway.yaml')
  writeFileSync(configPath, `${bookingConfigYaml()}ingest:\n  acknowledge: ${acknowledge}\n`)
  const args = ['--config', configPath, '--data-dir', dataDir, '--port', '0']
  let current: HighwayProcess | undefined

  interface Batch {
    readonly seq: number
    readonly ids: readonly string[]
    readonly body: string
    attempts: number
  }

  /** What the client saw: acknowledged ids, batches waiting for a retry, unexpected answers. */
  const client = {
    nextSeq: 0,
    retry: [] as Batch[],
    acked: new Set<string>(),
    ackedBatches: 0,
    retriedAcks: 0,
    unavailable: 0,
    unexpected: [] as string[],
  }

  const baseTsMs = Date.now() - 2 * 3_600_000

  function newBatch(): Batch {
    const seq = client.nextSeq++
    const ids = Array.from({ length: VALID_PER_BATCH }, (_, i) => `b${seq}-${i}`)
    const records: unknown[] = ids.map((id, i) => validPrediction(id, baseTsMs + seq * 1_000 + i))
    for (let k = 0; k < INVALID_PER_BATCH; k++) records.push(invalidPrediction(`b${seq}-bad-${k}`, baseTsMs + seq * 1_000))
    return { seq, ids, body: JSON.stringify({ model: BOOKING_MODEL.name, records }), attempts: 0 }
  }

  /**
   * One client loop: sends retries first (with `X-Highway-Attempt`), then fresh batches, until the server goes away
   * (connection refused or reset: the batch goes back to the retry queue) or `more()` says there is nothing left.
   */
  async function ingestLoop(url: string, more: () => boolean): Promise<void> {
    for (;;) {
      const batch = client.retry.shift() ?? (more() ? newBatch() : undefined)
      if (batch === undefined) return
      batch.attempts++
      let status: number
      let retryAfterSeconds = 0
      try {
        const res = await fetch(`${url}/v1/predictions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(batch.attempts > 1 ? { 'x-highway-attempt': String(batch.attempts) } : {}) },
          body: batch.body,
        })
        status = res.status
        retryAfterSeconds = Number(res.headers.get('retry-after') ?? 0)
        // A 202 status line is the acknowledgement; the body may be cut by the kill and does not matter.
        await res.arrayBuffer().catch(() => undefined)
      } catch {
        client.retry.push(batch)
        return
      }
      if (status === 202) {
        for (const id of batch.ids) client.acked.add(id)
        client.ackedBatches++
        if (batch.attempts > 1) client.retriedAcks++
        continue
      }
      client.retry.push(batch)
      if (status === 503 || status === 429) {
        // The server asked for a pause (catching up after a restart): honour Retry-After, as a real client would.
        client.unavailable++
        await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterSeconds, 1) * 1_000))
        continue
      }
      client.unexpected.push(`batch ${batch.seq} attempt ${batch.attempts}: HTTP ${status}`)
      return
    }
  }

  async function deduplicatedSoFar(url: string): Promise<number> {
    const text = await (await fetch(`${url}/metrics`)).text()
    const m = /^highway_records_deduplicated_total\{[^}]*kind="prediction"[^}]*\} (\d+)$/m.exec(text)
    return m ? Number(m[1]) : 0
  }

  interface Outcome {
    readonly rows: number
    readonly ids: number
    readonly rollup: number
    readonly quarantine: number
    readonly hashes: number
    readonly doubled: ReadonlyArray<{ id: string; n: number }>
    readonly doubledQuarantine: ReadonlyArray<{ h: string; n: number }>
    readonly storedIds: ReadonlySet<string>
  }
  let outcome: Outcome | undefined

  afterAll(async () => {
    if (current && current.child.exitCode === null && current.child.signalCode === null) {
      current.child.kill('SIGKILL')
      await current.exited
    }
    tmp.cleanup()
  })

  describe(`crash recovery (acknowledge: ${acknowledge}): ${CYCLES} kill -9 cycles during sustained ingest from a child process`, () => {
    beforeAll(async () => {
      const started = performance.now()
      let deduplicated = 0
      for (let cycle = 1; cycle <= CYCLES; cycle++) {
        current = await startHighwayProcess(args)
        const server = current
        const target = client.ackedBatches + 3 + ((cycle * 5) % 7)
        const loops = Array.from({ length: WORKERS }, () => ingestLoop(server.url, () => true))
        await waitFor(`${target} acknowledged batches in cycle ${cycle}`, () => client.ackedBatches >= target || client.unexpected.length > 0, { timeoutMs: 30_000 })
        // Retries of the previous cycle have run by now; their dedup count dies with the process, so read it first.
        deduplicated += await deduplicatedSoFar(server.url).catch(() => 0)
        server.child.kill('SIGKILL')
        expect((await server.exited).signal).toBe('SIGKILL')
        await Promise.all(loops)
        expect(client.unexpected).toEqual([])
        expect(client.retry.length).toBeGreaterThan(0)
      }

      // Last start: deliver every unacknowledged batch (attempt >= 2) and some fresh load, then stop gracefully.
      current = await startHighwayProcess(args)
      const last = current
      const retriedBeforeFinal = client.retry.length
      const finalSeq = client.nextSeq + FINAL_BATCHES
      await Promise.all(Array.from({ length: WORKERS }, () => ingestLoop(last.url, () => client.nextSeq < finalSeq)))
      expect(client.unexpected).toEqual([])
      expect(client.retry).toEqual([])
      deduplicated += await deduplicatedSoFar(last.url)
      const stopping = last.waitForLog('stopping')
      last.child.kill('SIGTERM')
      await stopping
      expect(await last.exited).toEqual({ code: 0, signal: null })

      const store = await openStore({ mode: 'embedded', dataDir, database: 'highway', retentionDays: 90 })
      try {
        const model = { m: BOOKING_MODEL.name }
        const [totals] = await store.queryRows<{ rows: number; ids: number; rollup: number; quarantine: number; hashes: number }>(
          `SELECT
             (SELECT count() FROM highway.predictions WHERE model = {m:String}) AS rows,
             (SELECT uniqExact(id) FROM highway.predictions WHERE model = {m:String}) AS ids,
             (SELECT sum(predictions) FROM highway.prediction_rollup_1m WHERE model = {m:String}) AS rollup,
             (SELECT count() FROM highway.quarantine WHERE model = {m:String}) AS quarantine,
             (SELECT uniqExact(record_hash) FROM highway.quarantine WHERE model = {m:String}) AS hashes`,
          model,
        )
        outcome = {
          rows: Number(totals!.rows),
          ids: Number(totals!.ids),
          rollup: Number(totals!.rollup),
          quarantine: Number(totals!.quarantine),
          hashes: Number(totals!.hashes),
          doubled: await store.queryRows<{ id: string; n: number }>(
            'SELECT id, count() AS n FROM highway.predictions WHERE model = {m:String} GROUP BY id HAVING n > 1 ORDER BY id LIMIT 10',
            model,
          ),
          doubledQuarantine: await store.queryRows<{ h: string; n: number }>(
            'SELECT record_hash AS h, count() AS n FROM highway.quarantine WHERE model = {m:String} GROUP BY h HAVING n > 1 LIMIT 10',
            model,
          ),
          storedIds: new Set((await store.queryRows<{ id: string }>('SELECT id FROM highway.predictions WHERE model = {m:String}', model)).map((r) => r.id)),
        }
      } finally {
        await store.close()
      }
      console.log(
        `crash recovery (acknowledge: ${acknowledge}): ${CYCLES} kill -9 cycles + graceful stop in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
          `${client.acked.size} acknowledged ids in ${client.ackedBatches} batches (${client.retriedAcks} acknowledged on a retry, ` +
          `${retriedBeforeFinal} waiting at the last restart); ${deduplicated} records skipped on retry as already stored; ` +
          `${client.unavailable} 503/429 answers; stored ${outcome.rows} predictions, rollup counts ${outcome.rollup}, ${outcome.quarantine} quarantined`,
      )
    }, 120_000)

    it('keeps every acknowledged id, exactly once', () => {
      expect([...client.acked].filter((id) => !outcome!.storedIds.has(id)).slice(0, 10)).toEqual([])
      // Every batch was acknowledged in the end, so ClickHouse holds exactly the acknowledged ids.
      expect(client.acked.size).toBe(client.nextSeq * VALID_PER_BATCH)
      expect(outcome!.ids).toBe(client.acked.size)
    })

    it('never stores an id twice, acknowledged or not, although retries replayed batches that had landed', () => {
      expect(outcome!.doubled).toEqual([])
      expect(outcome!.rows).toBe(outcome!.ids)
      expect(client.retriedAcks).toBeGreaterThanOrEqual(CYCLES)
    })

    it('keeps the per-minute rollup equal to the raw predictions: nothing counted twice, nothing missed', () => {
      expect(outcome!.rollup).toBe(outcome!.rows)
    })

    it('quarantines each rejected record once, however often its batch was retried', () => {
      expect(outcome!.doubledQuarantine).toEqual([])
      expect(outcome!.quarantine).toBe(client.nextSeq * INVALID_PER_BATCH)
      expect(outcome!.hashes).toBe(outcome!.quarantine)
    })
  })
}

crashRecoverySuite('logged')
crashRecoverySuite('stored')
