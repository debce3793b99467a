import { request } from 'node:http'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BOOKING_MODEL, startTestService } from './support/service.ts'

// Issue 16: on the default keyless loopback setup, a page on another site could make a browser post predictions
// (text/plain bodies were read as JSON) and move a champion (rollback took an empty body), and neither Host nor
// Origin was checked, so DNS rebinding reached the API too.
let service: Awaited<ReturnType<typeof startTestService>>
beforeAll(async () => {
  service = await startTestService({ server: { requestTimeoutMs: 1_000 } }, { components: ['collector', 'analyzer', 'slo', 'serving'] })
})
afterAll(async () => {
  await service?.stop()
})

function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(service.url)
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

const record = JSON.stringify({ model: BOOKING_MODEL.name, records: [{ id: 'x-site', features: { height_cm: 170, note: 'n' }, prediction: 0.5 }] })

describe('requests a browser could send from another site', () => {
  it('refuses an ingest body sent as text/plain (a simple request needs no preflight)', async () => {
    const res = await send('POST', '/v1/predictions', { 'content-type': 'text/plain;charset=UTF-8' }, record)
    expect(res.status).toBe(415)
    expect(JSON.parse(res.body).error).toBe('Content-Type must be application/json or application/x-ndjson, got "text/plain"')
  })

  it('refuses a state change from a foreign Origin, even with a JSON body and an empty one', async () => {
    const ingest = await send('POST', '/v1/predictions', { 'content-type': 'application/json', origin: 'http://evil.example' }, record)
    expect(ingest.status).toBe(403)
    expect(JSON.parse(ingest.body)).toEqual({ code: 'forbidden', error: 'cross-origin POST from "http://evil.example" is refused' })
    const rollback = await send('POST', '/v1/models/booking-spam/rollback', { origin: 'http://evil.example' })
    expect(rollback.status).toBe(403)
  })

  it('refuses every request whose Host is not a loopback name, as DNS rebinding would send', async () => {
    const port = new URL(service.url).port
    for (const [method, path] of [['GET', '/v1/models'], ['POST', '/v1/predictions']] as const) {
      const res = await send(method, path, { host: `evil.example:${port}`, origin: `http://evil.example:${port}`, 'content-type': 'application/json' }, method === 'POST' ? record : undefined)
      expect(res.status).toBe(403)
      expect(JSON.parse(res.body).error).toBe(`Host "evil.example:${port}" is not a loopback name: this service listens on loopback only`)
    }
  })

  it('still answers clients that send no Origin, and a page of its own origin', async () => {
    const port = new URL(service.url).port
    expect((await send('POST', '/v1/predictions', { 'content-type': 'application/json' }, record)).status).toBe(202)
    expect((await send('POST', '/v1/predictions', { 'content-type': 'application/json', host: `localhost:${port}`, origin: `http://localhost:${port}` }, record)).status).toBe(202)
    expect((await send('GET', '/v1/models', { host: `127.0.0.1:${port}` })).status).toBe(200)
    const rows = await service.store.queryRows<{ n: number }>("SELECT count() AS n FROM highway.predictions WHERE id = 'x-site'")
    expect(rows).toEqual([{ n: 2 }])
  })
})

describe('slow clients', () => {
  it('answers 408 and closes a connection whose declared body never arrives, instead of holding it for minutes', async () => {
    const { hostname, port } = new URL(service.url)
    const socket = connect(Number(port), hostname)
    socket.write(`POST /v1/predictions HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"model":`)
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('data', (c: string) => (answer += c))
    await new Promise<void>((resolve) => socket.on('close', () => resolve()))
    expect(answer).toMatch(/^HTTP\/1\.1 408/)
  }, 60_000)
})
