import express, { type Express, type Request, type Response } from 'express'
import type { Registry } from 'prom-client'
import { join } from 'node:path'
import type { Config, ModelSpec } from '../config/index.ts'
import { assertModelAllowed, Authenticator, principalOf } from './auth.ts'
import { BodyBudget } from './body.ts'
import { DurableWriter, type IngestSink } from './durable-writer.ts'
import { AppError, errorHandler, type ErrorLogger } from './http-error.ts'
import { ingestRecords, readIngestRequest, type StoredRecordsReader } from './ingest.ts'
import { CollectorMetrics } from './metrics.ts'
import { openApiDocument } from './openapi.ts'
import { createRecordValidator, type RecordValidator } from './record-validator.ts'
import { Spool } from './spool.ts'

/** Per-model counters the collector reports; implemented by `store/`. */
export interface ModelCountsReader {
  readModelCounts(models: readonly string[]): Promise<Map<string, { predictions: number; labels: number; quarantined: number; lastPredictionAtMs: number | null }>>
}

/** Logger port: structured lines; the CLI writes them as JSON to stderr. */
export interface Logger extends ErrorLogger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
}

/** What the collector needs: the config slice, storage ports and where to spool. */
export interface CollectorOptions {
  readonly config: Pick<Config, 'models' | 'auth' | 'ingest' | 'storage'>
  readonly sink: IngestSink
  readonly reader: StoredRecordsReader & ModelCountsReader
  /** Whether an ingest failure is worth retrying later (transient) or a rejection. */
  readonly isTransient: (err: unknown) => boolean
  readonly logger: Logger
  readonly version?: string
  /** Clock, for tests of time-dependent validation. */
  readonly now?: () => number
  /** Serve the ingest endpoints (default true); off when only other components run in this process. */
  readonly ingest?: boolean
  /** Mounts more routes (other components) behind the same auth, metrics and error handling. */
  readonly extend?: (app: Express, tools: { auth: Authenticator; registry: Registry }) => void
}

/** A collector: its express app, the durable writer behind it, and its metrics. */
export interface Collector {
  readonly app: Express
  readonly writer: DurableWriter
  readonly metrics: CollectorMetrics
  readonly auth: Authenticator
  /** Request bodies being read, against `ingest.maxInflightBodyBytes`. */
  readonly bodies: BodyBudget
  /** Settles queued writes; the spool keeps what ClickHouse has not taken. */
  close(): Promise<void>
}

