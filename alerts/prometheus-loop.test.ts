import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import { hashSecret } from '../server/index.ts'
import { startTestService } from '../test/support/service.ts'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { waitFor } from '../test/support/wait-for.ts'

// The loop of issue 12 with Debian's tools on loopback: Prometheus 2.42 scrapes Highway and evaluates the rules
// `highway rules` writes, on the configs shipped in prometheus/ and alertmanager/ (only host:port targets, file
// paths and timers rewritten); a burn in ingest fires the SLO's page alert, which travels Prometheus →
// Alertmanager 0.25 → POST /v1/alertmanager and is stored in Highway. Missing tools skip locally, fail under CI=true.
const TOOLS = { prometheus: '/usr/bin/prometheus', promtool: '/usr/bin/promtool', alertmanager: '/usr/bin/prometheus-alertmanager', amtool: '/usr/bin/amtool' }
const missing = Object.values(TOOLS).filter((t) => !existsSync(t))
if (missing.length > 0 && process.env.CI === 'true') throw new Error(`${missing.join(', ')} required under CI=true (Debian packages prometheus and prometheus-alertmanager)`)

const ROOT = new URL('..', import.meta.url).pathname
const BIN = join(ROOT, 'bin/highway.mjs')
const run = promisify(execFile)

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

// An SLO over Highway's own ingest: a prediction request answered 4xx or 5xx spends the budget.
const INGEST_SLO = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ingest-availability
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

const KEY = 'prometheus-loop-key-0123456789'
type Service = Awaited<ReturnType<typeof startTestService>>
// A config document being rewritten in a test.
type Yaml = Record<string, any>
const tmp = makeTempDir('prometheus-loop')
const dirs = { slos: join(tmp.dir, 'slos'), rules: join(tmp.dir, 'rules') }
const keyFile = join(tmp.dir, 'highway-key')
let svc: Service
const children: ChildProcess[] = []
let promUrl = ''
let amUrl = ''

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
    writeFileSync(keyFile, KEY)
    svc = await startTestService({ slos: dirs.slos, auth: { keys: [{ id: 'monitoring', sha256: hashSecret(KEY), scopes: ['operate', 'ingest'] }] } }, { components: ['collector', 'slo', 'alerts'] })
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
      fetch(`${svc.url}/v1/predictions`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'booking-spam', not: 'a prediction' }) })
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
    expect(alert).toMatchObject({ source: 'alertmanager', labels: { sloth_slo: 'ingest-availability-0', sloth_service: 'highway' } })
    // Prometheus fired it, and Alertmanager holds it with the fingerprint Highway stored it under.
    const inAm = (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as Array<{ fingerprint: string; labels: Record<string, string> }>
    expect(inAm.find((a) => a.fingerprint === alert.fingerprint)?.labels).toMatchObject({ alertname: 'SLOErrorBudgetBurnRate', sloth_severity: 'page' })
    // Incidents (helper incidents, after merge): assert here that this alert opened an incident, e.g.
    // GET /v1/incidents shows one whose alerts include `alert.fingerprint`.
  }, 120_000)
})
