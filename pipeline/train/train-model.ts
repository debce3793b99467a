import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { InferenceSession } from 'onnxruntime-node'
import type { ModelSpec } from '../../config/index.ts'
import { currentGitCommit, type ArtifactStore, type RegisteredVersion, type Registry } from '../../registry/index.ts'
import type { Store } from '../../store/index.ts'
import { checkQuality, datasetProfileSchema, profileDataset, QualityGateError, type DatasetProfile, type DataRow, type InvalidRow, type QualityReport } from '../data/index.ts'
import { permutationImportance, type FeatureImportance } from '../explain/index.ts'
import { allGatesPassed, championGate, invalidInputGate, latencyGate, sliceGate, type GateResult } from '../gates/index.ts'
import { metricDirection } from '../../model-metrics/index.ts'
import { exportOnnx, type ExportOnnxOptions } from '../onnx/index.ts'
import { runSearch, type Trial } from '../search/index.ts'
import { classesOf, designMatrix, encodeTargets, evaluateOutputs, fitAlgorithm, fitFeatures, fitFinal, predictMatrix, sliceOutputs, splitForTraining, type FeatureSlices, type MetricValues } from './fit.ts'
import { lineageSchema, type Lineage } from './lineage.ts'
import { compareOutputs, measureLatency, openSession, probeInvalidInputs, runOnnx, type LatencyReport, type ParityReport } from './onnx-runner.ts'
import { saveTrainingReference, trainingReferenceRecords } from './reference.ts'
import { describeSource, loadTrainingData, type DataSource } from './source.ts'
import type { ResolvedTraining } from './spec.ts'
import type { Preprocessor } from '../../contract/index.ts'

/** What a long training reports while it runs (the CLI draws a progress bar from it). */
export type TrainingEvent =
  | { readonly stage: 'load' | 'quality' | 'split' | 'export' | 'parity' | 'latency' | 'champion' | 'importance' | 'register'; readonly detail: string }
  | { readonly stage: 'search'; readonly done: number; readonly total: number; readonly score: number | null; readonly best: number | null }
  | { readonly stage: 'fit'; readonly epoch: number; readonly epochs: number; readonly loss: number }

/** Why a run stopped before registering: bad data, failed quality gates, no trial that worked, or an export that does not match. */
export class TrainingError extends Error {
  override readonly name = 'TrainingError'
  readonly code: 'data' | 'quality' | 'search' | 'parity'
  readonly details: unknown
  constructor(code: TrainingError['code'], message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.details = details
  }
}

/**
 * The registry as training uses it (the consumer owns its port): the local registry (`registry/`) fits as it is;
 * `highway train --url` passes one that registers through a running service.
 */
export type TrainingRegistry = Pick<Registry, 'resolveAlias' | 'requireVersion' | 'listVersions' | 'readArtifact' | 'recordTrainingRun' | 'recordTrainingOutcome' | 'registerVersion'> & {
  readonly artifacts: Pick<ArtifactStore, 'get' | 'put'>
}

/** Options of trainModel: the model and its resolved training block, the data, and the edges it writes to. */
export interface TrainModelOptions {
  readonly model: ModelSpec
  readonly training: ResolvedTraining
  readonly source: DataSource
  /**
   * The store, for ClickHouse windows and the analyzer's reference set. Absent when registering through a running
   * service: then only file sources train, and the reference records travel with the registration.
   */
  readonly store?: Store
  readonly registry: TrainingRegistry
  readonly now?: () => number
  /** Git commit of the training code; default `git rev-parse HEAD` of the working directory. */
  readonly codeVersion?: string
  readonly actor?: string
  /** Retention of the store, for the reference records' validator; 90 by default. */
  readonly retentionDays?: number
  readonly onProgress?: (event: TrainingEvent) => void
  /** The exporter; default `exportOnnx`. Tests swap in a tampered one to prove the parity check bites. */
  readonly exportModel?: (options: ExportOnnxOptions) => Uint8Array
  /** Single-row latency samples; 200 by default (the latency gate needs 100). */
  readonly latencySamples?: number
  /** Holdout rows permutation importance uses (the first ones); 2,000 by default. */
  readonly importanceRows?: number
}

