import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { z } from 'zod'
import { modelParamsSchema, modelSignatureSchema, preprocessorSchema } from '../contract/index.ts'
import {
  claimModelVersion,
  insertAliasMove,
  insertModelVersion,
  insertRegistryOutcome,
  insertTrainingRuns,
  listModelVersions,
  listRegisteredModels,
  maxModelVersion,
  nextAliasTimestampUs,
  readAliasHistory,
  readCurrentAliases,
  readModelVersion,
  readRegistryOutcomes,
  readTrainingRuns,
  readUnwrittenClaims,
  type AliasMove,
  type Store,
  type VersionRow,
} from '../store/index.ts'
import { ArtifactCorruptError, ArtifactMissingError, createArtifactStore, type ArtifactStore } from './artifact-store.ts'
import {
  aliasNameSchema,
  gateResultSchema,
  modelNameSchema,
  registrationSchema,
  RegistryError,
  trainingRunSchema,
  type AliasState,
  type RegisteredVersion,
  type RegistrationInput,
  type TrainingRunInput,
  type TrainingTrial,
} from './types.ts'

/** What the registry needs: the store, where artifacts live, and a clock. */
export interface RegistryOptions {
  readonly store: Store
  readonly artifactsDir: string
  readonly now?: () => number
  /** Claims tried before giving up when every number is taken by concurrent registrations. */
  readonly maxClaimAttempts?: number
  /** Who this process is (`host:pid`), recorded with claims and runs so a later process can tell a dead owner. */
  readonly owner?: string
}

/** How a training run ended, or that it is still running. */
export interface TrainingOutcome {
  readonly runId: string
  readonly state: 'running' | 'done' | 'failed'
  /** The version it registered (0 when none). */
  readonly version: number
  readonly reason: string
  readonly atMs: number
}

/** What recovery found and marked failed. */
export interface RecoveryReport {
  readonly claims: ReadonlyArray<{ readonly model: string; readonly version: number; readonly reason: string }>
  readonly runs: ReadonlyArray<{ readonly model: string; readonly runId: string; readonly reason: string }>
}

/** Options of `recoverAbandoned`. */
export interface RecoveryOptions {
  /** Whether an owner (`host:pid`) still runs; default: same host and the pid answers signal 0. */
  readonly isAlive?: (owner: string) => boolean
  /** Work whose owner cannot be checked (another host) is abandoned after this long; default 24 h. */
  readonly staleAfterMs?: number
}

/** Options of one registration. */
export interface RegisterOptions {
  /** Who registers (API key id, or the trainer's name). */
  readonly actor?: string
  /**
   * Saves the training data's reference profile for the new version (e.g. the analyzer's
   * `createReferenceFromRecords(model, String(version), records)`) and returns its id; called once the number is
   * claimed, before the version is written, so the version row carries the id.
   */
  readonly saveReference?: (version: number) => Promise<string>
  /**
   * The reference records themselves, for a registry that registers elsewhere (`highway train --url` sends them
   * with the registration and the service saves them); the local registry uses `saveReference`.
   */
  readonly referenceRecords?: readonly unknown[]
}

/** The model registry: versions with their artifacts and lineage, aliases with history, training runs. */
export interface Registry {
  readonly artifacts: ArtifactStore
  /** Registers ONNX bytes and their metadata as the model's next version (1, 2, … per model, never reused). */
  registerVersion(model: string, onnx: Uint8Array, metadata: RegistrationInput, options?: RegisterOptions): Promise<RegisteredVersion>
  /** Records a training run's trials (hyperparameter search included). */
  recordTrainingRun(run: TrainingRunInput): Promise<void>
  trainingRuns(model: string, runId?: string): Promise<TrainingTrial[]>
  readVersion(model: string, version: number): Promise<RegisteredVersion | undefined>
  /** Like readVersion, but a missing version is a RegistryError('not_found'). */
  requireVersion(model: string, version: number): Promise<RegisteredVersion>
  listVersions(model: string): Promise<RegisteredVersion[]>
  listModels(): Promise<Array<{ model: string; versions: number; latest: number }>>
  /** The version's ONNX bytes, verified against its sha256. */
  readArtifact(model: string, version: number): Promise<{ bytes: Uint8Array; sha256: string }>
  /** Points an alias at a registered version (0 removes it); returns the move. */
  setAlias(model: string, alias: string, version: number, options: { actor: string; reason?: string; note?: string }): Promise<AliasState>
  /** The version an alias names, or undefined when unset or removed. */
  resolveAlias(model: string, alias: string): Promise<number | undefined>
  aliases(model: string): Promise<AliasState[]>
  aliasHistory(model: string, alias?: string): Promise<AliasState[]>
  /** Records that a training run started (`running`), or how it ended. */
  recordTrainingOutcome(model: string, runId: string, outcome: { state: TrainingOutcome['state']; version?: number; reason?: string }): Promise<void>
  trainingOutcomes(model: string, runId?: string): Promise<TrainingOutcome[]>
  /**
   * Marks failed, with the reason, what killed processes left behind: claimed version numbers never written (the
   * numbers stay burnt) and training runs still `running` whose owner is gone. Run at start and before training.
   */
  recoverAbandoned(options?: RecoveryOptions): Promise<RecoveryReport>
}

