// The ingest benchmark (issue: "HTTP ingest of records with 20 numeric and 5 categorical features in batches of
// 1,000, load generator and server sharing the 2 cores, against the engine's ceiling measured in the same run").
// Phase 1 (ingest-http.ts): a `highway start` child serves while this process generates load. Phase 2
// (ingest-engine.ts): the child has stopped; this process opens its own embedded store and times each stage of
// ingest alone, then the engine's ceiling, on the same rows. The two chDB instances never run at the same time.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { CeilingRun, EngineFigures, InsertPath } from './ingest-engine.ts'
import { measureHttp, recordsPerSecond, type HttpFigures, type Phase } from './ingest-http.ts'
import { percentile, type LoadResult } from './http-load.ts'
import { BATCH_RECORDS, BENCH_MODEL } from './ingest-workload.ts'
import { waitForQuiet } from './machine-load.ts'
import { round, type BenchOptions, type BenchReport, type BenchSection, type BenchTarget } from './report.ts'

/** The targets. */
const TARGETS = {
  /** HTTP records/s over the in-process JSONEachRow insert rate of the same rows. */
  minCeilingRatio: 0.4,
  /** p99 acknowledgement latency at half the maximum rate, in ms. */
  maxP99LatencyMs: 100,
  /** Peak resident memory of the collector process, in bytes (MB read as 10^6 bytes, the stricter reading). */
  maxRssBytes: 600e6,
} as const

/** Other processes using more than this many cores during a phase make its figures "contended". */
const CONTENDED_CORES = 0.25

/** Sizes of a run; `--quick` is a smoke test, the default gives figures worth recording. */
interface Plan {
  readonly warmupBatches: number
  readonly closedBatches: number
  /** The closed loop runs in rounds; the best round is the maximum rate (best-of, like the ceiling). */
  readonly closedRounds: number
  readonly connections: number
  readonly openSeconds: number
  /** Rows timed in-process (stages and ceiling): the first rows of the closed-loop bodies. */
  readonly sampleRows: number
  readonly ceilingRepeats: number
  /** How long to wait for other processes to go quiet before each half of the run. */
  readonly quietWaitSeconds: number
}

const FULL: Plan = { warmupBatches: 20, closedBatches: 300, closedRounds: 3, connections: 4, openSeconds: 30, sampleRows: 100_000, ceilingRepeats: 3, quietWaitSeconds: 120 }
const QUICK: Plan = { warmupBatches: 5, closedBatches: 40, closedRounds: 2, connections: 4, openSeconds: 6, sampleRows: 20_000, ceilingRepeats: 2, quietWaitSeconds: 0 }

const HELP = `Usage: npm run bench -- ingest [--quick] [--connections N] [--batches N] [--open-seconds S] [--sample-rows N] [--quiet-wait S]

  --connections N   concurrent keep-alive connections of the closed loop (default ${FULL.connections})
  --batches N       requests of ${BATCH_RECORDS} records in the closed loop, over ${FULL.closedRounds} rounds (default ${FULL.closedBatches}; quick ${QUICK.closedBatches})
  --open-seconds S  length of the open loop at half the maximum rate (default ${FULL.openSeconds}; quick ${QUICK.openSeconds})
  --sample-rows N   rows timed in-process for the stages and the ceiling (default ${FULL.sampleRows}; quick ${QUICK.sampleRows})
  --quiet-wait S    wait up to S seconds for other processes to leave the CPUs before each half (default ${FULL.quietWaitSeconds}; quick ${QUICK.quietWaitSeconds})`

