import { createHash, randomUUID } from 'node:crypto'
import type { ModelSpec } from '../config/index.ts'
import {
  categoryCounts,
  copyWindowToReference,
  countWindow,
  insertReferenceRows,
  labelledWindow,
  latestReference,
  numericProfiles,
  PREDICTION_FEATURE,
  qualityFacts,
  readReferenceSample,
  sampleNumeric,
  sampleNumericRows,
  sampleText,
  textPresence,
  saveAnalysisResult,
  saveReferenceSet,
  type PredictionRow,
  type ReferenceSample,
  type Store,
  type WindowQuery,
} from '../store/index.ts'
import { computeDrift, needsRawValues, planColumn, type CurrentWindow, type DriftResult, type ReferenceValues } from './drift.ts'
import { textDescriptors } from './multivariate/index.ts'
import { computePerformance, type PerformanceResult } from './performance-report.ts'
import { buildReferenceProfile, type ReferenceProfile } from './profile.ts'
import { computeQuality, type QualityResult } from './quality.ts'
import { fromSketch } from './sketch.ts'

/** A record for a reference: the prediction record shape, plus an optional label. */
export interface ReferenceRecordRow {
  readonly row: PredictionRow
  readonly label: number | null
  readonly labelClass: string
}

/** Turns raw reference records into rows with the model's schema (the collector's validator, injected). */
export type ReferenceRecordParser = (model: ModelSpec, record: unknown, nowMs: number) => { ok: true; value: ReferenceRecordRow } | { ok: false; errors: string[] }

/** A window to analyse. */
export interface AnalysisWindow {
  readonly fromMs: number
  readonly toMs: number
  /** One version, or '' for all. */
  readonly version: string
}

/** What a reference creation reports. */
export interface ReferenceSummary {
  model: string
  version: string
  reference_id: string
  source: 'records' | 'window'
  rows: number
  sampled_rows: number
  rejected: Array<{ index: number; errors: string[] }>
  features: Record<string, { kind: string; n: number; missing: number }>
}

/** Thrown when an analysis cannot start: no reference, unknown model. Mapped to 4xx at the HTTP edge. */
export class AnalysisError extends Error {
  override readonly name = 'AnalysisError'
  readonly code: 'no_reference' | 'bad_window' | 'bad_reference'
  constructor(code: AnalysisError['code'], message: string) {
    super(message)
    this.code = code
  }
}

/** Options of the analyzer. */
export interface AnalyzerOptions {
  readonly store: Store
  readonly parseReferenceRecord: ReferenceRecordParser
  readonly now?: () => number
}

/** Runs drift, data quality and performance for a model and window, against its reference. */
export interface Analyzer {
  createReferenceFromRecords(model: ModelSpec, version: string, records: readonly unknown[]): Promise<ReferenceSummary>
  createReferenceFromWindow(model: ModelSpec, version: string, window: AnalysisWindow): Promise<ReferenceSummary>
  drift(model: ModelSpec, window: AnalysisWindow): Promise<DriftResult>
  quality(model: ModelSpec, window: AnalysisWindow): Promise<QualityResult>
  performance(model: ModelSpec, window: AnalysisWindow): Promise<PerformanceResult>
  /** All three, stored idempotently per (job, model, version, window). */
  run(model: ModelSpec, window: AnalysisWindow): Promise<{ drift: DriftResult | null; quality: QualityResult; performance: PerformanceResult; reference: string | null }>
}

interface LoadedReference {
  readonly id: string
  readonly source: string
  readonly profile: ReferenceProfile
  /** The sample's raw values, read on first need: sketch-path drift needs only the profile. */
  values(): Promise<ReferenceValues>
}

const NO_VALUES: ReferenceValues = { numeric: new Map(), textDescriptors: new Map(), labels: new Float64Array() }

// Sampling rule of references: the rows with the lowest hash of their id (cityHash64 in ClickHouse for
// windows, sha256 here for posted records): deterministic, so the same data gives the same reference.
const idRank = (id: string): string => createHash('sha256').update(id).digest('hex')

