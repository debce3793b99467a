// The drift benchmark (issue: "Drift and quality for 1,000,000 current rows × 20 numerical + 5 categorical features
// against a 100,000-row reference, from storage to results, next to SciPy computing the same tests on the same data
// already in memory, in the same run. Targets: ≤ 2 s on the 2 cores, and faster than SciPy").
//
// Phases, all in this process (chDB binds one data directory per process): (1) rows are generated inside ClickHouse
// (INSERT … SELECT FROM numbers(), hash-based values, so no client serialisation) — the materialized views fill the
// hourly rollups as in ingest; (2) a reference is made from the reference day (timed, one-off); (3) drift + quality
// of the current day are timed cold (fresh analyzer: the reference is read from storage) and warm (best of 3),
// every store query timed by a wrapping Store; (4) each query of the analyzer timed alone; (5) the reference sample
// and the current window are exported as RowBinary and bench/drift_scipy.py times SciPy on them in memory;
// (6) Highway's statistics are compared with SciPy's.
import { spawn } from 'node:child_process'
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { createAnalyzer, type Analyzer, type AnalysisWindow, type DriftResult, type QualityResult } from '../analyzer/index.ts'
import { parseConfig, type ModelSpec } from '../config/index.ts'
import {
  categoryCounts,
  countWindow,
  labelledWindow,
  latestReference,
  numericProfiles,
  openStore,
  PREDICTION_FEATURE,
  createAnalysisStore,
  qualityFacts,
  readReferenceSample,
  sampleNumeric,
  sampleNumericRows,
  tableName,
  textPresence,
  toStoreError,
  type Store,
  type WindowQuery,
} from '../store/index.ts'
import { formatSection, formatTargets, round, type BenchReport, type BenchSection, type BenchTarget } from './report.ts'

/** The issue's targets. */
const TARGETS = {
  /** Drift + quality of the current window, from storage to results, in seconds. */
  maxSeconds: 2,
  /** Highway's time over SciPy's on the same tests must be below 1 (faster than SciPy). */
  maxSciPyRatio: 1,
} as const

const MODEL = 'drift-bench'
const DAY_MS = 86_400_000
const PYTHON = '/usr/bin/python3'
const SCIPY_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'drift_scipy.py')

/** Sizes of a run; `--quick` is a smoke test (100,000 current rows), the default gives figures worth recording. */
interface Plan {
  readonly referenceRows: number
  readonly currentRows: number
  /** Warm runs of drift + quality; the best is reported. */
  readonly warmRepeats: number
  /** Runs of each SciPy suite; the best is reported. */
  readonly scipyRepeats: number
  /** Rows per INSERT … SELECT while generating (bounds chDB's memory during ingest). */
  readonly insertRows: number
  /** Label every current row (received 2 h after its prediction): quality then joins 1M labels. */
  readonly labels: boolean
}

const FULL: Plan = { referenceRows: 100_000, currentRows: 1_000_000, warmRepeats: 3, scipyRepeats: 3, insertRows: 100_000, labels: false }
const QUICK: Plan = { ...FULL, currentRows: 100_000 }

// ---------------------------------------------------------------------------------------------------------------
// Data, generated in ClickHouse from hashes of the row number: deterministic, so two runs analyse the same rows.

/** Uniform in (0, 1) from the top 53 bits of cityHash64(number, salt). */
const uniform = (salt: number): string => `((bitShiftRight(cityHash64(number, ${salt}), 11) + 0.5) / 9007199254740992)`
/** Standard normal by Box–Muller on two uniforms. */
const gauss = (salt: number): string => `(sqrt(-2 * log(${uniform(salt)})) * cos(2 * pi() * ${uniform(salt + 1)}))`
const normal = (salt: number, mean: number, sd: number): string => `(${mean} + ${sd} * ${gauss(salt)})`
const logNormal = (salt: number, mu: number, sigma: number): string => `exp(${normal(salt, mu, sigma)})`
const uniformOn = (salt: number, lo: number, hi: number): string => `(${lo} + ${hi - lo} * ${uniform(salt)})`

/** A numeric feature: SQL over `number` for the reference day and for the current day, and what it is. */
interface NumericFeature {
  readonly name: string
  readonly shape: string
  readonly reference: string
  readonly current: string
  /** Whether the current day was shifted on purpose (drift expected). */
  readonly shifted: boolean
  readonly required: boolean
}

function numericFeatures(): NumericFeature[] {
  const f = (i: number, shape: string, reference: string, current = reference, required = true): NumericFeature => ({ name: `f${i}`, shape, reference, current, shifted: current !== reference, required })
  const s = (i: number) => 100 * i
  const out: NumericFeature[] = [
    f(0, 'normal(-12, 1), current mean +0.3 sd', normal(s(0), -12, 1), normal(s(0), -11.7, 1)),
    f(1, 'normal(-9, 1.25), current mean +0.3 sd', normal(s(1), -9, 1.25), normal(s(1), -8.625, 1.25)),
    f(2, 'normal(-6, 1.5), current sd x1.25', normal(s(2), -6, 1.5), normal(s(2), -6, 1.875)),
  ]
  for (let i = 3; i <= 7; i++) out.push(f(i, `normal(${(i - 4) * 3}, ${1 + i / 4})`, normal(s(i), (i - 4) * 3, 1 + i / 4)))
  out.push(f(8, 'lognormal(0.5, 0.6), current mu +0.15', logNormal(s(8), 0.5, 0.6), logNormal(s(8), 0.65, 0.6)))
  for (let i = 9; i <= 11; i++) out.push(f(i, `lognormal(${(i - 9) * 0.5}, 0.6)`, logNormal(s(i), (i - 9) * 0.5, 0.6)))
  out.push(f(12, 'uniform(-50, 50), current uniform(-40, 60)', uniformOn(s(12), -50, 50), uniformOn(s(12), -40, 60)))
  out.push(f(13, 'uniform(0, 1)', uniformOn(s(13), 0, 1)))
  out.push(f(14, 'uniform(-1000, 1000)', uniformOn(s(14), -1000, 1000)))
  out.push(f(15, 'exponential(1)', `(-log(${uniform(s(15))}))`))
  out.push(f(16, 'exponential(0.1)', `(-10 * log(${uniform(s(16))}))`))
  out.push(f(17, 'integer 0..49', `floor(50 * ${uniform(s(17))})`))
  out.push(f(18, 'bimodal 0.3 normal(-5, 1) + 0.7 normal(5, 1)', `if(${uniform(s(18) + 50)} < 0.3, ${normal(s(18), -5, 1)}, ${normal(s(18), 5, 1)})`))
  // Optional: missing (absent from the map) in 3% of rows, for the quality figures.
  out.push(f(19, 'normal(100, 15), 3% missing', `if(${uniform(s(19) + 50)} < 0.03, nan, ${normal(s(19), 100, 15)})`, undefined, false))
  return out
}

