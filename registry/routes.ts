import { z } from 'zod'
import { AppError, defineRoute, parseJsonBody, parseOr400, type Principal, timeQuery, type Route } from '../server/index.ts'
import type { AuditLog, AuditRecord } from '../audit/index.ts'
import type { Registry } from './registry.ts'
import { registrationSchema, RegistryError, trainingRunSchema, type AliasState, type RegisteredVersion } from './types.ts'

/**
 * Largest ONNX artifact a registration accepts, in bytes (binary upload). Versions are loaded into the serving
 * process, so the bound is what one process should hold per version (the champion and the one before it stay
 * loaded, plus a canary): the reference pipeline's models are kilobytes.
 */
export const MAX_ARTIFACT_BYTES = 64 * 1024 * 1024
/**
 * Largest artifact sent inside a JSON registration (base64). A JSON body costs several times its size while it is
 * read, parsed and decoded (text, parsed string, decoded bytes), so this form gets a quarter of the binary bound.
 */
export const MAX_JSON_ARTIFACT_BYTES = 16 * 1024 * 1024
/** The header that carries a binary registration's metadata: base64 of the same JSON the JSON form has, without `onnx`. */
export const REGISTRATION_HEADER = 'x-highway-registration'

/** Maps registry failures to the API's errors (a corrupt artifact is the server's fault: 500, named). */
export function registryErrorToAppError(err: unknown): unknown {
  if (!(err instanceof RegistryError)) return err
  const code = err.code === 'not_found' ? 'not_found' : err.code === 'invalid' ? 'bad_request' : err.code === 'conflict' ? 'conflict' : 'internal'
  return new AppError(code, err.message, { cause: err })
}

/** Runs a handler body, translating registry errors. */
export async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    throw registryErrorToAppError(err)
  }
}

/**
 * Refuses a model the config does not name (404 naming it): an operate key must not register, release or serve
 * models nobody configured (no schema, no SLOs, no quarantine rules). `configured` undefined allows every name.
 */
export function assertConfigured(configured: ReadonlySet<string> | undefined, model: string): void {
  if (configured && !configured.has(model)) throw new AppError('not_found', `model "${model.slice(0, 128)}" is not configured; add it to the config's models before registering or releasing it`)
}

/** `{name}` path parameter. */
export const modelParams = z.object({ name: z.string().min(1).max(128) })
/** `{v}` path segment: a positive integer. */
export const versionSchema = z
  .string()
  .regex(/^\d{1,9}$/, 'must be a positive integer')
  .transform(Number)
  .refine((v) => v >= 1, 'must be a positive integer')
const versionParams = modelParams.extend({ version: versionSchema })

const registrationMetadataSchema = registrationSchema
const registerBodySchema = registrationSchema.extend({
  /** The ONNX bytes, base64. */
  onnx: z.base64().min(1, 'must not be empty'),
  /** The training set's profile (JSON bytes, base64), stored as an artifact: what `highway train --url` sends. */
  profile: z.base64().min(1).optional(),
  /** Reference records (prediction records with labels) saved as the analyzer's reference set of the new version. */
  reference: z.object({ records: z.array(z.unknown()).min(1).max(1_000_000) }).strict().optional(),
})
const trainingRunBodySchema = trainingRunSchema.omit({ model: true })
const outcomeBodySchema = z.object({ state: z.enum(['running', 'done', 'failed']), version: z.number().int().nonnegative().optional(), reason: z.string().max(4000).optional() }).strict()
const shaParams = modelParams.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest') })

