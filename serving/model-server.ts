import { createHash, randomUUID } from 'node:crypto'
import { z } from 'zod'
import { AppError } from '../server/index.ts'
import { buildFeeds, checkFeatures, featurizeText, modelSignatureSchema, outputNameOf, readOutputRows, TEXT_VECTOR_SUFFIX, type ModelSignature, type OutputRow, type TextFeaturizer, type TextTransform } from '../contract/index.ts'
import { bucketOf } from './bucket.ts'
import { createInThreadEngine, type EngineSession, type InferenceEngine } from './engine.ts'
import type { ServingMetrics } from './metrics.ts'
import type { PredictionLog, PredictionLogRecord } from './prediction-log.ts'
import { ShadowQueue } from './shadow-queue.ts'
import type { HostTensor, TensorMeta } from './tensor.ts'
import type { FeatureRecord, LoadableVersion, Prediction, PredictionStatus, Routing } from './types.ts'

/** What the server needs; everything has a default. */
export interface ModelServerOptions {
  readonly engine?: InferenceEngine
  readonly metrics?: ServingMetrics
  /** Where every prediction is logged (never awaited on the request path). */
  readonly log?: PredictionLog
  /** Builds `<feature>__vector` inputs of text features; default the contract's shared `featurizeText`. */
  readonly featurizeText?: TextFeaturizer
  /** Shadow requests that may wait; beyond this they are dropped and counted. */
  readonly shadowQueueSize?: number
  readonly logger?: { warn(message: string, fields?: Record<string, unknown>): void }
  readonly now?: () => number
}

/** A version in memory, as the HTTP layer sees it. */
export interface LoadedVersionInfo {
  readonly model: string
  readonly version: number
  readonly signature: ModelSignature
  /**
   * The inputs a raw-tensor client feeds: the graph's, except that a text feature is its raw text (BYTES [-1, 1],
   * named by the feature) rather than the `<feature>__vector` the server builds from it with the shared featuriser.
   */
  readonly inputs: readonly TensorMeta[]
  readonly outputs: readonly TensorMeta[]
  readonly explainable: boolean
}

/** One record of a predict request, after body validation. */
export interface PredictRecord {
  readonly id?: string
  readonly features: FeatureRecord
}

/** A raw-tensor inference request (Open Inference Protocol), after body decoding. */
export interface InferRequest {
  readonly id: string
  readonly inputs: Readonly<Record<string, HostTensor>>
  readonly outputs?: readonly string[]
  /** The routing decision already taken for this id (saves hashing it twice); ignored when a version is pinned. */
  readonly routed?: { readonly version: number; readonly shadow?: number }
}

/** Whether the server can serve every model it was asked to load (KServe's and Triton's server readiness). */
export interface ServingReadiness {
  readonly ready: boolean
  /** Loads still running (the champions being restored at start). */
  readonly loading: boolean
  /** Models with no loaded version whose last load failed, with the reason. */
  readonly failed: Readonly<Record<string, string>>
}

interface Loaded extends LoadedVersionInfo {
  /** Text features: the graph input each feature's raw text becomes. */
  readonly textInputs: ReadonlyArray<{ readonly name: string; readonly transform: TextTransform }>
  readonly session: EngineSession
  readonly digest: string
  readonly explain: LoadableVersion['explain']
  inflight: number
  retired: boolean
}

const percent = z.number().min(0).max(100)
const routingSchema = z
  .object({
    stable: z.number().int().nonnegative(),
    canary: z.object({ version: z.number().int().nonnegative(), weightPercent: percent }).strict().optional(),
    shadow: z.object({ version: z.number().int().nonnegative(), sharePercent: percent }).strict().optional(),
  })
  .strict()

const SHADOW_SALT = 'shadow:'

/**
 * The ONNX model server: versions loaded as onnxruntime sessions for their life, routing (stable, sticky canary,
 * shadow mirrored off the hot path), prediction and raw-tensor inference, and logging of every outcome.
 */
