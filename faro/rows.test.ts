import { describe, expect, it } from 'vitest'
import { faroPayloadSchema } from './payload.ts'
import { labelValue, payloadRows } from './rows.ts'

const payload = faroPayloadSchema.parse({
  meta: {
    app: { name: 'booking-demo', version: '1.0.0', environment: 'demo' },
    session: { id: 'sess-1' },
    page: { url: 'http://localhost/demo', id: 'p1' },
    browser: { name: 'Chrome', version: '140', os: 'Linux', mobile: false, userAgent: 'x', extra: 'ignored' },
    view: { name: 'default' },
  },
  events: [
    { name: 'label', attributes: { model: 'booking-spam', prediction_id: 'pred-1', label: 'spam' }, timestamp: '2026-12-08T10:00:00.000Z' },
    { name: 'session_start', domain: 'browser', timestamp: 'not a time' },
  ],
  measurements: [{ type: 'web-vitals', values: { fcp: 120.5, ttfb: 12 }, timestamp: '2026-12-08T10:00:01.000Z', context: { id: 'v1' } }],
  logs: [{ message: 'hello', level: 'info', context: { n: 3 }, timestamp: '2026-12-08T10:00:02.000Z' }],
  exceptions: [{ type: 'Error', value: 'boom', stacktrace: { frames: [{ function: 'f', filename: 'app.js', lineno: 1, colno: 2 }] }, timestamp: '2026-12-08T10:00:03.000Z' }],
  traces: { resourceSpans: [] },
})

describe('payloadRows', () => {
  const { rows, labels } = payloadRows(payload, { app: 'booking-demo', receivedAtMs: 5, idempotencyKey: 'key-1' })

  it('makes one row per event, measurement, log and exception, each with the payload\'s app, session, page and browser', () => {
    expect(rows.map((r) => [r.kind, r.name])).toEqual([
      ['event', 'label'],
      ['event', 'session_start'],
      ['measurement', 'web-vitals'],
      ['log', 'info'],
      ['exception', 'Error'],
    ])
    for (const r of rows) expect(r).toMatchObject({ app: 'booking-demo', appVersion: '1.0.0', sessionId: 'sess-1', pageUrl: 'http://localhost/demo', browserName: 'Chrome', idempotencyKey: 'key-1' })
  })

  it('keeps values, contexts as text and Alloy\'s stack trace layout', () => {
    expect(rows[2]!.values).toEqual({ fcp: 120.5, ttfb: 12 })
    expect(rows[3]!.attributes).toEqual({ n: '3' })
    expect(rows[4]!.stacktrace).toBe('Error: boom\n  at f (app.js:1:2)')
  })

  it('stamps an unreadable timestamp with the time of receipt', () => {
    expect(rows[0]!.tsMs).toBe(Date.parse('2026-12-08T10:00:00.000Z'))
    expect(rows[1]!.tsMs).toBe(5)
  })

  it('picks out label events with their model, prediction id and row', () => {
    expect(labels).toEqual([{ row: 0, model: 'booking-spam', predictionId: 'pred-1', label: 'spam', tsMs: Date.parse('2026-12-08T10:00:00.000Z') }])
    expect(rows[0]).toMatchObject({ model: 'booking-spam', predictionId: 'pred-1' })
  })
})

describe('labelValue', () => {
  it.each([
    ['1', 'binary_classification', 1],
    ['true', 'binary_classification', true],
    ['spam', 'binary_classification', 'spam'],
    ['2.5', 'regression', 2.5],
    ['3', 'multiclass_classification', '3'],
    ['', 'regression', ''],
  ] as const)('reads %j for a %s model as %j', (raw, task, want) => {
    expect(labelValue(raw, task)).toBe(want)
  })
})

describe('faroPayloadSchema', () => {
  it('names the field of the wrong type', () => {
    const parsed = faroPayloadSchema.safeParse({ meta: {}, events: [{ name: 3 }] })
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues[0]!.path).toEqual(['events', 0, 'name'])
  })
})
