import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Authenticator, Principal } from './auth.ts'
import { assertModelAllowed, assertScope } from './auth.ts'
import { parseJsonBody, readBody, type BodyBudget } from './body.ts'
import { AppError, toAppError } from './errors.ts'
import { checkRequestOrigin, type OriginPolicy } from './request-guard.ts'
import type { Reply, RequestListener, Route, RouteInput } from './route.ts'
import { createRouter, routeLabel } from './router.ts'
import { parseOr400 } from './validate.ts'

/** Something that can be told about unexpected failures. */
export interface ErrorLogger {
  error(message: string, fields?: Record<string, unknown>): void
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

/**
 * Builds the shell. Each request goes, in this order: route match (404/405) → Host and Origin checks → key (401) →
 * scope and model limit (403) → path and query validation (400) → body, read only now, within its limit and the
 * shared budget (413/415/429/400) → the handler → its reply. Errors are mapped once (`toAppError`).
 */
export function createHttpShell(options: HttpShellOptions): HttpShell {
  const { auth, bodies, metrics, logger } = options
  const router = createRouter(options.routes)

  const run = async (route: Route, rawParams: Record<string, string>, search: string, req: IncomingMessage, res: ServerResponse): Promise<Reply> => {
    // Public routes (probes, the API document) ignore any key; every other route checks it before anything else.
    const principal: Principal = route.scope === 'public' ? PUBLIC : auth.authenticate(req.headers.authorization)
    if (route.scope !== 'public') assertScope(principal, route.scope)
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
      for (const [name, raw] of Object.entries(rawParams)) {
        try {
          params[name] = decodeURIComponent(raw)
        } catch {
          throw new AppError('bad_request', `path.${name}: malformed percent-encoding`)
        }
      }
      if (route.modelParam && route.scope !== 'public') assertModelAllowed(principal, params[route.modelParam]!)
      parsedParams = route.params ? parseOr400(route.params, params, 'path') : params
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
    const requestId = typeof req.headers['x-request-id'] === 'string' && REQUEST_ID.test(req.headers['x-request-id']) ? req.headers['x-request-id'] : randomUUID()
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
    const label = found.kind === 'found' ? routeLabel(found.match.route.path) : 'unmatched'
    const fail = (err: unknown) => {
      const { error, unexpected } = toAppError(err)
      if (unexpected) logger.error('unhandled error', { method: req.method, route: label, error: err instanceof Error ? (err.stack ?? err.message) : String(err) })
      writeError(res, error)
    }
    try {
      checkRequestOrigin(req, options.origins)
    } catch (err) {
      return fail(err)
    }
    res.once('finish', () => metrics.requestSeconds.observe({ method: req.method ?? 'GET', route: label, status: String(res.statusCode) }, (performance.now() - started) / 1000))
    if (found.kind === 'none') return fail(new AppError('not_found', `no route for ${req.method} ${path.slice(0, 200)}`))
    if (found.kind === 'method') {
      res.setHeader('allow', found.allow.map((m) => m.toUpperCase()).join(', '))
      return fail(new AppError('method_not_allowed', `${req.method} is not allowed on ${path.slice(0, 200)}; allowed: ${found.allow.map((m) => m.toUpperCase()).join(', ')}`))
    }
    run(found.match.route, found.match.params, q < 0 ? '' : url.slice(q + 1), req, res).then((reply) => writeReply(res, reply), fail)
  }
  const serves = (method: string, url: string): boolean => {
    const q = url.indexOf('?')
    const m = method.toLowerCase()
    return router.match(m === 'head' ? 'get' : m, q < 0 ? url : url.slice(0, q)).kind !== 'none'
  }
  return { listener, routes: options.routes, serves }
}