/** A categorical feature: its categories, drawn with P(index ≤ k) = ((k+1)/m)^(1/skew), and what it is. */
interface CategoricalFeature {
  readonly name: string
  readonly values: readonly string[]
  readonly referenceSkew: number
  readonly currentSkew: number
  /** Share of rows without the feature. */
  readonly missingShare: number
}

const CATEGORICAL: readonly CategoricalFeature[] = [
  { name: 'c0', values: ['north', 'south', 'east', 'west'], referenceSkew: 2, currentSkew: 1, missingShare: 0 },
  { name: 'c1', values: ['web', 'ios', 'android'], referenceSkew: 1.6, currentSkew: 1.6, missingShare: 0 },
  { name: 'c2', values: ['free', 'basic', 'pro', 'enterprise'], referenceSkew: 1.8, currentSkew: 1.8, missingShare: 0 },
  { name: 'c3', values: ['en', 'fr', 'de', 'es', 'it', 'nl'], referenceSkew: 1.4, currentSkew: 1.4, missingShare: 0 },
  { name: 'c4', values: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], referenceSkew: 1.2, currentSkew: 1.2, missingShare: 0.02 },
]

function categoricalSql(c: CategoricalFeature, index: number, side: 'reference' | 'current'): string {
  const salt = 5000 + 100 * index
  const m = c.values.length
  const pick = `arrayElement([${c.values.map((v) => `'${v}'`).join(', ')}], 1 + least(${m - 1}, toUInt32(floor(${m} * pow(${uniform(salt)}, ${side === 'reference' ? c.referenceSkew : c.currentSkew})))))`
  return c.missingShare > 0 ? `if(${uniform(salt + 50)} < ${c.missingShare}, '', ${pick})` : pick
}

/** The model under test: 20 number features, 5 category features with their values, a regression prediction. */
function benchModel(): ModelSpec {
  const features: Record<string, unknown> = {}
  for (const f of numericFeatures()) features[f.name] = { type: 'number', required: f.required }
  for (const c of CATEGORICAL) features[c.name] = { type: 'category', values: [...c.values], required: c.missingShare === 0 }
  const config = parseConfig({ models: [{ name: MODEL, task: 'regression', features }] }, { source: 'bench/drift.ts' })
  return config.models[0]!
}

/** INSERT … SELECT of rows [first, first + count) of one day, `total` rows spread evenly over the day. */
function insertSql(store: Store, side: 'reference' | 'current', dayMs: number, first: number, count: number, offset: number, total: number): string {
  const numeric = numericFeatures()
  const columns = numeric.map((f) => `${side === 'reference' ? f.reference : f.current} AS ${f.name}`)
  const cats = CATEGORICAL.map((c, i) => `${categoricalSql(c, i, side)} AS ${c.name}`)
  // A regression score on a few features, so prediction drift follows feature drift.
  const prediction = `0.5 * f4 + 0.2 * f8 - 0.01 * f12 + 0.006 * f17 + 0.5 * ${gauss(9000)}`
  return `INSERT INTO ${tableName(store.ctx, 'predictions')} (model, version, id, ts, received_at, num_features, str_features, text_features, prediction, prediction_class, prediction_scores, latency_ms, status)
SELECT '${MODEL}', 'v1', concat('${side}-', toString(number)), t, t,
  mapFilter((k, v) -> NOT isNaN(v), map(${numeric.map((f) => `'${f.name}', ${f.name}`).join(', ')})),
  mapFilter((k, v) -> v != '', map(${CATEGORICAL.map((c) => `'${c.name}', ${c.name}`).join(', ')})),
  map(), p, '', map(), NULL, 'ok'
FROM (
  SELECT number, fromUnixTimestamp64Milli(toInt64(${dayMs} + intDiv((number - ${offset}) * ${DAY_MS}, ${total}))) AS t,
    ${[...columns, ...cats].join(',\n    ')},
    ${prediction} AS p
  FROM numbers(${first}, ${count})
)`
}

// ---------------------------------------------------------------------------------------------------------------
// A Store that times every query the analyzer makes: engine time (chDB runs the query and hands back the bytes)
// and parse time (JSONEachRow to objects), attributed by which store function sent it. `queryRows` repeats what
// store/client.ts's does (same client, format and error translation) so that the two halves can be timed apart.

/** One query's timing. */
interface QueryTiming {
  readonly phase: string
  readonly query: string
  readonly startMs: number
  readonly engineMs: number
  readonly parseMs: number
  readonly endMs: number
  readonly rows: number
}

/** Which store function sent a statement (store/analysis-queries.ts), from its text. */
function queryLabel(sql: string): string {
  const rules: Array<[string, string]> = [
    ['reference_sets', 'latestReference'],
    ['reference_samples', 'readReferenceSample'],
    ['feature_numeric_rollup_1h', 'numericProfiles'],
    ['feature_category_rollup_1h', 'categoryCounts'],
    ['INNER JOIN l', 'labelledWindow'],
    ['text_features.keys', 'textPresence'],
    ['text_features[', 'sampleText'],
    // The only other query that passes NaN through JSON (labelledWindow matched above).
    ['output_format_json_quote_denormals', 'sampleNumericRows'],
    ['SELECT groupArray(v) AS v', 'sampleNumeric'],
    ['ARRAY JOIN fields', 'qualityFacts.byFieldRule'],
    ['quarantine', 'qualityFacts.quarantined'],
    ['uniqExact(id)', 'qualityFacts.duplicateIds'],
    ['AS lp', 'qualityFacts.freshness'],
    ['prediction_rollup_1m', 'qualityFacts.volumeHistory'],
    ['SELECT count() AS n FROM', 'countWindow'],
  ]
  return rules.find(([needle]) => sql.includes(needle))?.[1] ?? `other: ${sql.replace(/\s+/g, ' ').slice(0, 60)}`
}

