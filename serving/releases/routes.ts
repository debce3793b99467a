import express, { type Express, type Response } from 'express'
import { z } from 'zod'
import { AppError } from '../../server/index.ts'
import { aliasNameSchema, guard, type Registry, type RegistryRouteTools } from '../registry/index.ts'
import type { ReleaseController } from './controller.ts'
import { releaseRequestSchema } from './types.ts'

function explain(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')
}

const rollbackBodySchema = z.object({ to: z.number().int().positive().optional(), reason: z.string().max(2000).optional() }).strict()
const aliasBodySchema = z.object({ version: z.number().int().nonnegative(), note: z.string().max(2000).default('') }).strict()

/**
 * Mounts `POST|GET /v1/models/{m}/releases`, `GET /v1/models/{m}/releases/{id}`, `POST /v1/models/{m}/rollback`
 * and `PUT /v1/models/{m}/aliases/{alias}` (any alias but `champion`, which only releases and rollbacks move).
 */
export function mountReleaseRoutes(app: Express, deps: { controller: ReleaseController; registry: Registry; tools: RegistryRouteTools }): void {
  const { controller, registry, tools } = deps
  const { requireScope, assertModelAllowed, actorOf } = tools
  const modelOf = (res: Response, raw: unknown): string => {
    const model = String(raw)
    assertModelAllowed(res, model)
    return model
  }
  const body = express.json({ limit: '1mb' })

  app.post('/v1/models/:name/releases', requireScope('operate'), body, async (req, res) => {
    const model = modelOf(res, req.params.name)
    const parsed = releaseRequestSchema.safeParse(req.body ?? {})
    if (!parsed.success) throw new AppError('bad_request', `release body: ${explain(parsed.error)}`)
    const release = await guard(() => controller.start(model, parsed.data, actorOf(res)))
    res.status(201).json(release)
  })

  app.get('/v1/models/:name/releases', requireScope('read'), async (req, res) => {
    const model = modelOf(res, req.params.name)
    res.json({ model, releases: await controller.list(model) })
  })

  app.get('/v1/models/:name/releases/:id', requireScope('read'), async (req, res) => {
    const model = modelOf(res, req.params.name)
    const release = await controller.get(model, String(req.params.id))
    if (!release) throw new AppError('not_found', `model "${model.slice(0, 128)}" has no release ${JSON.stringify(String(req.params.id).slice(0, 64))}`)
    res.json(release)
  })

  app.post('/v1/models/:name/rollback', requireScope('operate'), body, async (req, res) => {
    const model = modelOf(res, req.params.name)
    const parsed = rollbackBodySchema.safeParse(req.body ?? {})
    if (!parsed.success) throw new AppError('bad_request', `rollback body: ${explain(parsed.error)}`)
    const result = await guard(() =>
      controller.rollback(model, { actor: actorOf(res), ...(parsed.data.to !== undefined ? { to: parsed.data.to } : {}), ...(parsed.data.reason ? { reason: parsed.data.reason } : {}) }),
    )
    res.status(200).json(result)
  })

  app.put('/v1/models/:name/aliases/:alias', requireScope('operate'), body, async (req, res) => {
    const model = modelOf(res, req.params.name)
    const alias = aliasNameSchema.safeParse(String(req.params.alias))
    if (!alias.success) throw new AppError('bad_request', `alias ${JSON.stringify(String(req.params.alias).slice(0, 64))}: ${alias.error.issues[0]?.message ?? 'invalid'}`)
    if (alias.data === 'champion') throw new AppError('conflict', 'the champion alias moves only through releases (POST /v1/models/{m}/releases) and rollbacks (POST /v1/models/{m}/rollback), which switch traffic with it')
    const parsed = aliasBodySchema.safeParse(req.body ?? {})
    if (!parsed.success) throw new AppError('bad_request', `alias body: ${explain(parsed.error)}`)
    const move = await guard(() => registry.setAlias(model, alias.data, parsed.data.version, { actor: actorOf(res), note: parsed.data.note }))
    res.json({ model, ...move, setAt: new Date(move.setAtMs).toISOString() })
  })
}
