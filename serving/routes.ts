import express, { type Express, type RequestHandler, type Response } from 'express'
import { randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { z } from 'zod'
import { AppError } from '../server/index.ts'
import type { ModelServer } from './model-server.ts'
import type { HostTensor } from './tensor.ts'
import { decodeInput, encodeOutput, inferRequestSchema, metadataTensor, type V2Output } from './v2-codec.ts'

/** Scopes the routes ask for (the collector's Authenticator). */
export type ServingScope = 'ingest' | 'read'

/** What the serving routes need. */
export interface ServingRoutesOptions {
  readonly server: ModelServer
  /** Server version reported by `GET /v2`. */
  readonly version?: string
  /** Auth middleware per scope; omitted → open (tests, loopback). Health endpoints are always open (probes). */
  readonly requireScope?: (scope: ServingScope) => RequestHandler
  /** Largest JSON body accepted, in bytes (default 8 MiB). */
  readonly maxBodyBytes?: number
  /** Whether the caller may use this model (keys limited to some models). */
  readonly assertModelAllowed?: (res: Response, model: string) => void
}

const featureValue = z.union([z.number(), z.string(), z.boolean(), z.null()])
const predictBodySchema = z
  .object({
    records: z
      .array(
        z
          .object({
            id: z.string().min(1).max(256).optional(),
            features: z.record(z.string(), featureValue, { error: 'must be an object of feature values (number, string, boolean or null)' }),
          })
          .strict(),
      )
      .min(1)
      .max(10_000),
    explain: z.boolean().optional(),
  })
  .strict()

function zodMessage(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.length ? issue.path.join('.') : 'body'
      const detail = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message
      return `${where}: ${detail}`
    })
    .join('; ')
}

/**
 * Writes a JSON answer in one write: express's res.json computes an ETag (a hash of every body) and writes
 * headers and body separately, which the serving benchmark showed as a visible share of a single-row request.
 */
export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function versionParam(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  if (!/^\d{1,9}$/.test(raw)) throw new AppError('bad_request', `version: must be a non-negative integer, got ${JSON.stringify(raw.slice(0, 32))}`)
  return Number(raw)
}

/**
 * Runs one V2 inference request body and returns the `$inference_response`; throws AppError (400/404/500) with a
 * message naming the field. Shared by the express route and the fast path (serving/fast-infer.ts).
 */
export async function answerInfer(server: ModelServer, model: string, versionRaw: string | undefined, rawBody: unknown): Promise<Record<string, unknown>> {
  const pinned = versionParam(versionRaw)
  const parsed = inferRequestSchema.safeParse(rawBody)
  if (!parsed.success) throw new AppError('bad_request', zodMessage(parsed.error))
  const body = parsed.data
  const id = body.id ?? randomUUID()
  // Decode against the graph inputs of the version that would serve: numeric datatypes convert to its types.
  const routed = pinned === undefined ? server.route(model, id) : undefined
  const target = server.version(model, pinned ?? routed!.version)
  const graphInputs = new Map(target.inputs.map((i) => [i.name, i]))
  const inputs: Record<string, HostTensor> = {}
  const problems: string[] = []
  body.inputs.forEach((input, i) => {
    if (input.name in inputs) problems.push(`inputs[${i}].name: "${input.name}" is given twice`)
    const t = decodeInput(input, i, graphInputs.get(input.name))
    if (typeof t === 'string') problems.push(t)
    else inputs[input.name] = t
  })
  if (problems.length > 0) throw new AppError('bad_request', problems.join('; '))
  const result = await server.infer(model, pinned, { id, inputs, ...(routed ? { routed } : {}), ...(body.outputs ? { outputs: body.outputs.map((o) => o.name) } : {}) })
  const outputs: V2Output[] = Object.entries(result.outputs).map(([name, t]) => encodeOutput(name, t))
  return { model_name: model, model_version: String(result.version), id, ...(body.parameters ? { parameters: body.parameters } : {}), outputs }
}

/** Mounts the Open Inference Protocol (KServe V2) REST API and `POST /v1/models/{m}/predict`. */
export function mountServingRoutes(app: Express, options: ServingRoutesOptions): void {
  const { server } = options
  const open: RequestHandler = (_req, _res, next) => next()
  const scope = (s: ServingScope): RequestHandler => options.requireScope?.(s) ?? open
  const allowed = (res: Response, model: string) => options.assertModelAllowed?.(res, model)
  const json = express.json({ limit: options.maxBodyBytes ?? 8 * 1024 * 1024 })

  app.get('/v2/health/live', (_req, res) => {
    res.json({ live: true })
  })
  app.get('/v2/health/ready', (_req, res) => {
    res.json({ ready: true })
  })
  app.get('/v2', scope('read'), (_req, res) => {
    res.json({ name: 'highway', version: options.version ?? '0.0.0', extensions: [] })
  })

  const metadata: RequestHandler = (req, res) => {
    const model = String(req.params.model)
    allowed(res, model)
    const v = server.version(model, versionParam(req.params.version as string | undefined))
    res.json({
      name: model,
      versions: server.loaded(model).map(String),
      platform: 'onnxruntime_onnx',
      inputs: v.inputs.map(metadataTensor),
      outputs: v.outputs.map(metadataTensor),
      parameters: { version: String(v.version), task: v.signature.task, ...(v.signature.classes ? { classes: v.signature.classes.join(',') } : {}) },
    })
  }
  app.get('/v2/models/:model', scope('read'), metadata)
  app.get('/v2/models/:model/versions/:version', scope('read'), metadata)

  const ready: RequestHandler = (req, res) => {
    const model = String(req.params.model)
    allowed(res, model)
    server.version(model, versionParam(req.params.version as string | undefined))
    res.json({ name: model, ready: true })
  }
  app.get('/v2/models/:model/ready', scope('read'), ready)
  app.get('/v2/models/:model/versions/:version/ready', scope('read'), ready)

  const infer: RequestHandler = async (req, res) => {
    const model = String(req.params.model)
    allowed(res, model)
    sendJson(res, await answerInfer(server, model, req.params.version as string | undefined, req.body))
  }
  app.post('/v2/models/:model/infer', scope('ingest'), json, infer)
  app.post('/v2/models/:model/versions/:version/infer', scope('ingest'), json, infer)

  app.post('/v1/models/:model/predict', scope('ingest'), json, async (req, res) => {
    const model = String(req.params.model)
    allowed(res, model)
    const parsed = predictBodySchema.safeParse(req.body)
    if (!parsed.success) throw new AppError('bad_request', zodMessage(parsed.error))
    const predictions = await server.predict(model, parsed.data.records, { explain: parsed.data.explain ?? false })
    sendJson(res, { predictions })
  })
}