interface TimedStore {
  readonly store: Store
  readonly timings: QueryTiming[]
  /** Labels the queries that follow (e.g. 'drift', 'quality'). */
  phase: string
  /** Highest RSS seen at a query boundary since the last reset. */
  peakRssBytes: number
}

function createTimedStore(inner: Store): TimedStore {
  const state = { timings: [] as QueryTiming[], phase: '', peakRssBytes: 0 }
  const observeRss = () => {
    state.peakRssBytes = Math.max(state.peakRssBytes, process.memoryUsage.rss())
  }
  const store: Store = {
    ...inner,
    async command(sql, params) {
      const startMs = performance.now()
      await inner.command(sql, params)
      const endMs = performance.now()
      state.timings.push({ phase: state.phase, query: queryLabel(sql), startMs, engineMs: endMs - startMs, parseMs: 0, endMs, rows: 0 })
    },
    async queryRows<T>(sql: string, params?: Record<string, unknown>): Promise<T[]> {
      const startMs = performance.now()
      try {
        const rs = await inner.client.query({ query: sql, format: 'JSONEachRow', ...(params ? { query_params: params } : {}) })
        const engineEndMs = performance.now()
        observeRss()
        const rows = await rs.json<T>()
        const endMs = performance.now()
        observeRss()
        state.timings.push({ phase: state.phase, query: queryLabel(sql), startMs, engineMs: engineEndMs - startMs, parseMs: endMs - engineEndMs, endMs, rows: rows.length })
        return rows
      } catch (err) {
        throw toStoreError(err, 'query')
      }
    },
  }
  return Object.assign(state, { store })
}

/** Milliseconds of [fromMs, toMs] during which at least one query was in flight. */
function coveredMs(timings: readonly QueryTiming[], fromMs: number, toMs: number): number {
  const spans = timings.map((t) => [Math.max(t.startMs, fromMs), Math.min(t.endMs, toMs)] as const).filter(([a, b]) => b > a).sort((a, b) => a[0] - b[0])
  let total = 0
  let end = -Infinity
  for (const [a, b] of spans) {
    if (b <= end) continue
    total += b - Math.max(a, end)
    end = b
  }
  return total
}

// ---------------------------------------------------------------------------------------------------------------
// Measurements.

/** One run of drift then quality (two API calls), with its query timings. */
interface AnalysisRun {
  readonly seconds: number
  readonly driftSeconds: number
  readonly qualitySeconds: number
  readonly cpuSeconds: number
  readonly timings: readonly QueryTiming[]
  /** From the start of drift to its first query on the window: loading the reference (cold) or finding it (warm), in ms. */
  readonly referenceLoadMs: number
  /** Time spent outside any store query (JS maths, JSON of the profile, planning), in ms. */
  readonly outsideQueriesMs: { readonly drift: number; readonly quality: number }
  readonly drift: DriftResult
  readonly quality: QualityResult
}

async function runAnalysis(analyzer: Analyzer, timed: TimedStore, model: ModelSpec, window: AnalysisWindow): Promise<AnalysisRun> {
  timed.timings.length = 0
  const cpuBefore = process.cpuUsage()
  const t0 = performance.now()
  timed.phase = 'drift'
  const drift = await analyzer.drift(model, window)
  const t1 = performance.now()
  timed.phase = 'quality'
  const quality = await analyzer.quality(model, window)
  const t2 = performance.now()
  const cpu = process.cpuUsage(cpuBefore)
  return {
    seconds: (t2 - t0) / 1000,
    driftSeconds: (t1 - t0) / 1000,
    qualitySeconds: (t2 - t1) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    timings: [...timed.timings],
    referenceLoadMs: Math.min(t1, ...timed.timings.filter((t) => t.phase === 'drift' && t.query !== 'latestReference' && t.query !== 'readReferenceSample').map((t) => t.startMs)) - t0,
    outsideQueriesMs: { drift: t1 - t0 - coveredMs(timed.timings, t0, t1), quality: t2 - t1 - coveredMs(timed.timings, t1, t2) },
    drift,
    quality,
  }
}

/** One store call timed alone: wall time, time with a query in flight, JSON parsing, and JS after the queries. */
interface IsolatedCall {
  readonly call: string
  readonly wallMs: number
  readonly queryMs: number
  readonly parseMs: number
  readonly rows: number
}

/** Each store call of drift and quality alone (nothing else running), best of `repeats`. */
async function isolatedQueries(timed: TimedStore, model: ModelSpec, q: WindowQuery, repeats: number): Promise<IsolatedCall[]> {
  const store = timed.store
  const numeric = Object.entries(model.features).filter(([, f]) => f.type === 'number').map(([k]) => k)
  const reference = await latestReference(store, model.name, '')
  if (!reference) throw new Error('no reference to read back')
  const calls: Array<[string, () => Promise<unknown>]> = [
    ['latestReference (reference profile JSON)', () => latestReference(store, model.name, '')],
    ['readReferenceSample (whole reference sample)', () => readReferenceSample(store, { model: model.name, version: reference.version, referenceId: reference.referenceId })],
    ['countWindow', () => countWindow(store, q)],
    ['numericProfiles (rollup sketches)', () => numericProfiles(store, q)],
    ['categoryCounts (rollup counts)', () => categoryCounts(store, q)],
    [`sampleNumeric(${PREDICTION_FEATURE}, exactMaxRows)`, () => sampleNumeric(store, q, PREDICTION_FEATURE, model.analysis.exactMaxRows)],
    ['sampleNumericRows(20 features, exactMaxRows): PCA matrix', () => sampleNumericRows(store, q, numeric, model.analysis.exactMaxRows)],
    ['textPresence (keys of text_features)', () => textPresence(store, q)],
    ['qualityFacts (5 queries at once)', () => qualityFacts(store, q, { previousWindows: 7 })],
    ['labelledWindow (label join)', () => labelledWindow(store, q, { sliceFeatures: [], labelsUntilMs: Date.now() })],
  ]
  const out: IsolatedCall[] = []
  for (const [call, fn] of calls) {
    let best: IsolatedCall | undefined
    for (let i = 0; i < repeats; i++) {
      timed.timings.length = 0
      const t0 = performance.now()
      await fn()
      const t1 = performance.now()
      const parseMs = timed.timings.reduce((s, t) => s + t.parseMs, 0)
      const rows = timed.timings.reduce((s, t) => s + t.rows, 0)
      const run = { call, wallMs: t1 - t0, queryMs: coveredMs(timed.timings, t0, t1), parseMs, rows }
      if (!best || run.wallMs < best.wallMs) best = run
    }
    out.push(best!)
  }
  return out
}

