import type { Store } from './client.ts'
import { tableName } from './ddl.ts'
import { toStoreError } from './errors.ts'

// Reads and writes of the model registry, releases and audit log. JSON documents (parameters, metrics, signature…)
// travel as strings: their schemas belong to the registry (registry/), which parses them with zod.

/** One registered version as stored. */
export interface VersionRow {
  readonly model: string
  readonly version: number
  readonly registrationId: string
  readonly artifactSha256: string
  readonly artifactBytes: number
  readonly datasetVersion: string
  readonly datasetRows: Readonly<Record<string, number>>
  readonly codeVersion: string
  readonly parametersJson: string
  readonly metricsJson: string
  readonly gatesJson: string
  readonly signatureJson: string
  readonly preprocessorJson: string
  readonly paramsJson: string
  readonly referenceId: string
  readonly trainingRunId: string
  readonly description: string
  readonly createdAtMs: number
  readonly createdBy: string
}

const VERSION_COLUMNS = `model, version, registration_id, artifact_sha256, artifact_bytes, dataset_version, dataset_rows, code_version,
  parameters, metrics, gates, signature, preprocessor, params, reference_id, training_run_id, description,
  toUnixTimestamp64Milli(created_at) AS created_ms, created_by`

interface VersionRecord {
  model: string
  version: number
  registration_id: string
  artifact_sha256: string
  artifact_bytes: number
  dataset_version: string
  dataset_rows: Record<string, number>
  code_version: string
  parameters: string
  metrics: string
  gates: string
  signature: string
  preprocessor: string
  params: string
  reference_id: string
  training_run_id: string
  description: string
  created_ms: number
  created_by: string
}

function toVersionRow(r: VersionRecord): VersionRow {
  return {
    model: r.model,
    version: Number(r.version),
    registrationId: r.registration_id,
    artifactSha256: r.artifact_sha256,
    artifactBytes: Number(r.artifact_bytes),
    datasetVersion: r.dataset_version,
    datasetRows: Object.fromEntries(Object.entries(r.dataset_rows).map(([k, v]) => [k, Number(v)])),
    codeVersion: r.code_version,
    parametersJson: r.parameters,
    metricsJson: r.metrics,
    gatesJson: r.gates,
    signatureJson: r.signature,
    preprocessorJson: r.preprocessor,
    paramsJson: r.params,
    referenceId: r.reference_id,
    trainingRunId: r.training_run_id,
    description: r.description,
    createdAtMs: Number(r.created_ms),
    createdBy: r.created_by,
  }
}

/** The highest version number claimed for a model, 0 when none. */
export async function maxModelVersion(store: Store, model: string): Promise<number> {
  const [r] = await store.queryRows<{ v: number }>(`SELECT max(version) AS v FROM ${tableName(store.ctx, 'model_version_claims')} WHERE model = {model:String}`, { model })
  return Number(r?.v ?? 0)
}

/**
 * Tries to claim `version` for `model` by inserting a claim with the deduplication token `<model>/<version>`:
 * ClickHouse keeps the first insert of a token and drops later ones, so exactly one concurrent claimant's row is
 * stored. Returns true when the stored claim is this one. Should two claims ever share a number (one older than
 * the deduplication window), the earliest claim owns it: the same answer on every replica.
 */
export async function claimModelVersion(store: Store, claim: { model: string; version: number; claimId: string; atMs: number }): Promise<boolean> {
  const table = tableName(store.ctx, 'model_version_claims')
  try {
    await store.client.command({
      query: `INSERT INTO ${table} (model, version, claim_id, claimed_at) VALUES ({model:String}, {version:UInt32}, {claim:String}, fromUnixTimestamp64Milli({at:Int64}))`,
      query_params: { model: claim.model, version: claim.version, claim: claim.claimId, at: claim.atMs },
      clickhouse_settings: { insert_deduplicate: 1, insert_deduplication_token: `${claim.model}/${claim.version}` },
    })
  } catch (err) {
    throw toStoreError(err, 'claim model version')
  }
  const [owner] = await store.queryRows<{ claim_id: string }>(
    `SELECT claim_id FROM ${table} WHERE model = {model:String} AND version = {version:UInt32} ORDER BY claimed_at, claim_id LIMIT 1`,
    { model: claim.model, version: claim.version },
  )
  return owner?.claim_id === claim.claimId
}

