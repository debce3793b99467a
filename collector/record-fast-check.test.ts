import { describe, expect, it } from 'vitest'
import { modelSpecSchema, type ModelSpec } from '../config/index.ts'
import { benchModelConfig, makeBodies } from '../bench/ingest-workload.ts'
import { payloadAt, referenceRecordCount, type FuzzLimits } from '../test/support/fuzz-payloads.ts'
import { EVERY_KIND_FEATURES } from '../test/support/models.ts'
import { BOOKING_MODEL } from '../test/support/service.ts'
import { compileFastPredictionCheck } from './record-fast-check.ts'
import { createRecordValidator } from './record-validator.ts'

// The fast check may only ever stand in for zod where zod would accept the record unchanged: with it on, the
// validator must answer exactly as with zod alone, byte for byte (rows in the same key order, same errors).

const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0)
const RETENTION_DAYS = 90
const LIMITS: FuzzLimits = { maxBodyBytes: 4 * 1024 * 1024, maxRecordsPerRequest: 200 }

const model = (spec: unknown): ModelSpec => modelSpecSchema.parse(spec)
const MODELS: readonly ModelSpec[] = [
  model(BOOKING_MODEL),
  model({
    name: 'every-kind',
    task: 'binary_classification',
    features: EVERY_KIND_FEATURES,
  }),
  model({ name: 'intent', task: 'multiclass_classification', features: { words: { type: 'number', integer: true, min: 0 }, lang: { type: 'category', values: ['en', 'de'] } }, unknownFeatures: 'drop' }),
  model({ name: 'demand', task: 'regression', features: { temp_c: { type: 'number', min: -50, max: 60 }, weekend: { type: 'boolean' } } }),
  model(benchModelConfig()),
]

/** Validators with and without the fast path, per model. */
const pairs = MODELS.map((m) => ({
  model: m,
  fast: createRecordValidator(m, { retentionDays: RETENTION_DAYS }),
  zodOnly: createRecordValidator(m, { retentionDays: RETENTION_DAYS, fastPath: false }),
  check: compileFastPredictionCheck(m),
}))

/** Runs both validators over the records; returns the differences (as text, for the failure message) and how many records the fast check vouched for. */
function differences(records: readonly unknown[], models: readonly string[] = MODELS.map((m) => m.name)): { diffs: string[]; vouched: number; accepted: number } {
  const diffs: string[] = []
  let vouched = 0
  let accepted = 0
  for (const { model: m, fast, zodOnly, check } of pairs.filter((p) => models.includes(p.model.name))) {
    for (const record of records) {
      if (check(record)) vouched++
      const a = JSON.stringify(fast.prediction(record, NOW_MS))
      const b = JSON.stringify(zodOnly.prediction(record, NOW_MS))
      if (b.startsWith('{"ok":true')) accepted++
      if (a !== b && diffs.length < 5) diffs.push(`model ${m.name}, record ${JSON.stringify(record)?.slice(0, 300)}:\n  fast ${a.slice(0, 300)}\n  zod  ${b.slice(0, 300)}`)
    }
  }
  return { diffs, vouched, accepted }
}

/** The records of the fuzz payloads of one seed (JSON bodies and NDJSON lines that parse). */
function fuzzRecords(seed: number, count: number): unknown[] {
  const out: unknown[] = []
  for (let index = 0; index < count; index++) {
    const parsed = referenceRecordCount(payloadAt(seed, index, LIMITS, NOW_MS))
    if (parsed) out.push(...parsed.records.filter((r) => r !== undefined))
  }
  return out
}