/** Creates the analyzer over a store. */
export function createAnalyzer(options: AnalyzerOptions): Analyzer {
  const { store } = options
  const now = options.now ?? Date.now
  const cache = new Map<string, LoadedReference>()

  const loadReference = async (model: ModelSpec, version: string): Promise<LoadedReference | undefined> => {
    const set = await latestReference(store, model.name, version)
    if (!set) return undefined
    const hit = cache.get(set.referenceId)
    if (hit) return hit
    const profile = JSON.parse(set.profile) as ReferenceProfile
    let values: Promise<ReferenceValues> | undefined
    const loaded: LoadedReference = {
      id: set.referenceId,
      source: set.source,
      profile,
      values: () => (values ??= readReferenceSample(store, { model: model.name, version: set.version, referenceId: set.referenceId }).then((sample) => referenceValues(sample, profile))),
    }
    cache.set(set.referenceId, loaded)
    if (cache.size > 8) cache.delete(cache.keys().next().value!)
    return loaded
  }

  const finishReference = async (model: ModelSpec, version: string, referenceId: string, source: 'records' | 'window', rows: number, rejected: ReferenceSummary['rejected']): Promise<ReferenceSummary> => {
    const sample = await readReferenceSample(store, { model: model.name, version, referenceId })
    if (sample.rows === 0) throw new AnalysisError('bad_reference', 'the reference has no valid rows')
    const profile = buildReferenceProfile(model, sample)
    await saveReferenceSet(store, { model: model.name, version, referenceId, source, createdAtMs: now(), rows, sampledRows: sample.rows, profile: JSON.stringify(profile) })
    const values = Promise.resolve(referenceValues(sample, profile))
    cache.set(referenceId, { id: referenceId, source, profile, values: () => values })
    const features: ReferenceSummary['features'] = {}
    for (const [k, f] of Object.entries(profile.features)) features[k] = { kind: f.kind, n: f.n, missing: f.missing }
    return { model: model.name, version, reference_id: referenceId, source, rows, sampled_rows: sample.rows, rejected, features }
  }

  // Labels count when they arrive within the configured horizon after the window ends (and by now).
  const labelsUntil = (model: ModelSpec, w: AnalysisWindow): number => Math.min(now(), w.toMs + model.analysis.labelHorizon * 1000)

  const windowQuery = (model: ModelSpec, w: AnalysisWindow): WindowQuery => {
    if (!(w.toMs > w.fromMs)) throw new AnalysisError('bad_window', `to must be after from (from ${new Date(w.fromMs).toISOString()}, to ${new Date(w.toMs).toISOString()})`)
    return { model: model.name, version: w.version, fromMs: w.fromMs, toMs: w.toMs }
  }

  const drift = async (model: ModelSpec, w: AnalysisWindow): Promise<DriftResult> => {
    const q = windowQuery(model, w)
    const exactMaxRows = model.analysis.exactMaxRows
    const reference = await loadReference(model, w.version)
    if (!reference) throw new AnalysisError('no_reference', `model "${model.name}" has no reference yet: POST /v1/models/${model.name}/reference with records or a {from, to} window`)
    const [rows, numeric, categories] = await Promise.all([countWindow(store, q), numericProfiles(store, q), categoryCounts(store, q)])
    const numericMap = new Map(numeric.map((p) => [p.feature, { n: p.n, sketch: p.sketch, min: p.min, max: p.max }]))
    // Raw values: all of a small window (exact results), or a sample for tests that have no sketch form.
    const samples = new Map<string, Float64Array>()
    const profile = reference.profile
    const wanted: string[] = []
    for (const [feature, ref] of Object.entries(profile.features)) {
      if (ref.kind !== 'numerical') continue
      const plan = planColumn(model, feature, ref, numericMap.get(feature))
      const n = numericMap.get(feature)?.n ?? 0
      if (plan.input === 'numerical' && (n <= exactMaxRows || needsRawValues(plan.test))) wanted.push(feature)
    }
    if (profile.prediction?.kind === 'numerical') {
      const plan = planColumn(model, '__prediction', profile.prediction, numericMap.get(PREDICTION_FEATURE))
      if (plan.input === 'numerical' && ((numericMap.get(PREDICTION_FEATURE)?.n ?? 0) <= exactMaxRows || needsRawValues(plan.test))) wanted.push(PREDICTION_FEATURE)
    }
    await Promise.all(wanted.map(async (f) => samples.set(f, await sampleNumeric(store, q, f, exactMaxRows))))
    const textDescriptorsMap = new Map<string, Record<'length' | 'tokens' | 'oov_share', Float64Array>>()
    for (const [feature, ref] of Object.entries(profile.features)) {
      if (ref.kind !== 'text') continue
      const texts = await sampleText(store, q, feature, exactMaxRows)
      const d = textDescriptors(texts, new Set(ref.vocabulary))
      textDescriptorsMap.set(feature, { length: Float64Array.from(d.length), tokens: Float64Array.from(d.tokens), oov_share: Float64Array.from(d.oovShare) })
    }
    const matrix = profile.reconstruction ? await currentMatrix(store, q, profile.reconstruction.features, profile.reconstruction.imputeMeans, exactMaxRows) : null
    const labelled = profile.label ? await labelledWindow(store, q, { sliceFeatures: [], labelsUntilMs: labelsUntil(model, w) }) : null
    const current: CurrentWindow = {
      rows,
      numeric: numericMap,
      categories,
      samples,
      textDescriptors: textDescriptorsMap,
      matrix,
      labels: labelled ? labelled.labels : null,
      labelClasses: labelled ? labelled.labelClasses : null,
    }
    // Raw reference values only when some test runs on raw values (exact windows, sample tests, text, labels).
    const needsValues = wanted.length > 0 || textDescriptorsMap.size > 0 || labelled !== null
    const values = needsValues ? await reference.values() : NO_VALUES
    return computeDrift({ model, version: w.version, fromMs: w.fromMs, toMs: w.toMs, reference: { id: reference.id, source: reference.source, profile, values }, current, minRows: model.analysis.minRows })
  }

  const quality = async (model: ModelSpec, w: AnalysisWindow): Promise<QualityResult> => {
    const q = windowQuery(model, w)
    const reference = await loadReference(model, w.version)
    const [rows, numeric, categories, texts, facts, labelled] = await Promise.all([
      countWindow(store, q),
      numericProfiles(store, q),
      categoryCounts(store, q),
      Object.values(model.features).some((f) => f.type === 'text') ? textPresence(store, q) : Promise.resolve(new Map<string, number>()),
      qualityFacts(store, q, { previousWindows: 7 }),
      labelledWindow(store, q, { sliceFeatures: [], labelsUntilMs: labelsUntil(model, w) }),
    ])
    const features = Object.entries(model.features).map(([feature, spec]) => {
      if (spec.type === 'category') {
        const counts = categories.get(feature) ?? new Map<string, number>()
        const ref = reference?.profile.features[feature]
        const known = ref?.kind === 'categorical' ? ref.counts : null
        const unseen = known && !spec.values ? [...counts].filter(([v]) => !(v in known)).map(([value, n]) => ({ value, n })) : []
        return { feature, present: [...counts.values()].reduce((s, n) => s + n, 0), distinct: counts.size, minEqualsMax: counts.size <= 1, unseenCategories: unseen }
      }
      if (spec.type === 'text') return { feature, present: texts.get(feature) ?? 0, distinct: 2, minEqualsMax: false, unseenCategories: [] }
      const p = numeric.find((x) => x.feature === feature)
      return { feature, present: p?.n ?? 0, distinct: p ? fromSketch(p.sketch).values.length : 0, minEqualsMax: p ? p.min === p.max : true, unseenCategories: [] }
    })
    return computeQuality({
      model,
      fromMs: w.fromMs,
      toMs: w.toMs,
      nowMs: now(),
      rows,
      quarantined: facts.quarantined,
      byFieldRule: facts.byFieldRule,
      features,
      duplicateIds: facts.duplicateIds,
      lastPredictionMs: facts.lastPredictionMs,
      lastLabelMs: facts.lastLabelMs,
      previousCounts: facts.previousCounts,
      labelled: labelled.labelled,
      labelDelaysSeconds: labelled.delaysSeconds,
    })
  }

  const performance = async (model: ModelSpec, w: AnalysisWindow): Promise<PerformanceResult> => {
    const q = windowQuery(model, w)
    const reference = await loadReference(model, w.version)
    const sliceFeatures = Object.entries(model.features).filter(([, f]) => f.type === 'category').map(([k]) => k)
    const labelled = await labelledWindow(store, q, { sliceFeatures, labelsUntilMs: labelsUntil(model, w) })
    const cbpe = reference?.profile.cbpe ?? null
    const allScores = cbpe ? await sampleNumeric(store, q, PREDICTION_FEATURE, 10_000_000) : null
    return computePerformance({ model, version: w.version, fromMs: w.fromMs, toMs: w.toMs, labelled, allScores, cbpe, minLabelCoverage: model.analysis.minLabelCoverage, minRows: model.analysis.minRows })
  }

  return {
    async createReferenceFromRecords(model, version, records) {
      const nowMs = now()
      const referenceId = randomUUID()
      const rejected: ReferenceSummary['rejected'] = []
      const accepted: ReferenceRecordRow[] = []
      records.forEach((record, index) => {
        const parsed = options.parseReferenceRecord(model, record, nowMs)
        if (parsed.ok) accepted.push(parsed.value)
        else rejected.push({ index, errors: parsed.errors })
      })
      if (accepted.length === 0) throw new AnalysisError('bad_reference', `no valid record among ${records.length} (first errors: ${rejected[0]?.errors.join('; ') ?? 'none'})`)
      const kept = accepted
        .map((r) => ({ r, rank: idRank(r.row.id) }))
        .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
        .slice(0, model.analysis.referenceSampleSize)
        .map(({ r }) => r)
      await insertReferenceRows(
        store,
        kept.map(({ row, label, labelClass }) =>
          JSON.stringify([model.name, version, referenceId, row.id, row.tsMs, row.numFeatures, row.strFeatures, row.textFeatures, row.prediction, row.predictionClass, label, labelClass]),
        ),
      )
      return finishReference(model, version, referenceId, 'records', accepted.length, rejected)
    },
    async createReferenceFromWindow(model, version, w) {
      const q = windowQuery(model, w)
      const referenceId = randomUUID()
      const { rows } = await copyWindowToReference(store, q, { version, referenceId, limit: model.analysis.referenceSampleSize })
      if (rows === 0) throw new AnalysisError('bad_reference', `no predictions of "${model.name}" between ${new Date(w.fromMs).toISOString()} and ${new Date(w.toMs).toISOString()}`)
      return finishReference(model, version, referenceId, 'window', rows, [])
    },
    drift,
    quality,
    performance,
    async run(model, w) {
      const reference = await loadReference(model, w.version)
      const [d, qy, p] = await Promise.all([reference ? drift(model, w) : Promise.resolve(null), quality(model, w), performance(model, w)])
      const computedAtMs = now()
      const save = (job: string, result: unknown) => saveAnalysisResult(store, { job, model: model.name, version: w.version, fromMs: w.fromMs, toMs: w.toMs, computedAtMs, result })
      await Promise.all([d ? save('drift', d) : Promise.resolve(), save('quality', qy), save('performance', p)])
      return { drift: d, quality: qy, performance: p, reference: reference?.id ?? null }
    },
  }
}

/** Raw reference values the exact tests need, from the stored sample. */
function referenceValues(sample: ReferenceSample, profile: ReferenceProfile): ReferenceValues {
  const textDescriptorsMap = new Map<string, Record<'length' | 'tokens' | 'oov_share', Float64Array>>()
  for (const [feature, ref] of Object.entries(profile.features)) {
    if (ref.kind !== 'text') continue
    const d = textDescriptors(sample.text.get(feature) ?? [], new Set(ref.vocabulary))
    textDescriptorsMap.set(feature, { length: Float64Array.from(d.length), tokens: Float64Array.from(d.tokens), oov_share: Float64Array.from(d.oovShare) })
  }
  return { numeric: sample.numeric, textDescriptors: textDescriptorsMap, labels: sample.labels }
}

async function currentMatrix(store: Store, q: WindowQuery, features: readonly string[], means: readonly number[], limit: number): Promise<number[][]> {
  const rows = await sampleNumericRows(store, q, features, limit)
  return rows.map((r) => r.map((v, j) => (Number.isFinite(v) ? v : means[j]!)))
}
