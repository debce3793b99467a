import { z } from 'zod'
import type { Registry } from 'prom-client'
import { AppError } from './errors.ts'
import { defineRoute, type Route } from './route.ts'

/** One component's readiness: whether it can do its work now, and what it reports about itself. */
export interface ReadinessReport {
  readonly ready: boolean
  readonly fields: Readonly<Record<string, unknown>>
}

/** What the service-wide routes need: the metrics registry, each component's readiness, and the API document. */
export interface SystemRoutesOptions {
  readonly registry: Registry
  readonly readiness: ReadonlyArray<() => ReadinessReport>
  readonly document: () => Record<string, unknown>
}

/** `GET /metrics`, `/healthz`, `/readyz` and `/openapi.json`. */
export function systemRoutes(options: SystemRoutesOptions): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/metrics',
      scope: 'read',
      summary: 'Prometheus metrics of every component in this process',
      responses: { 200: { description: 'Prometheus text format 0.0.4', contentType: 'text/plain' } },
      handle: async ({ principal }) => {
        // The series carry every model's name and counts, so a key limited to some models may not read them.
        if (principal.models) throw new AppError('forbidden', `key "${principal.id}" is limited to some models; /metrics covers every model, so it needs a key without a model limit`)
        return { body: await options.registry.metrics(), contentType: options.registry.contentType }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/healthz',
      scope: 'public',
      summary: 'Liveness: the process answers',
      responses: { 200: { description: 'Process is up', schema: z.object({ status: z.literal('ok') }) } },
      handle: () => ({ json: { status: 'ok' } }),
    }),
    defineRoute({
      method: 'get',
      path: '/readyz',
      scope: 'public',
      summary: 'Readiness: every component can do its work (storage takes writes, the spool has room)',
      responses: { 200: { description: 'Ready', schema: z.looseObject({ ready: z.boolean() }) }, 503: { description: 'Not ready; the fields say why', schema: z.looseObject({ ready: z.boolean() }) } },
      handle: () => {
        const reports = options.readiness.map((r) => r())
        const ready = reports.every((r) => r.ready)
        return { status: ready ? 200 : 503, json: Object.assign({ ready }, ...reports.map((r) => r.fields)) as Record<string, unknown> }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      scope: 'public',
      summary: 'This document: every route with its scope, parameters, bodies and answers',
      responses: { 200: { description: 'OpenAPI 3.1' } },
      handle: () => ({ json: options.document() }),
    }),
  ]
}
