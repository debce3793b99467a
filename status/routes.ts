import { z } from 'zod'
import { defineRoute, type Route } from '../server/index.ts'
import { gatherStatus } from './collect.ts'
import { statusPageHtml } from './page.ts'
import { renderStatusHtml } from './render.ts'
import { statusSchema, type StatusSources } from './types.ts'

/** What the status routes need: the section providers, whether the service runs keyless, and the clock. */
export interface StatusRoutesOptions {
  readonly sources: StatusSources
  readonly open: boolean
  readonly now: () => number
}

const statusQuery = z.object({ format: z.enum(['json', 'html']).default('json').describe('`html`: the rendered sections the page at `/` shows.') })

/** `GET /` (the page, no data in it) and `GET /v1/status` (read scope; JSON, or the sections as HTML). */
export function statusRoutes(options: StatusRoutesOptions): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/',
      scope: 'public',
      tags: ['status'],
      summary: 'The status page (SLOs, models, drift, alerts, incidents, runbook runs); its data comes from /v1/status with the session\'s key',
      responses: { 200: { description: 'The page', contentType: 'text/html' } },
      handle: () => ({ body: statusPageHtml({ open: options.open }), contentType: 'text/html; charset=utf-8', headers: { 'cache-control': 'no-cache', 'x-frame-options': 'DENY' } }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/status',
      scope: 'read',
      tags: ['status'],
      query: statusQuery,
      summary: 'Everything the status page shows, as JSON (items of other models hidden from a limited key)',
      responses: { 200: { description: 'The status; with format=html, the rendered sections', schema: statusSchema } },
      handle: async ({ query, principal }) => {
        const status = await gatherStatus(options.sources, { nowMs: options.now(), ...(principal.models ? { models: principal.models } : {}) })
        return query.format === 'html' ? { body: renderStatusHtml(status), contentType: 'text/html; charset=utf-8', headers: { 'cache-control': 'no-store' } } : { json: status, headers: { 'cache-control': 'no-store' } }
      },
    }),
  ]
}
