import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Authenticator, Principal } from './auth.ts'
import { assertModelAllowed, assertScope } from './auth.ts'
import { parseJsonBody, readBody, type BodyBudget } from './body.ts'
import { AppError, toAppError } from './errors.ts'
import { checkRequestOrigin, type OriginPolicy } from './request-guard.ts'
import type { CorsPolicy, Reply, RequestListener, Route, RouteInput } from './route.ts'
import { createRouter, routeLabel } from './router.ts'
import { parseOr400 } from './validate.ts'

/** Something that can be told about unexpected failures. */
export interface ErrorLogger {
  error(message: string, fields?: Record<string, unknown>): void
}

/** One answered state-changing request on an operate or admin route: what the audit hook is told. */
export interface AuditedRequest {
  /** The key's id. */
  readonly actor: string
  /** `METHOD route-path`, e.g. `PATCH /v1/incidents/{id}`. */
  readonly action: string
  /** The path as requested. */
  readonly target: string
  /** The route's model parameter, when it has one. */
  readonly model?: string
  readonly status: number
  readonly requestId: string
  readonly atMs: number
}

/** What the shell needs: every component's routes and the shared edge services. */
export interface HttpShellOptions {
  readonly routes: readonly Route[]
  readonly auth: Authenticator
  readonly bodies: BodyBudget
  /** Where each answered request's latency goes (`HttpMetrics.requestSeconds`). */
  readonly metrics: { readonly requestSeconds: { observe(labels: { method: string; route: string; status: string }, seconds: number): void } }
  readonly logger: ErrorLogger
  /** Body limit of routes that set none, in bytes. */
  readonly maxBodyBytes: number
  readonly origins: OriginPolicy
  /**
   * Told of each non-GET request an operate or admin route answered, once the reply is sent (off the request's
   * path: it must not block or throw; the audit trail's writer queues and batches).
   */
  readonly audit?: (request: AuditedRequest) => void
  /** Epoch ms of an audited request (the service's clock). */
  readonly now?: () => number
}

/** The shell: one request listener for node:http, and the routes it serves (for the API document and tests). */
export interface HttpShell {
  readonly listener: RequestListener
  readonly routes: readonly Route[]
  /** True when a route answers this method and path (a 405 counts: the path is the shell's). */
  serves(method: string, url: string): boolean
}

// JSON is UTF-8 by definition (RFC 8259), and KServe's client compares the type to `application/json` exactly.
const JSON_TYPE = 'application/json'
const PUBLIC: Principal = { id: 'public', scopes: new Set() }
const REQUEST_ID = /^[\w.:-]{1,128}$/
/** Distinct path-parameter values remembered per route (see `validParams`). */
const PARAM_CACHE_SIZE = 256

function send(res: ServerResponse, status: number, headers: Readonly<Record<string, string>> | undefined, contentType: string | undefined, body: string | Buffer | undefined): void {
  if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v)
  if (body === undefined) {
    res.writeHead(status)
    res.end()
    return
  }
  res.writeHead(status, { 'content-type': contentType ?? JSON_TYPE, 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

function writeReply(res: ServerResponse, reply: Reply): void {
  if ('json' in reply) send(res, reply.status ?? 200, reply.headers, JSON_TYPE, JSON.stringify(reply.json))
  else if ('body' in reply) send(res, reply.status ?? 200, reply.headers, reply.contentType, reply.body)
  else send(res, reply.status, reply.headers, undefined, undefined)
}

/** Writes an error as `{error, code}` with its status (and `Retry-After`, `WWW-Authenticate` where they apply). */
export function writeError(res: ServerResponse, error: AppError): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const headers: Record<string, string> = {}
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds)
  if (error.code === 'unauthorized') headers['www-authenticate'] = 'Bearer realm="highway"'
  send(res, error.status, headers, JSON_TYPE, JSON.stringify({ error: error.message, code: error.code }))
}

function queryOf(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of new URLSearchParams(search)) {
    const had = out[k]
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v]
  }
  return out
}

const CORS_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

function originOf(req: IncomingMessage): string | undefined {
  const o = req.headers.origin
  return typeof o === 'string' && o !== '' && o !== 'null' ? o : undefined
}

/** Adds the CORS answer headers of a route for an allowed origin (before anything is written, so errors carry them too). */
function allowOrigin(res: ServerResponse, cors: CorsPolicy, origin: string): void {
  res.setHeader('access-control-allow-origin', origin)
  res.setHeader('vary', 'Origin')
  if (cors.exposeHeaders?.length) res.setHeader('access-control-expose-headers', cors.exposeHeaders.join(', '))
}

