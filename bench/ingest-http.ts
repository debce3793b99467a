// The HTTP half of the ingest benchmark: a `highway start` child serves, this process generates the load on the
// same cores. Warm-up, then the closed loop in rounds (maximum rate), then the open loop at half the best round.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify as toYaml } from 'yaml'
import { cpuDelta, startChildService, type CpuSnapshot, type MemorySnapshot } from './child-service.ts'
import { createKeepAliveAgent, runClosedLoop, runOpenLoop, type LoadResult, type LoadTarget } from './http-load.ts'
import { BATCH_RECORDS, benchModelConfig, makeBodies, waitStored } from './ingest-workload.ts'
import { startPhaseLoad, type PhaseLoad } from './machine-load.ts'

/** Group-commit counters the collector exports on /metrics. */
export interface IngestCounters {
  readonly inserts: number
  readonly rows: number
  readonly insertSeconds: number
  readonly spooled: number
}

/** The service's own view of its memory, from the Node default metrics on /metrics, in bytes. */
export interface NodeMemory {
  /** V8 heap committed (nodejs_heap_size_total_bytes). */
  readonly heapTotal: number
  /** Memory V8 objects hold outside the heap: Buffers (nodejs_external_memory_bytes). */
  readonly external: number
}

async function scrapeNodeMemory(url: string): Promise<NodeMemory> {
  const text = await (await fetch(new URL('/metrics', url))).text()
  const value = (name: string): number => {
    const match = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text)
    return match ? Number(match[1]) : Number.NaN
  }
  return { heapTotal: value('nodejs_heap_size_total_bytes'), external: value('nodejs_external_memory_bytes') }
}

/** One load phase: what the generator saw and what the machine did meanwhile. */
export interface Phase {
  readonly result: LoadResult
  readonly load: PhaseLoad
}

/** What the HTTP phases measured. */
export interface HttpFigures {
  readonly warmup: Phase
  readonly rounds: readonly Phase[]
  readonly open: Phase
  readonly openRateRecordsPerSecond: number
  /** Service CPU by thread group over all closed-loop rounds. */
  readonly closedCpu: CpuSnapshot
  /** This process's CPU over all closed-loop rounds. */
  readonly generatorCpuSeconds: number
  /** Group commit over all closed-loop rounds. */
  readonly counters: IngestCounters
  readonly stored: number
  readonly memory: {
    readonly idle: MemorySnapshot
    readonly afterClosed: MemorySnapshot
    readonly afterOpen: MemorySnapshot
    readonly peakAnon: number
    /** The service's V8 heap and external memory at the end of the closed loop. */
    readonly nodeAfterClosed: NodeMemory
  }
  readonly problems: readonly string[]
  readonly exitCode: number | null
  readonly bodyBytesPerRecord: number
}

async function scrapeIngestCounters(url: string): Promise<IngestCounters> {
  const text = await (await fetch(new URL('/metrics', url))).text()
  const value = (name: string, to: string): number => {
    const match = new RegExp(`^${name}\\{to="${to}"\\} ([0-9.e+-]+)$`, 'm').exec(text)
    return match ? Number(match[1]) : 0
  }
  return {
    inserts: value('highway_ingest_batch_rows_count', 'clickhouse'),
    rows: value('highway_ingest_batch_rows_sum', 'clickhouse'),
    insertSeconds: value('highway_ingest_flush_duration_seconds_sum', 'clickhouse'),
    spooled: value('highway_ingest_batch_rows_count', 'spool'),
  }
}

/** Rate of a load result in acknowledged records per second. */
export function recordsPerSecond(r: LoadResult): number {
  return r.acknowledged / r.elapsedSeconds
}

/**
 * Runs the HTTP phases against a fresh child service and stops it. Returns the figures and the closed-loop bodies
 * (the in-process phase times its stages on the same rows).
 */
