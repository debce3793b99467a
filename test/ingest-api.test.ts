import { request as httpRequest } from 'node:http'
import { deflateSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BOOKING_MODEL, postJson, startTestService } from './support/service.ts'

type Service = Awaited<ReturnType<typeof startTestService>>

const MAX_BODY_BYTES = 64 * 1024
const MAX_RECORDS = 50
const RETENTION_DAYS = 30
const HOUR_MS = 3600 * 1000
const DAY_MS = 24 * HOUR_MS

const INTENT_MODEL = {
  name: 'intent',
  task: 'multiclass_classification',
  features: { words: { type: 'number', integer: true, min: 0 }, lang: { type: 'category', values: ['en', 'de'] }, vip: { type: 'boolean', required: false } },
}
const DEMAND_MODEL = { name: 'demand', task: 'regression', features: { temp_c: { type: 'number', min: -50, max: 60 }, weekend: { type: 'boolean' } } }
/** Used by one describe block only, so its counts and metrics are exact. */
const COUNTED_MODEL = { name: 'counted', task: 'binary_classification', features: { score: { type: 'number', min: 0, max: 1 } } }
const IDLE_MODEL = { name: 'idle', task: 'regression', features: { x: { type: 'number' } } }

let service: Service

beforeAll(async () => {
  service = await startTestService({
    models: [BOOKING_MODEL, INTENT_MODEL, DEMAND_MODEL, COUNTED_MODEL, IDLE_MODEL],
    ingest: { maxBodyBytes: MAX_BODY_BYTES, maxRecordsPerRequest: MAX_RECORDS },
    storage: { retentionDays: RETENTION_DAYS },
  })
})
afterAll(async () => {
  await service?.stop()
})

const url = (path: string): string => `${service.url}${path}`
const booking = (id: string, over: Record<string, unknown> = {}, features: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  features: { height_cm: 172.5, note: 'hello', ...features },
  prediction: 0.5,
  ...over,
})

/** POSTs raw bytes with the given headers; returns status and the parsed JSON answer. */
async function postRaw(path: string, body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(url(path), { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text.startsWith('{') ? JSON.parse(text) : text }
}

/** POSTs a body in chunks without Content-Length, so only the streaming limit can stop it. */
function postChunked(path: string, chunks: readonly Buffer[]): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url(path), { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
    })
    // The server may answer 413 and stop reading before every chunk is written.
    req.on('error', reject)
    const write = (i: number): void => {
      if (i === chunks.length) {
        req.end()
        return
      }
      if (req.write(chunks[i]!)) write(i + 1)
      else req.once('drain', () => write(i + 1))
    }
    write(0)
  })
}

interface QuarantineRow {
  record_id: string
  kind: string
  raw: string
  reasons: string[]
  fields: string[]
  rules: string[]
}

const quarantined = (model: string, ids: readonly string[]): Promise<QuarantineRow[]> =>
  service.store.queryRows<QuarantineRow>(
    'SELECT record_id, kind, raw, reasons, fields, rules FROM highway.quarantine WHERE model = {model:String} AND record_id IN {ids:Array(String)} ORDER BY record_id',
    { model, ids },
  )

const storedIds = async (model: string, ids: readonly string[]): Promise<string[]> =>
  (await service.store.queryRows<{ id: string }>('SELECT id FROM highway.predictions WHERE model = {model:String} AND id IN {ids:Array(String)} ORDER BY id', { model, ids })).map((r) => r.id)

/** Parses Prometheus text into samples. */
function parseMetrics(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = []
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!m) continue
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!
    samples.push({ name: m[1]!, labels, value: Number(m[3]) })
  }
  return samples
}

