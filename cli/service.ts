import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readNamedVariable, resolveReceiverSecrets, type Config } from '../config/index.ts'
import { createBudgetPolicy, createFreezeCheck, createSloReads, evaluateSlo, formatSpecError, loadSloDirectory, prepareLatencyCounts, sloRoutes, SloMetrics, type ResolvedSlo, type SloReads, type SloStatus } from '../slo/index.ts'
import { AnalyzerMetrics, analyzerRoutes, createAnalyzer, REFERENCE_MAX_BODY_BYTES, scheduleAnalysis, type ReferenceRecordParser } from '../analyzer/index.ts'
import { createCollector, createRecordValidator, ingestRecords, type Collector, type RecordValidator } from '../collector/index.ts'
import { createClickHouseFaroStore, createFaroIntake, FaroMetrics, type FaroLabelSink } from '../faro/index.ts'
import { statusRoutes } from '../status/index.ts'
import { webDemoRoutes } from '../web/index.ts'
import { packagePath } from './package-root.ts'
import { createStatusSources } from './status-sources.ts'
import { createAnalysisStore, createIngestWriter, findStoredRecords, latestAnalysisResult, openStore, readModelCounts, savedResultsEndingIn, StoreError, type Store } from '../store/index.ts'
import { createCollectorSubmit, createQueuedPredictionLog, ModelServer, servingRoutes, ServingMetrics, type InferenceEngine, type PredictionLog } from '../serving/index.ts'
import { createRegistry, registryRoutes } from '../registry/index.ts'
import { createReferenceSaver } from '../pipeline/train/index.ts'
import { createReleaseController, releaseRoutes, type ReleaseController } from '../serving/releases/index.ts'
import {
  Authenticator,
  BodyBudget,
  buildOpenApiDocument,
  createHttpShell,
  HttpMetrics,
  isLoopback,
  systemRoutes,
  type Logger,
  type ReadinessReport,
  type RequestListener,
  type Route,
} from '../server/index.ts'
import { hostname } from 'node:os'
import { randomUUID } from 'node:crypto'
import { claimLeaseTerm, createAlerting, createClickHouseAlertStore, createInProcessClaims, createTermLease, type AlertStore } from '../alerts/index.ts'
import { createAuditLog, createRequestAuditWriter } from '../audit/index.ts'
import { createClickHouseRunbookStore, createRunbooks, formatRunbookError, loadRunbookDirectory, runbookRoutes, RunbookMetrics, type Runbook, type Runbooks } from '../runbooks/index.ts'
import { createRunbookPorts } from './runbook-ports.ts'
import { createClickHouseIncidentStore, createIncidents, importanceFromMetrics, type Incidents } from '../incidents/index.ts'
import { createRealClock, type Clock } from '../clock/index.ts'

/** Components `highway start` can run; each can also run alone so it scales out on its own. */
export const COMPONENTS = ['collector', 'analyzer', 'slo', 'serving', 'alerts'] as const
/** One runnable component. */
export type Component = (typeof COMPONENTS)[number]

/** A running service: where it listens and how to stop it. */
export interface RunningService {
  readonly url: string
  readonly store: Store
  readonly collector: Collector
  /** The request listener of the whole service (tests serve it on a second port). */
  readonly listener: RequestListener
  /** Request bodies being read, against `ingest.maxInflightBodyBytes`. */
  readonly bodies: BodyBudget
  /** Every route the shell serves. */
  readonly routes: readonly Route[]
  /** The ONNX model server, when the serving component runs (the registry loads versions into it). */
  readonly serving?: ModelServer
  /** The runbooks component, when the config names a runbooks directory (the demo ticks it on its clock). */
  readonly runbooks?: Runbooks
  /** The release controller (its rollbacks and releases, for in-process drivers such as the demo). */
  readonly releases: ReleaseController
  /** The clock every component reads and schedules through. */
  readonly clock: Clock
  /** Resolves once every prediction logged so far has been handed to the collector and stored (or dropped). */
  settle(): Promise<void>
  close(): Promise<void>
}

