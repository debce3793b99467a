// `npm run bench -- alerts [--quick] [--ticks N] [--payloads N]`: the alerts component's two loads of issue 12.
//  1. One evaluation tick of 1,000 model-health rules over 100 models (10 rules each, reading the analyzer's saved
//     results from embedded chDB, recording transitions and states), against the evaluator's pure state step on the
//     same observations (stepAlert and silence matching alone, no I/O) measured in the same run.
//  2. Alertmanager webhook payloads through HTTP into POST /v1/alertmanager (3 alerts each, each stored), against
//     the intake of an empty payload (the same route, auth, validation and shell, nothing stored).
import { request, Agent } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Registry } from 'prom-client'
import { createAlerting, createClickHouseAlertStore, createInProcessClaims, createTermLease, modelRuleObservations, silencedBy, stepAlert, type AlertInstance, type RuleObservation } from '../alerts/index.ts'
import { startService } from '../cli/service.ts'
import { alertingSchema, parseConfig, type ModelRule } from '../config/index.ts'
import { latestAnalysisResult, openStore, saveAnalysisResult } from '../store/index.ts'
import { percentile } from './http-load.ts'
import { round, type Bench, type BenchTarget } from './report.ts'

const MODELS = 100
const RULES_PER_MODEL = 10
const TICK_MS = 30_000
const TARGET_PAYLOADS_PER_MINUTE = 10_000
// Alertmanager delivers each group on its own, so many groups at once are many concurrent payloads: the intake's
// batching shows there, next to the 4-connection figure kept from the first run.
const WIDE_CONNECTIONS = 32

function option(args: readonly string[], name: string): number | undefined {
  const i = args.indexOf(name)
  return i >= 0 ? Number(args[i + 1]) : undefined
}

/** Ten rules of one model: every condition kind the evaluator reads. */
function rulesOf(model: string): unknown[] {
  const r = (name: string, condition: unknown, severity = 'ticket') => ({ name, model, severity, condition })
  return [
    r('DatasetDrift', { kind: 'dataset_drift' }, 'page'),
    r('FeatureDrift', { kind: 'feature_drift', features: ['f0', 'f1', 'f2'] }),
    r('Missing', { kind: 'quality', check: 'missing', above: 0.05 }),
    r('OutOfRange', { kind: 'quality', check: 'out_of_range', above: 0.01 }),
    r('Unseen', { kind: 'quality', check: 'unseen_category', above: 0.01 }),
    r('Quarantine', { kind: 'quality', check: 'quarantine', above: 0.02 }, 'page'),
    r('RealisedAccuracy', { kind: 'performance', metric: 'accuracy', source: 'realised', below: 0.8 }),
    r('EstimatedAccuracy', { kind: 'performance', metric: 'accuracy', source: 'estimated', below: 0.8 }),
    r('LabelCoverage', { kind: 'label_coverage', below: 0.1 }, 'info'),
    r('TypeErrors', { kind: 'quality', check: 'type_error', above: 0.01 }),
  ]
}

/** Saved analyzer results of model `i`: about a third of the models breach, so ticks carry firing alerts. */
function resultsOf(i: number): Record<'drift' | 'quality' | 'performance', unknown> {
  const bad = i % 3 === 0
  const features = ['f0', 'f1', 'f2', 'f3', 'f4'].map((feature, k) => ({ feature, drifted: bad && k < 2, statistic: bad ? 0.3 : 0.01 }))
  return {
    drift: { dataset: { drift_share: bad ? 0.6 : 0.1, drifted: bad }, features },
    quality: { rows: 10_000, quarantined: bad ? 500 : 10, label_coverage: 0.5, features: features.map((f) => ({ feature: f.feature, missing_share: bad ? 0.1 : 0, out_of_range_share: 0, type_error_share: 0, unseen_category_share: bad ? 0.02 : 0 })) },
    performance: { label_coverage: bad ? 0.05 : 0.5, realised: { accuracy: bad ? 0.7 : 0.9 }, estimated: { accuracy: { value: bad ? 0.75 : 0.9 } } },
  }
}

