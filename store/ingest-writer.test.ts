import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { settingsClause } from './client.ts'
import { createIngestWriter, encodePrediction, openStore, StoreError, type PredictionRow, type Store } from './index.ts'

const tmp = makeTempDir('ingest-writer')
let store: Store

const row = (id: string): PredictionRow => ({
  model: 'writer',
  version: 'v1',
  id,
  tsMs: Date.now() - 60_000,
  receivedAtMs: Date.now(),
  numFeatures: { height_cm: 172.5 },
  strFeatures: { country: 'CH' },
  textFeatures: {},
  prediction: 0.5,
  predictionClass: '',
  predictionScores: {},
  latencyMs: 3,
  status: 'ok',
})

beforeAll(async () => {
  store = await openStore({ mode: 'embedded', dataDir: tmp.dir, database: 'highway', retentionDays: 90 })
})
afterAll(async () => {
  await store.close()
  tmp.cleanup()
})

describe('createIngestWriter', () => {
  it('sends its settings with the insert only, leaving none behind on the session', async () => {
    const writer = createIngestWriter(store, { timeoutMs: 10_000 })
    await writer.insert('predictions', [row('s1'), row('s2')].map(encodePrediction).join('\n'), 'token-that-must-not-linger')
    // Through SET statements the token would stay on the session and tag the next insert of any table.
    const [after] = await store.queryRows<{ token: string; parallel: string }>(
      "SELECT getSetting('insert_deduplication_token') AS token, toString(getSetting('parallel_view_processing')) AS parallel",
    )
    expect(after).toEqual({ token: '', parallel: 'false' })
    const [counts] = await store.queryRows<{ raw: number; rolled: number }>(
      "SELECT (SELECT count() FROM highway.predictions WHERE model = 'writer') AS raw, (SELECT sum(predictions) FROM highway.prediction_rollup_1m WHERE model = 'writer') AS rolled",
    )
    expect(counts).toEqual({ raw: 2, rolled: 2 })
  })

  it('keeps every view exactly once per token with the views run side by side', async () => {
    const writer = createIngestWriter(store, { timeoutMs: 10_000 })
    const payload = [row('v1'), row('v2'), row('v3')].map((r) => encodePrediction({ ...r, model: 'views' })).join('\n')
    for (let i = 0; i < 3; i++) await writer.insert('predictions', payload, 'views-token')
    const [c] = await store.queryRows<{ minute: number; numeric: number; category: number }>(
      `SELECT (SELECT sum(predictions) FROM highway.prediction_rollup_1m WHERE model = 'views') AS minute,
              (SELECT sum(n) FROM highway.feature_numeric_rollup_1h WHERE model = 'views' AND feature = 'height_cm') AS numeric,
              (SELECT sum(n) FROM highway.feature_category_rollup_1h WHERE model = 'views' AND feature = 'country') AS category`,
    )
    expect(c).toEqual({ minute: 3, numeric: 3, category: 3 })
  })

  it('stores predictions sent as RowBinary exactly as their JSON lines say: unicode, nulls, empty maps, epoch ms', async () => {
    const writer = createIngestWriter(store, { timeoutMs: 10_000 })
    const odd: PredictionRow = {
      ...row('rb-1'),
      tsMs: Math.floor(Date.now() / 1000) * 1000 - 3_600_000 + 123,
      numFeatures: { 'größe_cm': 1e-300, neg: -12.75, big: 1.7976931348623157e308 },
      strFeatures: { 'país': 'Zürich ☃', empty: '' },
      textFeatures: { note: 'line\nbreak, "quoted" \\ back\u0000slash' },
      prediction: null,
      predictionClass: 'spam',
      predictionScores: { spam: 0.9, ham: 0.1 },
      latencyMs: null,
    }
    const plain = { ...row('rb-2'), textFeatures: {}, strFeatures: {}, numFeatures: {} }
    const prepared = await writer.prepare('predictions', [odd, plain].map(encodePrediction).join('\n'))
    expect(prepared).toBeInstanceOf(Uint8Array)
    await writer.insert('predictions', [odd, plain].map(encodePrediction).join('\n'), 'rb-token', prepared)
    const rows = await store.queryRows<Record<string, unknown>>(
      `SELECT id, toUnixTimestamp64Milli(ts) AS ts, num_features, str_features, text_features, prediction, prediction_class, prediction_scores, latency_ms
       FROM highway.predictions WHERE model = 'writer' AND id IN ('rb-1', 'rb-2') ORDER BY id`,
    )
    expect(rows).toEqual([
      { id: 'rb-1', ts: odd.tsMs, num_features: odd.numFeatures, str_features: odd.strFeatures, text_features: odd.textFeatures, prediction: null, prediction_class: 'spam', prediction_scores: odd.predictionScores, latency_ms: null },
      { id: 'rb-2', ts: plain.tsMs, num_features: {}, str_features: {}, text_features: {}, prediction: 0.5, prediction_class: '', prediction_scores: {}, latency_ms: 3 },
    ])
  })

  it('refuses a row ClickHouse cannot parse with a non-transient StoreError naming the table', async () => {
    const writer = createIngestWriter(store, { timeoutMs: 10_000 })
    const err = await writer.insert('predictions', '["writer", "v1", "bad", "not a time", 0]', 'bad-row').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StoreError)
    expect(err).toMatchObject({ code: 'rejected', operation: 'insert into predictions', transient: false })
  })
})

describe('settingsClause', () => {
  it('round-trips quotes, backslashes and SQL in a string setting through ClickHouse', async () => {
    for (const value of ["it's", 'back\\slash', "\\'; DROP TABLE highway.predictions; --", 'end\\']) {
      const [r] = await store.queryRows<{ v: string }>(`SELECT getSetting('insert_deduplication_token') AS v SETTINGS ${settingsClause({ insert_deduplication_token: value })}`)
      expect(r?.v).toBe(value)
    }
  })

  it('refuses a setting name that is not a plain identifier, and a number that is not finite', () => {
    expect(() => settingsClause({ 'a=1, b': 1 })).toThrow(/not a plain identifier/)
    expect(() => settingsClause({ max_threads: Number.NaN })).toThrow(/not a finite number/)
  })
})

describe('migration 6', () => {
  it('makes predictions merge column by column from the first row', async () => {
    const [t] = await store.queryRows<{ q: string }>("SELECT create_table_query AS q FROM system.tables WHERE database = 'highway' AND name = 'predictions'")
    expect(t?.q).toContain('vertical_merge_algorithm_min_rows_to_activate = 1')
  })
})