describe('round trip', () => {
  it('stores records in as rows out, with every column and type preserved', async () => {
    const before = Date.now()
    const ts = Date.now() - 2 * HOUR_MS
    const records = [
      {
        id: 'rt-1',
        ts: new Date(ts).toISOString(),
        version: 'v3',
        features: { height_cm: 172.5, country: 'CH', note: 'it\'s "quoted" ünïcode ✓' },
        prediction: 0.93,
        latency_ms: 4.2,
        status: 'ok',
      },
      { id: 'rt-2', ts: ts + 1, features: { height_cm: 30, note: '' }, prediction: true, status: 'error' },
      { id: 'rt-3', features: { height_cm: 300, country: null, note: 'n' }, prediction: 'spam', latency_ms: 0 },
      { id: 'rt-4', ts: ts + 2, version: 'v4', features: { height_cm: 99.125, note: 'x' }, prediction: { spam: 0.25, ham: 0.75 } },
    ]
    const res = await postJson(url('/v1/predictions'), { model: 'booking-spam', records })
    const after = Date.now()
    expect(res.status).toBe(202)
    expect(res.body).toEqual({ accepted: 4, rejected: [] })

    const rows = await service.store.queryRows<Record<string, unknown>>(
      `SELECT id, version, toUnixTimestamp64Milli(ts) AS ts, toUnixTimestamp64Milli(received_at) AS received_at, num_features, str_features, text_features,
              prediction, prediction_class, prediction_scores, latency_ms, status
       FROM highway.predictions WHERE model = 'booking-spam' AND startsWith(id, 'rt-') ORDER BY id`,
    )
    expect(rows).toHaveLength(4)
    const receivedAt = rows[0]!.received_at as number
    expect(receivedAt).toBeGreaterThanOrEqual(before)
    expect(receivedAt).toBeLessThanOrEqual(after)
    expect(rows).toEqual([
      {
        id: 'rt-1',
        version: 'v3',
        ts,
        received_at: receivedAt,
        num_features: { height_cm: 172.5 },
        str_features: { country: 'CH' },
        text_features: { note: 'it\'s "quoted" ünïcode ✓' },
        prediction: 0.93,
        prediction_class: '',
        prediction_scores: {},
        latency_ms: 4.2,
        status: 'ok',
      },
      { id: 'rt-2', version: '', ts: ts + 1, received_at: receivedAt, num_features: { height_cm: 30 }, str_features: {}, text_features: { note: '' }, prediction: 1, prediction_class: '', prediction_scores: {}, latency_ms: null, status: 'error' },
      // No ts: the time of receipt.
      { id: 'rt-3', version: '', ts: receivedAt, received_at: receivedAt, num_features: { height_cm: 300 }, str_features: {}, text_features: { note: 'n' }, prediction: null, prediction_class: 'spam', prediction_scores: {}, latency_ms: 0, status: 'ok' },
      {
        id: 'rt-4',
        version: 'v4',
        ts: ts + 2,
        received_at: receivedAt,
        num_features: { height_cm: 99.125 },
        str_features: {},
        text_features: { note: 'x' },
        prediction: null,
        prediction_class: 'ham',
        prediction_scores: { spam: 0.25, ham: 0.75 },
        latency_ms: null,
        status: 'ok',
      },
    ])
  })

  it('keeps multiclass and regression predictions, numeric ids and boolean features', async () => {
    const ts = Date.now() - HOUR_MS
    const intent = await postJson(url('/v1/predictions'), {
      model: 'intent',
      records: [
        { id: 101, ts, features: { words: 12, lang: 'de', vip: false }, prediction: 2 },
        { id: 'rt-i-2', ts, features: { words: 0, lang: 'en', vip: true }, prediction: { greeting: 0.1, question: 0.9 } },
      ],
    })
    const demand = await postJson(url('/v1/predictions'), { model: 'demand', records: [{ id: 'rt-d-1', ts, features: { temp_c: -12.75, weekend: true }, prediction: 412.5, latency_ms: 12 }] })
    expect([intent.status, intent.body, demand.status, demand.body]).toEqual([202, { accepted: 2, rejected: [] }, 202, { accepted: 1, rejected: [] }])
    const rows = await service.store.queryRows<Record<string, unknown>>(
      `SELECT model, id, toUnixTimestamp64Milli(ts) AS ts, num_features, str_features, prediction, prediction_class, prediction_scores, latency_ms
       FROM highway.predictions WHERE model IN ('intent', 'demand') ORDER BY model, id`,
    )
    expect(rows).toEqual([
      { model: 'demand', id: 'rt-d-1', ts, num_features: { temp_c: -12.75, weekend: 1 }, str_features: {}, prediction: 412.5, prediction_class: '', prediction_scores: {}, latency_ms: 12 },
      { model: 'intent', id: '101', ts, num_features: { words: 12, vip: 0 }, str_features: { lang: 'de' }, prediction: 2, prediction_class: '2', prediction_scores: {}, latency_ms: null },
      { model: 'intent', id: 'rt-i-2', ts, num_features: { words: 0, vip: 1 }, str_features: { lang: 'en' }, prediction: null, prediction_class: 'question', prediction_scores: { greeting: 0.1, question: 0.9 }, latency_ms: null },
    ])
  })

  it('joins labels to their predictions by id, and a resent label replaces the old one', async () => {
    const predictionTs = Date.now() - 3 * HOUR_MS
    const preds = await postJson(url('/v1/predictions'), {
      model: 'booking-spam',
      records: ['lb-1', 'lb-2', 'lb-3'].map((id, i) => booking(id, { ts: predictionTs + i, prediction: 0.1 * (i + 1) })),
    })
    expect(preds.body).toEqual({ accepted: 3, rejected: [] })
    const labelTs = Date.now() - HOUR_MS
    const first = await postJson(url('/v1/labels'), {
      model: 'booking-spam',
      records: [
        { id: 'lb-1', label: 1, ts: new Date(labelTs).toISOString() },
        { id: 'lb-2', label: false },
        { id: 'lb-3', label: 'spam', ts: labelTs },
      ],
    })
    expect(first).toMatchObject({ status: 202, body: { accepted: 3, rejected: [] } })
    // received_at decides which label wins; make sure the resend is received in a later millisecond.
    await new Promise((r) => setTimeout(r, 5))
    const resent = await postJson(url('/v1/labels'), { model: 'booking-spam', records: [{ id: 'lb-1', label: 0, ts: labelTs + 1 }] })
    expect(resent).toMatchObject({ status: 202, body: { accepted: 1, rejected: [] } })

    const joined = await service.store.queryRows<Record<string, unknown>>(
      `SELECT p.id AS id, p.prediction AS prediction, l.label AS label, l.label_class AS label_class, l.ts AS label_ts
       FROM (SELECT id, prediction FROM highway.predictions WHERE model = 'booking-spam' AND startsWith(id, 'lb-')) AS p
       LEFT JOIN (
         SELECT id, argMax(label, received_at) AS label, argMax(label_class, received_at) AS label_class, toUnixTimestamp64Milli(argMax(ts, received_at)) AS ts
         FROM highway.labels WHERE model = 'booking-spam' GROUP BY id
       ) AS l ON p.id = l.id
       ORDER BY id`,
    )
    expect(joined).toEqual([
      { id: 'lb-1', prediction: 0.1, label: 0, label_class: '', label_ts: labelTs + 1 },
      { id: 'lb-2', prediction: 0.2, label: 0, label_class: '', label_ts: expect.any(Number) },
      { id: 'lb-3', prediction: expect.closeTo(0.3, 10), label: null, label_class: 'spam', label_ts: labelTs },
    ])
    const [raw] = await service.store.queryRows<{ n: number }>("SELECT count() AS n FROM highway.labels WHERE model = 'booking-spam' AND id = 'lb-1'")
    // Both rows are kept until a merge; readers take the newest with argMax.
    expect(raw?.n).toBeGreaterThanOrEqual(1)
  })
})

