import { createHash, randomUUID } from 'node:crypto'
import type { ModelSpec } from '../config/index.ts'
import { PREDICTION_FEATURE, type PredictionRow } from '../store/index.ts'
import type { AnalysisStore, ReferenceSample, WindowQuery } from './analysis-store.ts'
import { computeDrift, needsRawValues, planColumn, type CurrentWindow, type DriftResult, type ReferenceValues } from './drift.ts'
import { textDescriptors } from './multivariate/index.ts'
import { computePerformance, type PerformanceResult } from './performance-report.ts'
import { buildReferenceProfile, type ReferenceProfile } from './profile.ts'
import { computeQuality, type QualityResult } from './quality.ts'
import { fromSketch } from './sketch.ts'
import { createRefreshAhead } from '../refresh-ahead/index.ts'

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
  /** Whether multivariate drift (PCA reconstruction) has a model for this reference, and if not, why. */
  multivariate: { status: 'fitted' | 'skipped'; reason: string | null }
}

/** Earliest time a window may start: 1900-01-01, where ClickHouse's DateTime64(3) begins. */
export const MIN_WINDOW_MS = Date.UTC(1900, 0, 1)
/** Latest time a window may end: 2299-12-31T23:59:59.999Z, where DateTime64(3) ends (a JS Date holds more). */
export const MAX_WINDOW_MS = Date.UTC(2300, 0, 1) - 1

/** Thrown when an analysis cannot start or has nothing to serve. Mapped to 4xx at the HTTP edge (routes.ts). */
export class AnalysisError extends Error {
  override readonly name = 'AnalysisError'
  readonly code: 'no_reference' | 'bad_window' | 'bad_reference' | 'no_result'
  constructor(code: AnalysisError['code'], message: string) {
    super(message)
    this.code = code
  }
}

/** Options of the analyzer. */
export interface AnalyzerOptions {
  readonly store: AnalysisStore
  readonly parseReferenceRecord: ReferenceRecordParser
  readonly now?: () => number
}

/** The three analyses, each with its result type. */
export interface AnalysisResults {
  drift: DriftResult
  quality: QualityResult
  performance: PerformanceResult
}

/** One of the analyses. */
export type AnalysisJob = keyof AnalysisResults

/** A stored result, with the window it covers and when it was computed. */
export interface SavedAnalysis<T> {
  readonly fromMs: number
  readonly toMs: number
  readonly computedAtMs: number
  readonly result: T
}

/** What a stored run computed (drift is null without a reference). */
export interface AnalysisRun {
  drift: DriftResult | null
  quality: QualityResult
  performance: PerformanceResult
  reference: string | null
}

/**
 * Runs drift, data quality and performance for a model and window, against its reference. `drift`, `quality` and
 * `performance` compute a window on demand and store nothing; `run` computes all three and stores them; `saved`
 * reads the newest stored result.
 */
