import { z } from 'zod'
import { AppError, defineRoute, type Route } from '../../server/index.ts'
import { aliasMoveSchema, aliasNameSchema, assertConfigured, guard, modelParams, type Registry } from '../../registry/index.ts'
import type { ReleaseController } from './controller.ts'
import { releaseRequestSchema } from './types.ts'

const rollbackBodySchema = z.object({ to: z.number().int().positive().optional(), reason: z.string().max(2000).optional() }).strict()
const aliasBodySchema = z.object({ version: z.number().int().nonnegative(), note: z.string().max(2000).default('') }).strict()
const releaseParams = modelParams.extend({ id: z.string().min(1).max(64) })
const aliasParams = modelParams.extend({ alias: aliasNameSchema })

const releaseEventSchema = z.object({ seq: z.number(), event: z.string(), state: z.string(), step: z.number(), weightPercent: z.number(), at: z.string(), actor: z.string(), detail: z.unknown() })
/** A release and its events, as the API shows it. */
export const releaseViewSchema = z.object({
  id: z.string(),
  model: z.string(),
  version: z.number(),
  stableVersion: z.number(),
  strategy: z.string(),
  fix: z.boolean(),
  state: z.string(),
  step: z.number(),
  weightPercent: z.number(),
  startedAt: z.string(),
  updatedAt: z.string(),
  startedBy: z.string(),
  events: z.array(releaseEventSchema),
})
const rollbackResultSchema = z.object({ model: z.string(), outcome: z.enum(['done', 'noop']), from: z.number(), to: z.number(), message: z.string(), releaseId: z.string().optional() })

/** What the release routes need. */
export interface ReleaseRoutesOptions {
  readonly controller: ReleaseController
  readonly registry: Registry
  /** Configured model names: releases, rollbacks and alias moves of other names are refused (404). Undefined allows every name. */
  readonly models?: ReadonlySet<string>
}

/**
 * `POST|GET /v1/models/{m}/releases`, `GET /v1/models/{m}/releases/{id}`, `POST /v1/models/{m}/rollback` and
 * `PUT /v1/models/{m}/aliases/{alias}` (any alias but `champion`, which only releases and rollbacks move).
 */
export function releaseRoutes(deps: ReleaseRoutesOptions): Route[] {
  const { controller, registry } = deps
  return [
    defineRoute({
      method: 'post',
      path: '/v1/models/{name}/releases',
      scope: 'operate',
      modelParam: 'name',
      params: modelParams,
      body: releaseRequestSchema,
      maxBodyBytes: 1 << 20,
      summary: 'Start a canary, shadow or blue/green release',
      responses: { 201: { description: 'The release as started', schema: releaseViewSchema }, 404: { description: 'Model not configured or version unknown' }, 409: { description: 'Refused (already running, gates failed, frozen, already champion)' } },
      handle: async ({ params, body, principal }) => {
        assertConfigured(deps.models, params.name)
        return { status: 201, json: await guard(() => controller.start(params.name, body, principal.id)) }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/models/{name}/releases',
      scope: 'read',
      modelParam: 'name',
      params: modelParams,
      summary: 'Releases of a model with every event',
      responses: { 200: { description: 'Releases', schema: z.object({ model: z.string(), releases: z.array(releaseViewSchema) }) } },
      handle: async ({ params }) => ({ json: { model: params.name, releases: await controller.list(params.name) } }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/models/{name}/releases/{id}',
      scope: 'read',
      modelParam: 'name',
      params: releaseParams,
      summary: 'One release with every event',
      responses: { 200: { description: 'The release', schema: releaseViewSchema }, 404: { description: 'No such release' } },
      handle: async ({ params }) => {
        const release = await controller.get(params.name, params.id)
        if (!release) throw new AppError('not_found', `model "${params.name.slice(0, 128)}" has no release ${JSON.stringify(params.id)}`)
        return { json: release }
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/models/{name}/rollback',
      scope: 'operate',
      modelParam: 'name',
      params: modelParams,
      body: rollbackBodySchema.optional(),
      maxBodyBytes: 1 << 20,
      summary: 'Roll the champion back (to the previous good version, or `to`); idempotent, audited',
      responses: { 200: { description: 'Done, or a no-op that says why', schema: rollbackResultSchema }, 404: { description: 'Model not configured or version unknown' }, 409: { description: 'Nothing to roll back to' } },
      handle: async ({ params, body, principal }) => {
        assertConfigured(deps.models, params.name)
        const b = body ?? {}
        return { json: await guard(() => controller.rollback(params.name, { actor: principal.id, ...(b.to !== undefined ? { to: b.to } : {}), ...(b.reason ? { reason: b.reason } : {}) })) }
      },
    }),
    defineRoute({
      method: 'put',
      path: '/v1/models/{name}/aliases/{alias}',
      scope: 'operate',
      modelParam: 'name',
      params: aliasParams,
      body: aliasBodySchema,
      maxBodyBytes: 1 << 20,
      summary: 'Point an alias (not `champion`) at a version; 0 removes it',
      responses: { 200: { description: 'The move', schema: aliasMoveSchema.extend({ model: z.string(), setAtMs: z.number() }) }, 409: { description: '`champion` moves only through releases and rollbacks' } },
      handle: async ({ params, body, principal }) => {
        assertConfigured(deps.models, params.name)
        if (params.alias === 'champion') {
          throw new AppError('conflict', 'the champion alias moves only through releases (POST /v1/models/{m}/releases) and rollbacks (POST /v1/models/{m}/rollback), which switch traffic with it')
        }
        const move = await guard(() => registry.setAlias(params.name, params.alias, body.version, { actor: principal.id, note: body.note }))
        return { json: { model: params.name, ...move, setAt: new Date(move.setAtMs).toISOString() } }
      },
    }),
  ]
}
