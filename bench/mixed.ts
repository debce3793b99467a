// `npm run bench -- mixed`: reads under load (issue 16). A `highway start` child takes 5,000 predictions/s and
// 1,000 labels/s (open loop) for ~60 s while readers ask, at a fixed rate each, for `GET /v1/slos` and the stored
// drift and quality results (`GET …/drift`, `…/quality` without a window). Reports p50/p99 of each read and whether
// ingest held its rate.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request, type Agent } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify as toYaml } from 'yaml'
import { startChildService } from './child-service.ts'
import { createKeepAliveAgent, percentile, runClosedLoop, runOpenLoop, type LoadResult } from './http-load.ts'
import { BATCH_RECORDS, BENCH_MODEL, benchModelConfig, makeBodies, waitStored } from './ingest-workload.ts'
import { startPhaseLoad, waitForQuiet } from './machine-load.ts'
import { round, type Bench, type BenchTarget } from './report.ts'
import { benchSloSpecs } from './slo-specs.ts'

const HELP = `npm run bench -- mixed [--quick] [--seconds N] [--predictions-per-second N] [--labels-per-second N] [--reads-per-second N]

  --seconds N                  length of the loaded phase (default 60; --quick: 15)
  --predictions-per-second N   prediction ingest rate (default 5000), in requests of ${BATCH_RECORDS} records
  --labels-per-second N        label ingest rate (default 1000), in requests of ${BATCH_RECORDS} labels
  --reads-per-second N         rate of each read: /v1/slos, stored drift, stored quality (default 4)
  --quiet-wait N               seconds to wait for other processes to leave the cores first (default 120; --quick: 10)`

const SLO_TARGET_MS = 300
const SAVED_TARGET_MS = 200
/** Ingest "held its rate" when it acknowledged at least this share of the offered rate, with no failed request. */
const HELD_SHARE = 0.95
/** A phase where other processes used more cores than this is marked contended (as bench/ingest.ts). */
const CONTENDED_CORES = 0.25

function numberOption(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(name)
  if (i < 0) return fallback
  const v = Number(args[i + 1])
  if (!(v > 0) || !Number.isFinite(v)) throw new Error(`${name} must be a positive number, got ${JSON.stringify(args[i + 1])}`)
  return v
}

/** Label bodies for the predictions of batches [first, first + count): label `k` of batch `b` is for its record `k`. */
function labelBodies(runTag: string, first: number, count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => {
    const b = first + i
    const records = Array.from({ length: BATCH_RECORDS }, (_, r) => ({ id: `${runTag}-${String(b * BATCH_RECORDS + r).padStart(9, '0')}`, label: (b + r) % 3 === 0 ? 1 : 0 }))
    return Buffer.from(JSON.stringify({ model: BENCH_MODEL, records }))
  })
}

interface ReadResult {
  readonly name: string
  readonly requests: number
  readonly failures: Readonly<Record<string, number>>
  /** Latencies in ms from when each request was due (open loop), ascending. */
  readonly latenciesMs: readonly number[]
}

function get(url: string, agent: Agent, dueAt: number): Promise<{ status: number; ms: number; error?: string }> {
  return new Promise((resolve) => {
    const u = new URL(url)
    const req = request({ agent, hostname: u.hostname, port: u.port, path: u.pathname + u.search, method: 'GET' }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - dueAt, ...(res.statusCode === 200 ? {} : { error: Buffer.concat(chunks).toString('utf8').slice(0, 300) }) }))
      res.on('error', (err) => resolve({ status: 0, ms: performance.now() - dueAt, error: err.message }))
    })
    req.on('error', (err) => resolve({ status: 0, ms: performance.now() - dueAt, error: err.message }))
    req.end()
  })
}

/** Open-loop GETs at `perSecond` for `seconds`: latency counts from when each was due, so a stall cannot hide. */
async function readLoop(o: { name: string; url: string; agent: Agent; perSecond: number; seconds: number; log: (line: string) => void }): Promise<ReadResult> {
  const n = Math.max(1, Math.floor(o.perSecond * o.seconds))
  const interval = 1000 / o.perSecond
  // Readers start a little after the writers, spread so the three reads do not all fire on the same tick.
  const start = performance.now() + 5 + Math.random() * interval
  const inFlight: Array<Promise<{ status: number; ms: number; error?: string }>> = []
  for (let i = 0; i < n; i++) {
    const due = start + i * interval
    const wait = due - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    inFlight.push(get(o.url, o.agent, due))
  }
  const done = await Promise.all(inFlight)
  const failures: Record<string, number> = {}
  let reported = 0
  for (const d of done) {
    if (d.status === 200) continue
    const key = d.status === 0 ? 'error' : String(d.status)
    failures[key] = (failures[key] ?? 0) + 1
    if (reported++ < 3) o.log(`${o.name} failed: ${key} ${d.error ?? ''}`)
  }
  return { name: o.name, requests: n, failures, latenciesMs: done.map((d) => d.ms).sort((a, b) => a - b) }
}

async function postJson(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null }
}

