import { deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib'
import { mulberry32 } from '../../random/index.ts'

// A seeded generator of hostile ingest requests. Every payload is a pure function of (seed, index), so a
// failure prints both and `payloadAt(seed, index, limits)` rebuilds the exact bytes that broke the service.

/** Convenience draws over a PRNG. */
export class Rng {
  readonly #next: () => number

  constructor(seed: number) {
    this.#next = mulberry32(seed)
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.#next()
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.#next() * (max - min + 1))
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.#next() < p
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#next() * items.length)]!
  }

  /** One key of a table of weights, in proportion to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as Array<[K, number]>
    let r = this.#next() * entries.reduce((n, [, w]) => n + w, 0)
    for (const [k, w] of entries) {
      r -= w
      if (r < 0) return k
    }
    return entries[entries.length - 1]![0]
  }
}

/** JSON text emitted verbatim: bare NaN, 1e400, -0, 30-digit integers, 10k-deep nesting. */
export class RawJson {
  readonly text: string
  constructor(text: string) {
    this.text = text
  }
}

/** A JSON object as ordered entries, so keys like `__proto__` and duplicate keys reach the wire as written. */
export class JsonObject {
  readonly entries: Array<[string, FuzzValue]>
  constructor(entries: Array<[string, FuzzValue]>) {
    this.entries = entries
  }
}

/** A value the generator can serialise. */
export type FuzzValue = null | boolean | number | string | RawJson | JsonObject | FuzzValue[]

/** Serialises a FuzzValue; strings go through JSON.stringify, so a lone surrogate travels as a `\ud800` escape. */
export function toJsonText(value: FuzzValue): string {
  if (value instanceof RawJson) return value.text
  if (value instanceof JsonObject) return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  return JSON.stringify(value)
}

/** Service limits the generator aims at (just within and just beyond). */
export interface FuzzLimits {
  readonly maxBodyBytes: number
  readonly maxRecordsPerRequest: number
}

/** One generated request. */
export interface FuzzPayload {
  /** Which generator made it, for the failure report. */
  readonly kind: string
  readonly path: string
  readonly headers: Record<string, string>
  readonly body: Uint8Array
  /** The model the request names when it is well formed; `retry-probe` requests carry `x-highway-attempt` > 1. */
  readonly model: string
  readonly endpoint: 'prediction' | 'label'
}

/** The model whose stored counts must match the answers exactly. */
export const FUZZ_MODEL = 'booking-spam'
/** A second model that receives retried requests (attempt > 1), whose dedup makes exact counting impossible. */
export const RETRY_PROBE_MODEL = 'retry-probe'

const SQL = [
  "'; DROP TABLE predictions; --",
  "'; DROP TABLE highway.quarantine; --",
  "\" OR 1=1 --",
  "1); DROP DATABASE highway; --",
  "\\'; SELECT * FROM system.tables; --",
  '{model:String}',
  '{ids:Array(String)}',
  '`predictions`',
  '\\N',
  "x' UNION ALL SELECT name FROM system.users --",
  "'; INSERT INTO highway.predictions VALUES ('x'); --",
]

const UNICODE = [
  '\ud800',
  '\udfff',
  'a\ud800b',
  'end\ud83d',
  '\udc00start',
  '\u202etxt.exe',
  '\u200b\u200c\u200d\ufeff',
  '\u2066isolate\u2069',
  'مرحبا بالعالم',
  'שלום',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  'e\u0301\u0327',
  'Z̷̢͉̈́a̵͙l̸g̶o̷',
  '\u0000',
  'nul\u0000inside',
  '\u0007\u001b[31m',
  '\uffff\ufffe',
  '\r\n\t',
  '\u2028\u2029',
  '𝕳𝖎𝖌𝖍𝖜𝖆𝖞',
]

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf', 'isPrototypeOf']

const NUMBER_TOKENS = ['NaN', 'Infinity', '-Infinity', '1e400', '-1e400', '1e-400', '-0', '-0.0', '123456789012345678901234567890', '-99999999999999999999', '9007199254740993', '1.7976931348623157e308', '5e-324', '0.1e1', '1E+2']
const INVALID_TOKENS = ['NaN', 'Infinity', '-Infinity', 'undefined', '+1', '01', '.5', '0x10', "'single'", '1_000', '- 1', 'nul', 'tru']

/** A string from the hostile pools, rarely long (10 KB to 70 KB; megabytes come from the `huge` kind). */
function nastyString(rng: Rng): string {
  switch (rng.weighted({ sql: 6, unicode: 6, proto: 4, lookalike: 4, mixed: 3, long: 1, random: 3 })) {
    case 'sql':
      return rng.pick(SQL)
    case 'unicode':
      return rng.pick(UNICODE)
    case 'proto':
      return rng.pick(PROTO_KEYS)
    case 'lookalike':
      return rng.pick(['', ' ', 'ok', 'OK', 'NaN', 'Infinity', '-Infinity', '1e400', 'null', 'true', '0', '-0', '2026-13-45T25:61:61Z', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00Z'])
    case 'mixed':
      return rng.pick(SQL) + rng.pick(UNICODE) + rng.pick(PROTO_KEYS)
    case 'long':
      return rng.pick(['a', '\u202e', '😀', "'", '\\', '"']).repeat(rng.pick([257, 257, 1025, 1025, 10_001, rng.int(60_000, 70_000)]))
    default:
      return String.fromCharCode(...Array.from({ length: rng.int(1, 40) }, () => rng.int(0, 0xffff)))
  }
}

function deepNesting(rng: Rng): RawJson {
  const depth = rng.pick([1_000, 10_000, 10_000, 10_000, 50_000])
  return rng.chance(0.5) ? new RawJson('['.repeat(depth) + ']'.repeat(depth)) : new RawJson('{"a":'.repeat(depth) + '1' + '}'.repeat(depth))
}

/** A value of any type, biased to what breaks parsers and schemas; deep nesting and long arrays are rarer, as they cost. */
function nastyValue(rng: Rng, depth = 0): FuzzValue {
  switch (rng.weighted({ plain: 4, token: 4, string: 8, deep: 1, array: 2, object: 2, pollute: 2, numberString: 2, longArray: 0.5, empty: 2 })) {
    case 'plain':
      return rng.pick<FuzzValue>([null, true, false, 0, -1, 0.5, 1.5, 2 ** 53 + 2, -(2 ** 63), Number.MAX_VALUE, Number.MIN_VALUE, 3_600_001])
    case 'token':
      return new RawJson(rng.pick(NUMBER_TOKENS.filter((t) => !/^-?(NaN|Infinity)$/.test(t))))
    case 'string':
      return nastyString(rng)
    case 'deep':
      return deepNesting(rng)
    case 'array':
      return depth > 2 ? [] : Array.from({ length: rng.int(0, 4) }, () => nastyValue(rng, depth + 1))
    case 'object':
      return depth > 2 ? new JsonObject([]) : new JsonObject(Array.from({ length: rng.int(0, 4) }, () => [nastyKey(rng), nastyValue(rng, depth + 1)]))
    case 'pollute':
      return new JsonObject([['__proto__', new JsonObject([['polluted', 'yes']])], ['constructor', new JsonObject([['prototype', new JsonObject([['polluted', 'yes']])]])]])
    case 'numberString':
      return rng.pick(['NaN', 'Infinity', '-Infinity', '1e400', '-0'])
    case 'longArray':
      return Array.from({ length: rng.int(100, 3_000) }, (_, i) => i)
    default:
      return rng.pick<FuzzValue>([[], '', new JsonObject([]), [null], [[]]])
  }
}

function nastyKey(rng: Rng): string {
  return rng.pick([() => rng.pick(PROTO_KEYS), () => rng.pick(SQL), () => rng.pick(UNICODE), () => nastyString(rng), () => rng.pick(['', 'height_cm ', 'HEIGHT_CM', 'features', 'id', 'note\u0000'])])()
}

interface RecordContext {
  readonly rng: Rng
  readonly idPrefix: string
  readonly nowMs: number
  n: number
}

const DAY_MS = 86_400_000

function goodTs(c: RecordContext): FuzzValue | undefined {
  // The last hour: each day a batch spans is one more ClickHouse part (partitioned by day), and parts cost time.
  const ms = c.nowMs - c.rng.int(0, 3_600_000)
  return c.rng.pick([undefined, ms, new Date(ms).toISOString()])
}

function goodPrediction(c: RecordContext): Array<[string, FuzzValue]> {
  const { rng } = c
  const entries: Array<[string, FuzzValue]> = [['id', rng.chance(0.9) ? `${c.idPrefix}-${c.n++}` : Number(`${rng.int(1, 9)}${String(c.n++).padStart(6, '0')}`)]]
  const ts = goodTs(c)
  if (ts !== undefined) entries.push(['ts', ts])
  if (rng.chance(0.5)) entries.push(['version', rng.pick(['v1', 'v2', ''])])
  const features: Array<[string, FuzzValue]> = [['height_cm', rng.int(30, 300) + (rng.chance(0.5) ? 0.5 : 0)], ['note', rng.pick(['', 'hello', 'grüezi', "it's"])]]
  if (rng.chance(0.6)) features.push(['country', rng.pick<FuzzValue>(['CH', 'DE', 'FR', null])])
  entries.push(['features', new JsonObject(features)])
  entries.push(['prediction', rng.pick<FuzzValue>([rng.float(), true, false, 'spam', new JsonObject([['spam', 0.7], ['ham', 0.3]])])])
  if (rng.chance(0.5)) entries.push(['latency_ms', rng.int(0, 5000) / 10])
  if (rng.chance(0.3)) entries.push(['status', rng.pick(['ok', 'error', 'timeout'])])
  return entries
}

function goodLabel(c: RecordContext): Array<[string, FuzzValue]> {
  const entries: Array<[string, FuzzValue]> = [
    ['id', `${c.idPrefix}-${c.n++}`],
    ['label', c.rng.pick<FuzzValue>([0, 1, true, false, 'spam'])],
  ]
  const ts = goodTs(c)
  if (ts !== undefined) entries.push(['ts', ts])
  return entries
}

/** Breaks a record in one to three ways: wrong types, hostile values and keys, missing fields, bad times. */
function mutate(c: RecordContext, entries: Array<[string, FuzzValue]>): FuzzValue {
  const { rng } = c
  const out = entries.map(([k, v]) => [k, v] as [string, FuzzValue])
  const features = (): Array<[string, FuzzValue]> | undefined => {
    const f = out.find(([k]) => k === 'features')?.[1]
    return f instanceof JsonObject ? f.entries : undefined
  }
  for (let m = rng.int(1, 3); m > 0; m--) {
    switch (rng.int(0, 11)) {
      case 0:
        return nastyValue(rng)
      case 1: {
        const i = rng.int(0, out.length - 1)
        out[i] = [out[i]![0], nastyValue(rng)]
        break
      }
      case 2:
        out.splice(rng.int(0, out.length - 1), 1)
        break
      case 3:
        out.push([nastyKey(rng), nastyValue(rng)])
        break
      case 4: {
        const f = features()
        if (f) f.push([nastyKey(rng), nastyValue(rng)])
        break
      }
      case 5: {
        const f = features()
        if (f && f.length) {
          const i = rng.int(0, f.length - 1)
          f[i] = [f[i]![0], nastyValue(rng)]
        }
        break
      }
      case 6:
        out.push(['ts', rng.pick<FuzzValue>([c.nowMs + 2 * DAY_MS, c.nowMs - 400 * DAY_MS, 8.64e15 + 1, -8.64e15 - 1, new RawJson('1e400'), new RawJson('-0'), nastyString(rng), 'NaN', 1.5, c.nowMs + 0.5])])
        break
      case 7:
        out.push(['prediction', rng.pick<FuzzValue>([new JsonObject([[nastyKey(rng), rng.float()]]), new JsonObject([['spam', nastyValue(rng)]]), new JsonObject([]), -0.1, 1.1, 'x'.repeat(257), nastyValue(rng)])])
        break
      case 8:
        out.push(['id', rng.pick<FuzzValue>([nastyValue(rng), '', 'x'.repeat(257), -1, 1.5, new RawJson('123456789012345678901234567890'), `${rng.pick(SQL)}${c.n++}`])])
        break
      case 9:
        out.push([rng.pick(PROTO_KEYS), new JsonObject([['polluted', 'yes']])])
        break
      case 10: {
        const f = features()
        if (f) f.push(['__proto__', new JsonObject([['height_cm', 100], ['polluted', 'yes']])])
        break
      }
      default:
        out.push(['latency_ms', rng.pick<FuzzValue>([-1, 3_600_001, new RawJson('1e400'), 'fast', nastyValue(rng)])])
    }
  }
  return new JsonObject(out)
}

/** A record: good (and stored) or broken (and quarantined), mostly broken. */
function record(c: RecordContext, endpoint: 'prediction' | 'label', pBad: number): FuzzValue {
  const good = endpoint === 'prediction' ? goodPrediction(c) : goodLabel(c)
  return c.rng.chance(pBad) ? mutate(c, good) : new JsonObject(good)
}

function envelope(model: FuzzValue, records: FuzzValue): string {
  return toJsonText(new JsonObject([['model', model], ['records', records]]))
}

function json(text: string, extra: Record<string, string> = {}): { headers: Record<string, string>; body: Uint8Array } {
  return { headers: { 'content-type': 'application/json', ...extra }, body: Buffer.from(text, 'utf8') }
}

/** Breaks JSON text: truncation, stray tokens, comments, BOM, unbalanced nesting. */
function corruptJson(rng: Rng, text: string): string {
  const at = rng.int(0, text.length)
  switch (rng.int(0, 8)) {
    case 0:
      return text.slice(0, at)
    case 1:
      return text.slice(0, at) + rng.pick(['{', '}', '[', ']', ',', ':', '"', '\\', '\u0000', '\ud800', ' ', "'"]) + text.slice(at)
    case 2:
      return text.replace(/:\s*-?\d[\d.eE+-]*/, `:${rng.pick(INVALID_TOKENS)}`)
    case 3:
      return text.replace(/]\s*}\s*$/, ',]}')
    case 4:
      return `/* comment */${text}`
    case 5:
      return `\ufeff${text}`
    case 6:
      return '['.repeat(rng.pick([10_000, 50_000]))
    case 7:
      return text + rng.pick(['}', 'garbage', '\n{"x":1}', '\u0000'])
    default:
      return text.replaceAll('"', "'")
  }
}

const GOOD_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain']
const BAD_TYPES = ['application/xml', 'multipart/form-data; boundary=x', 'text/html', ';', 'application/json+fuzz', 'application/x-www-form-urlencoded', 'image/png', '*/*', 'application/']
const BAD_ENCODINGS = ['br', 'compress', 'zstd', 'gzip, gzip', 'x-gzip', 'identity, gzip', 'chunked', '*', 'deflate;q=1', 'gzip\u0020\u0020x']

/**
 * Builds payload `index` of a run with `seed`. Most are small; about 0.3% carry megabytes, within or beyond
 * the body limit. The mix: raw bytes, malformed JSON, wrong envelopes, envelopes with broken records,
 * NDJSON, gzip/deflate (valid, corrupt, truncated, bombs), bad media types and encodings, labels, retries.
 */
export function payloadAt(seed: number, index: number, limits: FuzzLimits, nowMs: number): FuzzPayload {
  const rng = new Rng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0)
  const c: RecordContext = { rng, idPrefix: `f${seed.toString(36)}-${index}`, nowMs, n: 0 }
  const kind = rng.weighted({
    raw_bytes: 5,
    malformed_json: 10,
    wrong_envelope: 10,
    bad_records: 40,
    labels: 6,
    ndjson: 12,
    compressed: 8,
    bad_headers: 5,
    retry_probe: 0.3,
    huge: 0.3,
  })
  const base = { kind, model: FUZZ_MODEL, endpoint: 'prediction' as const, path: '/v1/predictions' }
  const someRecords = (endpoint: 'prediction' | 'label', max = 6): FuzzValue[] => Array.from({ length: rng.int(1, max) }, () => record(c, endpoint, 0.7))
  switch (kind) {
    case 'raw_bytes': {
      const bytes = Buffer.alloc(rng.int(0, 2_000))
      for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(0, 255)
      if (rng.chance(0.3)) bytes.write(rng.pick(['{"model":"booking-spam","records":[', '{', '[', '\ufeff{', '\xed\xa0\x80']), 'latin1')
      const ndjson = rng.chance(0.3)
      return { ...base, path: ndjson ? `/v1/predictions?model=${FUZZ_MODEL}` : base.path, headers: { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' }, body: bytes }
    }
    case 'malformed_json':
      return { ...base, ...json(corruptJson(rng, envelope(FUZZ_MODEL, someRecords('prediction')))) }
    case 'wrong_envelope': {
      const text = rng.pick<() => string>([
        () => toJsonText(nastyValue(rng)),
        () => envelope(nastyValue(rng), someRecords('prediction')),
        () => envelope(FUZZ_MODEL, nastyValue(rng)),
        () => envelope(rng.pick([...SQL, ...PROTO_KEYS, 'BOOKING-SPAM', 'booking-spam ', '', 'x'.repeat(129)]), someRecords('prediction')),
        () => toJsonText(new JsonObject([['model', FUZZ_MODEL]])),
        () => toJsonText(new JsonObject([['records', someRecords('prediction')]])),
        () => toJsonText(new JsonObject([['model', FUZZ_MODEL], ['records', []], [nastyKey(rng), nastyValue(rng)]])),
        () => toJsonText(new JsonObject([['__proto__', new JsonObject([['polluted', 'yes']])], ['model', FUZZ_MODEL], ['records', someRecords('prediction')]])),
        () => toJsonText(new JsonObject([['model', FUZZ_MODEL], ['records', someRecords('prediction')], ['model', 'other']])),
        () => envelope(FUZZ_MODEL, Array.from({ length: limits.maxRecordsPerRequest + rng.int(1, 10) }, () => null)),
        () => toJsonText([new JsonObject([['model', FUZZ_MODEL], ['records', []]])]),
      ])()
      return { ...base, ...json(text) }
    }
    case 'bad_records': {
      const records = rng.chance(0.01) ? Array.from({ length: limits.maxRecordsPerRequest }, () => record(c, 'prediction', 0.2)) : someRecords('prediction', 8)
      if (rng.chance(0.05)) records.push(deepNesting(rng))
      return { ...base, ...json(envelope(FUZZ_MODEL, records)) }
    }
    case 'labels':
      return { ...base, endpoint: 'label', path: '/v1/labels', ...json(envelope(FUZZ_MODEL, someRecords('label'))) }
    case 'ndjson':
      return { ...base, ...ndjsonPayload(rng, c) }
    case 'compressed':
      return { ...base, ...compressedPayload(rng, c, limits) }
    case 'bad_headers': {
      const text = envelope(FUZZ_MODEL, someRecords('prediction'))
      const headers: Record<string, string> = rng.pick<() => Record<string, string>>([
        () => ({ 'content-type': rng.pick(BAD_TYPES) }),
        () => ({ 'content-type': rng.pick(GOOD_TYPES), 'content-encoding': rng.pick(BAD_ENCODINGS) }),
        () => ({ 'content-type': rng.pick(GOOD_TYPES), 'content-encoding': rng.pick(['gzip', 'deflate']) }),
        // Attempt numbers that do not parse to an integer above 1 leave the request a first attempt.
        () => ({ 'content-type': rng.pick(GOOD_TYPES), 'x-highway-attempt': rng.pick(['0', '-1', '1.5', 'NaN', 'Infinity', '1e400', '', 'abc', '1']) }),
      ])()
      return { ...base, headers, body: Buffer.from(text, 'utf8') }
    }
    case 'retry_probe': {
      const endpoint = rng.chance(0.8) ? 'prediction' : 'label'
      const records = someRecords(endpoint)
      // Replays of ids already stored make the dedup lookup work for real.
      if (rng.chance(0.5)) records.push(new JsonObject(goodPrediction({ ...c, idPrefix: 'probe-replay', n: rng.int(0, 20) })))
      return {
        ...base,
        kind,
        model: RETRY_PROBE_MODEL,
        endpoint,
        path: endpoint === 'prediction' ? '/v1/predictions' : '/v1/labels',
        ...json(envelope(RETRY_PROBE_MODEL, records), { 'x-highway-attempt': rng.pick(['2', '3', '10', '1e3']) }),
      }
    }
    default:
      return { ...base, ...hugePayload(rng, c, limits) }
  }
}

function ndjsonPayload(rng: Rng, c: RecordContext): { path: string; headers: Record<string, string>; body: Uint8Array } {
  const lines = Array.from({ length: rng.int(1, 12) }, () => {
    const r = rng.int(0, 9)
    if (r < 6) return toJsonText(record(c, 'prediction', 0.6))
    if (r === 6) return corruptJson(rng, toJsonText(record(c, 'prediction', 0)))
    if (r === 7) return rng.pick(INVALID_TOKENS)
    if (r === 8) return rng.pick(['', '   ', '\r', '\ufeff{}', '[]', 'null', '"just a string"', '{"features":{"height_cm":NaN}}'])
    return toJsonText(nastyValue(rng))
  })
  const sep = rng.pick(['\n', '\r\n', '\n\n'])
  const query = rng.pick([`?model=${FUZZ_MODEL}`, `?model=${FUZZ_MODEL}`, `?model=${FUZZ_MODEL}&model=${FUZZ_MODEL}`, '', `?model=${encodeURIComponent(rng.pick(SQL))}`, '?model=%ZZ%', '?model[__proto__]=x', '?model=%ED%A0%80', '?model=booking%00spam'])
  return { path: `/v1/predictions${query}`, headers: { 'content-type': rng.pick(['application/x-ndjson', 'application/ndjson', 'application/jsonl']) }, body: Buffer.from(lines.join(sep), 'utf8') }
}

let bombCache: { limit: number; gzip: Buffer; deflate: Buffer } | undefined

function compressedPayload(rng: Rng, c: RecordContext, limits: FuzzLimits): { path: string; headers: Record<string, string>; body: Uint8Array } {
  const ndjson = rng.chance(0.3)
  const inner = ndjson ? ndjsonPayload(rng, c) : { path: '/v1/predictions', headers: { 'content-type': 'application/json' }, body: Buffer.from(envelope(FUZZ_MODEL, Array.from({ length: rng.int(1, 8) }, () => record(c, 'prediction', 0.6))), 'utf8') }
  const encoding = rng.pick(['gzip', 'deflate', 'GZIP', ' gzip '])
  const pack = (b: Uint8Array): Buffer => (encoding.trim().toLowerCase() === 'deflate' ? deflateSync(b) : gzipSync(b))
  let body: Uint8Array
  switch (rng.int(0, 5)) {
    case 0: {
      const packed = pack(inner.body)
      body = packed.subarray(0, rng.int(0, packed.length - 1))
      break
    }
    case 1: {
      const packed = Buffer.from(pack(inner.body))
      for (let i = rng.int(1, 5); i > 0; i--) packed[rng.int(0, packed.length - 1)] = rng.int(0, 255)
      body = packed
      break
    }
    case 2: {
      if (bombCache?.limit !== limits.maxBodyBytes) {
        const zeros = Buffer.alloc(limits.maxBodyBytes + 1, 0x20)
        bombCache = { limit: limits.maxBodyBytes, gzip: gzipSync(zeros, { level: 9 }), deflate: deflateSync(zeros, { level: 9 }) }
      }
      body = encoding.trim().toLowerCase() === 'deflate' ? bombCache.deflate : bombCache.gzip
      break
    }
    case 3:
      body = inner.body // declared compressed, sent plain
      break
    default:
      body = pack(inner.body)
  }
  return { path: inner.path, headers: { ...inner.headers, 'content-encoding': encoding }, body }
}

/** Megabytes in one place: a feature value, a key, an id, the model name, a class name, or a bare string. */
function hugePayload(rng: Rng, c: RecordContext, limits: FuzzLimits): { headers: Record<string, string>; body: Uint8Array } {
  const within = rng.chance(0.6)
  const targetBytes = within ? rng.int(1_000_000, Math.floor(limits.maxBodyBytes * 0.85)) : rng.int(limits.maxBodyBytes + 1, Math.floor(limits.maxBodyBytes * 1.5))
  const unit = rng.pick(['a', 'é', '\u202e', '😀', '\u200b', "'; DROP TABLE predictions; -- "])
  const big = unit.repeat(Math.max(1, Math.floor(targetBytes / Buffer.byteLength(unit))))
  const good = goodPrediction(c)
  const features = good.find(([k]) => k === 'features')![1] as JsonObject
  const text = rng.pick<() => string>([
    () => {
      features.entries.push(['note', big])
      return envelope(FUZZ_MODEL, [new JsonObject(good)])
    },
    () => {
      features.entries.push([big, 1])
      return envelope(FUZZ_MODEL, [new JsonObject(good)])
    },
    () => envelope(FUZZ_MODEL, [new JsonObject([...good, ['id', big]])]),
    () => envelope(FUZZ_MODEL, [new JsonObject([...good, ['prediction', big]])]),
    () => envelope(FUZZ_MODEL, [new JsonObject([...good, ['prediction', new JsonObject([[big, 0.5]])]])]),
    () => envelope(big, [new JsonObject(good)]),
    () => envelope(FUZZ_MODEL, [big]),
    () => toJsonText(big),
  ])()
  return json(text)
}

/** How many records the service should account for in a 202: its own reading of the body, done independently. */
export function referenceRecordCount(payload: FuzzPayload): { count: number; records: unknown[] } | undefined {
  try {
    let buf = Buffer.from(payload.body)
    const encoding = (payload.headers['content-encoding'] ?? 'identity').trim().toLowerCase()
    if (encoding === 'gzip') buf = gunzipSync(buf)
    else if (encoding === 'deflate') buf = inflateSync(buf)
    const text = buf.toString('utf8')
    const type = (payload.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
    if (type.includes('ndjson') || type === 'application/jsonl') {
      const lines = text.split('\n').filter((l) => l.trim() !== '')
      return {
        count: lines.length,
        records: lines.map((l) => {
          try {
            return JSON.parse(l) as unknown
          } catch {
            return undefined
          }
        }),
      }
    }
    const doc = JSON.parse(text) as { records?: unknown }
    return Array.isArray(doc.records) ? { count: doc.records.length, records: doc.records } : undefined
  } catch {
    return undefined
  }
}