function planFrom(options: BenchOptions): Plan | undefined {
  const { values } = parseArgs({
    args: [...options.args],
    strict: true,
    options: {
      connections: { type: 'string' },
      batches: { type: 'string' },
      'open-seconds': { type: 'string' },
      'sample-rows': { type: 'string' },
      'quiet-wait': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return undefined
  const base = options.quick ? QUICK : FULL
  const integer = (name: string, raw: string | undefined, fallback: number, min: number): number => {
    if (raw === undefined) return fallback
    const n = Number(raw)
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer of at least ${min}, got "${raw}"`)
    return n
  }
  const closedBatches = integer('batches', values.batches, base.closedBatches, base.closedRounds)
  const sampleRows = integer('sample-rows', values['sample-rows'], base.sampleRows, BATCH_RECORDS)
  if (sampleRows % BATCH_RECORDS !== 0 || sampleRows > closedBatches * BATCH_RECORDS) {
    throw new Error(`--sample-rows must be a multiple of ${BATCH_RECORDS} and at most the closed-loop records (${closedBatches * BATCH_RECORDS}), got ${sampleRows}`)
  }
  return {
    ...base,
    connections: integer('connections', values.connections, base.connections, 1),
    closedBatches,
    openSeconds: integer('open-seconds', values['open-seconds'], base.openSeconds, 1),
    sampleRows,
    quietWaitSeconds: integer('quiet-wait', values['quiet-wait'], base.quietWaitSeconds, 0),
  }
}

/** Runs the ingest benchmark; see the comment at the top of this file. */
export async function runIngestBench(options: BenchOptions): Promise<BenchReport> {
  const plan = planFrom(options)
  if (plan === undefined) {
    process.stdout.write(`${HELP}\n`)
    return { bench: 'ingest', sections: [], targets: [], failures: [], summary: {} }
  }
  const { log } = options
  const tmp = mkdtempSync(join(tmpdir(), 'highway-bench-ingest-'))
  const cleanUp = () => rmSync(tmp, { recursive: true, force: true })
  process.once('exit', cleanUp) // also after Ctrl-C: run.ts turns signals into an exit
  try {
    await waitForQuiet({ maxOtherCores: CONTENDED_CORES, maxWaitSeconds: plan.quietWaitSeconds, log })
    const { http, closedBodies } = await measureHttp({ ...plan, tmp, runTag: `b${Date.now().toString(36)}`, log })
    // Inserts to cost on the service's path: one request, the service's mean group under maximum load, ten
    // requests; and one request on the what-if paths (a lone request is what the open loop mostly sends).
    const serverGroup = Math.max(BATCH_RECORDS, http.counters.inserts > 0 ? Math.round(http.counters.rows / http.counters.inserts / BATCH_RECORDS) * BATCH_RECORDS : BATCH_RECORDS)
    const sizes = [...new Set([BATCH_RECORDS, serverGroup, 10 * BATCH_RECORDS])].filter((g) => g <= plan.sampleRows).sort((a, b) => a - b)
    const costs = [
      ...sizes.map((groupRows) => ({ path: 'compact' as const, groupRows })),
      { path: 'compact-set-statements' as const, groupRows: BATCH_RECORDS },
      { path: 'compact-no-views' as const, groupRows: BATCH_RECORDS },
    ]
    await waitForQuiet({ maxOtherCores: CONTENDED_CORES, maxWaitSeconds: plan.quietWaitSeconds, log })
    // Loaded only now, so libchdb is not even mapped into this process while it generates the HTTP load.
    const { measureEngine } = await import('./ingest-engine.ts')
    const { engine, failures } = await measureEngine({
      dataDir: join(tmp, 'engine-data'),
      sampleBodies: closedBodies.slice(0, plan.sampleRows / BATCH_RECORDS),
      costs,
      ceilingRepeats: plan.ceilingRepeats,
      log,
    })
    return buildReport(plan, http, engine, serverGroup, failures)
  } finally {
    process.off('exit', cleanUp)
    cleanUp()
  }
}

const MB = 1e6
const PATH_NAMES: Record<InsertPath, string> = {
  'each-row': 'JSONEachRow through exec + SET statements (the ceiling of runs 1-11)',
  compact: 'the service path (createIngestWriter: RowBinary through file())',
  'compact-set-statements': 'what-if: compact through exec + SET statements (the path before issue 2)',
  'each-row-raw': 'JSONEachRow through the raw insert (the ceiling)',
  'compact-no-views': 'what-if: service path, no views',
}
const mb = (bytes: number): number => Math.round(bytes / MB)
const us = (seconds: number, records: number): number => (seconds / records) * 1e6

/** The closed-loop rounds as one phase: all records over all the time, latencies pooled. */
function pooled(rounds: readonly Phase[]): Phase {
  const results = rounds.map((r) => r.result)
  const wall = rounds.reduce((a, r) => a + r.load.wallSeconds, 0)
  const weighted = (pick: (p: Phase) => number) => rounds.reduce((a, r) => a + pick(r) * r.load.wallSeconds, 0) / wall
  const failures: Record<string, number> = {}
  for (const r of results) for (const [k, n] of Object.entries(r.failures)) failures[k] = (failures[k] ?? 0) + n
  const result: LoadResult = {
    requests: results.reduce((a, r) => a + r.requests, 0),
    acknowledged: results.reduce((a, r) => a + r.acknowledged, 0),
    rejected: results.reduce((a, r) => a + r.rejected, 0),
    failures,
    elapsedSeconds: results.reduce((a, r) => a + r.elapsedSeconds, 0),
    latenciesMs: results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b),
    lateStarts: 0,
  }
  return { result, load: { wallSeconds: wall, ownCores: weighted((p) => p.load.ownCores), childCores: weighted((p) => p.load.childCores), otherCores: weighted((p) => p.load.otherCores) } }
}

function phaseRow(name: string, p: Phase): Array<string | number> {
  const r = p.result
  const failed = Object.entries(r.failures).map(([k, n]) => `${n}×${k}`).join(' ') || '0'
  return [
    name,
    r.requests,
    r.acknowledged,
    round(r.elapsedSeconds, 2),
    Math.round(recordsPerSecond(r)),
    round(percentile(r.latenciesMs, 50), 1),
    round(percentile(r.latenciesMs, 90), 1),
    round(percentile(r.latenciesMs, 99), 1),
    round(r.latenciesMs[r.latenciesMs.length - 1] ?? Number.NaN, 1),
    round(p.load.otherCores, 2),
    failed,
  ]
}

/** What the service's JS thread spends beyond the measured stages: HTTP, express, reading the body, answering. */
function httpOverheadNote(mainCpuUs: number, stagesWallUs: number): string {
  const rest = mainCpuUs - stagesWallUs
  const head = `Service main thread ${round(mainCpuUs, 1)} CPU-µs/record against ${round(stagesWallUs, 1)} µs (wall, one thread) for parse + validate + serialise alone`
  return rest > 0
    ? `${head}: HTTP, express, the body read and the answer cost the other ${round(rest, 1)} µs/record (${round(rest, 1)} ms per request of ${BATCH_RECORDS}).`
    : `${head}: HTTP, express, the body read and the answer are lost in the noise (per request of ${BATCH_RECORDS} records they are small).`
}

function bestCeiling(engine: EngineFigures, path: InsertPath): CeilingRun & { rowsPerSecond: number; all: readonly CeilingRun[] } {
  const all = engine.ceiling.filter((c) => c.path === path)
  const best = all.reduce((a, b) => (b.load.wallSeconds < a.load.wallSeconds ? b : a))
  return { ...best, rowsPerSecond: engine.stages.records / best.load.wallSeconds, all }
}

function buildReport(plan: Plan, http: HttpFigures, engine: EngineFigures, serverGroup: number, failures: string[]): BenchReport {
  const closed = pooled(http.rounds)
  const best = http.rounds.reduce((a, b) => (recordsPerSecond(b.result) > recordsPerSecond(a.result) ? b : a))
  const maxRate = recordsPerSecond(best.result)
  const eachRow = bestCeiling(engine, 'each-row')
  const compact = bestCeiling(engine, 'compact')
  const setStatements = bestCeiling(engine, 'compact-set-statements')
  const eachRowRaw = bestCeiling(engine, 'each-row-raw')
  const noViews = bestCeiling(engine, 'compact-no-views')
  // The ceiling: the same rows as one JSONEachRow payload into chDB in-process, by its fastest path.
  const ratio = maxRate / eachRowRaw.rowsPerSecond
  const p99 = percentile(http.open.result.latenciesMs, 99)
  const acknowledged = http.warmup.result.acknowledged + closed.result.acknowledged + http.open.result.acknowledged
  const contention = (cores: number) => (cores > CONTENDED_CORES ? `; contended: other processes used ${cores.toFixed(2)} cores` : '')

  if (http.stored !== acknowledged) failures.push(`the service stored ${http.stored} predictions but acknowledged ${acknowledged}`)
  for (const [name, p] of [['warm-up', http.warmup], ['closed loop', closed], ['open loop', http.open]] as const) {
    const failed = Object.values(p.result.failures).reduce((a, b) => a + b, 0)
    if (failed > 0) failures.push(`${name}: ${failed} of ${p.result.requests} requests were not answered 202 (${JSON.stringify(p.result.failures)})`)
    if (p.result.rejected > 0) failures.push(`${name}: ${p.result.rejected} records were quarantined; the workload should have none`)
  }
  if (http.counters.spooled > 0) failures.push(`the service spooled ${http.counters.spooled} batches: ClickHouse inserts failed during the run`)
  if (http.exitCode !== 0) failures.push(`the service exited with code ${http.exitCode} on SIGTERM`)

  // Stages at the service's group size; the encoded lines' join belongs to serialisation, as in the durable writer.
  const s = engine.stages
  const cost = engine.insertCosts.find((c) => c.path === 'compact' && c.groupRows === serverGroup) ?? engine.insertCosts[0]!
  const costRows = cost.groupRows * cost.inserts
  // Each row: name, what, CPU-µs/record, wall µs/record.
  const stageRows: Array<[string, string, number, number]> = [
    ['parse', 'Buffer → string, JSON.parse of the body', us(s.parse.cpuSeconds, s.records), us(s.parse.wallSeconds, s.records)],
    ['validate', 'RecordValidator.prediction (fast check, zod when unsure) per record', us(s.validate.cpuSeconds, s.records), us(s.validate.wallSeconds, s.records)],
    [
      'serialise',
      `encodePrediction per record, join per group of ${cost.groupRows}`,
      us(s.encode.cpuSeconds, s.records) + us(cost.joinSeconds, costRows),
      us(s.encode.wallSeconds, s.records) + us(cost.joinSeconds, costRows),
    ],
    ['insert', `createIngestWriter.insert, groups of ${cost.groupRows}`, us(cost.load.ownCores * cost.load.wallSeconds, costRows), us(cost.load.wallSeconds, costRows)],
  ]
  const stageTotal = stageRows.reduce((a, [, , v]) => a + v, 0)
  const jsStages = stageTotal - stageRows[3]![2]
  const jsStagesWall = stageRows.slice(0, 3).reduce((a, [, , , w]) => a + w, 0)
  const insertWall = stageRows[3]![3]

  const m = http.memory
  // VmHWM only grows, so the last snapshot holds the run's peak.
  const peakRss = m.afterOpen.peakRss
  const cpu = http.closedCpu
  const closedRecords = closed.result.acknowledged
  const serviceCpuUs = us(cpu.totalSeconds, closedRecords)
  const generatorCpuUs = us(http.generatorCpuSeconds, closedRecords)
  const ceilingCpuUs = us(eachRowRaw.load.ownCores * eachRowRaw.load.wallSeconds, s.records)
  const cpuRatio = ceilingCpuUs / (serviceCpuUs + generatorCpuUs)
  const cpuRow = (name: string, seconds: number): Array<string | number> => [name, round(us(seconds, closedRecords), 1), round(seconds / closed.load.wallSeconds, 2)]

  const sections: BenchSection[] = [
    {
      title: 'Workload',
      columns: ['item', 'value'],
      rows: [
        ['records per request', BATCH_RECORDS],
        ['features per record', '20 number (min/max) + 5 category (values)'],
        ['bytes per record (JSON body)', Math.round(http.bodyBytesPerRecord)],
        ['closed loop', `${plan.closedBatches} requests in ${plan.closedRounds} rounds on ${plan.connections} keep-alive connections, after ${plan.warmupBatches} warm-up`],
        ['open loop', `${http.open.result.requests} requests at ${Math.round(http.openRateRecordsPerSecond)} records/s (half the best round)`],
        ['in-process sample', `${s.records} rows (the first closed-loop records)`],
      ],
    },
    {
      title: 'HTTP ingest (child `highway start`; load generator in this process on the same cores)',
      columns: ['phase', 'requests', 'acked', 'seconds', 'records/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'others cores', 'failed'],
      rows: [
        phaseRow('warm-up', http.warmup),
        ...http.rounds.map((r, i) => phaseRow(`closed loop, round ${i + 1}`, r)),
        phaseRow('closed loop, all rounds', closed),
        phaseRow('open loop at half rate', http.open),
      ],
      notes: [
        'Closed-loop latency runs from send to answer; open-loop latency from the scheduled start (no coordinated omission).',
        '"others cores": CPU used meanwhile by processes other than the service and this one (2 cores in all).',
        http.open.result.lateStarts > 0 ? `${http.open.result.lateStarts} open-loop requests started over 5 ms late (generator lag, counted in latency).` : 'Every open-loop request started within 5 ms of its schedule.',
        `Stored predictions (GET /v1/models/${BENCH_MODEL}): ${http.stored}; acknowledged: ${acknowledged}.`,
      ],
    },
    {
      title: `Engine ceiling (chDB in this process: ${s.records} rows as ONE payload, best of ${plan.ceilingRepeats})`,
      columns: ['insert', 'payload MB', 'best s', 'rows/s', 'CPU-µs/row', 'others cores', 'HTTP ÷ this', 'all runs s'],
      rows: (
        [
          [PATH_NAMES['each-row'], eachRow],
          [PATH_NAMES.compact, compact],
          [PATH_NAMES['compact-set-statements'], setStatements],
          [PATH_NAMES['each-row-raw'], eachRowRaw],
          [PATH_NAMES['compact-no-views'], noViews],
        ] as const
      ).map(([name, c]) => [
        name,
        round(c.bytes / MB, 1),
        round(c.load.wallSeconds, 3),
        Math.round(c.rowsPerSecond),
        round(us(c.load.ownCores * c.load.wallSeconds, s.records), 1),
        round(c.load.otherCores, 2),
        round(maxRate / c.rowsPerSecond, 3),
        c.all.map((x) => x.load.wallSeconds.toFixed(3)).join(' '),
      ]),
      notes: [
        `Into ${engine.insert.table}, emptied each time, feeding its views (${engine.views.join(', ') || 'none'}), each insert with a fresh dedup token.`,
        `The ceiling is JSONEachRow through chDB's raw insert, the fastest in-process JSONEachRow path, with the service's settings (${Object.keys(engine.insert.settings).join(', ')}) in the INSERT's SETTINGS clause; the service path (createIngestWriter itself) and the no-views what-if use the same. Runs 1 to 11 used a slower ceiling, kept here for comparison: JSONEachRow through the client's exec, whose chDB connection sends each setting as a SET statement before the INSERT, with the settings of those runs (insert_deduplicate, deduplicate_blocks_in_dependent_materialized_views, max_partitions_per_insert_block); the old-path what-if too.`,
        `CPU per record (less sensitive to other processes than rates): service ${round(serviceCpuUs, 1)} + load generator ${round(generatorCpuUs, 1)} CPU-µs over the closed loop, against ${round(ceilingCpuUs, 1)} for the JSONEachRow ceiling: a CPU-cost ratio of ${cpuRatio.toFixed(3)}.`,
        'What-ifs, same rows and settings: the service\'s path before issue 2 (compact through exec and SET statements); the service\'s path into a copy of the table (CREATE TABLE … AS) that feeds no views.',
      ],
    },
    {
      title: 'Insert cost by group size (one insert at a time, as the durable writer does them)',
      columns: ['rows per insert', 'path', 'inserts', 'ms/insert', 'µs/row', 'CPU-µs/row', 'cores busy', 'others cores'],
      rows: engine.insertCosts.map((c) => [
        c.groupRows,
        PATH_NAMES[c.path],
        c.inserts,
        round((c.load.wallSeconds / c.inserts) * 1000, 1),
        round(us(c.load.wallSeconds, c.groupRows * c.inserts), 1),
        round(us(c.load.ownCores * c.load.wallSeconds, c.groupRows * c.inserts), 1),
        round(c.load.ownCores, 2),
        round(c.load.otherCores, 2),
      ]),
      notes: [
        `The service's inserts held ${Math.round(http.counters.rows / Math.max(1, http.counters.inserts))} rows on average under maximum load (ingest.maxBatchRows caps them).`,
        `With acknowledge: logged (the default, which this run uses) a request waits for its spool append, not its insert: ${round((jsStagesWall * BATCH_RECORDS) / 1000, 1)} ms of JS work (parse, validate, serialise for ${BATCH_RECORDS} records, measured below) plus an fsync; one drainer inserts all that was logged meanwhile.`,
      ],
    },
    {
      title: 'Where the time goes: each stage alone, in this process, on the same rows',
      columns: ['stage', 'what', 'CPU-µs/record', 'wall µs/record', 'CPU share'],
      rows: [
        ...stageRows.map(([name, what, cpuUs, wallUs]) => [name, what, round(cpuUs, 2), round(wallUs, 2), `${Math.round((cpuUs / stageTotal) * 100)}%`]),
        ['total', '', round(stageTotal, 2), round(stageRows.reduce((a, [, , , w]) => a + w, 0), 2), '100%'],
      ],
      notes: [
        'CPU is this process\'s (the JS thread and V8 helpers; chDB\'s threads for insert): other processes inflate it less than wall time, though they share caches and cores.',
        `parse + validate + serialise run on the service's one JS thread: alone they would cap it at ${Math.round(1e6 / jsStages)} records/s.`,
        `Inserts run one at a time (group commit): at ${cost.groupRows} rows each they cap it at ${Math.round(1e6 / insertWall)} records/s.`,
      ],
    },
    {
      title: 'Where the time goes: the service under maximum load (CPU by thread from /proc, all closed-loop rounds)',
      columns: ['threads', 'CPU-µs/record', 'cores busy'],
      rows: [
        cpuRow('service main thread (HTTP, express, JSON, zod, encode)', cpu.mainSeconds),
        cpuRow('service libuv pool + V8 helpers (chDB query driver, GC)', cpu.nodeHelperSeconds),
        cpuRow('service ClickHouse threads (parsing, views, parts, merges)', cpu.engineSeconds),
        cpuRow('service, all threads', cpu.totalSeconds),
        cpuRow('load generator (this process)', http.generatorCpuSeconds),
        cpuRow('other processes on the machine', closed.load.otherCores * closed.load.wallSeconds),
      ],
      notes: [
        `Inserts: ${http.counters.inserts} inserts of ${Math.round(http.counters.rows / Math.max(1, http.counters.inserts))} rows on average, ${round((http.counters.insertSeconds / Math.max(1, http.counters.inserts)) * 1000, 1)} ms each; an insert was in flight ${Math.round((http.counters.insertSeconds / closed.load.wallSeconds) * 100)}% of the time.`,
        httpOverheadNote(us(cpu.mainSeconds, closedRecords), jsStagesWall),
      ],
    },
    {
      title: 'Collector memory (the child, /proc/<pid>/status)',
      columns: ['when', 'RSS MB', 'anonymous MB', 'file-backed MB'],
      rows: [
        ['idle after start', mb(m.idle.rss), mb(m.idle.anon), mb(m.idle.file)],
        ['after the closed loop', mb(m.afterClosed.rss), mb(m.afterClosed.anon), mb(m.afterClosed.file)],
        ['after the open loop', mb(m.afterOpen.rss), mb(m.afterOpen.anon), mb(m.afterOpen.file)],
        ['peak (VmHWM; anonymous sampled every 100 ms)', mb(peakRss), mb(m.peakAnon), ''],
      ],
      notes: [
        'File-backed pages are mostly libchdb.so (566 MB on disk) as far as it has been touched: shared, clean, and given back under memory pressure.',
        `At the end of the closed loop the anonymous ${mb(m.afterClosed.anon)} MB held the V8 heap (${mb(m.nodeAfterClosed.heapTotal)} MB committed) and Buffers (${mb(m.nodeAfterClosed.external)} MB); the other ${mb(m.afterClosed.anon - m.nodeAfterClosed.heapTotal - m.nodeAfterClosed.external)} MB is native: chDB (parts being written, views' blocks, caches) and the allocators.`,
        http.problems.length > 0 ? `The service logged: ${http.problems.slice(0, 5).join(' | ')}` : 'The service logged no warnings or errors.',
      ],
    },
  ]

  const targets: BenchTarget[] = [
    {
      name: 'throughput ÷ JSONEachRow ceiling',
      target: `≥ ${TARGETS.minCeilingRatio}`,
      measured: `${ratio.toFixed(3)} (${Math.round(maxRate)} stored ÷ ${Math.round(eachRowRaw.rowsPerSecond)} records/s${contention(Math.max(best.load.otherCores, eachRowRaw.load.otherCores))}); against the ceiling of runs 1-11 (exec + SET) ${(maxRate / eachRow.rowsPerSecond).toFixed(3)}`,
      met: ratio >= TARGETS.minCeilingRatio,
    },
    {
      name: 'p99 ack latency at half the max rate',
      target: `≤ ${TARGETS.maxP99LatencyMs} ms`,
      measured: `${p99.toFixed(1)} ms at ${Math.round(http.openRateRecordsPerSecond)} records/s${contention(http.open.load.otherCores)}`,
      met: p99 <= TARGETS.maxP99LatencyMs,
    },
    { name: 'collector peak RSS (VmHWM)', target: `≤ ${TARGETS.maxRssBytes / MB} MB`, measured: `${mb(peakRss)} MB (anonymous ≤ ${mb(m.peakAnon)} MB)`, met: peakRss <= TARGETS.maxRssBytes },
  ]

  const summary = {
    plan,
    http: {
      maxRecordsPerSecond: Math.round(maxRate),
      roundsRecordsPerSecond: http.rounds.map((r) => Math.round(recordsPerSecond(r.result))),
      roundsOtherCores: http.rounds.map((r) => round(r.load.otherCores, 2)),
      openRateRecordsPerSecond: Math.round(http.openRateRecordsPerSecond),
      openLatencyMs: {
        p50: round(percentile(http.open.result.latenciesMs, 50)),
        p90: round(percentile(http.open.result.latenciesMs, 90)),
        p99: round(p99),
        max: round(http.open.result.latenciesMs[http.open.result.latenciesMs.length - 1] ?? Number.NaN),
      },
      openOtherCores: round(http.open.load.otherCores, 2),
      acknowledged,
      stored: http.stored,
      peakRssMB: mb(peakRss),
      peakAnonMB: mb(m.peakAnon),
      idleRssMB: mb(m.idle.rss),
      afterClosedMB: { rss: mb(m.afterClosed.rss), anon: mb(m.afterClosed.anon), file: mb(m.afterClosed.file), v8Heap: mb(m.nodeAfterClosed.heapTotal), external: mb(m.nodeAfterClosed.external) },
      groupCommit: { inserts: http.counters.inserts, meanRows: Math.round(http.counters.rows / Math.max(1, http.counters.inserts)), meanInsertMs: round((http.counters.insertSeconds / Math.max(1, http.counters.inserts)) * 1000) },
      cpuMicrosPerRecord: {
        main: round(us(cpu.mainSeconds, closedRecords)),
        nodeHelpers: round(us(cpu.nodeHelperSeconds, closedRecords)),
        engine: round(us(cpu.engineSeconds, closedRecords)),
        service: round(us(cpu.totalSeconds, closedRecords)),
        generator: round(us(http.generatorCpuSeconds, closedRecords)),
      },
    },
    ceiling: {
      rows: s.records,
      jsonEachRowRowsPerSecond: Math.round(eachRow.rowsPerSecond),
      jsonCompactEachRowRowsPerSecond: Math.round(compact.rowsPerSecond),
      whatIfSetStatementsRowsPerSecond: Math.round(setStatements.rowsPerSecond),
      whatIfEachRowRawRowsPerSecond: Math.round(eachRowRaw.rowsPerSecond),
      ratioToEachRowRaw: round(maxRate / eachRowRaw.rowsPerSecond, 3),
      whatIfNoViewsRowsPerSecond: Math.round(noViews.rowsPerSecond),
      views: engine.views,
      otherCores: round(eachRow.load.otherCores, 2),
      ratio: round(ratio, 3),
      cpuCostRatio: round(cpuRatio, 3),
    },
    insertCosts: engine.insertCosts.map((c) => ({ path: c.path, groupRows: c.groupRows, msPerInsert: round((c.load.wallSeconds / c.inserts) * 1000), otherCores: round(c.load.otherCores, 2) })),
    stagesCpuMicrosPerRecord: Object.fromEntries(stageRows.map(([name, , v]) => [name, round(v, 2)])),
  }
  return { bench: 'ingest', sections, targets, failures, summary }
}
