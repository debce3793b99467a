import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../config/index.ts'
import { startService, type RunningService } from '../../cli/service.ts'
import { Authenticator, BodyBudget, createHttpShell, HttpMetrics, type Logger } from '../../server/index.ts'
import { exportOnnx } from '../../pipeline/onnx/index.ts'
import { randomModel } from '../../pipeline/onnx/test-models.ts'
import { fixtureVersion, ModelServer, servingRoutes } from '../../serving/index.ts'
import { makeTempDir } from '../support/temp-dir.ts'
import { waitFor } from '../support/wait-for.ts'

// Issue 11, "Serving: Open Inference Protocol (KServe V2 REST)", and issue 16's V2 items: each test reproduces one
// report with the request bodies KServe's Python client (kserve/protocol/infer_type.py, InferRequest.to_rest) and
// tritonclient (tritonclient/http/_utils.py, _get_inference_request) send.
const tmp = makeTempDir('oip')
const logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = []
const keep = (level: string) => (message: string, fields?: Record<string, unknown>) => void logs.push({ level, message, ...(fields ? { fields } : {}) })
const logger: Logger = { info: keep('info'), warn: keep('warn'), error: keep('error') }
let service: RunningService
let url: string
const text = randomModel('binary logistic', 11)

beforeAll(async () => {
  const models = [
    { name: 'spam', task: 'binary_classification', features: { height_cm: { type: 'number', required: false }, country: { type: 'category', required: false } } },
    { name: 'price', task: 'regression', features: { x1: { type: 'number', required: false }, x2: { type: 'number', required: false } } },
    { name: 'typed', task: 'regression', features: { x: { type: 'number', required: false } } },
    { name: 'notes', task: 'binary_classification', features: Object.fromEntries(text.signature.inputs.map((i) => [i.name, { type: i.type, required: false }])) },
  ]
  const config = parseConfig({ models, server: { host: '127.0.0.1', port: 0 }, storage: { dataDir: tmp.dir } }, { source: 'oip test' })
  service = await startService({ config, components: ['collector', 'serving'], logger, version: 'test' })
  url = service.url
  const serving = service.serving!
  await serving.load(fixtureVersion('binary', 'spam', 1))
  await serving.load(fixtureVersion('regression', 'price', 1))
  await serving.load(fixtureVersion('typed', 'typed', 1))
  await serving.load({ model: 'notes', version: 1, onnx: exportOnnx(text), signature: text.signature })
})
afterAll(async () => {
  await service?.close()
  tmp.cleanup()
})

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  bytes: Buffer
  json: any
}

/** One raw request: exactly the headers given (no Content-Type unless set), the body as bytes, chunked when asked. */
function send(path: string, options: { method?: string; headers?: Record<string, string | number>; body?: Buffer | string; chunks?: Buffer[] } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(path, url)
    const req = request({ hostname: target.hostname, port: target.port, path: target.pathname, method: options.method ?? 'POST', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const bytes = Buffer.concat(chunks)
        let json: unknown
        try {
          json = JSON.parse(bytes.toString('utf8'))
        } catch {
          json = undefined
        }
        resolve({ status: res.statusCode!, headers: res.headers, bytes, json })
      })
    })
    req.on('error', reject)
    if (options.chunks) {
      for (const c of options.chunks) req.write(c)
      req.end()
    } else req.end(options.body)
  })
}

