// A serving target for `npm run bench -- serving`, run as a child process so the load generator does not share
// its event loop: `node --import tsx bench/serving-target.ts <mode> <data dir>`. Prints {"url": ...} on stdout.
//   bare        node:http + JSON.parse + the ORT session in-thread: the floor any server pays
//   workers     node:http + a worker_threads pool (one per core) each holding the same session: the alternative
//   express     express 5 + express.json() + the bare handler: what the framework alone costs
//   highway     the Highway service path (the HTTP shell of server/ with the collector's and serving's routes, as
//               cli/service.ts wires them) without prediction logging
//   highway-log the same with prediction logging into the co-located collector (chDB), as `highway start` runs
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { availableParallelism } from 'node:os'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import * as ort from 'onnxruntime-node'
import express from 'express'
import { parseConfig } from '../config/index.ts'
import { createCollector, type Collector } from '../collector/index.ts'
import { Authenticator, BodyBudget, createHttpShell, HttpMetrics, type Logger, type Route } from '../server/index.ts'
import { createIngestWriter, findStoredRecords, openStore, readModelCounts, StoreError } from '../store/index.ts'
import { createCollectorSubmit, createQueuedPredictionLog, fixtureVersion, ModelServer, servingRoutes, ServingMetrics, type PredictionLog } from '../serving/index.ts'

const [mode = 'bare', dataDir = '/tmp/highway-bench-serving'] = process.argv.slice(2)
const MODEL_PATH = fileURLToPath(new URL('../test/fixtures/onnx/binary.onnx', import.meta.url))
const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 4 }

interface V2Input {
  name: string
  shape: number[]
  datatype: string
  data: unknown[]
}

function feedsOf(body: { inputs: V2Input[] }): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {}
  for (const i of body.inputs) {
    const flat = i.data.flat(8)
    feeds[i.name] = i.datatype === 'BYTES' ? new ort.Tensor('string', flat as string[], i.shape) : new ort.Tensor('float64', Float64Array.from(flat as number[]), i.shape)
  }
  return feeds
}

function readJson(req: IncomingMessage): Promise<{ id?: string; inputs: V2Input[] }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      } catch (err) {
        reject(err)
      }
    })
    req.on('error', reject)
  })
}

function answer(res: ServerResponse, id: string | undefined, outputs: Record<string, { dims: readonly number[]; data: unknown }>): void {
  const body = JSON.stringify({
    model_name: 'bench',
    model_version: '1',
    id,
    outputs: Object.entries(outputs).map(([name, t]) => ({ name, datatype: 'FP64', shape: t.dims, data: Array.from(t.data as Float64Array) })),
  })
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler)
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  return `http://127.0.0.1:${address.port}`
}

