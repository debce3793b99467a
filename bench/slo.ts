// `npm run bench -- slo [--quick] [--rows N] [--label-share S]`: one evaluation tick of 100 SLOs (10 models × 10
// SLOs) over 30 days of rollups fed by N predictions (default 100 million), next to the same answers computed by
// raw scans in the same run. Rows are generated inside ClickHouse (INSERT … SELECT … FROM numbers) into the raw
// tables, so the materialized views fill the rollups exactly as ingest does.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, type Store } from '../store/index.ts'
import { evaluateSlo, type ResolvedSlo, type SloStatus } from '../slo/index.ts'
import { parseSloSources } from '../slo/spec/index.ts'
import { round, type Bench, type BenchSection } from './report.ts'

const DAY = 86_400_000
const MODELS = 10
const END = Date.UTC(2026, 5, 1)
const START = END - 30 * DAY

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}

/** The ten SLOs of one model: every SLI kind the evaluator reads from rollups. */
function specsFor(model: string): string {
  const slo = (name: string, indicator: string, budgeting: string, objective: string, annotations = '') => `---
apiVersion: openslo/v1
kind: SLO
metadata: { name: ${model}-${name}${annotations ? `, annotations: { ${annotations} }` : ''} }
spec:
  service: ${model}
  indicator:
    metadata: { name: ${model}-${name} }
    spec:
${indicator}
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: ${budgeting}
  objectives: [{ displayName: main, ${objective} }]
`
  const ratio = (good: string, total: string) => `      ratioMetric:
        good: { metricSource: { type: highway, spec: { model: ${model}, ${good} } } }
        total: { metricSource: { type: highway, spec: { model: ${model}, ${total} } } }`
  const threshold = (measure: string) => `      thresholdMetric: { metricSource: { type: highway, spec: { model: ${model}, measure: ${measure} } } }`
  return [
    slo('availability', ratio('select: ok', 'select: all'), 'Occurrences', 'target: 0.999'),
    slo('latency', ratio('select: latency_below, thresholdMs: 250', 'select: all'), 'Occurrences', 'target: 0.99'),
    slo('accepted', ratio('select: not_quarantined', 'select: all'), 'Occurrences', 'target: 0.999'),
    slo('accuracy', ratio('select: correct', 'select: labelled'), 'Occurrences', 'target: 0.8', 'highway.dev/evaluation-delay: 3d'),
    slo('accuracy-wilson', ratio('select: correct', 'select: labelled'), 'Occurrences', 'target: 0.8', 'highway.dev/evaluation-delay: 3d, highway.dev/wilson: "true"'),
    slo('availability-slices', ratio('select: ok', 'select: all'), 'Timeslices', 'target: 0.99, timeSliceTarget: 0.99, timeSliceWindow: 5m'),
    slo('latency-hourly', ratio('select: latency_below, thresholdMs: 100', 'select: all'), 'RatioTimeslices', 'target: 0.9, timeSliceWindow: 1h'),
    slo('accuracy-daily', ratio('select: correct', 'select: labelled'), 'RatioTimeslices', 'target: 0.8, timeSliceWindow: 1d', 'highway.dev/evaluation-delay: 3d'),
    slo('freshness', threshold('freshness_seconds'), 'Timeslices', 'target: 0.99, op: lte, value: 300, timeSliceTarget: 1, timeSliceWindow: 1h'),
    slo('label-coverage', threshold('label_coverage'), 'Timeslices', 'target: 0.9, op: gte, value: 0.005, timeSliceTarget: 1, timeSliceWindow: 1d', 'highway.dev/evaluation-delay: 3d'),
  ].join('')
}

