import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { parseConfig, type Config, type HighwayEnv, type ModelSpec } from '../config/index.ts'
import { createSimulatedClock, type Clock } from '../clock/index.ts'
import { createRegistry, type Registry } from '../registry/index.ts'
import { createInThreadEngine, type InferenceEngine } from '../serving/index.ts'
import { tableName, type Store } from '../store/index.ts'
import type { Logger } from '../server/index.ts'
import { parseBikeHours, timeShiftMs, writeTrainingCsv, type BikeHour } from './data.ts'
import { createFaultInjector } from './fault.ts'
import { renderDemoReport } from './report.ts'
import { createTimeline, type DemoEvent, type Timeline } from './timeline.ts'

/** The running service as the demo drives it (cli/service.ts `RunningService`, structurally). */
export interface DemoService {
  readonly url: string
  readonly store: Store
  settle(): Promise<void>
  close(): Promise<void>
}

/** Starts the service the demo drives: the composition root's `startService`, passed in by the CLI. */
export type StartDemoService = (o: { config: Config; clock: Clock; engine: InferenceEngine; intervals: DemoIntervals }) => Promise<DemoService>

/** Background work's intervals in simulated ms (cli/service.ts `ServiceIntervals`): coarse, as at one prediction an hour finer ones see nothing new. */
export interface DemoIntervals {
  readonly sloRefreshMs: number
  readonly savedResultsMs: number
  readonly runbookTickMs: number
  readonly incidentTickMs: number
}

/** The demo's intervals: the SLO snapshot and stored results once a simulated day, runbooks and incidents every hour. */
export const DEMO_INTERVALS: DemoIntervals = { sloRefreshMs: 86_400_000, savedResultsMs: 86_400_000, runbookTickMs: 3_600_000, incidentTickMs: 6 * 3_600_000 }

/** Where training rows come from (pipeline/train `DataSource`, structurally). */
export type DemoDataSource = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'clickhouse'; readonly fromMs: number; readonly toMs: number; readonly labelsUntilMs: number }

/** What the demo reads of a training run (pipeline/train `TrainingReport`, structurally). */
export interface DemoTrainingReport {
  readonly version: number
  readonly eligible: boolean
  readonly dataset: { readonly source: string; readonly rows: Readonly<Record<string, number>> }
  readonly metrics: Readonly<Record<string, number | null | undefined>>
  readonly gates: ReadonlyArray<{ readonly gate: string; readonly passed: boolean }>
}

/**
 * The training pipeline as the demo drives it: the CLI (the composition root, which may load the pipeline's training
 * entry) passes the real `trainModel` and the ONNX scorer behind this port.
 */
export interface DemoPipeline {
  /** Trains, gates and registers a version of the model on the source, at the clock's time. */
  train(o: { model: ModelSpec; source: DemoDataSource; store: Store; registry: Registry; now: () => number; retentionDays: number }): Promise<DemoTrainingReport>
  /** Scores feature records with a registered version's ONNX graph (onnxruntime), in order. */
  score(o: { registry: Registry; model: string; version: number; records: ReadonlyArray<Readonly<Record<string, string | number | boolean>>> }): Promise<Float64Array>
}

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** The demo config (default examples/demo/highway.yaml of the package). */
  readonly configFile: string
  /** hour.csv of the bike-sharing data. */
  readonly hoursCsv: string
  /** Data directory; default a fresh one (removed first). A given one must be empty or absent. */
  readonly dataDir: string
  readonly host?: string
  readonly port?: number
  readonly env: HighwayEnv
  readonly start: StartDemoService
  readonly pipeline: DemoPipeline
  /** Progress lines (the timeline) go here; undefined prints nothing. */
  readonly write?: (line: string) => void
  readonly logger: Logger
}