const postJson = (path: string, body: unknown) => send(path, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const fp64 = (name: string, data: unknown[], shape = [data.length, 1]) => ({ name, datatype: 'FP64', shape, data })
const typedInputs = (over: Record<string, { datatype: string; data: unknown[] }> = {}) => {
  const base: Record<string, { datatype: string; data: unknown[] }> = { x: { datatype: 'FP64', data: [1] }, i32: { datatype: 'INT32', data: [2] }, i64: { datatype: 'INT64', data: [3] }, f32: { datatype: 'FP32', data: [0.5] }, flag: { datatype: 'BOOL', data: [true] } }
  return Object.entries({ ...base, ...over }).map(([name, v]) => ({ name, datatype: v.datatype, shape: [1, 1], data: v.data }))
}

async function metricsText(): Promise<string> {
  return (await fetch(`${url}/metrics`)).text()
}

describe('request bodies of real clients', () => {
  it('accepts the model_name KServe\'s client always sends, and refuses one that is not the path\'s with a 400', async () => {
    const body = { id: 'kserve-1', model_name: 'price', inputs: [fp64('x1', [1]), fp64('x2', [2])] }
    const ok = await postJson('/v2/models/price/infer', body)
    expect(ok.status).toBe(200)
    expect(ok.json.outputs[0].data).toEqual([9])
    const other = await postJson('/v2/models/price/infer', { ...body, model_name: 'spam' })
    expect(other.status).toBe(400)
    expect(other.json.error).toContain('body.model_name: "spam" does not match the model of the path, "price"')
  })

  it('ignores fields the spec does not define rather than refusing the request', async () => {
    const res = await postJson('/v2/models/price/infer', { inputs: [fp64('x1', [1]), fp64('x2', [2])], extra: { from: 'another client' } })
    expect(res.status).toBe(200)
  })

  it('serves a JSON body sent without a Content-Type, as tritonclient sends it', async () => {
    const res = await send('/v2/models/price/infer', { body: JSON.stringify({ inputs: [fp64('x1', [1]), fp64('x2', [2])] }) })
    expect(res.status).toBe(200)
    expect(res.json.outputs[0].data).toEqual([9])
  })

  it('answers JSON as exactly application/json, errors included (KServe\'s client compares the type exactly)', async () => {
    const answers = [
      await postJson('/v2/models/price/infer', { inputs: [fp64('x1', [1]), fp64('x2', [2])] }),
      await postJson('/v2/models/price/infer', { inputs: [fp64('x1', [1])] }),
      await postJson('/v2/models/nope/infer', { inputs: [fp64('x1', [1])] }),
      await send('/v2/models/price', { method: 'GET' }),
      await send('/v2/health/ready', { method: 'GET' }),
    ]
    expect(answers.map((a) => a.status)).toEqual([200, 400, 404, 200, 200])
    for (const a of answers) expect(a.headers['content-type']).toBe('application/json')
  })
})

describe('client mistakes are 4xx and never a model failure', () => {
  it('answers "outputs": [] with every output (as an absent list), not a 500 booked against the version', async () => {
    const res = await postJson('/v2/models/price/infer', { id: 'no-outputs', inputs: [fp64('x1', [1]), fp64('x2', [2])], outputs: [] })
    expect(res.status).toBe(200)
    expect(res.json.outputs.map((o: { name: string }) => o.name)).toEqual(['prediction'])
    expect(await metricsText()).not.toMatch(/highway_serving_requests_total\{model="price",version="1",status="error"\}/)
  })

  it('refuses a non-finite result (temp 1e308 → Infinity) with a 400 naming the input, booked as invalid, not a 200 with null', async () => {
    const res = await postJson('/v2/models/price/infer', { id: 'overflow', inputs: [fp64('x1', [1e308]), fp64('x2', [1])] })
    expect(res.status).toBe(400)
    expect(res.json.error).toContain('non-finite')
    expect(res.json.error).toContain('x1=1e+308')
    const predicted = await postJson('/v1/models/price/predict', { records: [{ id: 'overflow-v1', features: { x1: 1e308, x2: 1 } }] })
    expect(predicted.status).toBe(400)
    expect(predicted.json.error).toContain('records[0]')
    const metrics = await metricsText()
    expect(metrics).toMatch(/highway_serving_requests_total\{model="price",version="1",status="invalid"\} \d+/)
    expect(metrics).not.toMatch(/highway_serving_requests_total\{model="price",version="1",status="error"\}/)
    const stored = await waitFor('the overflow record in the log', async () => {
      const q = await service.store.client.query({ query: "SELECT status FROM highway.predictions WHERE id = 'overflow'", format: 'JSONEachRow' })
      const rows = (await q.json()) as Array<{ status: string }>
      return rows.length > 0 ? rows : undefined
    })
    expect(stored.map((s) => s.status)).toEqual(['invalid'])
  })

  it('refuses data nested 20,000 deep with a 400 instead of overflowing the stack', async () => {
    // Written as text: JSON.stringify itself overflows the stack on such a value.
    const data = `${'['.repeat(20_000)}1${']'.repeat(20_000)}`
    const body = `{"inputs": [{"name": "x1", "datatype": "FP64", "shape": [1, 1], "data": [${data}]}, ${JSON.stringify(fp64('x2', [1]))}]}`
    const res = await send('/v2/models/price/infer', { headers: { 'content-type': 'application/json' }, body })
    expect(res.status).toBe(400)
    expect(res.json.error).toContain('inputs[0] ("x1").data: is nested deeper than its shape\'s 2 dimension(s)')
  })

  it('answers an oversized chunked body with 413, not a connection reset', async () => {
    const chunk = Buffer.alloc(1 << 20, 0x20)
    const res = await send('/v2/models/price/infer', { headers: { 'content-type': 'application/json' }, chunks: Array.from({ length: 9 }, () => chunk) })
    expect(res.status).toBe(413)
    expect(res.json.code).toBe('payload_too_large')
  })

  it('does not log a client hanging up mid-body as an unhandled error', async () => {
    const target = new URL('/v2/models/price/infer', url)
    await new Promise<void>((resolve) => {
      const req = request({ hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': 1000 } })
      req.on('error', () => resolve())
      req.write('{"inputs": [', () => setImmediate(() => req.destroy()))
      req.on('close', () => resolve())
    })
    // The server answers its next request only after it handled the cut-off one on the same event loop.
    await waitFor('the cut-off request to be handled', async () => (await send('/v2/health/live', { method: 'GET' })).status === 200)
    await waitFor('the shell to finish the cut-off request', () => service.bodies.used === 0)
    expect(logs.filter((l) => l.message === 'unhandled error')).toEqual([])
  })
})

describe('datatypes: every datatype of the spec converts exactly or is refused naming the input and the value', () => {
  it('feeds the INT32 and BOOL inputs its metadata advertises', async () => {
    const meta = await send('/v2/models/typed', { method: 'GET' })
    expect(meta.json.inputs.map((i: { name: string; datatype: string }) => `${i.name}:${i.datatype}`)).toEqual(['x:FP64', 'i32:INT32', 'i64:INT64', 'f32:FP32', 'flag:BOOL'])
    const res = await postJson('/v2/models/typed/infer', { inputs: typedInputs() })
    expect(res.status).toBe(200)
    const out = Object.fromEntries(res.json.outputs.map((o: { name: string; data: unknown[]; datatype: string }) => [o.name, o]))
    expect(out.prediction.data).toEqual([4.5])
    expect(out.i32_echo).toMatchObject({ datatype: 'INT32', data: [2] })
    expect(out.i64_echo).toMatchObject({ datatype: 'INT64', data: [3] })
  })

  it.each([
    ['UINT8', 255],
    ['UINT16', 65535],
    ['INT8', -128],
    ['INT16', -32768],
  ])('feeds %s data into an INT32 input exactly', async (datatype, value) => {
    const res = await postJson('/v2/models/typed/infer', { inputs: typedInputs({ i32: { datatype, data: [value] } }), outputs: [{ name: 'i32_echo' }] })
    expect(res.status).toBe(200)
    expect(res.json.outputs[0].data).toEqual([value])
  })

  it('feeds UINT32, UINT64 and FP16 data where the value fits exactly', async () => {
    const res = await postJson('/v2/models/typed/infer', {
      inputs: typedInputs({ i64: { datatype: 'UINT64', data: ['184'] }, f32: { datatype: 'FP16', data: [1.5] }, x: { datatype: 'UINT32', data: [4294967295] } }),
      outputs: [{ name: 'prediction' }, { name: 'f32_echo' }, { name: 'i64_echo' }],
    })
    expect(res.status).toBe(200)
    expect(Object.fromEntries(res.json.outputs.map((o: { name: string; data: unknown[] }) => [o.name, o.data]))).toEqual({ prediction: [4294967295 + 2 + 1.5 + 1], f32_echo: [1.5], i64_echo: [184] })
  })

  it('carries INT64 beyond ±2^53 exactly when sent as a decimal string (with binary outputs)', async () => {
    const big = '9007199254740993'
    const res = await postJson('/v2/models/typed/infer', { inputs: typedInputs({ i64: { datatype: 'INT64', data: [big] } }), outputs: [{ name: 'i64_echo', parameters: { binary_data: true } }] })
    expect(res.status).toBe(200)
    const headerLength = Number(res.headers['inference-header-content-length'])
    const header = JSON.parse(res.bytes.subarray(0, headerLength).toString('utf8'))
    expect(header.outputs[0]).toMatchObject({ name: 'i64_echo', datatype: 'INT64', parameters: { binary_data_size: 8 } })
    expect(res.bytes.readBigInt64LE(headerLength)).toBe(BigInt(big))
    // Asked as JSON, the same value would lose precision: refused, never rounded.
    const asJson = await postJson('/v2/models/typed/infer', { inputs: typedInputs({ i64: { datatype: 'INT64', data: [big] } }), outputs: [{ name: 'i64_echo' }] })
    expect(asJson.status).toBe(400)
    expect(asJson.json.error).toContain('output "i64_echo" element 0 (9007199254740993) is beyond ±2^53')
  })

  it.each<{ name: string; over: Record<string, { datatype: string; data: unknown[] }>; says: string }>([
    { name: 'INT64 beyond ±2^53 as a JSON number', over: { i64: { datatype: 'INT64', data: ['RAW'] } }, says: 'inputs[2] ("i64").data[0]: 9007199254740992 is beyond ±2^53' },
    { name: '3,000,000,000 into an INT32 input', over: { i32: { datatype: 'INT32', data: [3_000_000_000] } }, says: 'inputs[1] ("i32").data[0]: 3000000000 is outside the range of INT32' },
    { name: '3,000,000,000 as INT64 into an INT32 input', over: { i32: { datatype: 'INT64', data: [3_000_000_000] } }, says: 'inputs[1] ("i32").data[0]: 3000000000 (INT64) cannot be carried exactly by this model\'s INT32 input' },
    { name: '1e39 into an FP32 input', over: { f32: { datatype: 'FP32', data: [1e39] } }, says: 'inputs[3] ("f32").data[0]: 1e+39 is not exactly a FP32 value' },
    { name: '0.1 as FP32 (not an FP32 value)', over: { f32: { datatype: 'FP32', data: [0.1] } }, says: 'inputs[3] ("f32").data[0]: 0.1 is not exactly a FP32 value (the nearest is 0.10000000149011612)' },
    { name: 'FP64 0.1 into an FP32 input', over: { f32: { datatype: 'FP64', data: [0.1] } }, says: 'inputs[3] ("f32").data[0]: 0.1 (FP64) cannot be carried exactly by this model\'s FP32 input' },
    { name: '256 as UINT8', over: { i32: { datatype: 'UINT8', data: [256] } }, says: 'inputs[1] ("i32").data[0]: 256 is outside the range of UINT8 [0, 255]' },
    { name: '70000 as FP16', over: { f32: { datatype: 'FP16', data: [70000] } }, says: 'inputs[3] ("f32").data[0]: 70000 is not exactly a FP16 value' },
    { name: 'a number as BOOL', over: { flag: { datatype: 'BOOL', data: [1] } }, says: 'inputs[4] ("flag").data[0]: BOOL elements must be true or false, got 1' },
    { name: 'FP64 into an INT64 input', over: { i64: { datatype: 'FP64', data: [3] } }, says: 'inputs[2] ("i64").datatype: FP64 cannot feed this model\'s INT64 input' },
  ])('refuses $name with a 400 naming the input and the value', async ({ over, says }) => {
    const body = JSON.stringify({ inputs: typedInputs(over) }).replace('"RAW"', '9007199254740993')
    const res = await send('/v2/models/typed/infer', { headers: { 'content-type': 'application/json' }, body })
    expect(res.status).toBe(400)
    expect(res.json.error).toContain(says)
  })
})

/** A tritonclient body: the JSON header, then each input's bytes (BYTES as 4-byte length + bytes). */
function tritonBody(header: unknown, blobs: Buffer[]): { body: Buffer; headerLength: number } {
  const json = Buffer.from(JSON.stringify(header))
  return { body: Buffer.concat([json, ...blobs]), headerLength: json.length }
}
function bytesTensor(values: string[]): Buffer {
  return Buffer.concat(values.flatMap((v) => [Buffer.from(Uint32Array.of(Buffer.byteLength(v)).buffer), Buffer.from(v)]))
}

describe('binary tensor data extension (tritonclient\'s default)', () => {
  it('reads binary inputs and answers binary outputs, as tritonclient sends them (no Content-Type, binary_data_output)', async () => {
    const heights = Buffer.from(Float64Array.of(180, 150).buffer)
    const countries = bytesTensor(['CH', 'DE'])
    const { body, headerLength } = tritonBody(
      {
        inputs: [
          { name: 'height_cm', shape: [2, 1], datatype: 'FP64', parameters: { binary_data_size: heights.length } },
          { name: 'country', shape: [2, 1], datatype: 'BYTES', parameters: { binary_data_size: countries.length } },
        ],
        parameters: { binary_data_output: true },
      },
      [heights, countries],
    )
    const res = await send('/v2/models/spam/infer', { headers: { 'inference-header-content-length': headerLength }, body })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/octet-stream')
    const n = Number(res.headers['inference-header-content-length'])
    const header = JSON.parse(res.bytes.subarray(0, n).toString('utf8'))
    expect(header.outputs).toEqual([{ name: 'probabilities', datatype: 'FP64', shape: [2, 2], parameters: { binary_data_size: 32 } }])
    const probabilities = new Float64Array(res.bytes.buffer.slice(res.bytes.byteOffset + n, res.bytes.byteOffset + n + 32))
    const json = await postJson('/v2/models/spam/infer', { inputs: [fp64('height_cm', [180, 150]), { name: 'country', datatype: 'BYTES', shape: [2, 1], data: ['CH', 'DE'] }] })
    expect([...probabilities]).toEqual(json.json.outputs[0].data)
  })

  it('answers JSON outputs when tritonclient asks an output with binary_data: false', async () => {
    const x = Buffer.from(Float64Array.of(1).buffer)
    const { body, headerLength } = tritonBody({ inputs: [{ name: 'x1', shape: [1, 1], datatype: 'FP64', parameters: { binary_data_size: 8 } }, fp64('x2', [2])], outputs: [{ name: 'prediction', parameters: { binary_data: false } }] }, [x])
    const res = await send('/v2/models/price/infer', { headers: { 'inference-header-content-length': headerLength }, body })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.json.outputs).toEqual([{ name: 'prediction', datatype: 'FP64', shape: [1, 1], data: [9] }])
  })

  it('refuses binary data that does not match binary_data_size, naming the input', async () => {
    const { body, headerLength } = tritonBody({ inputs: [{ name: 'x1', shape: [1, 1], datatype: 'FP64', parameters: { binary_data_size: 16 } }, fp64('x2', [2])] }, [Buffer.alloc(8)])
    const res = await send('/v2/models/price/infer', { headers: { 'inference-header-content-length': headerLength }, body })
    expect(res.status).toBe(400)
    expect(res.json.error).toContain('inputs[0] ("x1").parameters.binary_data_size: 16 bytes, but only 8 remain in the body')
  })
})

describe('text models take raw text on V2', () => {
  it('advertises the text feature as BYTES [-1, 1] and answers as /v1 predict does on the same text', async () => {
    const meta = await send('/v2/models/notes', { method: 'GET' })
    const inputs = meta.json.inputs as Array<{ name: string; datatype: string; shape: number[] }>
    expect(inputs.find((i) => i.name === 'notes')).toEqual({ name: 'notes', datatype: 'BYTES', shape: [-1, 1] })
    expect(inputs.some((i) => i.name.endsWith('__vector'))).toBe(false)
    const features = { age: 41, income: 950, insured: true, city: 'paris', notes: 'Severe COUGH since yesterday, worse at night' }
    const v1 = await postJson('/v1/models/notes/predict', { records: [{ id: 'text-v1', features }] })
    const v2 = await postJson('/v2/models/notes/infer', {
      inputs: [fp64('age', [41]), fp64('income', [950]), { name: 'insured', datatype: 'BOOL', shape: [1, 1], data: [true] }, { name: 'city', datatype: 'BYTES', shape: [1, 1], data: ['paris'] }, { name: 'notes', datatype: 'BYTES', shape: [1, 1], data: [features.notes] }],
    })
    expect(v2.status).toBe(200)
    expect(v2.json.outputs[0].data[1]).toBe(v1.json.predictions[0].scores.class_1)
  })
})

describe('readiness (KServe and Triton: not ready until every model is)', () => {
  let server: ModelServer
  let http: Server
  let base: string
  beforeAll(async () => {
    server = new ModelServer()
    const shell = createHttpShell({
      routes: servingRoutes({ server }),
      auth: new Authenticator([]),
      bodies: new BodyBudget(1 << 20),
      metrics: new HttpMetrics(),
      logger,
      maxBodyBytes: 1 << 20,
      origins: { loopback: true, allowedOrigins: new Set() },
    })
    http = createServer(shell.listener)
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((resolve) => http.close(resolve))
    await server.close()
  })
  const probe = async (path: string) => (await fetch(`${base}${path}`)).status

  it('is live but not ready while the champions load, and ready once they are loaded', async () => {
    let finish!: () => void
    server.whileLoading(new Promise<void>((resolve) => (finish = resolve)))
    expect([await probe('/v2/health/live'), await probe('/v2/health/ready')]).toEqual([200, 503])
    await server.load(fixtureVersion('regression', 'price', 1))
    finish()
    await waitFor('readiness after the load', async () => (await probe('/v2/health/ready')) === 200)
  })

  it('is not ready while a model failed to load and has no version to serve', async () => {
    await expect(server.load({ ...fixtureVersion('regression', 'bad', 1), onnx: new Uint8Array([1, 2, 3]) })).rejects.toThrow(/could not load/)
    expect([await probe('/v2/health/live'), await probe('/v2/health/ready')]).toEqual([200, 503])
    expect(server.readiness().failed).toHaveProperty('bad')
    await server.load(fixtureVersion('regression', 'bad', 2))
    expect(await probe('/v2/health/ready')).toBe(200)
  })
})

describe('the service composition', () => {
  it('opens the port before it restores the champions (probes are answered while they load)', async () => {
    // The service started above restored (no champions in a fresh store) after listening: its readiness names it.
    const ready = await send('/readyz', { method: 'GET' })
    expect(ready.json).toMatchObject({ serving: { ready: true, loading: false, failed: {} } })
    expect(logs.filter((l) => l.message === 'unhandled error')).toEqual([])
  })
})
