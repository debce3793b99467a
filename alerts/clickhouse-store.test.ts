import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../store/index.ts'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { claimLeaseTerm, createClickHouseAlertStore } from './clickhouse-store.ts'
import { createEvaluator, type NotifiableAlert, type Notifier } from './evaluator.ts'
import { fingerprintOf } from './fingerprint.ts'
import { createInProcessClaims, createTermLease } from './lease.ts'
import type { AlertEvent, AlertStore } from './ports.ts'
import type { RuleObservation } from './sources.ts'

const tmp = makeTempDir('alerts-store')
let store: Store
let alerts: AlertStore
const T0 = Date.parse('2026-12-01T00:00:00Z')
const MIN = 60_000

beforeAll(async () => {
  store = await openStore({ mode: 'embedded', dataDir: tmp.dir, database: 'highway', retentionDays: 30 })
  alerts = createClickHouseAlertStore(store)
})
afterAll(async () => {
  await store.close()
  tmp.cleanup()
})

const labelsOf = (model: string, alertname = 'DriftHigh') => ({ alertname, severity: 'page', model, source: 'highway' })
const observe = (model: string, active: boolean, forSeconds = 0): RuleObservation => {
  const labels = labelsOf(model)
  return { rule: 'DriftHigh', hold: { forSeconds, keepFiringForSeconds: 0 }, observation: { fingerprint: fingerprintOf(labels), labels, annotations: { summary: 's' }, active, value: active ? 0.7 : 0.1 } }
}
const recorder = (): Notifier & { seen: NotifiableAlert[][] } => {
  const seen: NotifiableAlert[][] = []
  return { seen, offer: (a) => void seen.push([...a]) }
}

describe('the ClickHouse alert store', () => {
  it('stores the same event once however often and however concurrently it is written', async () => {
    const labels = labelsOf('dedup-model')
    const event: AlertEvent = { eventId: 'am/abc', kind: 'intake', source: 'alertmanager', fingerprint: fingerprintOf(labels), from: '', to: 'firing', atMs: T0, activeAtMs: T0, value: null, silencedBy: [], labels, annotations: {}, actor: 'am', detail: '' }
    await alerts.appendEvents([event])
    await Promise.all([alerts.appendEvents([event]), alerts.appendEvents([event]), alerts.appendEvents([event])])
    const h = await alerts.history({ fromMs: T0 - MIN, toMs: T0 + MIN, model: 'dedup-model', limit: 100 })
    expect(h.map((e) => e.eventId)).toEqual(['am/abc'])
  })

  it('shows each event once when a batch only overlaps an earlier one (the overlap is read once by id)', async () => {
    const labels = labelsOf('overlap-model')
    const event = (id: string, atMs: number): AlertEvent => ({ eventId: id, kind: 'intake', source: 'alertmanager', fingerprint: fingerprintOf(labels), from: '', to: 'firing', atMs, activeAtMs: atMs, value: null, silencedBy: [], labels, annotations: {}, actor: 'am', detail: '' })
    await alerts.appendEvents([event('am/one', T0), event('am/two', T0 + 1)])
    await alerts.appendEvents([event('am/two', T0 + 1), event('am/three', T0 + 2), event('am/three', T0 + 2)])
    const h = await alerts.history({ fromMs: T0 - MIN, toMs: T0 + MIN, model: 'overlap-model', limit: 100 })
    expect(h.map((e) => e.eventId)).toEqual(['am/one', 'am/two', 'am/three'])
  })

  it('keeps silences with their matchers and the newest version of each', async () => {
    const s = { id: 'sil-1', matchers: [{ name: 'model', value: 'm', isRegex: false, isEqual: true }], startsAtMs: T0, endsAtMs: T0 + 60 * MIN, createdBy: 'me', comment: 'deploy', updatedAtMs: T0 }
    await alerts.saveSilence(s)
    await alerts.saveSilence({ ...s, endsAtMs: T0 + MIN, updatedAtMs: T0 + MIN })
    const found = (await alerts.listSilences()).find((x) => x.id === 'sil-1')
    expect(found).toEqual({ ...s, endsAtMs: T0 + MIN, updatedAtMs: T0 + MIN })
  })
})

describe('claimLeaseTerm', () => {
  it('gives every claimant of one term the same holder', async () => {
    const holders = await Promise.all(['a', 'b', 'c'].map((h) => claimLeaseTerm(store, { name: 'test-lease', term: 7, holder: h, atMs: T0 })))
    expect(new Set(holders).size).toBe(1)
    expect(['a', 'b', 'c']).toContain(holders[0])
    expect(await claimLeaseTerm(store, { name: 'test-lease', term: 7, holder: 'z', atMs: T0 + 1 })).toBe(holders[0])
  })
})

