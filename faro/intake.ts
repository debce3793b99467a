import { timingSafeEqual, createHash } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { z } from 'zod'
import type { FaroApp, FaroConfig, Task } from '../config/index.ts'
import { AppError, defineRoute, describeIssues, errorBodySchema, parseJsonBody, type CorsPolicy, type Route } from '../server/index.ts'
import { createRecentBatches } from './idempotency.ts'
import type { FaroMetrics, PayloadOutcome } from './metrics.ts'
import { faroPayloadSchema } from './payload.ts'
import type { FaroEventStore, FaroLabelRecord, FaroLabelSink } from './ports.ts'
import { createRateLimiter } from './rate-limit.ts'
import { labelValue, payloadRows, type FaroEventRow, type LabelOutcome } from './rows.ts'

/** What the intake needs: the `faro` config block, the models (for label values), storage and the label path. */
export interface FaroIntakeOptions {
  readonly config: FaroConfig
  readonly models: ReadonlyArray<{ readonly name: string; readonly task: Task }>
  readonly events: FaroEventStore
  readonly labels: FaroLabelSink
  readonly metrics: FaroMetrics
  readonly now: () => number
}

/** The intake: its route, and the CORS policy it carries (exported for tests and the docs). */
export interface FaroIntake {
  readonly routes: readonly Route[]
  readonly cors: CorsPolicy
}

/** Alloy's `faro.receiver` allowed request headers (handler.go `defaultAllowedHeaders`), plus the SDK's `idempotency-key`. */
export const FARO_ALLOWED_HEADERS = ['content-type', 'content-encoding', 'traceparent', 'x-api-key', 'x-faro-session-id', 'x-scope-orgid', 'idempotency-key'] as const

const IDEMPOTENCY_KEY = /^[\w.:-]{1,128}$/
const acceptedSchema = z.object({
  accepted: z.number().describe('Rows stored (events, measurements, logs, exceptions).'),
  duplicate: z.boolean().describe('True when this Idempotency-Key was stored already: nothing was stored again.'),
  labels: z.object({ accepted: z.number(), quarantined: z.number(), refused: z.number() }),
})
type Accepted = z.infer<typeof acceptedSchema>

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name]
  return typeof v === 'string' ? v : undefined
}

function sameKey(given: string | undefined, want: string): boolean {
  // Digests of equal length, so the comparison takes the same time whatever the given key's length.
  const a = createHash('sha256').update(given ?? '').digest()
  const b = createHash('sha256').update(want).digest()
  return given !== undefined && timingSafeEqual(a, b)
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase()
  } catch {
    return false
  }
}

/**
 * `POST /v1/faro`, answering as Grafana Alloy's `faro.receiver`: 202 once stored; 400 for bad gzip, JSON or fields;
 * 401 for a wrong `x-api-key`; 413 over `faro.maxBodyBytes`; 429 with Retry-After over `faro.ratePerMinute` per app.
 * A `label` event becomes a label of its model (only models the app lists) through the collector's validation.
 */
