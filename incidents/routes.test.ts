import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../cli/dispatch.ts'
import { parseInvocation } from '../cli/parse-invocation.ts'
import { hashSecret } from '../server/index.ts'
import { startTestService } from '../test/support/service.ts'

type Service = Awaited<ReturnType<typeof startTestService>>
let svc: Service
const keys = { operate: 'op-secret-0123456789', read: 'read-secret-0123456789', admin: 'admin-secret-0123456789', limited: 'limited-secret-0123456789' }

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
          { id: 'root', sha256: hashSecret(keys.admin), scopes: ['admin'] },
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

const call = async (method: string, path: string, key: string | null, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${svc.url}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, json: text ? (JSON.parse(text) as any) : null }
}

// What Alertmanager 0.25 posts to a webhook receiver.
const webhook = (status: 'firing' | 'resolved', alert: { alertname: string; severity: string; model: string; fingerprint: string; startsAt: string }) => ({
  version: '4',
  groupKey: `{}:{alertname="${alert.alertname}"}`,
  truncatedAlerts: 0,
  status,
  receiver: 'highway',
  groupLabels: { alertname: alert.alertname },
  commonLabels: { alertname: alert.alertname, model: alert.model, severity: alert.severity },
  commonAnnotations: { summary: 'slow bookings' },
  externalURL: 'http://alertmanager:9093',
  alerts: [
    {
      status,
      labels: { alertname: alert.alertname, model: alert.model, severity: alert.severity },
      annotations: { summary: 'slow bookings' },
      startsAt: alert.startsAt,
      endsAt: status === 'resolved' ? '2026-12-07T10:30:00.000Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: alert.fingerprint,
    },
  ],
})

const latency = { alertname: 'BookingLatency', severity: 'page', model: 'booking-spam', fingerprint: 'c0c5e5d7b4b0a3f1', startsAt: '2026-12-07T10:00:00.000Z' }
const drift = { alertname: 'BookingDrift', severity: 'ticket', model: 'booking-spam', fingerprint: 'a1a2a3a4a5a6a7a8', startsAt: '2026-12-07T10:05:00.000Z' }

const incidentsOf = async (model: string) => (await call('GET', `/v1/incidents?model=${model}`, keys.read)).json.incidents as Array<{ id: string; status: string; alerts: unknown[] }>
const timelineOf = async (id: string) => (await call('GET', `/v1/incidents/${id}`, keys.read)).json.timeline as Array<{ source: string; kind: string }>

