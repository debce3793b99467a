import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { AppError, defineRoute, describeIssues, errorBodySchema, parseJsonBody, type Reply, type Route } from '../server/index.ts'
import type { ModelServer } from './model-server.ts'
import type { HostTensor, TensorMeta } from './tensor.ts'
import { binaryData, binaryInputs, decodeFp64Fast, decodeInput, fastInferRequest, inferRequestSchema, type InferRequestBody, jsonData, metadataTensor, responseOutputSchema, splitBinaryBody, V2_DATATYPES, type V2Output } from './v2-codec.ts'

/** What the serving routes need. */
export interface ServingRoutesDeps {
  readonly server: ModelServer
  /** Server version reported by `GET /v2`. */
  readonly version?: string
  /** Largest body accepted, in bytes (default: the shell's). */
  readonly maxBodyBytes?: number
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

const predictionSchema = z.object({
  id: z.string(),
  version: z.number(),
  prediction: z.union([z.number(), z.string()]),
  scores: z.record(z.string(), z.number()).optional(),
  contributions: z.record(z.string(), z.number()).optional(),
})
const metadataTensorSchema = z.object({ name: z.string(), datatype: z.enum(V2_DATATYPES), shape: z.array(z.number()) })
const modelMetadataSchema = z.object({
  name: z.string(),
  versions: z.array(z.string()),
  platform: z.string(),
  inputs: z.array(metadataTensorSchema),
  outputs: z.array(metadataTensorSchema),
  parameters: z.record(z.string(), z.string()),
})
const inferResponseSchema = z.object({ model_name: z.string(), model_version: z.string(), id: z.string(), parameters: z.record(z.string(), z.unknown()).optional(), outputs: z.array(responseOutputSchema) })

// The spec's platform names are "<framework>_<format>"; for ONNX it lists `onnx_onnxv1`.
const PLATFORM = 'onnx_onnxv1'
const BINARY_HEADER = 'inference-header-content-length'
const error = (description: string) => ({ description, schema: errorBodySchema })
const modelParams = z.object({ model: z.string().min(1).max(256) })
const versionParams = z.object({ model: z.string().min(1).max(256), version: z.string({ error: 'must be a non-negative integer' }).regex(/^\d{1,9}$/, { error: 'must be a non-negative integer' }) })

/** Parses a pinned version from the path (`versions/{v}`). */
function pinned(params: { version?: string }): number | undefined {
  return params.version === undefined ? undefined : Number(params.version)
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true'
}

/**
 * Runs one V2 inference request — a JSON body, or (binary data extension) a JSON header of `headerLength` bytes
 * followed by tensor bytes — and returns the reply: JSON, or the JSON header and output bytes when binary outputs
 * were asked for. Throws AppError (400/404/500) naming the field.
 */
async function answerInfer(server: ModelServer, model: string, version: number | undefined, bytes: Buffer, headerLength: string | undefined): Promise<Reply> {
  let text: string
  let rest: Buffer | undefined
  if (headerLength === undefined) text = bytes.toString('utf8')
  else {
    const split = splitBinaryBody(bytes, headerLength)
    if (typeof split === 'string') throw new AppError('bad_request', split)
    text = split.json
    rest = split.rest
  }
  const json = parseJsonBody(text)
  const body = fastInferRequest(json) ?? parseInferRequest(json)
  if (body.model_name !== undefined && body.model_name !== model) throw new AppError('bad_request', `body.model_name: "${body.model_name.slice(0, 128)}" does not match the model of the path, "${model.slice(0, 128)}"`)
  if (body.model_version !== undefined && version !== undefined && body.model_version !== String(version)) {
    throw new AppError('bad_request', `body.model_version: "${body.model_version.slice(0, 32)}" does not match the version of the path, "${version}"`)
  }
  const binary = rest ? binaryInputs(body, rest) : undefined
  if (typeof binary === 'string') throw new AppError('bad_request', binary)
  const id = body.id ?? randomUUID()
  // Decode against the inputs of the version that would serve: numeric datatypes convert to its types exactly.
  const routed = version === undefined ? server.route(model, id) : undefined
  const target = server.version(model, version ?? routed!.version)
  const inputs: Record<string, HostTensor> = {}
  const problems: string[] = []
  for (let i = 0; i < body.inputs.length; i++) {
    const input = body.inputs[i]!
    if (input.name in inputs) problems.push(`inputs[${i}].name: "${input.name}" is given twice`)
    const meta = inputMeta(target.inputs, input.name)
    const t = (binary?.[i] === undefined ? decodeFp64Fast(input, meta) : undefined) ?? decodeInput(input, i, meta, binary?.[i])
    if (typeof t === 'string') problems.push(t)
    else inputs[input.name] = t
  }
  if (problems.length > 0) throw new AppError('bad_request', problems.join('; '))
  const result = await server.infer(model, version, { id, inputs, ...(routed ? { routed } : {}), ...(body.outputs ? { outputs: body.outputs.map((o) => o.name) } : {}) })
  // Binary outputs: every output with `binary_data_output` on the request, or those asking `binary_data` themselves.
  const allBinary = truthy(body.parameters?.binary_data_output)
  const asked = new Map((body.outputs ?? []).map((o) => [o.name, o.parameters?.binary_data]))
  const outputs: V2Output[] = []
  const blobs: Buffer[] = []
  for (const [name, t] of Object.entries(result.outputs)) {
    const own = asked.get(name)
    const binaryOut = own === undefined ? allBinary : truthy(own)
    const out: V2Output = { name, datatype: metadataTensor({ name, type: t.type, shape: [] }).datatype, shape: [...t.dims] }
    if (binaryOut) {
      const b = binaryData(t)
      out.parameters = { binary_data_size: b.length }
      blobs.push(b)
    } else {
      const data = jsonData(name, t)
      if (typeof data === 'string') throw new AppError('bad_request', data)
      out.data = data
    }
    outputs.push(out)
  }
  const params = body.parameters ? Object.fromEntries(Object.entries(body.parameters).filter(([k]) => k !== 'binary_data_output')) : undefined
  const answer = { model_name: model, model_version: String(result.version), id, ...(params && Object.keys(params).length > 0 ? { parameters: params } : {}), outputs }
  if (blobs.length === 0) return { json: answer }
  const header = Buffer.from(JSON.stringify(answer), 'utf8')
  return { body: Buffer.concat([header, ...blobs]), contentType: 'application/octet-stream', headers: { [BINARY_HEADER]: String(header.length) } }
}

/** `$inference_request` through its schema: the 400 names the field, the rule and the value. */
function parseInferRequest(json: unknown): InferRequestBody {
  const parsed = inferRequestSchema.safeParse(json)
  if (!parsed.success) throw new AppError('bad_request', describeIssues(parsed.error, 'body'))
  return parsed.data
}

function inputMeta(inputs: readonly TensorMeta[], name: string): TensorMeta | undefined {
  for (const i of inputs) if (i.name === name) return i
  return undefined
}

/** The Open Inference Protocol (KServe V2) REST API and `POST /v1/models/{m}/predict`, as shell routes. */
export function servingRoutes(deps: ServingRoutesDeps): Route[] {
  const { server } = deps
  const limit = deps.maxBodyBytes !== undefined ? { maxBodyBytes: deps.maxBodyBytes } : {}
  const tags = ['serving']
  const metadata = (model: string, version: number | undefined): z.infer<typeof modelMetadataSchema> => {
    const v = server.version(model, version)
    return {
      name: model,
      versions: server.loaded(model).map(String),
      platform: PLATFORM,
      inputs: v.inputs.map(metadataTensor) as z.infer<typeof metadataTensorSchema>[],
      outputs: v.outputs.map(metadataTensor) as z.infer<typeof metadataTensorSchema>[],
      parameters: { version: String(v.version), task: v.signature.task, ...(v.signature.classes ? { classes: v.signature.classes.join(',') } : {}) },
    }
  }
  const readyAnswer = (model: string, version: number | undefined) => {
    server.version(model, version)
    return { name: model, ready: true }
  }
  const inferDoc = {
    accept: ['json', 'binary'] as const,
    description:
      '`$inference_request` as JSON (with or without a Content-Type), or the binary tensor data extension: `Inference-Header-Content-Length: n`, the JSON header in the first n bytes, then each input with `parameters.binary_data_size` as little-endian bytes in input order',
    schema: inferRequestSchema,
  }
  const inferResponses = {
    200: { description: '`$inference_response`; with binary outputs, application/octet-stream: the JSON header (its length in `Inference-Header-Content-Length`) then the outputs\' bytes', schema: inferResponseSchema },
    400: error('Invalid request: the field, the rule and the value; also a non-finite result, naming the row and its inputs'),
    404: error('Unknown model or version'),
    413: error('Body over the limit'),
    500: error('The model failed at run time'),
  }
  const infer = async (model: string, version: number | undefined, headers: Readonly<Record<string, string | string[] | undefined>>, readBody: () => Promise<{ bytes: Buffer }>): Promise<Reply> => {
    const raw = await readBody()
    const h = headers[BINARY_HEADER]
    return answerInfer(server, model, version, raw.bytes, typeof h === 'string' ? h : undefined)
  }
  return [
    defineRoute({
      method: 'get',
      path: '/v2/health/live',
      scope: 'public',
      tags,
      summary: 'Server liveness (Open Inference Protocol): the process answers, also while champions load',
      responses: { 200: { description: 'Live', schema: z.object({ live: z.boolean() }) } },
      handle: () => ({ json: { live: true } }),
    }),
    defineRoute({
      method: 'get',
      path: '/v2/health/ready',
      scope: 'public',
      tags,
      summary: 'Server readiness: 503 while the champions load or when one failed to load',
      responses: { 200: { description: 'Every model can be served', schema: z.object({ ready: z.boolean() }) }, 503: { description: 'Not ready', schema: z.object({ ready: z.boolean() }) } },
      handle: () => {
        const ready = server.readiness().ready
        return { status: ready ? 200 : 503, json: { ready } }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v2',
      scope: 'read',
      tags,
      summary: 'Server metadata',
      responses: { 200: { description: '`$metadata_server_response`', schema: z.object({ name: z.string(), version: z.string(), extensions: z.array(z.string()) }) } },
      handle: () => ({ json: { name: 'highway', version: deps.version ?? '0.0.0', extensions: ['binary_tensor_data'] } }),
    }),
    defineRoute({
      method: 'get',
      path: '/v2/models/{model}',
      scope: 'read',
      modelParam: 'model',
      params: modelParams,
      tags,
      summary: 'Model metadata of the stable version',
      responses: { 200: { description: '`$metadata_model_response`', schema: modelMetadataSchema }, 404: error('Unknown model') },
      handle: ({ params }) => ({ json: metadata(params.model, undefined) }),
    }),
    defineRoute({
      method: 'get',
      path: '/v2/models/{model}/versions/{version}',
      scope: 'read',
      modelParam: 'model',
      params: versionParams,
      tags,
      summary: 'Model metadata of one version',
      responses: { 200: { description: '`$metadata_model_response`', schema: modelMetadataSchema }, 400: error('Version not an integer'), 404: error('Unknown model or version') },
      handle: ({ params }) => ({ json: metadata(params.model, pinned(params)) }),
    }),
    defineRoute({
      method: 'get',
      path: '/v2/models/{model}/ready',
      scope: 'read',
      modelParam: 'model',
      params: modelParams,
      tags,
      summary: 'Model readiness',
      responses: { 200: { description: 'Ready', schema: z.object({ name: z.string(), ready: z.boolean() }) }, 404: error('Unknown model') },
      handle: ({ params }) => ({ json: readyAnswer(params.model, undefined) }),
    }),
    defineRoute({
      method: 'get',
      path: '/v2/models/{model}/versions/{version}/ready',
      scope: 'read',
      modelParam: 'model',
      params: versionParams,
      tags,
      summary: 'Model version readiness',
      responses: { 200: { description: 'Ready', schema: z.object({ name: z.string(), ready: z.boolean() }) }, 400: error('Version not an integer'), 404: error('Unknown model or version') },
      handle: ({ params }) => ({ json: readyAnswer(params.model, pinned(params)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v2/models/{model}/infer',
      scope: 'ingest',
      modelParam: 'model',
      params: modelParams,
      rawBody: inferDoc,
      ...limit,
      tags,
      summary: 'Inference on the routed version (stable or sticky canary by request id)',
      responses: inferResponses,
      handle: ({ params, headers, readBody }) => infer(params.model, undefined, headers, readBody),
    }),
    defineRoute({
      method: 'post',
      path: '/v2/models/{model}/versions/{version}/infer',
      scope: 'ingest',
      modelParam: 'model',
      params: versionParams,
      rawBody: inferDoc,
      ...limit,
      tags,
      summary: 'Inference on one version',
      responses: inferResponses,
      handle: ({ params, headers, readBody }) => infer(params.model, pinned(params), headers, readBody),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/models/{model}/predict',
      scope: 'ingest',
      modelParam: 'model',
      params: modelParams,
      body: predictBodySchema,
      ...limit,
      tags,
      summary: 'Predict raw feature records (routed per record id), optionally with per-feature contributions',
      responses: { 200: { description: 'One prediction per record, in order', schema: z.object({ predictions: z.array(predictionSchema) }) }, 400: error('Invalid records'), 404: error('Unknown model'), 500: error('The model failed at run time') },
      handle: async ({ params, body }) => ({ json: { predictions: await server.predict(params.model, body.records, { explain: body.explain ?? false }) } }),
    }),
  ]
}