/** Writes the reference sample and the current window as RowBinary files for drift_scipy.py, plus meta.json. */
async function exportForSciPy(store: Store, dir: string, model: ModelSpec, referenceId: string, q: WindowQuery): Promise<void> {
  const numeric = [...Object.entries(model.features).filter(([, f]) => f.type === 'number').map(([k]) => k), PREDICTION_FEATURE]
  const numCols = numeric.map((f) => (f === PREDICTION_FEATURE ? 'ifNull(prediction, nan)' : `if(mapContains(num_features, '${f}'), num_features['${f}'], nan)`)).join(', ')
  const catCols = CATEGORICAL.map((c) => `toUInt8(indexOf([${c.values.map((v) => `'${v}'`).join(', ')}], str_features['${c.name}']))`).join(', ')
  const from = {
    ref: `FROM ${tableName(store.ctx, 'reference_samples')} WHERE model = '${model.name}' AND reference_id = '${referenceId}'`,
    cur: `FROM ${tableName(store.ctx, 'predictions')} WHERE model = '${model.name}' AND ts >= fromUnixTimestamp64Milli(${q.fromMs}) AND ts < fromUnixTimestamp64Milli(${q.toMs})`,
  }
  for (const [side, where] of Object.entries(from)) {
    // Same row order in both files of a side: ORDER BY id.
    for (const [kind, cols] of [['num', numCols], ['cat', catCols]] as const) {
      const { stream } = await store.client.exec({ query: `SELECT ${cols} ${where} ORDER BY id FORMAT RowBinary` })
      await pipeline(stream, createWriteStream(join(dir, `${side}_${kind}.bin`)))
    }
  }
  const meta = {
    numeric,
    features: Object.keys(model.features),
    categorical: CATEGORICAL.map((c) => c.name),
    categories: Object.fromEntries(CATEGORICAL.map((c) => [c.name, c.values])),
  }
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta))
}

/** What drift_scipy.py prints. */
interface SciPyRun {
  readonly scipy: string
  readonly numpy: string
  readonly python: string
  readonly rows: { reference: number; current: number }
  readonly load_seconds: number
  readonly seconds: Record<'wasserstein' | 'jensenshannon' | 'quality' | 'ks' | 'chisquare' | 'wasserstein_features', { first: number; best: number; all: number[]; cpu_best: number }>
  readonly statistics: { wasserstein: Record<string, number>; jensenshannon: Record<string, number>; ks: Record<string, [number, number]>; chisquare: Record<string, [number, number]> }
  readonly quality: Record<string, { missing_share: number; constant: boolean; min?: number; max?: number; distinct?: number }>
  readonly peak_rss_bytes: number
}