/** What a demo run measured. */
export interface DemoResult {
  readonly ok: boolean
  readonly duration_s: number
  readonly events: readonly DemoEvent[]
  /** Wall seconds of each stage. */
  readonly stages_s: Readonly<Record<string, number>>
  /** Mean absolute error of the served predictions by period. */
  readonly mae: Readonly<Record<string, { n: number; mae: number | null }>>
  readonly url: string
  readonly dataDir: string
  readonly shift_ms: number
  /** The service, still running (the CLI closes it unless it stays up). */
  readonly service: DemoService
  readonly problems: readonly string[]
  /** The HTML report's path. */
  readonly report: string
}

const HOUR = 3_600_000
const DAY = 24 * HOUR
const MODEL = 'bike-demand'
/** The day the replay starts (the training data's holdout month, then the year the model never saw). */
const REPLAY_FROM = Date.UTC(2011, 11, 15)
/** Days after the latency-faulty release's rollback that the replay goes on (for the timeline and MAE). */
const TAIL_DAYS = 7
/** Simulated days between the SLO page and the faulty version's release, when no retrain comes between. */
const FAULT_AFTER_PAGE_DAYS = 10
/** Simulated days between the retrained version's promotion and the faulty version's release. */
const FAULT_AFTER_RESOLVE_DAYS = 5
/** The replay never goes past this (data time): the loop must have closed by then. */
const REPLAY_UNTIL = Date.UTC(2012, 3, 1)
/** Real milliseconds the faulty version waits before each run: far above the stable version's p99 × 2 + 5 ms. */
const FAULT_DELAY_MS = 40
/** The analyzer's realised MAE of a week above this multiple of the holdout MAE counts as the performance decay. */
const DECAY_FACTOR = 1.5

/** Reads the demo config, points storage and artifacts at the data directory, and resolves its directories. */
export function loadDemoConfig(file: string, o: { dataDir: string; host?: string; port?: number; env: HighwayEnv }): Config {
  const raw = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>
  const base = dirname(resolve(file))
  const dir = (key: string): Record<string, unknown> => (typeof raw[key] === 'string' ? { [key]: isAbsolute(raw[key] as string) ? raw[key] : resolve(base, raw[key] as string) } : {})
  const storage = (raw.storage ?? {}) as Record<string, unknown>
  const registry = (raw.registry ?? {}) as Record<string, unknown>
  const doc = {
    ...raw,
    ...dir('slos'),
    ...dir('runbooks'),
    storage: { ...storage, dataDir: join(o.dataDir, 'store') },
    registry: { ...registry, artifactsDir: join(o.dataDir, 'artifacts') },
    ingest: { ...((raw.ingest ?? {}) as Record<string, unknown>), spoolDir: join(o.dataDir, 'spool') },
  }
  return parseConfig(doc, { source: file, env: o.env, overrides: { ...(o.host ? { host: o.host } : {}), port: o.port ?? 0 } })
}

/** Prepares the data directory: a given one must be empty or absent (it is never wiped); the default is wiped. */
export function prepareDataDir(dir: string, given: boolean): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (given) throw new Error(`--data-dir ${dir}: must be empty or absent (the demo writes a fresh store there)`)
    rmSync(dir, { recursive: true, force: true })
  }
  mkdirSync(dir, { recursive: true })
}

interface Http {
  get<T>(path: string): Promise<{ status: number; body: T }>
  post<T>(path: string, body: unknown): Promise<{ status: number; body: T }>
}