/** Everything a run measured and where its version went. */
export interface TrainingReport {
  readonly model: string
  readonly version: number
  /** True when every release gate passed; a version that failed one is registered but not eligible for release. */
  readonly eligible: boolean
  readonly artifact: { readonly sha256: string; readonly bytes: number }
  readonly dataset: { readonly version: string; readonly source: string; readonly rows: Readonly<Record<string, number>>; readonly invalid: readonly InvalidRow[] }
  readonly quality: QualityReport
  readonly search: { readonly runId: string; readonly metric: string; readonly trials: readonly Trial[]; readonly best: Trial }
  readonly metrics: MetricValues
  readonly slices: readonly FeatureSlices[]
  readonly parity: ParityReport
  readonly latency: Omit<LatencyReport, 'samplesMs'>
  readonly champion: { readonly version: number; readonly metrics: MetricValues } | null
  readonly gates: readonly GateResult[]
  readonly importance: readonly FeatureImportance[] | null
  readonly referenceId: string
  readonly timingsMs: Readonly<Record<string, number>>
}

/** Alias that names the version in production (serving/releases moves it). */
const CHAMPION_ALIAS = 'champion'

/**
 * The champion to beat: the version the `champion` alias names; before any release has set it, the latest
 * version whose gates all passed (the one a first release would ship). Null when there is none.
 */
export async function findChampion(registry: Pick<TrainingRegistry, 'resolveAlias' | 'requireVersion' | 'listVersions'>, model: string): Promise<RegisteredVersion | null> {
  const aliased = await registry.resolveAlias(model, CHAMPION_ALIAS)
  if (aliased !== undefined) return registry.requireVersion(model, aliased)
  const eligible = (await registry.listVersions(model)).filter((v) => v.gates.length > 0 && v.gates.every((g) => g.passed))
  return eligible.at(-1) ?? null
}

/** The training-set profile a version recorded (the shift gates' reference), or null when it has none. */
export async function recordedProfile(registry: Pick<TrainingRegistry, 'artifacts'>, version: RegisteredVersion): Promise<DatasetProfile | null> {
  const lineage = lineageSchema.safeParse(version.parameters)
  if (!lineage.success) return null
  const bytes = await registry.artifacts.get(lineage.data.profileSha256)
  return datasetProfileSchema.parse(JSON.parse(new TextDecoder().decode(bytes)))
}

/** The champion's outputs on rows, in the candidate's class order; null when their classes differ. */
async function championOutputs(session: InferenceSession, champion: RegisteredVersion, rows: DataRow[], classes: readonly string[] | null): Promise<Float64Array | null> {
  const out = await runOnnx(session, champion.signature, rows.map((r) => r.features))
  if (classes === null) return champion.signature.task === 'regression' ? out : null
  const theirs = champion.signature.classes ?? []
  if (theirs.length !== classes.length || classes.some((c) => !theirs.includes(c))) return null
  const k = classes.length
  const order = classes.map((c) => theirs.indexOf(c))
  const mapped = new Float64Array(rows.length * k)
  for (let i = 0; i < rows.length; i++) for (let c = 0; c < k; c++) mapped[i * k + c] = out[i * k + order[c]!]!
  return mapped
}


/** Wall-clock laps of a run's stages, in ms. */
interface Laps {
  readonly timings: Record<string, number>
  lap(name: string): void
}

function startLaps(): Laps {
  const timings: Record<string, number> = {}
  let mark = performance.now()
  return {
    timings,
    lap(name) {
      const t = performance.now()
      timings[name] = Math.round((t - mark) * 10) / 10
      mark = t
    },
  }
}