/** Good and total of an Occurrences SLO's period, by raw scans (predictions; labels joined by id for quality). */
async function rawPeriod(store: Store, slo: ResolvedSlo, status: SloStatus): Promise<{ good: number; total: number } | undefined> {
  const sli = slo.sli
  if (slo.budgeting !== 'Occurrences' || sli.kind !== 'ratio' || sli.good?.type !== 'highway') return undefined
  const params = { model: sli.good.model, from: Date.parse(status.window.from), to: Date.parse(status.window.to) }
  // The rollups count whole minutes: the raw window is the same minutes.
  const window = `ts >= toStartOfMinute(fromUnixTimestamp64Milli({from:Int64})) AND ts < toStartOfMinute(fromUnixTimestamp64Milli({to:Int64}))`
  let sql: string
  switch (sli.good.select) {
    case 'ok':
      sql = `SELECT countIf(status = 'ok') AS good, count() AS total FROM highway.predictions WHERE model = {model:String} AND ${window}`
      break
    case 'latency_below':
      sql = `SELECT countIf(latency_ms <= ${sli.good.thresholdMs}) AS good, count() AS total FROM highway.predictions WHERE model = {model:String} AND ${window}`
      break
    case 'not_quarantined':
      sql = `SELECT count() AS good, good + (SELECT count() FROM highway.quarantine WHERE model = {model:String} AND kind = 'prediction' AND ${window}) AS total FROM highway.predictions WHERE model = {model:String} AND ${window}`
      break
    case 'correct':
      sql = `SELECT countIf((p.prediction >= 0.5) = (l.label = 1)) AS good, count() AS total FROM highway.predictions AS p
        INNER JOIN (SELECT id, argMax(label, received_at) AS label FROM highway.labels WHERE model = {model:String} GROUP BY id) AS l ON p.id = l.id
        WHERE p.model = {model:String} AND ${window.replaceAll('ts ', 'p.ts ')}`
      break
    default:
      return undefined
  }
  const [row] = await store.queryRows<{ good: number; total: number }>(sql, params)
  return { good: Number(row?.good ?? 0), total: Number(row?.total ?? 0) }
}

