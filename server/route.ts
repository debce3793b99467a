import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod'
import type { Scope } from '../config/index.ts'
import type { Principal } from './auth.ts'
import type { BodyFormat, RawBody } from './body.ts'
import type { AppError } from './errors.ts'

/** The HTTP methods routes use. */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'

/** Who may call a route: a key with this scope, or anyone (`public`: health, probes, the API document). */
export type RouteScope = Scope | 'public'

/** One documented answer of a route. */
export interface ResponseSpec {
  readonly description: string
  /** JSON body schema (documentation; the handler builds the value). */
  readonly schema?: z.ZodType
  /** Other than application/json: `text/plain`, `application/octet-stream`, `text/html`. */
  readonly contentType?: string
}

/**
 * Cross-origin access to one route, for browser apps on other origins (the Faro intake). The cross-site guard lets
 * a state-changing request through when `allows(origin)`; the shell answers the CORS preflight (`OPTIONS`) and adds
 * `Access-Control-Allow-Origin` to every answer of the route, errors included, for those origins only.
 */
export interface CorsPolicy {
  allows(origin: string): boolean
  /** Request headers a page may send (`Access-Control-Allow-Headers`), lower case. */
  readonly allowHeaders: readonly string[]
  /** Answer headers a page may read (`Access-Control-Expose-Headers`). */
  readonly exposeHeaders?: readonly string[]
  /** How long a browser may cache the preflight, in seconds. */
  readonly maxAgeSeconds?: number
}

/** What a handler answers: a JSON value, or bytes with their type. Handlers never touch the response object. */
export type Reply =
  | { readonly status?: number; readonly headers?: Readonly<Record<string, string>>; readonly json: unknown }
  | { readonly status?: number; readonly headers?: Readonly<Record<string, string>>; readonly body: string | Buffer; readonly contentType: string }
  | { readonly status: 204; readonly headers?: Readonly<Record<string, string>> }

/** What a handler is given: parsed, validated input and who is calling. */
export interface RouteInput<P, Q, B> {
  readonly params: P
  readonly query: Q
  readonly body: B
  readonly principal: Principal
  readonly headers: IncomingHttpHeaders
  /** A per-request id (the `X-Request-Id` header when the client sent one), for logs and the audit trail. */
  readonly requestId: string
  /** For `rawBody` routes: reads the body within the route's limit and the shared budget. */
  readonly readBody: () => Promise<RawBody>
}

/** A route before type erasure: zod schemas for each input, and the handler that sees only their output. */
export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  readonly method: HttpMethod
  /** OpenAPI-style template: `/v1/models/{name}/drift`. */
  readonly path: string
  readonly scope: RouteScope
  readonly summary: string
  readonly description?: string
  readonly tags?: readonly string[]
  /** Path parameter that names a model: a key limited to other models gets 403 before any body is read. */
  readonly modelParam?: string
  readonly params?: P
  readonly query?: Q
  /** JSON body schema: the shell reads (after auth), parses and validates it; a failure is a 400 naming the field. */
  readonly body?: B
  /** The handler reads the body itself through `input.readBody()` (NDJSON, gzip, binary), within the same limits. */
  readonly rawBody?: { readonly accept: readonly BodyFormat[]; readonly description: string; readonly schema?: z.ZodType }
  /** Largest body, in bytes (default: the shell's). */
  readonly maxBodyBytes?: number
  /** Browser pages of other origins that may call this route (CORS); none when absent. */
  readonly cors?: CorsPolicy
  /**
   * Told when the shell refuses the request's input before the handler runs (path, query or body validation, a
   * body that is not JSON, too large or of the wrong type): for a route's own counters, such as the Alertmanager
   * intake's `invalid` outcome. It cannot change the answer; a throw from it is ignored.
   */
  readonly onRejected?: (error: AppError) => void
  readonly responses: Readonly<Record<number, ResponseSpec>>
  readonly handle: (input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<Reply> | Reply
}

/** A route as the shell holds it, its types erased. */
export interface Route {
  readonly method: HttpMethod
  readonly path: string
  readonly scope: RouteScope
  readonly summary: string
  readonly description?: string
  readonly tags?: readonly string[]
  readonly modelParam?: string
  readonly params?: z.ZodType
  readonly query?: z.ZodType
  readonly body?: z.ZodType
  readonly rawBody?: { readonly accept: readonly BodyFormat[]; readonly description: string; readonly schema?: z.ZodType }
  readonly maxBodyBytes?: number
  readonly cors?: CorsPolicy
  readonly onRejected?: (error: AppError) => void
  readonly responses: Readonly<Record<number, ResponseSpec>>
  readonly handle: (input: RouteInput<unknown, unknown, unknown>) => Promise<Reply> | Reply
}

/** Declares a route; the handler's input types come from its schemas. */
export function defineRoute<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(spec: RouteSpec<P, Q, B>): Route {
  // The shell only calls `handle` with values its schemas produced, so erasing the types here is safe.
  return spec as unknown as Route
}

/** What the shell needs to serve one raw request (the node:http pair), exposed for the front that owns the server. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void