function runSciPy(dir: string, repeats: number, log: (line: string) => void): Promise<SciPyRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCIPY_SCRIPT, dir, String(repeats)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s))
    child.stderr.setEncoding('utf8').on('data', (s: string) => s.split('\n').filter(Boolean).forEach((l) => log(`scipy: ${l}`)))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${PYTHON} ${SCIPY_SCRIPT} exited with ${code}`))
      try {
        resolve(JSON.parse(out) as SciPyRun)
      } catch (err) {
        reject(new Error(`drift_scipy.py printed no JSON (${(err as Error).message}): ${out.slice(0, 200)}`))
      }
    })
  })
}

// ---------------------------------------------------------------------------------------------------------------

/** Per-feature agreement of Highway's statistic with SciPy's on the same rows. */
interface Agreement {
  readonly feature: string
  readonly test: string
  readonly method: string
  readonly highway: number
  readonly scipy: number
  readonly absDiff: number
  readonly relDiff: number
  readonly highwayDrifted: boolean
  readonly scipyDrifted: boolean
}

/** Figures of a run, for the JSON summary and DRIFT-RESULTS.md. */
export interface DriftFigures {
  readonly plan: Plan
  readonly ingestSeconds: number
  readonly referenceSeconds: number
  readonly cold: { seconds: number; driftSeconds: number; qualitySeconds: number; cpuSeconds: number; referenceLoadSeconds: number }
  readonly warm: { seconds: number; driftSeconds: number; qualitySeconds: number; cpuSeconds: number; all: number[] }
  readonly warmConcurrentSeconds: number
  readonly scipy: { testsSeconds: number; testsCpuSeconds: number; withKsSeconds: number; guideSuiteSeconds: number; firstTestsSeconds: number; version: string; numpy: string; peakRssBytes: number }
  /** SciPy's time over Highway's: wall-clock, and CPU seconds (robust to a shared machine). */
  readonly speedUp: { cold: number; warm: number; coldWithKs: number; warmWithKs: number; coldCpu: number; warmCpu: number }
  readonly agreement: { maxWassersteinRelDiff: number; maxWassersteinAbsDiff: number; maxJensenShannonAbsDiff: number; maxMissingShareDiff: number; verdictsAgree: boolean }
  readonly rssBytes: { beforeAnalysis: number; peakDuringAnalysis: number; processPeak: number }
  /** 1-minute load averages: the machine may be shared, and figures taken under load are not comparable. */
  readonly loadAverage: { start: number; beforeAnalysis: number; afterAnalysis: number; afterSciPy: number }
}

/** What runDriftBench hands back: the report run.ts prints, and the figures. */
export interface DriftBenchResult extends BenchReport {
  /** Null when only the help was asked for. */
  readonly figures: DriftFigures | null
}

const HELP = `Usage: npm run bench -- drift [--quick] [--current-rows N] [--labels] [--keep]

  --current-rows N  rows in the current day (default ${FULL.currentRows}; quick ${QUICK.currentRows})
  --labels          label every current row (the issue's benchmark has no labels; this shows the label join's cost)
  --keep            keep the temporary directory (chDB data and the exported RowBinary files)`

function planFrom(options: { quick: boolean; args?: readonly string[] }): { plan: Plan; keep: boolean } | undefined {
  const { values } = parseArgs({ args: [...(options.args ?? [])], strict: true, options: { 'current-rows': { type: 'string' }, labels: { type: 'boolean' }, keep: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } })
  if (values.help) return undefined
  const base = options.quick ? QUICK : FULL
  const raw = values['current-rows']
  const currentRows = raw === undefined ? base.currentRows : Number(raw)
  if (!Number.isInteger(currentRows) || currentRows < 1000) throw new Error(`--current-rows must be an integer ≥ 1000, got "${raw}"`)
  return { plan: { ...base, currentRows, labels: values.labels ?? false }, keep: values.keep ?? false }
}

const ms = (seconds: number): number => round(seconds * 1000, 0)
const mb = (bytes: number): number => round(bytes / 1e6, 0)

/**
 * Runs the drift benchmark: drift + quality of a 1M-row day against a 100k-row reference, cold and warm, next to
 * SciPy on the same rows in memory. Prints its headline table on the log channel (stderr) and returns the report.
 */
export async function runDriftBench(options: { quick: boolean; args?: readonly string[]; log?: (line: string) => void }): Promise<DriftBenchResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[bench drift] ${line}\n`))
  const parsed = planFrom(options)
  if (!parsed) {
    process.stdout.write(`${HELP}\n`)
    return { bench: 'drift', sections: [], targets: [], failures: [], summary: {}, figures: null }
  }
  const { plan, keep } = parsed
  const load1 = () => round(loadavg()[0] ?? 0, 2)
  const loadAtStart = load1()
  const model = benchModel()
  const dir = mkdtempSync(join(tmpdir(), 'highway-bench-drift-'))
  const exportDir = join(dir, 'export')
  const store = await openStore({ mode: 'embedded', dataDir: join(dir, 'data'), database: 'highway', retentionDays: 30 })
  try {
    // Two whole UTC days inside the retention: the reference day, then the current day.
    const todayMs = Math.floor(Date.now() / DAY_MS) * DAY_MS
    const referenceDayMs = todayMs - 3 * DAY_MS
    const currentDayMs = todayMs - 2 * DAY_MS
    const referenceWindow: AnalysisWindow = { fromMs: referenceDayMs, toMs: referenceDayMs + DAY_MS, version: '' }
    const currentWindow: AnalysisWindow = { fromMs: currentDayMs, toMs: currentDayMs + DAY_MS, version: '' }
    const q: WindowQuery = { model: MODEL, version: '', fromMs: currentWindow.fromMs, toMs: currentWindow.toMs }

    // (1) Ingest, inside ClickHouse; the materialized views keep the hourly rollups.
    log(`generating ${plan.referenceRows} reference rows and ${plan.currentRows} current rows in chDB (${dir})`)
    const ingestStart = performance.now()
    for (const [side, dayMs, offset, total] of [
      ['reference', referenceDayMs, 0, plan.referenceRows],
      ['current', currentDayMs, plan.referenceRows, plan.currentRows],
    ] as const) {
      for (let first = offset; first < offset + total; first += plan.insertRows) {
        await store.command(insertSql(store, side, dayMs, first, Math.min(plan.insertRows, offset + total - first), offset, total))
      }
    }
    if (plan.labels) {
      // After the reference day, so the reference (and label drift) stays unlabelled: only quality's label join grows.
      await store.command(
        `INSERT INTO ${tableName(store.ctx, 'labels')} (model, id, ts, received_at, label, label_class)
         SELECT model, id, ts, ts + toIntervalHour(2), prediction + 0.1, '' FROM ${tableName(store.ctx, 'predictions')}
         WHERE model = '${MODEL}' AND ts >= fromUnixTimestamp64Milli(${currentDayMs}) AND ts < fromUnixTimestamp64Milli(${currentDayMs + DAY_MS})`,
      )
    }
    // Merged parts, as after the background merges of a day-old window: a state that does not depend on timing.
    for (const table of ['predictions', 'labels', 'feature_numeric_rollup_1h', 'feature_category_rollup_1h', 'prediction_rollup_1m']) {
      await store.command(`OPTIMIZE TABLE ${tableName(store.ctx, table)} FINAL`)
    }
    const ingestSeconds = (performance.now() - ingestStart) / 1000
    const [storage] = await store.queryRows<{ rollup_rows: number; parts: number }>(
      `SELECT (SELECT count() FROM ${tableName(store.ctx, 'feature_numeric_rollup_1h')}) AS rollup_rows,
              (SELECT count() FROM system.parts WHERE database = '${store.ctx.database}' AND table = 'predictions' AND active) AS parts`,
    )
    log(`ingest: ${round(ingestSeconds, 1)} s (${storage?.parts} parts of predictions, ${storage?.rollup_rows} numeric rollup rows)`)

    // (2) The reference: a one-off.
    const parseReferenceRecord = () => ({ ok: false as const, errors: ['records are not used by this benchmark'] })
    const t0 = performance.now()
    const summary = await createAnalyzer({ store: createAnalysisStore(store), parseReferenceRecord }).createReferenceFromWindow(model, '', referenceWindow)
    const referenceSeconds = (performance.now() - t0) / 1000
    log(`reference: ${summary.sampled_rows} rows profiled in ${round(referenceSeconds, 2)} s`)

    // (3) Cold: a fresh analyzer reads the reference from storage. Then warm, best of N.
    const timed = createTimedStore(store)
    const analyzer = createAnalyzer({ store: createAnalysisStore(timed.store), parseReferenceRecord })
    const rssBeforeAnalysis = process.memoryUsage.rss()
    const loadBeforeAnalysis = load1()
    timed.peakRssBytes = rssBeforeAnalysis
    const cold = await runAnalysis(analyzer, timed, model, currentWindow)
    log(`cold: drift ${ms(cold.driftSeconds)} ms + quality ${ms(cold.qualitySeconds)} ms = ${ms(cold.seconds)} ms`)
    const warmRuns: AnalysisRun[] = []
    for (let i = 0; i < plan.warmRepeats; i++) {
      warmRuns.push(await runAnalysis(analyzer, timed, model, currentWindow))
      log(`warm ${i + 1}: ${ms(warmRuns[i]!.seconds)} ms`)
    }
    const warm = warmRuns.reduce((a, b) => (b.seconds < a.seconds ? b : a))
    // As `run()` does them (and a dashboard opening both): drift and quality at once, reference cached.
    let warmConcurrentSeconds = Infinity
    for (let i = 0; i < plan.warmRepeats; i++) {
      const s = performance.now()
      await Promise.all([analyzer.drift(model, currentWindow), analyzer.quality(model, currentWindow)])
      warmConcurrentSeconds = Math.min(warmConcurrentSeconds, (performance.now() - s) / 1000)
    }
    const peakDuringAnalysis = Math.max(timed.peakRssBytes, process.memoryUsage.rss())
    const loadAfterAnalysis = load1()

    // (4) Each query alone.
    timed.phase = 'isolated'
    const isolated = await isolatedQueries(timed, model, q, 3)

    // (5) SciPy on the same rows, in memory.
    log('exporting the reference sample and the current window as RowBinary')
    mkdirSync(exportDir, { recursive: true })
    const exportStart = performance.now()
    await exportForSciPy(store, exportDir, model, summary.reference_id, q)
    log(`export: ${round((performance.now() - exportStart) / 1000, 1)} s; running ${PYTHON} ${SCIPY_SCRIPT}`)
    const scipy = await runSciPy(exportDir, plan.scipyRepeats, log)
    const loadAfterSciPy = load1()
    if (scipy.rows.current !== plan.currentRows || scipy.rows.reference !== plan.referenceRows) {
      throw new Error(`SciPy read ${scipy.rows.reference} reference and ${scipy.rows.current} current rows, expected ${plan.referenceRows} and ${plan.currentRows}`)
    }

    // (6) Agreement and figures.
    const s = scipy.seconds
    const testsSeconds = s.wasserstein.best + s.jensenshannon.best + s.quality.best
    const testsCpuSeconds = s.wasserstein.cpu_best + s.jensenshannon.cpu_best + s.quality.cpu_best
    const firstTestsSeconds = s.wasserstein.first + s.jensenshannon.first + s.quality.first
    const withKsSeconds = testsSeconds + s.ks.best
    const guideSuiteSeconds = s.ks.best + s.wasserstein_features.best + s.chisquare.best + s.jensenshannon.best
    const agreements = agreementOf(cold.drift, scipy)
    const missingDiffs = cold.quality.features.map((f) => Math.abs(f.missing_share - (scipy.quality[f.feature]?.missing_share ?? NaN)))
    const constantMismatch = cold.quality.features.filter((f) => f.constant !== scipy.quality[f.feature]?.constant).map((f) => f.feature)
    const wass = agreements.filter((a) => a.test === 'wasserstein')
    const js = agreements.filter((a) => a.test === 'jensenshannon')
    const figures: DriftFigures = {
      plan,
      ingestSeconds,
      referenceSeconds,
      cold: { seconds: cold.seconds, driftSeconds: cold.driftSeconds, qualitySeconds: cold.qualitySeconds, cpuSeconds: cold.cpuSeconds, referenceLoadSeconds: cold.referenceLoadMs / 1000 },
      warm: { seconds: warm.seconds, driftSeconds: warm.driftSeconds, qualitySeconds: warm.qualitySeconds, cpuSeconds: warm.cpuSeconds, all: warmRuns.map((r) => r.seconds) },
      warmConcurrentSeconds,
      scipy: { testsSeconds, testsCpuSeconds, withKsSeconds, guideSuiteSeconds, firstTestsSeconds, version: scipy.scipy, numpy: scipy.numpy, peakRssBytes: scipy.peak_rss_bytes },
      speedUp: { cold: testsSeconds / cold.seconds, warm: testsSeconds / warm.seconds, coldWithKs: withKsSeconds / cold.seconds, warmWithKs: withKsSeconds / warm.seconds, coldCpu: testsCpuSeconds / cold.cpuSeconds, warmCpu: testsCpuSeconds / warm.cpuSeconds },
      agreement: {
        maxWassersteinRelDiff: Math.max(...wass.map((a) => a.relDiff)),
        maxWassersteinAbsDiff: Math.max(...wass.map((a) => a.absDiff)),
        maxJensenShannonAbsDiff: Math.max(...js.map((a) => a.absDiff)),
        maxMissingShareDiff: Math.max(...missingDiffs),
        verdictsAgree: agreements.every((a) => a.highwayDrifted === a.scipyDrifted),
      },
      rssBytes: { beforeAnalysis: rssBeforeAnalysis, peakDuringAnalysis, processPeak: process.resourceUsage().maxRSS * 1024 },
      loadAverage: { start: loadAtStart, beforeAnalysis: loadBeforeAnalysis, afterAnalysis: loadAfterAnalysis, afterSciPy: loadAfterSciPy },
    }

    const failures: string[] = []
    if (!(figures.agreement.maxJensenShannonAbsDiff < 1e-9)) failures.push(`Jensen–Shannon on exact counts differs from SciPy by ${figures.agreement.maxJensenShannonAbsDiff}`)
    if (!(figures.agreement.maxMissingShareDiff < 1e-12)) failures.push(`missing shares differ from NumPy's by up to ${figures.agreement.maxMissingShareDiff}`)
    if (constantMismatch.length > 0) failures.push(`constant flags differ from NumPy's on ${constantMismatch.join(', ')}`)
    for (const a of agreements) if (a.highwayDrifted !== a.scipyDrifted) failures.push(`${a.feature}: Highway says drifted=${a.highwayDrifted}, SciPy's statistic says ${a.scipyDrifted}`)
    for (const a of wass) if (a.method !== 'sketch') failures.push(`${a.feature}: expected the sketch path on ${plan.currentRows} rows, got ${a.method}`)

    const targets: BenchTarget[] = [
      { name: 'drift + quality, cold', target: `≤ ${TARGETS.maxSeconds} s`, measured: `${round(cold.seconds, 2)} s`, met: cold.seconds <= TARGETS.maxSeconds },
      { name: 'drift + quality, warm (best)', target: `≤ ${TARGETS.maxSeconds} s`, measured: `${round(warm.seconds, 2)} s`, met: warm.seconds <= TARGETS.maxSeconds },
      { name: 'faster than SciPy, cold', target: 'Highway / SciPy < 1', measured: `${round(cold.seconds / testsSeconds, 2)} (SciPy ${round(testsSeconds, 2)} s)`, met: cold.seconds / testsSeconds < TARGETS.maxSciPyRatio },
      { name: 'faster than SciPy, warm', target: 'Highway / SciPy < 1', measured: `${round(warm.seconds / testsSeconds, 2)}`, met: warm.seconds / testsSeconds < TARGETS.maxSciPyRatio },
    ]

    const sections = buildSections(plan, figures, cold, warm, isolated, agreements, scipy)
    for (const line of formatSection(sections[0]!).split('\n')) log(line)
    for (const line of formatTargets(targets).split('\n')) log(line)

    const summaryJson = {
      machine: { cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
      currentRows: plan.currentRows,
      referenceRows: plan.referenceRows,
      ingestSeconds: round(ingestSeconds, 2),
      referenceSeconds: round(referenceSeconds, 3),
      coldSeconds: round(cold.seconds, 3),
      warmSeconds: round(warm.seconds, 3),
      warmConcurrentSeconds: round(warmConcurrentSeconds, 3),
      scipySeconds: round(testsSeconds, 3),
      scipyWithKsSeconds: round(withKsSeconds, 3),
      scipyGuideSuiteSeconds: round(guideSuiteSeconds, 3),
      speedUpCold: round(figures.speedUp.cold, 2),
      speedUpWarm: round(figures.speedUp.warm, 2),
      speedUpColdCpu: round(figures.speedUp.coldCpu, 2),
      speedUpWarmCpu: round(figures.speedUp.warmCpu, 2),
      coldCpuSeconds: round(cold.cpuSeconds, 2),
      warmCpuSeconds: round(warm.cpuSeconds, 2),
      scipyCpuSeconds: round(testsCpuSeconds, 2),
      labelled: plan.labels,
      maxWassersteinRelDiff: figures.agreement.maxWassersteinRelDiff,
      maxJensenShannonAbsDiff: figures.agreement.maxJensenShannonAbsDiff,
      peakRssDuringAnalysisMB: mb(peakDuringAnalysis),
      processPeakRssMB: mb(figures.rssBytes.processPeak),
      scipyPeakRssMB: mb(scipy.peak_rss_bytes),
      loadAverage: figures.loadAverage,
    }
    return { bench: 'drift', sections, targets, failures, summary: summaryJson, figures }
  } finally {
    await store.close()
    if (!keep) rmSync(dir, { recursive: true, force: true })
    else log(`kept ${dir}`)
  }
}