type Emit = (event: TrainingEvent) => void
type LoadedData = Awaited<ReturnType<typeof loadTrainingData>>
type Splits = ReturnType<typeof splitForTraining>
type FinalFit = ReturnType<typeof fitFinal>
type SearchResult = Awaited<ReturnType<typeof runSearch>>

/** Stage "load": reads and validates the rows; a source that yields no valid row is the data's fault. */
export async function loadStage(o: Pick<TrainModelOptions, 'source' | 'model' | 'training' | 'store'>, emit: Emit = () => {}): Promise<LoadedData> {
  emit({ stage: 'load', detail: describeSource(o.source) })
  let data: LoadedData
  try {
    if (o.source.kind === 'clickhouse' && !o.store) throw new Error(`${describeSource(o.source)}: a stored window needs the store; train from a file when registering through a running service`)
    data = await loadTrainingData(o.source, o.model, o.training, o.store!)
  } catch (err) {
    // A missing file or column, a header that does not parse: the data's fault, named by the reader.
    throw new TrainingError('data', err instanceof Error ? err.message : String(err), undefined, { cause: err })
  }
  if (data.rows.length === 0) throw new TrainingError('data', `${describeSource(o.source)}: no valid row (${data.total} read, ${data.invalid.length} problems; first: ${data.invalid[0]?.message ?? 'none'})`, { invalid: data.invalid.slice(0, 20) })
  return data
}

/** Stage "quality": the data quality gates, with shift measured against the champion's training profile. */
export async function qualityStage(o: Pick<TrainModelOptions, 'model' | 'training' | 'registry'>, data: LoadedData, emit: Emit = () => {}): Promise<{ champion: RegisteredVersion | null; quality: QualityReport }> {
  emit({ stage: 'quality', detail: `${data.rows.length} valid rows of ${data.total}` })
  const champion = await findChampion(o.registry, o.model.name)
  const previous = champion ? await recordedProfile(o.registry, champion) : null
  const quality = checkQuality({ schema: o.model, rows: data.rows, invalid: data.invalid, total: data.total, ...(previous ? { previous } : {}) }, o.training.quality)
  if (!quality.passed) throw new TrainingError('quality', new QualityGateError(quality).message, quality)
  return { champion, quality }
}

/** What the split stage prepares: classes, the three parts, the preprocessor fitted on train, and the matrices. */
export interface PreparedData {
  readonly classes: string[] | null
  readonly classCount: number
  readonly splits: Splits
  readonly preprocessor: Preprocessor
  readonly trainX: ReturnType<typeof designMatrix>
  readonly trainY: ReturnType<typeof encodeTargets>
  readonly valX: ReturnType<typeof designMatrix>
  readonly valY: ReturnType<typeof encodeTargets>
}

/** Stage "split": classes, train/validation/holdout (by time when the data has one), the preprocessor fitted on train. */
export function splitStage(o: Pick<TrainModelOptions, 'model' | 'training' | 'source'>, data: LoadedData, emit: Emit = () => {}): PreparedData {
  const { model, training } = o
  let classes: string[] | null
  try {
    classes = classesOf(model.task, data.rows, training.classes)
  } catch (err) {
    throw new TrainingError('data', `target ${training.target}: ${(err as Error).message}`)
  }
  const splits = splitForTraining(data.rows, training, training.time !== null || o.source.kind === 'clickhouse')
  for (const [part, rows, least] of [['train', splits.train, 2], ['validation', splits.validation, 1], ['holdout', splits.holdout, 1]] as const) {
    if (rows.length < least) throw new TrainingError('data', `the ${splits.method} split left ${rows.length} row(s) for ${part} (of ${data.rows.length}); adjust training.split`)
  }
  emit({ stage: 'split', detail: `${splits.method}: train ${splits.train.length}, validation ${splits.validation.length}, holdout ${splits.holdout.length}` })
  const preprocessor = fitFeatures(model, training, splits.train)
  return {
    classes,
    classCount: classes?.length ?? 1,
    splits,
    preprocessor,
    trainX: designMatrix(preprocessor, splits.train),
    trainY: encodeTargets(splits.train, classes),
    valX: designMatrix(preprocessor, splits.validation),
    valY: encodeTargets(splits.validation, classes),
  }
}

