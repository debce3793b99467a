// Regression, end to end (real collector, chDB, HTTP): the drift of a whole model answered 500 when a binary
// feature's window held a third value (`proportionsZTest takes at most two categories, got 3`), for a
// category and for a 0/1 number alike; and the default test was chosen on the reference alone (distinct
// values of the reference only, missing values counted as reference rows) where Evidently counts distinct
// values over reference ∪ current on non-missing rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, startTestService } from '../support/service.ts'
import { mulberry32 } from '../../random/index.ts'

const HOUR = 3_600_000
const windowEnd = Math.floor(Date.now() / HOUR) * HOUR - HOUR
const window = `from=${windowEnd - HOUR}&to=${windowEnd}`

type Features = Record<string, number | string>
const regression = (name: string, features: Record<string, unknown>, drift?: Record<string, unknown>) => ({ name, task: 'regression', features, ...(drift ? { drift } : {}) })

const MODELS = [
  regression('binary-channel', { channel: { type: 'category' } }),
  regression('binary-channel-z', { channel: { type: 'category' } }, { features: { channel: { test: 'ztest' } } }),
  regression('binary-flag', { flag: { type: 'number', integer: true } }),
  regression('five-levels', { level: { type: 'number', integer: true } }),
  regression('with-missing', { x: { type: 'number', required: false } }),
]

let service: Awaited<ReturnType<typeof startTestService>>

async function load(model: string, reference: (Features | null)[], current: Features[]): Promise<void> {
  const records = reference.map((features, i) => ({ id: `ref-${i}`, features: features ?? {}, prediction: 0.5 }))
  const ref = await postJson(`${service.url}/v1/models/${model}/reference`, { records })
  expect(ref.status, JSON.stringify(ref.body)).toBe(201)
  const preds = await postJson(`${service.url}/v1/predictions`, { model, records: current.map((features, i) => ({ id: `cur-${i}`, ts: windowEnd - 1 - i * 1000, features, prediction: 0.5 })) })
  expect(preds.body.accepted, JSON.stringify(preds.body.rejected?.slice(0, 2))).toBe(current.length)
}

async function drift(model: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${service.url}/v1/models/${model}/drift?${window}`)
  return { status: res.status, body: await res.json() }
}

beforeAll(async () => {
  service = await startTestService({ models: MODELS, storage: { retentionDays: 30 } })
  const r = mulberry32(7)
  const two = (i: number) => (i % 2 === 0 ? 'a' : 'b')
  await load('binary-channel', Array.from({ length: 200 }, (_, i) => ({ channel: two(i) })), Array.from({ length: 90 }, (_, i) => ({ channel: i % 3 === 0 ? 'c' : two(i) })))
  await load('binary-channel-z', Array.from({ length: 200 }, (_, i) => ({ channel: two(i) })), Array.from({ length: 90 }, (_, i) => ({ channel: i % 3 === 0 ? 'c' : two(i) })))
  await load('binary-flag', Array.from({ length: 200 }, (_, i) => ({ flag: i % 2 })), Array.from({ length: 90 }, (_, i) => ({ flag: i % 3 })))
  await load('five-levels', Array.from({ length: 500 }, (_, i) => ({ level: i % 5 })), Array.from({ length: 300 }, (_, i) => ({ level: i % 7 })))
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())
  await load(
    'with-missing',
    Array.from({ length: 1200 }, (_, i) => (i % 4 === 0 ? null : { x: Number(normal().toFixed(4)) })),
    Array.from({ length: 1200 }, () => ({ x: Number(normal().toFixed(4)) })),
  )
  expect(await service.collector.writer.stored()).toBe(true)
}, 120_000)
afterAll(async () => {
  await service.stop()
})

describe('a value the reference never saw', () => {
  it('is a finding, not a 500: a binary category whose window holds a third gets chi-square over reference ∪ current', async () => {
    const { status, body } = await drift('binary-channel')
    expect(status, JSON.stringify(body)).toBe(200)
    const channel = body.features.find((f: any) => f.feature === 'channel')
    // Reference 200 rows, 3 values over reference ∪ current: Evidently's default is chi-square.
    expect(channel).toMatchObject({ test: 'chisquare', status: 'ok', drifted: true, p_value: 0, statistic: null })
    expect(channel.detail).toContain('1 value the reference never saw: "c"')
    expect(channel.detail).toContain('+Infinity')
    // A stored run publishes the gauges (an on-demand read does not), and they still say it: drifted, with the
    // +Inf statistic Prometheus can carry.
    expect((await postJson(`${service.url}/v1/models/binary-channel/analysis/run`, { from: windowEnd - HOUR, to: windowEnd })).status).toBe(200)
    const metrics = await (await fetch(`${service.url}/metrics`)).text()
    expect(metrics).toMatch(/highway_feature_drifted\{[^}]*model="binary-channel"[^}]*feature="channel"[^}]*\} 1/)
    expect(metrics).toMatch(/highway_feature_drift_score\{[^}]*model="binary-channel"[^}]*feature="channel"[^}]*\} 0/)
  })

  it("runs a configured z-test as Evidently does, the first category against the others, instead of failing", async () => {
    const { status, body } = await drift('binary-channel-z')
    expect(status, JSON.stringify(body)).toBe(200)
    const channel = body.features.find((f: any) => f.feature === 'channel')
    expect(channel).toMatchObject({ test: 'ztest', status: 'ok' })
    expect(channel.detail).toContain('"c"')
  })

  it('is a finding for a 0/1 number whose window holds a 2', async () => {
    const { status, body } = await drift('binary-flag')
    expect(status, JSON.stringify(body)).toBe(200)
    const flag = body.features.find((f: any) => f.feature === 'flag')
    expect(flag).toMatchObject({ test: 'chisquare', method: 'counts', status: 'ok', drifted: true, statistic: null, p_value: 0 })
    expect(flag.detail).toContain('"2"')
  })
})

describe("Evidently's default test choice", () => {
  it('counts distinct values over reference ∪ current: a 5-valued reference whose window has 7 values gets KS', async () => {
    const { body } = await drift('five-levels')
    expect(body.features.find((f: any) => f.feature === 'level')).toMatchObject({ test: 'ks', status: 'ok', drifted: true })
  })

  it('does not count missing values as reference rows: 1,200 rows of which 300 missing run KS on 900, without drift', async () => {
    const { body } = await drift('with-missing')
    expect(body.features.find((f: any) => f.feature === 'x')).toMatchObject({ test: 'ks', n_reference: 900, n_current: 1200, status: 'ok', drifted: false })
  })
})
