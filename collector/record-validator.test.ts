import { describe, expect, it } from 'vitest'
import { modelSpecSchema } from '../config/index.ts'
import { EVERY_KIND_FEATURES } from '../test/support/models.ts'
import type { Rule } from './record-schema.ts'
import { createRecordValidator, MAX_FUTURE_SKEW_MS, MAX_QUARANTINED_CHARS, type RecordValidator } from './record-validator.ts'

const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0)
const DAY_MS = 24 * 3600 * 1000
const RETENTION_DAYS = 90

const validator = (spec: unknown): RecordValidator => createRecordValidator(modelSpecSchema.parse(spec), { retentionDays: RETENTION_DAYS })

/** The foundation issue's model, plus one feature of every kind the schema can declare. */
const binary = validator({
  name: 'booking-spam',
  task: 'binary_classification',
  features: EVERY_KIND_FEATURES,
})
const multiclass = validator({
  name: 'intent',
  task: 'multiclass_classification',
  features: { words: { type: 'number', integer: true, min: 0 }, lang: { type: 'category', values: ['en', 'de'] } },
  unknownFeatures: 'drop',
})
const regression = validator({ name: 'demand', task: 'regression', features: { temp_c: { type: 'number', min: -50, max: 60 }, weekend: { type: 'boolean' } } })

const booking = (over: Record<string, unknown> = {}, features: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'p-1',
  features: { height_cm: 172.5, note: 'hello', ...features },
  prediction: 0.93,
  ...over,
})
const intent = (over: Record<string, unknown> = {}, features: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'i-1',
  features: { words: 12, lang: 'en', ...features },
  prediction: 'greeting',
  ...over,
})
const demand = (over: Record<string, unknown> = {}, features: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'd-1',
  features: { temp_c: 21.5, weekend: false, ...features },
  prediction: 412.5,
  ...over,
})

interface RejectionCase {
  readonly name: string
  readonly validator: RecordValidator
  readonly kind: 'prediction' | 'label'
  readonly record: unknown
  readonly field: string
  readonly rule: Rule
  /** Words of the message that state what was expected; the field and the value are checked separately. */
  readonly expects: string
  /** How the offending value is rendered in the message. */
  readonly shows: string
}

