import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSecret } from '../server/index.ts'
import { startTestService } from '../test/support/service.ts'

// Concurrent Alertmanager deliveries share their inserts (alerts/coalescing-writer.ts); each still answers for its own rows.
type Service = Awaited<ReturnType<typeof startTestService>>
let svc: Service
const key = 'op-secret-0123456789'

beforeAll(async () => {
  svc = await startTestService({ auth: { keys: [{ id: 'ops', sha256: hashSecret(key), scopes: ['operate', 'read'] }] } }, { components: ['alerts'] })
})
afterAll(async () => {
  await svc.stop()
})

const post = async (body: unknown): Promise<number> => {
  const res = await fetch(`${svc.url}/v1/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  await res.text()
  return res.status
}
const webhook = (i: number) => ({
  version: '4',
  groupKey: '{}:{alertname="Concurrent"}',
  status: 'firing',
  receiver: 'highway',
  alerts: [{ status: 'firing', labels: { alertname: 'Concurrent', model: `m${i % 7}`, severity: i % 10 === 0 ? 'page' : 'ticket', n: String(i) }, annotations: {}, startsAt: new Date(Date.UTC(2026, 11, 7, 10) + i * 1000).toISOString(), endsAt: '0001-01-01T00:00:00Z' }],
})

describe('concurrent Alertmanager intakes', () => {
  it('answer 200 to 50 deliveries at once, and 50 more redelivering them, storing each alert exactly once and opening one incident per paged model', async () => {
    const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => post(webhook(i % 50))))
    expect(statuses).toEqual(Array.from({ length: 100 }, () => 200))
    const res = await fetch(`${svc.url}/v1/alerts?alertname=Concurrent`, { headers: { authorization: `Bearer ${key}` } })
    expect(((await res.json()) as { alerts: unknown[] }).alerts.length).toBe(50)
    const [events] = await svc.store.queryRows<{ ids: string }>(`SELECT uniqExact(event_id) AS ids FROM highway.alert_events WHERE alertname = 'Concurrent'`)
    expect(Number(events!.ids)).toBe(50)
    // The page alerts (every tenth) opened one incident per model, concurrent deliveries and redeliveries notwithstanding.
    const res2 = await fetch(`${svc.url}/v1/incidents`, { headers: { authorization: `Bearer ${key}` } })
    const incidents = ((await res2.json()) as { incidents: Array<{ models: string[] }> }).incidents
    expect(incidents.map((i) => i.models[0]).sort()).toEqual(['m0', 'm2', 'm3', 'm5', 'm6'])
  })
})
