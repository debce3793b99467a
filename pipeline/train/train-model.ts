import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { InferenceSession } from 'onnxruntime-node'
import type { ModelSpec } from '../../config/index.ts'
import { currentGitCommit, type RegisteredVersion, type Registry } from '../../registry/index.ts'
import type { Store } from '../../store/index.ts'
import { checkQuality, datasetProfileSchema, profileDataset, QualityGateError, type DatasetProfile, type DataRow, type InvalidRow, type QualityReport } from '../data/index.ts'
import { permutationImportance, type FeatureImportance } from '../explain/index.ts'
import { allGatesPassed, championGate, invalidInputGate, latencyGate, sliceGate, type GateResult } from '../gates/index.ts'
import { metricDirection } from '../metrics/index.ts'
import { exportOnnx, type ExportOnnxOptions } from '../onnx/index.ts'
import { runSearch, type Trial } from '../search/index.ts'
import { classesOf, designMatrix, encodeTargets, evaluateOutputs, fitAlgorithm, fitFeatures, fitFinal, predictMatrix, sliceOutputs, splitForTraining, type FeatureSlices, type MetricValues } from './fit.ts'
import { lineageSchema, type Lineage } from './lineage.ts'
import { compareOutputs, measureLatency, openSession, probeInvalidInputs, runOnnx, type LatencyReport, type ParityReport } from './onnx-runner.ts'
import { saveTrainingReference } from './reference.ts'
import { describeSource, loadTrainingData, type DataSource } from './source.ts'
import type { ResolvedTraining } from './spec.ts'

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

