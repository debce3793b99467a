import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Config } from '../config/index.ts'
import express, { type Response } from 'express'
import { createBudgetPolicy, createFreezeCheck, evaluateAndPublishAll, formatSpecError, loadSloDirectory, mountSloRoutes, SloMetrics, type ResolvedSlo } from '../slo/index.ts'
import { AnalyzerMetrics, createAnalyzer, mountAnalyzerRoutes, scheduleAnalysis, type ReferenceRecordParser } from '../analyzer/index.ts'
import { createCollector, createRecordValidator, type Collector, type RecordValidator } from '../collector/index.ts'
import { createIngestWriter, findStoredRecords, openStore, readModelCounts, StoreError, type Store } from '../store/index.ts'
import { createCollectorSubmit, createFastInfer, createQueuedPredictionLog, ModelServer, mountServingRoutes, ServingMetrics, type PredictionLog } from '../serving/index.ts'
import { createAuditLog, createRegistry, mountRegistryRoutes } from '../serving/registry/index.ts'
import { createReleaseController, mountReleaseRoutes, type ReleaseController } from '../serving/releases/index.ts'
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
import { createLegacyApp, legacyOpenApiPaths } from './legacy-express.ts'
import { hostname } from 'node:os'
import { randomUUID } from 'node:crypto'
import { Registry } from 'prom-client'
import { claimLeaseTerm, createAlerting, createClickHouseAlertStore, createInProcessClaims, createTermLease } from '../alerts/index.ts'
import { readAnalysisResults } from '../store/index.ts'

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
  close(): Promise<void>
}

/** Opens the store, builds the requested components and listens. Refuses an open (keyless) non-loopback bind. */
export async function startService(options: { config: Config; components: readonly Component[]; logger: Logger; version: string }): Promise<RunningService> {
  const { config, logger } = options
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
  })
  routes.push(...collector.routes)
  readiness.push(() => collector.readiness())
  const legacy = createLegacyApp({ auth, logger, metrics: http })
  const app = legacy.app
  const tools = { auth, registry: http.registry }
  let serving: ModelServer | undefined
  let servingLog: PredictionLog | undefined
  let fastInfer: ReturnType<typeof createFastInfer> | undefined
  if (options.components.includes('serving')) {
    const servingMetrics = new ServingMetrics(tools.registry)
    // Predictions are logged into this process's collector (its ingest path, no HTTP to self), off the request path.
    servingLog = createQueuedPredictionLog({
      submit: createCollectorSubmit({ collector: () => collector, models: config.models, retentionDays: config.storage.retentionDays, reader }),
      onDrop: (model, records, reason) => servingMetrics.logDropped.inc({ model, reason }, records),
      onError: (model, error) => logger.warn('prediction log submission failed', { model, error: error instanceof Error ? error.message : String(error) }),
    })
    serving = new ModelServer({ metrics: servingMetrics, log: servingLog, logger })
    mountServingRoutes(app, { server: serving, version: options.version, requireScope: legacy.requireScope, assertModelAllowed: legacy.assertModelAllowed })
    // V2 infer on plain node:http in front of express (same auth, answers and errors): see serving/fast-infer.ts.
    fastInfer = createFastInfer({ server: serving, auth, logger, observe: (route, status, seconds) => http.requestSeconds.observe({ method: 'POST', route, status: String(status) }, seconds) })
  }
  // Model registry and releases: reads need only the store; releases drive the model server when it runs here,
  // refused while the error budget policy froze the model (except fixes and rollbacks).
  const registry = createRegistry({ store, artifactsDir: config.registry.artifactsDir })
  const audit = createAuditLog(store)
  const releases: ReleaseController = createReleaseController({ store, registry, audit, ...(serving ? { serving } : {}), freeze: createFreezeCheck(store), logger })
  const registryTools = { requireScope: legacy.requireScope, assertModelAllowed: legacy.assertModelAllowed, actorOf: (res: Response) => legacy.principalOf(res).id }
  mountRegistryRoutes(app, { registry, audit, tools: registryTools })
  mountReleaseRoutes(app, { controller: releases, registry, tools: registryTools })
  stops.push(() => releases.close())
  if (slos.length > 0) {
    const sloDeps = { store, metrics: new SloMetrics(tools.registry), policy: createBudgetPolicy({ store, slos }) }
    mountSloRoutes(app, { ...sloDeps, slos, read: legacy.requireScope('read') })
    // Keep the gauges and the budget policy's freezes fresh between API calls.
    // One batched tick (one rollup read for every SLO); a tick still running when the next is due is not doubled.
    let ticking = false
    const warn = (slo: string, err: unknown) => logger.warn('slo evaluation failed', { slo, error: err instanceof Error ? err.message : String(err) })
    const refresh = setInterval(() => {
      if (ticking) return
      ticking = true
      void evaluateAndPublishAll(sloDeps, slos)
        .then(
          (outcomes) => {
            for (const o of outcomes) if (!o.ok) warn(o.name, o.error)
          },
          (err: unknown) => warn('*', err),
        )
        .finally(() => (ticking = false))
    }, 30_000)
    refresh.unref()
    stops.push(() => clearInterval(refresh))
  }
  if (withAnalyzer) {
    const analyzer = createAnalyzer({ store, parseReferenceRecord: referenceRecordParser(config) })
    const metrics = new AnalyzerMetrics(tools.registry)
    // Reference uploads may be large: up to a million records.
    app.use('/v1/models/:name/reference', express.json({ limit: '512mb' }))
    app.use('/v1/models/:name/analysis', express.json({ limit: '1mb' }))
    mountAnalyzerRoutes(app, { analyzer, models: config.models, metrics, tools: { requireScope: legacy.requireScope, assertModelAllowed: legacy.assertModelAllowed } })
    stops.push(scheduleAnalysis({ analyzer, models: config.models, metrics, logger }))
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
        latest: async (job, model, nowMs) => (await readAnalysisResults(store, { job, model, fromMs: 0, toMs: nowMs, limit: 1 }))[0] ?? null,
      },
      registry: tools.registry,
      now: Date.now,
      isTransient: (err) => err instanceof StoreError && err.transient,
      onError: (what, err) => logger.warn(`${what} failed`, { error: err instanceof Error ? err.message : String(err) }),
      baseUrl: () => alertsBaseUrl,
    })
    routes.push(...alerting.routes)
    stops.push(alerting.start())
  }
  legacy.finish()
  const document = (): Record<string, unknown> => {
    // Until every component is on the shell, the hand-written document of the rest is merged under the shell's.
    const built = buildOpenApiDocument(routes, { version: options.version }) as { paths: Record<string, Record<string, unknown>> }
    for (const [path, ops] of Object.entries(legacyOpenApiPaths())) built.paths[path] = { ...ops, ...built.paths[path] }
    return built
  }
  routes.push(...systemRoutes({ registry: http.registry, readiness, document }))
  // Champions back in the model server before traffic arrives; releases a previous process left running are closed.
  await releases.restore()
  const shell = createHttpShell({
    routes,
    auth,
    bodies,
    metrics: http,
    logger,
    maxBodyBytes: 8 * 1024 * 1024,
    origins: { loopback: isLoopback(config.server.host), allowedOrigins: new Set() },
    fallback: app,
  })
  const fast = fastInfer
  const listener: RequestListener = fast ? (req, res) => void (fast(req, res) || shell.listener(req, res)) : shell.listener
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
