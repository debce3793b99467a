import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSecret } from '../server/index.ts'
import { startTestService } from '../test/support/service.ts'

type Service = Awaited<ReturnType<typeof startTestService>>
let svc: Service
const keys = { operate: 'op-secret-0123456789', read: 'read-secret-0123456789', limited: 'limited-secret-0123456789' }

beforeAll(async () => {
  svc = await startTestService(
    {
      models: [
        { name: 'booking-spam', task: 'binary_classification', features: { x: { type: 'number' } } },
        { name: 'other-model', task: 'binary_classification', features: { x: { type: 'number' } } },
      ],
      auth: {
        keys: [
          { id: 'ops', sha256: hashSecret(keys.operate), scopes: ['operate'] },
          { id: 'reader', sha256: hashSecret(keys.read), scopes: ['read'] },
          { id: 'limited', sha256: hashSecret(keys.limited), scopes: ['operate'], models: ['other-model'] },
        ],
      },
    },
    { components: ['alerts'] },
  )
})
afterAll(async () => {
  await svc.stop()
})

const call = async (method: string, path: string, key: string, body?: unknown) => {
  const res = await fetch(`${svc.url}${path}`, { method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  const text = await res.text()
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : null }
}

// What Alertmanager 0.25 posts to a webhook receiver, with a field a later version adds.
const webhook = (status: 'firing' | 'resolved') => ({
  version: '4',
  groupKey: '{}:{alertname="BookingLatency"}',
  truncatedAlerts: 0,
  status,
  receiver: 'highway',
  groupLabels: { alertname: 'BookingLatency' },
  commonLabels: { alertname: 'BookingLatency', model: 'booking-spam', severity: 'page' },
  commonAnnotations: { summary: 'slow' },
  externalURL: 'http://alertmanager:9093',
  notification_reason: 'new',
  alerts: [
    {
      status,
      labels: { alertname: 'BookingLatency', model: 'booking-spam', severity: 'page' },
      annotations: { summary: 'slow' },
      startsAt: '2026-12-07T10:00:00.000Z',
      endsAt: status === 'resolved' ? '2026-12-07T10:30:00.000Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: 'c0c5e5d7b4b0a3f1',
    },
  ],
})

describe('POST /v1/alertmanager', () => {
  it('stores the same webhook once, whether sent three times in a row or concurrently', async () => {
    for (let i = 0; i < 3; i++) expect((await call('POST', '/v1/alertmanager', keys.operate, webhook('firing'))).status).toBe(200)
    const answers = await Promise.all([1, 2, 3].map(() => call('POST', '/v1/alertmanager', keys.operate, webhook('firing'))))
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
    const one = await call('GET', '/v1/alerts/c0c5e5d7b4b0a3f1', keys.read)
    expect(one.status).toBe(200)
    expect((one.json!.history as unknown[]).length).toBe(1)
    expect(one.json!.alert).toMatchObject({ source: 'alertmanager', state: 'firing', labels: { model: 'booking-spam' } })
  })
  it('records the resolution as a second transition and shows the alert resolved', async () => {
    expect((await call('POST', '/v1/alertmanager', keys.operate, webhook('resolved'))).status).toBe(200)
    const one = await call('GET', '/v1/alerts/c0c5e5d7b4b0a3f1', keys.read)
    expect((one.json!.history as Array<{ to: string }>).map((e) => e.to)).toEqual(['firing', 'resolved'])
    expect(one.json!.alert).toMatchObject({ state: 'resolved', resolvedAt: '2026-12-07T10:30:00.000Z' })
  })
  it('answers 400 naming the field of a malformed payload, and the service stays up', async () => {
    const bad = webhook('firing')
    const r = await call('POST', '/v1/alertmanager', keys.operate, { ...bad, alerts: [{ ...bad.alerts[0], status: 'burning' }] })
    expect(r.status).toBe(400)
    expect(JSON.stringify(r.json)).toContain('alerts.0.status')
    expect((await call('POST', '/v1/alertmanager', keys.operate, { ...bad, version: '3' })).status).toBe(400)
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200)
  })
  it('counts refused payloads as invalid in the intake metric, though the shell refuses them before the handler', async () => {
    const count = async (outcome: string): Promise<number> => {
      const text = await (await fetch(`${svc.url}/metrics`, { headers: { authorization: `Bearer ${keys.read}` } })).text()
      const line = text.split('\n').find((l) => l.startsWith(`highway_alertmanager_intake_payloads_total{outcome="${outcome}"}`))
      return line ? Number(line.split(' ').pop()) : 0
    }
    const [invalid, stored] = [await count('invalid'), await count('stored')]
    expect((await call('POST', '/v1/alertmanager', keys.operate, { ...webhook('firing'), version: '3' })).status).toBe(400)
    const notJson = await fetch(`${svc.url}/v1/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${keys.operate}`, 'content-type': 'application/json' }, body: '{"version":' })
    expect(notJson.status).toBe(400)
    expect(await count('invalid')).toBe(invalid + 2)
    expect(await count('stored')).toBe(stored)
  })
  it('needs the operate scope', async () => {
    expect((await call('POST', '/v1/alertmanager', keys.read, webhook('firing'))).status).toBe(403)
  })
})