/** Stage "search": every trial fitted on train and scored on validation, all recorded under the run; the best chosen. */
export async function searchStage(
  o: Pick<TrainModelOptions, 'model' | 'training' | 'registry'>,
  p: PreparedData,
  run: { runId: string; datasetVersion: string; codeVersion: string },
  emit: Emit = () => {},
): Promise<{ search: SearchResult; chosen: Trial }> {
  const { model, training } = o
  let best: number | null = null
  const higher = metricDirection(training.metric) === 'higher'
  const search = await runSearch({
    space: training.search.space,
    strategy: training.search.method,
    trials: training.search.trials,
    seed: training.search.seed,
    primary: { metric: training.metric },
    evaluate: (params, seed) => {
      const trained = fitAlgorithm({ algorithm: training.algorithm, task: model.task, params, x: p.trainX, y: p.trainY, classes: p.classes, seed, validation: { x: p.valX, y: p.valY } })
      return { ...evaluateOutputs(model.task, predictMatrix(trained.params, p.valX), p.valY, p.classCount), epochs: trained.epochs, converged: trained.converged ? 1 : 0 }
    },
    onTrial: (trial, done, total) => {
      if (trial.score !== null) best = best === null ? trial.score : higher ? Math.max(best, trial.score) : Math.min(best, trial.score)
      emit({ stage: 'search', done, total, score: trial.score, best })
    },
  })
  await o.registry.recordTrainingRun({
    runId: run.runId,
    model: model.name,
    datasetVersion: run.datasetVersion,
    codeVersion: run.codeVersion,
    trials: search.trials.map((t) => ({ trialIndex: t.index, parameters: { ...t.params }, metrics: { ...(t.metrics ?? {}), ...(t.error !== undefined ? { error: t.error } : {}) }, seed: t.seed })),
  })
  if (search.best === null) {
    throw new TrainingError('search', `no trial of ${search.trials.length} produced a ${training.metric} on the validation split: ${search.trials.map((t) => t.error ?? `${training.metric} undefined`).slice(0, 3).join('; ')}`, search.trials)
  }
  return { search, chosen: search.best }
}

/** Stage "export": ONNX bytes, and onnxruntime's outputs on the holdout matching the TypeScript forward pass. */
export async function exportStage(o: Pick<TrainModelOptions, 'exportModel'>, final: FinalFit, holdout: readonly DataRow[], emit: Emit = () => {}): Promise<{ bytes: Uint8Array; session: InferenceSession; parity: ParityReport }> {
  emit({ stage: 'export', detail: 'ONNX' })
  const bytes = (o.exportModel ?? exportOnnx)({ preprocessor: final.preprocessor, params: final.params, signature: final.signature })
  const session = await openSession(bytes)
  const onnxOutputs = await runOnnx(session, final.signature, holdout.map((r) => r.features))
  const parity = compareOutputs(onnxOutputs, final.holdoutOutputs)
  emit({ stage: 'parity', detail: `max |Δ| ${parity.maxAbsDiff.toExponential(2)} over ${parity.values} values` })
  if (!parity.passed) {
    await session.release()
    throw new TrainingError(
      'parity',
      `the exported ONNX model does not match the TypeScript forward pass on the holdout: max relative difference ${parity.maxRelDiff.toExponential(3)} (value ${parity.worst}: onnx ${onnxOutputs[parity.worst]}, typescript ${final.holdoutOutputs[parity.worst]}), tolerance ${parity.tolerance}`,
      parity,
    )
  }
  return { bytes, session, parity }
}

