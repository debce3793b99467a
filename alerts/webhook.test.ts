import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { Registry } from 'prom-client'
import { afterEach, describe, expect, it } from 'vitest'
import { receiverSchemaForTests } from '../config/index.ts'
import type { NotifiableAlert } from './evaluator.ts'
import { AlertMetrics } from './metrics.ts'
import type { AlertStore, Delivery } from './ports.ts'
import { dueGroups, createWebhookReceiver, signBody } from './webhook.ts'

// The one allowed fake: a local HTTP server stands in for the pager.
let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((r) => (server ? server.close(r) : r(undefined)))
  server = undefined
})
const serve = async (handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => handler(req, body, res))
  })
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`
}
// Only the delivery log is used by the receiver: a small in-memory implementation of that part of the port.
const deliveryLog = (): AlertStore & { log: Delivery[] } => {
  const log: Delivery[] = []
  const no = () => Promise.reject(new Error('not used'))
  return { log, recordDeliveries: (d) => {
      log.push(...d)
      return Promise.resolve()
    }, appendEvents: no, saveStates: no, listStates: no, history: no, latestAcks: no, saveSilence: no, listSilences: no, deliveries: no } as AlertStore & { log: Delivery[] }
}
const alert = (fp: string, state: 'firing' | 'resolved' = 'firing'): NotifiableAlert => ({ fingerprint: fp, labels: { alertname: 'A', severity: 'page', model: 'm' }, annotations: {}, state, startsAtMs: 0, endsAtMs: state === 'resolved' ? 1 : null, generatorUrl: 'http://h/v1/alerts/' + fp })
const grouping = { groupBy: ['alertname'], groupWait: 30, groupInterval: 300, repeatInterval: 14_400 }
const SECRET = 'a-secret-of-16-chars-or-more'

describe('webhook receiver', () => {
  it('delivers once, signed, to a receiver that fails twice and then succeeds', async () => {
    const received: Array<{ body: string; signature: string | undefined }> = []
    let calls = 0
    const url = await serve((req, body, res) => {
      calls++
      if (calls <= 2) return void res.writeHead(503).end()
      received.push({ body, signature: req.headers['x-highway-signature'] as string | undefined })
      res.writeHead(200).end()
    })
    const store = deliveryLog()
    const r = createWebhookReceiver({ receiver: receiverSchemaForTests.parse({ name: 'pager', url, secret: SECRET }), grouping: { ...grouping, groupWait: 0 }, metrics: new AlertMetrics(new Registry()), store, onError: (e) => { throw e }, retryBaseMs: 1 })
    r.offer([alert('f1')], 0)
    await r.flush()
    expect(received).toHaveLength(1)
    expect(received[0]!.signature).toBe(signBody(received[0]!.body, SECRET))
    expect(JSON.parse(received[0]!.body)).toMatchObject({ version: '4', status: 'firing', receiver: 'pager', alerts: [{ fingerprint: 'f1', status: 'firing' }] })
    expect(store.log.map((d) => [d.attempt, d.ok, d.status])).toEqual([[1, false, 503], [2, false, 503], [3, true, 200]])
  })

  it('does not hold up the caller while the receiver does not answer', async () => {
    let arrived!: () => void
    const requestArrived = new Promise<void>((r) => (arrived = r))
    const url = await serve(() => arrived())
    const r = createWebhookReceiver({ receiver: receiverSchemaForTests.parse({ name: 'down', url, secret: SECRET, maxAttempts: 1 }), grouping: { ...grouping, groupWait: 0 }, metrics: new AlertMetrics(new Registry()), store: deliveryLog(), onError: () => undefined, retryBaseMs: 1 })
    // offer returns before the request is even answered: evaluation goes on.
    expect(r.offer([alert('f2')], 0)).toBeUndefined()
    await requestArrived
  })
})

describe('dueGroups', () => {
  it('waits group_wait for a new group, group_interval after a change and repeat_interval when unchanged', () => {
    const groups = new Map()
    const keys = (t: number, a: NotifiableAlert[]) => dueGroups(a, grouping, groups, t * 1000).map((g) => g.alerts.map((x) => x.fingerprint).join(','))
    expect(keys(0, [alert('x')])).toEqual([])
    expect(keys(30, [alert('x')])).toEqual(['x'])
    expect(keys(60, [alert('x'), alert('y')])).toEqual([])
    expect(keys(330, [alert('x'), alert('y')])).toEqual(['x,y'])
    expect(keys(330 + 14_399, [alert('x'), alert('y')])).toEqual([])
    expect(keys(330 + 14_400, [alert('x'), alert('y')])).toEqual(['x,y'])
  })
})