/**
 * Builds the shell. Each request goes, in this order: route match (404/405) → Host and Origin checks → key (401) →
 * scope and model limit (403) → path and query validation (400) → body, read only now, within its limit and the
 * shared budget (413/415/429/400) → the handler → its reply. Errors are mapped once (`toAppError`).
 */
export function createHttpShell(options: HttpShellOptions): HttpShell {
  const { auth, bodies, metrics, logger, audit } = options
  const now = options.now ?? Date.now
  const router = createRouter(options.routes)

  // Path parameters repeat (a model's name on every inference request): each route remembers the parses of the
  // values it saw last, so a repeat costs a map lookup rather than a schema run (measured: the path schema was
  // ~15 µs of a ~100 µs single-row inference). Frozen, as one answer serves many requests; bounded, and cleared whole.
  const paramCache = new Map<Route, Map<string, unknown>>()
  const validParams = (route: Route, params: Record<string, string>): unknown => {
    let key = ''
    for (const name in params) key += `${params[name]}\u0000`
    let cache = paramCache.get(route)
    if (cache === undefined) paramCache.set(route, (cache = new Map()))
    const hit = cache.get(key)
    if (hit !== undefined) return hit
    const parsed: unknown = parseOr400(route.params!, params, 'path')
    if (cache.size >= PARAM_CACHE_SIZE) cache.clear()
    cache.set(key, typeof parsed === 'object' && parsed !== null ? Object.freeze(parsed) : parsed)
    return parsed
  }

  // What the audit hook needs to know of a request once it is answered: who passed the scope check, on which model.
  interface Seen {
    principal?: Principal
    model?: string
  }
  const run = async (route: Route, rawParams: Record<string, string>, search: string, req: IncomingMessage, res: ServerResponse, requestId: string, seen: Seen): Promise<Reply> => {
    // Public routes (probes, the API document) ignore any key; every other route checks it before anything else.
    const principal: Principal = route.scope === 'public' ? PUBLIC : auth.authenticate(req.headers.authorization)
    if (route.scope !== 'public') assertScope(principal, route.scope)
    seen.principal = principal
    // Input refused from here to the handler is the caller's payload failing the route's rules: the route may count it.
    const refuse = (err: unknown): never => {
      if (err instanceof AppError && route.onRejected) {
        try {
          route.onRejected(err)
        } catch {
          // A counter's failure must not change the answer.
        }
      }
      throw err
    }
    let parsedParams: unknown
    let parsedQuery: unknown
    let body: unknown
    const maxBytes = route.maxBodyBytes ?? options.maxBodyBytes
    const read = () => readBody(req, res, { maxBytes, budget: bodies, ...(route.rawBody ? { accept: route.rawBody.accept } : {}) })
    try {
      const params: Record<string, string> = {}
      for (const name in rawParams) {
        const raw = rawParams[name]!
        // Most path parameters hold no escape: decoding is then the identity.
        if (!raw.includes('%')) params[name] = raw
        else {
          try {
            params[name] = decodeURIComponent(raw)
          } catch {
            throw new AppError('bad_request', `path.${name}: malformed percent-encoding`)
          }
        }
      }
      if (route.modelParam && route.scope !== 'public') {
        seen.model = params[route.modelParam]!
        assertModelAllowed(principal, seen.model)
      }
      parsedParams = route.params ? validParams(route, params) : params
      parsedQuery = route.query ? parseOr400(route.query, queryOf(search), 'query') : undefined
      if (route.body) {
        const raw = await read()
        body = parseOr400(route.body, raw.text.trim() === '' ? undefined : parseJsonBody(raw.text), 'body')
      }
    } catch (err) {
      // A model-limited key refused (403) is not a bad payload.
      if (err instanceof AppError && err.code === 'forbidden') throw err
      refuse(err)
    }
    const input: RouteInput<unknown, unknown, unknown> = { params: parsedParams, query: parsedQuery, body, principal, headers: req.headers, requestId, readBody: read }
    return route.handle(input)
  }

  const listener: RequestListener = (req, res) => {
    const started = performance.now()
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const path = q < 0 ? url : url.slice(0, q)
    const method = (req.method ?? 'GET').toLowerCase()
    const found = router.match(method === 'head' ? 'get' : method, path)
    const label = found.kind === 'found' ? found.match.label : 'unmatched'
    const fail = (err: unknown) => {
      const { error, unexpected } = toAppError(err)
      if (unexpected) logger.error('unhandled error', { method: req.method, route: label, error: err instanceof Error ? (err.stack ?? err.message) : String(err) })
      writeError(res, error)
    }
    const cors = found.kind === 'found' ? found.match.route.cors : undefined
    const origin = originOf(req)
    try {
      checkRequestOrigin(req, options.origins, cors ? (o) => cors.allows(o) : undefined)
    } catch (err) {
      return fail(err)
    }
    if (method === 'options' && found.kind !== 'found') {
      // A CORS preflight of a route that allows other origins; answered 204 as Alloy's faro.receiver (rs/cors) does,
      // with the allow headers for an allowed origin and none for another (the browser then refuses the request).
      const wanted = String(req.headers['access-control-request-method'] ?? '').toLowerCase()
      const target = CORS_METHODS.map((m) => router.match(m, path)).find((r) => r.kind === 'found' && r.match.route.cors !== undefined && r.match.route.method === wanted)
      const targetCors = target?.kind === 'found' ? target.match.route.cors : undefined
      const corsRoute = CORS_METHODS.map((m) => router.match(m, path)).find((r) => r.kind === 'found' && r.match.route.cors !== undefined)
      if (corsRoute?.kind === 'found') {
        const preflightLabel = routeLabel(corsRoute.match.route.path)
        res.once('finish', () => metrics.requestSeconds.observe({ method: 'OPTIONS', route: preflightLabel, status: String(res.statusCode) }, (performance.now() - started) / 1000))
        if (targetCors && origin !== undefined && targetCors.allows(origin)) {
          allowOrigin(res, targetCors, origin)
          res.setHeader('access-control-allow-methods', wanted.toUpperCase())
          res.setHeader('access-control-allow-headers', targetCors.allowHeaders.join(', '))
          if (targetCors.maxAgeSeconds !== undefined) res.setHeader('access-control-max-age', String(targetCors.maxAgeSeconds))
        } else res.setHeader('vary', 'Origin')
        return send(res, 204, undefined, undefined, undefined)
      }
    }
    if (cors && origin !== undefined && cors.allows(origin)) allowOrigin(res, cors, origin)
    res.once('finish', () => metrics.requestSeconds.observe({ method: req.method ?? 'GET', route: label, status: String(res.statusCode) }, (performance.now() - started) / 1000))
    if (found.kind === 'none') return fail(new AppError('not_found', `no route for ${req.method} ${path.slice(0, 200)}`))
    if (found.kind === 'method') {
      res.setHeader('allow', found.allow.map((m) => m.toUpperCase()).join(', '))
      return fail(new AppError('method_not_allowed', `${req.method} is not allowed on ${path.slice(0, 200)}; allowed: ${found.allow.map((m) => m.toUpperCase()).join(', ')}`))
    }
    const route = found.match.route
    const requestId = typeof req.headers['x-request-id'] === 'string' && REQUEST_ID.test(req.headers['x-request-id']) ? req.headers['x-request-id'] : randomUUID()
    const seen: Seen = {}
    if (audit && (route.scope === 'operate' || route.scope === 'admin') && method !== 'get' && method !== 'head') {
      // Only requests whose key passed the scope check: a 401 or a 403 for a missing scope is no use of such a key.
      // 'close' comes after 'finish', and also when the client went away before the reply was written.
      res.once('close', () => {
        if (!seen.principal) return
        try {
          audit({ actor: seen.principal.id, action: `${method.toUpperCase()} ${route.path}`, target: path.slice(0, 1024), ...(seen.model !== undefined ? { model: seen.model } : {}), status: res.statusCode, requestId, atMs: now() })
        } catch (err) {
          logger.error('audit hook failed', { route: label, error: err instanceof Error ? err.message : String(err) })
        }
      })
    }
    run(route, found.match.params, q < 0 ? '' : url.slice(q + 1), req, res, requestId, seen).then((reply) => writeReply(res, reply), fail)
  }
  const serves = (method: string, url: string): boolean => {
    const q = url.indexOf('?')
    const m = method.toLowerCase()
    return router.match(m === 'head' ? 'get' : m, q < 0 ? url : url.slice(0, q)).kind !== 'none'
  }
  return { listener, routes: options.routes, serves }
}