export interface Analyzer {
  createReferenceFromRecords(model: ModelSpec, version: string, records: readonly unknown[]): Promise<ReferenceSummary>
  createReferenceFromWindow(model: ModelSpec, version: string, window: AnalysisWindow): Promise<ReferenceSummary>
  drift(model: ModelSpec, window: AnalysisWindow): Promise<DriftResult>
  quality(model: ModelSpec, window: AnalysisWindow): Promise<QualityResult>
  performance(model: ModelSpec, window: AnalysisWindow): Promise<PerformanceResult>
  /** All three, stored idempotently per (job, model, version, window); the reference is read once. */
  run(model: ModelSpec, window: AnalysisWindow): Promise<AnalysisRun>
  /** The newest stored result of a job (by window end); `no_result` when none is stored yet. */
  saved<J extends AnalysisJob>(job: J, model: ModelSpec, version: string): Promise<SavedAnalysis<AnalysisResults[J]>>
  /**
   * Periodic work, ahead of the staleness bound: reads in the background the newest stored result of every key read
   * before, and of each job of `models` (version "") not held yet, when older than `SAVED_RESULT_TTL_MS`; so once
   * warm no `saved` read waits on ClickHouse. Returns when the loads it started end (failures are kept out).
   */
  tick(nowMs: number, models?: readonly ModelSpec[]): Promise<void>
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

/**
 * How long a stored result read is reused before it is read again, in the background, in ms. Reads of the newest
 * result (dashboards, reports, `highway drift`) then cost one query per key per interval however many arrive, even
 * under ingest; a result this process stores replaces its entry at once, one another replica stores shows up within
 * the interval plus one query (windows close minutes apart).
 */
export const SAVED_RESULT_TTL_MS = 5_000

/**
 * Oldest held result a read is served without waiting, in ms: past it (refreshes failing or queued that long behind
 * inserts), a read waits for the store's answer rather than serve an answer of unknown age.
 */
export const SAVED_RESULT_MAX_AGE_MS = 60_000

const ANALYSIS_JOBS: readonly AnalysisJob[] = ['drift', 'quality', 'performance']

const iso = (ms: number): string => (ms >= MIN_WINDOW_MS && ms <= MAX_WINDOW_MS ? new Date(ms).toISOString() : String(ms))

/** Checks a window's bounds; the HTTP edge checks them first, this keeps every other caller honest. */
export function checkWindow(w: { fromMs: number; toMs: number }): void {
  for (const [name, ms] of [
    ['from', w.fromMs],
    ['to', w.toMs],
  ] as const) {
    if (!Number.isInteger(ms) || ms < MIN_WINDOW_MS || ms > MAX_WINDOW_MS) {
      throw new AnalysisError('bad_window', `${name} must be a time from 1900-01-01 to 2299-12-31 (epoch milliseconds ${MIN_WINDOW_MS} to ${MAX_WINDOW_MS}), got ${ms}`)
    }
  }
  if (!(w.toMs > w.fromMs)) throw new AnalysisError('bad_window', `to must be after from (from ${iso(w.fromMs)}, to ${iso(w.toMs)})`)
}

/** Creates the analyzer over its storage port. */
export function createAnalyzer(options: AnalyzerOptions): Analyzer {
  const { store } = options
  const now = options.now ?? Date.now
  const cache = new Map<string, LoadedReference>()
  // Newest stored result per (job, model, version), served stale-while-revalidate (refresh-ahead/).
  const savedKey = (job: AnalysisJob, model: string, version: string) => `${job}\u0000${model}\u0000${version}`
  const savedCache = createRefreshAhead<SavedAnalysis<unknown> | undefined>({
    now,
    refreshAfterMs: SAVED_RESULT_TTL_MS,
    maxAgeMs: SAVED_RESULT_MAX_AGE_MS,
    load: async (key) => {
      const [job, model, version] = key.split('\u0000') as [AnalysisJob, string, string]
      const r = await store.latestAnalysisResult({ job, model, version })
      return r && { fromMs: r.fromMs, toMs: r.toMs, computedAtMs: r.computedAtMs, result: r.result }
    },
  })

  const remember = (model: ModelSpec, referenceId: string, source: string, profile: ReferenceProfile, values: () => Promise<ReferenceValues>): LoadedReference => {
    const loaded: LoadedReference = { id: referenceId, source, profile, values }
    cache.set(`${model.name}\u0000${referenceId}`, loaded)
    if (cache.size > 8) cache.delete(cache.keys().next().value!)
    return loaded
  }

  const loadReference = async (model: ModelSpec, version: string): Promise<LoadedReference | undefined> => {
    const set = await store.latestReference(model.name, version)
    if (!set) return undefined
    const hit = cache.get(`${model.name}\u0000${set.referenceId}`)
    if (hit) return hit
    const profile = JSON.parse(set.profile) as ReferenceProfile
    let values: Promise<ReferenceValues> | undefined
    return remember(model, set.referenceId, set.source, profile, () => (values ??= store.readReferenceSample({ model: model.name, version: set.version, referenceId: set.referenceId }).then((sample) => referenceValues(sample, profile))))
  }

  const requireReference = (model: ModelSpec, reference: LoadedReference | undefined): LoadedReference => {
    if (!reference) throw new AnalysisError('no_reference', `model "${model.name}" has no reference yet: POST /v1/models/${model.name}/reference with records or a {from, to} window`)
    return reference
  }

  const finishReference = async (model: ModelSpec, version: string, referenceId: string, source: 'records' | 'window', rows: number, rejected: ReferenceSummary['rejected']): Promise<ReferenceSummary> => {
    const sample = await store.readReferenceSample({ model: model.name, version, referenceId })
    if (sample.rows === 0) throw new AnalysisError('bad_reference', 'the reference has no valid rows')
    const profile = buildReferenceProfile(model, sample)
    await store.saveReferenceSet({ model: model.name, version, referenceId, source, createdAtMs: now(), rows, sampledRows: sample.rows, profile: JSON.stringify(profile) })
    const values = Promise.resolve(referenceValues(sample, profile))
    remember(model, referenceId, source, profile, () => values)
    const features: ReferenceSummary['features'] = {}
    for (const [k, f] of Object.entries(profile.features)) features[k] = { kind: f.kind, n: f.n, missing: f.missing }
    const multivariate: ReferenceSummary['multivariate'] = profile.reconstruction ? { status: 'fitted', reason: null } : { status: 'skipped', reason: profile.reconstructionSkipped ?? 'no multivariate model' }
    return { model: model.name, version, reference_id: referenceId, source, rows, sampled_rows: sample.rows, rejected, features, multivariate }
  }

  // Labels count when they arrive within the configured horizon after the window ends (and by now).
  const labelsUntil = (model: ModelSpec, w: AnalysisWindow): number => Math.min(now(), w.toMs + model.analysis.labelHorizon * 1000)

  const windowQuery = (model: ModelSpec, w: AnalysisWindow): WindowQuery => {
    checkWindow(w)
    return { model: model.name, version: w.version, fromMs: w.fromMs, toMs: w.toMs }
  }

  const driftWith = async (model: ModelSpec, w: AnalysisWindow, reference: LoadedReference): Promise<DriftResult> => {
    const q = windowQuery(model, w)
    const exactMaxRows = model.analysis.exactMaxRows
    const [rows, numeric, categories] = await Promise.all([store.countWindow(q), store.numericProfiles(q), store.categoryCounts(q)])
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
    await Promise.all(wanted.map(async (f) => samples.set(f, await store.sampleNumeric(q, f, exactMaxRows))))
    const textDescriptorsMap = new Map<string, Record<'length' | 'tokens' | 'oov_share', Float64Array>>()
    for (const [feature, ref] of Object.entries(profile.features)) {
      if (ref.kind !== 'text') continue
      const texts = await store.sampleText(q, feature, exactMaxRows)
      const d = textDescriptors(texts, new Set(ref.vocabulary))
      textDescriptorsMap.set(feature, { length: Float64Array.from(d.length), tokens: Float64Array.from(d.tokens), oov_share: Float64Array.from(d.oovShare) })
    }
    const matrix = profile.reconstruction ? await currentMatrix(store, q, profile.reconstruction.features, profile.reconstruction.imputeMeans, exactMaxRows) : null
    const labelled = profile.label ? await store.labelledWindow(q, { sliceFeatures: [], labelsUntilMs: labelsUntil(model, w) }) : null
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

  const qualityWith = async (model: ModelSpec, w: AnalysisWindow, reference: LoadedReference | undefined): Promise<QualityResult> => {
    const q = windowQuery(model, w)
    const [rows, numeric, categories, texts, facts, labelled] = await Promise.all([
      store.countWindow(q),
      store.numericProfiles(q),
      store.categoryCounts(q),
      Object.values(model.features).some((f) => f.type === 'text') ? store.textPresence(q) : Promise.resolve(new Map<string, number>()),
      store.qualityFacts(q, { previousWindows: 7 }),
      store.labelledWindow(q, { sliceFeatures: [], labelsUntilMs: labelsUntil(model, w) }),
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

  const performanceWith = async (model: ModelSpec, w: AnalysisWindow, reference: LoadedReference | undefined): Promise<PerformanceResult> => {
    const q = windowQuery(model, w)
    const sliceFeatures = Object.entries(model.features).filter(([, f]) => f.type === 'category').map(([k]) => k)
    const labelled = await store.labelledWindow(q, { sliceFeatures, labelsUntilMs: labelsUntil(model, w) })
    const cbpe = reference?.profile.cbpe ?? null
    const allScores = cbpe ? await store.sampleNumeric(q, PREDICTION_FEATURE, 10_000_000) : null
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
      await store.insertReferenceRows(kept.map(({ row, label, labelClass }) => ({ model: model.name, version, referenceId, row, label, labelClass })))
      return finishReference(model, version, referenceId, 'records', accepted.length, rejected)
    },
    async createReferenceFromWindow(model, version, w) {
      const q = windowQuery(model, w)
      const referenceId = randomUUID()
      const { rows } = await store.copyWindowToReference(q, { version, referenceId, limit: model.analysis.referenceSampleSize })
      if (rows === 0) throw new AnalysisError('bad_reference', `no predictions of "${model.name}" between ${iso(w.fromMs)} and ${iso(w.toMs)}`)
      return finishReference(model, version, referenceId, 'window', rows, [])
    },
    async drift(model, w) {
      checkWindow(w)
      return driftWith(model, w, requireReference(model, await loadReference(model, w.version)))
    },
    async quality(model, w) {
      checkWindow(w)
      return qualityWith(model, w, await loadReference(model, w.version))
    },
    async performance(model, w) {
      checkWindow(w)
      return performanceWith(model, w, await loadReference(model, w.version))
    },
    async run(model, w) {
      checkWindow(w)
      const reference = await loadReference(model, w.version)
      const [d, qy, p] = await Promise.all([reference ? driftWith(model, w, reference) : Promise.resolve(null), qualityWith(model, w, reference), performanceWith(model, w, reference)])
      const computedAtMs = now()
      const save = (job: AnalysisJob, result: unknown) => store.saveAnalysisResult({ job, model: model.name, version: w.version, fromMs: w.fromMs, toMs: w.toMs, computedAtMs, result })
      await Promise.all([d ? save('drift', d) : Promise.resolve(), save('quality', qy), save('performance', p)])
      // The newest stored result is this one unless a later window is held already (newest by window end, as the
      // store orders them): either way the read that follows need not ask the store.
      for (const [job, result] of [['drift', d], ['quality', qy], ['performance', p]] as const) {
        if (result === null) continue
        const key = savedKey(job, model.name, w.version)
        const old = savedCache.peek(key)?.value
        const mine: SavedAnalysis<unknown> = { fromMs: w.fromMs, toMs: w.toMs, computedAtMs, result }
        savedCache.put(key, old && old.toMs > w.toMs ? old : mine, now())
      }
      return { drift: d, quality: qy, performance: p, reference: reference?.id ?? null }
    },
    async tick(nowMs, warm = []) {
      const keys = warm.flatMap((m) => ANALYSIS_JOBS.map((job) => savedKey(job, m.name, '')))
      await Promise.allSettled(savedCache.tick(nowMs, keys))
    },
    async saved(job, model, version) {
      // One read in flight per key: a burst of readers shares it; while it runs, readers get the value it replaces.
      const found = (await savedCache.get(savedKey(job, model.name, version))).value
      if (!found) {
        const schedule = model.analysis.schedule ? `the schedule "${model.analysis.schedule}" stores one per whole window` : 'the model has no analysis.schedule'
        throw new AnalysisError(
          'no_result',
          `no stored ${job} result for model "${model.name}"${version ? ` version "${version}"` : ''} yet (${schedule}): POST /v1/models/${model.name}/analysis/run stores the last whole window now, or pass from and to to compute a window on demand`,
        )
      }
      return { fromMs: found.fromMs, toMs: found.toMs, computedAtMs: found.computedAtMs, result: found.result as AnalysisResults[typeof job] }
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

async function currentMatrix(store: AnalysisStore, q: WindowQuery, features: readonly string[], means: readonly number[], limit: number): Promise<number[][]> {
  const rows = await store.sampleNumericRows(q, features, limit)
  return rows.map((r) => r.map((v, j) => (Number.isFinite(v) ? v : means[j]!)))
}