function http(url: string): Http {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${url}${path}`, { method, ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T }
  }
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b) }
}

interface AlertView {
  fingerprint: string
  state: string
  labels: Record<string, string>
  annotations: Record<string, string>
  firedAt: string | null
  resolvedAt: string | null
  value: number | null
}
interface ReleaseView {
  id: string
  version: number
  strategy: string
  state: string
  events: Array<{ seq: number; event: string; state: string; at: string; detail: unknown; step: number; weightPercent: number }>
}

/** Runs the closed loop on the bike-sharing data; see docs in README ("Quick start") and issue 13. */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const startedAt = performance.now()
  const stages: Record<string, number> = {}
  let stageStart = performance.now()
  const stage = (name: string): void => {
    const t = performance.now()
    stages[name] = Number(((t - stageStart) / 1000).toFixed(2))
    stageStart = t
  }
  const problems: string[] = []
  const hours = parseBikeHours(readFileSync(o.hoursCsv, 'utf8'))
  const shift = timeShiftMs(hours[hours.length - 1]!.dataMs, Date.now())
  const sim = (dataMs: number): number => dataMs + shift
  const timeline = createTimeline({ startedAt, dataShiftMs: shift, ...(o.write ? { write: o.write } : {}) })
  const config = loadDemoConfig(o.configFile, { dataDir: o.dataDir, ...(o.host ? { host: o.host } : {}), ...(o.port !== undefined ? { port: o.port } : {}), env: o.env })
  const found = config.models.find((m) => m.name === MODEL)
  if (!found) throw new Error(`${o.configFile}: the demo needs a model named "${MODEL}"`)
  const model: ModelSpec = found

  // Every component reads this clock; advancing it runs their timers. Before each timer, what was sent is stored.
  // Bound once the service runs (the clock is built first, as the service reads it).
  const bound: { service?: DemoService } = {}
  const clock = createSimulatedClock({
    startMs: sim(REPLAY_FROM),
    beforeTimer: async () => {
      await bound.service?.settle()
    },
    onError: (err) => problems.push(`timer: ${err instanceof Error ? err.message : String(err)}`),
  })
  const faults = createFaultInjector(createInThreadEngine())
  const running = await o.start({ config, clock, engine: faults.engine, intervals: DEMO_INTERVALS })
  bound.service = running
  const api = http(running.url)
  o.write?.(`Highway demo: ${running.url} (simulated clock; data dates shown, shifted ${Math.round(shift / DAY)} days in the store)`)
  stage('start')
  let mae: Record<string, { n: number; mae: number | null }> = {}
  try {
    await driveLoop()
    mae = await maeByPeriod(running, shift)
    for (const [period, m] of Object.entries(mae)) o.write?.(`  MAE ${period.padEnd(28)} ${m.mae === null ? 'n/a' : m.mae.toFixed(1)} bikes/hour over ${m.n} labelled hours`)
  } catch (err) {
    // The service stays up for a look (or is closed by the CLI with --exit); the failure is the result.
    problems.push(err instanceof Error ? err.message : String(err))
  }
  const reportPath = join(o.dataDir, 'report.html')
  writeFileSync(reportPath, renderDemoReport({ url: running.url, durationSeconds: (performance.now() - startedAt) / 1000, stages, events: timeline.events, mae, shiftMs: shift }))
  o.write?.(`Report: ${reportPath}`)
  stage('report')
  return { ok: problems.length === 0, duration_s: Number(((performance.now() - startedAt) / 1000).toFixed(2)), events: timeline.events, stages_s: stages, mae, url: running.url, dataDir: o.dataDir, shift_ms: shift, service: running, problems, report: reportPath }

  async function driveLoop(): Promise<void> {
    const service = running

    // 1. Train on 2011, the real pipeline, registered; release it blue/green.
    const trainingCsv = join(o.dataDir, 'bike-2011.csv')
    writeTrainingCsv(o.hoursCsv, trainingCsv, '2012-01-01')
    const registry = createRegistry({ store: service.store, artifactsDir: config.registry.artifactsDir, now: clock.now })
    const v1 = await o.pipeline.train({ model, source: { kind: 'file', path: trainingCsv }, store: service.store, registry, now: clock.now, retentionDays: config.storage.retentionDays })
    timeline.add({ kind: 'model_trained', simMs: clock.now(), model: MODEL, version: v1.version, detail: trainingDetail(v1), why: `ridge on 2011 (${v1.dataset.rows.train} train, ${v1.dataset.rows.holdout} holdout rows), holdout MAE ${fmt(v1.metrics.mae)} RMSE ${fmt(v1.metrics.rmse)}` })
    stage('train')
    const released = await api.post<ReleaseView>(`/v1/models/${MODEL}/releases`, { version: v1.version, strategy: 'bluegreen', note: 'demo: first version' })
    if (released.status !== 201) throw new Error(`release of version ${v1.version}: ${released.status} ${JSON.stringify(released.body)}`)
    timeline.add({ kind: 'model_released', simMs: clock.now(), model: MODEL, version: v1.version, detail: { release: released.body.id, strategy: 'bluegreen' }, why: 'blue/green: all traffic on it' })
    // The scheduled analysis covers every served version (version ""): its reference is the training year as version
    // 1 scores it (features, its prediction, the real count), so drift, target drift and prediction drift compare
    // live weeks with what the model learnt from.
    const trainingHours = hours.filter((h) => h.dataMs < REPLAY_FROM)
    await setReference({ api, registry, pipeline: o.pipeline, version: v1.version, hours: trainingHours })

    // 2. Replay hour by hour through the serving API; labels (the real counts) arrive the next day.
    const replay = hours.filter((h) => h.dataMs >= REPLAY_FROM)
    timeline.add({ kind: 'replay_started', simMs: clock.now(), model: MODEL, version: v1.version, detail: { hours: replay.length }, why: `${replay.length} hours from 2011-12-15, one prediction an hour, labels a day late` })
    const watch = createWatcher({ api, timeline, model: MODEL, decayedAboveMae: DECAY_FACTOR * (v1.metrics.mae ?? Infinity), shift })
    const pendingLabels: BikeHour[] = []
    let faultVersion: number | undefined
    let faultReleasedAt: number | undefined
    let stopAt: number | undefined
    for (const h of replay) {
      const t = sim(h.dataMs)
      if ((stopAt !== undefined && t >= stopAt) || h.dataMs >= REPLAY_UNTIL) break
      await clock.advanceTo(t)
      if (t % DAY === (shift % DAY + DAY) % DAY && pendingLabels.length > 0) {
        // Midnight: yesterday's counts come in.
        const labels = pendingLabels.splice(0).map((p) => ({ id: idOf(p), label: p.cnt, ts: t }))
        const r = await api.post<{ accepted: number }>('/v1/labels', { model: MODEL, records: labels })
        if (r.status !== 202) problems.push(`labels at ${new Date(t).toISOString()}: ${r.status} ${JSON.stringify(r.body)}`)
        await watch.observe(t)
        // 4. Once the quality SLO has paged (and nothing else is releasing), a later version with a latency fault ships by canary.
        // With the retrain runbook: some days after the retrained version's promotion; without runbooks: after the page.
        const resolved = timeline.first('canary_promoted')
        const paged = timeline.first('slo_burn_alert')
        const faultDue = config.runbooks ? (resolved ? Date.parse(resolved.sim_time) + FAULT_AFTER_RESOLVE_DAYS * DAY : undefined) : paged ? Date.parse(paged.sim_time) + FAULT_AFTER_PAGE_DAYS * DAY : undefined
        if (faultVersion === undefined && faultDue !== undefined && t >= faultDue) {
          const fault = await releaseFaultyVersion({ api, model, config, registry, pipeline: o.pipeline, store: service.store, faults, clock, timeline })
          faultVersion = fault.version
          faultReleasedAt = t
        }
        if (faultReleasedAt !== undefined && stopAt === undefined && timeline.has('rolled_back')) stopAt = t + TAIL_DAYS * DAY
      }
      const p = await api.post<{ predictions: Array<{ version: number; prediction: number }> }>(`/v1/models/${MODEL}/predict`, { records: [{ id: idOf(h), features: h.features }] })
      if (p.status !== 200) problems.push(`predict at ${new Date(t).toISOString()}: ${p.status} ${JSON.stringify(p.body)}`)
      pendingLabels.push(h)
    }
    await service.settle()
    await watch.observe(clock.now())
    timeline.add({ kind: 'replay_finished', simMs: clock.now(), model: MODEL, detail: {}, why: 'replay over' })
    stage('replay')
  }
}

/** Scores the training hours with a version's ONNX graph and stores them as the reference of every served version. */
async function setReference(d: { api: Http; registry: Registry; pipeline: DemoPipeline; version: number; hours: readonly BikeHour[] }): Promise<{ reference_id: string; rows: number }> {
  const outputs = await d.pipeline.score({ registry: d.registry, model: MODEL, version: d.version, records: d.hours.map((h) => h.features) })
  const records = d.hours.map((h, i) => ({ id: `train-${idOf(h)}`, features: h.features, prediction: outputs[i]!, label: h.cnt }))
  const r = await d.api.post<{ reference_id: string; rows: number }>(`/v1/models/${MODEL}/reference`, { records })
  if (r.status !== 201) throw new Error(`reference: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

const idOf = (h: BikeHour): string => `hour-${new Date(h.dataMs).toISOString().slice(0, 13)}`
const fmt = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v.toFixed(1))