async function evaluationBench(quick: boolean, ticks: number, log: (line: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'highway-bench-alerts-'))
  const store = await openStore({ mode: 'embedded', dataDir: dir, database: 'highway', retentionDays: 30 })
  try {
    const models = Array.from({ length: MODELS }, (_, i) => `model-${String(i).padStart(3, '0')}`)
    const startMs = Date.UTC(2026, 11, 1)
    for (const [i, model] of models.entries()) {
      for (const [job, result] of Object.entries(resultsOf(i))) await saveAnalysisResult(store, { job, model, version: '', fromMs: startMs - 3_600_000, toMs: startMs - 1, computedAtMs: startMs - 1, result })
    }
    const config = alertingSchema.parse({ rules: models.flatMap(rulesOf) })
    log(`${config.rules.length} rules over ${models.length} models; ${ticks} ticks`)
    let queries = 0
    const alerting = createAlerting({
      config,
      store: createClickHouseAlertStore(store),
      lease: createTermLease({ leaseSeconds: 3600, claim: createInProcessClaims() }),
      holder: 'bench',
      analysis: {
        latest: async (job, model) => {
          queries++
          return (await latestAnalysisResult(store, { job, model, version: '' })) ?? null
        },
      },
      registry: new Registry(),
      now: () => startMs,
      isTransient: () => false,
      onError: (what, e) => log(`${what}: ${String(e)}`),
      baseUrl: () => 'http://127.0.0.1:8080',
    })
    const tickMs: number[] = []
    let firstTransitions = 0
    let alerts = 0
    for (let t = 0; t < ticks; t++) {
      const q0 = queries
      const t0 = performance.now()
      const r = await alerting.tick(startMs + t * TICK_MS)
      tickMs.push(performance.now() - t0)
      if (!r.leader || !r.ok) throw new Error(`tick ${t} failed: ${r.leader ? String((r as { error: unknown }).error) : 'not leader'}`)
      if (t === 0) firstTransitions = r.transitions.length
      alerts = r.alerts.length
      if (t === 0) log(`first tick: ${round(tickMs[0]!)} ms, ${r.transitions.length} transitions, ${queries - q0} analysis reads`)
    }
    // Baseline: the evaluator's pure step on the same observations, every tick, no I/O.
    const observations: RuleObservation[] = config.rules.flatMap((rule: ModelRule, k) => modelRuleObservations(rule, { computedAtMs: startMs - 1, toMs: startMs - 1, result: resultsOf(Math.floor(k / RULES_PER_MODEL))[rule.condition.kind.includes('drift') ? 'drift' : rule.condition.kind === 'quality' ? 'quality' : 'performance'] }))
    const stepMs: number[] = []
    let instances = new Map<string, AlertInstance>()
    for (let t = 0; t < Math.max(ticks, quick ? 10 : 100); t++) {
      const t0 = performance.now()
      const next = new Map<string, AlertInstance>()
      for (const { observation, hold } of observations) {
        const s = stepAlert(instances.get(observation.fingerprint), observation, hold, startMs + t * TICK_MS)
        if (s.next) {
          next.set(observation.fingerprint, s.next)
          silencedBy([], s.next.labels, startMs)
        }
      }
      instances = next
      stepMs.push(performance.now() - t0)
    }
    const steady = tickMs.slice(1).sort((a, b) => a - b)
    const steps = stepMs.slice(1).sort((a, b) => a - b)
    return { rules: config.rules.length, observations: observations.length, alerts, firstTransitions, firstTickMs: tickMs[0]!, steadyP50: percentile(steady, 50), steadyMax: steady[steady.length - 1] ?? NaN, stepP50: percentile(steps, 50), readsPerTick: queries / ticks }
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

function post(agent: Agent, url: URL, key: string, body: Buffer): Promise<{ status: number; ms: number }> {
  const t0 = performance.now()
  return new Promise((resolve) => {
    const req = request({ agent, hostname: url.hostname, port: url.port, path: '/v1/alertmanager', method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }))
    })
    req.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }))
    req.end(body)
  })
}

