import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSecret } from '../server/index.ts'
import { latestAnalysisResult, saveAnalysisResult } from '../store/index.ts'
import { startTestService } from '../test/support/service.ts'
import { freePort } from '../test/support/free-port.ts'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { waitFor } from '../test/support/wait-for.ts'
import { alertingSchema } from '../config/index.ts'
import { createAlerting, type Alerting } from './component.ts'
import { createClickHouseAlertStore } from './clickhouse-store.ts'
import { fingerprintOf } from './fingerprint.ts'
import { createInProcessClaims, createTermLease } from './lease.ts'

// Debian's Alertmanager 0.25 and amtool on loopback (CI installs prometheus-alertmanager). Missing binaries skip
// the suite locally and fail it under CI=true.
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager'
const AMTOOL = '/usr/bin/amtool'
const present = existsSync(ALERTMANAGER) && existsSync(AMTOOL)
if (!present && process.env.CI === 'true') throw new Error(`${ALERTMANAGER} and ${AMTOOL} are required under CI=true (Debian package prometheus-alertmanager)`)

const KEY = 'alertmanager-key-0123456789'
type Service = Awaited<ReturnType<typeof startTestService>>
let svc: Service
let am: ChildProcess | undefined
let amUrl = ''
let alerting: Alerting
const tmp = makeTempDir('alertmanager')

describe.skipIf(!present)('with Debian’s Alertmanager on loopback', () => {
  beforeAll(async () => {
    svc = await startTestService({ auth: { keys: [{ id: 'alertmanager', sha256: hashSecret(KEY), scopes: ['operate'] }] } }, { components: ['alerts'] })
    const port = await freePort()
    amUrl = `http://127.0.0.1:${port}`
    writeFileSync(join(tmp.dir, 'key'), KEY)
    // Short group_wait so the webhook leaves as soon as the alert arrives; the rest of the route as shipped.
    writeFileSync(
      join(tmp.dir, 'alertmanager.yml'),
      `route:\n  receiver: highway\n  group_by: [alertname, model]\n  group_wait: 0s\n  group_interval: 1s\n  repeat_interval: 4h\nreceivers:\n  - name: highway\n    webhook_configs:\n      - url: ${svc.url}/v1/alertmanager\n        send_resolved: true\n        http_config:\n          authorization:\n            type: Bearer\n            credentials_file: ${join(tmp.dir, 'key')}\n`,
    )
    am = spawn(ALERTMANAGER, [`--config.file=${join(tmp.dir, 'alertmanager.yml')}`, `--storage.path=${join(tmp.dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], { stdio: 'ignore' })
    await waitFor('Alertmanager ready', async () => (await fetch(`${amUrl}/-/ready`).catch(() => null))?.ok)
    const config = alertingSchema.parse({
      externalUrl: 'http://highway.example:8080',
      alertmanager: { url: amUrl },
      rules: [{ name: 'BookingDrift', model: 'booking-spam', severity: 'page', condition: { kind: 'dataset_drift' }, annotations: { summary: 'inputs drifted' } }],
    })
    const store = svc.store
    alerting = createAlerting({
      config,
      store: createClickHouseAlertStore(store),
      lease: createTermLease({ leaseSeconds: 30, claim: createInProcessClaims() }),
      holder: 'test',
      analysis: { latest: async (job, model) => (await latestAnalysisResult(store, { job, model, version: '' })) ?? null },
      registry: new Registry(),
      now: Date.now,
      isTransient: () => false,
      onError: (what, e) => {
        throw new Error(`${what}: ${String(e)}`)
      },
      baseUrl: () => svc.url,
    })
  }, 60_000)
  afterAll(async () => {
    am?.kill('SIGTERM')
    if (am && am.exitCode === null) await new Promise((r) => am!.once('exit', r))
    await svc?.stop()
    tmp.cleanup()
  })

  it('pushes Highway’s own firing alert to Alertmanager, which shows it with the same fingerprint and sends it back to the intake', async () => {
    const nowMs = Date.now()
    const drift = { dataset: { drift_share: 0.75, drifted: true }, features: [] }
    await saveAnalysisResult(svc.store, { job: 'drift', model: 'booking-spam', version: '', fromMs: nowMs - 3_600_000, toMs: nowMs - 1, computedAtMs: nowMs - 1, result: drift })
    const r = await alerting.tick(nowMs)
    expect(r.leader && r.ok && r.transitions.map((t) => t.to)).toEqual(['pending', 'firing'])
    await alerting.flush()
    const labels = { alertname: 'BookingDrift', severity: 'page', model: 'booking-spam', source: 'highway' }
    const fingerprint = fingerprintOf(labels)
    const inAm = (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as Array<{ fingerprint: string; labels: Record<string, string>; generatorURL: string; status: { state: string } }>
    const mine = inAm.find((a) => a.labels.alertname === 'BookingDrift')
    expect(mine).toMatchObject({ fingerprint, labels, generatorURL: `http://highway.example:8080/v1/alerts/${fingerprint}`, status: { state: 'active' } })
    // Alertmanager's webhook, stored by Highway's intake as an alert from Alertmanager with the same fingerprint.
    const events = await waitFor('the webhook stored', async () => {
      const res = await fetch(`${svc.url}/v1/alerts/${fingerprint}`, { headers: { authorization: `Bearer ${KEY}` } })
      const body = (await res.json()) as { history?: Array<{ kind: string; to: string }> }
      return body.history?.some((e) => e.kind === 'intake') ? body.history : null
    })
    expect(events.map((e) => `${e.kind}:${e.to}`)).toEqual(expect.arrayContaining(['transition:pending', 'transition:firing', 'intake:firing']))
  })
})
