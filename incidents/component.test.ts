import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Registry as MetricsRegistry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AlertActivity, StoredAlert } from '../alerts/index.ts'
import { createAuditLog } from '../audit/index.ts'
import { createRegistry } from '../registry/index.ts'
import { openStore, saveAnalysisResult, savedResultsEndingIn, type Store } from '../store/index.ts'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { createClickHouseIncidentStore, createIncidents, importanceFromMetrics, type Incidents } from './index.ts'

// The incidents component over real chDB: the constructed case for probable causes, and the reconcile tick
// that catches up with alert activity a crash missed.

const tmp = makeTempDir('incidents')
let store: Store
let incidents: Incidents
let alertStates: StoredAlert[] = []
const onsetMs = Date.parse('2026-12-07T10:00:00Z')
const min = 60_000
const nowMs = onsetMs + 30 * min

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../test/fixtures/onnx/${name}`, import.meta.url)))

beforeAll(async () => {
  store = await openStore({ mode: 'embedded', dataDir: tmp.dir, database: 'highway', retentionDays: 90 })
  const registry = createRegistry({ store, artifactsDir: join(tmp.dir, 'artifacts') })
  const audit = createAuditLog(store, () => nowMs)
  incidents = createIncidents({
    store: createClickHouseIncidentStore(store),
    audit,
    alerts: async () => alertStates,
    analysis: (job, model, fromMs, toMs) => savedResultsEndingIn(store, { job, model, version: '', fromMs, toMs }),
    importance: async (model) => {
      const champion = (await registry.aliases(model)).find((a) => a.alias === 'champion')
      return importanceFromMetrics(champion ? (await registry.readVersion(model, champion.version))?.metrics : undefined)
    },
    registry: new MetricsRegistry(),
    now: () => nowMs,
    onError: (what, err) => {
      throw new Error(`${what}: ${String(err)}`)
    },
  })
  // The champion as `highway train` registers it: permutation importance in its metrics; height_cm matters most.
  const v = await registry.registerVersion(
    'booking',
    fixture('regression.onnx'),
    {
      signature: { task: 'regression', inputs: [{ name: 'height_cm', type: 'number' }, { name: 'age', type: 'number' }] },
      dataset: { version: 'd1', rows: { train: 100 } },
      codeVersion: 'abc',
      parameters: {},
      metrics: { importance: [{ feature: 'height_cm', mean: 0.31, std: 0.01, values: [0.31] }, { feature: 'age', mean: 0.02, std: 0.01, values: [0.02] }] },
      gates: [],
    },
    { actor: 'trainer' },
  )
  await registry.setAlias('booking', 'champion', v.version, { actor: 'ops' })
  // A release 10 minutes before the onset, and an unrelated one two hours before.
  await audit.record({ actor: 'ops', component: 'releases', action: 'release', model: 'booking', target: String(v.version), outcome: 'done', atMs: onsetMs - 10 * min })
  await audit.record({ actor: 'ops', component: 'releases', action: 'release', model: 'booking', target: '0', outcome: 'done', atMs: onsetMs - 120 * min })
  // Drift from the onset on: both features drifted, height_cm the most important.
  await saveAnalysisResult(store, {
    job: 'drift',
    model: 'booking',
    version: '',
    fromMs: onsetMs - 55 * min,
    toMs: onsetMs + 5 * min,
    computedAtMs: onsetMs + 6 * min,
    result: {
      dataset: { drift_share: 1, drifted: true },
      features: [
        { feature: 'height_cm', statistic: 0.6, p_value: 0, threshold: 0.05, drifted: true },
        { feature: 'age', statistic: 0.3, p_value: 0.001, threshold: 0.05, drifted: true },
      ],
    },
  })
})
afterAll(async () => {
  await store.close()
  tmp.cleanup()
})

const page = (over: Partial<AlertActivity> = {}): AlertActivity => ({
  eventId: 'highway/drift-1',
  source: 'highway',
  fingerprint: '0123456789abcdef',
  status: 'firing',
  labels: { alertname: 'BookingDrift', severity: 'page', model: 'booking', source: 'highway' },
  annotations: { summary: 'height_cm drifted' },
  startsAtMs: onsetMs,
  atMs: onsetMs + 5 * min,
  silenced: false,
  ...over,
})

const stored = (a: AlertActivity, state: StoredAlert['state']): StoredAlert => ({
  fingerprint: a.fingerprint,
  source: a.source,
  state,
  labels: a.labels,
  annotations: a.annotations,
  activeAtMs: a.startsAtMs,
  firedAtMs: a.atMs,
  resolvedAtMs: state === 'resolved' ? nowMs : null,
  lastTrueAtMs: a.atMs,
  value: 1,
  silencedBy: [],
  generatorUrl: '',
  updatedAtMs: nowMs,
})

describe('probable causes on the constructed case', () => {
  it('ranks the release 10 minutes before the drift onset and the most important drifted feature first', async () => {
    await incidents.listener([page()])
    const [incident] = await incidents.list({ model: 'booking' })
    const detail = (await incidents.detail(incident!.id))!
    const top = detail.causes.slice(0, 2).map((c) => `${c.kind}:${c.ref}`)
    expect(top.sort()).toEqual(['feature_drift:booking/height_cm', 'release:booking@1'])
    expect(detail.causes.find((c) => c.kind === 'release')!.evidence).toMatchObject({ minutes_before_onset: 10 })
    expect(detail.causes.find((c) => c.ref === 'booking/height_cm')!.evidence).toMatchObject({ importance: 0.31, importance_share: 1 })
    // The release is on the timeline too, before the incident's own entries.
    expect(detail.timeline.map((t) => t.kind)).toEqual(['releases.release', 'opened', 'alert_firing'])
  })
})

describe('the listener', () => {
  it('opens one incident for two page alerts of one model delivered at once, each in its timeline once', async () => {
    const a = page({ fingerprint: '1111111111111111', labels: { alertname: 'A', severity: 'page', model: 'checkout' } })
    const b = page({ fingerprint: '2222222222222222', labels: { alertname: 'B', severity: 'page', model: 'checkout' } })
    await Promise.all([incidents.listener([a]), incidents.listener([b]), incidents.listener([b, a])])
    const list = await incidents.list({ model: 'checkout' })
    expect(list).toHaveLength(1)
    expect(list[0]!.alerts.map((x) => x.alertname).sort()).toEqual(['A', 'B'])
    expect((await incidents.detail(list[0]!.id))!.timeline.filter((t) => t.kind === 'alert_firing')).toHaveLength(2)
  })
})

describe('the reconcile tick', () => {
  it('opens an incident for a firing page alert whose activity a crash missed, once however often it ticks', async () => {
    const missed = page({ fingerprint: 'fedcba9876543210', labels: { alertname: 'SloErrorBudgetBurn', severity: 'page', slo: 'booking-availability', source: 'highway' }, startsAtMs: onsetMs + min })
    alertStates = [stored(page(), 'firing'), stored(missed, 'firing')]
    await incidents.tick(nowMs)
    await incidents.tick(nowMs)
    const bySlo = await incidents.list({ slo: 'booking-availability' })
    expect(bySlo).toHaveLength(1)
    expect((await incidents.detail(bySlo[0]!.id))!.timeline.filter((t) => t.kind === 'alert_firing')).toHaveLength(1)
  })

  it('resolves an incident whose alerts resolved while nobody listened', async () => {
    alertStates = alertStates.map((a) => ({ ...a, state: 'resolved', resolvedAtMs: nowMs }))
    await incidents.tick(nowMs)
    expect((await incidents.list({ model: 'booking' })).map((i) => i.status)).toEqual(['resolved'])
    expect((await incidents.list({ slo: 'booking-availability' })).map((i) => i.status)).toEqual(['resolved'])
  })
})