/** A valid record of each model, then one field at a time set to values at and just past each rule's bounds. */
function boundaryRecords(): unknown[] {
  const base: Record<string, unknown> = { id: 'p-1', ts: NOW_MS - 60_000, version: 'v1', prediction: 0.5, latency_ms: 4.2, status: 'ok' }
  const values: unknown[] = [
    null, undefined, true, false, 0, -0, 1, -1, 0.5, 1.5, 30, 300, 29.999, 300.001, -50, 60, 60.5, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 63),
    1e308, Number.MAX_VALUE, Infinity, -Infinity, NaN, 3_600_000, 3_600_000.5, NOW_MS, NOW_MS + 0.5, String(NOW_MS), new Date(NOW_MS).toISOString(),
    '', ' ', 'x', 'CH', 'ch', 'en', 'error', 'ok', 'OK', 'timeout_2', '9lives', `a${'b'.repeat(31)}`, `a${'b'.repeat(32)}`,
    'x'.repeat(20), 'x'.repeat(21), 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(128), 'x'.repeat(129), 'x'.repeat(256), 'x'.repeat(257),
    'x'.repeat(1024), 'x'.repeat(1025), '\ud800', '😀'.repeat(11), [], [1], {}, { spam: 0.7, ham: 0.3 }, { '': 1 }, { a: NaN },
  ]
  const out: unknown[] = []
  for (const m of MODELS) {
    const features: Record<string, unknown> = {}
    for (const [name, f] of Object.entries(m.features)) {
      features[name] = f.type === 'number' ? (f.min ?? 0) : f.type === 'category' ? (f.values?.[0] ?? 'c') : f.type === 'text' ? 'hello' : true
    }
    const valid = { ...base, features, prediction: m.task === 'multiclass_classification' ? 'greeting' : 0.5 }
    out.push(valid)
    for (const key of [...Object.keys(base), 'features', 'nope', '__proto__']) {
      for (const v of values) out.push({ ...valid, [key]: v })
      const without: Record<string, unknown> = { ...valid }
      delete without[key]
      out.push(without)
    }
    for (const name of [...Object.keys(features), 'nope', 'constructor', '__proto__']) {
      for (const v of values) out.push({ ...valid, features: { ...features, [name]: v } })
      const without = { ...features }
      delete without[name]
      out.push({ ...valid, features: without })
    }
    // Own __proto__ keys, as JSON.parse makes them.
    out.push(JSON.parse(`{"id":"p","prediction":0.5,"features":{"__proto__":{"height_cm":100}},"__proto__":{"x":1}}`))
  }
  return out
}

describe('compileFastPredictionCheck', () => {
  it('answers every record of 4,000 fuzz payloads exactly as zod alone does, for the models they are made for', () => {
    const records = [...fuzzRecords(1, 2_000), ...fuzzRecords(20261126, 2_000)]
    // The payloads aim at booking-spam; "every-kind" shares its features and adds optional ones.
    const { diffs, vouched, accepted } = differences(records, [BOOKING_MODEL.name, 'every-kind'])
    expect(diffs).toEqual([])
    // The comparison means something only if the fast path took part: it vouched for most records zod accepted.
    expect(accepted).toBeGreaterThan(500)
    expect(vouched).toBeGreaterThan(accepted * 0.5)
  })

  it('answers records at and just past every rule bound exactly as zod alone does', () => {
    const { diffs, vouched } = differences(boundaryRecords())
    expect(diffs).toEqual([])
    expect(vouched).toBeGreaterThan(100)
  })

  it('vouches for every record of the benchmark workload, so zod runs for none of them', () => {
    const [body] = makeBodies({ runTag: 't', firstBatch: 0, count: 1, nowMs: NOW_MS }).bodies
    const records = (JSON.parse(body!.toString('utf8')) as { records: unknown[] }).records
    const check = compileFastPredictionCheck(model(benchModelConfig()))
    expect(records.filter((r) => !check(r))).toEqual([])
    expect(differences(records).diffs).toEqual([])
  })

  it('leaves to zod what it does not know: a missing prediction, class scores, unknown fields', () => {
    const check = compileFastPredictionCheck(model(BOOKING_MODEL))
    const valid = { id: 'p', features: { height_cm: 100, note: 'n' }, prediction: 0.5 }
    expect(check(valid)).toBe(true)
    expect(check({ ...valid, prediction: undefined, status: 'error' })).toBe(false)
    expect(check({ ...valid, prediction: { spam: 0.7, ham: 0.3 } })).toBe(false)
    expect(check({ ...valid, extra: 1 })).toBe(false)
    expect(check({ ...valid, features: { ...valid.features, extra: 1 } })).toBe(false)
  })
})
