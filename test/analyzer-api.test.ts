import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { binaryClassificationMetrics } from '../model-metrics/index.ts'
import { postJson, startTestService } from './support/service.ts'
import { waitFor } from './support/wait-for.ts'
import { drawApplicant, LOAN_FEATURES, LOAN_NOTES } from './support/loans.ts'
import { mulberry32 } from '../random/index.ts'

// The analyzer end to end: real collector, real chDB, real HTTP. Data is generated with a seeded PRNG so that
// a shift is unmistakable where one is injected and absent where none is.
let service: Awaited<ReturnType<typeof startTestService>>
const HOUR = 3_600_000


interface Row {
  id: string
  ts?: number
  features: Record<string, number | string | boolean>
  prediction: number
  label: number
}

/** Loans: score depends on income and age; the label is drawn from the score, so scores are calibrated. */
function rows(seed: number, n: number, opts: { prefix: string; incomeShift?: number; regions?: string[]; ts?: number }): Row[] {
  const r = mulberry32(seed)
  const regions = opts.regions ?? ['N', 'S', 'E', 'W']
  return Array.from({ length: n }, (_, i) => {
    const { income, age, score } = drawApplicant(r, opts.incomeShift)
    return {
      id: `${opts.prefix}-${i}`,
      ...(opts.ts !== undefined ? { ts: opts.ts - Math.floor(r() * 50 * 60_000) } : {}),
      features: { income, age, region: regions[Math.floor(r() * regions.length)]!, note: LOAN_NOTES[i % 3]!, returning: r() < 0.3 },
      prediction: score,
      label: r() < score ? 1 : 0,
    }
  })
}

const LOANS = { name: 'loans', task: 'binary_classification', features: LOAN_FEATURES }

const now = Date.now()
const currentTs = Math.floor(now / HOUR) * HOUR - HOUR // a window inside the retention, away from the clock edge
const stable = rows(2, 1500, { prefix: 'stable', ts: currentTs })
const shifted = rows(3, 1500, { prefix: 'shifted', ts: currentTs - 24 * HOUR, incomeShift: 0.4, regions: ['N', 'N', 'N', 'S'] })

beforeAll(async () => {
  service = await startTestService({
    models: [LOANS, { ...LOANS, name: 'loans-sketch', analysis: { exactMaxRows: 100, schedule: '* * * * * *', window: '1h' } }, { ...LOANS, name: 'no-reference' }, { ...LOANS, name: 'loans-horizon', analysis: { labelHorizon: '1m' } }],
    storage: { retentionDays: 30 },
  })
  for (const model of ['loans', 'loans-sketch']) {
    const reference = rows(1, 3000, { prefix: 'ref' }).map(({ ts: _ts, ...r }) => r)
    const res = await postJson(`${service.url}/v1/models/${model}/reference`, { records: reference })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    for (const batch of [stable, shifted]) {
      const preds = await postJson(`${service.url}/v1/predictions`, { model, records: batch.map(({ label: _l, ...p }) => p) })
      expect(preds.body.accepted).toBe(batch.length)
    }
    // Labels for the stable window only, and for 20% of it: CBPE has to estimate.
    const labels = await postJson(`${service.url}/v1/labels`, { model, records: stable.slice(0, 300).map((r) => ({ id: r.id, label: r.label })) })
    expect(labels.body.accepted).toBe(300)
  }
  // Broken records in the stable window: out of range and wrong type, for data quality.
  await postJson(`${service.url}/v1/predictions`, {
    model: 'loans',
    records: [
      { id: 'bad-1', ts: currentTs - 60_000, features: { income: -5, age: 30, note: 'x', returning: false }, prediction: 0.5 },
      { id: 'bad-2', ts: currentTs - 60_000, features: { income: 'lots', age: 30, note: 'x', returning: false }, prediction: 0.5 },
    ],
  })
  // The analyses read ClickHouse, which a 202 precedes (acknowledge: logged).
  expect(await service.collector.writer.stored()).toBe(true)
}, 120_000)
afterAll(async () => {
  await service.stop()
})

const window = (ts: number) => `from=${ts - HOUR}&to=${ts}`
const get = async (path: string) => {
  const res = await fetch(`${service.url}${path}`)
  return { status: res.status, body: (await res.json()) as any }
}