function trainingDetail(r: DemoTrainingReport): Record<string, unknown> {
  return { rows: r.dataset.rows, metrics: r.metrics, eligible: r.eligible, gates: r.gates.map((g) => ({ gate: g.gate, passed: g.passed })), source: r.dataset.source }
}

/** Trains a new version on the last weeks of stored, labelled traffic and ships it by canary with a latency fault. */
async function releaseFaultyVersion(d: {
  api: Http
  model: ModelSpec
  config: Config
  registry: Registry
  pipeline: DemoPipeline
  store: DemoService['store']
  faults: ReturnType<typeof createFaultInjector>
  clock: { now(): number }
  timeline: Timeline
}): Promise<{ version: number }> {
  const nowMs = d.clock.now()
  const report = await d.pipeline.train({
    model: d.model,
    source: { kind: 'clickhouse', fromMs: nowMs - 56 * DAY, toMs: nowMs, labelsUntilMs: nowMs },
    store: d.store,
    registry: d.registry,
    now: d.clock.now,
    retentionDays: d.config.storage.retentionDays,
  })
  d.timeline.add({ kind: 'model_trained', simMs: nowMs, model: MODEL, version: report.version, detail: trainingDetail(report), why: `on the last 8 weeks of served, labelled hours; holdout MAE ${fmt(report.metrics.mae)}` })
  const { bytes } = await d.registry.readArtifact(MODEL, report.version)
  d.faults.slowDown(bytes, FAULT_DELAY_MS)
  d.timeline.add({ kind: 'fault_injected', simMs: nowMs, model: MODEL, version: report.version, detail: { delay_ms: FAULT_DELAY_MS }, why: `every run of version ${report.version} waits ${FAULT_DELAY_MS} ms (a slow build)` })
  const request = {
    version: report.version,
    strategy: 'canary',
    steps: [25, 50],
    intervalSeconds: 86_400,
    failureThreshold: 2,
    stepTimeoutIntervals: 3,
    analysis: { minRequests: 3 },
    note: 'demo: a later version, retrained on recent traffic (latency fault injected)',
  }
  let r = await d.api.post<ReleaseView & { error?: string }>(`/v1/models/${MODEL}/releases`, request)
  if (r.status === 409 && /frozen/.test(r.body.error ?? '')) {
    // The error budget policy froze releases; a version retrained on recent data is what fixes the burn, so it
    // ships as a fix (the policy lets fixes and rollbacks through).
    d.timeline.add({ kind: 'release_refused', simMs: nowMs, model: MODEL, version: report.version, detail: { reason: r.body.error }, why: `frozen by the error budget policy; shipped as a fix instead` })
    r = await d.api.post<ReleaseView & { error?: string }>(`/v1/models/${MODEL}/releases`, { ...request, fix: true })
  }
  if (r.status !== 201) throw new Error(`canary of version ${report.version}: ${r.status} ${JSON.stringify(r.body)}`)
  return { version: report.version }
}

