import { mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { validPrediction } from './ingest-load.ts'
import { BOOKING_MODEL, postJson, startTestService } from './service.ts'
import { describeWithFilesystemFaults, mountSmallFilesystem, type SmallFilesystem } from './small-filesystem.ts'
import { makeTempDir } from './temp-dir.ts'
import { waitFor } from './wait-for.ts'

/**
 * Issue 16, end to end: a real service (embedded chDB, real HTTP) whose ClickHouse directory and spool each sit
 * on a small tmpfs, through four faults: ClickHouse's disk read-only, then full; the spool's disk full, then
 * read-only. Through every one the process stays up, /readyz answers 503 with the reason, no answer is 202 for a
 * record not made durable, nothing goes to dead/, and once the fault clears every acknowledged record is stored
 * exactly once.
 */
export function storageFaultsSuite(acknowledge: 'logged' | 'stored'): void {
  describeWithFilesystemFaults(`storage faults, acknowledge: ${acknowledge}`, () => {
    const tmp = makeTempDir(`faults-${acknowledge}`)
    const dataDir = join(tmp.dir, 'data')
    let clickhouse: SmallFilesystem
    let spoolFs: SmallFilesystem
    let service: Awaited<ReturnType<typeof startTestService>>
    const acked = new Set<string>()
    const answers: number[] = []
    let seq = 0
    const ts = Date.now() - 3_600_000

    beforeAll(async () => {
      mkdirSync(dataDir, { recursive: true })
      clickhouse = mountSmallFilesystem(join(dataDir, 'clickhouse'), 48)
      spoolFs = mountSmallFilesystem(join(tmp.dir, 'spool'), 4)
      service = await startTestService({ storage: { dataDir }, ingest: { acknowledge, spoolDir: join(spoolFs.dir, 'q') } })
    })
    afterAll(async () => {
      clickhouse?.writable()
      spoolFs?.writable()
      clickhouse?.unfill()
      spoolFs?.unfill()
      await service?.stop()
      clickhouse?.unmount()
      spoolFs?.unmount()
      tmp.cleanup()
    })

    /** Sends one batch of 50 predictions; records its ids as acknowledged only on 202. */
    async function send(): Promise<number> {
      const n = seq++
      const ids = Array.from({ length: 50 }, (_, i) => `f${n}-${i}`)
      const res = await postJson(`${service.url}/v1/predictions`, { model: BOOKING_MODEL.name, records: ids.map((id, i) => validPrediction(id, ts + n * 100 + i)) })
      answers.push(res.status)
      if (res.status === 202) for (const id of ids) acked.add(id)
      else {
        expect([429, 503]).toContain(res.status)
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
      }
      return res.status
    }

    async function readyz(): Promise<{ status: number; body: { ready: boolean; storage: string; spool: { state: string; entries: number }; reasons: string[] } }> {
      const res = await fetch(`${service.url}/readyz`)
      return { status: res.status, body: (await res.json()) as never }
    }

    async function recovered(): Promise<void> {
      await waitFor('the service to be ready again with an empty spool', async () => {
        const r = await readyz()
        return r.status === 200 && r.body.spool.entries === 0
      }, { timeoutMs: 60_000 })
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200)
    }

    it('stays ready and stores what it acknowledges before any fault', async () => {
      for (let i = 0; i < 3; i++) expect(await send()).toBe(202)
      expect((await readyz()).status).toBe(200)
    })

    it("answers /readyz 503 while ClickHouse's directory is read-only, and retries instead of dead-lettering", async () => {
      clickhouse.readOnly()
      // Logged: acknowledged from the spool; stored: the failed insert falls back to the spool, also 202.
      await waitFor('/readyz to report storage degraded', async () => {
        await send()
        const r = await readyz()
        return r.status === 503 && r.body.storage === 'degraded' && r.body.reasons.some((x) => /ClickHouse inserts are failing/.test(x))
      })
      for (let i = 0; i < 3; i++) await send()
      clickhouse.writable()
      await recovered()
    })

    it("answers /readyz 503 while ClickHouse's disk is full, and stores everything once there is room", async () => {
      clickhouse.fill(256 * 1024)
      await waitFor('/readyz to report storage degraded', async () => {
        await send()
        const r = await readyz()
        return r.status === 503 && r.body.storage === 'degraded'
      })
      for (let i = 0; i < 3; i++) await send()
      clickhouse.unfill()
      await recovered()
    })

    it("never acknowledges a record it could not make durable while the spool's disk is full, and does not die of it", async () => {
      // Stored mode writes ClickHouse directly; make it fail too, so every record needs the spool.
      clickhouse.readOnly()
      spoolFs.fill()
      const refused = await waitFor('a request refused for want of spool room', async () => ((await send()) !== 202 ? true : undefined))
      expect(refused).toBe(true)
      const r = await readyz()
      expect(r.status).toBe(503)
      expect(r.body.spool.state).toBe('failing')
      expect(r.body.reasons.join('\n')).toMatch(/spool cannot be written: ENOSPC/)
      spoolFs.unfill()
      clickhouse.writable()
      await recovered()
      expect(await send()).toBe(202)
    })

    it("never acknowledges a record it could not make durable while the spool's disk is read-only", async () => {
      clickhouse.readOnly()
      spoolFs.readOnly()
      await waitFor('a request refused for a read-only spool', async () => ((await send()) !== 202 ? true : undefined))
      const r = await readyz()
      expect(r.status).toBe(503)
      expect(r.body.spool.state).toBe('failing')
      spoolFs.writable()
      clickhouse.writable()
      await recovered()
      expect(await send()).toBe(202)
    })

    it('stores every acknowledged record exactly once, and buries none', async () => {
      const rows = await service.store.queryRows<{ id: string; n: string }>(
        "SELECT id, count() AS n FROM highway.predictions WHERE model = {m:String} AND startsWith(id, 'f') GROUP BY id",
        { m: BOOKING_MODEL.name },
      )
      const stored = new Map(rows.map((r) => [r.id, Number(r.n)]))
      // Every acknowledged record is stored once; a refused one may be stored too (it was never acknowledged).
      expect([...acked].filter((id) => stored.get(id) !== 1)).toEqual([])
      expect([...stored.values()].every((n) => n === 1)).toBe(true)
      expect(answers.filter((s) => s === 202).length * 50).toBe(acked.size)
      const dead = join(spoolFs.dir, 'q', 'dead')
      expect(readdirSyncSafe(dead)).toEqual([])
      expect(service.logs.filter((l) => l.message === 'unhandled error')).toEqual([])
    })
  })
}

function readdirSyncSafe(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