export async function measureHttp(options: {
  tmp: string
  runTag: string
  warmupBatches: number
  closedBatches: number
  closedRounds: number
  connections: number
  openSeconds: number
  log: (line: string) => void
}): Promise<{ http: HttpFigures; closedBodies: readonly Buffer[] }> {
  const { log } = options
  const configFile = join(options.tmp, 'bench.yaml')
  writeFileSync(configFile, toYaml({ models: [benchModelConfig()], server: { host: '127.0.0.1' } }))
  log(`serialising ${options.warmupBatches + options.closedBatches} request bodies of ${BATCH_RECORDS} records`)
  const warmupBodies = makeBodies({ runTag: options.runTag, firstBatch: 0, count: options.warmupBatches, nowMs: Date.now() })
  const closedBodies = makeBodies({ runTag: options.runTag, firstBatch: options.warmupBatches, count: options.closedBatches, nowMs: Date.now() })
  const bodyBytesPerRecord = closedBodies.bytes / closedBodies.records
  log(`${Math.round(bodyBytesPerRecord)} bytes per record, ${Math.round((bodyBytesPerRecord * BATCH_RECORDS) / 1024)} KiB per request`)

  const service = await startChildService({ configFile, dataDir: join(options.tmp, 'service-data'), log })
  const agent = createKeepAliveAgent(256)
  const target: LoadTarget = { url: service.url, path: '/v1/predictions', agent }
  const onError = (message: string) => log(`request failed: ${message}`)
  const phase = async (run: () => Promise<LoadResult>): Promise<Phase> => {
    const stop = startPhaseLoad([service.pid])
    const result = await run()
    return { result, load: stop() }
  }
  try {
    const idle = service.memory()
    log(`warm-up: ${options.warmupBatches} requests`)
    const warmup = await phase(() => runClosedLoop({ target, bodies: warmupBodies.bodies, connections: options.connections, onError }))
    let acknowledged = await waitStored(service.url, warmup.result.acknowledged, 60_000)

    const countersBefore = await scrapeIngestCounters(service.url)
    const cpuBefore = service.cpu()
    const generatorBefore = process.cpuUsage()
    const rounds: Phase[] = []
    const perRound = Math.floor(options.closedBatches / options.closedRounds)
    for (let r = 0; r < options.closedRounds; r++) {
      const bodies = closedBodies.bodies.slice(r * perRound, r === options.closedRounds - 1 ? undefined : (r + 1) * perRound)
      // A round lasts until its records are stored, not just acknowledged: its rate is what ClickHouse keeps up with.
      let ackSeconds = 0
      const round = await phase(async () => {
        const started = performance.now()
        const result = await runClosedLoop({ target, bodies, connections: options.connections, onError })
        ackSeconds = result.elapsedSeconds
        acknowledged += result.acknowledged
        const stored = await waitStored(service.url, acknowledged, 60_000)
        if (stored < acknowledged) throw new Error(`round ${r + 1}: ${stored} predictions stored 60 s after ${acknowledged} were acknowledged`)
        return { ...result, elapsedSeconds: (performance.now() - started) / 1000 }
      })
      rounds.push(round)
      log(`closed loop round ${r + 1}/${options.closedRounds}: ${bodies.length} requests on ${options.connections} connections, ${Math.round(recordsPerSecond(round.result))} records/s stored (acknowledged in ${ackSeconds.toFixed(2)} of ${round.result.elapsedSeconds.toFixed(2)} s; other processes: ${round.load.otherCores.toFixed(2)} cores)`)
    }
    const generator = process.cpuUsage(generatorBefore)
    const closedCpu = cpuDelta(service.cpu(), cpuBefore)
    const countersAfter = await scrapeIngestCounters(service.url)
    const afterClosed = service.memory()
    const nodeAfterClosed = await scrapeNodeMemory(service.url)

    // Half the best round's rate, in whole requests of BATCH_RECORDS records; bodies made now so their ts are fresh.
    const openRate = Math.max(...rounds.map((r) => recordsPerSecond(r.result))) / 2
    const intervalMs = (BATCH_RECORDS / openRate) * 1000
    const openCount = Math.max(20, Math.round((options.openSeconds * 1000) / intervalMs))
    const openBodies = makeBodies({ runTag: options.runTag, firstBatch: options.warmupBatches + options.closedBatches, count: openCount, nowMs: Date.now() })
    log(`open loop: ${openCount} requests, one every ${intervalMs.toFixed(1)} ms (${Math.round(openRate)} records/s)`)
    const open = await phase(() => runOpenLoop({ target, bodies: openBodies.bodies, intervalMs, onError }))
    const afterOpen = service.memory()

    const stored = await waitStored(service.url, acknowledged + open.result.acknowledged, 60_000)
    const peakAnon = service.peakAnonBytes()
    const exitCode = await service.stop()
    log(`service stopped (exit code ${exitCode}); it stored ${stored} predictions`)
    return {
      http: {
        warmup,
        rounds,
        open,
        openRateRecordsPerSecond: openRate,
        closedCpu,
        generatorCpuSeconds: (generator.user + generator.system) / 1e6,
        counters: {
          inserts: countersAfter.inserts - countersBefore.inserts,
          rows: countersAfter.rows - countersBefore.rows,
          insertSeconds: countersAfter.insertSeconds - countersBefore.insertSeconds,
          spooled: countersAfter.spooled,
        },
        stored,
        memory: { idle, afterClosed, afterOpen, peakAnon, nodeAfterClosed },
        problems: service.problems,
        exitCode,
        bodyBytesPerRecord,
      },
      closedBodies: closedBodies.bodies,
    }
  } finally {
    agent.destroy()
    await service.stop()
  }
}
