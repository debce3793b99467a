import { mulberry32 } from '../random/index.ts'
import type { PredictionRow } from '../store/index.ts'

/** The benchmark model's name. */
export const BENCH_MODEL = 'bench-ingest'
/** Records per request, as in the issue. */
export const BATCH_RECORDS = 1_000

const NUMBER_FEATURES = 20
const CATEGORY_FEATURES = 5
// Category cardinalities grow from a flag-like 3 values to a country-like 40.
const CATEGORY_SIZES = [3, 6, 12, 24, 40] as const

/** Feature `f<i>` ranges over [0, 10^(1 + i mod 4)]: from a 0-10 score to a 0-10,000 amount. */
function numberMax(i: number): number {
  return 10 ** (1 + (i % 4))
}

function categoryValues(i: number): string[] {
  const size = CATEGORY_SIZES[i % CATEGORY_SIZES.length]!
  return Array.from({ length: size }, (_, k) => `c${i}_v${k}`)
}

/** The model as a config document: 20 bounded number features and 5 category features with their values. */
export function benchModelConfig(): Record<string, unknown> {
  const features: Record<string, unknown> = {}
  for (let i = 0; i < NUMBER_FEATURES; i++) features[`f${i}`] = { type: 'number', min: 0, max: numberMax(i) }
  for (let i = 0; i < CATEGORY_FEATURES; i++) features[`c${i}`] = { type: 'category', values: categoryValues(i) }
  return { name: BENCH_MODEL, task: 'binary_classification', features }
}

/** Request bodies for a range of batches, serialised ahead of the load so the generator only writes bytes. */
export interface BodySet {
  readonly bodies: readonly Buffer[]
  readonly records: number
  readonly bytes: number
}

/**
 * Serialises `count` request bodies of BATCH_RECORDS predictions, starting at batch `firstBatch`. Ids are
 * `<runTag>-<global record index>` (unique across the run); `ts` lies within the hour before `nowMs`. Even
 * features carry 2 decimals (amounts, counts), odd ones full double precision (scores, embeddings), which is
 * what a JSON encoder of float64 model inputs emits.
 */
export function makeBodies(options: { runTag: string; firstBatch: number; count: number; nowMs: number }): BodySet {
  const values = Array.from({ length: CATEGORY_FEATURES }, (_, i) => categoryValues(i))
  const bodies: Buffer[] = []
  let bytes = 0
  for (let b = options.firstBatch; b < options.firstBatch + options.count; b++) {
    const random = mulberry32(b + 1)
    const records = new Array<unknown>(BATCH_RECORDS)
    for (let r = 0; r < BATCH_RECORDS; r++) {
      const features: Record<string, number | string> = {}
      for (let i = 0; i < NUMBER_FEATURES; i++) {
        const v = random() * numberMax(i)
        features[`f${i}`] = i % 2 === 0 ? Math.round(v * 100) / 100 : v
      }
      for (let i = 0; i < CATEGORY_FEATURES; i++) {
        const vs = values[i]!
        features[`c${i}`] = vs[Math.floor(random() * vs.length)]!
      }
      records[r] = {
        id: `${options.runTag}-${String(b * BATCH_RECORDS + r).padStart(9, '0')}`,
        ts: options.nowMs - Math.floor(random() * 3_600_000),
        version: 'v1',
        features,
        prediction: random(),
        latency_ms: Math.round((1 + random() * 20) * 1000) / 1000,
      }
    }
    const body = Buffer.from(JSON.stringify({ model: BENCH_MODEL, records }))
    bytes += body.length
    bodies.push(body)
  }
  return { bodies, records: options.count * BATCH_RECORDS, bytes }
}

/**
 * One JSONEachRow line of the predictions table for a row (column names as in store/schema.ts): the ceiling's
 * encoding, where the engine reads field names instead of positions.
 */
export function encodePredictionEachRow(r: PredictionRow): string {
  return JSON.stringify({
    model: r.model,
    version: r.version,
    id: r.id,
    ts: r.tsMs,
    received_at: r.receivedAtMs,
    num_features: r.numFeatures,
    str_features: r.strFeatures,
    prediction: r.prediction,
    prediction_class: r.predictionClass,
    prediction_scores: r.predictionScores,
    latency_ms: r.latencyMs,
    status: r.status,
  })
}

/** Predictions of the bench model the service has stored. */
export async function storedPredictions(url: string): Promise<number> {
  const res = await fetch(new URL(`/v1/models/${BENCH_MODEL}`, url))
  if (!res.ok) throw new Error(`GET /v1/models/${BENCH_MODEL} answered ${res.status}: ${await res.text()}`)
  return ((await res.json()) as { predictions: number }).predictions
}

/**
 * Waits until the service has stored `expected` predictions (polling every 10 ms, up to `timeoutMs`) and returns
 * how many it stored. With `acknowledge: logged` a 202 comes before the insert, so a rate is only a rate once the
 * rows are in ClickHouse.
 */
export async function waitStored(url: string, expected: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const stored = await storedPredictions(url)
    if (stored >= expected || performance.now() > deadline) return stored
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