/** Builds the collector; a broken invariant (bad spool directory) throws here, not at the first request. */
export function createCollector(options: CollectorOptions): Collector {
  const { config, logger } = options
  const now = options.now ?? Date.now
  const validators = new Map<string, RecordValidator>(
    config.models.map((m: ModelSpec) => [m.name, createRecordValidator(m, { retentionDays: config.storage.retentionDays })]),
  )
  const spool = new Spool({ dir: config.ingest.spoolDir ?? join(config.storage.dataDir, 'spool'), maxBytes: config.ingest.spoolMaxBytes })
  // The metrics read the writer's state lazily, at scrape time, after both exist.
  const metrics: CollectorMetrics = new CollectorMetrics(() => ({ bytes: spool.bytes, entries: spool.entries, degraded: writer.degraded }))
  const writer: DurableWriter = new DurableWriter({
    sink: options.sink,
    spool,
    maxBatchRows: config.ingest.maxBatchRows,
    maxPendingBytes: config.ingest.maxPendingBytes,
    isTransient: options.isTransient,
    acknowledge: config.ingest.acknowledge,
    maxLagBytes: config.ingest.maxLagBytes,
    // `stored`: two groups in flight, so a request that arrives during an insert starts its own at once
    // (bench/RESULTS.md, ingest). `logged`: spool appends are group-committed one at a time.
    maxInFlight: config.ingest.acknowledge === 'stored' ? 2 : 1,
    events: {
      flushed: (rows, seconds, to) => {
        metrics.batchRows.observe({ to }, rows)
        metrics.flushSeconds.observe({ to }, seconds)
      },
      storageError: (operation, error) => {
        metrics.storageErrors.inc({ operation })
        logger.warn('storage error', { operation, error: error instanceof Error ? error.message : String(error) })
      },
      drained: (entry) => logger.info('spool entry drained', { entry }),
      refused: (table, rows, error) => {
        metrics.refusedRows.inc({ table }, rows)
        logger.error('ClickHouse refused rows; kept in spool/dead/', { table, rows, error: error instanceof Error ? error.message : String(error) })
      },
      buried: (entry, error) => {
        metrics.deadLetters.inc()
        logger.error('spool entry refused by ClickHouse, moved to dead/', { entry, error: error instanceof Error ? error.message : String(error) })
      },
    },
  })
  writer.start()
  const durable = writer
  const auth = new Authenticator(config.auth.keys)
  const bodies = new BodyBudget(config.ingest.maxInflightBodyBytes)
  const app = express()
  app.disable('x-powered-by')
  app.set('query parser', 'simple')

  app.use((req, res, next) => {
    const started = performance.now()
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched'
      metrics.requestSeconds.observe({ method: req.method, route, status: String(res.statusCode) }, (performance.now() - started) / 1000)
    })
    next()
  })

  const validatorFor = (name: string): RecordValidator => {
    const v = validators.get(name)
    if (!v) throw new AppError('not_found', `model "${name.slice(0, 128)}" is not configured (configured: ${[...validators.keys()].join(', ') || 'none'})`)
    return v
  }

  const ingestRoute = (kind: 'prediction' | 'label') => async (req: Request, res: Response) => {
    const request = await readIngestRequest(req, { maxBodyBytes: config.ingest.maxBodyBytes, maxRecords: config.ingest.maxRecordsPerRequest, budget: bodies })
    assertModelAllowed(principalOf(res), request.model)
    const validator = validatorFor(request.model)
    const attemptHeader = Number(req.headers['x-highway-attempt'] ?? 1)
    const attempt = Number.isInteger(attemptHeader) && attemptHeader > 0 ? attemptHeader : 1
    const result = await ingestRecords(kind, request, { validator, writer: durable, reader: options.reader, metrics, attempt, nowMs: now() })
    res.status(202).json(result)
  }

  if (options.ingest !== false) {
    app.post('/v1/predictions', auth.require('ingest'), ingestRoute('prediction'))
    app.post('/v1/labels', auth.require('ingest'), ingestRoute('label'))
  }

  const summarise = async (models: readonly ModelSpec[]) => {
    const counts = await options.reader.readModelCounts(models.map((m) => m.name))
    return models.map((m) => {
      const c = counts.get(m.name)
      return {
        name: m.name,
        task: m.task,
        predictions: c?.predictions ?? 0,
        labels: c?.labels ?? 0,
        quarantined: c?.quarantined ?? 0,
        last_prediction_at: c?.lastPredictionAtMs ? new Date(c.lastPredictionAtMs).toISOString() : null,
      }
    })
  }
  app.get('/v1/models', auth.require('read'), async (_req, res) => {
    const principal = principalOf(res)
    res.json({ models: await summarise(config.models.filter((m) => !principal.models || principal.models.has(m.name))) })
  })
  app.get('/v1/models/:name', auth.require('read'), async (req, res) => {
    const name = String(req.params.name)
    assertModelAllowed(principalOf(res), name)
    const [summary] = await summarise([validatorFor(name).model])
    res.json(summary)
  })

  app.get('/metrics', auth.require('read'), async (_req, res) => {
    // The series carry every model's name and counts, so a key limited to some models may not read them.
    const principal = principalOf(res)
    if (principal.models) throw new AppError('forbidden', `key "${principal.id}" is limited to some models; /metrics covers every model, so it needs a key without a model limit`)
    res.setHeader('Content-Type', metrics.registry.contentType)
    res.send(await metrics.registry.metrics())
  })
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' })
  })
  app.get('/readyz', (_req, res) => {
    // 503 whenever a record might not be made durable at once: ClickHouse inserts failing, the spool full or unwritable.
    const r = durable.readiness()
    res.status(r.ready ? 200 : 503).json({
      ready: r.ready,
      storage: r.storage,
      spool: { bytes: spool.bytes, entries: spool.entries, max_bytes: spool.maxBytes, state: r.spool },
      reasons: r.reasons,
    })
  })
  const doc = openApiDocument(options.version ?? '0.0.0')
  app.get('/openapi.json', (_req, res) => {
    res.json(doc)
  })
  options.extend?.(app, { auth, registry: metrics.registry })
  app.use((req, _res, next) => next(new AppError('not_found', `no route for ${req.method} ${req.path.slice(0, 200)}`)))
  app.use(errorHandler(logger))

  return { app, writer: durable, metrics, auth, bodies, close: () => durable.close() }
}