describe('reference', () => {
  it('profiles every feature and says how many rows it sampled', async () => {
    const res = await postJson(`${service.url}/v1/models/loans/reference`, { records: [{ id: 'r1', features: { income: 'x' }, prediction: 0.1 }, ...rows(9, 40, { prefix: 'small' })] })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ model: 'loans', source: 'records', rows: 40, sampled_rows: 40, rejected: [{ index: 0 }] })
    expect(Object.keys(res.body.features).sort()).toEqual(['age', 'income', 'note', 'region', 'returning'])
    // Put the large reference back for the other tests.
    const back = await postJson(`${service.url}/v1/models/loans/reference`, { records: rows(1, 3000, { prefix: 'ref' }) })
    expect(back.body).toMatchObject({ rows: 3000, sampled_rows: 3000 })
  })

  it('answers 409 with what to do when a model has no reference', async () => {
    const res = await get(`/v1/models/no-reference/drift?${window(currentTs)}`)
    expect(res.status).toBe(409)
    expect(res.body.error).toContain('POST /v1/models/no-reference/reference')
  })

  it('refuses a window that ends before it starts', async () => {
    const res = await get(`/v1/models/loans/drift?from=${currentTs}&to=${currentTs - HOUR}`)
    expect(res.status).toBe(400)
    expect(res.body.error).toContain('to must be after from')
  })
})

describe('drift', () => {
  it('finds no drift in a window drawn like the reference', async () => {
    const { status, body } = await get(`/v1/models/loans/drift?${window(currentTs)}`)
    expect(status).toBe(200)
    expect(body).toMatchObject({ model: 'loans', reference: { n: 3000 }, current: { n: 1502 - 2 }, dataset: { drifted: false } })
    const income = body.features.find((f: any) => f.feature === 'income')
    // Reference > 1000 rows: Evidently's default for a numeric feature is the normed Wasserstein distance.
    expect(income).toMatchObject({ kind: 'numerical', test: 'wasserstein', p_value: null, threshold: 0.1, drifted: false, method: 'exact', status: 'ok' })
    expect(body.prediction).toMatchObject({ feature: 'prediction', drifted: false })
    expect(body.multivariate).toMatchObject({ method: 'pca_reconstruction', drifted: false })
    expect(body.label).toMatchObject({ feature: 'label', status: 'ok', n_current: 300, drifted: false })
  })

  it('flags the features that moved, and the dataset when enough of them did', async () => {
    const { body } = await get(`/v1/models/loans/drift?${window(currentTs - 24 * HOUR)}`)
    const byName = Object.fromEntries(body.features.map((f: any) => [f.feature, f]))
    expect(byName.income).toMatchObject({ drifted: true })
    expect(byName.income.statistic).toBeGreaterThan(0.3)
    expect(byName.region).toMatchObject({ kind: 'categorical', test: 'jensenshannon', drifted: true })
    expect(byName.age.drifted).toBe(false)
    expect(byName['note.length']).toMatchObject({ kind: 'text', drifted: false, status: 'ok', n_current: 1500 })
    expect(byName['note.tokens']).toMatchObject({ status: 'ok' })
    // Booleans have two values: compared on their counts, shown as one bar per value.
    expect(byName.returning).toMatchObject({ method: 'counts', status: 'ok' })
    expect(byName.returning.histogram.bins).toEqual(['0', '1'])
    expect(byName.returning.histogram.current.reduce((a: number, b: number) => a + b, 0)).toBe(1500)
    expect(byName.income.histogram.reference.reduce((a: number, b: number) => a + b, 0)).toBe(3000)
    expect(body.prediction.drifted).toBe(true)
    expect(body.dataset.drifted_features).toBe(2)
  })

  it('gives sketch statistics on a large window close to the exact ones', async () => {
    const exact = await get(`/v1/models/loans/drift?${window(currentTs - 24 * HOUR)}`)
    const sketch = await get(`/v1/models/loans-sketch/drift?${window(currentTs - 24 * HOUR)}`)
    const pick = (b: any, f: string) => b.features.find((x: any) => x.feature === f)
    expect(pick(sketch.body, 'income').method).toBe('sketch')
    for (const f of ['income', 'age']) {
      const e = pick(exact.body, f).statistic
      const s = pick(sketch.body, f).statistic
      expect(Math.abs(s - e) / Math.max(e, 1e-3), f).toBeLessThan(0.05)
    }
    // Categorical counts come from the rollup either way: identical.
    expect(pick(sketch.body, 'region').statistic).toBe(pick(exact.body, 'region').statistic)
  })

  it('says "not enough data" for an empty window instead of inventing a number', async () => {
    const { body } = await get(`/v1/models/loans/drift?from=${currentTs - 400 * HOUR}&to=${currentTs - 399 * HOUR}`)
    expect(body.current.n).toBe(0)
    expect(body.dataset.drifted).toBe(false)
    for (const f of body.features) expect(f).toMatchObject({ status: 'not_enough_data', statistic: null, drifted: false })
  })
})