describe('incidents from the Alertmanager intake', () => {
  let id = ''

  it('opens one incident with one timeline entry for a page alert delivered three times and three times concurrently', async () => {
    for (let i = 0; i < 3; i++) expect((await call('POST', '/v1/alertmanager', keys.operate, webhook('firing', latency))).status).toBe(200)
    const concurrent = await Promise.all([1, 2, 3].map(() => call('POST', '/v1/alertmanager', keys.operate, webhook('firing', latency))))
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200])
    const list = await incidentsOf('booking-spam')
    expect(list).toHaveLength(1)
    id = list[0]!.id
    expect(list[0]).toMatchObject({ status: 'triage', severity: 'page', models: ['booking-spam'] })
    const own = (await timelineOf(id)).filter((t) => t.source === 'incident')
    expect(own.map((t) => t.kind)).toEqual(['opened', 'alert_firing'])
  })

  it('lets an alert of another severity join the open incident of its model, once', async () => {
    for (let i = 0; i < 2; i++) await call('POST', '/v1/alertmanager', keys.operate, webhook('firing', drift))
    const list = await incidentsOf('booking-spam')
    expect(list).toHaveLength(1)
    expect(list[0]!.alerts).toHaveLength(2)
    expect((await timelineOf(id)).filter((t) => t.kind === 'alert_firing')).toHaveLength(2)
  })

  it('does not open an incident for an alert below page severity', async () => {
    await call('POST', '/v1/alertmanager', keys.limited, webhook('firing', { ...drift, model: 'other-model', fingerprint: 'b1b2b3b4b5b6b7b8' }))
    expect(await incidentsOf('other-model')).toEqual([])
  })

  it('moves through the lifecycle by PATCH and refuses a transition it does not allow with 409 naming both statuses', async () => {
    const step = await call('PATCH', `/v1/incidents/${id}`, keys.operate, { status: 'investigating', assignee: 'alice', note: 'looking at the release' }, { 'x-request-id': 'req-incident-1' })
    expect(step).toMatchObject({ status: 200, json: { status: 'investigating', assignee: 'alice' } })
    const back = await call('PATCH', `/v1/incidents/${id}`, keys.operate, { status: 'triage' })
    expect(back.status).toBe(409)
    expect(back.json.error).toContain('"investigating"')
    expect(back.json.error).toContain('"triage"')
    const kinds = (await timelineOf(id)).filter((t) => t.source === 'incident').map((t) => t.kind)
    expect(kinds).toEqual(expect.arrayContaining(['status', 'assignee', 'note']))
  })

  it('answers 400 naming the field for bad PATCH bodies', async () => {
    const cases: Array<[unknown, string]> = [
      [{ status: 'closed' }, 'status:'],
      [{ assignee: 7 }, 'assignee:'],
      [{ owner: 'bob' }, 'owner'],
      [{}, 'at least one'],
      ['{"status":', 'JSON'],
    ]
    for (const [body, field] of cases) {
      const r = await call('PATCH', `/v1/incidents/${id}`, keys.operate, body)
      expect(r.status, JSON.stringify(body)).toBe(400)
      expect(r.json.error, JSON.stringify(body)).toContain(field)
    }
    expect((await call('PATCH', '/v1/incidents/not-an-id', keys.operate, { note: 'x' })).json.error).toContain('path.id')
  })

  it('checks scopes: reads need read, changes need operate, a model-limited key sees only its models', async () => {
    expect((await call('GET', '/v1/incidents', null)).status).toBe(401)
    expect((await call('PATCH', `/v1/incidents/${id}`, keys.read, { note: 'x' })).status).toBe(403)
    expect((await call('GET', `/v1/incidents/${id}`, keys.read)).status).toBe(200)
    expect((await call('GET', `/v1/incidents/${id}`, keys.limited)).status).toBe(404)
    expect((await call('PATCH', `/v1/incidents/${id}`, keys.limited, { note: 'x' })).status).toBe(404)
    expect((await call('GET', '/v1/incidents', keys.limited)).json.incidents).toEqual([])
    expect((await call('GET', '/v1/incidents?model=booking-spam', keys.limited)).status).toBe(403)
    expect((await call('GET', '/v1/incidents?status=open', keys.read)).json.error).toContain('query.status')
  })

  it('audits the change with the key, the route and the request id, beside the incident entry', async () => {
    const trail = (await call('GET', '/v1/audit?actor=ops', keys.admin)).json.entries as Array<{ component: string; action: string; requestId: string; status: number; target: string }>
    expect(trail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ component: 'http', action: 'PATCH /v1/incidents/{id}', requestId: 'req-incident-1', status: 200, target: `/v1/incidents/${id}` }),
        expect.objectContaining({ component: 'incidents', action: 'update', requestId: 'req-incident-1', target: id }),
        expect.objectContaining({ component: 'http', action: 'PATCH /v1/incidents/{id}', status: 409 }),
      ]),
    )
    // Reads are not uses to audit, nor are requests whose key lacked the scope.
    expect(trail.some((e) => e.action.startsWith('GET '))).toBe(false)
    expect((await call('GET', '/v1/audit?actor=reader', keys.admin)).json.entries).toEqual([])
  })

  it('audits silences (create, expire) and acknowledgements through the shell hook', async () => {
    const silence = { matchers: [{ name: 'model', value: 'booking-spam', isRegex: false, isEqual: true }], startsAt: new Date(Date.now() - 1000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(), createdBy: 'me', comment: 'deploy' }
    const created = await call('POST', '/v1/silences', keys.admin, silence, { 'x-request-id': 'req-silence' })
    expect(created.status).toBe(200)
    await call('DELETE', `/v1/silences/${created.json.silenceID}`, keys.admin)
    expect((await call('POST', `/v1/alerts/${latency.fingerprint}/ack`, keys.admin, {})).status).toBe(200)
    const trail = (await call('GET', '/v1/audit?actor=root', keys.admin)).json.entries as Array<{ action: string; target: string; requestId: string }>
    expect(trail.map((e) => e.action).sort()).toEqual(['DELETE /v1/silences/{id}', 'POST /v1/alerts/{fingerprint}/ack', 'POST /v1/silences'])
    expect(trail.find((e) => e.action === 'POST /v1/silences')!.requestId).toBe('req-silence')
    expect(trail.find((e) => e.action === 'DELETE /v1/silences/{id}')!.target).toBe(`/v1/silences/${created.json.silenceID}`)
  })

  it('resolves the incident when all its alerts have resolved, and counts open incidents by severity', async () => {
    await call('POST', '/v1/alertmanager', keys.operate, webhook('resolved', latency))
    expect((await incidentsOf('booking-spam'))[0]!.status).toBe('investigating')
    await call('POST', '/v1/alertmanager', keys.operate, webhook('resolved', drift))
    await call('POST', '/v1/alertmanager', keys.operate, webhook('resolved', drift))
    const [incident] = await incidentsOf('booking-spam')
    expect(incident).toMatchObject({ status: 'resolved' })
    const kinds = (await timelineOf(id)).filter((t) => t.source === 'incident').map((t) => t.kind)
    expect(kinds.filter((k) => k === 'alert_resolved')).toHaveLength(2)
    expect(kinds).toContain('resolved')
    const metrics = await (await fetch(`${svc.url}/metrics`, { headers: { authorization: `Bearer ${keys.admin}` } })).text()
    expect(metrics).toMatch(/highway_incidents_open\{severity="page"\} 0/)
  })

  it('does not reopen a resolved incident when a firing delivery of its alert is retried', async () => {
    await call('POST', '/v1/alertmanager', keys.operate, webhook('firing', latency))
    expect(await incidentsOf('booking-spam')).toHaveLength(1)
  })

  it('documents its routes in /openapi.json with their scopes', async () => {
    const doc = (await (await fetch(`${svc.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { 'x-highway-scope': string }>> }
    expect(doc.paths['/v1/incidents']?.get?.['x-highway-scope']).toBe('read')
    expect(doc.paths['/v1/incidents/{id}']?.get?.['x-highway-scope']).toBe('read')
    expect(doc.paths['/v1/incidents/{id}']?.patch?.['x-highway-scope']).toBe('operate')
  })

  it('prints the list, one incident and its postmortem skeleton through highway incident', async () => {
    const run = async (...argv: string[]) => {
      const inv = parseInvocation(['incident', ...argv, '--url', svc.url, '--api-key', keys.read], 'test')
      if (inv.kind !== 'run') throw new Error(`not a command: ${inv.stderr ?? ''}`)
      let out = ''
      let err = ''
      const code = await dispatch(inv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env: {}, version: 'test' })
      return { code, out, err }
    }
    const list = await run('list', '--status', 'resolved')
    expect(list).toMatchObject({ code: 0 })
    expect(list.out).toContain(id)
    const json = JSON.parse((await run('list', '--json')).out)
    expect(json.incidents[0].id).toBe(id)
    const md = await run('show', id, '--markdown')
    expect(md.code).toBe(0)
    for (const section of ['## Summary', '## Impact', '## Detection', '## Root causes', '## Trigger', '## Resolution', '## Timeline', '## Action items']) expect(md.out).toContain(section)
    expect(md.out).toContain('BookingLatency')
    expect((await run('show')).code).toBe(2)
    expect(await run('show', 'inc-00000000000000000000')).toMatchObject({ code: 1, err: expect.stringContaining('404') })
  })
})
