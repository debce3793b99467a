import { performance } from 'node:perf_hooks'
import * as ort from 'onnxruntime-node'
import { buildFeeds } from '../../contract/index.ts'
import type { ModelSignature } from '../../contract/index.ts'
import type { FeatureRecord } from '../data/index.ts'
import { featurizeText } from '../featurize/index.ts'
import { percentile, type InvalidInputCase } from '../gates/index.ts'

/*
 * onnxruntime-node at the edge of training: the exported graph is run as serving runs it (feeds built from the
 * signature per contract/signature.ts), for the parity check, latency, the invalid-input probes, permutation
 * importance and re-scoring the champion's artifact.
 */

/** Opens an ONNX model on the CPU, one intra-op thread (as a single request runs in serving). */
export function openSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 })
}

/** The graph feeds for raw rows, built by the contract's code (contract/feeds.ts) that serving uses, so training runs the graph as serving does. */
export function feedsFor(signature: ModelSignature, rows: readonly FeatureRecord[]): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {}
  for (const [name, t] of Object.entries(buildFeeds(signature, rows, featurizeText))) feeds[name] = new ort.Tensor(t.type, t.data as never, t.dims)
  return feeds
}

/** Runs raw rows through a session: regression → one value per row; classification → rows × classes. */
export async function runOnnx(session: ort.InferenceSession, signature: ModelSignature, rows: readonly FeatureRecord[]): Promise<Float64Array> {
  const output = signature.task === 'regression' ? 'prediction' : 'probabilities'
  const result = await session.run(feedsFor(signature, rows))
  const tensor = result[output]
  if (!tensor) throw new Error(`the graph returned no "${output}" output`)
  const data = tensor.data
  if (!(data instanceof Float64Array)) throw new Error(`output "${output}" is ${tensor.type}, expected double`)
  return Float64Array.from(data)
}

/** How far the graph's outputs are from the TypeScript forward pass. */
export interface ParityReport {
  readonly passed: boolean
  /** |onnx − ts| ≤ tolerance · max(1, |ts|): absolute for probabilities, relative for large regression values. */
  readonly tolerance: number
  readonly maxAbsDiff: number
  readonly maxRelDiff: number
  readonly values: number
  /** Index of the worst value, or -1 when all are equal. */
  readonly worst: number
}

/** Compares graph outputs with the reference forward pass, value by value. */
export function compareOutputs(onnx: Float64Array, reference: Float64Array, tolerance = 1e-5): ParityReport {
  if (onnx.length !== reference.length) return { passed: false, tolerance, maxAbsDiff: Number.POSITIVE_INFINITY, maxRelDiff: Number.POSITIVE_INFINITY, values: reference.length, worst: -1 }
  let maxAbs = 0
  let maxRel = 0
  let worst = -1
  let passed = true
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]!
    const d = Math.abs(onnx[i]! - r)
    const rel = d / Math.max(1, Math.abs(r))
    if (!(rel <= tolerance)) passed = false
    if (d > maxAbs || Number.isNaN(d)) {
      maxAbs = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d
      worst = i
    }
    if (rel > maxRel) maxRel = rel
  }
  return { passed, tolerance, maxAbsDiff: maxAbs, maxRelDiff: maxRel, values: reference.length, worst }
}

/** Single-row and batch latency of a model through onnxruntime, feeds included (text featurisation is part of a request). */
export interface LatencyReport {
  readonly singleRow: { readonly samples: number; readonly p50Ms: number; readonly p99Ms: number }
  readonly batch: { readonly rows: number; readonly runs: number; readonly meanMs: number; readonly rowsPerSecond: number }
  /** The single-row samples, for the latency gate. */
  readonly samplesMs: number[]
}