const isoDate = z.string().describe('ISO-8601')
const documentSchema = z.record(z.string(), z.unknown())
/** A version as lists show it. */
export const versionSummarySchema = z.object({
  model: z.string(),
  version: z.number().int(),
  aliases: z.array(z.string()),
  artifact: z.object({ sha256: z.string(), bytes: z.number() }),
  dataset: z.object({ version: z.string(), rows: z.record(z.string(), z.number()) }),
  codeVersion: z.string(),
  metrics: documentSchema,
  gatesPassed: z.boolean(),
  task: z.string(),
  createdAt: isoDate,
  createdBy: z.string(),
})
/** Everything recorded about a version. */
export const versionDetailSchema = versionSummarySchema.extend({
  parameters: documentSchema,
  gates: z.array(z.looseObject({ gate: z.string(), passed: z.boolean() })),
  signature: documentSchema,
  preprocessor: documentSchema.nullable(),
  params: documentSchema.nullable(),
  referenceId: z.string(),
  trainingRunId: z.string(),
  description: z.string(),
})
/** One alias move. */
export const aliasMoveSchema = z.object({ alias: z.string(), version: z.number(), previousVersion: z.number(), setAt: isoDate, setBy: z.string(), reason: z.string(), note: z.string() })
const auditEntrySchema = z.object({
  id: z.string(),
  at: isoDate,
  actor: z.string(),
  component: z.string(),
  action: z.string(),
  model: z.string(),
  target: z.string(),
  outcome: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string(),
  requestId: z.string().describe('the request that caused it (X-Request-Id), or empty'),
  status: z.number().int().describe('HTTP status of an audited request (component "http"), 0 for other entries'),
})
const trialSchema = z.object({
  runId: z.string(),
  model: z.string(),
  trialIndex: z.number(),
  parameters: documentSchema,
  metrics: documentSchema,
  datasetVersion: z.string(),
  codeVersion: z.string(),
  seed: z.number(),
  createdAt: isoDate,
})
const trainingRunOutcomeSchema = z.object({ runId: z.string(), state: z.string(), version: z.number(), reason: z.string(), at: isoDate })

const auditQuery = z
  .object({
    component: z.string().max(64).optional(),
    model: z.string().max(128).optional(),
    action: z.string().max(64).optional(),
    actor: z.string().max(128).optional(),
    from: timeQuery.optional(),
    to: timeQuery.optional(),
    limit: z.coerce.number().int().min(1).max(10_000).optional(),
  })
  .strict()

function aliasMap(aliases: readonly AliasState[]): Record<string, number> {
  return Object.fromEntries(aliases.map((a) => [a.alias, a.version]))
}

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

/** An alias move as the API shows it. */
export const aliasJson = (a: AliasState) => ({ alias: a.alias, version: a.version, previousVersion: a.previousVersion, setAt: new Date(a.setAtMs).toISOString(), setBy: a.setBy, reason: a.reason, note: a.note })

/** The audit entries a caller may see: a key limited to models sees only entries of those models. */
export function visibleAudit(entries: readonly AuditRecord[], principal: Principal): AuditRecord[] {
  return principal.models ? entries.filter((e) => principal.models!.has(e.model)) : [...entries]
}