/** Writes a registered version (its number claimed first with `claimModelVersion`). */
export async function insertModelVersion(store: Store, row: VersionRow): Promise<void> {
  await store.command(
    `INSERT INTO ${tableName(store.ctx, 'model_versions')}
      (model, version, registration_id, artifact_sha256, artifact_bytes, dataset_version, dataset_rows, code_version, parameters, metrics, gates,
       signature, preprocessor, params, reference_id, training_run_id, description, created_at, created_by)
      VALUES ({model:String}, {version:UInt32}, {rid:String}, {sha:String}, {bytes:UInt64}, {dv:String}, {rows:Map(String, UInt64)}, {cv:String},
       {parameters:String}, {metrics:String}, {gates:String}, {signature:String}, {preprocessor:String}, {params:String}, {ref:String}, {run:String},
       {description:String}, fromUnixTimestamp64Milli({created:Int64}), {by:String})`,
    {
      model: row.model,
      version: row.version,
      rid: row.registrationId,
      sha: row.artifactSha256,
      bytes: row.artifactBytes,
      dv: row.datasetVersion,
      rows: row.datasetRows,
      cv: row.codeVersion,
      parameters: row.parametersJson,
      metrics: row.metricsJson,
      gates: row.gatesJson,
      signature: row.signatureJson,
      preprocessor: row.preprocessorJson,
      params: row.paramsJson,
      ref: row.referenceId,
      run: row.trainingRunId,
      description: row.description,
      created: row.createdAtMs,
      by: row.createdBy,
    },
  )
}

/** One version, or undefined. */
export async function readModelVersion(store: Store, model: string, version: number): Promise<VersionRow | undefined> {
  const rows = await store.queryRows<VersionRecord>(
    `SELECT ${VERSION_COLUMNS} FROM ${tableName(store.ctx, 'model_versions')} FINAL WHERE model = {model:String} AND version = {version:UInt32} LIMIT 1`,
    { model, version },
  )
  return rows[0] && toVersionRow(rows[0])
}

/** Every version of a model, oldest first. */
export async function listModelVersions(store: Store, model: string): Promise<VersionRow[]> {
  const rows = await store.queryRows<VersionRecord>(
    `SELECT ${VERSION_COLUMNS} FROM ${tableName(store.ctx, 'model_versions')} FINAL WHERE model = {model:String} ORDER BY version`,
    { model },
  )
  return rows.map(toVersionRow)
}

/** Models with at least one registered version, and their newest version number. */
export async function listRegisteredModels(store: Store): Promise<Array<{ model: string; versions: number; latest: number }>> {
  const rows = await store.queryRows<{ model: string; n: number; latest: number }>(
    `SELECT model, count() AS n, max(version) AS latest FROM ${tableName(store.ctx, 'model_versions')} FINAL GROUP BY model ORDER BY model`,
  )
  return rows.map((r) => ({ model: r.model, versions: Number(r.n), latest: Number(r.latest) }))
}

/** One alias move: the alias now names `version` (0 = removed), which replaced `previousVersion`. */
export interface AliasMove {
  readonly model: string
  readonly alias: string
  readonly version: number
  readonly previousVersion: number
  /** Microseconds since the epoch. */
  readonly setAtUs: number
  readonly setBy: string
  /** Why it moved: `set`, `promotion`, `rollback`, `bluegreen`, … */
  readonly reason: string
  readonly note: string
}

let lastAliasUs = 0
/** A microsecond timestamp that never repeats or goes back within this process. */
export function nextAliasTimestampUs(nowMs: number): number {
  lastAliasUs = Math.max(lastAliasUs + 1, Math.round(nowMs * 1000))
  return lastAliasUs
}

/** Appends an alias move. */
export async function insertAliasMove(store: Store, move: AliasMove): Promise<void> {
  await store.command(
    `INSERT INTO ${tableName(store.ctx, 'model_aliases')} (model, alias, version, previous_version, set_at, set_by, reason, note)
     VALUES ({model:String}, {alias:String}, {version:UInt32}, {prev:UInt32}, fromUnixTimestamp64Micro({at:Int64}), {by:String}, {reason:String}, {note:String})`,
    { model: move.model, alias: move.alias, version: move.version, prev: move.previousVersion, at: move.setAtUs, by: move.setBy, reason: move.reason, note: move.note },
  )
}

interface AliasRecord {
  model: string
  alias: string
  version: number
  previous_version: number
  at_us: number
  set_by: string
  reason: string
  note: string
}

