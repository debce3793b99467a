import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRegistry } from '../registry/index.ts'
import { hashSecret } from '../server/index.ts'
import { signBody } from '../alerts/index.ts'
import { startTestService } from '../test/support/service.ts'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { regressionOnnx, regressionSignature } from '../test/regression/release-crash-fixture.ts'

// The runbooks component in the real service: Alertmanager's webhook → the alert listener → the rollback runbook →
// the real release controller moves the champion back; and the API's scopes, model limits, refusals, dry run,
// approval and cancellation over HTTP.

const tmp = makeTempDir('runbooks-svc')
const dir = join(tmp.dir, 'runbooks')
mkdirSync(dir)
writeFileSync(
  join(dir, 'rollback.yaml'),
  `apiVersion: highway.dev/v1
kind: Runbook
metadata: { name: rollback-on-page }
spec:
  trigger: { alert: { name: ModelLatency, matchers: { severity: page } } }
  cooldown: 1h
  steps:
    - action: rollback
    - action: freeze
    - action: notify
      receiver: oncall
      message: "rolled {{model}} back ({{labels.severity}}): run {{run}}"
`,
)
writeFileSync(
  join(dir, 'gated.yaml'),
  `apiVersion: highway.dev/v1
kind: Runbook
metadata: { name: gated-unfreeze }
spec:
  concurrency: runbook
  steps:
    - action: unfreeze
      dangerous: true
`,
)
const keys = { operate: 'op-secret-0123456789', read: 'read-secret-0123456789', limited: 'limited-secret-0123456789' }
let svc: Awaited<ReturnType<typeof startTestService>>
// The on-call receiver: a real HTTP server on loopback that keeps what it was sent and the signature header.
const received: Array<{ body: Record<string, unknown>; signature: string }> = []
const oncall = createServer((req, res) => {
  let text = ''
  req.on('data', (c: Buffer) => (text += c.toString()))
  req.on('end', () => {
    const body = JSON.parse(text) as Record<string, unknown>
    // Alert notifications may reach this receiver too; only the runbook's are kept.
    if (body.kind === 'runbook') received.push({ body, signature: String(req.headers['x-highway-signature'] ?? '') })
    res.writeHead(204).end()
  })
})

beforeAll(async () => {
  await new Promise<void>((r) => oncall.listen(0, '127.0.0.1', r))
  const oncallUrl = `http://127.0.0.1:${(oncall.address() as AddressInfo).port}/hook`
  svc = await startTestService(
    {
      models: [
        { name: 'lat-model', task: 'regression', features: { x: { type: 'number' } } },
        { name: 'other-model', task: 'regression', features: { x: { type: 'number' } } },
      ],
      runbooks: dir,
      registry: { artifactsDir: join(tmp.dir, 'artifacts') },
      alerting: { receivers: [{ name: 'oncall', url: oncallUrl, secret: 'a-secret-of-16-chars-or-more' }] },
      auth: {
        keys: [
          { id: 'ops', sha256: hashSecret(keys.operate), scopes: ['operate'] },
          { id: 'reader', sha256: hashSecret(keys.read), scopes: ['read'] },
          { id: 'limited', sha256: hashSecret(keys.limited), scopes: ['operate'], models: ['other-model'] },
        ],
      },
    },
    { components: ['serving', 'alerts'] },
  )
})
afterAll(async () => {
  await svc.stop()
  oncall.close()
  tmp.cleanup()
})

const call = async (method: string, path: string, key: string, body?: unknown) => {
  const res = await fetch(`${svc.url}${path}`, { method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  const text = await res.text()
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, any>) : null }
}