/** The champion re-scored on the candidate's holdout, or why it could not be. */
interface ChampionScore {
  readonly result: { version: number; metrics: MetricValues; slices: FeatureSlices[] } | null
  readonly problem: string | null
}

/** Stage "champion": the champion's ONNX artifact run on the same holdout, overall and per slice. */
export async function championStage(o: Pick<TrainModelOptions, 'model' | 'registry'>, champion: RegisteredVersion | null, p: PreparedData, sliceFeatures: readonly string[], emit: Emit = () => {}): Promise<ChampionScore> {
  emit({ stage: 'champion', detail: champion ? `re-scoring version ${champion.version} on the holdout` : 'no champion yet' })
  if (!champion) return { result: null, problem: null }
  const { model } = o
  const holdoutY = encodeTargets(p.splits.holdout, p.classes)
  const session = await openSession((await o.registry.readArtifact(model.name, champion.version)).bytes)
  try {
    const out = await championOutputs(session, champion, p.splits.holdout, p.classes)
    if (out === null) return { result: null, problem: `the champion (version ${champion.version}) predicts other classes (${(champion.signature.classes ?? []).join(', ')})` }
    return {
      result: { version: champion.version, metrics: evaluateOutputs(model.task, out, holdoutY, p.classCount), slices: sliceOutputs(model.task, p.splits.holdout, out, holdoutY, p.classCount, [...sliceFeatures]) },
      problem: null,
    }
  } finally {
    await session.release()
  }
}

/** Stage "gates": champion, slices, invalid input and p99 latency; a failed gate registers the version as not eligible. */
export async function gatesStage(
  o: Pick<TrainModelOptions, 'training'>,
  input: { final: FinalFit; session: InferenceSession; holdout: readonly DataRow[]; slices: readonly FeatureSlices[]; champion: ChampionScore; latency: LatencyReport },
): Promise<{ gates: GateResult[]; eligible: boolean }> {
  const { training } = o
  const { champion } = input
  const gates: GateResult[] = []
  const primary = input.final.holdoutMetrics[training.metric] ?? null
  const champ = championGate({ metric: training.metric, candidate: primary, champion: champion.result?.metrics[training.metric] ?? null, margin: training.gates.championMargin })
  gates.push(champion.problem ? { ...champ, passed: false, reason: `${champion.problem}: cannot compare on the same holdout` } : { ...champ, figures: { ...champ.figures, champion_version: champion.result?.version ?? null } })
  const sliceSpec = training.gates.slice
  if (sliceSpec) {
    gates.push(
      sliceGate({
        metric: training.metric,
        tolerance: sliceSpec.tolerance,
        minCount: sliceSpec.minCount,
        candidate: input.slices.find((s) => s.feature === sliceSpec.feature)?.slices ?? [],
        champion: champion.result ? (champion.result.slices.find((s) => s.feature === sliceSpec.feature)?.slices ?? []) : null,
      }),
    )
  }
  gates.push(invalidInputGate({ cases: await probeInvalidInputs(input.session, input.final.signature, input.holdout[0]!.features) }))
  gates.push(latencyGate({ latenciesMs: input.latency.samplesMs, budgetMs: training.gates.latencyP99Ms }))
  return { gates, eligible: allGatesPassed(gates) }
}

/** Stage "importance": permutation importance on the holdout through the ONNX session; null when the metric is undefined there. */
export async function importanceStage(o: Pick<TrainModelOptions, 'model' | 'training' | 'importanceRows'>, final: FinalFit, session: InferenceSession, p: PreparedData, emit: Emit = () => {}): Promise<FeatureImportance[] | null> {
  const { model, training } = o
  emit({ stage: 'importance', detail: `${final.signature.inputs.length} features` })
  const rows = p.splits.holdout.slice(0, o.importanceRows ?? 2000)
  const y = encodeTargets(rows, p.classes)
  try {
    return (
      await permutationImportance({
        rows: rows.map((r) => r.features),
        features: final.signature.inputs.map((i) => i.name),
        predict: (batch) => runOnnx(session, final.signature, batch),
        score: (out) => evaluateOutputs(model.task, out, y, p.classCount)[training.metric] ?? Number.NaN,
        direction: metricDirection(training.metric),
        seed: training.search.seed,
      })
    ).importances
  } catch {
    // Undefined metric on these rows (e.g. ROC AUC with one class): no importance rather than a failed run.
    return null
  }
}