describe('mixed batch', () => {
  it('stores the valid records, quarantines the rest with reasons and reports their indexes', async () => {
    const records = [
      booking('mx-0'),
      booking('mx-1', {}, { height_cm: 3000 }),
      booking('mx-2', {}, { height_cm: 'tall' }),
      booking('mx-3', { version: 'v2' }),
      { id: 'mx-4', features: { note: 'no height', weight_kg: 80 }, prediction: 0.5, colour: 'red' },
      booking('mx-5', {}, { country: 'US' }),
      booking('mx-6'),
    ]
    const res = await postJson(url('/v1/predictions'), { model: 'booking-spam', records })
    expect(res.status).toBe(202)
    expect(res.body.accepted).toBe(3)
    expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 4, 5])
    expect(res.body.rejected).toEqual([
      { index: 1, errors: ['features.height_cm: must be a number from 30 to 300, got 3000'] },
      { index: 2, errors: ['features.height_cm: must be a number from 30 to 300, got "tall"'] },
      { index: 4, errors: expect.arrayContaining(['features.height_cm: is required', "features.weight_kg: is not in the model's schema", 'colour: is not a known field']) },
      { index: 5, errors: ['features.country: must be one of CH, DE, FR, got "US"'] },
    ])
    expect(res.body.rejected[2].errors).toHaveLength(3)

    expect(await storedIds('booking-spam', records.map((r) => r.id as string))).toEqual(['mx-0', 'mx-3', 'mx-6'])
    const rows = await quarantined('booking-spam', records.map((r) => r.id as string))
    expect(rows.map((r) => r.record_id)).toEqual(['mx-1', 'mx-2', 'mx-4', 'mx-5'])
    for (const row of rows) {
      const index = Number(row.record_id.slice(3))
      expect(row.kind).toBe('prediction')
      expect(JSON.parse(row.raw)).toEqual(records[index])
    }
    expect(rows.map((r) => [r.fields, r.rules])).toEqual([
      [['features.height_cm'], ['range']],
      [['features.height_cm'], ['type']],
      [
        expect.arrayContaining(['features.height_cm', 'features.weight_kg', 'colour']),
        expect.arrayContaining(['required', 'unknown_feature', 'unknown_field']),
      ],
      [['features.country'], ['category']],
    ])
    expect(rows[0]!.reasons).toEqual(['features.height_cm: must be a number from 30 to 300, got 3000'])
    expect(rows[1]!.reasons).toEqual(['features.height_cm: must be a number from 30 to 300, got "tall"'])
  })

  it('quarantines invalid labels with their reasons', async () => {
    const res = await postJson(url('/v1/labels'), { model: 'booking-spam', records: [{ id: 'ml-0', label: 1 }, { id: 'ml-1', label: 7 }, { id: 'ml-2' }] })
    expect(res.body).toEqual({
      accepted: 1,
      rejected: [
        { index: 1, errors: ['label: must be 0, 1, true, false, or a class name, got 7'] },
        { index: 2, errors: ['label: is required'] },
      ],
    })
    const rows = await quarantined('booking-spam', ['ml-1', 'ml-2'])
    expect(rows).toEqual([
      { record_id: 'ml-1', kind: 'label', raw: '{"id":"ml-1","label":7}', reasons: ['label: must be 0, 1, true, false, or a class name, got 7'], fields: ['label'], rules: ['type'] },
      { record_id: 'ml-2', kind: 'label', raw: '{"id":"ml-2"}', reasons: ['label: is required'], fields: ['label'], rules: ['required'] },
    ])
  })

  it('quarantines a batch in which every record is invalid, and answers 202', async () => {
    const res = await postJson(url('/v1/predictions'), { model: 'booking-spam', records: [null, 42, 'x'] })
    expect(res.status).toBe(202)
    expect(res.body.accepted).toBe(0)
    expect(res.body.rejected.map((r: { index: number; errors: string[] }) => [r.index, r.errors[0]?.startsWith('(record): ')])).toEqual([
      [0, true],
      [1, true],
      [2, true],
    ])
  })

  it('answers 202 with nothing to do for an empty records array', async () => {
    expect(await postJson(url('/v1/predictions'), { model: 'booking-spam', records: [] })).toMatchObject({ status: 202, body: { accepted: 0, rejected: [] } })
  })
})

