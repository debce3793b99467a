import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Authenticator, BodyBudget, createHttpShell, defineRoute, HttpMetrics } from './index.ts'

// The shell's CORS for routes that carry a policy (the Faro intake): the cross-site guard lets exactly those
// routes through for their origins, the preflight is answered, and answers (errors too) carry the allow headers.

const ALLOWED = 'https://clinic.example'
let server: Server
let url = ''

beforeAll(async () => {
  const cors = { allows: (o: string) => o === ALLOWED, allowHeaders: ['content-type', 'idempotency-key'], exposeHeaders: ['retry-after'], maxAgeSeconds: 600 }
  const shell = createHttpShell({
    routes: [
      defineRoute({ method: 'post', path: '/open', scope: 'public', cors, summary: 'cors', responses: { 202: { description: 'ok' } }, handle: () => ({ status: 202, json: { ok: true } }) }),
      defineRoute({ method: 'post', path: '/closed', scope: 'public', summary: 'no cors', responses: { 200: { description: 'ok' } }, handle: () => ({ json: { ok: true } }) }),
    ],
    auth: new Authenticator([]),
    bodies: new BodyBudget(1 << 20),
    metrics: new HttpMetrics(),
    logger: { error: () => undefined },
    maxBodyBytes: 1 << 20,
    origins: { loopback: true, allowedOrigins: new Set() },
  })
  server = createServer(shell.listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const preflight = (path: string, origin: string) => fetch(`${url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } })
const post = (path: string, origin: string) => fetch(`${url}${path}`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: '{}' })

describe('the shell\'s CORS for routes with a policy', () => {
  it('answers the preflight of an allowed origin with the allow headers', async () => {
    const res = await preflight('/open', ALLOWED)
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED)
    expect(res.headers.get('access-control-allow-methods')).toBe('POST')
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type, idempotency-key')
    expect(res.headers.get('access-control-max-age')).toBe('600')
  })

  it('answers the preflight of another origin without them', async () => {
    const res = await preflight('/open', 'https://elsewhere.example')
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('lets the allowed origin through the cross-site guard on that route only', async () => {
    const ok = await post('/open', ALLOWED)
    expect(ok.status).toBe(202)
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED)
    expect(ok.headers.get('access-control-expose-headers')).toBe('retry-after')
    expect((await post('/open', 'https://elsewhere.example')).status).toBe(403)
    expect((await post('/closed', ALLOWED)).status).toBe(403)
  })

  it('leaves OPTIONS on a route without a policy as it was (405)', async () => {
    expect((await preflight('/closed', ALLOWED)).status).toBe(405)
  })
})
