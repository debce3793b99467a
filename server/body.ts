import type { IncomingMessage, ServerResponse } from 'node:http'
import { promisify } from 'node:util'
import { gunzip, inflate } from 'node:zlib'
import { AppError } from './errors.ts'

const gunzipAsync = promisify(gunzip)
const inflateAsync = promisify(inflate)

/** A request body's formats: one JSON document, NDJSON lines (ingest), or bytes (`application/octet-stream`). */
export type BodyFormat = 'json' | 'ndjson' | 'binary'

/** A request body read within limits: its text, its bytes (decompressed) and its format. */
export interface RawBody {
  readonly text: string
  readonly bytes: Buffer
  readonly format: BodyFormat
}

const MEDIA_TYPES: Record<BodyFormat, string> = { json: 'application/json', ndjson: 'application/x-ndjson', binary: 'application/octet-stream' }

/** The media type a body format is sent as. */
export function mediaTypeOf(format: BodyFormat): string {
  return MEDIA_TYPES[format]
}


/** Bytes of bodies held by requests in progress, shared by all requests: parsing a body costs many times its size. */
export class BodyBudget {
  #used = 0
  readonly #max: number
  readonly #held = new WeakMap<IncomingMessage, number>()
  constructor(maxBytes: number) {
    this.#max = maxBytes
  }

  /** Bytes held now. */
  get used(): number {
    return this.#used
  }

  /** Takes `bytes` if they fit, for the life of the request (released when its response closes). */
  take(req: IncomingMessage, res: ServerResponse, bytes: number): boolean {
    if (this.#used + bytes > this.#max) return false
    this.#used += bytes
    const held = this.#held.get(req)
    if (held === undefined) {
      res.once('close', () => {
        this.#used -= this.#held.get(req) ?? 0
        this.#held.delete(req)
      })
    }
    this.#held.set(req, (held ?? 0) + bytes)
    return true
  }
}

const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl'])

/**
 * The body's format from its Content-Type. No type is JSON (tritonclient sends none). The types a cross-site
 * HTML form or a no-CORS fetch can send (text/plain, form encodings) are refused, so a page on another origin
 * cannot drive a state change on a keyless loopback Highway.
 */
export function bodyFormatOf(contentType: string | undefined, accept: readonly BodyFormat[]): BodyFormat {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  const format: BodyFormat | undefined =
    type === '' || type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type) ? 'json' : NDJSON_TYPES.has(type) ? 'ndjson' : type === 'application/octet-stream' ? 'binary' : undefined
  if (format === undefined || !accept.includes(format)) {
    const wanted = accept.map(mediaTypeOf).join(' or ')
    throw new AppError('unsupported_media_type', `Content-Type must be ${wanted}, got ${JSON.stringify(type.slice(0, 100))}`)
  }
  return format
}

// Leaving a body half-read on a keep-alive connection leaks it: Node keeps the socket open, paused, even after the
// client hangs up (measured on Node 20: a chunked upload over the limit kept one socket per request and made
// server.close() wait forever). Answering with `Connection: close` makes Node close the socket once the answer is written.
function closeAfterAnswer(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close')
}

/**
 * The raw bytes of a body, with 'data' events rather than the stream's async iterator (measured: the iterator's
 * promise per chunk and its end-of-stream bookkeeping were a visible share of a single-row inference request).
 * Over the limit: 413; over the shared budget: 429; the client hanging up mid-body: 400. Either way the rest of the
 * body is drained, and the answer closes the connection.
 */
function readChunks(req: IncomingMessage, res: ServerResponse, maxBytes: number, budget: BodyBudget | undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Read before (a second read of one request): the iterator would end at once; so does this.
    if (req.readableEnded) return resolve(Buffer.alloc(0))
    const chunks: Buffer[] = []
    let size = 0
    const done = (err: AppError | undefined) => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('close', onClose)
      if (err === undefined) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))
      else reject(err)
    }
    const refuse = (err: AppError) => {
      req.resume()
      closeAfterAnswer(res)
      done(err)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) return refuse(new AppError('payload_too_large', `body is over the limit of ${maxBytes} bytes`))
      if (budget && !budget.take(req, res, chunk.length)) return refuse(new AppError('overloaded', 'too many request bodies are being read at once; retry shortly', { retryAfterSeconds: 1 }))
      chunks.push(chunk)
    }
    const onEnd = () => done(undefined)
    // The client hung up mid-body ("aborted"): its fault, not ours, so not an unexpected 500 in the error log.
    const onError = (err: Error) => done(new AppError('bad_request', `body was cut off before it was complete (${err.message})`))
    const onClose = () => {
      if (!req.complete) done(new AppError('bad_request', 'body was cut off before it was complete (aborted)'))
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('close', onClose)
  })
}

/**
 * Reads the body, bounded before and after decompression (a gzip bomb gets 413, not memory) and against the budget
 * of bodies in flight (429). A client that hangs up mid-body gets a 400, not a 500.
 */
export async function readBody(req: IncomingMessage, res: ServerResponse, limits: { maxBytes: number; budget?: BodyBudget; accept?: readonly BodyFormat[] }): Promise<RawBody> {
  const { maxBytes, budget } = limits
  const format = bodyFormatOf(req.headers['content-type'], limits.accept ?? ['json'])
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > maxBytes) {
    closeAfterAnswer(res)
    throw new AppError('payload_too_large', `body of ${declared} bytes is over the limit of ${maxBytes} bytes`)
  }
  let buf = await readChunks(req, res, maxBytes, budget)
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase()
  if (encoding === 'gzip' || encoding === 'deflate') {
    try {
      buf = encoding === 'gzip' ? await gunzipAsync(buf, { maxOutputLength: maxBytes }) : await inflateAsync(buf, { maxOutputLength: maxBytes })
    } catch (err) {
      const code = (err as { code?: string }).code
      if (code === 'ERR_BUFFER_TOO_LARGE') throw new AppError('payload_too_large', `decompressed body is over the limit of ${maxBytes} bytes`)
      throw new AppError('bad_request', `body is not valid ${encoding}: ${(err as Error).message}`)
    }
  } else if (encoding !== 'identity') {
    throw new AppError('unsupported_media_type', `Content-Encoding must be gzip, deflate or identity, got ${JSON.stringify(encoding.slice(0, 100))}`)
  }
  // Decoded on first use: a binary body has no text, and a JSON handler never asks for the bytes.
  const bytes = buf
  let text: string | undefined
  return {
    get text() {
      return (text ??= bytes.toString('utf8'))
    },
    bytes,
    format,
  }
}

/** Parses a JSON body, naming the parse error. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new AppError('bad_request', `body is not valid JSON: ${(err as Error).message.slice(0, 200)}`)
  }
}