async function bare(): Promise<string> {
  const session = await ort.InferenceSession.create(readFileSync(MODEL_PATH), SESSION_OPTIONS)
  return listen((req, res) => {
    readJson(req)
      .then(async (body) => answer(res, body.id, await session.run(feedsOf(body))))
      .catch((err: unknown) => {
        res.writeHead(400)
        res.end(String(err))
      })
  })
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const ort = require(workerData.ort)
ort.InferenceSession.create(workerData.model, workerData.options).then((session) => {
  parentPort.on('message', async ({ seq, body }) => {
    const feeds = {}
    for (const i of body.inputs) {
      const flat = i.data.flat(8)
      feeds[i.name] = i.datatype === 'BYTES' ? new ort.Tensor('string', flat, i.shape) : new ort.Tensor('float64', Float64Array.from(flat), i.shape)
    }
    try {
      const out = await session.run(feeds)
      const result = {}
      for (const [k, t] of Object.entries(out)) result[k] = { dims: t.dims, data: t.data }
      parentPort.postMessage({ seq, result })
    } catch (err) { parentPort.postMessage({ seq, error: String(err) }) }
  })
  parentPort.postMessage({ ready: true })
})
`

async function workers(): Promise<string> {
  const size = availableParallelism()
  const model = readFileSync(MODEL_PATH)
  const pending = new Map<number, (r: { result?: Record<string, { dims: number[]; data: Float64Array }>; error?: string }) => void>()
  const pool: Array<{ worker: Worker; busy: number }> = []
  const ortPath = fileURLToPath(import.meta.resolve('onnxruntime-node'))
  for (let i = 0; i < size; i++) {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ort: ortPath, model, options: SESSION_OPTIONS } })
    await new Promise<void>((resolve) => worker.once('message', () => resolve()))
    const slot = { worker, busy: 0 }
    worker.on('message', (m: { seq: number; result?: Record<string, { dims: number[]; data: Float64Array }>; error?: string }) => {
      slot.busy--
      pending.get(m.seq)?.(m)
      pending.delete(m.seq)
    })
    pool.push(slot)
  }
  let seq = 0
  return listen((req, res) => {
    readJson(req)
      .then((body) => {
        const slot = pool.reduce((a, b) => (b.busy < a.busy ? b : a))
        slot.busy++
        const s = seq++
        pending.set(s, (m) => {
          if (m.result) answer(res, body.id, m.result)
          else {
            res.writeHead(500)
            res.end(m.error)
          }
        })
        slot.worker.postMessage({ seq: s, body })
      })
      .catch((err: unknown) => {
        res.writeHead(400)
        res.end(String(err))
      })
  })
}

async function highway(withLog: boolean): Promise<string> {
  const config = parseConfig(
    {
      models: [{ name: 'bench', task: 'binary_classification', features: { height_cm: { type: 'number' }, country: { type: 'category', required: false } } }],
      server: { host: '127.0.0.1', port: 0 },
      storage: { dataDir },
    },
    { source: 'bench' },
  )
  const quiet = () => undefined
  const logger: Logger = { info: quiet, warn: (m, f) => process.stderr.write(`${JSON.stringify({ m, ...f })}\n`), error: (m, f) => process.stderr.write(`${JSON.stringify({ m, ...f })}\n`) }
  const store = await openStore({ mode: 'embedded', dataDir, database: 'highway', retentionDays: 90 })
  const reader = { readModelCounts: (models: readonly string[]) => readModelCounts(store, models), findStoredRecords: (q: Parameters<typeof findStoredRecords>[1]) => findStoredRecords(store, q) }
  let log: PredictionLog | undefined
  // The same wiring as cli/service.ts, with the prediction log optional.
  const http = new HttpMetrics()
  const auth = new Authenticator([])
  const collector: Collector = createCollector({
    config,
    sink: createIngestWriter(store, { timeoutMs: config.ingest.insertTimeoutMs }),
    reader,
    isTransient: (err) => err instanceof StoreError && err.transient,
    logger,
    registry: http.registry,
  })
  const metrics = new ServingMetrics(http.registry)
  if (withLog) log = createQueuedPredictionLog({ submit: createCollectorSubmit({ collector: () => collector, models: config.models, retentionDays: 90, reader }), onDrop: (model, n, reason) => metrics.logDropped.inc({ model, reason }, n) })
  const server = new ModelServer({ metrics, ...(log ? { log } : {}) })
  const routes: Route[] = [...collector.routes, ...servingRoutes({ server, version: 'bench' })]
  const shell = createHttpShell({
    routes,
    auth,
    bodies: new BodyBudget(config.ingest.maxInflightBodyBytes),
    metrics: http,
    logger,
    maxBodyBytes: 8 * 1024 * 1024,
    origins: { loopback: true, allowedOrigins: new Set() },
  })
  await server.load(fixtureVersion('binary', 'bench', 1))
  process.on('SIGTERM', () => {
    void (async () => {
      await log?.close()
      await collector.close()
      const counts = await readModelCounts(store, ['bench'])
      process.stderr.write(`${JSON.stringify({ stored: counts.get('bench')?.predictions ?? 0 })}\n`)
      await store.close()
      process.exit(0)
    })()
  })
  return listen(shell.listener)
}

async function expressOnly(): Promise<string> {
  const session = await ort.InferenceSession.create(readFileSync(MODEL_PATH), SESSION_OPTIONS)
  const app = express()
  app.post('/v2/models/:model/infer', express.json(), async (req, res) => {
    const body = req.body as { id?: string; inputs: V2Input[] }
    answer(res, body.id, await session.run(feedsOf(body)))
  })
  return listen(app)
}

const url = mode === 'express' ? await expressOnly() : mode === 'bare' ? await bare() : mode === 'workers' ? await workers() : await highway(mode === 'highway-log')
process.stdout.write(`${JSON.stringify({ url })}\n`)
if (mode !== 'highway' && mode !== 'highway-log') process.on('SIGTERM', () => process.exit(0))