describe('two evaluators sharing one lease', () => {
  for (const [name, claims] of [
    ['in-process', () => createInProcessClaims()],
    ['ClickHouse', () => (term: number, holder: string, nowMs: number) => claimLeaseTerm(store, { name: 'alerts-evaluator', term, holder, atMs: nowMs })],
  ] as const) {
    it(`record each transition once and notify from one process only (${name} lease)`, async () => {
      const model = `ha-${name}`
      const claim = claims()
      const lease = () => createTermLease({ leaseSeconds: 600, claim })
      const conditions = [observe(model, false), observe(model, true, 120), observe(model, true, 120), observe(model, true, 120), observe(model, false)]
      const mk = (holder: string, n: Notifier) => createEvaluator({ store: alerts, lease: lease(), holder, notifiers: [n], generatorUrl: (fp) => `http://highway/v1/alerts/${fp}`, collect: (nowMs) => Promise.resolve([conditions[(nowMs - T0) / MIN]!].filter((o) => o.observation.labels.model === model)) })
      const na = recorder()
      const nb = recorder()
      const a = mk(`a-${name}`, na)
      const b = mk(`b-${name}`, nb)
      const leaders: boolean[] = []
      for (let i = 0; i < conditions.length; i++) {
        const [ra, rb] = await Promise.all([a.tick(T0 + i * MIN), b.tick(T0 + i * MIN)])
        expect([ra, rb].filter((r) => r.leader).length, JSON.stringify([ra, rb, String((ra as { error?: unknown }).error), String((rb as { error?: unknown }).error)])).toBe(1)
        leaders.push(ra.leader)
        for (const r of [ra, rb]) if (r.leader) expect(r.ok).toBe(true)
      }
      const history = await alerts.history({ fromMs: T0 - MIN, toMs: T0 + 10 * MIN, model, limit: 100 })
      expect(history.map((e) => `${e.from}>${e.to}@${(e.atMs - T0) / MIN}`)).toEqual(['inactive>pending@1', 'pending>firing@3', 'firing>resolved@4'])
      // One of them notified every tick; the other never did.
      const notified = [na.seen.length, nb.seen.length].sort()
      expect(notified).toEqual([0, conditions.length])
      const all = [...na.seen, ...nb.seen]
      expect(all.map((batch) => batch.map((x) => x.state).join(','))).toEqual(['', '', '', 'firing', 'resolved'])
      const [state] = await alerts.listStates({ model })
      expect(state).toMatchObject({ state: 'resolved', firedAtMs: T0 + 3 * MIN, resolvedAtMs: T0 + 4 * MIN })
    })
  }

  it('restores pending alerts from the store when the lease moves, keeping their pending period', async () => {
    const model = 'handover'
    let holder = 'first'
    const lease = { holds: (h: string) => Promise.resolve(h === holder) }
    const collect = () => Promise.resolve([observe(model, true, 120)])
    const first = createEvaluator({ store: alerts, lease, holder: 'first', collect, generatorUrl: () => '' })
    const second = createEvaluator({ store: alerts, lease, holder: 'second', collect, generatorUrl: () => '' })
    await first.tick(T0)
    holder = 'second'
    await second.tick(T0 + MIN)
    const r = await second.tick(T0 + 2 * MIN)
    expect(r.leader && r.ok && r.transitions.map((t) => `${t.from}>${t.to}`)).toEqual(['pending>firing'])
  })
})

describe('alert listeners', () => {
  it('hear an alert fire and resolve once each, after it is stored, and a failing listener does not stop the tick', async () => {
    const model = 'listened'
    const heard: string[] = []
    const errors: unknown[] = []
    const conditions = [observe(model, true), observe(model, true), observe(model, false)]
    const evaluator = createEvaluator({
      store: alerts,
      lease: { holds: () => Promise.resolve(true) },
      holder: 'solo',
      generatorUrl: () => '',
      collect: (nowMs) => Promise.resolve([conditions[(nowMs - T0) / MIN]!]),
      listeners: [
        async (activity) => {
          // Stored before it is told: the history already has the event the listener hears of.
          const stored = await alerts.history({ fromMs: T0 - MIN, toMs: T0 + 10 * MIN, model, limit: 100 })
          for (const a of activity.filter((x) => x.labels.model === model)) heard.push(`${a.status}@${(a.atMs - T0) / MIN}:${stored.some((e) => e.eventId === a.eventId)}`)
        },
        () => Promise.reject(new Error('incident store down')),
      ],
      onListenerError: (e) => errors.push(e),
    })
    for (let i = 0; i < conditions.length; i++) expect((await evaluator.tick(T0 + i * MIN)).leader).toBe(true)
    expect(heard).toEqual(['firing@0:true', 'resolved@2:true'])
    // Alerts other tests left in the shared store resolve in the first tick too: the failing listener heard those.
    expect(errors.length).toBeGreaterThanOrEqual(2)
  })
})
