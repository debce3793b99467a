import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Config } from '../config/index.ts'
import { createBudgetPolicy, createFreezeCheck, createSloReads, evaluateAndPublishAll, formatSpecError, loadSloDirectory, sloRoutes, SloMetrics, type ResolvedSlo } from '../slo/index.ts'
import { AnalyzerMetrics, analyzerRoutes, createAnalyzer, REFERENCE_MAX_BODY_BYTES, scheduleAnalysis, type ReferenceRecordParser } from '../analyzer/index.ts'
import { createCollector, createRecordValidator, type Collector, type RecordValidator } from '../collector/index.ts'
import { createAnalysisStore, createIngestWriter, findStoredRecords, latestAnalysisResult, openStore, readModelCounts, StoreError, type Store } from '../store/index.ts'
import { createCollectorSubmit, createQueuedPredictionLog, ModelServer, servingRoutes, ServingMetrics, type InferenceEngine, type PredictionLog } from '../serving/index.ts'
import { createAuditLog, createRegistry, registryRoutes } from '../registry/index.ts'
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
import { Registry } from 'prom-client'
import { claimLeaseTerm, createAlerting, createClickHouseAlertStore, createInProcessClaims, createTermLease } from '../alerts/index.ts'
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
  /** The release controller (its rollbacks and releases, for in-process drivers such as the demo). */
  readonly releases: ReleaseController
  /** The clock every component reads and schedules through. */
  readonly clock: Clock
  /** Resolves once every prediction logged so far has been handed to the collector and stored (or dropped). */
  settle(): Promise<void>
  close(): Promise<void>
}

/** Options of {@link startService}. */
export interface ServiceOptions {
  readonly config: Config
  readonly components: readonly Component[]
  readonly logger: Logger
  readonly version: string
  /**
   * The clock of every component's `now` and schedule (analysis cron, SLO refresh, alert ticks, release analyses,
   * record-time validation); default the real clock. The demo passes a simulated one.
   */
  readonly clock?: Clock
  /** How often the SLO gauges and budget policy are refreshed, in ms of the clock (default 30 s). */
  readonly sloRefreshMs?: number
  /** The model server's inference engine (default onnxruntime in this thread); the demo wraps it to inject a fault. */
  readonly engine?: InferenceEngine
}

/** Opens the store, builds the requested components and listens. Refuses an open (keyless) non-loopback bind. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config, logger } = options
  const clock = options.clock ?? createRealClock()
  const now = clock.now
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
  const store = await openStore(
    config.storage.url
      ? { mode: 'server', url: config.storage.url, user: config.storage.user, password: config.storage.password, database: config.storage.database, retentionDays: config.storage.retentionDays, ...(config.storage.cluster ? { cluster: config.storage.cluster } : {}) }
      : { mode: 'embedded', dataDir: config.storage.dataDir, database: config.storage.database, retentionDays: config.storage.retentionDays },
  )
  logger.info('storage ready', { mode: store.mode, location: store.location, database: store.ctx.database })
  const withAnalyzer = options.components.includes('analyzer')
  // Background work (SLO gauge refresh, analysis schedules) to stop on close.
  const stops: Array<() => void> = []
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
  const audit = createAuditLog(store, now)
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
  if (slos.length > 0) {
    const sloReads = createSloReads({ store, metrics: new SloMetrics(tools.registry), policy: createBudgetPolicy({ store, slos, now }), slos, now })
    routes.push(...sloRoutes({ reads: sloReads }))
    // Keep the gauges, the budget policy's freezes and the API's snapshot fresh between API calls.
    // One batched tick (one rollup read for every SLO); a tick still running when the next is due is joined, not doubled.
    const warn = (slo: string, err: unknown) => logger.warn('slo evaluation failed', { slo, error: err instanceof Error ? err.message : String(err) })
    stops.push(
      clock.every(options.sloRefreshMs ?? 30_000, () =>
        sloReads.refresh().then(
          (snapshot) => {
            for (const f of snapshot.failures) warn(f.name, f.error)
          },
          (err: unknown) => warn('*', err),
        ),
      ),
    )
  }
  if (withAnalyzer) {
    const analyzer = createAnalyzer({ store: createAnalysisStore(store), parseReferenceRecord: referenceRecordParser(config), now })
    const metrics = new AnalyzerMetrics(tools.registry)
    // A reference body counts against the shared in-flight budget, so it may not exceed it.
    routes.push(...analyzerRoutes({ analyzer, models: config.models, metrics, maxReferenceBodyBytes: Math.min(REFERENCE_MAX_BODY_BYTES, config.ingest.maxInflightBodyBytes), now }))
    stops.push(scheduleAnalysis({ analyzer, models: config.models, metrics, logger, now, cron: (expression, run) => clock.cron(expression, run) }))
  }
  // Alerts (alerts/, docs/alerts.md): SLO burn-rate tiers and model-health rules evaluated on a schedule; only the
  // lease holder records and notifies. SLOs are evaluated through the slo component's public tick into a registry
  // nobody scrapes (the slo component publishes the served gauges and moves the budget policy itself).
  let alertsBaseUrl = ''
  if (options.components.includes('alerts')) {
    const alertStore = createClickHouseAlertStore(store)
    const leaseSeconds = config.alerting.leaseSeconds
    const claim =
      store.mode === 'server'
        ? (term: number, holder: string, nowMs: number) => claimLeaseTerm(store, { name: 'alerts-evaluator', term, holder, atMs: nowMs })
        : createInProcessClaims()
    const sloForAlerts = { store, metrics: new SloMetrics(new Registry()) }
    const alerting = createAlerting({
      config: config.alerting,
      store: alertStore,
      lease: createTermLease({ leaseSeconds, claim }),
      holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      ...(slos.length > 0
        ? { sloStatuses: async (nowMs: number) => (await evaluateAndPublishAll({ ...sloForAlerts, now: () => nowMs }, slos)).flatMap((o) => (o.ok ? [o.status] : [])) }
        : {}),
      analysis: {
        latest: async (job, model) => (await latestAnalysisResult(store, { job, model, version: '' })) ?? null,
      },
      registry: tools.registry,
      now,
      isTransient: (err) => err instanceof StoreError && err.transient,
      onError: (what, err) => logger.warn(`${what} failed`, { error: err instanceof Error ? err.message : String(err) }),
      baseUrl: () => alertsBaseUrl,
    })
    routes.push(...alerting.routes)
    // Ticks on the service's clock (a tick still running when the next is due is skipped, not doubled).
    stops.push(clock.every(config.alerting.evaluationInterval * 1000, (nowMs) => alerting.tick(nowMs)))
  }
  // Built once, at the first request: the routes are fixed by then.
  let built: Record<string, unknown> | undefined
  const document = (): Record<string, unknown> => (built ??= buildOpenApiDocument(routes, { version: options.version }))
  routes.push(...systemRoutes({ registry: http.registry, readiness, document }))
  const shell = createHttpShell({
    routes,
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
        await serving?.close()
        await servingLog?.close()
        await collector.close()
        await store.close()
      })()
      return closing
    },
  }
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