/** `count` distinct payloads of `alertsEach` alerts (distinct fingerprints and starts, so each is stored). */
function payloads(count: number, alertsEach: number, tag: string): Buffer[] {
  return Array.from({ length: count }, (_, i) =>
    Buffer.from(
      JSON.stringify({
        version: '4',
        groupKey: `{}:{alertname="Bench${tag}"}`,
        truncatedAlerts: 0,
        status: 'firing',
        receiver: 'highway',
        groupLabels: {},
        commonLabels: {},
        commonAnnotations: {},
        externalURL: 'http://alertmanager:9093',
        alerts: Array.from({ length: alertsEach }, (_, a) => ({
          status: 'firing',
          labels: { alertname: `Bench${tag}`, model: `model-${(i * alertsEach + a) % MODELS}`, severity: 'ticket', instance: `i${i}-${a}` },
          annotations: { summary: 'bench' },
          startsAt: new Date(Date.UTC(2026, 11, 1) + i * 1000).toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://prometheus:9090/graph',
        })),
      }),
    ),
  )
}

async function closedLoop(agent: Agent, url: URL, key: string, bodies: readonly Buffer[], connections: number) {
  const latencies: number[] = []
  const failures: Record<string, number> = {}
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < bodies.length) {
        const r = await post(agent, url, key, bodies[next++]!)
        latencies.push(r.ms)
        if (r.status !== 200) failures[String(r.status)] = (failures[String(r.status)] ?? 0) + 1
      }
    }),
  )
  const seconds = (performance.now() - t0) / 1000
  latencies.sort((a, b) => a - b)
  return { perMinute: (bodies.length / seconds) * 60, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failures }
}