/** How often background work runs, in ms of the service's clock (defaults: the real service's). */
export interface ServiceIntervals {
  /** SLO snapshot refresh-ahead check (gauges, budget policy, API snapshot); default 5 s. */
  readonly sloRefreshMs?: number
  /** Stored analysis results read ahead of their staleness bound; default 1 s. */
  readonly savedResultsMs?: number
  /** Runbook schedules and parked steps; default 15 s. */
  readonly runbookTickMs?: number
  /** Incident reconcile; default 60 s. */
  readonly incidentTickMs?: number
}

/** Options of {@link startService}. */
export interface ServiceOptions {
  readonly config: Config
  readonly components: readonly Component[]
  readonly logger: Logger
  readonly version: string
  /**
   * The clock of every component's `now` and schedule (analysis cron, SLO refresh, alert ticks, release analyses,
   * runbook and incident ticks, record-time validation); default the real clock. The demo passes a simulated one.
   */
  readonly clock?: Clock
  readonly intervals?: ServiceIntervals
  /** The model server's inference engine (default onnxruntime in this thread); the demo wraps it to inject a fault. */
  readonly engine?: InferenceEngine
}

/** Opens the store, builds the requested components and listens. Refuses an open (keyless) non-loopback bind. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config, logger } = options
  const clock = options.clock ?? createRealClock()
  const now = clock.now
  const intervals = options.intervals ?? {}
  if (config.auth.keys.length === 0) {
    if (!isLoopback(config.server.host)) {
      throw new Error(
        `refusing to listen on ${config.server.host} without API keys: anyone could write and read. Configure auth.keys, or bind 127.0.0.1 (--host 127.0.0.1).`,
      )
    }
    logger.warn('no API keys configured: listening on loopback only and allowing every request', { host: config.server.host })
  }
  // SLOs are loaded before storage opens or anything listens: an invalid spec stops the start with every problem named.
  let slos: readonly ResolvedSlo[] = []
  if (options.components.includes('slo') && config.slos) {
    const loaded = await loadSloDirectory(config.slos, { models: config.models })
    if (!loaded.ok) {
      throw new Error(`invalid SLOs in ${config.slos}:\n  ${loaded.errors.map(formatSpecError).join('\n  ')}`)
    }
    slos = loaded.specs
    logger.info('slos loaded', { dir: config.slos, slos: slos.map((s) => s.name) })
  }
  // Runbooks too: a bad file stops the start naming file, key and value (docs/runbooks.md).
  let runbookSpecs: readonly Runbook[] = []
  if (config.runbooks) {
    const loaded = await loadRunbookDirectory(config.runbooks)
    if (!loaded.ok) throw new Error(`invalid runbooks in ${config.runbooks}:\n  ${loaded.errors.map(formatRunbookError).join('\n  ')}`)
    runbookSpecs = loaded.runbooks
    logger.info('runbooks loaded', { dir: config.runbooks, runbooks: runbookSpecs.map((r) => r.metadata.name) })
  }
  // Webhook secrets named by `secretEnv` are read before storage opens: an unset variable stops the start, named.
  const alertingConfig = options.components.includes('alerts') ? resolveReceiverSecrets(config.alerting, (name) => readNamedVariable(name)) : config.alerting
  const store = await openStore(
    config.storage.url
      ? { mode: 'server', url: config.storage.url, user: config.storage.user, password: config.storage.password, database: config.storage.database, retentionDays: config.storage.retentionDays, ...(config.storage.cluster ? { cluster: config.storage.cluster } : {}) }
      : { mode: 'embedded', dataDir: config.storage.dataDir, database: config.storage.database, retentionDays: config.storage.retentionDays },
  )
  logger.info('storage ready', { mode: store.mode, location: store.location, database: store.ctx.database })
  const withAnalyzer = options.components.includes('analyzer')
  // Background work (SLO gauge refresh, analysis schedules) to stop on close.
  const stops: Array<() => void> = []
  // Background reads (SLO and stored-result refreshes) still running at close: awaited before the store closes.
  const background = new Set<Promise<unknown>>()
  const track = (work: Promise<unknown> | undefined): void => {
    if (!work) return
    const settled = work.then(
      () => undefined,
      () => undefined,
    )
    background.add(settled)
    void settled.then(() => background.delete(settled))
  }
  const http = new HttpMetrics()
  const auth = new Authenticator(config.auth.keys)
  const bodies = new BodyBudget(config.ingest.maxInflightBodyBytes)
  // Every component's routes, served by the HTTP shell (server/); readiness of each, for /readyz.
  const routes: Route[] = []
  const readiness: Array<() => ReadinessReport> = []
  const reader = { readModelCounts: (models: readonly string[]) => readModelCounts(store, models), findStoredRecords: (q: Parameters<typeof findStoredRecords>[1]) => findStoredRecords(store, q) }
  // The collector's writer also takes the serving component's prediction log; without the collector component
  // it serves no ingest routes.
  const collector: Collector = createCollector({
    config,
    ingest: options.components.includes('collector'),
    sink: createIngestWriter(store, { timeoutMs: config.ingest.insertTimeoutMs }),
    reader,
    isTransient: (err) => err instanceof StoreError && err.transient,
    logger,
    registry: http.registry,
    now,
  })
  routes.push(...collector.routes)
  readiness.push(() => collector.readiness())
  if (options.components.includes('collector')) {
    // Faro web apps (faro/, docs/faro.md): their `label` events go through the collector's own label path.
    const labelValidators = new Map(config.models.map((m) => [m.name, createRecordValidator(m, { retentionDays: config.storage.retentionDays })]))
    const labels: FaroLabelSink = {
      submitLabels: (model, records, nowMs) =>
        ingestRecords('label', { model, records, unparsed: new Map() }, { validator: labelValidators.get(model)!, writer: collector.writer, reader, metrics: collector.metrics, attempt: 1, nowMs }),
    }
    const faro = createFaroIntake({ config: config.faro, models: config.models, events: createClickHouseFaroStore(store), labels, metrics: new FaroMetrics(http.registry), now })
    routes.push(...faro.routes)
    // The booking demo (web/, built into web/build by `npm run build`) reports to the first app that may label its model.
    const demoApp = config.faro.apps.find((a) => a.models.includes('booking-spam')) ?? config.faro.apps[0]
    const demoModel = demoApp?.models[0] ?? 'booking-spam'
    routes.push(
      ...webDemoRoutes({
        dir: packagePath('web/build'),
        page: { model: demoModel, faro: demoApp ? { url: '/v1/faro', app: demoApp.name, ...(demoApp.apiKey ? { apiKey: demoApp.apiKey } : {}) } : null },
      }),
    )
  }
  const tools = { auth, registry: http.registry }
  let serving: ModelServer | undefined
  let servingLog: PredictionLog | undefined
  if (options.components.includes('serving')) {
    const servingMetrics = new ServingMetrics(tools.registry)
    // Predictions are logged into this process's collector (its ingest path, no HTTP to self), off the request path.
    servingLog = createQueuedPredictionLog({
      submit: createCollectorSubmit({ collector: () => collector, models: config.models, retentionDays: config.storage.retentionDays, reader, now }),
      onDrop: (model, records, reason) => servingMetrics.logDropped.inc({ model, reason }, records),
      onError: (model, error) => logger.warn('prediction log submission failed', { model, error: error instanceof Error ? error.message : String(error) }),
    })
    serving = new ModelServer({ metrics: servingMetrics, log: servingLog, logger, now, ...(options.engine ? { engine: options.engine } : {}) })
    routes.push(...servingRoutes({ server: serving, ...(options.version !== undefined ? { version: options.version } : {}) }))
    const s = serving
    readiness.push(() => {
      const r = s.readiness()
      return { ready: r.ready, fields: { serving: r } }
    })
  }
  // Model registry and releases: reads need only the store; releases drive the model server when it runs here,
  // refused while the error budget policy froze the model (except fixes and rollbacks).
  const registry = createRegistry({ store, artifactsDir: config.registry.artifactsDir, now })
  const auditLog = createAuditLog(store, now)
  // Each use of an operate or admin key on a state-changing route goes to the audit trail, batched off the request
  // path; reads of the trail first write what is queued, so they see every request answered before them.
  const requestAudit = createRequestAuditWriter({ audit: auditLog, registry: tools.registry, onError: (err) => logger.warn('audit write failed (kept queued)', { error: err instanceof Error ? err.message : String(err) }) })
  const audit: typeof auditLog = {
    ...auditLog,
    read: async (q) => {
      await requestAudit.flush()
      return auditLog.read(q)
    },
  }
  // Only configured models are registered, released and served (an operate key cannot bring in an unknown name).
  const configuredModels = new Set(config.models.map((m) => m.name))
  const releases: ReleaseController = createReleaseController({ store, registry, audit, ...(serving ? { serving } : {}), freeze: createFreezeCheck(store), logger, models: configuredModels, now, timer: (dueMs, run) => clock.at(dueMs, run) })
  const saveReference = createReferenceSaver({ store, models: config.models, retentionDays: config.storage.retentionDays, now })
  routes.push(...registryRoutes({ registry, audit, models: configuredModels, saveReference }))
  routes.push(...releaseRoutes({ controller: releases, registry, models: configuredModels }))
  // Claims and training runs a killed process left behind are marked failed, with the reason.
  const recovered = await registry.recoverAbandoned()
  for (const c of recovered.claims) logger.warn('abandoned version claim marked failed', { model: c.model, version: c.version, reason: c.reason })
  for (const r of recovered.runs) logger.warn('abandoned training run marked failed', { model: r.model, run: r.runId, reason: r.reason })
  stops.push(() => releases.close())
  // The SLO component's reads: its API, its refresh tick and the alerts' burn-rate tiers share one evaluation.
  let sloReads: SloReads | undefined
  if (slos.length > 0) {
    // Exact counts for latency thresholds between the rollup's buckets, before the first evaluation (docs/slo.md).
    const latency = await prepareLatencyCounts({ store, slos })
    if (latency.backfilled.length + latency.stopped.length > 0) logger.info('slo latency thresholds', { counted: latency.counted.map((c) => c.thresholdMs), backfilled: latency.backfilled, stopped: latency.stopped })
    const reads = createSloReads({ store, metrics: new SloMetrics(tools.registry), policy: createBudgetPolicy({ store, slos, now }), slos, now })
    sloReads = reads
    routes.push(...sloRoutes({ reads }))
    // Keep the gauges, the budget policy's freezes and the API's snapshot fresh between API calls: warmed now, then
    // refreshed ahead of the staleness bound (one batched rollup read for every SLO, never two at once), so no read waits.
    const warn = (slo: string, err: unknown) => logger.warn('slo evaluation failed', { slo, error: err instanceof Error ? err.message : String(err) })
    // The evaluation is returned as well as tracked, so a simulated clock waits for it before moving on.
    const tickSlos = (nowMs: number): Promise<unknown> | undefined => {
      const work = reads.tick(nowMs)?.then(
        (snapshot) => {
          for (const f of snapshot.failures) warn(f.name, f.error)
        },
        (err: unknown) => warn('*', err),
      )
      track(work)
      return work
    }
    tickSlos(now())
    stops.push(clock.every(intervals.sloRefreshMs ?? 5_000, tickSlos))
  }
  if (withAnalyzer) {
    const analyzer = createAnalyzer({ store: createAnalysisStore(store), parseReferenceRecord: referenceRecordParser(config), now })
    const metrics = new AnalyzerMetrics(tools.registry)
    // A reference body counts against the shared in-flight budget, so it may not exceed it.
    routes.push(...analyzerRoutes({ analyzer, models: config.models, metrics, maxReferenceBodyBytes: Math.min(REFERENCE_MAX_BODY_BYTES, config.ingest.maxInflightBodyBytes), now }))
    stops.push(scheduleAnalysis({ analyzer, models: config.models, metrics, logger, now, cron: (expression, run) => clock.cron(expression, run) }))
    // Stored results warmed now and read again ahead of their bound, so a stored drift/quality read never waits.
    const tickSaved = (nowMs: number): Promise<void> => {
      const work = analyzer.tick(nowMs, config.models)
      track(work)
      return work
    }
    void tickSaved(now())
    stops.push(clock.every(intervals.savedResultsMs ?? 1_000, tickSaved))
  }
  // Alerts (alerts/, docs/alerts.md): SLO burn-rate tiers and model-health rules evaluated on a schedule; only the
  // lease holder records and notifies. The tiers come from the SLO component's snapshot: one no older than an
  // alert evaluation interval is reused, else the tick evaluates (once, for the API, the gauges and the policy too).
  let alertsBaseUrl = ''
  // Runbooks (runbooks/, docs/runbooks.md): started by alerts (the listener below), by schedules and by the API.
  let runbooks: Runbooks | undefined
  if (runbookSpecs.length > 0) {
    // verify steps read the SLO component's snapshot (one evaluation shared with the alerts), at most 30 s old.
    const sloStatuses = sloReads ? sloStatusesOf(sloReads, 30_000) : undefined
    runbooks = createRunbooks({
      runbooks: runbookSpecs,
      store: createClickHouseRunbookStore(store),
      audit,
      now,
      owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      metrics: new RunbookMetrics(tools.registry),
      models: configuredModels,
      ...createRunbookPorts({ config: { ...config, alerting: alertingConfig }, store, registry, releases, now, ...(sloStatuses ? { sloStatuses } : {}) }),
      onError: (what, err) => logger.warn(`${what} failed`, { error: err instanceof Error ? err.message : String(err) }),
    })
    routes.push(...runbookRoutes({ runbooks }))
    const rb = runbooks
    const stopTicks = clock.every(intervals.runbookTickMs ?? 15_000, (nowMs) => rb.tick(nowMs).catch((err: unknown) => logger.warn('runbook tick failed', { error: err instanceof Error ? err.message : String(err) })))
    stops.push(() => {
      stopTicks()
      rb.close()
    })
  }
  let alertStore: AlertStore | undefined
  let incidents: Incidents | undefined
  if (options.components.includes('alerts')) {
    const alertsStored = createClickHouseAlertStore(store)
    alertStore = alertsStored
    const leaseSeconds = config.alerting.leaseSeconds
    const claim =
      store.mode === 'server'
        ? (term: number, holder: string, nowMs: number) => claimLeaseTerm(store, { name: 'alerts-evaluator', term, holder, atMs: nowMs })
        : createInProcessClaims()
    // Incidents (incidents/, docs/incidents.md) hang on the alerts' listener hook and reconcile from the stored state.
    incidents = createIncidents({
      store: createClickHouseIncidentStore(store),
      audit,
      alerts: () => alertsStored.listStates({ states: ['firing', 'resolved'] }),
      analysis: (job, model, fromMs, toMs) => savedResultsEndingIn(store, { job, model, version: '', fromMs, toMs }),
      importance: async (model) => {
        const champion = (await registry.aliases(model)).find((a) => a.alias === 'champion')
        return importanceFromMetrics(champion ? (await registry.readVersion(model, champion.version))?.metrics : undefined)
      },
      ...(slos.length > 0 ? { budgetConsumed: (slo: string, fromMs: number, toMs: number) => budgetConsumedBetween(store, slos, slo, fromMs, toMs) } : {}),
      registry: tools.registry,
      now,
      onError: (what, err) => logger.warn(`${what} failed`, { error: err instanceof Error ? err.message : String(err) }),
    })
    routes.push(...incidents.routes)
    // Reconciled once at start (catches up with what a crash missed, publishes the gauge), then on the clock.
    const inc = incidents
    const reconcile = (nowMs: number): Promise<void> => inc.tick(nowMs).catch((err: unknown) => logger.warn('incident reconcile failed', { error: err instanceof Error ? err.message : String(err) }))
    track(reconcile(now()))
    stops.push(clock.every(intervals.incidentTickMs ?? 60_000, reconcile))
    const alerting = createAlerting({
      config: alertingConfig,
      store: alertsStored,
      lease: createTermLease({ leaseSeconds, claim }),
      holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      ...(sloReads ? { sloStatuses: sloStatusesOf(sloReads, alertingConfig.evaluationInterval * 1000) } : {}),
      analysis: {
        latest: async (job, model) => (await latestAnalysisResult(store, { job, model, version: '' })) ?? null,
      },
      registry: tools.registry,
      now,
      isTransient: (err) => err instanceof StoreError && err.transient,
      onError: (what, err) => logger.warn(`${what} failed`, { error: err instanceof Error ? err.message : String(err) }),
      baseUrl: () => alertsBaseUrl,
      // Incidents first: a run's audit entries land on an incident that is already open.
      listeners: [incidents.listener, ...(runbooks ? [runbooks.listener] : [])],
    })
    routes.push(...alerting.routes)
    // Ticks on the service's clock (a tick still running when the next is due is skipped, not doubled).
    stops.push(clock.every(alertingConfig.evaluationInterval * 1000, (nowMs) => alerting.tick(nowMs)))
  }
  // The status page at `/` and `/v1/status` (status/).
  routes.push(
    ...statusRoutes({
      sources: {
        ...createStatusSources({ config, store, registry, releases, withAnalyzer, ...(sloReads ? { sloReads } : {}), ...(alertStore ? { alerts: alertStore } : {}), ...(incidents ? { incidents } : {}) }),
        ...(runbooks ? { runbookRuns: statusRunbookRuns(runbooks) } : {}),
      },
      open: auth.open,
      now,
    }),
  )
  // Built once, at the first request: the routes are fixed by then.
  let built: Record<string, unknown> | undefined
  const document = (): Record<string, unknown> => (built ??= buildOpenApiDocument(routes, { version: options.version }))
  routes.push(...systemRoutes({ registry: http.registry, readiness, document }))
  const shell = createHttpShell({
    routes,
    audit: requestAudit.record,
    auth,
    bodies,
    metrics: http,
    logger,
    maxBodyBytes: 8 * 1024 * 1024,
    origins: { loopback: isLoopback(config.server.host), allowedOrigins: new Set() },
  })
  const listener: RequestListener = shell.listener
  // A request whose headers or body never arrive is answered 408 and closed (Node's default waits 300 s); Node checks
  // the deadlines every connectionsCheckingInterval, so that is a fraction of the shorter one.
  const { headersTimeoutMs, requestTimeoutMs } = config.server
  const server: Server = createServer({ headersTimeout: Math.min(headersTimeoutMs, requestTimeoutMs), requestTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.max(50, Math.min(headersTimeoutMs, requestTimeoutMs) / 4) }, listener)
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.server.port, config.server.host, resolve)
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${host}:${address.port}`
  alertsBaseUrl = url
  logger.info('port open; restoring the champions', { url })
  // Champions back in the model server once the port is open, so probes see live (200) and not ready (503) while
  // they load; releases a previous process left running are closed. Start resolves once they are back.
  const restoring = releases.restore()
  serving?.whileLoading(restoring)
  try {
    await restoring
    // Runs a stopped process left: resumed from their last finished step, or aborted with the reason.
    const restored = await runbooks?.restore()
    for (const id of restored?.aborted ?? []) logger.warn('interrupted runbook run aborted', { run: id })
    for (const id of restored?.resumed ?? []) logger.info('runbook run resumed', { run: id })
  } catch (err) {
    server.close()
    throw err
  }
  // `listening` means ready: scripts and tests that wait for it may send traffic at once.
  logger.info('listening', { url, components: options.components, models: config.models.map((m) => m.name) })
  let closing: Promise<void> | undefined
  return {
    url,
    store,
    collector,
    listener,
    bodies,
    routes,
    ...(serving ? { serving } : {}),
    ...(runbooks ? { runbooks } : {}),
    releases,
    clock,
    async settle() {
      await servingLog?.flush()
      await collector.writer.stored()
    },
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeIdleConnections()
        })
        for (const stop of stops) stop()
        await Promise.all(background)
        await requestAudit.flush().catch(() => undefined)
        await serving?.close()
        await servingLog?.close()
        await collector.close()
        await store.close()
      })()
      return closing
    },
  }
}

/** The status page's recent runbook runs (it keeps a limited key's models only). */
function statusRunbookRuns(runbooks: Runbooks): () => Promise<Array<{ id: string; runbook: string; model: string; outcome: string; started_at: string }>> {
  return async () => (await runbooks.runs({ limit: 20 })).map((r) => ({ id: r.id, runbook: r.runbook, model: r.model, outcome: r.status, started_at: new Date(r.createdAtMs).toISOString() }))
}