describe('timestamps', () => {
  it('quarantines records older than the retention or more than 24 hours ahead, with a ts reason', async () => {
    const now = Date.now()
    const tooOld = now - (RETENTION_DAYS + 1) * DAY_MS
    const tooNew = now + 25 * HOUR_MS
    const res = await postJson(url('/v1/predictions'), {
      model: 'booking-spam',
      records: [
        booking('ts-0', { ts: tooOld }),
        booking('ts-1', { ts: new Date(tooNew).toISOString() }),
        booking('ts-2', { ts: now - (RETENTION_DAYS - 1) * DAY_MS }),
        booking('ts-3', { ts: now + 23 * HOUR_MS }),
        booking('ts-4', { ts: 'last tuesday' }),
      ],
    })
    expect(res.body).toEqual({
      accepted: 2,
      rejected: [
        { index: 0, errors: [`ts: must be within the retention of ${RETENTION_DAYS} days, got ${tooOld}`] },
        { index: 1, errors: [`ts: must not be more than 24 hours in the future, got "${new Date(tooNew).toISOString()}"`] },
        { index: 4, errors: ['ts: must be an ISO-8601 time or epoch milliseconds, got "last tuesday"'] },
      ],
    })
    expect(await storedIds('booking-spam', ['ts-0', 'ts-1', 'ts-2', 'ts-3', 'ts-4'])).toEqual(['ts-2', 'ts-3'])
    const rows = await quarantined('booking-spam', ['ts-0', 'ts-1', 'ts-4'])
    expect(rows.map((r) => [r.record_id, r.fields, r.rules])).toEqual([
      ['ts-0', ['ts'], ['time']],
      ['ts-1', ['ts'], ['time']],
      ['ts-4', ['ts'], ['time']],
    ])
  })

  it('quarantines a label older than the retention', async () => {
    const res = await postJson(url('/v1/labels'), { model: 'booking-spam', records: [{ id: 'ts-l', label: 1, ts: Date.now() - 365 * DAY_MS }] })
    expect(res.body.rejected).toEqual([{ index: 0, errors: [expect.stringMatching(/^ts: must be within the retention of 30 days, got \d+$/)] }])
  })
})