const toMove = (r: AliasRecord): AliasMove => ({
  model: r.model,
  alias: r.alias,
  version: Number(r.version),
  previousVersion: Number(r.previous_version),
  setAtUs: Number(r.at_us),
  setBy: r.set_by,
  reason: r.reason,
  note: r.note,
})

/** Alias moves of a model (optionally one alias), newest first. */
export async function readAliasHistory(store: Store, model: string, alias?: string, limit = 1000): Promise<AliasMove[]> {
  const rows = await store.queryRows<AliasRecord>(
    `SELECT model, alias, version, previous_version, toUnixTimestamp64Micro(set_at) AS at_us, set_by, reason, note
     FROM ${tableName(store.ctx, 'model_aliases')} WHERE model = {model:String} AND ({alias:String} = '' OR alias = {alias:String})
     ORDER BY set_at DESC LIMIT {limit:UInt32}`,
    { model, alias: alias ?? '', limit },
  )
  return rows.map(toMove)
}

/** The newest move of each alias of a model (version 0 means the alias was removed). */
export async function readCurrentAliases(store: Store, model: string): Promise<AliasMove[]> {
  const rows = await store.queryRows<AliasRecord>(
    `SELECT model, alias, version, previous_version, toUnixTimestamp64Micro(set_at) AS at_us, set_by, reason, note
     FROM ${tableName(store.ctx, 'model_aliases')} WHERE model = {model:String}
     ORDER BY set_at DESC LIMIT 1 BY alias`,
    { model },
  )
  return rows.map(toMove).sort((a, b) => a.alias.localeCompare(b.alias))
}

/** Models that have an alias, with the alias's current version (0 = removed). */
export async function readAliasEverywhere(store: Store, alias: string): Promise<Array<{ model: string; version: number }>> {
  const rows = await store.queryRows<{ model: string; version: number }>(
    `SELECT model, argMax(version, set_at) AS version FROM ${tableName(store.ctx, 'model_aliases')} WHERE alias = {alias:String} GROUP BY model ORDER BY model`,
    { alias },
  )
  return rows.map((r) => ({ model: r.model, version: Number(r.version) }))
}

/** One training run's trial as stored. */
export interface TrainingRunRow {
  readonly runId: string
  readonly model: string
  readonly trialIndex: number
  readonly parametersJson: string
  readonly metricsJson: string
  readonly datasetVersion: string
  readonly codeVersion: string
  readonly seed: number
  readonly createdAtMs: number
}

/** Records trials; a (model, run, trial) recorded again replaces the earlier row. */
export async function insertTrainingRuns(store: Store, rows: readonly TrainingRunRow[]): Promise<void> {
  if (rows.length === 0) return
  try {
    await store.client.insert({
      table: tableName(store.ctx, 'training_runs'),
      format: 'JSONEachRow',
      values: rows.map((r) => ({
        run_id: r.runId,
        model: r.model,
        trial_index: r.trialIndex,
        parameters: r.parametersJson,
        metrics: r.metricsJson,
        dataset_version: r.datasetVersion,
        code_version: r.codeVersion,
        seed: r.seed,
        created_at: r.createdAtMs,
      })),
    })
  } catch (err) {
    throw toStoreError(err, 'insert training runs')
  }
}

/** Trials of a model (optionally one run), by run then trial. */
export async function readTrainingRuns(store: Store, model: string, runId?: string): Promise<TrainingRunRow[]> {
  const rows = await store.queryRows<{ run_id: string; model: string; trial_index: number; parameters: string; metrics: string; dataset_version: string; code_version: string; seed: number; created_ms: number }>(
    `SELECT run_id, model, trial_index, parameters, metrics, dataset_version, code_version, seed, toUnixTimestamp64Milli(created_at) AS created_ms
     FROM ${tableName(store.ctx, 'training_runs')} FINAL WHERE model = {model:String} AND ({run:String} = '' OR run_id = {run:String})
     ORDER BY created_at, run_id, trial_index`,
    { model, run: runId ?? '' },
  )
  return rows.map((r) => ({
    runId: r.run_id,
    model: r.model,
    trialIndex: Number(r.trial_index),
    parametersJson: r.parameters,
    metricsJson: r.metrics,
    datasetVersion: r.dataset_version,
    codeVersion: r.code_version,
    seed: Number(r.seed),
    createdAtMs: Number(r.created_ms),
  }))
}