const webhook = (startsAt: string) => ({
  version: '4',
  groupKey: '{}:{alertname="ModelLatency"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'highway',
  groupLabels: { alertname: 'ModelLatency' },
  commonLabels: { alertname: 'ModelLatency', model: 'lat-model', severity: 'page' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  alerts: [{ status: 'firing', labels: { alertname: 'ModelLatency', model: 'lat-model', severity: 'page' }, annotations: {}, startsAt, endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prometheus:9090/graph', fingerprint: 'aa11bb22cc33dd44' }],
})

describe('runbooks in the service', () => {
  it('rolls the champion back once when Alertmanager delivers the page three times, and refuses the next within the cooldown', async () => {
    const registry = createRegistry({ store: svc.store, artifactsDir: join(tmp.dir, 'artifacts') })
    for (const d of ['v1', 'v2']) await registry.registerVersion('lat-model', regressionOnnx(), { signature: regressionSignature, description: d })
    for (const version of [1, 2]) expect((await call('POST', '/v1/models/lat-model/releases', keys.operate, { version, strategy: 'bluegreen' })).status).toBe(201)
    expect(await registry.resolveAlias('lat-model', 'champion')).toBe(2)

    const answers = await Promise.all([1, 2, 3].map(() => call('POST', '/v1/alertmanager', keys.operate, webhook('2026-12-07T10:00:00.000Z'))))
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
    await svc.runbooks!.idle()
    expect(await registry.resolveAlias('lat-model', 'champion')).toBe(1)
    const runs = await call('GET', '/v1/runbooks/runs?model=lat-model', keys.read)
    expect(runs.json!.runs).toHaveLength(1)
    const run = await call('GET', `/v1/runbooks/runs/${runs.json!.runs[0].id}`, keys.read)
    expect(run.json).toMatchObject({ status: 'succeeded', trigger: { kind: 'alert', fingerprint: 'aa11bb22cc33dd44' }, steps: [{ action: 'rollback', status: 'succeeded', output: { from: 2, to: 1 } }, { action: 'freeze', status: 'succeeded' }, { action: 'notify', status: 'succeeded' }] })
    expect(received).toHaveLength(1)
    expect(received[0]!.body).toMatchObject({ kind: 'runbook', runbook: 'rollback-on-page', model: 'lat-model', message: `rolled lat-model back (page): run ${run.json!.id}` })
    expect(received[0]!.signature).toBe(signBody(JSON.stringify(received[0]!.body), 'a-secret-of-16-chars-or-more'))
    // The manual freeze is honoured by the release controller.
    const release = await call('POST', '/v1/models/lat-model/releases', keys.operate, { version: 2, strategy: 'bluegreen' })
    expect(release.status).toBe(409)
    expect(release.json!.error).toContain('manual freeze')

    await call('POST', '/v1/alertmanager', keys.operate, webhook('2026-12-07T10:20:00.000Z'))
    await svc.runbooks!.idle()
    const after = await call('GET', '/v1/runbooks/runs?model=lat-model&status=refused', keys.read)
    expect(after.json!.runs).toHaveLength(1)
    expect(after.json!.runs[0].reason).toMatch(/^cooldown: /)
    const metrics = await (await fetch(`${svc.url}/metrics`, { headers: { authorization: `Bearer ${keys.read}` } })).text()
    expect(metrics).toContain('highway_runbook_runs_total{runbook="rollback-on-page",outcome="succeeded"} 1')
    expect(metrics).toContain('highway_runbook_runs_total{runbook="rollback-on-page",outcome="refused"} 1')
  })

  it('waits for approval of a dangerous step, then unfreezes; shows a dry run; refuses what it must over HTTP', async () => {
    const dry = await call('POST', '/v1/runbooks/gated-unfreeze/run', keys.operate, { model: 'lat-model', dryRun: true })
    expect(dry.status).toBe(201)
    expect(dry.json).toMatchObject({ status: 'planned', dryRun: true, detail: { plan: [{ action: 'unfreeze', dangerous: true }] } })

    const started = await call('POST', '/v1/runbooks/gated-unfreeze/run', keys.operate, { model: 'lat-model' })
    expect(started.status).toBe(201)
    await svc.runbooks!.idle()
    const id = started.json!.id as string
    expect((await call('GET', `/v1/runbooks/runs/${id}`, keys.read)).json).toMatchObject({ status: 'waiting', steps: [{ status: 'waiting', output: { awaiting: 'approval' } }] })
    expect((await call('POST', `/v1/runbooks/runs/${id}/approve`, keys.read)).status).toBe(403)
    expect((await call('POST', `/v1/runbooks/runs/${id}/approve`, keys.limited)).status).toBe(404)
    const approved = await call('POST', `/v1/runbooks/runs/${id}/approve`, keys.operate)
    expect(approved.status).toBe(200)
    expect(approved.json).toMatchObject({ status: 'succeeded', approved: [0] })
    expect((await call('POST', `/v1/runbooks/runs/${id}/cancel`, keys.operate)).status).toBe(409)
    expect((await call('POST', '/v1/models/lat-model/releases', keys.operate, { version: 2, strategy: 'bluegreen' })).status).toBe(201)

    expect((await call('POST', '/v1/runbooks/no-such/run', keys.operate, { model: 'lat-model' })).status).toBe(404)
    expect((await call('POST', '/v1/runbooks/gated-unfreeze/run', keys.limited, { model: 'lat-model' })).status).toBe(403)
    const bad = await call('POST', '/v1/runbooks/gated-unfreeze/run', keys.operate, { model: 'lat-model', dryRun: 'yes' })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.json)).toContain('dryRun')
    const unknownModel = await call('POST', '/v1/runbooks/gated-unfreeze/run', keys.operate, { model: 'nope' })
    expect(unknownModel.json).toMatchObject({ status: 'refused', reason: 'model "nope" is not configured' })
    expect((await call('GET', '/v1/runbooks/runs/rb-unknown', keys.read)).status).toBe(404)
    const limitedList = await call('GET', '/v1/runbooks/runs', keys.limited)
    expect(limitedList.json!.runs.filter((r: { model: string }) => r.model !== 'other-model')).toEqual([])
    const list = await call('GET', '/v1/runbooks', keys.read)
    expect(list.json!.runbooks.map((r: { name: string }) => r.name).sort()).toEqual(['gated-unfreeze', 'rollback-on-page'])
    expect(svc.logs.filter((l) => l.level === 'error')).toEqual([])
  })
})

describe('a service with a bad runbook file', () => {
  it('refuses to start, naming the file, the key and the value', async () => {
    const bad = join(tmp.dir, 'bad-runbooks')
    mkdirSync(bad)
    writeFileSync(join(bad, 'broken.yaml'), 'apiVersion: highway.dev/v1\nkind: Runbook\nmetadata: { name: broken }\nspec:\n  steps:\n    - action: wait\n      duration: forever\n')
    await expect(startTestService({ runbooks: bad }, { components: ['collector'] })).rejects.toThrow(`invalid runbooks in ${bad}:\n  ${join(bad, 'broken.yaml')}: spec.steps[0].duration: must be a duration such as 30s, 15m, 1h, 7d or 2w (value "forever")`)
  })
})
