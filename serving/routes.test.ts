import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../config/index.ts'
import type { Logger } from '../server/index.ts'
import { startService, type RunningService } from '../cli/service.ts'
import { createHighwayClient } from '../sdk/index.ts'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { waitFor } from '../test/support/wait-for.ts'
import { fixtureManifest, fixtureVersion } from './fixtures.ts'
import { createSdkPredictionLog } from './prediction-log.ts'

// One real service for the file: embedded chDB in a temp dir, HTTP on 127.0.0.1:0, collector + serving components.
const tmp = makeTempDir('serving')
const logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = []
const keep = (level: string) => (message: string, fields?: Record<string, unknown>) => void logs.push({ level, message, ...(fields ? { fields } : {}) })
const logger: Logger = { info: keep('info'), warn: keep('warn'), error: keep('error') }
let service: RunningService
let url: string

const MODELS = [
  { name: 'spam', task: 'binary_classification', features: { height_cm: { type: 'number', required: false }, country: { type: 'category', required: false } } },
  { name: 'price', task: 'regression', features: { x1: { type: 'number', required: false }, x2: { type: 'number', required: false } } },
  { name: 'broken', task: 'regression', features: { x: { type: 'number' } } },
  { name: 'colour', task: 'multiclass_classification', features: { a: { type: 'number' }, b: { type: 'number' } } },
]

beforeAll(async () => {
  const config = parseConfig({ models: MODELS, server: { host: '127.0.0.1', port: 0 }, storage: { dataDir: tmp.dir } }, { source: 'serving test' })
  service = await startService({ config, components: ['collector', 'serving'], logger, version: 'test' })
  url = service.url
  const serving = service.serving!
  await serving.load(fixtureVersion('binary', 'spam', 1))
  await serving.load(fixtureVersion('regression', 'price', 1, { explain: (rs) => rs.map((r) => ({ x1: 2 * Number(r.x1), x2: 3 * Number(r.x2) })) }))
  await serving.load(fixtureVersion('regression', 'price', 2))
  await serving.load(fixtureVersion('failing', 'broken', 7))
  await serving.load(fixtureVersion('multiclass', 'colour', 1))
})
afterAll(async () => {
  await service?.close()
  tmp.cleanup()
})

async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }) })
  const text = await res.text()
  try {
    return { status: res.status, body: JSON.parse(text) }
  } catch {
    return { status: res.status, body: text }
  }
}

const fp64 = (name: string, data: unknown[], shape = [data.length, 1]) => ({ name, datatype: 'FP64', shape, data })