/** One event of a release. */
export interface ReleaseEventRow {
  readonly releaseId: string
  readonly model: string
  readonly version: number
  readonly stableVersion: number
  readonly strategy: string
  readonly fix: boolean
  readonly seq: number
  readonly event: string
  readonly state: string
  readonly step: number
  readonly weightPercent: number
  readonly detailJson: string
  readonly atMs: number
  readonly actor: string
}

/** Appends a release event. */
export async function insertReleaseEvent(store: Store, e: ReleaseEventRow): Promise<void> {
  await store.command(
    `INSERT INTO ${tableName(store.ctx, 'releases')} (release_id, model, version, stable_version, strategy, fix, seq, event, state, step, weight_percent, detail, at, actor)
     VALUES ({rid:String}, {model:String}, {version:UInt32}, {stable:UInt32}, {strategy:String}, {fix:Bool}, {seq:UInt32}, {event:String}, {state:String},
       {step:UInt32}, {weight:Float64}, {detail:String}, fromUnixTimestamp64Milli({at:Int64}), {actor:String})`,
    {
      rid: e.releaseId,
      model: e.model,
      version: e.version,
      stable: e.stableVersion,
      strategy: e.strategy,
      fix: e.fix,
      seq: e.seq,
      event: e.event,
      state: e.state,
      step: e.step,
      weight: e.weightPercent,
      detail: e.detailJson,
      at: e.atMs,
      actor: e.actor,
    },
  )
}

/** Events of a model's releases (optionally one release), oldest first within a release, newest releases first. */
export async function readReleaseEvents(store: Store, model: string, options: { releaseId?: string; limitReleases?: number } = {}): Promise<ReleaseEventRow[]> {
  const rows = await store.queryRows<{ release_id: string; model: string; version: number; stable_version: number; strategy: string; fix: boolean | number; seq: number; event: string; state: string; step: number; weight_percent: number; detail: string; at_ms: number; actor: string }>(
    `SELECT release_id, model, version, stable_version, strategy, fix, seq, event, state, step, weight_percent, detail, toUnixTimestamp64Milli(at) AS at_ms, actor
     FROM ${tableName(store.ctx, 'releases')}
     WHERE model = {model:String} AND ({rid:String} = '' OR release_id = {rid:String})
       AND release_id IN (
         SELECT release_id FROM ${tableName(store.ctx, 'releases')} WHERE model = {model:String} AND ({rid:String} = '' OR release_id = {rid:String})
         GROUP BY release_id ORDER BY min(at) DESC, release_id DESC LIMIT {limit:UInt32})
     ORDER BY min(at) OVER (PARTITION BY release_id) DESC, release_id DESC, seq`,
    { model, rid: options.releaseId ?? '', limit: options.limitReleases ?? 100 },
  )
  return rows.map((r) => ({
    releaseId: r.release_id,
    model: r.model,
    version: Number(r.version),
    stableVersion: Number(r.stable_version),
    strategy: r.strategy,
    fix: Boolean(r.fix),
    seq: Number(r.seq),
    event: r.event,
    state: r.state,
    step: Number(r.step),
    weightPercent: Number(r.weight_percent),
    detailJson: r.detail,
    atMs: Number(r.at_ms),
    actor: r.actor,
  }))
}

/** Releases whose newest event leaves them running (after a restart: releases nobody drives any more). */
export async function readUnfinishedReleases(store: Store, finalStates: readonly string[]): Promise<Array<{ releaseId: string; model: string; state: string }>> {
  const rows = await store.queryRows<{ release_id: string; model: string; state: string }>(
    `SELECT release_id, any(model) AS model, argMax(state, seq) AS state FROM ${tableName(store.ctx, 'releases')} GROUP BY release_id HAVING state NOT IN {final:Array(String)}`,
    { final: finalStates },
  )
  return rows.map((r) => ({ releaseId: r.release_id, model: r.model, state: r.state }))
}

/** How a training run or a version claim stands: `running` while its owner works, then `done` or `failed`. */
export interface RegistryOutcomeRow {
  readonly model: string
  readonly kind: 'training_run' | 'version_claim'
  readonly key: string
  readonly version: number
  readonly state: 'running' | 'done' | 'failed'
  readonly owner: string
  readonly reason: string
  readonly atMs: number
}