/**
 * Trains, checks and registers one model version, stage by stage: load (file or ClickHouse window) → quality
 * (shift against the champion's training profile) → split, preprocessor fitted on train → search on validation
 * (every trial recorded) → refit the best on train + validation → export to ONNX with onnxruntime parity (1e-5) →
 * latency → champion re-scored on the same holdout → release gates → permutation importance → register with
 * lineage and the analyzer's reference set. Failed release gates still register the version, not eligible
 * (`eligible: false`). Quality, search and parity failures throw a TrainingError and register nothing. The run is
 * recorded `running` first and `done` or `failed` (with the reason) last; a killed run stays `running` until the
 * next start or train marks it failed (`Registry.recoverAbandoned`).
 */
export async function trainModel(o: TrainModelOptions): Promise<TrainingReport> {
  const now = o.now ?? Date.now
  const emit = o.onProgress ?? (() => {})
  const { model, registry } = o
  const runId = randomUUID()
  await registry.recordTrainingOutcome(model.name, runId, { state: 'running' })
  try {
    const report = await runStages(o, runId, now, emit)
    await registry.recordTrainingOutcome(model.name, runId, { state: 'done', version: report.version, reason: report.eligible ? 'registered' : `registered, not eligible: failed gate(s) ${report.gates.filter((g) => !g.passed).map((g) => g.gate).join(', ')}` })
    return report
  } catch (err) {
    const reason = err instanceof TrainingError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err)
    // The failure itself is what the caller needs; a store that cannot record it must not hide it.
    await registry.recordTrainingOutcome(model.name, runId, { state: 'failed', reason: reason.slice(0, 4000) }).catch(() => undefined)
    throw err
  }
}