describe('NDJSON and gzip bodies', () => {
  it('stores NDJSON lines and quarantines a malformed line with a parse reason', async () => {
    const malformed = '{"id": "nd-1", "features": {"height_cm": 170'
    const body = [JSON.stringify(booking('nd-0')), malformed, JSON.stringify(booking('nd-2')), ''].join('\n')
    const res = await postRaw('/v1/predictions?model=booking-spam', body, { 'content-type': 'application/x-ndjson' })
    expect(res.status).toBe(202)
    expect(res.body.accepted).toBe(2)
    expect(res.body.rejected).toEqual([{ index: 1, errors: [expect.stringMatching(/^\(record\): line is not valid JSON \(.+\)$/)] }])
    expect(await storedIds('booking-spam', ['nd-0', 'nd-1', 'nd-2'])).toEqual(['nd-0', 'nd-2'])
    const [row] = await service.store.queryRows<QuarantineRow>(
      "SELECT record_id, kind, raw, reasons, fields, rules FROM highway.quarantine WHERE model = 'booking-spam' AND position(raw, 'nd-1') > 0",
    )
    expect(row).toMatchObject({ record_id: '', kind: 'prediction', fields: ['(record)'], rules: ['parse'] })
    expect(JSON.parse(row!.raw)).toBe(malformed)
    expect(row!.reasons).toEqual(res.body.rejected[0].errors)
  })

  it('accepts NDJSON labels with CRLF line ends', async () => {
    const body = [{ id: 'nd-0', label: 1 }, { id: 'nd-2', label: 0 }].map((r) => JSON.stringify(r)).join('\r\n')
    const res = await postRaw('/v1/labels?model=booking-spam', body, { 'content-type': 'application/x-ndjson; charset=utf-8' })
    expect(res).toMatchObject({ status: 202, body: { accepted: 2, rejected: [] } })
  })

  it('refuses an NDJSON body without ?model=', async () => {
    const res = await postRaw('/v1/predictions', JSON.stringify(booking('nd-x')), { 'content-type': 'application/x-ndjson' })
    expect(res.status).toBe(400)
    expect(res.body.error).toContain('model')
    expect(res.body.error).toContain('?model=')
  })

  it('stores a gzip-encoded JSON body', async () => {
    const body = gzipSync(JSON.stringify({ model: 'booking-spam', records: [booking('gz-0'), booking('gz-1', {}, { height_cm: 1 })] }))
    const res = await postRaw('/v1/predictions', body, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
    expect(res.status).toBe(202)
    expect(res.body).toEqual({ accepted: 1, rejected: [{ index: 1, errors: ['features.height_cm: must be a number from 30 to 300, got 1'] }] })
    expect(await storedIds('booking-spam', ['gz-0', 'gz-1'])).toEqual(['gz-0'])
  })

  it('stores a deflate-encoded JSON body', async () => {
    const body = deflateSync(JSON.stringify({ model: 'booking-spam', records: [booking('df-0')] }))
    const res = await postRaw('/v1/predictions', body, { 'content-type': 'application/json', 'content-encoding': 'deflate' })
    expect(res).toMatchObject({ status: 202, body: { accepted: 1, rejected: [] } })
    expect(await storedIds('booking-spam', ['df-0'])).toEqual(['df-0'])
  })

  it('stores a gzip-encoded NDJSON body', async () => {
    const body = gzipSync([booking('gz-2'), booking('gz-3')].map((r) => JSON.stringify(r)).join('\n'))
    const res = await postRaw('/v1/predictions?model=booking-spam', body, { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' })
    expect(res).toMatchObject({ status: 202, body: { accepted: 2, rejected: [] } })
    expect(await storedIds('booking-spam', ['gz-2', 'gz-3'])).toEqual(['gz-2', 'gz-3'])
  })

  it('refuses a body that claims gzip but is not', async () => {
    const res = await postRaw('/v1/predictions', JSON.stringify({ model: 'booking-spam', records: [] }), { 'content-type': 'application/json', 'content-encoding': 'gzip' })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ code: 'bad_request', error: expect.stringContaining('gzip') })
  })
})

describe('envelope errors', () => {
  it.each([
    { name: 'a body that is not JSON', body: '{"model": "booking-spam", "records": [', says: 'body is not valid JSON' },
    { name: 'a JSON body that is not an object', body: '[1, 2]', says: 'body' },
    { name: 'a missing model', body: JSON.stringify({ records: [] }), says: 'model: must be a model name (string)' },
    { name: 'a model that is a number', body: JSON.stringify({ model: 7, records: [] }), says: 'model: must be a model name (string)' },
    { name: 'an empty model', body: JSON.stringify({ model: '', records: [] }), says: 'model: must not be empty' },
    { name: 'records that are not an array', body: JSON.stringify({ model: 'booking-spam', records: { id: 1 } }), says: 'records: must be an array of records' },
    { name: 'missing records', body: JSON.stringify({ model: 'booking-spam' }), says: 'records: must be an array of records' },
    { name: 'an unknown envelope field', body: JSON.stringify({ model: 'booking-spam', records: [], token: 'x' }), says: 'unknown field(s) token; expected {model, records}' },
  ])('answers 400 for $name', async ({ body, says }) => {
    for (const path of ['/v1/predictions', '/v1/labels']) {
      const res = await postRaw(path, body, { 'content-type': 'application/json' })
      expect(res.status, path).toBe(400)
      expect(res.body).toEqual({ code: 'bad_request', error: expect.stringContaining(says) })
    }
  })

  it('answers 404 naming an unknown model without listing the configured ones', async () => {
    for (const path of ['/v1/predictions', '/v1/labels']) {
      const res = await postJson(url(path), { model: 'no-such-model', records: [booking('x')] })
      expect(res.status).toBe(404)
      expect(res.body).toEqual({ code: 'not_found', error: 'model "no-such-model" is not configured' })
    }
    const ndjson = await postRaw('/v1/predictions?model=nope', JSON.stringify(booking('x')), { 'content-type': 'application/x-ndjson' })
    expect(ndjson.status).toBe(404)
    expect(ndjson.body.error).toContain('model "nope" is not configured')
  })

  it('answers 404 for an unknown route', async () => {
    const res = await fetch(url('/v1/nothing'))
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ code: 'not_found', error: 'no route for GET /v1/nothing' })
  })

  it.each<{ name: string; headers: Record<string, string>; says: string }>([
    { name: 'XML', headers: { 'content-type': 'application/xml' }, says: 'Content-Type must be application/json or application/x-ndjson, got "application/xml"' },
    { name: 'a form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, says: 'Content-Type must be application/json or application/x-ndjson, got "application/x-www-form-urlencoded"' },
    { name: 'brotli', headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, says: 'Content-Encoding must be gzip, deflate or identity, got "br"' },
  ])('answers 415 for $name', async ({ headers, says }) => {
    const res = await postRaw('/v1/predictions', JSON.stringify({ model: 'booking-spam', records: [] }), headers)
    expect(res.status).toBe(415)
    expect(res.body).toEqual({ code: 'unsupported_media_type', error: says })
  })
})

