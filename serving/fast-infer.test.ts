import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Authenticator, hashSecret } from '../server/index.ts'
import { createFastInfer } from './fast-infer.ts'
import { fixtureVersion } from './fixtures.ts'
import { ModelServer } from './model-server.ts'

// The fast path alone on node:http (no express behind it: anything it does not take answers 418).
const server = new ModelServer()
const observed: Array<[string, number]> = []
let http: Server
let url: string
const KEYS = [
  { id: 'app', sha256: hashSecret('app-secret'), scopes: ['ingest' as const] },
  { id: 'limited', sha256: hashSecret('limited-secret'), scopes: ['ingest' as const], models: ['other'] },
  { id: 'reader', sha256: hashSecret('reader-secret'), scopes: ['read' as const] },
]

beforeAll(async () => {
  await server.load(fixtureVersion('regression', 'price', 1))
  const fast = createFastInfer({ server, auth: new Authenticator(KEYS), maxBodyBytes: 1024, observe: (route, status) => observed.push([route, status]) })
  http = createServer((req, res) => {
    if (!fast(req, res)) {
      res.statusCode = 418
      res.end()
    }
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => http.close(resolve))
  await server.close()
})

const body = JSON.stringify({ id: 'r', inputs: [{ name: 'x1', datatype: 'FP64', shape: [1, 1], data: [1] }, { name: 'x2', datatype: 'FP64', shape: [1, 1], data: [2] }] })
async function infer(path: string, init: { key?: string; type?: string; body?: string } = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': init.type ?? 'application/json' }
  if (init.key) headers.authorization = `Bearer ${init.key}`
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: init.body ?? body })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
}

describe('createFastInfer', () => {
  it('answers V2 infer on the plain path and on the versioned path', async () => {
    for (const path of ['/v2/models/price/infer', '/v2/models/price/versions/1/infer']) {
      const res = await infer(path, { key: 'app-secret' })
      expect(res.status, path).toBe(200)
      expect(res.body).toEqual({ model_name: 'price', model_version: '1', id: 'r', outputs: [{ name: 'prediction', datatype: 'FP64', shape: [1, 1], data: [9] }] })
    }
    expect(observed).toContainEqual(['/v2/models/:model/versions/:version/infer', 200])
  })

  it('leaves every other request to the next handler', async () => {
    expect((await fetch(`${url}/v2/models/price`)).status).toBe(418)
    expect((await fetch(`${url}/v2/models/price/infer/more`, { method: 'POST' })).status).toBe(418)
  })

  it.each([
    { name: 'no key', key: undefined, status: 401, says: 'missing Authorization: Bearer <key>' },
    { name: 'an unknown key', key: 'guess', status: 401, says: 'unknown API key' },
    { name: 'a key without the ingest scope', key: 'reader-secret', status: 403, says: 'key "reader" lacks the "ingest" scope' },
    { name: 'a key limited to other models', key: 'limited-secret', status: 403, says: 'key "limited" may not access model "price"' },
  ])('refuses $name like the express stack does', async ({ key, status, says }) => {
    const res = await infer('/v2/models/price/infer', key ? { key } : {})
    expect(res.status).toBe(status)
    expect(res.body.error).toBe(says)
    if (status === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer realm="highway"')
  })

  it.each([
    { name: 'a body that is not JSON', init: { body: '{"inputs":' }, status: 400, says: 'body is not valid JSON' },
    { name: 'a non-JSON content type', init: { type: 'text/plain' }, status: 415, says: 'Content-Type: must be application/json, got "text/plain"' },
    { name: 'a body over the limit', init: { body: JSON.stringify({ pad: 'x'.repeat(2000) }) }, status: 413, says: 'body: at most 1024 bytes' },
    { name: 'an invalid request', init: { body: JSON.stringify({ inputs: [] }) }, status: 400, says: 'inputs: ' },
    { name: 'an unknown model', init: {}, status: 404, says: 'model "nope" has no loaded version', path: '/v2/models/nope/infer' },
  ])('answers $name with $status and {error, code}', async ({ init, status, says, path }) => {
    const res = await infer(path ?? '/v2/models/price/infer', { key: 'app-secret', ...init })
    expect(res.status).toBe(status)
    expect(res.body.error).toContain(says)
    expect(typeof res.body.code).toBe('string')
  })
})
