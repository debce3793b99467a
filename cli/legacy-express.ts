import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express'
import type { Scope } from '../config/index.ts'
import { AppError, assertModelAllowed, assertScope, toAppError, writeError, type Authenticator, type HttpMetrics, type Logger, type Principal } from '../server/index.ts'

/**
 * The express app the components not yet moved onto the HTTP shell still mount on (transitional: removed once
 * every component exports routes). Same auth, error answers and 404s as the shell.
 */
export function createLegacyApp(options: { auth: Authenticator; logger: Logger; metrics?: HttpMetrics }): {
  app: Express
  requireScope: (scope: Scope) => RequestHandler
  principalOf: (res: { locals: Record<string, unknown> }) => Principal
  assertModelAllowed: (res: { locals: Record<string, unknown> }, model: string) => void
  finish(): void
} {
  const app = express()
  app.disable('x-powered-by')
  app.set('query parser', 'simple')
  app.use((req, res, next) => {
    const started = performance.now()
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched'
      options.metrics?.requestSeconds.observe({ method: req.method, route, status: String(res.statusCode) }, (performance.now() - started) / 1000)
    })
    next()
  })
  const principalOf = (res: { locals: Record<string, unknown> }) => res.locals.principal as Principal
  const requireScope = (scope: Scope): RequestHandler => (req, res, next) => {
    const principal = options.auth.authenticate(req.headers.authorization)
    assertScope(principal, scope)
    res.locals.principal = principal
    next()
  }
  const errors: ErrorRequestHandler = (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err)
    let mapped = toAppError(err)
    // Body parsers and other components' errors carry a 4xx status.
    const status = (err as { status?: unknown } | null)?.status
    if (mapped.unexpected && typeof status === 'number' && status >= 400 && status < 500) {
      mapped = { error: new AppError(status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status === 404 ? 'not_found' : status === 409 ? 'conflict' : 'bad_request', (err as Error).message), unexpected: false }
    }
    if (mapped.unexpected) options.logger.error('unhandled error', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) })
    writeError(res, mapped.error)
  }
  return {
    app,
    requireScope,
    principalOf,
    assertModelAllowed: (res, model) => assertModelAllowed(principalOf(res), model),
    finish() {
      app.use((req, _res, next) => next(new AppError('not_found', `no route for ${req.method} ${req.path.slice(0, 200)}`)))
      app.use(errors)
    },
  }
}

const errorRef = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), { description: 'error', ...errorRef }]))

/** The hand-written API document of the components not yet on the shell (transitional, as `createLegacyApp`). */
export function legacyOpenApiPaths(): Record<string, Record<string, unknown>> {
  const model = { name: 'name', in: 'path', required: true, schema: { type: 'string' } }
  const window = ['from', 'to', 'version'].map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } }))
  const get = (summary: string) => ({
    get: { summary, security: [{ bearer: ['read'] }], parameters: [model, ...window], responses: { '200': { description: summary }, ...errors(400, 401, 403, 404, 409) } },
  })
  return {
    '/v1/models/{name}/reference': {
      post: { summary: 'Set the reference from records ({records, version?}) or a stored window ({from, to, version?})', security: [{ bearer: ['operate'] }], parameters: [model], responses: { '201': { description: 'Reference summary' }, ...errors(400, 401, 403, 404) } },
    },
    '/v1/models/{name}/analysis/run': {
      post: { summary: 'Run drift, quality and performance for {from, to, version?} now and store them', security: [{ bearer: ['operate'] }], parameters: [model], responses: { '200': { description: '{drift, quality, performance}' }, ...errors(400, 401, 403, 404) } },
    },
    '/v1/models/{name}/drift': get('Drift of a window against the reference'),
    '/v1/models/{name}/quality': get('Data quality of a window'),
    '/v1/models/{name}/performance': get('Realised and estimated (CBPE) performance of a window'),
  }
}
