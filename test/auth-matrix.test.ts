import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../cli/logger.ts'
import { startService } from '../cli/service.ts'
import { hashSecret, isLoopback } from '../server/index.ts'
import { parseConfig } from '../config/index.ts'
import { BOOKING_MODEL, startTestService } from './support/service.ts'
import { makeTempDir } from './support/temp-dir.ts'

type Service = Awaited<ReturnType<typeof startTestService>>

const CHURN_MODEL = { name: 'churn', task: 'regression', features: { tenure_days: { type: 'number', min: 0 } } }

/** Secrets by key id; the config holds only their sha256. */
const SECRETS = {
  'ingest-booking': 'secret-ingest-booking',
  'ingest-all': 'secret-ingest-all',
  'read-all': 'secret-read-all',
  'read-booking': 'secret-read-booking',
  operate: 'secret-operate',
  admin: 'secret-admin',
} as const
type KeyId = keyof typeof SECRETS

const KEYS: Array<{ id: KeyId; scopes: string[]; models?: string[] }> = [
  { id: 'ingest-booking', scopes: ['ingest'], models: ['booking-spam'] },
  { id: 'ingest-all', scopes: ['ingest'] },
  { id: 'read-all', scopes: ['read'] },
  { id: 'read-booking', scopes: ['read'], models: ['booking-spam'] },
  { id: 'operate', scopes: ['operate'] },
  { id: 'admin', scopes: ['admin'] },
]

let service: Service

beforeAll(async () => {
  service = await startTestService({
    models: [BOOKING_MODEL, CHURN_MODEL],
    auth: { keys: KEYS.map((k) => ({ ...k, sha256: hashSecret(SECRETS[k.id]) })) },
  })
})
afterAll(async () => {
  await service?.stop()
})

const bearer = (id: KeyId): Record<string, string> => ({ authorization: `Bearer ${SECRETS[id]}` })

/** Who calls: no header, a well-formed unknown key, a header that is not a bearer key, or a configured key. */
type Credential = 'none' | 'unknown key' | 'basic auth' | KeyId

const headersFor = (c: Credential): Record<string, string> =>
  c === 'none' ? {} : c === 'unknown key' ? { authorization: 'Bearer not-a-configured-secret' } : c === 'basic auth' ? { authorization: `Basic ${Buffer.from('admin:secret-admin').toString('base64')}` } : bearer(c)

const booking = (id: string) => ({ id, features: { height_cm: 172.5, note: 'n' }, prediction: 0.5 })
const churn = (id: string) => ({ id, features: { tenure_days: 12 }, prediction: 3.5 })

interface Endpoint {
  readonly name: string
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly body?: (n: number) => unknown
  readonly ok: number
}

let sequence = 0
const call = async (e: Endpoint, c: Credential): Promise<{ status: number; headers: Headers; body: any }> => {
  const init: RequestInit = { method: e.method, headers: { ...headersFor(c), ...(e.body ? { 'content-type': 'application/json' } : {}) } }
  if (e.body) init.body = JSON.stringify(e.body(sequence++))
  const res = await fetch(`${service.url}${e.path}`, init)
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text }
}

const ENDPOINTS = {
  predictions: { name: 'POST /v1/predictions', method: 'POST', path: '/v1/predictions', body: (n) => ({ model: 'booking-spam', records: [booking(`auth-p-${n}`)] }), ok: 202 },
  predictionsChurn: { name: 'POST /v1/predictions (churn)', method: 'POST', path: '/v1/predictions', body: (n) => ({ model: 'churn', records: [churn(`auth-c-${n}`)] }), ok: 202 },
  labels: { name: 'POST /v1/labels', method: 'POST', path: '/v1/labels', body: (n) => ({ model: 'booking-spam', records: [{ id: `auth-p-${n}`, label: 1 }] }), ok: 202 },
  labelsChurn: { name: 'POST /v1/labels (churn)', method: 'POST', path: '/v1/labels', body: (n) => ({ model: 'churn', records: [{ id: `auth-c-${n}`, label: 2 }] }), ok: 202 },
  models: { name: 'GET /v1/models', method: 'GET', path: '/v1/models', ok: 200 },
  model: { name: 'GET /v1/models/booking-spam', method: 'GET', path: '/v1/models/booking-spam', ok: 200 },
  modelChurn: { name: 'GET /v1/models/churn', method: 'GET', path: '/v1/models/churn', ok: 200 },
  metrics: { name: 'GET /metrics', method: 'GET', path: '/metrics', ok: 200 },
  healthz: { name: 'GET /healthz', method: 'GET', path: '/healthz', ok: 200 },
  readyz: { name: 'GET /readyz', method: 'GET', path: '/readyz', ok: 200 },
  openapi: { name: 'GET /openapi.json', method: 'GET', path: '/openapi.json', ok: 200 },
} satisfies Record<string, Endpoint>