describe('quality', () => {
  it('reports quarantined shares per feature, missing optional features, freshness and label coverage', async () => {
    const { body } = await get(`/v1/models/loans/quality?${window(currentTs)}`)
    const income = body.features.find((f: any) => f.feature === 'income')
    expect(income.out_of_range_share).toBeCloseTo(1 / (1500 + 2), 6)
    expect(income.type_error_share).toBeCloseTo(1 / (1500 + 2), 6)
    expect(body).toMatchObject({ status: 'ok', rows: 1500, quarantined: 2, duplicate_ids: 0 })
    // Text features are present in every stored row: their missing share counts only the quarantined ones.
    expect(body.features.find((f: any) => f.feature === 'note').missing_share).toBe(0)
    expect(body.label_coverage).toBeCloseTo(300 / 1500, 9)
    expect(body.freshness.prediction_seconds).toBeGreaterThanOrEqual(0)
    expect(body.label_delay_seconds.p50).not.toBeNull()
  })
})

describe('performance', () => {
  it('computes realised metrics on the labelled rows and CBPE estimates for the whole window', async () => {
    const { body } = await get(`/v1/models/loans/performance?${window(currentTs)}`)
    expect(body).toMatchObject({ n_predictions: 1500, n_labeled: 300, source: 'estimated' })
    const labelled = stable.slice(0, 300)
    const expected = binaryClassificationMetrics({ labels: labelled.map((r) => r.label), scores: labelled.map((r) => r.prediction) })
    expect(body.realised.roc_auc).toBeCloseTo((expected.roc_auc as { value: number }).value, 9)
    expect(body.realised.accuracy).toBeCloseTo((expected.accuracy as { value: number }).value, 9)
    const est = body.estimated.accuracy
    expect(est.lower).toBeLessThanOrEqual(est.value)
    expect(est.upper).toBeGreaterThanOrEqual(est.value)
    // Scores are calibrated by construction: the estimate lands near the accuracy of all 1500 rows.
    const all = binaryClassificationMetrics({ labels: stable.map((r) => r.label), scores: stable.map((r) => r.prediction) })
    expect(Math.abs(est.value - (all.accuracy as { value: number }).value)).toBeLessThan(0.04)
    expect(body.slices.region.map((s: any) => s.value).sort()).toEqual(['E', 'N', 'S', 'W'])
  })
})

describe('label horizon', () => {
  it('ignores labels that arrived later than the horizon after the window', async () => {
    await postJson(`${service.url}/v1/predictions`, { model: 'loans-horizon', records: stable.slice(0, 100).map(({ label: _l, ...p }) => p) })
    await postJson(`${service.url}/v1/labels`, { model: 'loans-horizon', records: stable.slice(0, 100).map((r) => ({ id: r.id, label: r.label })) })
    expect(await service.collector.writer.stored()).toBe(true)
    // The window ended over an hour ago; these labels arrived now, past its one-minute horizon.
    const late = await get(`/v1/models/loans-horizon/performance?${window(currentTs)}`)
    expect(late.body).toMatchObject({ n_predictions: 100, n_labeled: 0 })
    // A window whose horizon has not passed yet counts them.
    const open = await get(`/v1/models/loans-horizon/performance?from=${currentTs - HOUR}&to=${Date.now() + 1000}`)
    expect(open.body).toMatchObject({ n_predictions: 100, n_labeled: 100 })
  })
})

describe('analysis runs', () => {
  it('runs on its cron schedule and stores the results of the last whole window', async () => {
    const stored = await waitFor('three scheduled results for loans-sketch', async () => {
      const rows = await service.store.queryRows<{ job: string; from: number }>(
        "SELECT job, toUnixTimestamp64Milli(window_from) AS from FROM highway.analysis_results FINAL WHERE model = 'loans-sketch' ORDER BY job",
      )
      return rows.length === 3 ? rows : null
    }, { intervalMs: 200 })
    expect(stored.map((r) => r.job)).toEqual(['drift', 'performance', 'quality'])
    // The scheduled window is the last whole hour: aligned, so replicas agree on the key.
    for (const r of stored) expect(r.from % HOUR).toBe(0)
  })

  it('stores one result per job and window however often it runs, and exports gauges', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await postJson(`${service.url}/v1/models/loans/analysis/run`, { from: currentTs - HOUR, to: currentTs })
      expect(res.status).toBe(200)
      expect(res.body.drift.dataset.drifted).toBe(false)
    }
    const stored = await service.store.queryRows<{ job: string; n: number }>(
      "SELECT job, count() AS n FROM highway.analysis_results FINAL WHERE model = 'loans' GROUP BY job ORDER BY job",
    )
    expect(stored).toEqual([
      { job: 'drift', n: 1 },
      { job: 'performance', n: 1 },
      { job: 'quality', n: 1 },
    ])
    const metrics = await (await fetch(`${service.url}/metrics`)).text()
    expect(metrics).toMatch(/highway_dataset_drift_share\{model="loans",version="all"\} 0/)
    expect(metrics).toMatch(/highway_feature_drift_score\{model="loans",version="all",feature="income",test="wasserstein"\} [0-9.e-]+/)
    expect(metrics).toMatch(/highway_model_performance\{model="loans",version="all",metric="accuracy",kind="estimated"\}/)
    expect(metrics).toMatch(/highway_label_coverage\{model="loans",version="all"\} 0\.2/)
    expect(metrics).toMatch(/highway_data_quality\{model="loans",version="all",feature="income",check="out_of_range_share"\}/)
  })
})