export class ModelServer {
  readonly #engine: InferenceEngine
  readonly #o: ModelServerOptions
  readonly #now: () => number
  readonly #featurizeText: TextFeaturizer
  readonly #versions = new Map<string, Map<number, Loaded>>()
  readonly #loading = new Map<string, Promise<void>>()
  readonly #routing = new Map<string, Routing>()
  readonly #failed = new Map<string, string>()
  readonly #pending = new Set<Promise<unknown>>()
  readonly #shadow: ShadowQueue
  #closed = false

  constructor(options: ModelServerOptions = {}) {
    this.#o = options
    this.#engine = options.engine ?? createInThreadEngine()
    this.#now = options.now ?? Date.now
    this.#featurizeText = options.featurizeText ?? featurizeText
    this.#shadow = new ShadowQueue({ maxQueued: options.shadowQueueSize ?? 1000, onDrop: () => undefined })
  }

  /**
   * Whether every model asked for can be served: not while loads tracked with `whileLoading` run, nor while a
   * model's last load failed and it has no version to serve.
   */
  readiness(): ServingReadiness {
    const failed = Object.fromEntries(this.#failed)
    const loading = this.#pending.size > 0
    return { ready: !loading && this.#failed.size === 0, loading, failed }
  }

  /** Reports not ready until `work` settles (the composition root passes the champions' restore). */
  whileLoading(work: Promise<unknown>): void {
    const tracked = work.then(
      () => undefined,
      () => undefined,
    )
    this.#pending.add(tracked)
    void tracked.then(() => this.#pending.delete(tracked))
  }

  /** Loads a version (idempotent: the same bytes again are a no-op; other bytes under a loaded number are a conflict). The first version of a model becomes its stable route. */
  async load(v: LoadableVersion): Promise<void> {
    if (this.#closed) throw new AppError('unavailable', 'the model server is closed')
    const signature = parseSignature(v)
    const digest = createHash('sha256').update(v.onnx).digest('hex')
    const key = `${v.model}\u0000${v.version}`
    const existing = this.#versions.get(v.model)?.get(v.version)
    if (existing) {
      if (existing.digest !== digest) throw new AppError('conflict', `version ${v.version} of model "${v.model}" is already loaded with other ONNX bytes (sha256 ${existing.digest.slice(0, 12)}…, given ${digest.slice(0, 12)}…)`)
      return
    }
    const pending = this.#loading.get(key)
    if (pending) return pending
    const loading = (async () => {
      let session: EngineSession
      try {
        session = await this.#engine.open(v.onnx)
      } catch (err) {
        throw new AppError('bad_request', `version ${v.version} of model "${v.model}": onnxruntime could not load the graph: ${(err as Error).message}`, { cause: err })
      }
      const problems = checkGraph(signature, session)
      if (problems.length > 0) {
        await session.release()
        throw new AppError('bad_request', `version ${v.version} of model "${v.model}" breaks the graph contract: ${problems.join('; ')}`)
      }
      if (this.#closed) {
        await session.release()
        throw new AppError('unavailable', 'the model server is closed')
      }
      let versions = this.#versions.get(v.model)
      if (!versions) this.#versions.set(v.model, (versions = new Map()))
      const textInputs = signature.text.flatMap((t) => (t.kind === 'text' ? [{ name: `${t.name}${TEXT_VECTOR_SUFFIX}`, transform: t }] : []))
      const vectors = new Map(textInputs.map((t) => [t.name, t.transform.name]))
      versions.set(v.version, {
        model: v.model,
        version: v.version,
        signature,
        inputs: session.inputs.map((i) => (vectors.has(i.name) ? { name: vectors.get(i.name)!, type: 'string', shape: [i.shape[0] ?? null, 1] } : i)),
        textInputs,
        outputs: session.outputs,
        explainable: v.explain !== undefined,
        session,
        digest,
        explain: v.explain,
        inflight: 0,
        retired: false,
      })
      if (!this.#routing.has(v.model)) this.#routing.set(v.model, { stable: v.version })
      this.#o.metrics?.loadedVersions.set({ model: v.model }, versions.size)
    })()
    this.#loading.set(key, loading)
    try {
      await loading
      this.#failed.delete(v.model)
    } catch (err) {
      // A model with nothing to serve after a failed load makes the server not ready; a failed candidate does not.
      if (!this.#versions.has(v.model)) this.#failed.set(v.model, `version ${v.version}: ${(err as Error).message}`)
      throw err
    } finally {
      this.#loading.delete(key)
    }
  }

  /** Unloads a version; refused while routing sends traffic to it. Its session is released once in-flight runs end. */
  async unload(model: string, version: number): Promise<void> {
    const versions = this.#versions.get(model)
    const v = versions?.get(version)
    if (!versions || !v) return
    const r = this.#routing.get(model)
    const routed = r && (r.stable === version || r.canary?.version === version || r.shadow?.version === version)
    if (routed && versions.size > 1) throw new AppError('conflict', `version ${version} of model "${model}" still receives traffic (routing ${JSON.stringify(r)}); route it away before unloading`)
    versions.delete(version)
    if (versions.size === 0) {
      this.#versions.delete(model)
      this.#routing.delete(model)
    }
    this.#o.metrics?.loadedVersions.set({ model }, versions.size)
    v.retired = true
    if (v.inflight === 0) await v.session.release()
  }

  /** Sets how a model's traffic is split; every named version must be loaded. */
  setRouting(model: string, routing: Routing): void {
    const parsed = routingSchema.safeParse(routing)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      throw new AppError('bad_request', `routing.${issue.path.join('.') || '(root)'}: ${issue.message}`)
    }
    const versions = this.#versions.get(model)
    if (!versions) throw new AppError('not_found', `model "${model}" has no loaded version`)
    for (const [role, version] of [['stable', routing.stable], ['canary', routing.canary?.version], ['shadow', routing.shadow?.version]] as const) {
      if (version !== undefined && !versions.has(version)) throw new AppError('conflict', `routing.${role}: version ${version} of model "${model}" is not loaded (loaded: ${[...versions.keys()].join(', ')})`)
    }
    this.#routing.set(model, parsed.data)
  }

  /** The model's current routing, or undefined when nothing is loaded. */
  routing(model: string): Routing | undefined {
    return this.#routing.get(model)
  }

  /** Loaded version numbers of a model, ascending. */
  loaded(model: string): number[] {
    return [...(this.#versions.get(model)?.keys() ?? [])].sort((a, b) => a - b)
  }

  /** Models with at least one loaded version. */
  models(): string[] {
    return [...this.#versions.keys()].sort()
  }

  /** A loaded version (the stable one when `version` is omitted); 404 when absent. */
  version(model: string, version?: number): LoadedVersionInfo {
    return this.#get(model, version)
  }

  /** Shadow requests waiting or running; `idle` resolves when none remain. */
  get shadowQueue(): { readonly size: number; readonly dropped: number; idle(): Promise<void> } {
    return this.#shadow
  }

  /** Which versions serve a request id: stable or canary (sticky by id), and whether it is mirrored to the shadow. */
  route(model: string, requestId: string): { version: number; shadow?: number } {
    const r = this.#routing.get(model)
    if (!r) throw new AppError('not_found', `model "${model.slice(0, 128)}" has no loaded version (loaded models: ${this.models().join(', ') || 'none'})`)
    const version = r.canary && bucketOf(requestId) < r.canary.weightPercent ? r.canary.version : r.stable
    const shadow = r.shadow && bucketOf(requestId, SHADOW_SALT) < r.shadow.sharePercent && r.shadow.version !== version ? r.shadow.version : undefined
    return shadow === undefined ? { version } : { version, shadow }
  }

  /** Predicts records routed per id (or all on `version`); logs every record, failures included. */
  async predict(model: string, records: readonly PredictRecord[], options: { explain?: boolean; version?: number } = {}): Promise<Prediction[]> {
    const started = performance.now()
    const tsMs = this.#now()
    const ids = records.map((r) => r.id ?? randomUUID())
    const versionOf = ids.map((id) => (options.version !== undefined ? { version: options.version } : this.route(model, id)))
    const fail = (status: PredictionStatus, err: AppError, versions: readonly number[]): never => {
      this.#logAll(model, records.map((r, i) => ({ id: ids[i]!, version: versions[i]!, features: r.features })), status, started, tsMs)
      throw err
    }
    // Resolve versions and check every record before anything runs: a bad record fails the request as a whole.
    const groups = new Map<number, number[]>()
    versionOf.forEach((v, i) => {
      const g = groups.get(v.version)
      if (g) g.push(i)
      else groups.set(v.version, [i])
    })
    const loaded = new Map<number, Loaded>()
    try {
      for (const version of groups.keys()) loaded.set(version, this.#get(model, version))
    } catch (err) {
      return fail('invalid', err as AppError, versionOf.map((v) => v.version))
    }
    const errors: string[] = []
    records.forEach((r, i) => errors.push(...checkFeatures(loaded.get(versionOf[i]!.version)!.signature, r.features, `records[${i}].features`)))
    if (options.explain) {
      for (const lv of loaded.values()) if (!lv.explain) errors.push(`explain: version ${lv.version} of model "${model}" has no explainer (contributions exist for linear models only); send explain: false`)
    }
    if (errors.length > 0) return fail('invalid', new AppError('bad_request', errors.slice(0, 20).join('; ')), versionOf.map((v) => v.version))

    const out: Prediction[] = new Array(records.length)
    const logs: PredictionLogRecord[] = []
    const statusOf = new Map<number, PredictionStatus>()
    let failure: AppError | undefined
    for (const [version, idx] of groups) {
      const lv = loaded.get(version)!
      const features = idx.map((i) => records[i]!.features)
      let rows: OutputRow[]
      let contributions: Array<Record<string, number>> | undefined
      try {
        rows = await this.#runRows(lv, features)
        if (options.explain) contributions = lv.explain!(features)
      } catch (err) {
        failure ??= err instanceof AppError ? err : new AppError('internal', `version ${version} of model "${model}" failed to predict: ${(err as Error).message}`, { cause: err })
        statusOf.set(version, 'error')
        continue
      }
      const nonFinite = nonFiniteRow(rows)
      if (nonFinite !== undefined) {
        failure ??= nonFiniteError(model, version, nonFinite, describeRecord(records[idx[nonFinite]!]!.features), `records[${idx[nonFinite]}]`)
        continue
      }
      statusOf.set(version, 'ok')
      idx.forEach((i, k) => {
        const row = rows[k]!
        out[i] = { id: ids[i]!, version, prediction: row.prediction, ...(row.scores ? { scores: row.scores } : {}), ...(contributions?.[k] ? { contributions: contributions[k] } : {}) }
        logs.push({ id: ids[i]!, ts: tsMs, version: String(version), features: records[i]!.features, prediction: row.logged, latency_ms: 0, status: 'ok' })
      })
    }
    if (failure) {
      // The request failed as a whole: every record is logged with the version it was routed to, as an error of
      // the model, or as invalid when its inputs were the cause (a 4xx is never booked as a model failure).
      return fail(failure.status < 500 ? 'invalid' : 'error', failure, versionOf.map((v) => v.version))
    }
    const latencyMs = performance.now() - started
    for (const [version, status] of statusOf) this.#observe(model, version, status, latencyMs, groups.get(version)!.length)
    this.#o.log?.log(model, logs.map((l) => ({ ...l, latency_ms: latencyMs })))
    this.#mirror(model, records, ids, versionOf, tsMs)
    return out
  }

  /** Runs raw tensors (Open Inference Protocol) on a version, or on the routed one when `version` is omitted. */
  async infer(model: string, version: number | undefined, request: InferRequest): Promise<{ version: number; outputs: Record<string, HostTensor> }> {
    const started = performance.now()
    const tsMs = this.#now()
    const routed = version !== undefined ? { version } : (request.routed ?? this.route(model, request.id))
    const lv = this.#get(model, routed.version)
    // No outputs named (absent or `[]`) means every output, as the protocol says for an absent list.
    const outputNames = request.outputs && request.outputs.length > 0 ? [...new Set(request.outputs)] : undefined
    const problems = checkInferInputs(lv, request)
    const rows = rowsOf(request.inputs)
    // Feature records are built only for what reads them (the log, a shadow, an error's message): a server without a
    // prediction log answers without them.
    let features: FeatureRecord[] | undefined
    const featureRows = (): FeatureRecord[] => (features ??= rows > 0 ? featuresOfTensors(lv.signature, request.inputs, rows) : [])
    const logIds = rowIds(request.id, rows)
    if (problems.length > 0) {
      this.#logAll(model, featureRows().map((f, i) => ({ id: logIds[i]!, version: lv.version, features: f })), 'invalid', started, tsMs)
      throw new AppError('bad_request', problems.join('; '))
    }
    let feeds: Readonly<Record<string, HostTensor>> = request.inputs
    if (lv.textInputs.length > 0) {
      const f: Record<string, HostTensor> = { ...request.inputs }
      for (const t of lv.textInputs) {
        const raw = f[t.transform.name]!
        delete f[t.transform.name]
        f[t.name] = { type: 'float64', dims: [rows, t.transform.vocabulary.length], data: this.#featurizeText(t.transform, raw.data as string[]) }
      }
      feeds = f
    }
    let outputs: Record<string, HostTensor>
    try {
      outputs = await this.#run(lv, feeds, outputNames)
    } catch (err) {
      this.#logAll(model, featureRows().map((f, i) => ({ id: logIds[i]!, version: lv.version, features: f })), 'error', started, tsMs)
      throw new AppError('internal', `version ${lv.version} of model "${model}" failed to run: ${(err as Error).message}`, { cause: err })
    }
    const nonFinite = nonFiniteOutput(outputs, rows)
    if (nonFinite !== undefined) {
      this.#logAll(model, featureRows().map((f, i) => ({ id: logIds[i]!, version: lv.version, features: f })), 'invalid', started, tsMs)
      throw nonFiniteError(model, lv.version, nonFinite.row, featureRows()[nonFinite.row] ? describeRecord(featureRows()[nonFinite.row]!) : '', `inputs (row ${nonFinite.row})`, nonFinite.output)
    }
    const latencyMs = performance.now() - started
    this.#observe(model, lv.version, 'ok', latencyMs, rows)
    // Rows are logged when the contract output was computed (and asked for); a partial output selection logs features only.
    const log = this.#o.log
    if (log) {
      let contractRows: OutputRow[] | undefined
      try {
        if (outputs[outputNameOf(lv.signature)]) contractRows = readOutputRows(lv.signature, outputs, rows)
      } catch {
        contractRows = undefined
      }
      log.log(
        model,
        featureRows().map((f, i) => ({ id: logIds[i]!, ts: tsMs, version: String(lv.version), features: f, prediction: contractRows?.[i]?.logged ?? null, latency_ms: latencyMs, status: 'ok' })),
      )
    }
    if (routed.shadow !== undefined && rows > 0) {
      const shadowVersion = routed.shadow
      this.#enqueueShadow(model, shadowVersion, featureRows(), logIds, tsMs)
    }
    return { version: lv.version, outputs }
  }

  /** Releases every session; later calls fail. Waits for shadow work first. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#shadow.idle()
    await Promise.allSettled(this.#loading.values())
    const all = [...this.#versions.values()].flatMap((m) => [...m.values()])
    this.#versions.clear()
    this.#routing.clear()
    for (const v of all) {
      v.retired = true
      if (v.inflight === 0) await v.session.release()
    }
  }

  #get(model: string, version?: number): Loaded {
    const versions = this.#versions.get(model)
    if (!versions) throw new AppError('not_found', `model "${model.slice(0, 128)}" has no loaded version (loaded models: ${this.models().join(', ') || 'none'})`)
    const v = versions.get(version ?? this.#routing.get(model)!.stable)
    if (!v) throw new AppError('not_found', `version ${version} of model "${model.slice(0, 128)}" is not loaded (loaded: ${[...versions.keys()].join(', ')})`)
    return v
  }

  async #run(lv: Loaded, feeds: Readonly<Record<string, HostTensor>>, outputNames?: readonly string[]): Promise<Record<string, HostTensor>> {
    const m = this.#o.metrics
    lv.inflight++
    m?.inflight.inc({ model: lv.model })
    try {
      return await lv.session.run(feeds, outputNames)
    } finally {
      m?.inflight.dec({ model: lv.model })
      lv.inflight--
      if (lv.retired && lv.inflight === 0) await lv.session.release()
    }
  }

  async #runRows(lv: Loaded, features: readonly FeatureRecord[]): Promise<OutputRow[]> {
    const feeds = buildFeeds(lv.signature, features, this.#featurizeText)
    const outputs = await this.#run(lv, feeds, [outputNameOf(lv.signature)])
    return readOutputRows(lv.signature, outputs, features.length)
  }

  #observe(model: string, version: number, status: PredictionStatus, latencyMs: number, rows: number): void {
    const m = this.#o.metrics
    if (!m) return
    const labels = { model, version: String(version), status }
    m.requests.inc(labels, rows)
    m.latencySeconds.observe(labels, latencyMs / 1000)
    if (status === 'ok') m.batchSize.observe({ model }, rows)
  }

  #logAll(model: string, rows: ReadonlyArray<{ id: string; version: number | undefined; features: FeatureRecord }>, status: PredictionStatus, started: number, tsMs: number): void {
    const latencyMs = performance.now() - started
    const byVersion = new Map<number | undefined, number>()
    for (const r of rows) byVersion.set(r.version, (byVersion.get(r.version) ?? 0) + 1)
    const m = this.#o.metrics
    for (const [version, n] of byVersion) {
      const labels = { model, version: version === undefined ? '' : String(version), status }
      m?.requests.inc(labels, n)
      m?.latencySeconds.observe(labels, latencyMs / 1000)
    }
    this.#o.log?.log(
      model,
      rows.map((r) => ({ id: r.id, ts: tsMs, version: r.version === undefined ? '' : String(r.version), features: r.features, prediction: null, latency_ms: latencyMs, status })),
    )
  }

  #mirror(model: string, records: readonly PredictRecord[], ids: readonly string[], routes: ReadonlyArray<{ shadow?: number }>, tsMs: number): void {
    const byShadow = new Map<number, number[]>()
    routes.forEach((r, i) => {
      if (r.shadow === undefined) return
      const g = byShadow.get(r.shadow)
      if (g) g.push(i)
      else byShadow.set(r.shadow, [i])
    })
    for (const [version, idx] of byShadow) {
      this.#enqueueShadow(
        model,
        version,
        idx.map((i) => records[i]!.features),
        idx.map((i) => ids[i]!),
        tsMs,
      )
    }
  }

  #enqueueShadow(model: string, version: number, features: readonly FeatureRecord[], ids: readonly string[], tsMs: number): void {
    const queued = this.#shadow.push(async () => {
      const versions = this.#versions.get(model)
      const lv = versions?.get(version)
      if (!lv) return
      const started = performance.now()
      let rows: OutputRow[] | undefined
      let status: PredictionStatus = 'ok'
      if (features.some((f, i) => checkFeatures(lv.signature, f, `records[${i}].features`).length > 0)) status = 'invalid'
      else {
        try {
          rows = await this.#runRows(lv, features)
        } catch (err) {
          status = 'error'
          this.#o.logger?.warn('shadow prediction failed', { model, version, error: (err as Error).message })
        }
      }
      const latencyMs = performance.now() - started
      this.#o.metrics?.shadow.inc({ model, version: String(version), status }, features.length)
      this.#o.log?.log(
        model,
        features.map((f, i) => ({ id: ids[i]!, ts: tsMs, version: String(version), features: f, prediction: rows?.[i]?.logged ?? null, latency_ms: latencyMs, status })),
      )
    })
    if (!queued) this.#o.metrics?.shadowDropped.inc({ model })
  }
}

function parseSignature(v: LoadableVersion): ModelSignature {
  const parsed = modelSignatureSchema.safeParse(v.signature)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new AppError('bad_request', `version ${v.version} of model "${v.model}": signature.${issue.path.join('.')}: ${issue.message}`)
  }
  if (parsed.data.task !== 'regression' && !(parsed.data.classes && parsed.data.classes.length >= 2)) {
    throw new AppError('bad_request', `version ${v.version} of model "${v.model}": signature.classes: a ${parsed.data.task} model must list at least 2 classes`)
  }
  return parsed.data
}

/** Differences between a signature and the graph's inputs/outputs (contract/signature.ts). */
function checkGraph(signature: ModelSignature, session: EngineSession): string[] {
  const problems: string[] = []
  const inputs = new Map(session.inputs.map((i) => [i.name, i]))
  for (const input of signature.inputs) {
    const name = input.type === 'text' ? `${input.name}${TEXT_VECTOR_SUFFIX}` : input.name
    const expected = input.type === 'category' ? 'string' : 'float64'
    const got = inputs.get(name)
    if (!got) problems.push(`graph input "${name}" (${input.type} feature) is missing (graph inputs: ${[...inputs.keys()].join(', ')})`)
    else if (got.type !== expected) problems.push(`graph input "${name}" must be tensor(${expected}), got tensor(${got.type})`)
  }
  const outName = outputNameOf(signature)
  const out = session.outputs.find((o) => o.name === outName)
  if (!out) problems.push(`graph output "${outName}" is missing (graph outputs: ${session.outputs.map((o) => o.name).join(', ')})`)
  else if (out.type !== 'float64') problems.push(`graph output "${outName}" must be tensor(double), got tensor(${out.type})`)
  else if (signature.classes && typeof out.shape[1] === 'number' && out.shape[1] !== signature.classes.length) {
    problems.push(`graph output "probabilities" has ${out.shape[1]} columns for ${signature.classes.length} classes`)
  }
  return problems
}

function rowsOf(inputs: Readonly<Record<string, HostTensor>>): number {
  const first = Object.values(inputs)[0]
  return first && first.dims.length > 0 ? first.dims[0]! : 0
}

function rowIds(requestId: string, rows: number): string[] {
  return rows === 1 ? [requestId] : Array.from({ length: rows }, (_, i) => `${requestId}:${i}`)
}

/** Checks a raw-tensor request against the graph: names, element types, ranks, fixed dimensions, one batch size. */
function checkInferInputs(lv: Loaded, request: InferRequest): string[] {
  const problems: string[] = []
  const graph = new Map(lv.inputs.map((i) => [i.name, i]))
  for (const name of Object.keys(request.inputs)) if (!graph.has(name)) problems.push(`inputs: "${name}" is not an input of model "${lv.model}" (inputs: ${[...graph.keys()].join(', ')})`)
  let batch: number | undefined
  for (const meta of lv.inputs) {
    const t = request.inputs[meta.name]
    if (!t) {
      problems.push(`inputs: "${meta.name}" is required`)
      continue
    }
    if (t.type !== meta.type) problems.push(`inputs.${meta.name}.datatype: the graph takes ${meta.type === 'string' ? 'BYTES' : meta.type} here, got ${t.type === 'string' ? 'BYTES' : t.type}`)
    if (t.dims.length !== meta.shape.length) problems.push(`inputs.${meta.name}.shape: must have ${meta.shape.length} dimensions [${meta.shape.map((d) => d ?? -1).join(', ')}], got [${t.dims.join(', ')}]`)
    else
      meta.shape.forEach((d, k) => {
        if (d !== null && t.dims[k] !== d) problems.push(`inputs.${meta.name}.shape[${k}]: must be ${d}, got ${t.dims[k]}`)
      })
    if (batch === undefined) batch = t.dims[0]
    else if (t.dims[0] !== batch) problems.push(`inputs.${meta.name}.shape[0]: every input must have the same batch size (${batch}), got ${t.dims[0]}`)
  }
  const outputs = new Set(lv.outputs.map((o) => o.name))
  for (const o of request.outputs ?? []) if (!outputs.has(o)) problems.push(`outputs: "${o}" is not an output of model "${lv.model}" (outputs: ${[...outputs].join(', ')})`)
  return problems
}

/** The first row holding a non-finite prediction or score. */
function nonFiniteRow(rows: readonly OutputRow[]): number | undefined {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!
    if (typeof r.prediction === 'number' && !Number.isFinite(r.prediction)) return i
    if (r.scores && Object.values(r.scores).some((v) => !Number.isFinite(v))) return i
  }
  return undefined
}

/** The first floating-point output element that is NaN or ±Infinity, with its row. */
function nonFiniteOutput(outputs: Readonly<Record<string, HostTensor>>, rows: number): { output: string; row: number } | undefined {
  for (const [name, t] of Object.entries(outputs)) {
    if (t.type !== 'float64' && t.type !== 'float32') continue
    const d = t.data as Float64Array | Float32Array
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i]!)) return { output: name, row: rows > 0 ? Math.floor(i / Math.max(1, d.length / rows)) : 0 }
    }
  }
  return undefined
}

/** A record's inputs, the largest magnitudes first (the likeliest drivers of an overflow), for an error message. */
function describeRecord(features: FeatureRecord): string {
  const entries = Object.entries(features)
  entries.sort((a, b) => (typeof b[1] === 'number' ? Math.abs(b[1]) : -1) - (typeof a[1] === 'number' ? Math.abs(a[1]) : -1))
  return entries
    .slice(0, 5)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')
}

/**
 * The answer when a model computes NaN or ±Infinity: JSON cannot carry it and the spec's `$tensor_data` has no
 * such value, and the cause is an input far outside what the model was trained on, so it is the client's 400
 * (booked as `invalid`), naming the row and its inputs, never a 200 with `null` in the data.
 */
function nonFiniteError(model: string, version: number, row: number, inputs: string, where: string, output?: string): AppError {
  return new AppError(
    'bad_request',
    `${where}: version ${version} of model "${model}" computes a non-finite ${output ? `"${output}"` : 'prediction'} (NaN or ±Infinity) for row ${row}; its inputs are outside the range the model can score${inputs ? ` (${inputs})` : ''}`,
  )
}

/** Per-row raw features of a raw-tensor request, for the prediction log (text arrives raw, as on /v1 predict). */
function featuresOfTensors(signature: ModelSignature, inputs: Readonly<Record<string, HostTensor>>, rows: number): FeatureRecord[] {
  const out: Array<Record<string, number | string | boolean | null>> = Array.from({ length: rows }, () => ({}))
  for (const input of signature.inputs) {
    const t = inputs[input.name]
    if (!t || t.data.length !== rows) continue
    for (let i = 0; i < rows; i++) {
      const v = t.data[i]
      if (typeof v === 'string') out[i]![input.name] = v
      else if (typeof v === 'bigint') out[i]![input.name] = Number(v)
      else if (typeof v === 'number') out[i]![input.name] = Number.isNaN(v) ? null : input.type === 'boolean' ? v !== 0 : v
    }
  }
  return out
}