const rejections: RejectionCase[] = [
  // required
  { name: 'a missing required feature', validator: binary, kind: 'prediction', record: { id: 'p', features: { note: 'x' }, prediction: 0.5 }, field: 'features.height_cm', rule: 'required', expects: 'is required', shows: '' },
  { name: 'a missing id', validator: binary, kind: 'prediction', record: { features: { height_cm: 100, note: 'x' }, prediction: 0.5 }, field: 'id', rule: 'required', expects: 'is required', shows: '' },
  { name: 'missing features', validator: binary, kind: 'prediction', record: { id: 'p', prediction: 0.5 }, field: 'features', rule: 'required', expects: 'is required', shows: '' },
  { name: 'a null prediction with status ok', validator: binary, kind: 'prediction', record: booking({ prediction: null }), field: 'prediction', rule: 'required', expects: 'is required when status is "ok"', shows: '' },
  { name: 'a missing prediction', validator: regression, kind: 'prediction', record: { id: 'p', features: { temp_c: 1, weekend: true } }, field: 'prediction', rule: 'required', expects: 'is required', shows: '' },
  { name: 'a missing label', validator: binary, kind: 'label', record: { id: 'p' }, field: 'label', rule: 'required', expects: 'is required', shows: '' },
  { name: 'a label without id', validator: multiclass, kind: 'label', record: { label: 'greeting' }, field: 'id', rule: 'required', expects: 'is required', shows: '' },
  // type
  { name: 'height_cm given as a word', validator: binary, kind: 'prediction', record: booking({}, { height_cm: 'tall' }), field: 'features.height_cm', rule: 'type', expects: 'must be a number from 30 to 300', shows: '"tall"' },
  { name: 'a required feature sent as null', validator: binary, kind: 'prediction', record: booking({}, { height_cm: null }), field: 'features.height_cm', rule: 'required', expects: 'is required', shows: 'null' },
  { name: 'NaN as a string', validator: binary, kind: 'prediction', record: booking({}, { height_cm: 'NaN' }), field: 'features.height_cm', rule: 'type', expects: 'must be a number from 30 to 300', shows: '"NaN"' },
  { name: 'NaN as a number', validator: binary, kind: 'prediction', record: booking({}, { height_cm: Number.NaN }), field: 'features.height_cm', rule: 'type', expects: 'must be a number from 30 to 300', shows: 'NaN' },
  { name: 'Infinity', validator: binary, kind: 'prediction', record: booking({}, { height_cm: Number.POSITIVE_INFINITY }), field: 'features.height_cm', rule: 'type', expects: 'must be a number from 30 to 300', shows: 'Infinity' },
  { name: 'a number given as an array', validator: binary, kind: 'prediction', record: booking({}, { height_cm: [172] }), field: 'features.height_cm', rule: 'type', expects: 'must be a number', shows: 'an array of 1' },
  { name: 'a fractional integer feature', validator: binary, kind: 'prediction', record: booking({}, { nights: 2.5 }), field: 'features.nights', rule: 'type', expects: 'must be an integer of at least 1', shows: '2.5' },
  { name: 'a boolean feature given as "yes"', validator: binary, kind: 'prediction', record: booking({}, { vip: 'yes' }), field: 'features.vip', rule: 'type', expects: 'must be true or false', shows: '"yes"' },
  { name: 'a text feature given as a number', validator: binary, kind: 'prediction', record: booking({}, { note: 42 }), field: 'features.note', rule: 'type', expects: 'must be a string', shows: '42' },
  { name: 'a free category given as a number', validator: binary, kind: 'prediction', record: booking({}, { channel: 7 }), field: 'features.channel', rule: 'type', expects: 'must be a string category', shows: '7' },
  { name: 'features given as an array', validator: binary, kind: 'prediction', record: booking({ features: [] }), field: 'features', rule: 'type', expects: 'expected object', shows: 'an array of 0' },
  { name: 'a record that is not an object', validator: binary, kind: 'prediction', record: 'hello', field: '(record)', rule: 'type', expects: 'expected object', shows: '"hello"' },
  { name: 'a record that is null', validator: binary, kind: 'label', record: null, field: '(record)', rule: 'type', expects: 'expected object', shows: 'null' },
  { name: 'an id that is an object', validator: binary, kind: 'prediction', record: booking({ id: { a: 1 } }), field: 'id', rule: 'type', expects: 'must be a non-empty string', shows: 'an object' },
  { name: 'a version that is a number', validator: binary, kind: 'prediction', record: booking({ version: 3 }), field: 'version', rule: 'type', expects: 'must be a string', shows: '3' },
  { name: 'a status in capitals', validator: binary, kind: 'prediction', record: booking({ status: 'OK!' }), field: 'status', rule: 'type', expects: 'short lower-case word', shows: '"OK!"' },
  { name: 'a binary prediction given as an array', validator: binary, kind: 'prediction', record: booking({ prediction: [0.1] }), field: 'prediction', rule: 'type', expects: 'must be a probability from 0 to 1, a class name, or class scores', shows: 'an array of 1' },
  { name: 'a fractional class index', validator: multiclass, kind: 'prediction', record: intent({ prediction: 1.5 }), field: 'prediction', rule: 'type', expects: 'must be a class name, a class index, or class scores', shows: '1.5' },
  { name: 'a regression prediction given as a string', validator: regression, kind: 'prediction', record: demand({ prediction: '412' }), field: 'prediction', rule: 'type', expects: 'must be a finite number', shows: '"412"' },
  { name: 'a regression prediction that is NaN', validator: regression, kind: 'prediction', record: demand({ prediction: Number.NaN }), field: 'prediction', rule: 'type', expects: 'must be a finite number', shows: 'NaN' },
  { name: 'class scores with a non-numeric score', validator: multiclass, kind: 'prediction', record: intent({ prediction: { greeting: 'high' } }), field: 'prediction', rule: 'type', expects: 'must be a class name, a class index, or class scores', shows: 'an object' },
  { name: 'a binary label of 2', validator: binary, kind: 'label', record: { id: 'p', label: 2 }, field: 'label', rule: 'type', expects: 'must be 0, 1, true, false, or a class name', shows: '2' },
  { name: 'a binary label of 0.5', validator: binary, kind: 'label', record: { id: 'p', label: 0.5 }, field: 'label', rule: 'type', expects: 'must be 0, 1, true, false, or a class name', shows: '0.5' },
  { name: 'a multiclass label that is a boolean', validator: multiclass, kind: 'label', record: { id: 'p', label: true }, field: 'label', rule: 'type', expects: 'must be a class name or a class index', shows: 'true' },
  { name: 'a regression label given as a word', validator: regression, kind: 'label', record: { id: 'p', label: 'many' }, field: 'label', rule: 'type', expects: 'must be a finite number', shows: '"many"' },
  { name: 'a ts that is a fraction of a millisecond', validator: binary, kind: 'prediction', record: booking({ ts: 1.5 }), field: 'ts', rule: 'type', expects: 'must be an ISO-8601 time or epoch milliseconds', shows: '1.5' },
  // range
  { name: 'height_cm of 3000', validator: binary, kind: 'prediction', record: booking({}, { height_cm: 3000 }), field: 'features.height_cm', rule: 'range', expects: 'must be a number from 30 to 300', shows: '3000' },
  { name: 'height_cm just under the minimum', validator: binary, kind: 'prediction', record: booking({}, { height_cm: 29.99 }), field: 'features.height_cm', rule: 'range', expects: 'must be a number from 30 to 300', shows: '29.99' },
  { name: 'a huge number', validator: binary, kind: 'prediction', record: booking({}, { height_cm: 1e308 }), field: 'features.height_cm', rule: 'range', expects: 'must be a number from 30 to 300', shows: '1e+308' },
  { name: 'an integer feature under its minimum', validator: binary, kind: 'prediction', record: booking({}, { nights: 0 }), field: 'features.nights', rule: 'range', expects: 'must be an integer of at least 1', shows: '0' },
  { name: 'a number over its maximum only', validator: binary, kind: 'prediction', record: booking({}, { discount: 0.75 }), field: 'features.discount', rule: 'range', expects: 'must be a number of at most 0.5', shows: '0.75' },
  { name: 'a probability over 1', validator: binary, kind: 'prediction', record: booking({ prediction: 1.5 }), field: 'prediction', rule: 'range', expects: '1', shows: '1.5' },
  { name: 'a negative latency', validator: binary, kind: 'prediction', record: booking({ latency_ms: -1 }), field: 'latency_ms', rule: 'range', expects: 'must be a number of milliseconds from 0 to 3600000', shows: '-1' },
  { name: 'a latency over an hour', validator: regression, kind: 'prediction', record: demand({ latency_ms: 3_600_001 }), field: 'latency_ms', rule: 'range', expects: 'must be a number of milliseconds from 0 to 3600000', shows: '3600001' },
  { name: 'a negative class index label', validator: multiclass, kind: 'label', record: { id: 'p', label: -1 }, field: 'label', rule: 'range', expects: '0', shows: '-1' },
  { name: 'a negative numeric id', validator: binary, kind: 'prediction', record: booking({ id: -1 }), field: 'id', rule: 'range', expects: 'non-negative integer', shows: '-1' },
  // category
  { name: 'a country outside the list', validator: binary, kind: 'prediction', record: booking({}, { country: 'US' }), field: 'features.country', rule: 'category', expects: 'must be one of CH, DE, FR', shows: '"US"' },
  { name: 'a category in the wrong case', validator: multiclass, kind: 'prediction', record: intent({}, { lang: 'EN' }), field: 'features.lang', rule: 'category', expects: 'must be one of en, de', shows: '"EN"' },
  // length
  { name: 'a text over its maxLength', validator: binary, kind: 'prediction', record: booking({}, { note: 'x'.repeat(21) }), field: 'features.note', rule: 'length', expects: 'must be at most 20 characters', shows: `"${'x'.repeat(21)}"` },
  { name: 'a free category over 1024 characters', validator: binary, kind: 'prediction', record: booking({}, { channel: 'c'.repeat(1025) }), field: 'features.channel', rule: 'length', expects: 'must be at most 1024 characters', shows: `"${'c'.repeat(57)}..."` },
  { name: 'a version over 128 characters', validator: binary, kind: 'prediction', record: booking({ version: 'v'.repeat(129) }), field: 'version', rule: 'length', expects: 'must be at most 128 characters', shows: `"${'v'.repeat(57)}..."` },
  // unknown_feature, unknown_field
  { name: 'a feature the schema does not declare', validator: binary, kind: 'prediction', record: booking({}, { weight_kg: 80 }), field: 'features.weight_kg', rule: 'unknown_feature', expects: "is not in the model's schema", shows: '' },
  { name: 'a feature named like an Object method', validator: regression, kind: 'prediction', record: JSON.parse('{"id":"d","features":{"temp_c":1,"weekend":true,"toString":1},"prediction":1}'), field: 'features.toString', rule: 'unknown_feature', expects: "is not in the model's schema", shows: '' },
  { name: 'a feature named __proto__', validator: regression, kind: 'prediction', record: JSON.parse('{"id":"d","features":{"temp_c":1,"weekend":true,"__proto__":{"x":1}},"prediction":1}'), field: 'features.__proto__', rule: 'unknown_feature', expects: "is not in the model's schema", shows: '' },
  { name: 'an unknown top-level field of a prediction', validator: binary, kind: 'prediction', record: booking({ score: 1 }), field: 'score', rule: 'unknown_field', expects: 'is not a known field', shows: '' },
  { name: 'an unknown top-level field of a label', validator: regression, kind: 'label', record: { id: 'p', label: 1, confidence: 0.9 }, field: 'confidence', rule: 'unknown_field', expects: 'is not a known field', shows: '' },
  { name: 'an unknown field even when unknown features are dropped', validator: multiclass, kind: 'prediction', record: intent({ extra: true }), field: 'extra', rule: 'unknown_field', expects: 'is not a known field', shows: '' },
  // time
  { name: 'a ts that is not a time', validator: binary, kind: 'prediction', record: booking({ ts: 'yesterday' }), field: 'ts', rule: 'time', expects: 'must be an ISO-8601 time or epoch milliseconds', shows: '"yesterday"' },
  { name: 'a ts more than 24 hours ahead', validator: binary, kind: 'prediction', record: booking({ ts: NOW_MS + MAX_FUTURE_SKEW_MS + 1 }), field: 'ts', rule: 'time', expects: 'must not be more than 24 hours in the future', shows: String(NOW_MS + MAX_FUTURE_SKEW_MS + 1) },
  { name: 'a ts older than the retention', validator: binary, kind: 'prediction', record: booking({ ts: NOW_MS - (RETENTION_DAYS * DAY_MS + 1) }), field: 'ts', rule: 'time', expects: `must be within the retention of ${RETENTION_DAYS} days`, shows: String(NOW_MS - (RETENTION_DAYS * DAY_MS + 1)) },
  { name: 'epoch seconds mistaken for milliseconds', validator: regression, kind: 'prediction', record: demand({ ts: NOW_MS / 1000 }), field: 'ts', rule: 'time', expects: 'retention', shows: String(NOW_MS / 1000) },
  { name: 'a label ts years in the past', validator: regression, kind: 'label', record: { id: 'p', label: 3, ts: '2020-01-01T00:00:00Z' }, field: 'ts', rule: 'time', expects: 'retention', shows: '"2020-01-01T00:00:00Z"' },
  { name: 'a label ts far in the future', validator: multiclass, kind: 'label', record: { id: 'p', label: 'greeting', ts: '2030-01-01T00:00:00Z' }, field: 'ts', rule: 'time', expects: '24 hours in the future', shows: '"2030-01-01T00:00:00Z"' },
]