/** Reads a registration (JSON with base64 `onnx`, or the bytes with the metadata header) into bytes and metadata. */
async function readRegistration(input: { headers: Record<string, string | string[] | undefined>; readBody: () => Promise<{ text: string; format: string; bytes: Buffer }> }) {
  const raw = await input.readBody()
  if (raw.format === 'binary') {
    if (raw.bytes.byteLength > MAX_ARTIFACT_BYTES) throw new AppError('payload_too_large', `artifact of ${raw.bytes.byteLength} bytes is over the limit of ${MAX_ARTIFACT_BYTES} bytes`)
    const header = input.headers[REGISTRATION_HEADER]
    if (typeof header !== 'string' || header === '') throw new AppError('bad_request', `header ${REGISTRATION_HEADER}: required with Content-Type application/octet-stream (base64 of the registration JSON without "onnx")`)
    let metadata: unknown
    try {
      metadata = JSON.parse(Buffer.from(header, 'base64').toString('utf8'))
    } catch (err) {
      throw new AppError('bad_request', `header ${REGISTRATION_HEADER}: must be base64 of a JSON object (${(err as Error).message.slice(0, 120)})`)
    }
    if (raw.bytes.byteLength === 0) throw new AppError('bad_request', 'body: the ONNX bytes must not be empty')
    return { bytes: raw.bytes, metadata: parseOr400(registrationMetadataSchema, metadata, REGISTRATION_HEADER), profile: undefined, reference: undefined }
  }
  const { onnx, profile, reference, ...metadata } = parseOr400(registerBodySchema, parseJsonBody(raw.text), 'body')
  const bytes = Buffer.from(onnx, 'base64')
  if (bytes.byteLength > MAX_JSON_ARTIFACT_BYTES) {
    throw new AppError('payload_too_large', `onnx: ${bytes.byteLength} bytes is over the JSON form's limit of ${MAX_JSON_ARTIFACT_BYTES} bytes; send the bytes as Content-Type application/octet-stream (up to ${MAX_ARTIFACT_BYTES}) with the metadata in ${REGISTRATION_HEADER}`)
  }
  return { bytes, metadata, profile: profile === undefined ? undefined : Buffer.from(profile, 'base64'), reference: reference?.records }
}

/** What the registry routes need. */
export interface RegistryRoutesOptions {
  readonly registry: Registry
  readonly audit: AuditLog
  /** Configured model names: registrations of other names are refused (404). Undefined allows every name. */
  readonly models?: ReadonlySet<string>
  /** Saves reference records as the analyzer's reference set of (model, version); registrations with `reference` need it. */
  readonly saveReference?: (model: string, version: number, records: readonly unknown[]) => Promise<string>
}

/**
 * The registry API: `GET /v1/models/{m}/versions[/{v}[/artifact]]`, `POST /v1/models/{m}/versions` (register: JSON
 * with base64 `onnx`, or the bytes as application/octet-stream), `GET /v1/models/{m}/aliases`,
 * `GET /v1/models/{m}/training-runs`, `GET /v1/audit` (admin).
 */