/**
 * Every endpoint with the status each credential gets: no key and bad keys → 401; a key without the scope → 403;
 * a key limited to booking-spam asking about churn → 403; the right key → the endpoint's success status.
 */
const MATRIX: Array<{ endpoint: Endpoint; expect: Partial<Record<Credential, number>> }> = [
  {
    endpoint: ENDPOINTS.predictions,
    expect: { none: 401, 'unknown key': 401, 'basic auth': 401, 'read-all': 403, operate: 403, 'ingest-booking': 202, 'ingest-all': 202, admin: 202 },
  },
  { endpoint: ENDPOINTS.predictionsChurn, expect: { none: 401, 'unknown key': 401, 'read-booking': 403, 'ingest-booking': 403, 'ingest-all': 202, admin: 202 } },
  { endpoint: ENDPOINTS.labels, expect: { none: 401, 'unknown key': 401, 'basic auth': 401, 'read-all': 403, operate: 403, 'ingest-booking': 202, 'ingest-all': 202, admin: 202 } },
  { endpoint: ENDPOINTS.labelsChurn, expect: { none: 401, 'unknown key': 401, 'read-all': 403, 'ingest-booking': 403, 'ingest-all': 202, admin: 202 } },
  { endpoint: ENDPOINTS.models, expect: { none: 401, 'unknown key': 401, 'basic auth': 401, 'ingest-all': 403, 'ingest-booking': 403, 'read-all': 200, 'read-booking': 200, operate: 200, admin: 200 } },
  { endpoint: ENDPOINTS.model, expect: { none: 401, 'unknown key': 401, 'basic auth': 401, 'ingest-all': 403, 'read-all': 200, 'read-booking': 200, operate: 200, admin: 200 } },
  { endpoint: ENDPOINTS.modelChurn, expect: { none: 401, 'unknown key': 401, 'ingest-booking': 403, 'read-booking': 403, 'read-all': 200, operate: 200, admin: 200 } },
  // /metrics carries every model's series, so a key limited to some models may not read it.
  { endpoint: ENDPOINTS.metrics, expect: { none: 401, 'unknown key': 401, 'basic auth': 401, 'ingest-all': 403, 'read-booking': 403, 'read-all': 200, operate: 200, admin: 200 } },
  { endpoint: ENDPOINTS.healthz, expect: { none: 200, 'unknown key': 200, 'basic auth': 200, 'ingest-booking': 200, admin: 200 } },
  { endpoint: ENDPOINTS.readyz, expect: { none: 200, 'unknown key': 200, 'basic auth': 200, 'ingest-booking': 200, admin: 200 } },
  { endpoint: ENDPOINTS.openapi, expect: { none: 200, 'unknown key': 200, 'basic auth': 200, 'read-booking': 200, admin: 200 } },
]

const CASES = MATRIX.flatMap(({ endpoint, expect: statuses }) =>
  Object.entries(statuses).map(([credential, status]) => ({ endpoint: endpoint.name, e: endpoint, credential: credential as Credential, status: status! })),
)