/** Measures `samples` single-row runs (after `warmup`) cycling through `rows`, then `batchRuns` runs of up to `batchRows` rows. */
export async function measureLatency(
  session: ort.InferenceSession,
  signature: ModelSignature,
  rows: readonly FeatureRecord[],
  options: { samples?: number; warmup?: number; batchRows?: number; batchRuns?: number } = {},
): Promise<LatencyReport> {
  const samples = options.samples ?? 200
  const warmup = options.warmup ?? 20
  if (rows.length === 0) throw new RangeError('latency needs at least one row')
  const timings: number[] = []
  for (let i = 0; i < warmup + samples; i++) {
    const row = rows[i % rows.length]!
    const t0 = performance.now()
    await runOnnx(session, signature, [row])
    const ms = performance.now() - t0
    if (i >= warmup) timings.push(ms)
  }
  const batch = rows.slice(0, options.batchRows ?? 1000)
  const batchRuns = options.batchRuns ?? 5
  const t0 = performance.now()
  for (let i = 0; i < batchRuns; i++) await runOnnx(session, signature, batch)
  const meanMs = (performance.now() - t0) / batchRuns
  return {
    singleRow: { samples, p50Ms: percentile(timings, 0.5), p99Ms: percentile(timings, 0.99) },
    batch: { rows: batch.length, runs: batchRuns, meanMs, rowsPerSecond: meanMs > 0 ? (batch.length * 1000) / meanMs : Number.POSITIVE_INFINITY },
    samplesMs: timings,
  }
}

/**
 * Feeds the graph rows with missing and unexpected values — NaN numbers and booleans, unseen and empty
 * categories, empty and unknown-word texts, every input missing at once, out-of-range numbers — and records what
 * happened. Each is expected to be handled: finite outputs, probabilities in [0, 1] summing to 1 (the contract
 * imputes inside the graph). Values of the wrong type never reach the graph: serving refuses them with a 400.
 */
export async function probeInvalidInputs(session: ort.InferenceSession, signature: ModelSignature, base: FeatureRecord): Promise<InvalidInputCase[]> {
  const probes: Array<{ name: string; row: FeatureRecord }> = []
  const allMissing: FeatureRecord = {}
  for (const input of signature.inputs) {
    allMissing[input.name] = null
    switch (input.type) {
      case 'number':
        probes.push({ name: `${input.name} is NaN`, row: { ...base, [input.name]: Number.NaN } })
        probes.push({ name: `${input.name} is far out of range (1e9)`, row: { ...base, [input.name]: 1e9 } })
        break
      case 'boolean':
        probes.push({ name: `${input.name} is missing`, row: { ...base, [input.name]: null } })
        break
      case 'category':
        probes.push({ name: `${input.name} is an unseen category`, row: { ...base, [input.name]: '\u0000never-seen-category' } })
        probes.push({ name: `${input.name} is an empty string`, row: { ...base, [input.name]: '' } })
        break
      case 'text':
        probes.push({ name: `${input.name} is an empty string`, row: { ...base, [input.name]: '' } })
        probes.push({ name: `${input.name} has only unknown words`, row: { ...base, [input.name]: 'qqxzv zzqqy' } })
        break
    }
  }
  probes.push({ name: 'every input is missing', row: allMissing })
  const cases: InvalidInputCase[] = []
  for (const probe of probes) {
    try {
      const out = await runOnnx(session, signature, [probe.row])
      const problem = checkOutput(signature, out)
      cases.push({ name: probe.name, expected: 'handled', observed: problem === null ? 'handled' : 'crashed', ...(problem !== null ? { detail: problem } : {}) })
    } catch (err) {
      cases.push({ name: probe.name, expected: 'handled', observed: 'crashed', detail: err instanceof Error ? err.message : String(err) })
    }
  }
  return cases
}

function checkOutput(signature: ModelSignature, out: Float64Array): string | null {
  for (const v of out) if (!Number.isFinite(v)) return `output ${v} is not finite`
  if (signature.task === 'regression') return null
  let sum = 0
  for (const v of out) {
    if (v < 0 || v > 1) return `probability ${v} is outside [0, 1]`
    sum += v
  }
  return Math.abs(sum - 1) <= 1e-9 ? null : `probabilities sum to ${sum}`
}