/** Options of trainModel: the model and its resolved training block, the data, and the edges it writes to. */
export interface TrainModelOptions {
  readonly model: ModelSpec
  readonly training: ResolvedTraining
  readonly source: DataSource
  readonly store: Store
  readonly registry: Registry
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
export async function findChampion(registry: Registry, model: string): Promise<RegisteredVersion | null> {
  const aliased = await registry.resolveAlias(model, CHAMPION_ALIAS)
  if (aliased !== undefined) return registry.requireVersion(model, aliased)
  const eligible = (await registry.listVersions(model)).filter((v) => v.gates.length > 0 && v.gates.every((g) => g.passed))
  return eligible.at(-1) ?? null
}

/** The training-set profile a version recorded (the shift gates' reference), or null when it has none. */
export async function recordedProfile(registry: Registry, version: RegisteredVersion): Promise<DatasetProfile | null> {
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

/**
 * Trains, checks and registers one model version: load (file or ClickHouse window) → validate (refused rows
 * reported) → data quality gates (shift against the champion's training profile) → split → fit the preprocessor on
 * train → search on validation (every trial recorded with `recordTrainingRun`) → refit the best on train +
 * validation → holdout metrics, overall and per slice → ONNX export → onnxruntime parity with the TypeScript
 * forward pass (1e-5) → latency → release gates (champion re-scored from its ONNX artifact on the same holdout,
 * slices, invalid input, p99 latency) → permutation importance → register with lineage and the analyzer's
 * reference set. Failed release gates still register the version, recorded with its gates and not eligible
 * (`eligible: false`; the registry API shows `gatesPassed: false`). Quality, search and parity failures throw a
 * TrainingError and register nothing.
 */
export async function trainModel(o: TrainModelOptions): Promise<TrainingReport> {
  const now = o.now ?? Date.now
  const emit = o.onProgress ?? (() => {})
  const { model, training, registry } = o
  const timings: Record<string, number> = {}
  let mark = performance.now()
  const lap = (name: string): void => {
    const t = performance.now()
    timings[name] = Math.round((t - mark) * 10) / 10
    mark = t
  }
  const started = performance.now()
  const codeVersion = o.codeVersion ?? (await currentGitCommit())

  emit({ stage: 'load', detail: describeSource(o.source) })
  let data: Awaited<ReturnType<typeof loadTrainingData>>
  try {
    data = await loadTrainingData(o.source, model, training, o.store)
  } catch (err) {
    // A missing file or column, a header that does not parse: the data's fault, named by the reader.
    throw new TrainingError('data', err instanceof Error ? err.message : String(err), undefined, { cause: err })
  }
  if (data.rows.length === 0) throw new TrainingError('data', `${describeSource(o.source)}: no valid row (${data.total} read, ${data.invalid.length} problems; first: ${data.invalid[0]?.message ?? 'none'})`, { invalid: data.invalid.slice(0, 20) })
  lap('load')

  emit({ stage: 'quality', detail: `${data.rows.length} valid rows of ${data.total}` })
  const champion = await findChampion(registry, model.name)
  const previous = champion ? await recordedProfile(registry, champion) : null
  const quality = checkQuality({ schema: model, rows: data.rows, invalid: data.invalid, total: data.total, ...(previous ? { previous } : {}) }, training.quality)
  if (!quality.passed) throw new TrainingError('quality', new QualityGateError(quality).message, quality)
  lap('quality')

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
  const classCount = classes?.length ?? 1
  const preprocessor = fitFeatures(model, training, splits.train)
  const trainX = designMatrix(preprocessor, splits.train)
  const trainY = encodeTargets(splits.train, classes)
  const valX = designMatrix(preprocessor, splits.validation)
  const valY = encodeTargets(splits.validation, classes)
  lap('prepare')

  let best: number | null = null
  const higher = metricDirection(training.metric) === 'higher'
  const search = await runSearch({
    space: training.search.space,
    strategy: training.search.method,
    trials: training.search.trials,
    seed: training.search.seed,
    primary: { metric: training.metric },
    evaluate: (params, seed) => {
      const trained = fitAlgorithm({ algorithm: training.algorithm, task: model.task, params, x: trainX, y: trainY, classes, seed, validation: { x: valX, y: valY } })
      return { ...evaluateOutputs(model.task, predictMatrix(trained.params, valX), valY, classCount), epochs: trained.epochs, converged: trained.converged ? 1 : 0 }
    },
    onTrial: (trial, done, total) => {
      if (trial.score !== null) best = best === null ? trial.score : higher ? Math.max(best, trial.score) : Math.min(best, trial.score)
      emit({ stage: 'search', done, total, score: trial.score, best })
    },
  })
  const runId = randomUUID()
  await registry.recordTrainingRun({
    runId,
    model: model.name,
    datasetVersion: data.version,
    codeVersion,
    trials: search.trials.map((t) => ({ trialIndex: t.index, parameters: { ...t.params }, metrics: { ...(t.metrics ?? {}), ...(t.error !== undefined ? { error: t.error } : {}) }, seed: t.seed })),
  })
  if (search.best === null) {
    throw new TrainingError('search', `no trial of ${search.trials.length} produced a ${training.metric} on the validation split: ${search.trials.map((t) => t.error ?? `${training.metric} undefined`).slice(0, 3).join('; ')}`, search.trials)
  }
  const chosen = search.best
  lap('search')

  const final = fitFinal({ model, training, splits, preprocessor, classes, params: chosen.params, seed: chosen.seed, onProgress: (p) => emit({ stage: 'fit', epoch: p.epoch, epochs: p.epochs, loss: p.loss }) })
  lap('refit')

  emit({ stage: 'export', detail: 'ONNX' })
  const bytes = (o.exportModel ?? exportOnnx)({ preprocessor: final.preprocessor, params: final.params, signature: final.signature })
  const session = await openSession(bytes)
  const holdoutFeatures = splits.holdout.map((r) => r.features)
  const onnxOutputs = await runOnnx(session, final.signature, holdoutFeatures)
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
  lap('export')

  emit({ stage: 'latency', detail: `${o.latencySamples ?? 200} single-row runs` })
  const latency = await measureLatency(session, final.signature, holdoutFeatures, { samples: o.latencySamples ?? 200 })
  lap('latency')

  const holdoutY = encodeTargets(splits.holdout, classes)
  const sliceFeatures = Object.entries(model.features).filter(([, f]) => f.type === 'category').map(([name]) => name)
  const slices = sliceOutputs(model.task, splits.holdout, final.holdoutOutputs, holdoutY, classCount, sliceFeatures)

  emit({ stage: 'champion', detail: champion ? `re-scoring version ${champion.version} on the holdout` : 'no champion yet' })
  let championResult: { version: number; metrics: MetricValues; slices: FeatureSlices[] } | null = null
  let championProblem: string | null = null
  if (champion) {
    const championSession = await openSession((await registry.readArtifact(model.name, champion.version)).bytes)
    try {
      const out = await championOutputs(championSession, champion, splits.holdout, classes)
      if (out === null) championProblem = `the champion (version ${champion.version}) predicts other classes (${(champion.signature.classes ?? []).join(', ')})`
      else championResult = { version: champion.version, metrics: evaluateOutputs(model.task, out, holdoutY, classCount), slices: sliceOutputs(model.task, splits.holdout, out, holdoutY, classCount, sliceFeatures) }
    } finally {
      await championSession.release()
    }
  }
  const gates: GateResult[] = []
  const primary = final.holdoutMetrics[training.metric] ?? null
  const champ = championGate({ metric: training.metric, candidate: primary, champion: championResult?.metrics[training.metric] ?? null, margin: training.gates.championMargin })
  gates.push(championProblem ? { ...champ, passed: false, reason: `${championProblem}: cannot compare on the same holdout` } : { ...champ, figures: { ...champ.figures, champion_version: championResult?.version ?? null } })
  const sliceSpec = training.gates.slice
  if (sliceSpec) {
    gates.push(
      sliceGate({
        metric: training.metric,
        tolerance: sliceSpec.tolerance,
        minCount: sliceSpec.minCount,
        candidate: slices.find((s) => s.feature === sliceSpec.feature)?.slices ?? [],
        champion: championResult ? (championResult.slices.find((s) => s.feature === sliceSpec.feature)?.slices ?? []) : null,
      }),
    )
  }
  gates.push(invalidInputGate({ cases: await probeInvalidInputs(session, final.signature, holdoutFeatures[0]!) }))
  gates.push(latencyGate({ latenciesMs: latency.samplesMs, budgetMs: training.gates.latencyP99Ms }))
  const eligible = allGatesPassed(gates)
  lap('gates')

  emit({ stage: 'importance', detail: `${final.signature.inputs.length} features` })
  let importance: FeatureImportance[] | null = null
  const importanceRows = splits.holdout.slice(0, o.importanceRows ?? 2000)
  const importanceY = encodeTargets(importanceRows, classes)
  try {
    importance = (
      await permutationImportance({
        rows: importanceRows.map((r) => r.features),
        features: final.signature.inputs.map((i) => i.name),
        predict: (rows) => runOnnx(session, final.signature, rows),
        score: (out) => evaluateOutputs(model.task, out, importanceY, classCount)[training.metric] ?? Number.NaN,
        direction: metricDirection(training.metric),
        seed: training.search.seed,
      })
    ).importances
  } catch {
    // Undefined metric on these rows (e.g. ROC AUC with one class): no importance rather than a failed run.
    importance = null
  }
  await session.release()
  lap('importance')

  emit({ stage: 'register', detail: model.name })
  const fitRows = [...splits.train, ...splits.validation]
  const profile = profileDataset(model, fitRows, { version: data.version })
  const profileArtifact = await registry.artifacts.put(new TextEncoder().encode(JSON.stringify(profile)))
  const trainedAtMs = now()
  const lineage: Lineage = {
    lineageVersion: 1,
    algorithm: training.algorithm,
    hyperparameters: { ...chosen.params },
    seed: chosen.seed,
    target: training.target,
    classes,
    source: o.source,
    spec: { name: model.name, task: model.task, features: model.features, training: { ...(model.training ?? {}), target: training.target } },
    split: { method: splits.method, validationFromMs: splits.validationFromMs, holdoutFromMs: splits.holdoutFromMs },
    profileSha256: profileArtifact.sha256,
    trainedAtMs,
  }
  const rows = { total: data.total, valid: data.rows.length, invalid: new Set(data.invalid.map((p) => p.row)).size, train: splits.train.length, validation: splits.validation.length, holdout: splits.holdout.length }
  const latencySummary = { singleRow: latency.singleRow, batch: latency.batch }
  const fitOutputs = predictMatrix(final.params, designMatrix(final.preprocessor, fitRows))
  let referenceId = ''
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
        champion: championResult ? { version: championResult.version, metrics: championResult.metrics } : null,
        parity: { ...parity },
        latency: latencySummary,
        importance,
        trainingSeconds: Math.round(performance.now() - started) / 1000,
      },
      gates: gates.map((g) => ({ ...g })),
      trainingRunId: runId,
      description: eligible ? `trained by highway train on ${describeSource(o.source)}` : `NOT eligible for release: failed gate(s) ${gates.filter((g) => !g.passed).map((g) => g.gate).join(', ')}`,
    },
    {
      actor: o.actor ?? 'highway-train',
      saveReference: async (version) => {
        referenceId = await saveTrainingReference({ store: o.store, model, version, rows: fitRows, outputs: fitOutputs, classes, retentionDays: o.retentionDays ?? 90, now })
        return referenceId
      },
    },
  )
  lap('register')
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
    champion: championResult ? { version: championResult.version, metrics: championResult.metrics } : null,
    gates,
    importance,
    referenceId,
    timingsMs: { ...timings, total: Math.round(performance.now() - started) },
  }
}