const check = (c: { validator: RecordValidator; kind: 'prediction' | 'label'; record: unknown }) => (c.kind === 'prediction' ? c.validator.prediction(c.record, NOW_MS) : c.validator.label(c.record, NOW_MS))

describe('createRecordValidator', () => {
  describe('rejects a record with one problem, naming the field, the rule and the value', () => {
    it.each(rejections)('$kind of $validator.model.name: $name → $rule on $field', (c) => {
      const result = check(c)
      expect(result.ok).toBe(false)
      if (result.ok) return
      expect(result.fields).toEqual([c.field])
      expect(result.rules).toEqual([c.rule])
      expect(result.errors).toHaveLength(1)
      const message = result.errors[0]!
      expect(message.startsWith(`${c.field}: `)).toBe(true)
      expect(message).toContain(c.expects)
      if (c.shows) expect(message).toContain(`got ${c.shows}`)
    })

    it('covers every rule but parse (which belongs to NDJSON lines) in the table above', () => {
      const covered = new Set(rejections.map((c) => c.rule))
      const all: Rule[] = ['required', 'type', 'range', 'category', 'length', 'unknown_field', 'unknown_feature', 'time']
      expect([...covered].sort()).toEqual([...all].sort())
      for (const task of ['binary_classification', 'multiclass_classification', 'regression']) {
        for (const kind of ['prediction', 'label'] as const) expect(rejections.some((c) => c.validator.model.task === task && c.kind === kind), `${task} ${kind}`).toBe(true)
      }
    })
  })

  it('treats null optional fields as absent, as clients that send None expect', () => {
    const out = binary.prediction(booking({ ts: null, version: null, latency_ms: null, status: null }), NOW_MS)
    expect(out.ok).toBe(true)
    if (out.ok) expect(out.row).toMatchObject({ tsMs: NOW_MS, version: '', latencyMs: null, status: 'ok' })
  })

  it('reports every problem of a record, not only the first', () => {
    const result = binary.prediction({ id: '', features: { height_cm: 3000, country: 'US', colour: 'red' }, prediction: 2, status: 'Bad', extra: 1 }, NOW_MS)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.fields.sort()).toEqual(['extra', 'features.colour', 'features.country', 'features.height_cm', 'features.note', 'id', 'prediction', 'status'])
    expect(new Set(result.rules)).toEqual(new Set<Rule>(['range', 'category', 'unknown_feature', 'required', 'type', 'unknown_field']))
    expect(result.errors).toHaveLength(result.fields.length)
    expect(result.errors).toContain('features.height_cm: must be a number from 30 to 300, got 3000')
    expect(result.errors).toContain('features.country: must be one of CH, DE, FR, got "US"')
    expect(result.errors).toContain('features.note: is required')
    expect(result.errors).toContain("features.colour: is not in the model's schema")
    expect(result.errors).toContain('extra: is not a known field')
  })

  describe('accepts valid predictions and turns them into rows', () => {
    const base = { version: '', receivedAtMs: NOW_MS, latencyMs: null, status: 'ok' }
    const cases: Array<{ name: string; validator: RecordValidator; record: Record<string, unknown>; row: Record<string, unknown> }> = [
      {
        name: 'a failed multiclass prediction without a prediction, as the model server logs it',
        validator: multiclass,
        record: intent({ prediction: undefined, status: 'error', latency_ms: 1.5 }),
        row: { prediction: null, predictionClass: '', predictionScores: {}, status: 'error', latencyMs: 1.5 },
      },
      {
        name: 'a binary probability with every optional field',
        validator: binary,
        record: booking({ ts: '2026-01-15T11:59:59.123Z', version: 'v3', latency_ms: 4.2, status: 'error' }, { country: 'CH', nights: 3, discount: 0.1, vip: true, channel: 'web' }),
        row: {
          model: 'booking-spam',
          version: 'v3',
          id: 'p-1',
          tsMs: Date.UTC(2026, 0, 15, 11, 59, 59, 123),
          numFeatures: { height_cm: 172.5, nights: 3, discount: 0.1, vip: 1 },
          strFeatures: { country: 'CH', channel: 'web' },
          textFeatures: { note: 'hello' },
          prediction: 0.93,
          predictionClass: '',
          predictionScores: {},
          latencyMs: 4.2,
          status: 'error',
        },
      },
      {
        name: 'optional features absent, ts defaulting to now',
        validator: binary,
        record: booking(),
        row: { ...base, id: 'p-1', tsMs: NOW_MS, numFeatures: { height_cm: 172.5 }, strFeatures: {}, textFeatures: { note: 'hello' }, prediction: 0.93, predictionClass: '' },
      },
      {
        name: 'optional features sent as null, which are left out of the row',
        validator: binary,
        record: booking({}, { country: null, nights: null, vip: null, channel: null }),
        row: { ...base, numFeatures: { height_cm: 172.5 }, strFeatures: {}, textFeatures: { note: 'hello' } },
      },
      {
        name: 'a false boolean feature as 0 and a range boundary',
        validator: binary,
        record: booking({ ts: NOW_MS - 1000 }, { height_cm: 300, vip: false }),
        row: { tsMs: NOW_MS - 1000, numFeatures: { height_cm: 300, vip: 0 } },
      },
      {
        name: 'a binary prediction given as true',
        validator: binary,
        record: booking({ prediction: true }),
        row: { prediction: 1, predictionClass: '', predictionScores: {} },
      },
      {
        name: 'a binary prediction given as a class name',
        validator: binary,
        record: booking({ prediction: 'spam' }),
        row: { prediction: null, predictionClass: 'spam', predictionScores: {} },
      },
      {
        name: 'binary class scores, whose argmax is the class',
        validator: binary,
        record: booking({ prediction: { spam: 0.2, ham: 0.8 } }),
        row: { prediction: null, predictionClass: 'ham', predictionScores: { spam: 0.2, ham: 0.8 } },
      },
      {
        name: 'a multiclass class name with an unknown feature dropped',
        validator: multiclass,
        record: intent({ id: 42 }, { emoji: '👋', length: 3 }),
        row: { model: 'intent', id: '42', numFeatures: { words: 12 }, strFeatures: { lang: 'en' }, prediction: null, predictionClass: 'greeting', predictionScores: {} },
      },
      {
        name: 'a multiclass class index, kept as number and class',
        validator: multiclass,
        record: intent({ prediction: 2 }),
        row: { prediction: 2, predictionClass: '2', predictionScores: {} },
      },
      {
        name: 'multiclass class scores, whose argmax is the class (first one on a tie)',
        validator: multiclass,
        record: intent({ prediction: { bye: 0.1, greeting: 0.45, question: 0.45 } }),
        row: { prediction: null, predictionClass: 'greeting', predictionScores: { bye: 0.1, greeting: 0.45, question: 0.45 } },
      },
      {
        name: 'a regression value with a true boolean feature',
        validator: regression,
        record: demand({ latency_ms: 0 }, { weekend: true, temp_c: -50 }),
        row: { model: 'demand', numFeatures: { temp_c: -50, weekend: 1 }, strFeatures: {}, prediction: 412.5, predictionClass: '', latencyMs: 0 },
      },
      {
        name: 'a ts exactly 24 hours ahead (the allowed clock skew)',
        validator: regression,
        record: demand({ ts: NOW_MS + MAX_FUTURE_SKEW_MS }),
        row: { tsMs: NOW_MS + MAX_FUTURE_SKEW_MS },
      },
      {
        name: 'a ts exactly at the retention edge',
        validator: regression,
        record: demand({ ts: NOW_MS - RETENTION_DAYS * DAY_MS }),
        row: { tsMs: NOW_MS - RETENTION_DAYS * DAY_MS },
      },
    ]
    it.each(cases)('$name', ({ validator: v, record, row }) => {
      const result = v.prediction(record, NOW_MS)
      expect(result).toMatchObject({ ok: true, row })
    })
  })

  describe('accepts valid labels for each task', () => {
    const cases: Array<{ name: string; validator: RecordValidator; label: unknown; row: { label: number | null; labelClass: string } }> = [
      { name: 'binary 1', validator: binary, label: 1, row: { label: 1, labelClass: '' } },
      { name: 'binary 0', validator: binary, label: 0, row: { label: 0, labelClass: '' } },
      { name: 'binary true as 1', validator: binary, label: true, row: { label: 1, labelClass: '' } },
      { name: 'binary false as 0', validator: binary, label: false, row: { label: 0, labelClass: '' } },
      { name: 'binary class name', validator: binary, label: 'spam', row: { label: null, labelClass: 'spam' } },
      { name: 'multiclass class name', validator: multiclass, label: 'greeting', row: { label: null, labelClass: 'greeting' } },
      { name: 'multiclass class index', validator: multiclass, label: 3, row: { label: 3, labelClass: '3' } },
      { name: 'regression value', validator: regression, label: -12.25, row: { label: -12.25, labelClass: '' } },
    ]
    it.each(cases)('$name', ({ validator: v, label, row }) => {
      const ts = NOW_MS - 3 * DAY_MS
      expect(v.label({ id: 'p-9', label, ts: new Date(ts).toISOString() }, NOW_MS)).toEqual({
        ok: true,
        row: { model: v.model.name, id: 'p-9', tsMs: ts, receivedAtMs: NOW_MS, ...row },
      })
    })

    it('defaults a label ts to now and turns a numeric id into a string', () => {
      expect(regression.label({ id: 7, label: 1 }, NOW_MS)).toMatchObject({ ok: true, row: { id: '7', tsMs: NOW_MS } })
    })
  })

  describe('quarantine', () => {
    it('keeps the raw record, its id, the reasons, the fields and the rules', () => {
      const record = booking({ id: 'bad-1' }, { height_cm: 3000 })
      const rejected = binary.prediction(record, NOW_MS)
      if (rejected.ok) throw new Error('expected a rejection')
      const row = binary.quarantine('prediction', record, rejected, NOW_MS)
      expect(row).toEqual({
        model: 'booking-spam',
        kind: 'prediction',
        receivedAtMs: NOW_MS,
        tsMs: NOW_MS,
        recordId: 'bad-1',
        recordHash: expect.stringMatching(/^[0-9a-f]{32}$/),
        raw: JSON.stringify(record),
        reasons: ['features.height_cm: must be a number from 30 to 300, got 3000'],
        fields: ['features.height_cm'],
        rules: ['range'],
      })
    })

    it('keeps the record time of a quarantined record when it is readable, else the time of receipt', () => {
      const timed = booking({ id: 'bad-2', ts: NOW_MS - 3_600_000 }, { height_cm: 3000 })
      const r1 = binary.prediction(timed, NOW_MS)
      if (r1.ok) throw new Error('expected a rejection')
      expect(binary.quarantine('prediction', timed, r1, NOW_MS).tsMs).toBe(NOW_MS - 3_600_000)
      const unreadable = booking({ id: 'bad-3', ts: 'yesterday' })
      const r2 = binary.prediction(unreadable, NOW_MS)
      if (r2.ok) throw new Error('expected a rejection')
      expect(binary.quarantine('prediction', unreadable, r2, NOW_MS).tsMs).toBe(NOW_MS)
    })

    it('hashes the same record to the same hash per kind, and a different record to another', () => {
      const record = { id: 'x', label: 7 }
      const rejected = binary.label(record, NOW_MS)
      if (rejected.ok) throw new Error('expected a rejection')
      const a = binary.quarantine('label', record, rejected, NOW_MS).recordHash
      expect(binary.quarantine('label', { ...record }, rejected, NOW_MS + 5).recordHash).toBe(a)
      expect(binary.quarantine('prediction', record, rejected, NOW_MS).recordHash).not.toBe(a)
      expect(binary.quarantine('label', { id: 'x', label: 8 }, rejected, NOW_MS).recordHash).not.toBe(a)
    })

    it('cuts a huge raw record and keeps records it cannot serialise', () => {
      const huge = booking({}, { note: 'n'.repeat(MAX_QUARANTINED_CHARS * 2) })
      const rejected = binary.prediction(huge, NOW_MS)
      if (rejected.ok) throw new Error('expected a rejection')
      expect(rejected.rules).toEqual(['length'])
      expect(binary.quarantine('prediction', huge, rejected, NOW_MS).raw).toHaveLength(MAX_QUARANTINED_CHARS)

      const cyclic: Record<string, unknown> = { id: 'c' }
      cyclic.self = cyclic
      const bad = binary.prediction(cyclic, NOW_MS)
      if (bad.ok) throw new Error('expected a rejection')
      const row = binary.quarantine('prediction', cyclic, bad, NOW_MS)
      expect(JSON.parse(row.raw).unserialisable).toMatch(/^an object/)
      expect(row.recordId).toBe('c')
    })

    it('leaves the record id empty when the record has none usable', () => {
      const rejected = binary.prediction('not a record', NOW_MS)
      if (rejected.ok) throw new Error('expected a rejection')
      expect(binary.quarantine('prediction', 'not a record', rejected, NOW_MS)).toMatchObject({ recordId: '', raw: '"not a record"' })
      expect(binary.quarantine('prediction', { id: { nested: 1 } }, rejected, NOW_MS).recordId).toBe('')
    })
  })
})

describe('reason caps', () => {
  it('keeps at most twenty short reasons for a record that breaks thousands of rules, and says how many more', () => {
    const features: Record<string, unknown> = { height_cm: 100, note: 'x' }
    for (let i = 0; i < 5000; i++) features[`k${i}${'x'.repeat(i === 0 ? 5000 : 0)}`] = 1
    const out = binary.prediction({ id: 'many', features, prediction: 0.5 }, NOW_MS)
    if (out.ok) throw new Error('expected a rejection')
    expect(out.errors).toHaveLength(21)
    expect(out.errors[20]).toBe('(record): and 4980 more problems')
    expect(Math.max(...out.errors.map((e) => e.length))).toBeLessThanOrEqual(300)
    expect(out.rules).toHaveLength(20)
  })
})
