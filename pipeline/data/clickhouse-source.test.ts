import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { modelSpecSchema } from '../../config/index.ts'
import { postJson, startTestService } from '../../test/support/service.ts'
import { waitFor } from '../../test/support/wait-for.ts'
import { readLabelledRows } from './index.ts'

type Service = Awaited<ReturnType<typeof startTestService>>

const TRIAGE = {
  name: 'triage',
  task: 'binary_classification',
  features: {
    age: { type: 'number', min: 0, max: 120 },
    returning: { type: 'boolean', required: false },
    channel: { type: 'category', values: ['web', 'phone'], required: false },
    note: { type: 'text' },
  },
} as const
const spec = modelSpecSchema.parse(TRIAGE)

const HOUR_MS = 3_600_000
// Three days ago, on a whole hour: inside the retention, and the window below is exact.
const base = Math.floor((Date.now() - 72 * HOUR_MS) / HOUR_MS) * HOUR_MS
const windowQuery = { fromMs: base, toMs: base + HOUR_MS }

let service: Service

const prediction = (id: string, minute: number, features: Record<string, unknown>, version = 'v1') => ({ id, ts: base + minute * 60_000, version, features, prediction: 0.5 })

beforeAll(async () => {
  service = await startTestService({ models: [TRIAGE] })
  // Sent out of time order: the source must order by time.
  const predictions = [
    prediction('p3', 30, { age: 51, channel: 'phone', note: 'call me back' }),
    prediction('p1', 5, { age: 34, returning: true, channel: 'web', note: 'first visit' }),
    prediction('p2', 10, { age: 72, returning: false, note: 'refill' }, 'v2'),
    prediction('p4', 45, { age: 19, returning: true, channel: 'web', note: '' }),
    prediction('p5', 50, { age: 40, note: 'never labelled' }),
    prediction('early', -30, { age: 40, note: 'before the window' }),
  ]
  const p = await postJson(`${service.url}/v1/predictions`, { model: 'triage', records: predictions })
  expect(p.status).toBe(202)
  expect(p.body.accepted).toBe(predictions.length)
  const l = await postJson(`${service.url}/v1/labels`, {
    model: 'triage',
    records: [
      { id: 'p1', label: 1 },
      { id: 'p2', label: false },
      { id: 'p3', label: 1 },
      { id: 'p4', label: 'urgent' },
      { id: 'early', label: 1 },
    ],
  })
  expect(l.status).toBe(202)
  await waitFor('the first labels to be stored', async () => (await readLabelledRows(service.store, spec, windowQuery)).rows.length === 4)
  // p3 is relabelled later: the newest label wins.
  const relabel = await postJson(`${service.url}/v1/labels`, { model: 'triage', records: [{ id: 'p3', label: 0 }] })
  expect(relabel.status).toBe(202)
  await waitFor('the relabel to be stored', async () => (await readLabelledRows(service.store, spec, windowQuery)).rows.find((r) => r.ts === base + 30 * 60_000)?.target === '0')
})

afterAll(async () => {
  await service?.stop()
})

describe('readLabelledRows (ClickHouse source)', () => {
  it('returns the labelled predictions of the window in time order, typed back by the schema, with their newest label', async () => {
    const d = await readLabelledRows(service.store, spec, windowQuery)
    expect(d.format).toBe('clickhouse')
    expect(d.total).toBe(4)
    expect(d.invalid).toEqual([])
    expect(d.rows).toEqual([
      { features: { age: 34, returning: true, channel: 'web', note: 'first visit' }, target: '1', ts: base + 5 * 60_000 },
      { features: { age: 72, returning: false, channel: null, note: 'refill' }, target: '0', ts: base + 10 * 60_000 },
      { features: { age: 51, returning: null, channel: 'phone', note: 'call me back' }, target: '0', ts: base + 30 * 60_000 },
      { features: { age: 19, returning: true, channel: 'web', note: '' }, target: 'urgent', ts: base + 45 * 60_000 },
    ])
    expect(d.version).toMatch(/^[0-9a-f]{64}$/)
  })

  it('filters by model version, and limits to the earliest rows', async () => {
    const v2 = await readLabelledRows(service.store, spec, { ...windowQuery, version: 'v2' })
    expect(v2.rows.map((r) => r.features.age)).toEqual([72])
    const first = await readLabelledRows(service.store, spec, { ...windowQuery, limit: 2 })
    expect(first.rows.map((r) => r.features.age)).toEqual([34, 72])
  })

  it('ignores labels received after labelsUntilMs, to rebuild a training set as of a moment', async () => {
    const none = await readLabelledRows(service.store, spec, { ...windowQuery, labelsUntilMs: base })
    expect(none.rows).toEqual([])
  })

  it('reports rows that break the schema as it is now, naming prediction, field, rule and value', async () => {
    const stricter = modelSpecSchema.parse({ ...TRIAGE, features: { ...TRIAGE.features, age: { type: 'number', min: 0, max: 60 } } })
    const d = await readLabelledRows(service.store, stricter, windowQuery)
    expect(d.rows).toHaveLength(3)
    expect(d.invalid).toEqual([{ row: 2, field: 'age', rule: 'range', value: '72', message: 'prediction p2: age: must be a number from 0 to 60, got 72' }])
  })

  it('refuses class labels for a regression model instead of training on them', async () => {
    const regression = modelSpecSchema.parse({ ...TRIAGE, task: 'regression' })
    const d = await readLabelledRows(service.store, regression, windowQuery)
    expect(d.rows.map((r) => r.target)).toEqual([1, 0, 0])
    expect(d.invalid).toMatchObject([{ row: 4, field: 'label', rule: 'type', value: '"urgent"' }])
  })
})