async function runStages(o: TrainModelOptions, runId: string, now: () => number, emit: Emit): Promise<TrainingReport> {
  const { model, training, registry } = o
  const laps = startLaps()
  const started = performance.now()
  const codeVersion = o.codeVersion ?? (await currentGitCommit())

  const data = await loadStage(o, emit)
  laps.lap('load')
  const { champion, quality } = await qualityStage(o, data, emit)
  laps.lap('quality')
  const p = splitStage(o, data, emit)
  laps.lap('prepare')
  const { search, chosen } = await searchStage(o, p, { runId, datasetVersion: data.version, codeVersion }, emit)
  laps.lap('search')
  const final = fitFinal({ model, training, splits: p.splits, preprocessor: p.preprocessor, classes: p.classes, params: chosen.params, seed: chosen.seed, onProgress: (e) => emit({ stage: 'fit', epoch: e.epoch, epochs: e.epochs, loss: e.loss }) })
  laps.lap('refit')
  const { bytes, session, parity } = await exportStage(o, final, p.splits.holdout, emit)
  laps.lap('export')

  let gates: GateResult[]
  let eligible: boolean
  let slices: FeatureSlices[]
  let championScore: ChampionScore
  let latency: LatencyReport
  let importance: FeatureImportance[] | null
  try {
    emit({ stage: 'latency', detail: `${o.latencySamples ?? 200} single-row runs` })
    latency = await measureLatency(session, final.signature, p.splits.holdout.map((r) => r.features), { samples: o.latencySamples ?? 200 })
    laps.lap('latency')
    const holdoutY = encodeTargets(p.splits.holdout, p.classes)
    const sliceFeatures = Object.entries(model.features).filter(([, f]) => f.type === 'category').map(([name]) => name)
    slices = sliceOutputs(model.task, p.splits.holdout, final.holdoutOutputs, holdoutY, p.classCount, sliceFeatures)
    championScore = await championStage(o, champion, p, sliceFeatures, emit)
    ;({ gates, eligible } = await gatesStage(o, { final, session, holdout: p.splits.holdout, slices, champion: championScore, latency }))
    laps.lap('gates')
    importance = await importanceStage(o, final, session, p, emit)
    laps.lap('importance')
  } finally {
    await session.release()
  }

  emit({ stage: 'register', detail: model.name })
  const fitRows = [...p.splits.train, ...p.splits.validation]
  const profile = profileDataset(model, fitRows, { version: data.version })
  const profileArtifact = await registry.artifacts.put(new TextEncoder().encode(JSON.stringify(profile)))
  const lineage: Lineage = {
    lineageVersion: 1,
    algorithm: training.algorithm,
    hyperparameters: { ...chosen.params },
    seed: chosen.seed,
    target: training.target,
    classes: p.classes,
    source: o.source,
    spec: { name: model.name, task: model.task, features: model.features, training: { ...(model.training ?? {}), target: training.target } },
    split: { method: p.splits.method, validationFromMs: p.splits.validationFromMs, holdoutFromMs: p.splits.holdoutFromMs },
    profileSha256: profileArtifact.sha256,
    trainedAtMs: now(),
  }
  const rows = { total: data.total, valid: data.rows.length, invalid: new Set(data.invalid.map((r) => r.row)).size, train: p.splits.train.length, validation: p.splits.validation.length, holdout: p.splits.holdout.length }
  const latencySummary = { singleRow: latency.singleRow, batch: latency.batch }
  const fitOutputs = predictMatrix(final.params, designMatrix(final.preprocessor, fitRows))
  const referenceInput = { model, rows: fitRows, outputs: fitOutputs, classes: p.classes }
  let referenceId = ''
  const store = o.store
  const registered = await registry.registerVersion(
    model.name,
    bytes,
    {
      signature: final.signature,
      preprocessor: final.preprocessor,
      params: final.params,
      dataset: { version: data.version, rows },
      codeVersion,
      parameters: lineage,
      metrics: {
        ...final.holdoutMetrics,
        validation: chosen.metrics,
        slices,
        champion: championScore.result ? { version: championScore.result.version, metrics: championScore.result.metrics } : null,
        parity: { ...parity },
        latency: latencySummary,
        importance,
        trainingSeconds: Math.round(performance.now() - started) / 1000,
      },
      gates: gates.map((g) => ({ ...g })),
      trainingRunId: runId,
      description: eligible ? `trained by highway train on ${describeSource(o.source)}` : `NOT eligible for release: failed gate(s) ${gates.filter((g) => !g.passed).map((g) => g.gate).join(', ')}`,
    },
    store
      ? {
          actor: o.actor ?? 'highway-train',
          saveReference: async (version) => {
            referenceId = await saveTrainingReference({ store, ...referenceInput, version, retentionDays: o.retentionDays ?? 90, now })
            return referenceId
          },
        }
      : { actor: o.actor ?? 'highway-train', referenceRecords: trainingReferenceRecords(referenceInput) },
  )
  if (!store) referenceId = registered.referenceId
  laps.lap('register')
  return {
    model: model.name,
    version: registered.version,
    eligible,
    artifact: registered.artifact,
    dataset: { version: data.version, source: describeSource(o.source), rows, invalid: data.invalid.slice(0, 20) },
    quality,
    search: { runId, metric: training.metric, trials: search.trials, best: chosen },
    metrics: final.holdoutMetrics,
    slices,
    parity,
    latency: latencySummary,
    champion: championScore.result ? { version: championScore.result.version, metrics: championScore.result.metrics } : null,
    gates,
    importance,
    referenceId,
    timingsMs: { ...laps.timings, total: Math.round(performance.now() - started) },
  }
}