describe('Open Inference Protocol (KServe V2 REST)', () => {
  it('answers liveness, readiness and server metadata', async () => {
    expect(await call('GET', '/v2/health/live')).toEqual({ status: 200, body: { live: true } })
    expect(await call('GET', '/v2/health/ready')).toEqual({ status: 200, body: { ready: true } })
    expect(await call('GET', '/v2')).toEqual({ status: 200, body: { name: 'highway', version: 'test', extensions: ['binary_tensor_data'] } })
  })

  it('describes a model: name, versions, platform, inputs and outputs with datatype and shape', async () => {
    const res = await call('GET', '/v2/models/spam')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      name: 'spam',
      versions: ['1'],
      platform: 'onnx_onnxv1',
      inputs: [
        { name: 'height_cm', datatype: 'FP64', shape: [-1, 1] },
        { name: 'country', datatype: 'BYTES', shape: [-1, 1] },
      ],
      outputs: [{ name: 'probabilities', datatype: 'FP64', shape: [-1, 2] }],
    })
    const versioned = await call('GET', '/v2/models/price/versions/2')
    expect(versioned.body).toMatchObject({ name: 'price', versions: ['1', '2'], parameters: { version: '2' } })
  })

  it('reports model readiness, and 404 with {error} for an unknown model or version', async () => {
    expect(await call('GET', '/v2/models/price/ready')).toEqual({ status: 200, body: { name: 'price', ready: true } })
    expect(await call('GET', '/v2/models/price/versions/2/ready')).toEqual({ status: 200, body: { name: 'price', ready: true } })
    for (const path of ['/v2/models/nope', '/v2/models/nope/ready', '/v2/models/price/versions/9', '/v2/models/price/versions/9/ready']) {
      const res = await call('GET', path)
      expect(res.status, path).toBe(404)
      expect(typeof res.body.error, path).toBe('string')
    }
    expect((await call('GET', '/v2/models/price/versions/9')).body.error).toContain('version 9 of model "price" is not loaded (loaded: 1, 2)')
    const bad = await call('GET', '/v2/models/price/versions/latest')
    expect(bad.status).toBe(400)
    expect(bad.body.error).toContain('path.version: must be a non-negative integer; got "latest"')
  })

  it('infers FP64 and BYTES inputs, echoes the request id and parameters, flat or nested data alike', async () => {
    const body = {
      id: 'req-1',
      parameters: { source: 'test' },
      inputs: [fp64('height_cm', [[180], [150]]), { name: 'country', datatype: 'BYTES', shape: [2, 1], data: ['CH', 'DE'] }],
    }
    const res = await call('POST', '/v2/models/spam/infer', body)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ model_name: 'spam', model_version: '1', id: 'req-1', parameters: { source: 'test' } })
    const [out] = res.body.outputs
    expect(out).toMatchObject({ name: 'probabilities', datatype: 'FP64', shape: [2, 2] })
    const cases = fixtureManifest('binary').cases
    expect(out.data[1]).toBeCloseTo(cases[0]!.scores!.spam!, 12)
    expect(out.data[3]).toBeCloseTo(cases[1]!.scores!.spam!, 12)
    const flat = await call('POST', '/v2/models/spam/infer', { ...body, inputs: [fp64('height_cm', [180, 150], [2, 1]), body.inputs[1]] })
    expect(flat.body.outputs).toEqual(res.body.outputs)
  })

  it('accepts FP32 and INT64 data for a double input, and generates an id when none is sent', async () => {
    const res = await call('POST', '/v2/models/price/versions/1/infer', {
      inputs: [
        { name: 'x1', datatype: 'FP32', shape: [1, 1], data: [1.5] },
        { name: 'x2', datatype: 'INT64', shape: [1, 1], data: [2] },
      ],
    })
    expect(res.status).toBe(200)
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(res.body.outputs).toEqual([{ name: 'prediction', datatype: 'FP64', shape: [1, 1], data: [10] }])
  })

  it('returns only the requested outputs, and refuses an unknown output', async () => {
    const inputs = [fp64('a', [1]), fp64('b', [2])]
    const ok = await call('POST', '/v2/models/colour/infer', { inputs, outputs: [{ name: 'probabilities' }] })
    expect(ok.body.outputs.map((o: { name: string }) => o.name)).toEqual(['probabilities'])
    const bad = await call('POST', '/v2/models/colour/infer', { inputs, outputs: [{ name: 'label' }] })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toContain('outputs: "label" is not an output of model "colour" (outputs: probabilities)')
  })

  const badRequests: Array<{ name: string; body: unknown; says: string }> = [
    { name: 'data that does not fill the shape', body: { inputs: [fp64('x1', [1, 2], [3, 1]), fp64('x2', [1, 2, 3])] }, says: 'inputs[0] ("x1").data: shape [3, 1] holds 3 elements, got 2' },
    { name: 'an unknown datatype', body: { inputs: [{ name: 'x1', datatype: 'FP8', shape: [1, 1], data: [1] }, fp64('x2', [1])] }, says: 'inputs[0] ("x1").datatype: must be one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES, got "FP8"' },
    { name: 'a string in FP64 data', body: { inputs: [fp64('x1', ['one']), fp64('x2', [1])] }, says: 'inputs[0] ("x1").data[0]: FP64 elements must be finite numbers or null (missing), got "one"' },
    { name: 'a fraction in INT64 data', body: { inputs: [{ name: 'x1', datatype: 'INT64', shape: [1, 1], data: [1.5] }, fp64('x2', [1])] }, says: 'INT64 elements must be integers (or decimal strings), got 1.5' },
    { name: 'an unknown input', body: { inputs: [fp64('x1', [1]), fp64('x2', [1]), fp64('x3', [1])] }, says: 'inputs: "x3" is not an input of model "price" (inputs: x1, x2)' },
    { name: 'a missing input', body: { inputs: [fp64('x1', [1])] }, says: 'inputs: "x2" is required' },
    { name: 'BYTES for a number input', body: { inputs: [{ name: 'x1', datatype: 'BYTES', shape: [1, 1], data: ['1'] }, fp64('x2', [1])] }, says: 'inputs[0] ("x1").datatype: BYTES cannot feed this model\'s FP64 input' },
    { name: 'a wrong rank', body: { inputs: [fp64('x1', [1], [1]), fp64('x2', [1])] }, says: 'inputs.x1.shape: must have 2 dimensions [-1, 1], got [1]' },
    { name: 'different batch sizes', body: { inputs: [fp64('x1', [1, 2]), fp64('x2', [1])] }, says: 'inputs.x2.shape[0]: every input must have the same batch size (2), got 1' },
    { name: 'no inputs', body: { inputs: [] }, says: 'inputs: ' },
    { name: 'a model_name that is not the path\'s', body: { model_name: 'spam', inputs: [fp64('x1', [1]), fp64('x2', [1])] }, says: 'body.model_name: "spam" does not match the model of the path, "price"' },
    { name: 'a body that is not JSON', body: '{"inputs": [', says: 'JSON' },
  ]
  it.each(badRequests)('answers 400 with {error} for $name', async ({ body, says }) => {
    const res = await call('POST', '/v2/models/price/versions/1/infer', body)
    expect(res.status).toBe(400)
    expect(res.body.error).toContain(says)
  })

  it('answers 404 with {error} when inferring on an unknown model or version', async () => {
    const inputs = [fp64('x1', [1]), fp64('x2', [1])]
    expect((await call('POST', '/v2/models/nope/infer', { inputs })).status).toBe(404)
    const res = await call('POST', '/v2/models/price/versions/5/infer', { inputs })
    expect(res.status).toBe(404)
    expect(res.body.error).toContain('version 5 of model "price" is not loaded')
  })

  it('answers 500 with {error} naming the version when the graph fails at run time', async () => {
    const res = await call('POST', '/v2/models/broken/infer', { inputs: [fp64('x', [1])] })
    expect(res.status).toBe(500)
    expect(res.body.error).toMatch(/^version 7 of model "broken" failed to run: .*Reshape/)
  })
})

