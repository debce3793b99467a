import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyMigrations, createStore, MIGRATIONS, type Store } from '../store/index.ts'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { createAuditLog, createRequestAuditWriter, type AuditEntry } from './index.ts'

const tmp = makeTempDir('audit')
let store: Store

beforeAll(async () => {
  // A database as it stood before migration 12: every earlier migration, and an entry written then.
  store = createStore({ mode: 'embedded', dataDir: tmp.dir, database: 'highway', retentionDays: 90 })
  await store.command('CREATE DATABASE IF NOT EXISTS highway')
  for (const m of MIGRATIONS.filter((x) => x.version < 12)) for (const sql of m.statements(store.ctx)) await store.command(sql)
  await store.command(
    `INSERT INTO highway.audit_log (id, at, actor, component, action, model, target, outcome, before, after, reason)
     VALUES ('old-1', fromUnixTimestamp64Milli(1700000000000), 'ops', 'releases', 'rollback', 'm', '2', 'done', '{"champion":3}', '{"champion":2}', 'bad canary')`,
  )
  await applyMigrations(store, store.ctx)
})
afterAll(async () => {
  await store.close()
  tmp.cleanup()
})

describe('the audit log after migration 12', () => {
  it('still reads entries written before it, with an empty request id and no status', async () => {
    const [old] = await createAuditLog(store).read({ actor: 'ops', action: 'rollback' })
    expect(old).toMatchObject({ id: 'old-1', atMs: 1700000000000, before: { champion: 3 }, after: { champion: 2 }, reason: 'bad canary', requestId: '', status: 0 })
  })

  it('keeps the request id and status of new entries, filtered by model and time', async () => {
    const audit = createAuditLog(store, () => 1800000000000)
    await audit.recordMany([
      { actor: 'root', component: 'http', action: 'POST /v1/silences', target: '/v1/silences', outcome: 'done', requestId: 'req-9', status: 200 },
      { actor: 'root', component: 'http', action: 'PATCH /v1/incidents/{id}', model: 'n', target: '/v1/incidents/x', outcome: 'refused', requestId: 'req-10', status: 409 },
    ])
    expect(await audit.read({ actor: 'root', models: ['n'] })).toEqual([expect.objectContaining({ requestId: 'req-10', status: 409, outcome: 'refused' })])
    expect(await audit.read({ actor: 'root', from: 1800000000001 })).toEqual([])
  })
})

describe('createRequestAuditWriter', () => {
  const event = (i: number) => ({ actor: 'ops', action: 'POST /v1/alertmanager', target: '/v1/alertmanager', status: 200, requestId: `r${i}`, atMs: i })

  it('keeps entries queued through failed writes and writes each once when storage is back, counting the failures', async () => {
    const written: AuditEntry[] = []
    let failures = 2
    const registry = new Registry()
    const errors: unknown[] = []
    const writer = createRequestAuditWriter({
      audit: {
        async recordMany(entries) {
          if (failures-- > 0) throw new Error('storage down')
          written.push(...entries)
        },
      },
      registry,
      onError: (e) => errors.push(e),
      now: () => 0,
    })
    writer.record(event(1))
    // The request's own write fails, and so does the flush's retry.
    await writer.flush()
    expect(writer.queued).toBe(1)
    // Within retryAfterMs of the failure a request does not retry: it queues.
    writer.record(event(2))
    expect(writer.queued).toBe(2)
    await writer.flush()
    expect(writer.queued).toBe(0)
    expect(written.map((e) => e.requestId)).toEqual(['r1', 'r2'])
    expect(errors).toHaveLength(2)
    expect(await registry.getSingleMetricAsString('highway_audit_write_failures_total')).toMatch(/ 2$/)
  })

  it('drops the oldest entries past its bound while storage fails, and counts them', async () => {
    const registry = new Registry()
    const writer = createRequestAuditWriter({ audit: { recordMany: () => Promise.reject(new Error('down')) }, registry, onError: () => {}, maxQueued: 3 })
    for (let i = 0; i < 5; i++) writer.record(event(i))
    await writer.flush()
    expect(writer.queued).toBe(3)
    expect(await registry.getSingleMetricAsString('highway_audit_dropped_total')).toMatch(/ 2$/)
  })
})