const failed = (f: Readonly<Record<string, number>>): number => Object.values(f).reduce((s, n) => s + n, 0)
const rate = (r: LoadResult): number => r.acknowledged / r.elapsedSeconds

/** The mixed read/write benchmark. */
export const runMixedBench: Bench = async (options) => {
  const { log, args } = options
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${HELP}\n`)
    process.exit(0)
  }
  const seconds = numberOption(args, '--seconds', options.quick ? 15 : 60)
  const predictionsPerSecond = numberOption(args, '--predictions-per-second', 5000)
  const labelsPerSecond = numberOption(args, '--labels-per-second', 1000)
  const readsPerSecond = numberOption(args, '--reads-per-second', 4)
  const quietWait = numberOption(args, '--quiet-wait', options.quick ? 10 : 120)
  const tmp = mkdtempSync(join(tmpdir(), 'highway-bench-mixed-'))
  const runTag = `mixed${Date.now().toString(36)}`
  const failures: string[] = []
  try {
    const sloDir = join(tmp, 'slos')
    mkdirSync(sloDir)
    writeFileSync(join(sloDir, 'bench.yaml'), benchSloSpecs(BENCH_MODEL, ['availability', 'latency', 'accepted', 'availability-slices', 'freshness']))
    const configFile = join(tmp, 'bench.yaml')
    writeFileSync(configFile, toYaml({ models: [benchModelConfig()], server: { host: '127.0.0.1' }, slos: sloDir }))

    const warmupBatches = options.quick ? 10 : 30
    const predictionBatches = Math.round((predictionsPerSecond * seconds) / BATCH_RECORDS)
    const labelBatches = Math.round((labelsPerSecond * seconds) / BATCH_RECORDS)
    log(`serialising ${warmupBatches + predictionBatches} prediction and ${labelBatches} label bodies of ${BATCH_RECORDS} records`)
    const nowMs = Date.now()
    const warmup = makeBodies({ runTag, firstBatch: 0, count: warmupBatches, nowMs })
    const predictions = makeBodies({ runTag, firstBatch: warmupBatches, count: predictionBatches, nowMs })
    // Labels for the warm-up's predictions first, then for those of the loaded phase, in the order they were sent.
    const labels = labelBodies(runTag, 0, labelBatches)

    const service = await startChildService({ configFile, dataDir: join(tmp, 'service-data'), log })
    const agent = createKeepAliveAgent(128)
    // One agent per read: a slow read must not hold the sockets another read waits for (in this generator; the
    // service's own queues are what is measured).
    const readAgents = [createKeepAliveAgent(64), createKeepAliveAgent(64), createKeepAliveAgent(64)] as const
    const onError = (message: string) => log(`ingest request failed: ${message}`)
    try {
      // Setup: a warm-up ingest, a reference from it, one stored run (what the saved reads serve).
      log(`warm-up: ${warmupBatches} requests`)
      const warm = await runClosedLoop({ target: { url: service.url, path: '/v1/predictions', agent }, bodies: warmup.bodies, connections: 4, onError })
      await waitStored(service.url, warm.acknowledged, 60_000)
      const window = { from: nowMs - 3_600_000, to: nowMs + 1 }
      const reference = await postJson(`${service.url}/v1/models/${BENCH_MODEL}/reference`, window)
      if (reference.status !== 201) throw new Error(`reference: ${reference.status} ${JSON.stringify(reference.body)}`)
      const run = await postJson(`${service.url}/v1/models/${BENCH_MODEL}/analysis/run`, window)
      if (run.status !== 200) throw new Error(`analysis/run: ${run.status} ${JSON.stringify(run.body)}`)
      log(`reference and a stored run over ${warm.acknowledged} predictions; loaded phase: ${seconds} s`)

      const base = `${service.url}/v1`
      await waitForQuiet({ maxOtherCores: CONTENDED_CORES, maxWaitSeconds: quietWait, log })
      const stop = startPhaseLoad([service.pid])
      const [predicted, labelled, ...reads] = await Promise.all([
        runOpenLoop({ target: { url: service.url, path: '/v1/predictions', agent }, bodies: predictions.bodies, intervalMs: (1000 * BATCH_RECORDS) / predictionsPerSecond, onError }),
        runOpenLoop({ target: { url: service.url, path: '/v1/labels', agent }, bodies: labels, intervalMs: (1000 * BATCH_RECORDS) / labelsPerSecond, onError }),
        readLoop({ name: 'GET /v1/slos', url: `${base}/slos`, agent: readAgents[0], perSecond: readsPerSecond, seconds, log }),
        readLoop({ name: 'GET …/drift (stored)', url: `${base}/models/${BENCH_MODEL}/drift`, agent: readAgents[1], perSecond: readsPerSecond, seconds, log }),
        readLoop({ name: 'GET …/quality (stored)', url: `${base}/models/${BENCH_MODEL}/quality`, agent: readAgents[2], perSecond: readsPerSecond, seconds, log }),
      ])
      const machine = stop()
      const contended = machine.otherCores > CONTENDED_CORES
      const expected = warm.acknowledged + predicted.acknowledged
      const stored = await waitStored(service.url, expected, 60_000)
      if (stored < expected) failures.push(`${stored} predictions stored 60 s after ${expected} were acknowledged`)
      for (const problem of service.problems.slice(0, 5)) log(`service: ${problem}`)

      const ingestHeld = (r: LoadResult, offered: number) => failed(r.failures) === 0 && r.rejected === 0 && rate(r) >= HELD_SHARE * offered
      const predictionsHeld = ingestHeld(predicted, predictionsPerSecond)
      const labelsHeld = ingestHeld(labelled, labelsPerSecond)
      const readRow = (r: ReadResult) => [r.name, r.requests, failed(r.failures), round(percentile(r.latenciesMs, 50)), round(percentile(r.latenciesMs, 99)), round(r.latenciesMs.at(-1) ?? Number.NaN)]
      const ingestRow = (name: string, r: LoadResult, offered: number) => [name, offered, round(rate(r)), failed(r.failures), round(percentile(r.latenciesMs, 50)), round(percentile(r.latenciesMs, 99)), r.lateStarts]
      const [slos, drift, quality] = reads as [ReadResult, ReadResult, ReadResult]
      const p99 = (r: ReadResult) => percentile(r.latenciesMs, 99)
      const readOk = (r: ReadResult, limit: number) => failed(r.failures) === 0 && p99(r) <= limit
      for (const r of reads) if (failed(r.failures) > 0) failures.push(`${r.name}: ${JSON.stringify(r.failures)}`)
      const targets: BenchTarget[] = [
        { name: 'GET /v1/slos p99 under ingest', target: `≤ ${SLO_TARGET_MS} ms`, measured: `${round(p99(slos))} ms`, met: readOk(slos, SLO_TARGET_MS) },
        { name: 'stored drift read p99 under ingest', target: `≤ ${SAVED_TARGET_MS} ms`, measured: `${round(p99(drift))} ms`, met: readOk(drift, SAVED_TARGET_MS) && predictionsHeld && labelsHeld },
        { name: 'stored quality read p99 under ingest', target: `≤ ${SAVED_TARGET_MS} ms`, measured: `${round(p99(quality))} ms`, met: readOk(quality, SAVED_TARGET_MS) && predictionsHeld && labelsHeld },
        { name: 'ingest held its rate while reads ran', target: `≥ ${HELD_SHARE * 100}% of ${predictionsPerSecond}/s + ${labelsPerSecond}/s, no failures`, measured: `${round(rate(predicted))}/s + ${round(rate(labelled))}/s`, met: predictionsHeld && labelsHeld },
      ]
      return {
        bench: 'mixed',
        sections: [
          {
            title: `Reads under ingest (${seconds} s, open loop, latency from when each request was due)${contended ? ' — CONTENDED' : ''}`,
            columns: ['read', 'requests', 'failed', 'p50 ms', 'p99 ms', 'max ms'],
            rows: reads.map(readRow),
            notes: [`each read at ${readsPerSecond}/s; drift and quality without a window serve the newest stored result`],
          },
          {
            title: 'Ingest meanwhile',
            columns: ['ingest', 'offered /s', 'acknowledged /s', 'failed', 'p50 ms', 'p99 ms', 'late starts'],
            rows: [ingestRow('predictions', predicted, predictionsPerSecond), ingestRow('labels', labelled, labelsPerSecond)],
            notes: [
              `${stored.toLocaleString('en-US')} predictions stored; cores busy meanwhile: service ${round(machine.childCores, 2)}, generator ${round(machine.ownCores, 2)}, other processes ${round(machine.otherCores, 2)}`,
              contended
                ? `CONTENDED: other processes used ${round(machine.otherCores, 2)} cores of the machine during the phase (> ${CONTENDED_CORES}); the latencies measure the machine as much as the service`
                : 'quiet: other processes used at most a quarter of a core',
            ],
          },
        ],
        targets,
        failures,
        summary: {
          seconds,
          contended,
          machineLoad: { serviceCores: round(machine.childCores, 2), generatorCores: round(machine.ownCores, 2), otherCores: round(machine.otherCores, 2) },
          predictionsPerSecond,
          labelsPerSecond,
          readsPerSecond,
          reads: Object.fromEntries(reads.map((r) => [r.name, { requests: r.requests, failures: r.failures, p50Ms: round(percentile(r.latenciesMs, 50)), p99Ms: round(p99(r)), maxMs: round(r.latenciesMs.at(-1) ?? Number.NaN) }])),
          ingest: {
            predictions: { perSecond: round(rate(predicted)), p99Ms: round(percentile(predicted.latenciesMs, 99)), failures: predicted.failures },
            labels: { perSecond: round(rate(labelled)), p99Ms: round(percentile(labelled.latenciesMs, 99)), failures: labelled.failures },
          },
        },
      }
    } finally {
      agent.destroy()
      for (const a of readAgents) a.destroy()
      await service.stop()
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}
