import type { IncomingMessage, ServerResponse } from 'node:http'
import { AppError, type Authenticator } from '../server/index.ts'
import type { ModelServer } from './model-server.ts'
import { answerInfer, sendJson } from './routes.ts'

/** Options of the fast inference path. */
export interface FastInferOptions {
  readonly server: ModelServer
  readonly auth: Authenticator
  /** Largest body accepted, in bytes (default 8 MiB, as the express route). */
  readonly maxBodyBytes?: number
  /** Told about every answered request (the collector's HTTP histogram), with the route template. */
  readonly observe?: (route: string, status: number, seconds: number) => void
  readonly logger?: { error(message: string, fields?: Record<string, unknown>): void }
}

const INFER_PATH = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?\/infer$/

/**
 * `POST /v2/models/{m}[/versions/{v}]/infer` on plain node:http, in front of express. The serving benchmark
 * measured express 5 with express.json() alone at ~0.6 of a bare node:http server on single-row requests, below the
 * 0.7 target for the whole of Highway's path; this handler does what the express stack does for these two routes —
 * bearer auth with the `ingest` scope and the key's model limit, a bounded JSON body, the same validation and
 * answers (`answerInfer`), errors as `{error, code}` with the AppError status, the HTTP histogram — and nothing
 * else. Returns false for any other request, which then goes to express.
 */
export function createFastInfer(options: FastInferOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const limit = options.maxBodyBytes ?? 8 * 1024 * 1024
  return (req, res) => {
    if (req.method !== 'POST' || !req.url) return false
    const q = req.url.indexOf('?')
    const match = INFER_PATH.exec(q < 0 ? req.url : req.url.slice(0, q))
    if (!match) return false
    const started = performance.now()
    const route = match[2] === undefined ? '/v2/models/:model/infer' : '/v2/models/:model/versions/:version/infer'
    const fail = (err: unknown) => {
      let e: AppError
      if (err instanceof AppError) e = err
      else {
        options.logger?.error('unhandled error', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) })
        e = new AppError('internal', 'internal error')
      }
      if (res.headersSent) {
        res.destroy()
        return
      }
      if (e.code === 'unauthorized') res.setHeader('WWW-Authenticate', 'Bearer realm="highway"')
      if (e.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(e.retryAfterSeconds))
      sendJson(res, { error: e.message, code: e.code }, e.status)
    }
    res.once('finish', () => options.observe?.(route, res.statusCode, (performance.now() - started) / 1000))
    void (async () => {
      let model: string
      let version: string | undefined
      try {
        model = decodeURIComponent(match[1]!)
        version = match[2] === undefined ? undefined : decodeURIComponent(match[2])
      } catch {
        throw new AppError('bad_request', 'path: malformed percent-encoding')
      }
      const principal = options.auth.authenticate(req.headers.authorization)
      if (!principal.scopes.has('ingest')) throw new AppError('forbidden', `key "${principal.id}" lacks the "ingest" scope`)
      if (principal.models && !principal.models.has(model)) throw new AppError('forbidden', `key "${principal.id}" may not access model "${model}"`)
      const type = req.headers['content-type'] ?? ''
      if (!/^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(type)) throw new AppError('unsupported_media_type', `Content-Type: must be application/json, got ${JSON.stringify(type.slice(0, 64))}`)
      const text = await readText(req, limit)
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch (err) {
        throw new AppError('bad_request', `body is not valid JSON: ${(err as Error).message.slice(0, 200)}`)
      }
      sendJson(res, await answerInfer(options.server, model, version, body))
    })().catch(fail)
    return true
  }
}

function readText(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > limit) {
      req.resume()
      reject(new AppError('payload_too_large', `body: at most ${limit} bytes, Content-Length says ${declared}`))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > limit) {
        req.destroy()
        reject(new AppError('payload_too_large', `body: at most ${limit} bytes`))
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