describe('limits', () => {
  const bigNote = 'n'.repeat(2000)
  const bigBody = (): string => JSON.stringify({ model: 'booking-spam', records: Array.from({ length: 40 }, (_, i) => booking(`big-${i}`, {}, { note: bigNote })) })

  it('answers 413 for a body over ingest.maxBodyBytes, and stores nothing of it', async () => {
    const body = bigBody()
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_BODY_BYTES)
    const res = await postRaw('/v1/predictions', body, { 'content-type': 'application/json' })
    expect(res.status).toBe(413)
    expect(res.body).toEqual({ code: 'payload_too_large', error: `body of ${Buffer.byteLength(body)} bytes is over the limit of ${MAX_BODY_BYTES} bytes` })
    expect(await storedIds('booking-spam', ['big-0', 'big-39'])).toEqual([])
  })

  it('answers 413 for a streamed body without Content-Length once it passes the limit', async () => {
    const body = Buffer.from(bigBody())
    const chunks = Array.from({ length: Math.ceil(body.length / 8192) }, (_, i) => body.subarray(i * 8192, (i + 1) * 8192))
    const res = await postChunked('/v1/predictions', chunks)
    expect(res.status).toBe(413)
    expect(res.body).toEqual({ code: 'payload_too_large', error: `body is over the limit of ${MAX_BODY_BYTES} bytes` })
  })

  it('answers 413 for a gzip bomb that decompresses past the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * MAX_BODY_BYTES, ' '))
    expect(bomb.length).toBeLessThan(MAX_BODY_BYTES)
    const res = await postRaw('/v1/predictions', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
    expect(res.status).toBe(413)
    expect(res.body).toEqual({ code: 'payload_too_large', error: `decompressed body is over the limit of ${MAX_BODY_BYTES} bytes` })
  })

  it('answers 413 for more records than ingest.maxRecordsPerRequest, and takes exactly the limit', async () => {
    const records = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => booking(`${prefix}-${i}`))
    const over = await postJson(url('/v1/predictions'), { model: 'booking-spam', records: records(MAX_RECORDS + 1, 'over') })
    expect(over.status).toBe(413)
    expect(over.body).toEqual({ code: 'payload_too_large', error: `records: at most ${MAX_RECORDS} per request, got ${MAX_RECORDS + 1}` })
    const ndjson = await postRaw('/v1/labels?model=booking-spam', Array.from({ length: MAX_RECORDS + 1 }, (_, i) => JSON.stringify({ id: `over-${i}`, label: 1 })).join('\n'), {
      'content-type': 'application/x-ndjson',
    })
    expect(ndjson.status).toBe(413)
    expect(ndjson.body.error).toContain(`records: at most ${MAX_RECORDS} per request`)
    expect(await storedIds('booking-spam', ['over-0'])).toEqual([])

    const exact = await postJson(url('/v1/predictions'), { model: 'booking-spam', records: records(MAX_RECORDS, 'exact') })
    expect(exact).toMatchObject({ status: 202, body: { accepted: MAX_RECORDS, rejected: [] } })
  })
})