/** Polls Highway's API (alerts, analysis results, releases) and turns what changed into timeline events. */
function createWatcher(d: { api: Http; timeline: Timeline; model: string; decayedAboveMae: number; shift: number }): { observe(nowMs: number): Promise<void> } {
  const day = (iso: string): string => new Date(Date.parse(iso) - d.shift).toISOString().slice(0, 10)
  const seenAlerts = new Map<string, string>()
  const seenIncidents = new Map<string, string>()
  const seenRuns = new Map<string, string>()
  const seenReleaseEvents = new Set<string>()
  let lastDrift = ''
  let lastPerformance = ''
  let champion: number | null = null
  let analysedUpTo = 0
  return {
    async observe(nowMs) {
      // The analysis runs weekly: its results are read only when a run may have happened since the last look.
      const analysed = analysedUpTo < nowMs - 7 * DAY || new Date(nowMs).getUTCDay() === 4 || new Date(nowMs).getUTCDay() === 5
      if (analysed) {
        analysedUpTo = nowMs
        await observeAnalysis()
      }
      await observeAlertsAndReleases()
    },
  }
  async function observeAnalysis(): Promise<void> {
      const drift = await d.api.get<{ computed_at?: string; from: string; to: string; dataset: { drifted: boolean; drift_share: number; drifted_features: number; features: number }; features: Array<{ feature: string; drifted: boolean; statistic: number | null }>; label: { drifted: boolean; statistic: number | null; method?: unknown } | null; prediction: { drifted: boolean } | null }>(`/v1/models/${d.model}/drift`)
      if (drift.status === 200 && drift.body.computed_at && drift.body.computed_at !== lastDrift) {
        lastDrift = drift.body.computed_at
        const b = drift.body
        const drifted = b.features.filter((f) => f.drifted).map((f) => f.feature)
        if ((b.dataset.drifted || b.label?.drifted) && !d.timeline.has('drift_detected')) {
          d.timeline.add({
            kind: 'drift_detected',
            simMs: Date.parse(b.computed_at!),
            model: d.model,
            version: champion,
            detail: { window: { from: b.from, to: b.to }, dataset: b.dataset, drifted_features: drifted, label_drifted: b.label?.drifted ?? null, prediction_drifted: b.prediction?.drifted ?? null },
            why: `week to ${day(b.to)}: ${b.dataset.drifted_features}/${b.dataset.features} features drifted (${drifted.join(', ') || 'none'})${b.label?.drifted ? '; the target (cnt) drifted' : ''}`,
          })
        }
      }
      const perf = await d.api.get<{ computed_at?: string; from: string; to: string; source: string; realised: Record<string, number | null>; n_labeled: number }>(`/v1/models/${d.model}/performance`)
      if (perf.status === 200 && perf.body.computed_at && perf.body.computed_at !== lastPerformance) {
        lastPerformance = perf.body.computed_at
        const r = perf.body.realised
        if (perf.body.source === 'realised' && typeof r.mae === 'number' && r.mae > d.decayedAboveMae && !d.timeline.has('performance_decayed')) {
          d.timeline.add({ kind: 'performance_decayed', simMs: Date.parse(perf.body.computed_at), model: d.model, version: champion, detail: { window: { from: perf.body.from, to: perf.body.to }, realised: r, labelled: perf.body.n_labeled, bound_mae: d.decayedAboveMae }, why: `week to ${day(perf.body.to)}: realised MAE ${fmt(r.mae)} > ${fmt(d.decayedAboveMae)} (${DECAY_FACTOR} × the holdout's) over ${perf.body.n_labeled} labels` })
        }
      }
  }
  async function observeAlertsAndReleases(): Promise<void> {
      const alerts = await d.api.get<{ alerts: AlertView[] } | AlertView[]>(`/v1/alerts`)
      const list = Array.isArray(alerts.body) ? alerts.body : (alerts.body?.alerts ?? [])
      for (const a of list) {
        const key = `${a.fingerprint}:${a.state}:${a.firedAt}`
        if (seenAlerts.get(a.fingerprint) === key) continue
        if (a.state === 'firing' && a.firedAt) {
          seenAlerts.set(a.fingerprint, key)
          const isSlo = Boolean(a.labels.slo)
          d.timeline.add({ kind: isSlo ? 'slo_burn_alert' : 'alert_fired', simMs: Date.parse(a.firedAt), model: d.model, version: champion, detail: { alertname: a.labels.alertname, labels: a.labels, value: a.value, fingerprint: a.fingerprint }, why: `${a.labels.alertname} (${a.labels.severity})${a.value !== null ? ` value ${Number(a.value.toPrecision(3))}` : ''}${a.annotations.summary ? `: ${a.annotations.summary}` : ''}` })
        } else if (a.state === 'resolved' && a.resolvedAt && seenAlerts.has(a.fingerprint)) {
          seenAlerts.set(a.fingerprint, key)
          d.timeline.add({ kind: 'alert_resolved', simMs: Date.parse(a.resolvedAt), model: d.model, version: champion, detail: { alertname: a.labels.alertname, fingerprint: a.fingerprint }, why: `${a.labels.alertname} resolved` })
        }
      }
      const incidents = await d.api.get<{ incidents?: Array<{ id: string; status: string; title: string; onsetAt: string; openedAt: string; resolvedAt: string | null; alerts: unknown[] }> }>(`/v1/incidents`)
      for (const i of [...(incidents.body?.incidents ?? [])].reverse()) {
        const seen = seenIncidents.get(i.id)
        if (seen === undefined) {
          seenIncidents.set(i.id, 'open')
          d.timeline.add({ kind: 'incident_opened', simMs: Date.parse(i.openedAt), model: d.model, version: champion, detail: { incident: i.id, title: i.title, onset: i.onsetAt }, why: `${i.title} (incident ${i.id.slice(0, 8)})` })
        }
        if (i.status === 'resolved' && i.resolvedAt && seenIncidents.get(i.id) !== 'resolved') {
          seenIncidents.set(i.id, 'resolved')
          d.timeline.add({ kind: 'incident_resolved', simMs: Date.parse(i.resolvedAt), model: d.model, version: champion, detail: { incident: i.id, opened: i.openedAt }, why: `every alert of incident ${i.id.slice(0, 8)} resolved (open ${((Date.parse(i.resolvedAt) - Date.parse(i.openedAt)) / DAY).toFixed(1)} days)` })
        }
      }
      const runs = await d.api.get<{ runs?: Array<{ id: string; runbook: string; status: string; reason: string; createdAt: string; updatedAt: string; detail: Record<string, unknown> }> }>(`/v1/runbooks/runs?model=${d.model}`)
      for (const r of [...(runs.body?.runs ?? [])].reverse()) {
        if (r.status === 'skipped' || r.status === 'planned') continue
        if (!seenRuns.has(r.id)) {
          seenRuns.set(r.id, r.status)
          d.timeline.add({ kind: 'runbook_started', simMs: Date.parse(r.createdAt), model: d.model, version: champion, detail: { run: r.id, runbook: r.runbook, status: r.status, reason: r.reason }, why: `${r.runbook}: ${r.reason}`.slice(0, 240) })
        }
        const run = await d.api.get<{ steps?: Array<{ action: string; status: string; output: Record<string, unknown>; error: string; startedAt: string }> }>(`/v1/runbooks/runs/${r.id}`)
        for (const step of run.body?.steps ?? []) {
          const key = `${r.id}:retrained`
          if (step.action === 'retrain' && typeof step.output.version === 'number' && !seenRuns.has(key)) {
            seenRuns.set(key, 'done')
            const window = step.output.window as { fromMs?: number; toMs?: number } | undefined
            d.timeline.add({ kind: 'model_retrained', simMs: Date.parse(step.startedAt), model: d.model, version: step.output.version, detail: { run: r.id, ...step.output }, why: `by ${r.runbook} on ${String(step.output.labels)} labelled hours${window?.fromMs ? ` from ${new Date(window.fromMs - d.shift).toISOString().slice(0, 10)}` : ''}; eligible ${String(step.output.eligible)}` })
          }
        }
        if (r.status !== seenRuns.get(r.id) && ['failed', 'refused', 'aborted', 'cancelled'].includes(r.status)) {
          seenRuns.set(r.id, r.status)
          d.timeline.add({ kind: 'runbook_failed', simMs: Date.parse(r.updatedAt), model: d.model, version: champion, detail: { run: r.id, status: r.status, detail: r.detail, reason: r.reason }, why: `${r.runbook} ${r.status}: ${JSON.stringify(r.detail).slice(0, 200)}` })
        }
      }
      const releases = await d.api.get<ReleaseView[] | { releases: ReleaseView[] }>(`/v1/models/${d.model}/releases`)
      const rl = Array.isArray(releases.body) ? releases.body : (releases.body?.releases ?? [])
      for (const r of [...rl].reverse()) {
        for (const e of r.events ?? []) {
          const key = `${r.id}:${e.seq}`
          if (seenReleaseEvents.has(key)) continue
          seenReleaseEvents.add(key)
          if (r.strategy === 'canary' && e.event === 'started') d.timeline.add({ kind: 'canary_started', simMs: Date.parse(e.at), model: d.model, version: r.version, detail: { release: r.id, detail: e.detail }, why: `canary of version ${r.version}` })
          if (r.strategy === 'canary' && e.event === 'promoted') {
            champion = r.version
            d.timeline.add({ kind: 'canary_promoted', simMs: Date.parse(e.at), model: d.model, version: r.version, detail: { release: r.id, detail: e.detail }, why: `canary of version ${r.version} passed every step: champion` })
          }
          if (e.event === 'rolled_back') d.timeline.add({ kind: 'rolled_back', simMs: Date.parse(e.at), model: d.model, version: r.version, detail: { release: r.id, detail: e.detail }, why: `version ${r.version} rolled back: ${(e.detail as { reason?: string }).reason ?? ''}`.slice(0, 300) })
          if (r.strategy === 'bluegreen' && e.event === 'promoted') champion = r.version
        }
      }
  }
}

/** MAE of served predictions joined to their labels, by version and month of the data. */
async function maeByPeriod(service: DemoService, shift: number): Promise<Record<string, { n: number; mae: number | null }>> {
  const t = (name: string): string => tableName(service.store.ctx, name)
  const rows = await service.store.queryRows<{ month: string; version: string; n: number; mae: number }>(
    `SELECT formatDateTime(fromUnixTimestamp64Milli(toUnixTimestamp64Milli(p.ts) - {shift:Int64}), '%Y-%m') AS month, p.version AS version, count() AS n, avg(abs(p.prediction - l.label)) AS mae
     FROM ${t('predictions')} AS p INNER JOIN (SELECT id, argMax(label, received_at) AS label FROM ${t('labels')} WHERE model = {model:String} GROUP BY id) AS l USING id
     WHERE p.model = {model:String} AND p.status = 'ok' GROUP BY month, version ORDER BY month, version`,
    { model: MODEL, shift },
  )
  const out: Record<string, { n: number; mae: number | null }> = {}
  for (const r of rows) out[`${r.month} v${r.version}`] = { n: Number(r.n), mae: Number(r.mae) }
  return out
}