/** Records an outcome; the newest per (model, kind, key) is in force. */
export async function insertRegistryOutcome(store: Store, o: RegistryOutcomeRow): Promise<void> {
  await store.command(
    `INSERT INTO ${tableName(store.ctx, 'registry_outcomes')} (model, kind, key, version, state, owner, reason, at)
     VALUES ({model:String}, {kind:String}, {key:String}, {version:UInt32}, {state:String}, {owner:String}, {reason:String}, fromUnixTimestamp64Milli({at:Int64}))`,
    { model: o.model, kind: o.kind, key: o.key, version: o.version, state: o.state, owner: o.owner, reason: o.reason, at: o.atMs },
  )
}

/** Outcomes in force, of one model (all when ''), of one kind, optionally only those in one state or of one key. */
export async function readRegistryOutcomes(store: Store, q: { model?: string; kind: RegistryOutcomeRow['kind']; state?: RegistryOutcomeRow['state']; key?: string }): Promise<RegistryOutcomeRow[]> {
  const rows = await store.queryRows<{ model: string; key: string; version: number; state: string; owner: string; reason: string; at_ms: number }>(
    `SELECT model, key, argMax(version, at) AS version, argMax(state, at) AS state, argMax(owner, at) AS owner, argMax(reason, at) AS reason, toUnixTimestamp64Milli(max(at)) AS at_ms
     FROM ${tableName(store.ctx, 'registry_outcomes')}
     WHERE kind = {kind:String} AND ({model:String} = '' OR model = {model:String}) AND ({key:String} = '' OR key = {key:String})
     GROUP BY model, key HAVING {state:String} = '' OR state = {state:String} ORDER BY at_ms, key`,
    { kind: q.kind, model: q.model ?? '', key: q.key ?? '', state: q.state ?? '' },
  )
  return rows.map((r) => ({ model: r.model, kind: q.kind, key: r.key, version: Number(r.version), state: r.state as RegistryOutcomeRow['state'], owner: r.owner, reason: r.reason, atMs: Number(r.at_ms) }))
}

/** Claims with no version row and no final outcome: numbers a registration took and never wrote (yet, or ever). */
export async function readUnwrittenClaims(store: Store): Promise<Array<{ model: string; version: number; claimId: string; claimedAtMs: number }>> {
  const claims = tableName(store.ctx, 'model_version_claims')
  const versions = tableName(store.ctx, 'model_versions')
  const outcomes = tableName(store.ctx, 'registry_outcomes')
  // The earliest claim of a number owns it (claimModelVersion), so only that one can be abandoned.
  const rows = await store.queryRows<{ model: string; version: number; claim_id: string; claimed_ms: number }>(
    `SELECT model, version, argMin(claim_id, (claimed_at, claim_id)) AS claim_id, toUnixTimestamp64Milli(min(claimed_at)) AS claimed_ms FROM ${claims}
     WHERE (model, version) NOT IN (SELECT model, version FROM ${versions})
       AND (model, toString(version)) NOT IN (SELECT model, key FROM ${outcomes} WHERE kind = 'version_claim' AND state != 'running')
     GROUP BY model, version ORDER BY model, version`,
  )
  return rows.map((r) => ({ model: r.model, version: Number(r.version), claimId: r.claim_id, claimedAtMs: Number(r.claimed_ms) }))
}

/** Per-version facts a canary analysis compares, read from raw predictions of a window [fromMs, toMs). */
export interface VersionWindowFacts {
  readonly version: string
  readonly predictions: number
  readonly errors: number
  readonly latencyCount: number
  /** Null when no prediction carried a latency. */
  readonly latencyP99Ms: number | null
  /** Numeric predictions (deterministic sample by id hash, at most `sampleLimit`). */
  readonly values: number[]
  /** Predicted classes and their counts. */
  readonly classes: Record<string, number>
  /** Labelled predictions, and how many were right (classification) or their absolute error sum (regression). */
  readonly labelled: number
  readonly correct: number
  readonly absErrorSum: number
}

/**
 * Reads error counts, p99 latency (exact quantile: windows are short), a prediction sample, class counts and
 * realised correctness per version of a model, each version over its own window [fromMs, toMs), in one pass per
 * figure. Binary scores count as right when (score ≥ 0.5) equals the label; classes when they match; regression
 * reports the absolute error sum.
 */