async function intakeBench(count: number, log: (line: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'highway-bench-intake-'))
  const key = 'bench-intake-key-0123456789'
  const { hashSecret } = await import('../server/index.ts')
  const config = parseConfig({ server: { host: '127.0.0.1', port: 0 }, storage: { dataDir: dir }, auth: { keys: [{ id: 'am', sha256: hashSecret(key), scopes: ['operate'] }] } }, { source: 'bench' })
  const quiet = { info: () => undefined, warn: (m: string) => log(`warn: ${m}`), error: (m: string, f?: Record<string, unknown>) => log(`error: ${m} ${JSON.stringify(f ?? {})}`) }
  const svc = await startService({ config, components: ['alerts'], logger: quiet, version: 'bench' })
  const agent = new Agent({ keepAlive: true, maxSockets: WIDE_CONNECTIONS })
  try {
    const url = new URL(svc.url)
    const connections = 4
    // Warm-up (JIT, first inserts), then the baseline and the measured run on fresh payloads.
    await closedLoop(agent, url, key, payloads(Math.min(100, count), 3, 'Warm'), connections)
    const emptyBody = Buffer.from(JSON.stringify({ version: '4', groupKey: '{}:{}', status: 'firing', receiver: 'highway', alerts: [] }))
    const empty = await closedLoop(agent, url, key, Array.from({ length: count }, () => emptyBody), connections)
    log(`empty payloads: ${round(empty.perMinute)}/min`)
    const full = await closedLoop(agent, url, key, payloads(count, 3, 'Run'), connections)
    log(`3-alert payloads: ${round(full.perMinute)}/min`)
    const wide = await closedLoop(agent, url, key, payloads(count, 3, 'Wide'), WIDE_CONNECTIONS)
    log(`3-alert payloads, ${WIDE_CONNECTIONS} connections: ${round(wide.perMinute)}/min`)
    return { count, connections, empty, full, wide }
  } finally {
    agent.destroy()
    await svc.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The alerts benchmark. */
export const runAlertsBench: Bench = async ({ quick, args, log }) => {
  const ticks = option(args, '--ticks') ?? (quick ? 3 : 10)
  const count = option(args, '--payloads') ?? (quick ? 200 : 1000)
  const e = await evaluationBench(quick, ticks, log)
  const i = await intakeBench(count, log)
  const failures: string[] = []
  if (Object.keys(i.full.failures).length > 0) failures.push(`intake answered other than 200: ${JSON.stringify(i.full.failures)}`)
  if (Object.keys(i.wide.failures).length > 0) failures.push(`intake (${WIDE_CONNECTIONS} connections) answered other than 200: ${JSON.stringify(i.wide.failures)}`)
  if (Object.keys(i.empty.failures).length > 0) failures.push(`empty intake answered other than 200: ${JSON.stringify(i.empty.failures)}`)
  const targets: BenchTarget[] = [
    { name: 'tick of 1,000 rules / 100 models (steady, p50)', target: `< ${TICK_MS / 1000} s (the evaluation interval)`, measured: `${round(e.steadyP50)} ms`, met: e.steadyP50 < TICK_MS },
    { name: 'first tick (restore, every alert firing)', target: `< ${TICK_MS / 1000} s`, measured: `${round(e.firstTickMs)} ms`, met: e.firstTickMs < TICK_MS },
    { name: 'Alertmanager intake, 3 alerts a payload', target: `≥ ${TARGET_PAYLOADS_PER_MINUTE.toLocaleString('en-US')}/min`, measured: `${Math.round(i.full.perMinute).toLocaleString('en-US')}/min`, met: i.full.perMinute >= TARGET_PAYLOADS_PER_MINUTE },
    { name: `Alertmanager intake, 3 alerts a payload, ${WIDE_CONNECTIONS} connections`, target: `≥ ${TARGET_PAYLOADS_PER_MINUTE.toLocaleString('en-US')}/min`, measured: `${Math.round(i.wide.perMinute).toLocaleString('en-US')}/min`, met: i.wide.perMinute >= TARGET_PAYLOADS_PER_MINUTE },
  ]
  return {
    bench: 'alerts',
    sections: [
      {
        title: `Evaluation: ${e.rules} rules over ${MODELS} models (${e.observations} label sets, ${e.alerts} alerts held)`,
        columns: ['measure', 'ms', '× pure step'],
        rows: [
          ['pure state step (baseline, p50)', round(e.stepP50, 2), 1],
          ['tick, steady (p50)', round(e.steadyP50, 1), round(e.steadyP50 / e.stepP50, 0)],
          ['tick, steady (max)', round(e.steadyMax, 1), round(e.steadyMax / e.stepP50, 0)],
          [`first tick (${e.firstTransitions} transitions stored)`, round(e.firstTickMs, 1), round(e.firstTickMs / e.stepP50, 0)],
        ],
        notes: [`analysis reads per tick: ${round(e.readsPerTick, 0)} (one per model and job)`, `${ticks} ticks ${TICK_MS / 1000} s apart on embedded chDB`],
      },
      {
        title: `Intake: ${i.count} payloads, ${i.connections} connections, keep-alive`,
        columns: ['payload', 'per minute', 'p50 ms', 'p99 ms', '× empty time'],
        rows: [
          ['empty (baseline)', round(i.empty.perMinute, 0), round(i.empty.p50, 2), round(i.empty.p99, 2), 1],
          ['3 alerts, stored', round(i.full.perMinute, 0), round(i.full.p50, 2), round(i.full.p99, 2), round(i.empty.perMinute / i.full.perMinute, 1)],
          [`3 alerts, stored, ${WIDE_CONNECTIONS} connections`, round(i.wide.perMinute, 0), round(i.wide.p50, 2), round(i.wide.p99, 2), round(i.empty.perMinute / i.wide.perMinute, 1)],
        ],
      },
    ],
    targets,
    failures,
    summary: { evaluation: { ...e, steadyP50: round(e.steadyP50), firstTickMs: round(e.firstTickMs), stepP50: round(e.stepP50, 3) }, intake: { emptyPerMinute: round(i.empty.perMinute, 0), perMinute: round(i.full.perMinute, 0), p99: round(i.full.p99, 2), widePerMinute: round(i.wide.perMinute, 0), wideP99: round(i.wide.p99, 2) } },
  }
}