describe('after ingest into one model', () => {
  const lastTs = Date.now() - 10 * 60 * 1000

  beforeAll(async () => {
    const preds = await postJson(url('/v1/predictions'), {
      model: 'counted',
      records: [
        { id: 'c-0', ts: lastTs - 2000, features: { score: 0.1 }, prediction: 0.2 },
        { id: 'c-1', ts: lastTs, features: { score: 0.5 }, prediction: 0.9 },
        { id: 'c-2', ts: lastTs - 1000, features: { score: 0.7 }, prediction: 0.4 },
        { id: 'c-3', features: { score: 7 }, prediction: 0.4 },
        { id: 'c-4', features: { score: 'high' }, prediction: 0.4 },
      ],
    })
    expect(preds.body.accepted).toBe(3)
    // One record breaking two rules, and one NDJSON line that is not JSON.
    const twice = await postJson(url('/v1/predictions'), { model: 'counted', records: [{ id: 'c-5', features: { score: 2 }, prediction: 0.1, extra: 1 }] })
    expect(twice.body.rejected[0].errors).toHaveLength(2)
    const ndjson = await postRaw('/v1/predictions?model=counted', '{"id": "c-6", ', { 'content-type': 'application/x-ndjson' })
    expect(ndjson.body).toMatchObject({ accepted: 0, rejected: [{ index: 0 }] })
    const labels = await postJson(url('/v1/labels'), { model: 'counted', records: [{ id: 'c-0', label: 0 }, { id: 'c-1', label: 1 }, { id: 'c-2', label: 3 }] })
    expect(labels.body.accepted).toBe(2)
    await new Promise((r) => setTimeout(r, 5))
    // A resent label for the same prediction does not count twice.
    expect((await postJson(url('/v1/labels'), { model: 'counted', records: [{ id: 'c-1', label: 0 }] })).body.accepted).toBe(1)
    expect((await postJson(url('/v1/predictions'), { model: 'counted', records: '[]' })).status).toBe(400)
    const tooMany = Array.from({ length: MAX_RECORDS + 1 }, (_, i) => ({ id: `c-many-${i}`, features: { score: 0.5 }, prediction: 0.5 }))
    expect((await postJson(url('/v1/predictions'), { model: 'counted', records: tooMany })).status).toBe(413)
    // GET /v1/models reads ClickHouse, which a 202 precedes (acknowledge: logged).
    expect(await service.collector.writer.stored()).toBe(true)
  })

  const summary = {
    name: 'counted',
    task: 'binary_classification',
    predictions: 3,
    labels: 2,
    quarantined: 5,
    last_prediction_at: new Date(lastTs).toISOString(),
  }

  it('lists every model with its counts in GET /v1/models', async () => {
    const res = await fetch(url('/v1/models'))
    expect(res.status).toBe(200)
    const body = (await res.json()) as { models: Array<Record<string, unknown>> }
    expect(body.models.map((m) => m.name)).toEqual(['booking-spam', 'intent', 'demand', 'counted', 'idle'])
    expect(body.models.find((m) => m.name === 'counted')).toEqual(summary)
    expect(body.models.find((m) => m.name === 'idle')).toEqual({ name: 'idle', task: 'regression', predictions: 0, labels: 0, quarantined: 0, last_prediction_at: null })
    for (const m of body.models) expect(Object.keys(m).sort()).toEqual(['labels', 'last_prediction_at', 'name', 'predictions', 'quarantined', 'task'])
  })

  it('answers one model in GET /v1/models/{name}, and 404 for an unknown one', async () => {
    const res = await fetch(url('/v1/models/counted'))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual(summary)
    const missing = await fetch(url('/v1/models/ghost'))
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ code: 'not_found', error: expect.stringContaining('model "ghost" is not configured') })
  })

  it('exports the metric families with the right labels in GET /metrics', async () => {
    expect((await fetch(url('/v1/models/counted'))).status).toBe(200)
    expect((await fetch(url('/v1/models/ghost'))).status).toBe(404)
    expect((await fetch(url('/nowhere'))).status).toBe(404)
    const res = await fetch(url('/metrics'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    const samples = parseMetrics(text)
    const value = (name: string, labels: Record<string, string> = {}): number | undefined =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v) && Object.keys(s.labels).length === Object.keys(labels).length)?.value

    expect(value('highway_records_accepted_total', { model: 'counted', kind: 'prediction' })).toBe(3)
    expect(value('highway_records_accepted_total', { model: 'counted', kind: 'label' })).toBe(3)
    expect(value('highway_records_rejected_total', { model: 'counted', kind: 'prediction', reason: 'range' })).toBe(2)
    expect(value('highway_records_rejected_total', { model: 'counted', kind: 'prediction', reason: 'unknown_field' })).toBe(1)
    expect(value('highway_records_rejected_total', { model: 'counted', kind: 'prediction', reason: 'type' })).toBe(1)
    expect(value('highway_records_rejected_total', { model: 'counted', kind: 'prediction', reason: 'parse' })).toBe(1)
    expect(value('highway_records_rejected_total', { model: 'counted', kind: 'label', reason: 'type' })).toBe(1)
    expect(value('highway_records_rejected_total', { model: 'counted', kind: 'label', reason: 'range' })).toBeUndefined()

    const requests = samples.filter((s) => s.name === 'highway_http_request_duration_seconds_count')
    const count = (method: string, route: string, status: string) => requests.find((s) => s.labels.method === method && s.labels.route === route && s.labels.status === status)?.value ?? 0
    expect(count('POST', '/v1/predictions', '202')).toBeGreaterThanOrEqual(2)
    expect(count('POST', '/v1/predictions', '400')).toBeGreaterThanOrEqual(1)
    expect(count('POST', '/v1/predictions', '413')).toBeGreaterThanOrEqual(1)
    expect(count('POST', '/v1/labels', '202')).toBeGreaterThanOrEqual(2)
    expect(count('GET', '/v1/models/:name', '200')).toBeGreaterThanOrEqual(1)
    expect(count('GET', '/v1/models/:name', '404')).toBeGreaterThanOrEqual(1)
    expect(count('GET', 'unmatched', '404')).toBeGreaterThanOrEqual(1)
    expect(samples.some((s) => s.name === 'highway_http_request_duration_seconds_bucket' && s.labels.le === '+Inf' && s.labels.route === '/v1/predictions')).toBe(true)

    expect(value('highway_ingest_batch_rows_count', { to: 'clickhouse' })).toBeGreaterThan(0)
    expect(value('highway_ingest_batch_rows_sum', { to: 'clickhouse' })).toBeGreaterThanOrEqual(8)
    expect(value('highway_ingest_flush_duration_seconds_count', { to: 'clickhouse' })).toBeGreaterThan(0)
    expect(value('highway_spool_bytes')).toBe(0)
    expect(value('highway_spool_entries')).toBe(0)
    expect(value('highway_storage_degraded')).toBe(0)
    for (const family of ['highway_storage_errors_total', 'highway_records_deduplicated_total', 'highway_ingest_overloaded_total', 'highway_spool_dead_letters_total']) {
      expect(text).toContain(`# TYPE ${family} counter`)
    }
    expect(value('highway_ingest_overloaded_total')).toBe(0)
    // Node defaults from prom-client.
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(samples.some((s) => s.name === name), name).toBe(true)
    }
  })
})