describe('POST /v1/models/{m}/predict', () => {
  it('returns class names with scores for a classifier and generates missing ids', async () => {
    const res = await call('POST', '/v1/models/spam/predict', { records: [{ id: 'p-1', features: { height_cm: 180, country: 'CH' } }, { features: { height_cm: 150, country: null } }] })
    expect(res.status).toBe(200)
    const [a, b] = res.body.predictions
    expect(a).toMatchObject({ id: 'p-1', version: 1, prediction: fixtureManifest('binary').cases[0]!.prediction })
    expect(a.scores.ham + a.scores.spam).toBeCloseTo(1, 12)
    expect(b.id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('returns contributions with explain: true when the version has an explainer, and 400 when it has none', async () => {
    const res = await call('POST', '/v1/models/price/predict', { records: [{ id: 'e', features: { x1: 1, x2: 2 } }], explain: true })
    expect(res.body).toEqual({ predictions: [{ id: 'e', version: 1, prediction: 9, contributions: { x1: 2, x2: 6 } }] })
    const none = await call('POST', '/v1/models/colour/predict', { records: [{ features: { a: 1, b: 2 } }], explain: true })
    expect(none.status).toBe(400)
    expect(none.body.error).toContain('explain: version 1 of model "colour" has no explainer')
  })

  it.each([
    { name: 'no records', body: { records: [] }, says: 'records: ' },
    { name: 'features that are not an object', body: { records: [{ features: 3 }] }, says: 'records.0.features: must be an object of feature values' },
    { name: 'a feature of the wrong type', body: { records: [{ features: { x1: 'one' } }] }, says: 'records[0].features.x1: must be a finite number or null, got "one"' },
    { name: 'an unknown feature', body: { records: [{ features: { x9: 1 } }] }, says: 'records[0].features.x9: is not an input of this model (inputs: x1, x2)' },
    { name: 'an unknown field', body: { records: [{ features: {} }], explian: true }, says: 'unknown field(s) explian' },
  ])('answers 400 naming the field for $name', async ({ body, says }) => {
    const res = await call('POST', '/v1/models/price/predict', body)
    expect(res.status).toBe(400)
    expect(res.body.error).toContain(says)
  })
})

describe('prediction logging', () => {
  it('stores every served prediction in ClickHouse through the co-located collector, failures included', async () => {
    const ok = await call('POST', '/v1/models/price/predict', { records: [{ id: 'log-ok', features: { x1: 1, x2: 1 } }] })
    expect(ok.status).toBe(200)
    await call('POST', '/v1/models/price/predict', { records: [{ id: 'log-invalid', features: { x1: 'bad' } }] })
    await call('POST', '/v2/models/broken/infer', { id: 'log-error', inputs: [fp64('x', [1])] })
    const rows = await waitFor('the ok prediction to be stored', async () => {
      const result = await service.store.client.query({ query: "SELECT id, version, status, prediction, latency_ms FROM highway.predictions WHERE id = 'log-ok'", format: 'JSONEachRow' })
      const r = (await result.json()) as Array<{ id: string; version: string; status: string; prediction: number; latency_ms: number }>
      return r.length > 0 ? r : undefined
    })
    expect(rows).toEqual([expect.objectContaining({ id: 'log-ok', version: '1', status: 'ok', prediction: 6 })])
    expect(rows[0]!.latency_ms).toBeGreaterThan(0)
    // A failed run has no prediction: the collector stores it with its status and a null prediction.
    const failed = await waitFor('the log-error record to be stored', async () => {
      const stored = await service.store.client.query({ query: "SELECT status, prediction FROM highway.predictions WHERE id = 'log-error'", format: 'JSONEachRow' })
      const s = (await stored.json()) as Array<{ status: string; prediction: number | null }>
      return s.length > 0 ? s : undefined
    })
    expect(failed).toEqual([{ status: 'error', prediction: null }])
    // An invalid request breaks the model's schema too: kept in quarantine with its status and the reason.
    const invalid = await waitFor('the log-invalid record to be quarantined', async () => {
      const q = await service.store.client.query({ query: "SELECT raw, reasons FROM highway.quarantine WHERE record_id = 'log-invalid'", format: 'JSONEachRow' })
      const r = (await q.json()) as Array<{ raw: string; reasons: string[] }>
      return r.length > 0 ? r : undefined
    })
    expect(JSON.parse(invalid[0]!.raw)).toMatchObject({ status: 'invalid', prediction: null })
    expect(invalid[0]!.reasons.join(' ')).toContain('features.x1')
  })

  it('exposes request, latency, in-flight and batch-size metrics on /metrics', async () => {
    const text = await (await fetch(`${url}/metrics`)).text()
    expect(text).toMatch(/highway_serving_requests_total\{model="price",version="1",status="ok"\} \d+/)
    expect(text).toMatch(/highway_serving_requests_total\{model="broken",version="7",status="error"\} \d+/)
    expect(text).toMatch(/highway_serving_requests_total\{model="price",version="1",status="invalid"\} \d+/)
    expect(text).toContain('highway_serving_request_duration_seconds_bucket{le="0.005",model="price",version="1",status="ok"}')
    expect(text).toContain('highway_serving_inflight_requests{model="price"} 0')
    expect(text).toMatch(/highway_serving_batch_rows_bucket\{le="1",model="spam"\} \d+/)
    expect(text).toContain('highway_serving_loaded_versions{model="price"} 2')
  })

  it('logs through the SDK when the collector is remote', async () => {
    const client = createHighwayClient({ url, flushIntervalMs: 10 })
    const log = createSdkPredictionLog(client)
    log.log('price', [{ id: 'sdk-1', ts: Date.now(), version: '2', features: { x1: 1, x2: 2 }, prediction: 9, latency_ms: 1.5, status: 'ok' }])
    await log.flush()
    expect(client.stats().accepted).toBe(1)
    await log.close()
    await waitFor('the SDK-logged prediction to be stored', async () => {
      const r = await service.store.client.query({ query: "SELECT version FROM highway.predictions WHERE id = 'sdk-1'", format: 'JSONEachRow' })
      return ((await r.json()) as unknown[]).length === 1
    })
  })

  it('never answered a request with an unexpected 500', () => {
    expect(logs.filter((l) => l.message === 'unhandled error')).toEqual([])
  })
})