export function registryRoutes(deps: RegistryRoutesOptions): Route[] {
  const { registry, audit } = deps
  return [
    defineRoute({
      method: 'get',
      path: '/v1/models/{name}/versions',
      scope: 'read',
      modelParam: 'name',
      params: modelParams,
      summary: 'Registered versions of a model, with their aliases',
      responses: { 200: { description: 'Versions, oldest first', schema: z.object({ model: z.string(), aliases: z.record(z.string(), z.number()), versions: z.array(versionSummarySchema) }) }, 404: { description: 'No registered version' } },
      handle: async ({ params }) => {
        const model = params.name
        const [versions, aliases] = await guard(() => Promise.all([registry.listVersions(model), registry.aliases(model)]))
        if (versions.length === 0) throw new AppError('not_found', `model "${model.slice(0, 128)}" has no registered version`)
        return { json: { model, aliases: aliasMap(aliases), versions: versions.map((v) => summary(v, aliases)) } }
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/models/{name}/versions',
      scope: 'operate',
      modelParam: 'name',
      params: modelParams,
      summary: 'Register a version (its number is the next one, never reused)',
      description: `JSON with the ONNX bytes base64 in \`onnx\` (artifacts up to ${MAX_JSON_ARTIFACT_BYTES} bytes), or the bytes as \`application/octet-stream\` (up to ${MAX_ARTIFACT_BYTES}) with the same metadata, base64 JSON, in the \`X-Highway-Registration\` header. Only configured models.`,
      rawBody: { accept: ['json', 'binary'], description: 'Registration JSON `{onnx, signature, …}`, or the ONNX bytes', schema: registerBodySchema },
      // Base64 grows bytes by 4/3; the JSON around them is small.
      maxBodyBytes: Math.max(MAX_ARTIFACT_BYTES, Math.ceil((MAX_JSON_ARTIFACT_BYTES * 4) / 3) + 1024 * 1024),
      responses: { 201: { description: 'The registered version', schema: versionDetailSchema }, 404: { description: 'The model is not configured' } },
      handle: async ({ params, principal, headers, readBody }) => {
        const model = params.name
        assertConfigured(deps.models, model)
        const { bytes, metadata, profile, reference } = await readRegistration({ headers, readBody })
        const actor = principal.id
        const save = deps.saveReference
        if (reference && !save) throw new AppError('bad_request', 'body.reference: this service cannot save reference sets')
        // The profile first, as the local trainer does: a version never names a profile that is not stored.
        if (profile) await registry.artifacts.put(new Uint8Array(profile.buffer, profile.byteOffset, profile.byteLength))
        const v = await guard(() =>
          registry.registerVersion(model, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), metadata, {
            actor,
            ...(reference && save ? { saveReference: (version: number) => save(model, version, reference) } : {}),
          }),
        )
        await audit.record({ actor, component: 'registry', action: 'register', model, target: String(v.version), outcome: 'done', after: { version: v.version, sha256: v.artifact.sha256 } })
        return { status: 201, json: detail(v, []) }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/models/{name}/versions/{version}',
      scope: 'read',
      modelParam: 'name',
      params: versionParams,
      summary: 'One version: lineage, metrics, gates, signature',
      responses: { 200: { description: 'The version', schema: versionDetailSchema }, 404: { description: 'No such version' } },
      handle: async ({ params }) => {
        const [v, aliases] = await guard(() => Promise.all([registry.requireVersion(params.name, params.version), registry.aliases(params.name)]))
        return { json: detail(v, aliases) }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/models/{name}/versions/{version}/artifact',
      scope: 'read',
      modelParam: 'name',
      params: versionParams,
      summary: 'The ONNX bytes of a version (ETag = sha256, verified on read)',
      responses: { 200: { description: 'ONNX bytes', contentType: 'application/octet-stream' }, 304: { description: 'If-None-Match matched' }, 404: { description: 'No such version' } },
      handle: async ({ params, headers }) => {
        const { bytes, sha256 } = await guard(() => registry.readArtifact(params.name, params.version))
        const etag = `"${sha256}"`
        const cache = { etag, 'cache-control': 'private, max-age=0, must-revalidate' }
        if (headers['if-none-match'] === etag) return { status: 304, headers: cache, body: '', contentType: 'application/octet-stream' }
        return {
          headers: { ...cache, 'content-disposition': `attachment; filename="${params.name}-v${params.version}.onnx"` },
          body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
          contentType: 'application/octet-stream',
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/models/{name}/aliases',
      scope: 'read',
      modelParam: 'name',
      params: modelParams,
      summary: 'Aliases in force and their history',
      responses: { 200: { description: 'Aliases', schema: z.object({ model: z.string(), aliases: z.record(z.string(), z.number()), history: z.array(aliasMoveSchema) }) } },
      handle: async ({ params }) => {
        const [aliases, history] = await guard(() => Promise.all([registry.aliases(params.name), registry.aliasHistory(params.name)]))
        return { json: { model: params.name, aliases: aliasMap(aliases), history: history.map(aliasJson) } }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/models/{name}/training-runs',
      scope: 'read',
      modelParam: 'name',
      params: modelParams,
      query: z.object({ run: z.string().min(1).max(128).optional() }).strict(),
      summary: 'Training runs: their trials and how each run ended',
      responses: { 200: { description: 'Trials and outcomes', schema: z.object({ model: z.string(), trials: z.array(trialSchema), outcomes: z.array(trainingRunOutcomeSchema) }) } },
      handle: async ({ params, query }) => {
        const [trials, outcomes] = await guard(() => Promise.all([registry.trainingRuns(params.name, query.run), registry.trainingOutcomes(params.name, query.run)]))
        return {
          json: {
            model: params.name,
            trials: trials.map(({ createdAtMs, ...t }) => ({ ...t, createdAt: new Date(createdAtMs).toISOString() })),
            outcomes: outcomes.map(({ atMs, ...o }) => ({ ...o, at: new Date(atMs).toISOString() })),
          },
        }
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/models/{name}/training-runs',
      scope: 'operate',
      modelParam: 'name',
      params: modelParams,
      body: trainingRunBodySchema,
      maxBodyBytes: 8 << 20,
      summary: 'Record a training run and its trials (what `highway train --url` sends)',
      responses: { 201: { description: 'Recorded', schema: z.object({ model: z.string(), runId: z.string(), trials: z.number() }) }, 404: { description: 'The model is not configured' } },
      handle: async ({ params, body }) => {
        assertConfigured(deps.models, params.name)
        await guard(() => registry.recordTrainingRun({ ...body, model: params.name }))
        return { status: 201, json: { model: params.name, runId: body.runId, trials: body.trials.length } }
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/models/{name}/training-runs/{run}/outcome',
      scope: 'operate',
      modelParam: 'name',
      params: modelParams.extend({ run: z.string().min(1).max(128) }),
      body: outcomeBodySchema,
      maxBodyBytes: 1 << 20,
      summary: 'Record that a training run is running, or how it ended',
      responses: { 200: { description: 'Recorded', schema: z.object({ model: z.string(), runId: z.string(), state: z.string() }) }, 404: { description: 'The model is not configured' } },
      handle: async ({ params, body }) => {
        assertConfigured(deps.models, params.name)
        await guard(() => registry.recordTrainingOutcome(params.name, params.run, { state: body.state, ...(body.version !== undefined ? { version: body.version } : {}), ...(body.reason !== undefined ? { reason: body.reason } : {}) }))
        return { json: { model: params.name, runId: params.run, state: body.state } }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/models/{name}/artifacts/{sha256}',
      scope: 'read',
      modelParam: 'name',
      params: shaParams,
      summary: "A stored artifact one of the model's versions names (its ONNX bytes or its training profile)",
      responses: { 200: { description: 'The bytes', contentType: 'application/octet-stream' }, 404: { description: 'No version of this model names it' } },
      handle: async ({ params }) => {
        const versions = await guard(() => registry.listVersions(params.name))
        const named = versions.some((v) => v.artifact.sha256 === params.sha256 || v.parameters.profileSha256 === params.sha256)
        // Only what this model's versions name: a key limited to one model must not read another's artifacts by digest.
        if (!named) throw new AppError('not_found', `no version of model "${params.name.slice(0, 128)}" names artifact ${params.sha256}`)
        const bytes = await guard(async () => {
          try {
            return await registry.artifacts.get(params.sha256)
          } catch (err) {
            throw new RegistryError('corrupt', `artifact ${params.sha256}: ${(err as Error).message}`, { cause: err })
          }
        })
        return { headers: { etag: `"${params.sha256}"` }, body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), contentType: 'application/octet-stream' }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/audit',
      scope: 'admin',
      query: auditQuery,
      summary: 'The audit trail, newest first (a key limited to models sees only their entries)',
      description: 'Filters: `component`, `model`, `action`, `actor`, `from`/`to` (ISO-8601 or epoch ms), `limit` (default 1000).',
      responses: { 200: { description: 'Audit entries', schema: z.object({ entries: z.array(auditEntrySchema) }) }, 403: { description: 'The key may not see that model' } },
      handle: async ({ query, principal }) => {
        if (query.model !== undefined && principal.models && !principal.models.has(query.model)) throw new AppError('forbidden', `this key may not read model "${query.model.slice(0, 128)}"`)
        const entries = await audit.read({ ...query, ...(principal.models && query.model === undefined ? { models: [...principal.models] } : {}) })
        return { json: { entries: visibleAudit(entries, principal).map(({ atMs, ...e }) => ({ ...e, at: new Date(atMs).toISOString() })) } }
      },
    }),
  ]
}
