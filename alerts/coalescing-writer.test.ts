import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStore, StoreError } from '../store/index.ts'
import { createClickHouseAlertStore } from './clickhouse-store.ts'
import { createCoalescingWriter } from './coalescing-writer.ts'
import { intakeRecords, webhookPayloadSchema } from './intake.ts'

const payload = (i: number) =>
  webhookPayloadSchema.parse({
    version: '4',
    groupKey: '{}:{alertname="Batch"}',
    status: 'firing',
    receiver: 'highway',
    alerts: [{ status: 'firing', labels: { alertname: 'Batch', model: `m${i % 5}`, instance: `i${i}` }, startsAt: new Date(Date.UTC(2026, 11, 1) + i * 1000).toISOString() }],
  })

describe('the coalescing writer', () => {
  it('flushes a lone write at once, and writes arriving during a flush together in the next batch', async () => {
    const batches: number[][] = []
    const writer = createCoalescingWriter<number>(async (items) => {
      batches.push([...items])
      await Promise.resolve()
    })
    await Promise.all(Array.from({ length: 50 }, (_, i) => writer.write(i)))
    expect(batches[0]).toEqual([0])
    expect(batches.flat()).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(batches.length).toBe(2)
  })

  it('rejects every write of a failed batch with its error, and goes on with the next batch', async () => {
    let calls = 0
    const writer = createCoalescingWriter<number>(async () => {
      calls++
      if (calls === 2) throw new Error('batch two failed')
    })
    const first = writer.write(0)
    const second = [writer.write(1), writer.write(2)].map((p) => p.then(() => 'ok', (e: Error) => e.message))
    expect(await first).toBeUndefined()
    expect(await Promise.all(second)).toEqual(['batch two failed', 'batch two failed'])
    await expect(writer.write(3)).resolves.toBeUndefined()
  })

  it('stores 50 concurrent intakes in chDB exactly once each, and fails them all with the store error when storage is closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'highway-coalesce-'))
    const store = await openStore({ mode: 'embedded', dataDir: dir, database: 'highway', retentionDays: 30 })
    try {
      const alerts = createClickHouseAlertStore(store)
      let flushes = 0
      const writer = createCoalescingWriter<ReturnType<typeof intakeRecords>>(async (batch) => {
        flushes++
        await alerts.appendEvents(batch.flatMap((r) => r.events))
        await alerts.saveStates(batch.flatMap((r) => r.states))
      })
      const records = Array.from({ length: 50 }, (_, i) => intakeRecords(payload(i)))
      // Every payload twice: a redelivery racing the first delivery stores nothing new.
      await Promise.all([...records, ...records].map((r) => writer.write(r)))
      expect(flushes).toBeLessThan(50)
      const rows = await store.queryRows<{ event_id: string; n: string }>(`SELECT event_id, count() AS n FROM highway.alert_events GROUP BY event_id`)
      expect(rows.length).toBe(50)
      const history = await alerts.history({ fromMs: 0, toMs: Date.UTC(2027, 0, 1), limit: 1000 })
      expect(new Set(history.map((e) => e.eventId)).size).toBe(50)
      expect(history.length).toBe(50)
      expect((await alerts.listStates({})).length).toBe(50)

      await store.close()
      const failed = await Promise.all(records.slice(0, 10).map((r) => writer.write(r).then(() => null, (e: unknown) => e)))
      for (const err of failed) {
        expect(err).toBeInstanceOf(StoreError)
        // What the HTTP shell answers 503 for (server/errors.ts), so Alertmanager retries each of them.
        expect((err as StoreError).code === 'closed' || (err as StoreError).transient).toBe(true)
      }
    } finally {
      await store.close().catch(() => undefined)
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