/** `host:pid` of this process. */
export function processOwner(): string {
  return `${hostname()}:${process.pid}`
}

/** Whether `host:pid` names a process running on this host (signal 0 probes without touching it). */
export function ownerRunsHere(owner: string): boolean {
  const at = owner.lastIndexOf(':')
  if (at < 0 || owner.slice(0, at) !== hostname()) return false
  const pid = Number(owner.slice(at + 1))
  if (!Number.isInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the pid exists but belongs to someone else — alive as far as we can tell.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Whether an owner's work may be marked failed: it ran here and is gone, or nobody can vouch for it any more. */
function ownerGone(owner: string, ageMs: number, o: Required<RecoveryOptions>): boolean {
  const at = owner.lastIndexOf(':')
  const local = at > 0 && owner.slice(0, at) === hostname()
  if (local) return !o.isAlive(owner)
  return ageMs > o.staleAfterMs
}

const DAY_MS = 24 * 3600 * 1000

const json = z.string().transform((s, ctx) => {
  try {
    return JSON.parse(s) as unknown
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not JSON' })
    return z.NEVER
  }
})
const object = z.record(z.string(), z.unknown())
const record = json.pipe(object)

function toRegistered(row: VersionRow): RegisteredVersion {
  const where = `version ${row.version} of model "${row.model}"`
  const parse = <T>(what: string, schema: z.ZodType<T>, text: string): T => {
    const parsed = json.pipe(schema).safeParse(text)
    if (!parsed.success) throw new RegistryError('corrupt', `${where}: stored ${what} does not parse: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
    return parsed.data
  }
  return {
    model: row.model,
    version: row.version,
    artifact: { sha256: row.artifactSha256, bytes: row.artifactBytes },
    dataset: { version: row.datasetVersion, rows: row.datasetRows },
    codeVersion: row.codeVersion,
    parameters: parse('parameters', object, row.parametersJson),
    metrics: parse('metrics', object, row.metricsJson),
    gates: parse('gates', z.array(gateResultSchema), row.gatesJson),
    signature: parse('signature', modelSignatureSchema, row.signatureJson),
    preprocessor: row.preprocessorJson === '' ? null : parse('preprocessor', preprocessorSchema, row.preprocessorJson),
    params: row.paramsJson === '' ? null : parse('params', modelParamsSchema, row.paramsJson),
    referenceId: row.referenceId,
    trainingRunId: row.trainingRunId,
    description: row.description,
    createdAtMs: row.createdAtMs,
    createdBy: row.createdBy,
  }
}

const toAlias = (m: AliasMove): AliasState => ({
  alias: m.alias,
  version: m.version,
  previousVersion: m.previousVersion,
  setAtMs: Math.floor(m.setAtUs / 1000),
  setBy: m.setBy,
  reason: m.reason,
  note: m.note,
})

function explain(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
}

/** Builds the registry; artifacts go under `artifactsDir` (created on first write). */
export function createRegistry(options: RegistryOptions): Registry {
  const { store } = options
  const now = options.now ?? Date.now
  const artifacts = createArtifactStore(options.artifactsDir)
  const maxAttempts = options.maxClaimAttempts ?? 100
  const owner = options.owner ?? processOwner()
  const checkModel = (model: string): void => {
    const parsed = modelNameSchema.safeParse(model)
    if (!parsed.success) throw new RegistryError('invalid', `model ${JSON.stringify(model.slice(0, 140))}: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  }

  const readVersion = async (model: string, version: number): Promise<RegisteredVersion | undefined> => {
    const row = await readModelVersion(store, model, version)
    return row && toRegistered(row)
  }
  const requireVersion = async (model: string, version: number): Promise<RegisteredVersion> => {
    const v = await readVersion(model, version)
    if (v) return v
    const versions = await listModelVersions(store, model)
    throw new RegistryError(
      'not_found',
      versions.length === 0
        ? `model "${model}" has no registered version`
        : `model "${model}" has no version ${version} (registered: ${versions.map((r) => r.version).join(', ')})`,
    )
  }

  return {
    artifacts,
    readVersion,
    requireVersion,
    async registerVersion(model, onnx, metadata, opts = {}) {
      checkModel(model)
      const parsed = registrationSchema.safeParse(metadata)
      if (!parsed.success) throw new RegistryError('invalid', `registration of model "${model}": ${explain(parsed.error)}`)
      if (onnx.byteLength === 0) throw new RegistryError('invalid', `registration of model "${model}": onnx: must not be empty`)
      const m = parsed.data
      // The artifact first: a version row never names bytes that are not on disk.
      const artifact = await artifacts.put(onnx)
      // The owner leads the claim id: a later process can tell whether the claimant is still alive.
      const claimId = `${owner}/${randomUUID()}`
      let version = (await maxModelVersion(store, model)) + 1
      for (let attempt = 0; ; attempt++) {
        if (await claimModelVersion(store, { model, version, claimId, atMs: now() })) break
        if (attempt + 1 >= maxAttempts) throw new RegistryError('conflict', `model "${model}": no version number claimed after ${maxAttempts} attempts (too many concurrent registrations)`)
        // Someone else holds this number; the next free one is past whatever they (and others) claimed.
        version = Math.max(version + 1, (await maxModelVersion(store, model)) + 1)
      }
      const referenceId = opts.saveReference ? await opts.saveReference(version) : m.referenceId
      const row: VersionRow = {
        model,
        version,
        registrationId: claimId,
        artifactSha256: artifact.sha256,
        artifactBytes: artifact.bytes,
        datasetVersion: m.dataset.version,
        datasetRows: m.dataset.rows,
        codeVersion: m.codeVersion,
        parametersJson: JSON.stringify(m.parameters),
        metricsJson: JSON.stringify(m.metrics),
        gatesJson: JSON.stringify(m.gates),
        signatureJson: JSON.stringify(m.signature),
        preprocessorJson: m.preprocessor ? JSON.stringify(m.preprocessor) : '',
        paramsJson: m.params ? JSON.stringify(m.params) : '',
        referenceId,
        trainingRunId: m.trainingRunId,
        description: m.description,
        createdAtMs: now(),
        createdBy: opts.actor ?? 'system',
      }
      await insertModelVersion(store, row)
      return toRegistered(row)
    },
    async recordTrainingRun(run) {
      const parsed = trainingRunSchema.safeParse(run)
      if (!parsed.success) throw new RegistryError('invalid', `training run: ${explain(parsed.error)}`)
      const r = parsed.data
      const at = now()
      await insertTrainingRuns(
        store,
        r.trials.map((t) => ({
          runId: r.runId,
          model: r.model,
          trialIndex: t.trialIndex,
          parametersJson: JSON.stringify(t.parameters),
          metricsJson: JSON.stringify(t.metrics),
          datasetVersion: r.datasetVersion,
          codeVersion: r.codeVersion,
          seed: t.seed,
          createdAtMs: at,
        })),
      )
    },
    async trainingRuns(model, runId) {
      const rows = await readTrainingRuns(store, model, runId)
      return rows.map((r) => ({
        runId: r.runId,
        model: r.model,
        trialIndex: r.trialIndex,
        parameters: record.parse(r.parametersJson),
        metrics: record.parse(r.metricsJson),
        datasetVersion: r.datasetVersion,
        codeVersion: r.codeVersion,
        seed: r.seed,
        createdAtMs: r.createdAtMs,
      }))
    },
    async listVersions(model) {
      return (await listModelVersions(store, model)).map(toRegistered)
    },
    listModels: () => listRegisteredModels(store),
    async readArtifact(model, version) {
      const v = await requireVersion(model, version)
      try {
        return { bytes: await artifacts.get(v.artifact.sha256), sha256: v.artifact.sha256 }
      } catch (err) {
        if (err instanceof ArtifactCorruptError || err instanceof ArtifactMissingError) {
          throw new RegistryError('corrupt', `version ${version} of model "${model}": ${err.message}`, { cause: err })
        }
        throw err
      }
    },
    async setAlias(model, alias, version, o) {
      checkModel(model)
      const a = aliasNameSchema.safeParse(alias)
      if (!a.success) throw new RegistryError('invalid', `alias ${JSON.stringify(alias.slice(0, 80))}: ${a.error.issues[0]?.message ?? 'invalid'}`)
      if (!Number.isInteger(version) || version < 0) throw new RegistryError('invalid', `version must be a registered version number (or 0 to remove the alias), got ${version}`)
      if (version > 0) await requireVersion(model, version)
      const [current] = await readAliasHistory(store, model, alias, 1)
      const move: AliasMove = {
        model,
        alias,
        version,
        previousVersion: current?.version ?? 0,
        setAtUs: nextAliasTimestampUs(now()),
        setBy: o.actor,
        reason: o.reason ?? 'set',
        note: o.note ?? '',
      }
      await insertAliasMove(store, move)
      return toAlias(move)
    },
    async resolveAlias(model, alias) {
      const [current] = await readAliasHistory(store, model, alias, 1)
      return current && current.version > 0 ? current.version : undefined
    },
    async aliases(model) {
      return (await readCurrentAliases(store, model)).filter((m) => m.version > 0).map(toAlias)
    },
    async aliasHistory(model, alias) {
      return (await readAliasHistory(store, model, alias)).map(toAlias)
    },
    async recordTrainingOutcome(model, runId, o) {
      checkModel(model)
      await insertRegistryOutcome(store, { model, kind: 'training_run', key: runId, version: o.version ?? 0, state: o.state, owner, reason: o.reason ?? '', atMs: now() })
    },
    async trainingOutcomes(model, runId) {
      return (await readRegistryOutcomes(store, { model, kind: 'training_run', ...(runId ? { key: runId } : {}) })).map((r) => ({ runId: r.key, state: r.state, version: r.version, reason: r.reason, atMs: r.atMs }))
    },
    async recoverAbandoned(o = {}) {
      const opts: Required<RecoveryOptions> = { isAlive: o.isAlive ?? ownerRunsHere, staleAfterMs: o.staleAfterMs ?? DAY_MS }
      const at = now()
      const claims: Array<{ model: string; version: number; reason: string }> = []
      for (const c of await readUnwrittenClaims(store)) {
        const claimant = c.claimId.includes('/') ? c.claimId.slice(0, c.claimId.indexOf('/')) : ''
        if (!ownerGone(claimant, at - c.claimedAtMs, opts)) continue
        const reason = claimant
          ? `version ${c.version} was claimed by ${claimant} at ${new Date(c.claimedAtMs).toISOString()}, which stopped before writing it; the number stays unused`
          : `version ${c.version} was claimed at ${new Date(c.claimedAtMs).toISOString()} and never written; the number stays unused`
        await insertRegistryOutcome(store, { model: c.model, kind: 'version_claim', key: String(c.version), version: c.version, state: 'failed', owner: claimant, reason, atMs: at })
        claims.push({ model: c.model, version: c.version, reason })
      }
      const runs: Array<{ model: string; runId: string; reason: string }> = []
      for (const r of await readRegistryOutcomes(store, { kind: 'training_run', state: 'running' })) {
        if (!ownerGone(r.owner, at - r.atMs, opts)) continue
        const reason = `the training process ${r.owner} stopped (killed or crashed) before the run finished; started ${new Date(r.atMs).toISOString()}`
        await insertRegistryOutcome(store, { model: r.model, kind: 'training_run', key: r.key, version: 0, state: 'failed', owner: r.owner, reason, atMs: Math.max(at, r.atMs + 1) })
        runs.push({ model: r.model, runId: r.key, reason })
      }
      return { claims, runs }
    },
  }
}

/** The git commit of a working tree, or '' when git or the repository is unavailable. */
export function currentGitCommit(cwd: string = process.cwd()): Promise<string> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd, timeout: 5000 }, (err, stdout) => resolve(err ? '' : stdout.trim()))
  })
}