/** Runs the benchmark. */
export const runSloBench: Bench = async (options) => {
  const rows = Number(option(options.args, '--rows') ?? (options.quick ? 5_000_000 : 100_000_000))
  const labelShare = Number(option(options.args, '--label-share') ?? 0.01)
  const dir = mkdtempSync(join(tmpdir(), 'highway-bench-slo-'))
  const failures: string[] = []
  try {
    const store = await openStore({ mode: 'embedded', dataDir: dir, database: 'highway', retentionDays: 3650 })
    const specs = parseSloSources([{ file: 'bench.yaml', text: Array.from({ length: MODELS }, (_, m) => specsFor(`m${m}`)).join('') }])
    if (!specs.ok) throw new Error(`bench specs: ${JSON.stringify(specs.errors.slice(0, 3))}`)
    const slos = specs.specs

    // Load: predictions spread evenly over 30 days and 10 models, 0.1% errors, latencies 1-400 ms; chunks of
    // 10M rows keep the views' memory bounded. Then labels for `labelShare` of them (every model), 85% right, in 100k batches
    // (what a label feed does), received 2 days after their prediction.
    const chunk = 10_000_000
    const stepMs = (END - START) / rows
    const loadStart = performance.now()
    for (let first = 0; first < rows; first += chunk) {
      const n = Math.min(chunk, rows - first)
      await store.command(
        `INSERT INTO highway.predictions (model, version, id, ts, received_at, prediction, latency_ms, status)
         SELECT concat('m', toString(number % ${MODELS})), 'v1', toString(number), fromUnixTimestamp64Milli(toInt64({start:Int64} + number * {step:Float64})) AS t, t,
           (cityHash64(number) % 1000) / 1000, 1 + cityHash64(number, 1) % 400, if(cityHash64(number, 2) % 1000 = 0, 'error', 'ok')
         FROM numbers({first:UInt64}, {n:UInt64})`,
        { start: START, step: stepMs, first, n },
      )
      options.log(`predictions: ${first + n} of ${rows} (${round((performance.now() - loadStart) / 1000)} s)`)
    }
    const predictionLoadS = (performance.now() - loadStart) / 1000
    const labelled = Math.round(rows * labelShare)
    const every = Math.max(1, Math.round(1 / labelShare))
    const labelBatch = 100_000
    const labelStart = performance.now()
    for (let first = 0; first < labelled; first += labelBatch) {
      const n = Math.min(labelBatch, labelled - first)
      await store.command(
        `INSERT INTO highway.labels (model, id, ts, received_at, label, label_class)
         SELECT concat('m', toString(p % ${MODELS})), toString(p), now64(3), fromUnixTimestamp64Milli(toInt64({start:Int64} + p * {step:Float64} + 2 * 86400000)),
           if(cityHash64(p, 3) % 100 < 85, if((cityHash64(p) % 1000) / 1000 >= 0.5, 1, 0), if((cityHash64(p) % 1000) / 1000 >= 0.5, 0, 1)), ''
         FROM (SELECT number * {every:UInt64} + number % ${MODELS} AS p FROM numbers({first:UInt64}, {n:UInt64}))`,
        { start: START, step: stepMs, first, n, every },
      )
      if ((first / labelBatch) % 10 === 0) options.log(`labels: ${first + n} of ${labelled} (${round((performance.now() - labelStart) / 1000)} s)`)
    }
    const labelLoadS = (performance.now() - labelStart) / 1000
    const [sizes] = await store.queryRows<{ raw: number; rollup: number; labels: number }>(
      `SELECT (SELECT count() FROM highway.predictions) AS raw, (SELECT count() FROM highway.prediction_rollup_1m) AS rollup, (SELECT count() FROM highway.label_rollup_1m) AS labels`,
    )

    // One tick: every SLO evaluated, sequentially and 4 at a time; the best of 3 runs.
    const tick = async (concurrency: number): Promise<{ ms: number; statuses: SloStatus[] }> => {
      const statuses: SloStatus[] = new Array(slos.length)
      const t0 = performance.now()
      let next = 0
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < slos.length) {
            const i = next++
            statuses[i] = await evaluateSlo(store, slos[i]!, END)
          }
        }),
      )
      return { ms: performance.now() - t0, statuses }
    }
    await tick(1) // warm-up: first reads of each part
    const sequential = Math.min(...(await seq(() => tick(1), 3)).map((r) => r.ms))
    const concurrentRuns = await seq(() => tick(4), 3)
    const concurrent = Math.min(...concurrentRuns.map((r) => r.ms))
    const statuses = concurrentRuns[0]!.statuses
    for (const s of statuses) if (s.status !== 'ok') failures.push(`${s.name}: ${s.status} ${s.detail ?? ''}`)

    // The same period answers from raw rows (Occurrences SLOs; raw scans answer one window, the tick answers 8).
    const rawStart = performance.now()
    const comparisons: Array<[string, number, number, number, number]> = []
    for (let i = 0; i < slos.length; i++) {
      const raw = await rawPeriod(store, slos[i]!, statuses[i]!)
      if (raw === undefined) continue
      comparisons.push([slos[i]!.name, statuses[i]!.sli.good, raw.good, statuses[i]!.sli.total, raw.total])
      if (statuses[i]!.sli.good !== raw.good || statuses[i]!.sli.total !== raw.total) failures.push(`${slos[i]!.name}: rollup ${statuses[i]!.sli.good}/${statuses[i]!.sli.total} ≠ raw ${raw.good}/${raw.total}`)
    }
    const rawMs = performance.now() - rawStart
    await store.close()

    const sections: BenchSection[] = [
      {
        title: 'Load (generated inside ClickHouse; the views fill the rollups)',
        columns: ['what', 'rows', 'seconds', 'rows/s'],
        rows: [
          ['predictions (3 views: prediction rollup, 2 feature rollups)', rows, round(predictionLoadS), Math.round(rows / predictionLoadS)],
          ['labels in 100k batches (2 views: outcomes, signed label rollup)', labelled, round(labelLoadS), Math.round(labelled / labelLoadS)],
        ],
        notes: [`rollup rows: prediction_rollup_1m ${Number(sizes?.rollup)}, label_rollup_1m ${Number(sizes?.labels)}; raw predictions ${Number(sizes?.raw)}`],
      },
      {
        title: `One evaluation tick: ${slos.length} SLOs over 30 days`,
        columns: ['how', 'ms'],
        rows: [
          ['rollups, one SLO at a time (best of 3)', round(sequential)],
          ['rollups, 4 at a time (best of 3)', round(concurrent)],
          [`raw scans, period window only, ${comparisons.length} Occurrences SLOs`, round(rawMs)],
        ],
        notes: ['each rollup evaluation answers 8 windows (5m … 3d and the period); the raw scans answer the period only'],
      },
      {
        title: 'Rollup answers next to raw scans (period good / total)',
        columns: ['slo', 'good (rollup)', 'good (raw)', 'total (rollup)', 'total (raw)'],
        rows: comparisons.slice(0, 8),
        notes: [`${comparisons.length} compared, ${failures.length} differ`],
      },
    ]
    const best = Math.min(sequential, concurrent)
    return {
      bench: 'slo',
      sections,
      targets: [{ name: `one tick of ${slos.length} SLOs over ${rows.toLocaleString('en-US')} predictions`, target: '≤ 1 s on 2 cores', measured: `${round(best)} ms`, met: best <= 1000 }],
      failures,
      summary: { rows, labelled, predictionLoadS: round(predictionLoadS), labelLoadS: round(labelLoadS), tickSequentialMs: round(sequential), tickConcurrentMs: round(concurrent), rawMs: round(rawMs) },
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function seq<T>(f: () => Promise<T>, times: number): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < times; i++) out.push(await f())
  return out
}