describe('auth matrix', () => {
  it.each(CASES)('$endpoint with $credential → $status', async ({ e, credential, status }) => {
    const res = await call(e, credential)
    expect(res.status).toBe(status)
    if (status === 401) {
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="highway"')
      expect(res.body).toMatchObject({ code: 'unauthorized' })
      expect(res.body.error).toMatch(credential === 'none' ? /missing Authorization: Bearer <key>/ : credential === 'basic auth' ? /Authorization must be "Bearer <key>"/ : /unknown API key/)
    } else {
      expect(res.headers.get('www-authenticate')).toBeNull()
    }
    if (status === 403) {
      expect(res.body).toMatchObject({ code: 'forbidden', error: expect.stringContaining(`key "${credential}"`) })
    }
  })

  it('names the missing scope or the refused model in a 403', async () => {
    expect((await call(ENDPOINTS.predictions, 'read-all')).body.error).toBe('key "read-all" lacks the "ingest" scope')
    expect((await call(ENDPOINTS.models, 'ingest-all')).body.error).toBe('key "ingest-all" lacks the "read" scope')
    expect((await call(ENDPOINTS.predictionsChurn, 'ingest-booking')).body.error).toBe('key "ingest-booking" may not access model "churn"')
    expect((await call(ENDPOINTS.modelChurn, 'read-booking')).body.error).toBe('key "read-booking" may not access model "churn"')
  })

  it('stores nothing from a request it refuses', async () => {
    const refused = await call({ ...ENDPOINTS.predictionsChurn, body: () => ({ model: 'churn', records: [churn('auth-refused')] }) }, 'ingest-booking')
    expect(refused.status).toBe(403)
    const rows = await service.store.queryRows<{ n: number }>("SELECT count() AS n FROM highway.predictions WHERE id = 'auth-refused'")
    expect(rows).toEqual([{ n: 0 }])
  })

  it('shows a key limited to one model only that model in GET /v1/models', async () => {
    const limited = await call(ENDPOINTS.models, 'read-booking')
    expect(limited.body.models.map((m: { name: string }) => m.name)).toEqual(['booking-spam'])
    const all = await call(ENDPOINTS.models, 'read-all')
    expect(all.body.models.map((m: { name: string }) => m.name)).toEqual(['booking-spam', 'churn'])
  })

  it('refuses a key limited to other models before telling whether a model exists', async () => {
    const res = await call({ ...ENDPOINTS.model, path: '/v1/models/ghost' }, 'read-booking')
    expect(res.status).toBe(403)
    expect((await call({ ...ENDPOINTS.model, path: '/v1/models/ghost' }, 'read-all')).status).toBe(404)
  })

  it('accepts the scheme in any case and surrounding spaces, and nothing but the exact secret', async () => {
    const get = (authorization: string) => fetch(`${service.url}/v1/models`, { headers: { authorization } })
    expect((await get(`bearer ${SECRETS['read-all']}`)).status).toBe(200)
    expect((await get(`BEARER   ${SECRETS['read-all']}  `)).status).toBe(200)
    expect((await get(`Bearer ${SECRETS['read-all']}x`)).status).toBe(401)
    expect((await get(`Bearer ${SECRETS['read-all'].toUpperCase()}`)).status).toBe(401)
    expect((await get(`Bearer ${hashSecret(SECRETS['read-all'])}`)).status).toBe(401)
    expect((await get('Bearer')).status).toBe(401)
    expect((await get(`Bearer a b`)).status).toBe(401)
  })
})

describe('startService without keys', () => {
  it.each(['0.0.0.0', '::', '192.168.1.10'])('refuses to listen on %s with a clear message', async (host) => {
    const tmp = makeTempDir('auth-open')
    try {
      const config = parseConfig({ models: [BOOKING_MODEL], server: { host, port: 0 }, storage: { dataDir: tmp.dir } }, { source: 'test config' })
      const logger = createLogger({ quiet: true, write: () => {} })
      await expect(startService({ config, components: ['collector'], logger, version: 'test' })).rejects.toThrow(
        `refusing to listen on ${host} without API keys: anyone could write and read. Configure auth.keys, or bind 127.0.0.1 (--host 127.0.0.1).`,
      )
    } finally {
      tmp.cleanup()
    }
  })

  it.each([
    ['127.0.0.1', true],
    ['127.10.0.1', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['example.com', false],
  ] as const)('counts %s as loopback: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback)
  })
})
