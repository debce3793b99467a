import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REFERENCE_MAX_BODY_BYTES } from '../../analyzer/index.ts'
import { postJson, startTestService } from '../support/service.ts'

// Issue 16: inputs that made the analyzer answer 500 (time windows a date cannot hold, reference ids ClickHouse
// refuses, a reference PCA cannot fit). Each now has a 4xx naming what is wrong, or a clear outcome.
let service: Awaited<ReturnType<typeof startTestService>>
const MODEL = { name: 'm', task: 'regression', features: { x: { type: 'number' }, y: { type: 'number' }, c: { type: 'category', required: false } } }

beforeAll(async () => {
  service = await startTestService({ models: [MODEL], storage: { retentionDays: 30 } })
  const records = Array.from({ length: 200 }, (_, i) => ({ id: `r${i}`, features: { x: i % 50, y: (i * 7) % 13 }, prediction: i }))
  expect((await postJson(`${service.url}/v1/models/m/reference`, { records })).status).toBe(201)
}, 60_000)
afterAll(async () => {
  await service?.stop()
})

const get = async (path: string) => {
  const res = await fetch(`${service.url}${path}`)
  return { status: res.status, body: (await res.json()) as { error?: string } }
}
const unexpected = () => service.logs.filter((l) => l.level === 'error')

describe('time windows', () => {
  it.each([
    ['drift', 'from=9000000000000000&to=1', 'from'],
    ['quality', 'from=0&to=9000000000000000', 'to'],
    ['performance', 'to=-9e15', 'to'],
    ['drift', 'from=-2208988800001&to=0', 'from'],
    ['quality', 'from=0&to=10413792000000', 'to'],
  ])('answers 400 naming the parameter for %s?%s', async (job, query, name) => {
    const res = await get(`/v1/models/m/${job}?${query}`)
    expect(res.status, JSON.stringify(res.body)).toBe(400)
    expect(res.body.error).toContain(`query.${name}`)
    expect(res.body.error).toContain('1900-01-01')
    expect(unexpected()).toEqual([])
  })

  it('answers 400 naming the field for a run whose window a date cannot hold', async () => {
    const res = await postJson(`${service.url}/v1/models/m/analysis/run`, { from: 9e15, to: 1 })
    expect(res.status, JSON.stringify(res.body)).toBe(400)
    expect(res.body.error).toMatch(/^from: .*1900-01-01/)
    expect(unexpected()).toEqual([])
  })

  it('answers 400 for a reference window a date cannot hold', async () => {
    const res = await postJson(`${service.url}/v1/models/m/reference`, { from: 0, to: 9e15 })
    expect(res.status, JSON.stringify(res.body)).toBe(400)
    expect(res.body.error).toContain('to')
  })

  it('accepts the whole range ClickHouse can hold, 1900-01-01 to 2299-12-31', async () => {
    for (const job of ['drift', 'quality', 'performance']) {
      const res = await get(`/v1/models/m/${job}?from=1900-01-01&to=2299-12-31T23:59:59.999Z`)
      expect(res.status, `${job}: ${JSON.stringify(res.body)}`).toBe(200)
    }
    expect(unexpected()).toEqual([])
  })

  it('names the defaulted start when only the end is given and the window would begin before 1900', async () => {
    const res = await get('/v1/models/m/drift?to=1900-01-01T00:30:00Z')
    expect(res.status).toBe(400)
    expect(res.body.error).toContain('from')
  })
})

describe('reference records', () => {
  it('refuses a record whose id holds a lone surrogate, naming the field, instead of a 500 from ClickHouse', async () => {
    const res = await postJson(`${service.url}/v1/models/m/reference`, { records: [{ id: 'a\ud800', features: { x: 1, y: 2 }, prediction: 1 }] })
    expect(res.status, JSON.stringify(res.body)).toBe(400)
    expect(res.body.error).toMatch(/id: .*UTF-16/)
    expect(unexpected()).toEqual([])
  })

  it('lists such a record among the rejected ones and keeps the others', async () => {
    const records = [{ id: 'ok', features: { x: 1, y: 2, c: 'b\udc00' }, prediction: 1 }, ...Array.from({ length: 40 }, (_, i) => ({ id: `s${i}`, features: { x: i, y: i % 3 }, prediction: i }))]
    const res = await postJson(`${service.url}/v1/models/m/reference`, { records })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.rejected).toEqual([{ index: 0, errors: [expect.stringMatching(/features\.c: .*UTF-16/)] }])
  })

  it('takes 50 records whose numeric features are all constant, and says why there is no multivariate drift', async () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ id: `k${i}`, features: { x: 3, y: 4 }, prediction: 1 }))
    const res = await postJson(`${service.url}/v1/models/m/reference`, { records })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.multivariate).toEqual({ status: 'skipped', reason: expect.stringContaining('constant') })
    const drift = await get(`/v1/models/m/drift?from=${Date.now() - 3_600_000}&to=${Date.now()}`)
    expect(drift.status, JSON.stringify(drift.body)).toBe(200)
    expect(unexpected()).toEqual([])
  })
})

describe('reference uploads', () => {
  it('refuses a body declared over the limit before reading it, and says how to send a larger reference', async () => {
    // Issue 16: the upload was parsed by express.json({limit: '512mb'}) before auth and outside the in-flight budget.
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${service.url}/v1/models/m/reference`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(REFERENCE_MAX_BODY_BYTES + 1) } }, (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
      })
      req.on('error', reject)
      req.write('{')
    })
    expect(status).toBe(413)
    expect(body).toContain(`over the limit of ${REFERENCE_MAX_BODY_BYTES} bytes`)
    const doc = (await (await fetch(`${service.url}/openapi.json`)).json()) as { paths: Record<string, { post: { description: string } }> }
    expect(doc.paths['/v1/models/{name}/reference']!.post.description).toContain('{from, to}')
  })
})

describe('ingest strings', () => {
  it('quarantines a prediction whose id or category holds a lone surrogate rather than storing it changed', async () => {
    const res = await postJson(`${service.url}/v1/predictions`, {
      model: 'm',
      records: [
        { id: 'p\ud800', features: { x: 1, y: 2 }, prediction: 1 },
        { id: 'p2', features: { x: 1, y: 2, c: '\udfff' }, prediction: 1 },
        { id: 'p3', features: { x: 1, y: 2, c: 'ok \ud83d\ude00' }, prediction: 1 },
      ],
    })
    expect(res.status, JSON.stringify(res.body)).toBe(202)
    expect(res.body.accepted).toBe(1)
    expect(JSON.stringify(res.body)).toMatch(/UTF-16/)
  })

  it('quarantines a label whose id holds a lone surrogate', async () => {
    const res = await postJson(`${service.url}/v1/labels`, { model: 'm', records: [{ id: 'l\ud800', label: 1 }] })
    expect(res.status, JSON.stringify(res.body)).toBe(202)
    expect(res.body.accepted).toBe(0)
  })
})