// Issue 10: one results path. What alert rules read (the gauges) comes only from stored runs; a report or a
// dashboard asking for windows computes them on demand and moves nothing.
const ANALYZER_GAUGES = /^highway_(feature_drift_score|feature_drifted|dataset_drift_share|model_performance|data_quality|label_coverage)\{/
// Of model "loans" only: "loans-sketch" runs on a schedule every second, and may publish at any time.
const gauges = async () => (await (await fetch(`${service.url}/metrics`)).text()).split('\n').filter((l) => ANALYZER_GAUGES.test(l) && l.includes('model="loans"')).sort()

describe('stored results', () => {
  it('answers 409 with what to do when no result is stored yet for a model', async () => {
    for (const job of ['drift', 'quality', 'performance']) {
      const res = await get(`/v1/models/loans-horizon/${job}`)
      expect(res.status, job).toBe(409)
      expect(res.body.error).toContain(`no stored ${job} result for model "loans-horizon"`)
      expect(res.body.error).toContain('POST /v1/models/loans-horizon/analysis/run')
      expect(res.body.error).toContain('pass from and to')
    }
  })

  it('serves the newest stored result, with its window and when it was computed, when no window is given', async () => {
    const run = await postJson(`${service.url}/v1/models/loans/analysis/run`, { from: currentTs - HOUR, to: currentTs })
    expect(run.status).toBe(200)
    for (const job of ['drift', 'quality', 'performance'] as const) {
      const { status, body } = await get(`/v1/models/loans/${job}`)
      expect(status, job).toBe(200)
      expect(body).toMatchObject({ model: 'loans', from: new Date(currentTs - HOUR).toISOString(), to: new Date(currentTs).toISOString() })
      expect(Date.parse(body.computed_at)).toBeGreaterThanOrEqual(currentTs)
      expect(body).toEqual({ ...run.body[job], computed_at: body.computed_at })
    }
  })

  it('computes an explicit window on demand without changing the gauges alert rules read', async () => {
    await postJson(`${service.url}/v1/models/loans/analysis/run`, { from: currentTs - HOUR, to: currentTs })
    const before = await gauges()
    expect(before.filter((l) => l.startsWith('highway_dataset_drift_share{model="loans",version="all"}'))).toHaveLength(1)
    // The shifted window drifts: were it published, the share would move.
    const shiftedWindow = window(currentTs - 24 * HOUR)
    const drift = await get(`/v1/models/loans/drift?${shiftedWindow}`)
    expect(drift.body.dataset.drift_share).toBeGreaterThan(0.3)
    expect((await get(`/v1/models/loans/quality?${shiftedWindow}`)).status).toBe(200)
    expect((await get(`/v1/models/loans/performance?${shiftedWindow}`)).status).toBe(200)
    expect(await gauges()).toEqual(before)
    // Nor is anything stored: the newest stored drift is still the stable window's.
    expect((await get('/v1/models/loans/drift')).body.dataset.drift_share).toBe(0)
  })

  it('runs the last whole aligned window when asked to run without one, as the schedule would', async () => {
    const res = await postJson(`${service.url}/v1/models/loans/analysis/run`, {})
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const from = Date.parse(res.body.quality.from)
    expect(from % HOUR).toBe(0)
    expect(Date.parse(res.body.quality.to) - from).toBe(HOUR)
    expect(Date.parse(res.body.quality.to)).toBeLessThanOrEqual(Date.now())
    expect((await get('/v1/models/loans/quality')).body.from).toBe(res.body.quality.from)
  })
})