describe('service endpoints', () => {
  it('answers /healthz and /readyz', async () => {
    const health = await fetch(url('/healthz'))
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }])
    const ready = await fetch(url('/readyz'))
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({ ready: true, storage: 'ok', spool: { bytes: 0, entries: 0 } })
  })

  it('serves an OpenAPI 3.1 document listing every path', async () => {
    const res = await fetch(url('/openapi.json'))
    expect(res.status).toBe(200)
    const doc = (await res.json()) as { openapi: string; info: { version: string }; paths: Record<string, Record<string, any>>; components: { schemas: Record<string, unknown> } }
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.info.version).toBe('test')
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/',
      '/demo',
      '/demo/config.json',
      '/demo/{file}',
      '/healthz',
      '/metrics',
      '/openapi.json',
      '/readyz',
      '/v1/audit',
      '/v1/faro',
      '/v1/labels',
      '/v1/models',
      '/v1/models/{name}',
      '/v1/models/{name}/aliases',
      '/v1/models/{name}/aliases/{alias}',
      '/v1/models/{name}/analysis/run',
      '/v1/models/{name}/artifacts/{sha256}',
      '/v1/models/{name}/drift',
      '/v1/models/{name}/performance',
      '/v1/models/{name}/quality',
      '/v1/models/{name}/reference',
      '/v1/models/{name}/releases',
      '/v1/models/{name}/releases/{id}',
      '/v1/models/{name}/rollback',
      '/v1/models/{name}/training-runs',
      '/v1/models/{name}/training-runs/{run}/outcome',
      '/v1/models/{name}/versions',
      '/v1/models/{name}/versions/{version}',
      '/v1/models/{name}/versions/{version}/artifact',
      '/v1/predictions',
      '/v1/status',
    ])
    for (const path of ['/v1/predictions', '/v1/labels']) {
      const op = doc.paths[path]!.post
      expect(Object.keys(op.responses).sort()).toEqual(['202', '400', '401', '403', '404', '413', '415', '429', '503'])
      expect(Object.keys(op.requestBody.content).sort()).toEqual(['application/json', 'application/x-ndjson'])
      expect(op.security).toEqual([{ bearer: ['ingest'] }])
    }
    for (const path of ['/v1/models', '/v1/models/{name}', '/metrics']) expect(doc.paths[path]!.get.security).toEqual([{ bearer: ['read'] }])
    for (const path of ['/healthz', '/readyz', '/openapi.json']) expect(doc.paths[path]!.get.security).toEqual([])
    expect(doc.paths['/v1/predictions']!.post.responses['202'].content['application/json'].schema.required).toEqual(['accepted', 'rejected'])
    expect(doc.paths['/v1/models/{name}']!.get.responses['200'].content['application/json'].schema.required).toContain('last_prediction_at')
    expect(Object.keys(doc.components.schemas)).toEqual(['Error'])
  })
})
