import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import { createRegistry } from '../registry/index.ts'
import { hashSecret } from '../server/index.ts'
import { regressionOnnx, regressionSignature } from '../test/regression/release-crash-fixture.ts'
import { startTestService } from '../test/support/service.ts'
import { freePort } from '../test/support/free-port.ts'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { waitFor } from '../test/support/wait-for.ts'

// The loop of issue 12 with Debian's tools on loopback: Prometheus 2.42 scrapes Highway and evaluates the rules
// `highway rules` writes, on the configs shipped in prometheus/ and alertmanager/ (only host:port targets, file
// paths and timers rewritten); a burn in ingest fires the SLO's page alert, which travels Prometheus →
// Alertmanager 0.25 → POST /v1/alertmanager and is stored in Highway, opens an incident (issue 12) and starts the
// rollback runbook, which moves the model's champion back (issue 13). Missing tools skip locally, fail under CI=true.
const TOOLS = { prometheus: '/usr/bin/prometheus', promtool: '/usr/bin/promtool', alertmanager: '/usr/bin/prometheus-alertmanager', amtool: '/usr/bin/amtool' }
const missing = Object.values(TOOLS).filter((t) => !existsSync(t))
if (missing.length > 0 && process.env.CI === 'true') throw new Error(`${missing.join(', ')} required under CI=true (Debian packages prometheus and prometheus-alertmanager)`)

const ROOT = new URL('..', import.meta.url).pathname
const BIN = join(ROOT, 'bin/highway.mjs')
const run = promisify(execFile)

// An SLO over Highway's own ingest: a prediction request answered 4xx or 5xx spends the budget. Its `model` label
// reaches the generated alert, so the alert names the model its incident and its runbook act on.
const MODEL = 'loop-model'
const INGEST_SLO = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ingest-availability
  labels:
    model: [${MODEL}]
spec:
  service: highway
  indicator:
    metadata:
      name: ingest-accepted
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: prometheus
            spec:
              query: sum(rate(highway_http_request_duration_seconds_count{job="highway",route="/v1/predictions",status=~"4..|5.."}[{{.window}}]))
        total:
          metricSource:
            type: prometheus
            spec:
              query: sum(rate(highway_http_request_duration_seconds_count{job="highway",route="/v1/predictions"}[{{.window}}]))
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
`

// The rollback runbook of examples/runbooks/rollback-on-burn.yaml, on the alert `highway rules` generates (Sloth's
// name and severity label); no verify step, so the run ends once the champion is back and releases are frozen.
const ROLLBACK_RUNBOOK = `apiVersion: highway.dev/v1
kind: Runbook
metadata:
  name: rollback-on-burn
spec:
  trigger:
    alert:
      name: SLOErrorBudgetBurnRate
      matchers: { sloth_severity: page }
      status: firing
  cooldown: 1h
  concurrency: model
  steps:
    - action: rollback
      timeout: 2m
      onFailure: stop
    - action: freeze
      reason: rolled back after a page-level burn
