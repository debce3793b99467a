import express, { type Express, type RequestHandler, type Response } from 'express'
import { z } from 'zod'
import { AppError } from '../../server/index.ts'
import type { Scope } from '../../config/index.ts'
import type { AuditLog } from './audit.ts'
import type { Registry } from './registry.ts'
import { registrationSchema, RegistryError, type AliasState, type RegisteredVersion } from './types.ts'

/** What the routes need from the HTTP edge: auth middleware, a per-model access check, and who is calling. */
export interface RegistryRouteTools {
  readonly requireScope: (scope: Scope) => RequestHandler
  readonly assertModelAllowed: (res: Response, model: string) => void
  readonly actorOf: (res: Response) => string
}

/** Maps registry failures to the API's errors (a corrupt artifact is the server's fault: 500, named). */
export function toAppError(err: unknown): unknown {
  if (!(err instanceof RegistryError)) return err
  const code = err.code === 'not_found' ? 'not_found' : err.code === 'invalid' ? 'bad_request' : err.code === 'conflict' ? 'conflict' : 'internal'
  return new AppError(code, err.message, { cause: err })
}

/** Runs a handler body, translating registry errors. */
export async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    throw toAppError(err)
  }
}

/** Parses a `{v}` path segment: a positive integer. */
export function versionParam(raw: unknown): number {
  const s = String(raw)
  const v = Number(s)
  if (!/^\d{1,9}$/.test(s) || !Number.isInteger(v) || v < 1) throw new AppError('bad_request', `version must be a positive integer, got ${JSON.stringify(s.slice(0, 40))}`)
  return v
}

function explain(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')
}

const registerBodySchema = registrationSchema.extend({
  /** The ONNX bytes, base64. */
  onnx: z.base64().min(1, 'must not be empty'),
})

function aliasMap(aliases: readonly AliasState[]): Record<string, number> {
  return Object.fromEntries(aliases.map((a) => [a.alias, a.version]))
}

/** The summary a version list shows. */
function summary(v: RegisteredVersion, aliases: readonly AliasState[]) {
  return {
    model: v.model,
    version: v.version,
    aliases: aliases.filter((a) => a.version === v.version).map((a) => a.alias),
    artifact: v.artifact,
    dataset: v.dataset,
    codeVersion: v.codeVersion,
    metrics: v.metrics,
    gatesPassed: v.gates.every((g) => g.passed),
    task: v.signature.task,
    createdAt: new Date(v.createdAtMs).toISOString(),
    createdBy: v.createdBy,
  }
}

/** Everything recorded about a version. */
function detail(v: RegisteredVersion, aliases: readonly AliasState[]) {
  return {
    ...summary(v, aliases),
    parameters: v.parameters,
    gates: v.gates,
    signature: v.signature,
    preprocessor: v.preprocessor,
    params: v.params,
    referenceId: v.referenceId,
    trainingRunId: v.trainingRunId,
    description: v.description,
  }
}

const aliasJson = (a: AliasState) => ({ alias: a.alias, version: a.version, previousVersion: a.previousVersion, setAt: new Date(a.setAtMs).toISOString(), setBy: a.setBy, reason: a.reason, note: a.note })

/**
 * Mounts the registry API: `GET /v1/models/{m}/versions[/{v}[/artifact]]`, `POST /v1/models/{m}/versions`
 * (register), `GET /v1/models/{m}/aliases`, `GET /v1/models/{m}/training-runs`, `GET /v1/audit`.
 */
export function mountRegistryRoutes(app: Express, deps: { registry: Registry; audit: AuditLog; tools: RegistryRouteTools; maxArtifactBytes?: number }): void {
  const { registry, tools } = deps
  const { requireScope, assertModelAllowed } = tools
  const maxBytes = deps.maxArtifactBytes ?? 256 * 1024 * 1024
  const modelOf = (res: Response, raw: unknown): string => {
    const model = String(raw)
    assertModelAllowed(res, model)
    return model
  }

  app.get('/v1/models/:name/versions', requireScope('read'), async (req, res) => {
    const model = modelOf(res, req.params.name)
    const [versions, aliases] = await guard(() => Promise.all([registry.listVersions(model), registry.aliases(model)]))
    if (versions.length === 0) throw new AppError('not_found', `model "${model.slice(0, 128)}" has no registered version`)
    res.json({ model, aliases: aliasMap(aliases), versions: versions.map((v) => summary(v, aliases)) })
  })

  // Base64 grows bytes by 4/3; the JSON around them is small.
  app.post('/v1/models/:name/versions', requireScope('operate'), express.json({ limit: Math.ceil((maxBytes * 4) / 3) + 1024 * 1024 }), async (req, res) => {
    const model = modelOf(res, req.params.name)
    const parsed = registerBodySchema.safeParse(req.body)
    if (!parsed.success) throw new AppError('bad_request', `registration body: ${explain(parsed.error)}`)
    const { onnx, ...metadata } = parsed.data
    const bytes = Buffer.from(onnx, 'base64')
    const actor = tools.actorOf(res)
    const v = await guard(() => registry.registerVersion(model, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), metadata, { actor }))
    await deps.audit.record({ actor, component: 'registry', action: 'register', model, target: String(v.version), outcome: 'done', after: { version: v.version, sha256: v.artifact.sha256 } })
    res.status(201).json(detail(v, []))
  })

  app.get('/v1/models/:name/versions/:version', requireScope('read'), async (req, res) => {
    const model = modelOf(res, req.params.name)
    const version = versionParam(req.params.version)
    const [v, aliases] = await guard(() => Promise.all([registry.requireVersion(model, version), registry.aliases(model)]))
    res.json(detail(v, aliases))
  })

  app.get('/v1/models/:name/versions/:version/artifact', requireScope('read'), async (req, res) => {
    const model = modelOf(res, req.params.name)
    const version = versionParam(req.params.version)
    const { bytes, sha256 } = await guard(() => registry.readArtifact(model, version))
    const etag = `"${sha256}"`
    res.setHeader('ETag', etag)
    res.setHeader('Cache-Control', 'private, max-age=0, must-revalidate')
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end()
      return
    }
    res.setHeader('Content-Type', 'application/octet-stream')
    res.setHeader('Content-Disposition', `attachment; filename="${model}-v${version}.onnx"`)
    res.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  })

  app.get('/v1/models/:name/aliases', requireScope('read'), async (req, res) => {
    const model = modelOf(res, req.params.name)
    const [aliases, history] = await guard(() => Promise.all([registry.aliases(model), registry.aliasHistory(model)]))
    res.json({ model, aliases: aliasMap(aliases), history: history.map(aliasJson) })
  })

  app.get('/v1/models/:name/training-runs', requireScope('read'), async (req, res) => {
    const model = modelOf(res, req.params.name)
    const run = typeof req.query.run === 'string' ? req.query.run : undefined
    const trials = await guard(() => registry.trainingRuns(model, run))
    res.json({ model, trials: trials.map((t) => ({ ...t, createdAt: new Date(t.createdAtMs).toISOString(), createdAtMs: undefined })) })
  })

  app.get('/v1/audit', requireScope('read'), async (req, res) => {
    const q = z
      .object({ component: z.string().max(64).optional(), model: z.string().max(128).optional(), action: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(10_000).optional() })
      .strict()
      .safeParse(req.query)
    if (!q.success) throw new AppError('bad_request', `query: ${explain(q.error)}`)
    if (q.data.model) assertModelAllowed(res, q.data.model)
    const entries = await deps.audit.read(q.data)
    res.json({ entries: entries.map((e) => ({ ...e, at: new Date(e.atMs).toISOString() })) })
  })
}