export async function readVersionWindowFacts(
  store: Store,
  q: { model: string; windows: ReadonlyArray<{ version: string; fromMs: number }>; toMs: number; sampleLimit: number },
): Promise<Map<string, VersionWindowFacts>> {
  const t = (n: string) => tableName(store.ctx, n)
  const p: Record<string, unknown> = { model: q.model, to: q.toMs, limit: q.sampleLimit, earliest: Math.min(...q.windows.map((w) => w.fromMs)) }
  const each = q.windows.map((w, i) => {
    p[`v${i}`] = w.version
    p[`f${i}`] = w.fromMs
    return `(version = {v${i}:String} AND ts >= fromUnixTimestamp64Milli({f${i}:Int64}))`
  })
  const WINDOW = `model = {model:String} AND ts >= fromUnixTimestamp64Milli({earliest:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64}) AND (${each.join(' OR ')})`
  const P_WINDOW = `p.model = {model:String} AND p.ts >= fromUnixTimestamp64Milli({earliest:Int64}) AND p.ts < fromUnixTimestamp64Milli({to:Int64}) AND (${each.map((c) => c.replaceAll('version =', 'p.version =').replaceAll('ts >=', 'p.ts >=')).join(' OR ')})`
  const [stats, samples, classes, labelled] = await Promise.all([
    store.queryRows<{ version: string; n: number; errors: number; lc: number; p99: number | null }>(
      `SELECT version, count() AS n, countIf(status != 'ok') AS errors, countIf(isNotNull(latency_ms)) AS lc,
         if(lc = 0, NULL, quantileExactIf(0.99)(assumeNotNull(latency_ms), isNotNull(latency_ms))) AS p99
       FROM ${t('predictions')} WHERE ${WINDOW} GROUP BY version`,
      p,
    ),
    store.queryRows<{ version: string; v: number[] }>(
      `SELECT version, arraySlice(arrayMap(x -> x.2, arraySort(x -> x.1, groupArray((cityHash64(id), assumeNotNull(prediction))))), 1, {limit:UInt32}) AS v
       FROM ${t('predictions')} WHERE ${WINDOW} AND status = 'ok' AND isNotNull(prediction) AND isFinite(assumeNotNull(prediction)) GROUP BY version`,
      p,
    ),
    store.queryRows<{ version: string; c: string; n: number }>(
      `SELECT version, prediction_class AS c, count() AS n FROM ${t('predictions')} WHERE ${WINDOW} AND status = 'ok' AND prediction_class != '' GROUP BY version, c`,
      p,
    ),
    store.queryRows<{ version: string; n: number; correct: number; abs_err: number }>(
      `WITH l AS (
         SELECT id, argMax(label, received_at) AS label, argMax(label_class, received_at) AS label_class FROM ${t('labels')}
         WHERE model = {model:String} AND id IN (SELECT id FROM ${t('predictions')} WHERE ${WINDOW}) GROUP BY id
       )
       SELECT p.version AS version, count() AS n,
         countIf(if(p.prediction_class != '' AND l.label_class != '', p.prediction_class = l.label_class,
                    isNotNull(p.prediction) AND isNotNull(l.label) AND (assumeNotNull(p.prediction) >= 0.5) = (assumeNotNull(l.label) >= 0.5))) AS correct,
         sumIf(abs(assumeNotNull(p.prediction) - assumeNotNull(l.label)), isNotNull(p.prediction) AND isNotNull(l.label)) AS abs_err
       FROM ${t('predictions')} AS p INNER JOIN l ON p.id = l.id
       WHERE ${P_WINDOW} AND p.status = 'ok'
       GROUP BY version`,
      p,
    ),
  ])
  const out = new Map<string, VersionWindowFacts>()
  for (const { version } of q.windows) {
    const s = stats.find((r) => r.version === version)
    const l = labelled.find((r) => r.version === version)
    out.set(version, {
      version,
      predictions: Number(s?.n ?? 0),
      errors: Number(s?.errors ?? 0),
      latencyCount: Number(s?.lc ?? 0),
      latencyP99Ms: s?.p99 === null || s?.p99 === undefined ? null : Number(s.p99),
      values: (samples.find((r) => r.version === version)?.v ?? []).map(Number),
      classes: Object.fromEntries(classes.filter((r) => r.version === version).map((r) => [r.c, Number(r.n)])),
      labelled: Number(l?.n ?? 0),
      correct: Number(l?.correct ?? 0),
      absErrorSum: Number(l?.abs_err ?? 0),
    })
  }
  return out
}
