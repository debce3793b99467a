import { modelSpecSchema } from '../../config/index.ts'
import { sha256Hex, type Registry } from '../../registry/index.ts'
import type { Store } from '../../store/index.ts'
import { exportOnnx } from '../onnx/index.ts'
import { classesOf, fitFeatures, fitFinal, splitForTraining } from './fit.ts'
import { lineageSchema } from './lineage.ts'
import { describeSource, loadTrainingData } from './source.ts'
import { resolveTraining } from './spec.ts'

/** One recorded metric against its reproduction. */
export interface MetricComparison {
  readonly metric: string
  readonly recorded: number | null
  readonly reproduced: number | null
  readonly matches: boolean
}

/** Whether a version could be trained again to the same data, metrics and artifact. */
export interface ReproduceReport {
  readonly model: string
  readonly version: number
  readonly source: string
  readonly dataset: { readonly recorded: string; readonly reproduced: string; readonly matches: boolean }
  /** Empty when the data did not match (nothing was retrained). */
  readonly metrics: readonly MetricComparison[]
  /** The ONNX bytes of the retrained model against the registered artifact (same code, data, parameters and seed → same bytes). */
  readonly artifact: { readonly recorded: string; readonly reproduced: string | null; readonly matches: boolean }
  /** Data and every metric match. */
  readonly matches: boolean
}

// Metrics are recomputed by the same deterministic code; the tolerance absorbs only a different CPU's last bit.
const RELATIVE_TOLERANCE = 1e-9

function same(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b
  return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(a))
}

/**
 * Trains a registered version again from its lineage: the recorded schema and training block, the same source
 * (the file read and hashed again, or the same ClickHouse window with labels up to the same moment), the same
 * split, the chosen hyperparameters and seed (the search is not re-run: its winner is recorded). Compares the
 * dataset version first (nothing is retrained when the data changed), then every recorded holdout metric, then
 * the ONNX bytes' sha256. Registers nothing.
 */
export async function reproduceVersion(o: { registry: Registry; store: Store; model: string; version: number }): Promise<ReproduceReport> {
  const v = await o.registry.requireVersion(o.model, o.version)
  const parsed = lineageSchema.safeParse(v.parameters)
  if (!parsed.success) throw new Error(`version ${o.version} of model "${o.model}" has no training lineage (it was not registered by highway train): ${parsed.error.issues[0]?.message ?? ''}`)
  const lineage = parsed.data
  const model = modelSpecSchema.parse(lineage.spec)
  const training = resolveTraining(model)
  const data = await loadTrainingData(lineage.source, model, training, o.store)
  const dataset = { recorded: v.dataset.version, reproduced: data.version, matches: data.version === v.dataset.version }
  const artifact = { recorded: v.artifact.sha256, reproduced: null as string | null, matches: false }
  const base = { model: o.model, version: o.version, source: describeSource(lineage.source), dataset }
  if (!dataset.matches) return { ...base, metrics: [], artifact, matches: false }
  const classes = classesOf(model.task, data.rows, lineage.classes)
  const splits = splitForTraining(data.rows, training, training.time !== null || lineage.source.kind === 'clickhouse')
  const preprocessor = fitFeatures(model, training, splits.train)
  const final = fitFinal({ model, training, splits, preprocessor, classes, params: lineage.hyperparameters, seed: lineage.seed })
  const metrics: MetricComparison[] = []
  for (const [metric, recorded] of Object.entries(v.metrics)) {
    // Top-level numbers are the holdout metrics; nested objects (slices, latency, …) are not reproducible figures.
    if (recorded !== null && typeof recorded !== 'number') continue
    if (!(metric in final.holdoutMetrics)) continue
    const reproduced = final.holdoutMetrics[metric] ?? null
    metrics.push({ metric, recorded, reproduced, matches: same(recorded, reproduced) })
  }
  const bytes = exportOnnx({ preprocessor: final.preprocessor, params: final.params, signature: final.signature })
  artifact.reproduced = sha256Hex(bytes)
  artifact.matches = artifact.reproduced === artifact.recorded
  return { ...base, metrics, artifact, matches: metrics.length > 0 && metrics.every((m) => m.matches) }
}