`

const KEY = 'prometheus-loop-key-0123456789'
const ADMIN_KEY = 'prometheus-loop-admin-0123456789'
type Service = Awaited<ReturnType<typeof startTestService>>
// A config document being rewritten in a test.
type Yaml = Record<string, any>
const tmp = makeTempDir('prometheus-loop')
const dirs = { slos: join(tmp.dir, 'slos'), rules: join(tmp.dir, 'rules'), runbooks: join(tmp.dir, 'runbooks'), artifacts: join(tmp.dir, 'artifacts') }
const keyFile = join(tmp.dir, 'highway-key')
let svc: Service
const children: ChildProcess[] = []
let promUrl = ''
let amUrl = ''
// The fingerprint of the page alert the burn fired, for the runbook test that follows it.
let firedFingerprint = ''

const getJson = async <T,>(path: string, key = KEY): Promise<T> => {
  const res = await fetch(`${svc.url}${path}`, { headers: { authorization: `Bearer ${key}` } })
  expect(res.status, `GET ${path}`).toBe(200)
  return (await res.json()) as T
}

const stopChild = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
}

describe.skipIf(missing.length > 0)('Prometheus → Alertmanager → Highway, with Debian’s tools on loopback', () => {
  beforeAll(async () => {
    mkdirSync(dirs.slos, { recursive: true })
    writeFileSync(join(dirs.slos, 'ingest.yaml'), INGEST_SLO)
    mkdirSync(dirs.runbooks, { recursive: true })
    writeFileSync(join(dirs.runbooks, 'rollback-on-burn.yaml'), ROLLBACK_RUNBOOK)
    writeFileSync(keyFile, KEY)
    svc = await startTestService(
      {
        models: [{ name: MODEL, task: 'regression', features: { x: { type: 'number' } } }],
        slos: dirs.slos,
        runbooks: dirs.runbooks,
        registry: { artifactsDir: dirs.artifacts },
        auth: {
          keys: [
            { id: 'monitoring', sha256: hashSecret(KEY), scopes: ['operate', 'ingest'] },
            { id: 'auditor', sha256: hashSecret(ADMIN_KEY), scopes: ['admin'] },
          ],
        },
      },
      { components: ['collector', 'slo', 'serving', 'alerts'] },
    )
    // Two versions of the model, released in turn, so v2 is champion and v1 the previous good version to roll back to.
    const registry = createRegistry({ store: svc.store, artifactsDir: dirs.artifacts })
    for (const d of ['v1', 'v2']) await registry.registerVersion(MODEL, regressionOnnx(), { signature: regressionSignature, description: d })
    for (const version of [1, 2]) {
      const res = await fetch(`${svc.url}/v1/models/${MODEL}/releases`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ version, strategy: 'bluegreen' }) })
      expect(res.status, await res.text()).toBe(201)
    }
    expect((await getJson<{ aliases: Record<string, number> }>(`/v1/models/${MODEL}/aliases`)).aliases.champion).toBe(2)
    const written = JSON.parse((await run(process.execPath, [BIN, 'rules', '--out', dirs.rules, '--slos', dirs.slos, '--json'])).stdout) as { files: string[] }
    expect(written.files.length).toBe(1)
    const [promPort, amPort] = [await freePort(), await freePort()]
    promUrl = `http://127.0.0.1:${promPort}`
    amUrl = `http://127.0.0.1:${amPort}`
    const highway = new URL(svc.url).host

    // Alertmanager as shipped: Highway's receiver at the test's Highway, timers short enough for a test.
    const am = parseYaml(readFileSync(join(ROOT, 'alertmanager/alertmanager.yml'), 'utf8')) as Yaml
    Object.assign(am.route, { group_wait: '0s', group_interval: '1s' })
    for (const r of am.receivers as Yaml[]) {
      for (const w of r.webhook_configs as Yaml[]) {
        w.url = r.name === 'highway' ? `${svc.url}/v1/alertmanager` : `http://127.0.0.1:${await freePort()}/page`
        if (w.http_config?.authorization) w.http_config.authorization.credentials_file = keyFile
      }
    }
    writeFileSync(join(tmp.dir, 'alertmanager.yml'), stringifyYaml(am))
    // Prometheus as shipped: the targets on loopback, the rule files `highway rules` wrote, 1 s scrapes and evaluations.
    const prom = parseYaml(readFileSync(join(ROOT, 'prometheus/prometheus.yml'), 'utf8')) as Yaml
    Object.assign(prom.global, { scrape_interval: '1s', evaluation_interval: '1s' })
    prom.rule_files = [join(dirs.rules, '*.yml')]
    prom.alerting.alertmanagers[0].static_configs[0].targets = [`127.0.0.1:${amPort}`]
    const job = (prom.scrape_configs as Yaml[]).find((j) => j.job_name === 'highway')!
    job.static_configs[0].targets = [highway]
    job.authorization.credentials_file = keyFile
    writeFileSync(join(tmp.dir, 'prometheus.yml'), stringifyYaml(prom))

    children.push(spawn(TOOLS.alertmanager, [`--config.file=${join(tmp.dir, 'alertmanager.yml')}`, `--storage.path=${join(tmp.dir, 'am-data')}`, `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address='], { stdio: 'ignore' }))
    children.push(spawn(TOOLS.prometheus, [`--config.file=${join(tmp.dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(tmp.dir, 'prom-data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' }))
    await waitFor('Alertmanager ready', async () => (await fetch(`${amUrl}/-/ready`).catch(() => null))?.ok, { timeoutMs: 30_000, intervalMs: 100 })
    await waitFor('Prometheus ready', async () => (await fetch(`${promUrl}/-/ready`).catch(() => null))?.ok, { timeoutMs: 30_000, intervalMs: 100 })
  }, 120_000)
  afterAll(async () => {
    for (const child of children) await stopChild(child)
    await svc?.stop()
    tmp.cleanup()
  })

  it('promtool and amtool accept the shipped configs (the key file path is the only change)', () => {
    const prom = readFileSync(join(ROOT, 'prometheus/prometheus.yml'), 'utf8').replaceAll('/etc/prometheus/highway-key', keyFile)
    writeFileSync(join(tmp.dir, 'shipped-prometheus.yml'), prom)
    const p = spawnSync(TOOLS.promtool, ['check', 'config', join(tmp.dir, 'shipped-prometheus.yml')], { encoding: 'utf8' })
    expect(p.stdout + p.stderr).toContain('SUCCESS')
    expect(p.status).toBe(0)
    const a = spawnSync(TOOLS.amtool, ['check-config', join(ROOT, 'alertmanager/alertmanager.yml')], { encoding: 'utf8' })
    expect(a.stdout + a.stderr).toContain('SUCCESS')
    expect(a.status).toBe(0)
  })

  it('loads the rules `highway rules` wrote and scrapes Highway', async () => {
    const groups = await waitFor('the rules loaded', async () => {
      const body = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as { data: { groups: Array<{ rules: Array<{ name: string; type: string }> }> } }
      return body.data.groups.length > 0 ? body.data.groups : null
    }, { timeoutMs: 30_000, intervalMs: 100 })
    expect(groups.flatMap((g) => g.rules).filter((r) => r.type === 'alerting').map((r) => r.name)).toContain('SLOErrorBudgetBurnRate')
    await waitFor('Highway scraped and up', async () => {
      const body = (await (await fetch(`${promUrl}/api/v1/targets`)).json()) as { data: { activeTargets: Array<{ labels: { job: string }; health: string }> } }
      return body.data.activeTargets.some((t) => t.labels.job === 'highway' && t.health === 'up')
    }, { timeoutMs: 30_000, intervalMs: 100 })
  })

  it('a burn in ingest fires the SLO’s page alert, which reaches Highway through Alertmanager and is stored as from Alertmanager', async () => {
    const badPrediction = () =>
      fetch(`${svc.url}/v1/predictions`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: MODEL, not: 'a prediction' }) })
    // Every poll sends one more refused prediction, so the error counter keeps rising between scrapes.
    const alert = await waitFor(
      'the page alert stored in Highway',
      async () => {
        expect((await badPrediction()).status).toBe(400)
        const body = (await (await fetch(`${svc.url}/v1/alerts?state=firing`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as {
          alerts: Array<{ fingerprint: string; source: string; labels: Record<string, string> }>
        }
        return body.alerts.find((a) => a.labels.alertname === 'SLOErrorBudgetBurnRate' && a.labels.sloth_severity === 'page')
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    )
    expect(alert).toMatchObject({ source: 'alertmanager', labels: { sloth_slo: 'ingest-availability-0', sloth_service: 'highway', model: MODEL } })
    // Prometheus fired it, and Alertmanager holds it with the fingerprint Highway stored it under.
    const inAm = (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as Array<{ fingerprint: string; labels: Record<string, string> }>
    expect(inAm.find((a) => a.fingerprint === alert.fingerprint)?.labels).toMatchObject({ alertname: 'SLOErrorBudgetBurnRate', sloth_severity: 'page' })
    firedFingerprint = alert.fingerprint

    // Issue 12: the alert opened an incident for the model, with the alert in it and its firing on the timeline.
    const incident = await waitFor(
      'the incident the page alert opened',
      async () => (await getJson<{ incidents: Array<{ id: string; status: string; severity: string; models: string[]; alerts: Array<{ fingerprint: string; alertname: string; firing: boolean }> }> }>(`/v1/incidents?model=${MODEL}`)).incidents.find((i) => i.alerts.some((a) => a.fingerprint === alert.fingerprint)),
      { timeoutMs: 30_000, intervalMs: 100 },
    )
    expect(incident).toMatchObject({ status: 'triage', severity: 'page', models: [MODEL] })
    expect(incident.alerts.find((a) => a.fingerprint === alert.fingerprint)).toMatchObject({ alertname: 'SLOErrorBudgetBurnRate', firing: true })
    const detail = await getJson<{ timeline: Array<{ kind: string; detail: Record<string, unknown> }> }>(`/v1/incidents/${incident.id}`)
    expect(detail.timeline.map((e) => e.kind)).toContain('alert_firing')
  }, 120_000)

  it('the page alert Prometheus evaluated starts the rollback runbook, which moves the champion back to v1, audited', async () => {
    expect(firedFingerprint, 'the burn test fired the page alert').not.toBe('')
    type Run = { id: string; runbook: string; model: string; status: string; trigger: { kind: string; fingerprint?: string } }
    // The run starts from the same delivery; it may still be running when the alert is first seen. The list may show
    // it finished a moment before the run itself does, so the run is polled until it says so.
    const listed = await waitFor(
      'the rollback run started',
      async () => (await getJson<{ runs: Run[] }>(`/v1/runbooks/runs?model=${MODEL}`)).runs.find((r) => r.runbook === 'rollback-on-burn' && r.status !== 'refused'),
      { timeoutMs: 30_000, intervalMs: 100 },
    )
    type FullRun = Run & { steps: Array<{ action: string; status: string; output?: Record<string, unknown> }> }
    const full = await waitFor(
      'the rollback run finished',
      async () => {
        const r = await getJson<FullRun>(`/v1/runbooks/runs/${listed.id}`)
        return ['succeeded', 'failed', 'cancelled'].includes(r.status) ? r : null
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    )
    expect(full).toMatchObject({ status: 'succeeded', model: MODEL, trigger: { kind: 'alert', fingerprint: firedFingerprint }, steps: [{ action: 'rollback', status: 'succeeded', output: { from: 2, to: 1 } }, { action: 'freeze', status: 'succeeded' }] })
    expect((await getJson<{ aliases: Record<string, number> }>(`/v1/models/${MODEL}/aliases`)).aliases.champion).toBe(1)
    const audit = await getJson<{ entries: Array<{ component: string; action: string; model: string; target: string; outcome: string; before?: Record<string, unknown>; after?: Record<string, unknown> }> }>(`/v1/audit?model=${MODEL}&action=rollback`, ADMIN_KEY)
    expect(audit.entries).toContainEqual(expect.objectContaining({ component: 'releases', action: 'rollback', model: MODEL, target: '1', outcome: 'done', before: { champion: 2 }, after: expect.objectContaining({ champion: 1 }) }))
    expect(svc.logs.filter((l) => l.level === 'error')).toEqual([])
  }, 60_000)
})