export function createFaroIntake(options: FaroIntakeOptions): FaroIntake {
  const { config, metrics, now } = options
  const apps = new Map<string, FaroApp>(config.apps.map((a) => [a.name, a]))
  const tasks = new Map(options.models.map((m) => [m.name, m.task]))
  const origins = new Set(config.apps.flatMap((a) => a.allowedOrigins))
  const limiter = createRateLimiter({ ratePerMinute: config.ratePerMinute })
  // A day of keys, at most 100k: the SDK retries within minutes (3 attempts, 30 s backoff at most).
  const recent = createRecentBatches({ maxKeys: 100_000, ttlMs: 86_400_000 })
  const cors: CorsPolicy = { allows: (o) => origins.has(o), allowHeaders: FARO_ALLOWED_HEADERS, exposeHeaders: ['retry-after'], maxAgeSeconds: 600 }

  const count = (app: string, outcome: PayloadOutcome) => metrics.payloads.inc({ app, outcome })
  const refuse = (app: string, outcome: PayloadOutcome, error: AppError): never => {
    count(app, outcome)
    throw error
  }

  const store = async (app: FaroApp, rows: FaroEventRow[], labels: ReturnType<typeof payloadRows>['labels'], key: string | undefined, nowMs: number): Promise<Accepted> => {
    const outcome = new Map<number, { outcome: LabelOutcome; error: string }>()
    const byModel = new Map<string, Array<{ row: number; record: FaroLabelRecord }>>()
    for (const l of labels) {
      const task = tasks.get(l.model)
      if (!app.models.includes(l.model) || task === undefined) {
        // The configured names are not listed: the page's author learns only that this model is not theirs.
        outcome.set(l.row, { outcome: 'refused', error: `model: app "${app.name}" may not send labels for model "${l.model.slice(0, 128)}" (faro.apps[].models)` })
        continue
      }
      const list = byModel.get(l.model) ?? []
      list.push({ row: l.row, record: { id: l.predictionId, label: labelValue(l.label, task), ts: l.tsMs } })
      byModel.set(l.model, list)
    }
    for (const [model, list] of byModel) {
      const result = await options.labels.submitLabels(model, list.map((x) => x.record), nowMs)
      const bad = new Map(result.rejected.map((r) => [r.index, r.errors.join('; ')]))
      list.forEach((x, i) => outcome.set(x.row, bad.has(i) ? { outcome: 'quarantined', error: bad.get(i)! } : { outcome: 'accepted', error: '' }))
    }
    const marked = rows.map((r, i) => {
      const o = outcome.get(i)
      return o ? { ...r, labelOutcome: o.outcome, labelError: o.error } : r
    })
    await options.events.insertEvents(marked, key === undefined ? undefined : `faro/${app.name}/${key}`)
    const tally = (o: LabelOutcome) => [...outcome.values()].filter((x) => x.outcome === o).length
    return { accepted: marked.length, duplicate: false, labels: { accepted: tally('accepted'), quarantined: tally('quarantined'), refused: tally('refused') } }
  }

  const route = defineRoute({
    method: 'post',
    path: '/v1/faro',
    scope: 'public',
    tags: ['collector'],
    summary: 'Grafana Faro web SDK intake (events, measurements, logs, exceptions); `label` events become labels',
    description:
      'The body the Faro web SDK\'s fetch transport sends, JSON, optionally gzip-encoded. Authenticated by the app\'s public `x-api-key` (faro.apps[].apiKey), not by a Highway key: browsers hold no secret. CORS for `faro.apps[].allowedOrigins`. A batch retried with the same `Idempotency-Key` is stored once.',
    rawBody: { accept: ['json'], description: 'A Faro payload: `{meta, events?, measurements?, logs?, exceptions?, traces?}`.', schema: faroPayloadSchema },
    maxBodyBytes: config.maxBodyBytes,
    cors,
    responses: {
      202: { description: 'Stored', schema: acceptedSchema },
      400: { description: 'Bad gzip, JSON or field (named); or an app that is not configured', schema: errorBodySchema },
      401: { description: 'Wrong or missing `x-api-key` for an app that has one', schema: errorBodySchema },
      403: { description: 'Sent from an origin the app does not allow', schema: errorBodySchema },
      413: { description: 'Body over `faro.maxBodyBytes` (5 MiB by default)', schema: errorBodySchema },
      429: { description: 'Over `faro.ratePerMinute` for the app; see Retry-After', schema: errorBodySchema },
    },
    handle: async ({ headers, readBody }) => {
      let body
      try {
        body = await readBody()
      } catch (err) {
        if (err instanceof AppError && err.code === 'payload_too_large') refuse('unknown', 'too_large', err)
        if (err instanceof AppError && err.code === 'bad_request') refuse('unknown', 'invalid', err)
        throw err
      }
      let doc: unknown
      try {
        doc = parseJsonBody(body.text)
      } catch (err) {
        return refuse('unknown', 'invalid', err as AppError)
      }
      const parsed = faroPayloadSchema.safeParse(doc)
      if (!parsed.success) return refuse('unknown', 'invalid', new AppError('bad_request', describeIssues(parsed.error, 'body')))
      const name = parsed.data.meta.app?.name
      const app = name === undefined ? undefined : apps.get(name)
      if (!app) {
        return refuse('unknown', 'invalid', new AppError('bad_request', name === undefined ? 'body.meta.app.name: is required (the SDK\'s app.name)' : `body.meta.app.name: "${name.slice(0, 128)}" is not a configured Faro app (faro.apps[].name)`))
      }
      if (app.apiKey !== undefined && !sameKey(header(headers, 'x-api-key'), app.apiKey)) {
        return refuse(app.name, 'unauthorized', new AppError('unauthorized', header(headers, 'x-api-key') === undefined ? 'x-api-key: is required for this app' : 'x-api-key: is not the key of this app'))
      }
      const origin = header(headers, 'origin')
      if (origin !== undefined && origin !== 'null' && !app.allowedOrigins.includes(origin) && !sameOrigin(origin, header(headers, 'host'))) {
        return refuse(app.name, 'forbidden', new AppError('forbidden', `origin ${JSON.stringify(origin.slice(0, 100))} is not one of app "${app.name}"'s faro.apps[].allowedOrigins`))
      }
      const nowMs = now()
      const allowed = limiter.take(app.name, nowMs)
      if (!allowed.ok) return refuse(app.name, 'rate_limited', new AppError('overloaded', `app "${app.name}" sent more than ${config.ratePerMinute} payloads a minute (faro.ratePerMinute)`, { retryAfterSeconds: allowed.retryAfterSeconds }))
      const rawKey = header(headers, 'idempotency-key')
      if (rawKey !== undefined && !IDEMPOTENCY_KEY.test(rawKey)) return refuse(app.name, 'invalid', new AppError('bad_request', 'Idempotency-Key: must be 1–128 letters, digits, "_", ".", ":" or "-"'))
      const { rows, labels } = payloadRows(parsed.data, { app: app.name, receivedAtMs: nowMs, idempotencyKey: rawKey ?? '', ...(header(headers, 'x-faro-session-id') ? { sessionHeader: header(headers, 'x-faro-session-id')! } : {}) })
      const run = () => store(app, rows, labels, rawKey, nowMs)
      try {
        if (rawKey === undefined) {
          const result = await run()
          count(app.name, 'accepted')
          return { status: 202, json: result }
        }
        const { first, result } = recent.once(`${app.name}/${rawKey}`, nowMs, run)
        const answer = await result
        count(app.name, first ? 'accepted' : 'duplicate')
        return { status: 202, json: first ? answer : { ...answer, duplicate: true } }
      } catch (err) {
        count(app.name, 'unavailable')
        throw err
      }
    },
  })
  return { routes: [route], cors }
}