function agreementOf(drift: DriftResult, scipy: SciPyRun): Agreement[] {
  const out: Agreement[] = []
  const columns = [...drift.features, ...(drift.prediction ? [{ ...drift.prediction, feature: PREDICTION_FEATURE }] : [])]
  for (const r of columns) {
    const reference = r.test === 'wasserstein' ? scipy.statistics.wasserstein[r.feature] : r.test === 'jensenshannon' ? scipy.statistics.jensenshannon[r.feature] : undefined
    if (reference === undefined || r.statistic === null) continue
    const absDiff = Math.abs(r.statistic - reference)
    out.push({
      feature: r.feature,
      test: r.test,
      method: r.method,
      highway: r.statistic,
      scipy: reference,
      absDiff,
      relDiff: absDiff / Math.abs(reference),
      highwayDrifted: r.drifted,
      // Both tests are distances with Evidently's rule: drift when statistic ≥ threshold.
      scipyDrifted: reference >= r.threshold,
    })
  }
  return out
}

function buildSections(plan: Plan, f: DriftFigures, cold: AnalysisRun, warm: AnalysisRun, isolated: readonly IsolatedCall[], agreements: readonly Agreement[], scipy: SciPyRun): BenchSection[] {
  const s = scipy.seconds
  const headline: BenchSection = {
    title: `Drift + quality: ${plan.currentRows.toLocaleString('en-US')} current rows${plan.labels ? ' (all labelled)' : ''} × 20 numeric + 5 categorical (+ prediction) against ${plan.referenceRows.toLocaleString('en-US')} reference rows`,
    columns: ['run', 'seconds', 'drift s', 'quality s', 'CPU s', 'SciPy / this (wall)', 'SciPy / this (CPU)'],
    rows: [
      ['Highway cold (reference read from storage)', round(f.cold.seconds, 3), round(f.cold.driftSeconds, 3), round(f.cold.qualitySeconds, 3), round(f.cold.cpuSeconds, 2), round(f.speedUp.cold, 2), round(f.speedUp.coldCpu, 2)],
      [`Highway warm (best of ${plan.warmRepeats})`, round(f.warm.seconds, 3), round(f.warm.driftSeconds, 3), round(f.warm.qualitySeconds, 3), round(f.warm.cpuSeconds, 2), round(f.speedUp.warm, 2), round(f.speedUp.warmCpu, 2)],
      ['Highway warm, drift ‖ quality concurrently', round(f.warmConcurrentSeconds, 3), '', '', '', round(f.scipy.testsSeconds / f.warmConcurrentSeconds, 2), ''],
      ['SciPy: Wasserstein ×21 + JS ×5 + quality (best)', round(f.scipy.testsSeconds, 3), round(s.wasserstein.best + s.jensenshannon.best, 3), round(s.quality.best, 3), round(f.scipy.testsCpuSeconds, 2), 1, 1],
      ['SciPy: same, first run', round(f.scipy.firstTestsSeconds, 3), '', '', '', round(f.scipy.testsSeconds / f.scipy.firstTestsSeconds, 2), ''],
      ['SciPy: same + KS ×20', round(f.scipy.withKsSeconds, 3), '', '', round(f.scipy.testsCpuSeconds + s.ks.cpu_best, 2), round(f.scipy.testsSeconds / f.scipy.withKsSeconds, 2), ''],
      ["SciPy: guide's suite KS + Wasserstein + chi² + JS (×20/×5)", round(f.scipy.guideSuiteSeconds, 3), '', '', '', round(f.scipy.testsSeconds / f.scipy.guideSuiteSeconds, 2), ''],
    ],
    notes: [
      `SciPy ${scipy.scipy}, NumPy ${scipy.numpy}, Python ${scipy.python}, single-threaded, data loaded before timing (load ${round(scipy.load_seconds, 2)} s, not counted).`,
      'CPU s counts every thread of the process (chDB runs in it) or SciPy\'s process; on a shared machine the CPU ratio is the steadier comparison.',
      `SciPy per suite (best of ${plan.scipyRepeats}): Wasserstein ×21 ${round(s.wasserstein.best, 3)} s, JS ×5 ${round(s.jensenshannon.best, 4)} s, quality ${round(s.quality.best, 3)} s, KS ×20 ${round(s.ks.best, 3)} s, chi² ×5 ${round(s.chisquare.best, 4)} s.`,
      `Highway also computes what SciPy here does not: histograms, PCA reconstruction drift on a ${plan.currentRows > 50_000 ? '50,000' : 'whole'}-row sample, volume, freshness, duplicates, label coverage.`,
      `Ingest (not measured against the target): ${round(f.ingestSeconds, 1)} s; reference creation (one-off): ${round(f.referenceSeconds, 2)} s.`,
      `1-minute load average: ${f.loadAverage.start} at start, ${f.loadAverage.beforeAnalysis} before and ${f.loadAverage.afterAnalysis} after Highway's runs, ${f.loadAverage.afterSciPy} after SciPy's (${availableParallelism()} CPUs; above ~0.5 another process shared the cores).`,
      `RSS: ${mb(f.rssBytes.beforeAnalysis)} MB before the analysis, ${mb(f.rssBytes.peakDuringAnalysis)} MB peak sampled during it, ${mb(f.rssBytes.processPeak)} MB process peak (ingest and export included); SciPy process peak ${mb(scipy.peak_rss_bytes)} MB.`,
    ],
  }
  const breakdownRows = (run: AnalysisRun) => {
    const t0 = Math.min(...run.timings.map((t) => t.startMs))
    return run.timings.map((t) => [t.phase, t.query, round(t.startMs - t0, 0), round(t.engineMs, 1), round(t.parseMs, 1), t.rows])
  }
  const breakdown = (title: string, run: AnalysisRun): BenchSection => ({
    title,
    columns: ['phase', 'store call', 'start ms', 'engine ms', 'parse ms', 'rows'],
    rows: breakdownRows(run),
    notes: [
      `drift ${ms(run.driftSeconds)} ms: ${round(run.referenceLoadMs, 0)} ms to load or find the reference before the first window query; ${round(run.outsideQueriesMs.drift, 0)} ms of drift outside any query (reference sample to typed arrays and matrix, profile JSON, fromSketch, tests, PCA).`,
      `quality ${ms(run.qualitySeconds)} ms, ${round(run.outsideQueriesMs.quality, 0)} ms outside any query.`,
      'Queries of one Promise.all overlap: engine ms is from send to bytes received, parse ms is JSONEachRow to objects on the main thread.',
    ],
  })
  const isolatedSection: BenchSection = {
    title: 'Each store call alone (best of 3, nothing else running)',
    columns: ['store call', 'wall ms', 'query in flight ms', 'of which JSON parse ms', 'JS after ms', 'rows'],
    rows: isolated.map((r) => [r.call, round(r.wallMs, 1), round(r.queryMs, 1), round(r.parseMs, 1), round(r.wallMs - r.queryMs, 1), r.rows]),
    notes: ['"query in flight" runs from sending the statement to the rows parsed; "JS after" is the store function\'s own work on the rows (typed arrays, matrices).'],
  }
  const agreement: BenchSection = {
    title: "Agreement with SciPy on the same rows (Highway's cold run)",
    columns: ['feature', 'test', 'method', 'Highway', 'SciPy', 'abs diff', 'rel diff', 'drifted'],
    rows: agreements.map((a) => [a.feature, a.test, a.method, a.highway.toPrecision(6), a.scipy.toPrecision(6), a.absDiff.toExponential(2), a.relDiff.toExponential(2), a.highwayDrifted === a.scipyDrifted ? String(a.highwayDrifted) : `MISMATCH ${a.highwayDrifted}/${a.scipyDrifted}`]),
    notes: [
      `max relative difference: Wasserstein ${f.agreement.maxWassersteinRelDiff.toExponential(2)} (sketch, α = 0.2% relative value accuracy), Jensen–Shannon abs ${f.agreement.maxJensenShannonAbsDiff.toExponential(2)} (exact counts).`,
      `quality: missing shares equal to NumPy's within ${f.agreement.maxMissingShareDiff.toExponential(1)}.`,
    ],
  }
  return [headline, breakdown('Where the time goes: cold run', cold), breakdown('Where the time goes: best warm run', warm), isolatedSection, agreement]
}

// `npx tsx bench/drift.ts [--quick] [--current-rows N] [--keep]`: the benchmark on its own, report on stdout.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2)
  runDriftBench({ quick: argv.includes('--quick'), args: argv.filter((a) => a !== '--quick') }).then(
    (report) => {
      if (report.sections.length === 0) return
      const out = [`# bench drift — ${availableParallelism()} CPUs, node ${process.version}`, '']
      for (const section of report.sections) out.push(formatSection(section), '')
      out.push(formatTargets(report.targets), '')
      for (const failure of report.failures) out.push(`FAILED: ${failure}`)
      process.stdout.write(`${out.join('\n')}\n${JSON.stringify({ bench: report.bench, at: new Date().toISOString(), targets: report.targets, failures: report.failures, ...report.summary })}\n`)
      process.exitCode = report.failures.length > 0 ? 1 : 0
    },
    (err: unknown) => {
      process.stderr.write(`bench drift: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
      process.exitCode = 1
    },
  )
}