/**
 * The SLO statuses the alerts evaluate: the SLO component's newest snapshot when it is younger than `maxAgeMs`
 * (its refresh tick ran within one alert interval), else one evaluation shared with every other reader.
 */
function sloStatusesOf(reads: SloReads, maxAgeMs: number): () => Promise<SloStatus[]> {
  return async () => [...(await reads.snapshot(maxAgeMs)).statuses.values()]
}

/**
 * The share of an SLO's error budget an incident consumed: the period's consumed share at its end less that at its
 * onset. For a rolling period this also subtracts what left the window meanwhile (bad events one period earlier),
 * which is small for an incident of hours against a window of weeks.
 */
async function budgetConsumedBetween(store: Store, slos: readonly ResolvedSlo[], name: string, fromMs: number, toMs: number): Promise<number | null> {
  const slo = slos.find((s) => s.name === name)
  if (!slo) return null
  const [before, after] = await Promise.all([evaluateSlo(store, slo, fromMs), evaluateSlo(store, slo, toMs)])
  const share = (b: SloStatus['error_budget']): number => (b.total > 0 ? b.consumed / b.total : 0)
  return Math.max(0, share(after.error_budget) - share(before.error_budget))
}

/** Reference records are prediction records with an optional label, checked by the collector's validators. */
function referenceRecordParser(config: Config): ReferenceRecordParser {
  const validators = new Map<string, RecordValidator>()
  const validatorOf = (name: string): RecordValidator => {
    let v = validators.get(name)
    if (!v) {
      const spec = config.models.find((m) => m.name === name)!
      validators.set(name, (v = createRecordValidator(spec, { retentionDays: config.storage.retentionDays })))
    }
    return v
  }
  return (model, record, nowMs) => {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return { ok: false, errors: ['(record): must be a JSON object'] }
    const { label, ...prediction } = record as Record<string, unknown>
    // A reference may be older than the retention window of live predictions: check the time against now only loosely.
    const checked = validatorOf(model.name).prediction({ ...prediction, ts: undefined }, nowMs)
    if (!checked.ok) return { ok: false, errors: checked.errors }
    if (label === undefined || label === null) return { ok: true, value: { row: checked.row, label: null, labelClass: '' } }
    const l = validatorOf(model.name).label({ id: checked.row.id, label }, nowMs)
    if (!l.ok) return { ok: false, errors: l.errors }
    return { ok: true, value: { row: checked.row, label: l.row.label, labelClass: l.row.labelClass } }
  }
}