describe('alerts and acknowledgements', () => {
  it('lists alerts by state and model, and hides other models from a model-limited key', async () => {
    const all = await call('GET', '/v1/alerts?model=booking-spam', keys.read)
    expect((all.json!.alerts as unknown[]).length).toBe(1)
    expect(((await call('GET', '/v1/alerts?state=firing', keys.read)).json!.alerts as unknown[]).length).toBe(0)
    expect(((await call('GET', '/v1/alerts', keys.limited)).json!.alerts as unknown[]).length).toBe(0)
    expect((await call('GET', '/v1/alerts/c0c5e5d7b4b0a3f1', keys.limited)).status).toBe(404)
  })
  it('records an acknowledgement with who made it', async () => {
    const r = await call('POST', '/v1/alerts/c0c5e5d7b4b0a3f1/ack', keys.operate, { comment: 'looking' })
    expect(r.status).toBe(200)
    const one = await call('GET', '/v1/alerts/c0c5e5d7b4b0a3f1', keys.read)
    expect(one.json!.alert).toMatchObject({ acknowledged: { by: 'ops' } })
    expect((one.json!.history as Array<{ kind: string }>).map((e) => e.kind)).toEqual(['intake', 'intake', 'ack'])
  })
  it('answers 400 naming the parameter of a bad fingerprint', async () => {
    const r = await call('GET', '/v1/alerts/not-hex', keys.read)
    expect(r.status).toBe(400)
    expect(JSON.stringify(r.json)).toContain('fingerprint')
  })
})

describe('silences', () => {
  const body = { matchers: [{ name: 'model', value: 'booking-spam', isRegex: false, isEqual: true }], startsAt: new Date(Date.now() - 1000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(), createdBy: 'me', comment: 'deploy' }
  it('creates, lists and expires a silence with Alertmanager’s bodies', async () => {
    const created = await call('POST', '/v1/silences', keys.operate, body)
    expect(created.status).toBe(200)
    const id = created.json!.silenceID as string
    const listed = (await call('GET', '/v1/silences', keys.read)).json as unknown as Array<{ id: string; status: { state: string } }>
    expect(listed.find((s) => s.id === id)?.status.state).toBe('active')
    const expired = await call('DELETE', `/v1/silences/${id}`, keys.operate)
    expect(expired.json).toMatchObject({ id, status: { state: 'expired' } })
  })
  it('refuses bad matchers naming the field', async () => {
    const r = await call('POST', '/v1/silences', keys.operate, { ...body, matchers: [{ name: 'model', value: '(', isRegex: true }] })
    expect(r.status).toBe(400)
    expect(JSON.stringify(r.json)).toContain('matchers.0.value')
    const unknown = await call('POST', '/v1/silences', keys.operate, { ...body, extra: 1 })
    expect(unknown.status).toBe(400)
  })
  it('lets a model-limited key silence only its own models', async () => {
    expect((await call('POST', '/v1/silences', keys.limited, body)).status).toBe(403)
    const own = { ...body, matchers: [{ name: 'model', value: 'other-model', isRegex: false, isEqual: true }] }
    expect((await call('POST', '/v1/silences', keys.limited, own)).status).toBe(200)
  })
})
