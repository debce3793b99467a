import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAuditLog, type AuditLog } from '../audit/index.ts'
import { openStore, type Store } from '../store/index.ts'
import { makeTempDir } from '../test/support/temp-dir.ts'
import type { AlertActivity } from '../alerts/index.ts'
import { createClickHouseRunbookStore } from './clickhouse-store.ts'
import { createRunbooks, type Runbooks, type RunbooksOptions } from './engine.ts'
import { RunbookRefusal, type ReleaseOutcome, type RunbookStore } from './ports.ts'
import { parseRunbook, type Runbook } from './spec.ts'

// The engine against real ClickHouse (chDB) and the real audit log. The step ports (release controller, pipeline,
// policy) are small in-memory implementations that record what they were asked: the engine's contract is what it
// asks them, once, and what it records; the ports' own adapters are tested with their components.

const tmp = makeTempDir('runbooks-engine')
let store: Store
let runStore: RunbookStore
let audit: AuditLog
const T0 = Date.parse('2026-12-08T00:00:00Z')
const MIN = 60_000

beforeAll(async () => {
  store = await openStore({ mode: 'embedded', dataDir: tmp.dir, database: 'highway', retentionDays: 30 })
  runStore = createClickHouseRunbookStore(store)
  audit = createAuditLog(store, () => T0)
})
afterAll(async () => {
  await store.close()
  tmp.cleanup()
})

function runbook(name: string, body: string): Runbook {
  const r = parseRunbook(`apiVersion: highway.dev/v1\nkind: Runbook\nmetadata: { name: ${name} }\nspec:\n${body}`, `${name}.yaml`)
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.runbook
}

const alertOn = (model: string, alertname: string, startsAtMs = T0): AlertActivity => ({
  eventId: `e/${model}/${alertname}/${startsAtMs}`,
  source: 'highway',
  fingerprint: `fp-${model}-${alertname}`,
  status: 'firing',
  labels: { alertname, model, severity: 'page', slo: `${model}-quality` },
  annotations: {},
  startsAtMs,
  atMs: startsAtMs,
  silenced: false,
})

/** Ports that record their calls; `previous` is the version a rollback goes back to (none: a refusal). */
function ports(o: { previous?: number; labels?: number; frozen?: string; release?: ReleaseOutcome; measure?: () => number | null; hangRetrain?: boolean } = {}) {
  const calls = { rollback: [] as string[], retrain: [] as Array<{ model: string; reason: string; window?: { fromMs: number; toMs: number } }>, release: [] as number[], freeze: [] as string[], notify: [] as string[] }
  let champion = 7
  const p: Partial<RunbooksOptions> = {
    rollback: {
      async rollback(model, r) {
        calls.rollback.push(model)
        if (o.previous === undefined) throw new RunbookRefusal(`nothing to roll back to: model "${model}" has had no good champion before version ${champion}`)
        const from = champion
        champion = o.previous
        return { outcome: 'done', from, to: o.previous, message: `rolled back (${r.reason})` }
      },
    },
    retrain: {
      labelCount: async () => o.labels ?? 10_000,
      retrain: (r) => {
        calls.retrain.push({ model: r.model, reason: r.reason, window: r.window })
        if (o.hangRetrain) return new Promise(() => {})
        return Promise.resolve({ version: 8, eligible: true, gates: [{ gate: 'champion', passed: true }], champion: 7, metrics: { mae: 30 } })
      },
    },
    release: {
      async start(_m, r) {
        calls.release.push(r.version)
        return { releaseId: `rel-${r.version}` }
      },
      state: async () => o.release ?? 'promoted',
    },
    freeze: {
      isFrozen: async () => (o.frozen ? { frozen: true, reason: o.frozen } : { frozen: false }),
      freeze: async (m, why) => void calls.freeze.push(`freeze ${m}: ${why}`),
      unfreeze: async (m, why) => void calls.freeze.push(`unfreeze ${m}: ${why}`),
    },
    notify: { notify: async (n) => void calls.notify.push(n.message) },
    measure: { read: async () => (o.measure ? o.measure() : 0) },
  }
  return { calls, p }
}

let clock = T0
function engine(runbooks: Runbook[], p: Partial<RunbooksOptions>, owner = 'proc-a'): Runbooks {
  return createRunbooks({ runbooks, store: runStore, audit, now: () => clock, owner, ...p })
}

describe('runbooks triggered by alerts', () => {
  it('starts one run for the same alert delivered three times, concurrently, and by a second process', async () => {
    const rb = runbook('rollback-once', '  trigger: { alert: { name: Burn } }\n  steps:\n    - action: rollback\n')
    const { calls, p } = ports({ previous: 6 })
    const a = engine([rb], p, 'proc-a')
    const b = engine([rb], p, 'proc-b')
    const alert = alertOn('m-dedup', 'Burn')
    await Promise.all([a.listener([alert]), a.listener([alert]), a.listener([alert]), b.listener([alert])])
    await a.listener([alert])
    await Promise.all([a.idle(), b.idle()])
    expect(calls.rollback).toEqual(['m-dedup'])
    const runs = await a.runs({ model: 'm-dedup' })
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({ status: 'succeeded', runbook: 'rollback-once', trigger: { kind: 'alert', fingerprint: 'fp-m-dedup-Burn', startsAtMs: T0 } })
    const view = await a.get(runs[0]!.id)
    expect(view!.steps).toMatchObject([{ action: 'rollback', status: 'succeeded', output: { outcome: 'done', from: 7, to: 6 } }])
  })

  it('ignores alerts whose name, status or labels do not match', async () => {
    const rb = runbook('picky', '  trigger: { alert: { name: Burn, matchers: { severity: page }, regex: { model: "m-pick.*" } } }\n  steps:\n    - action: rollback\n')
    const { calls, p } = ports({ previous: 6 })
    const e = engine([rb], p)
    await e.listener([alertOn('other', 'Burn'), alertOn('m-picky', 'Drift'), { ...alertOn('m-picky', 'Burn'), status: 'resolved' }, { ...alertOn('m-picky', 'Burn'), labels: { alertname: 'Burn', model: 'm-picky', severity: 'ticket' } }])
    await e.idle()
    expect(calls.rollback).toEqual([])
  })
})

describe('refusals carry their reason', () => {
  it('refuses a rollback when there is nothing to roll back to', async () => {
    const rb = runbook('rb-nothing', '  trigger: { alert: { name: Burn } }\n  steps:\n    - action: rollback\n    - action: notify\n      webhook: http://127.0.0.1:9/never\n      message: not sent\n')
    const { calls, p } = ports({})
    const e = engine([rb], p)
    await e.listener([alertOn('m-nothing', 'Burn')])
    await e.idle()
    const [run] = await e.runs({ model: 'm-nothing' })
    expect(run).toMatchObject({ status: 'refused' })
    expect(run!.reason).toMatch(/step 1 \(1\. rollback\) refused: nothing to roll back to/)
    expect(calls.notify).toEqual([])
    const entries = await audit.read({ component: 'runbooks', model: 'm-nothing' })
    expect(entries.map((x) => `${x.action}:${x.outcome}`).sort()).toEqual(['run:done', 'run:refused', 'step:rollback:refused'])
  })

  it('refuses a retrain on fewer labels than minLabels, and while the budget policy froze releases', async () => {
    const rb = runbook('retrain-guarded', '  steps:\n    - action: retrain\n      minLabels: 500\n')
    const few = ports({ labels: 120 })
    const e1 = engine([rb], few.p)
    const r1 = await e1.start('retrain-guarded', { model: 'm-few', actor: 'alice' })
    await e1.idle()
    const v1 = await e1.get(r1.id)
    expect(v1).toMatchObject({ status: 'refused', steps: [{ action: 'retrain', status: 'refused' }] })
    expect(v1!.reason).toMatch(/only 120 labelled prediction\(s\) .* fewer than minLabels 500/)
    const frozen = ports({ frozen: 'SLO m-quality: error budget exhausted: -5% left' })
    const e2 = engine([rb], frozen.p)
    const r2 = await e2.start('retrain-guarded', { model: 'm-frozen', actor: 'alice' })
    await e2.idle()
    const v2 = await e2.get(r2.id)
    expect(v2).toMatchObject({ status: 'refused' })
    expect(v2!.reason).toContain('frozen by the release policy: SLO m-quality: error budget exhausted')
    expect(few.calls.retrain).toEqual([])
    expect(frozen.calls.retrain).toEqual([])
  })

  it('holds a cooldown: a new alert within it is refused with the time it ends', async () => {
    const rb = runbook('cool', '  trigger: { alert: { name: Burn } }\n  cooldown: 1h\n  steps:\n    - action: rollback\n')
    const { calls, p } = ports({ previous: 6 })
    const e = engine([rb], p)
    clock = T0
    await e.listener([alertOn('m-cool', 'Burn', T0)])
    await e.idle()
    clock = T0 + 30 * MIN
    await e.listener([alertOn('m-cool', 'Burn', T0 + 30 * MIN)])
    clock = T0 + 61 * MIN
    await e.listener([alertOn('m-cool', 'Burn', T0 + 61 * MIN)])
    await e.idle()
    clock = T0
    const runs = await e.runs({ model: 'm-cool' })
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'refused', 'succeeded'])
    expect(runs[1]!.reason).toMatch(/^cooldown: run rb-\w+ started at 2026-12-08T00:00:00.000Z; runbook cool may run again for model "m-cool" from 2026-12-08T01:00:00.000Z/)
    expect(calls.rollback).toHaveLength(2)
  })

  it('refuses a second run while one is in progress for the model', async () => {
    const rb = runbook('gated', '  steps:\n    - action: approve\n')
    const { p } = ports()
    const e = engine([rb], p)
    const first = await e.start('gated', { model: 'm-busy', actor: 'alice' })
    await e.idle()
    const second = await e.start('gated', { model: 'm-busy', actor: 'bob' })
    expect(second.status).toBe('refused')
    expect(second.reason).toBe(`a run is already in progress for model "m-busy": ${first.id} of runbook gated (waiting); concurrency model`)
    await e.cancel(first.id, { actor: 'alice' })
  })
})

async function waitFor(e: Runbooks, id: string, done: (status: string) => boolean): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await e.idle()
    const v = await e.get(id)
    if (v && done(v.status)) return
    await e.tick(clock)
  }
}

describe('parked steps, approval and cancellation', () => {
  it('waits for approval of a dangerous step, then acts', async () => {
    const rb = runbook('careful', '  steps:\n    - action: rollback\n      dangerous: true\n')
    const { calls, p } = ports({ previous: 5 })
    const e = engine([rb], p)
    const run = await e.start('careful', { model: 'm-approve', actor: 'alice' })
    await e.idle()
    expect((await e.get(run.id))!.status).toBe('waiting')
    expect(calls.rollback).toEqual([])
    const after = await e.approve(run.id, { actor: 'bob' })
    await e.idle()
    expect(after.status).toBe('succeeded')
    expect(calls.rollback).toEqual(['m-approve'])
    await expect(e.approve(run.id, { actor: 'bob' })).rejects.toThrow(/is succeeded.*nothing waits for approval/)
    const approvals = await audit.read({ component: 'runbooks', action: 'approve', model: 'm-approve' })
    expect(approvals.map((x) => x.actor)).toEqual(['bob'])
  })

  it('cancels a waiting run, which then neither acts nor can be approved', async () => {
    const rb = runbook('cancel-me', '  steps:\n    - action: approve\n    - action: rollback\n')
    const { calls, p } = ports({ previous: 5 })
    const e = engine([rb], p)
    const run = await e.start('cancel-me', { model: 'm-cancel', actor: 'alice' })
    await e.idle()
    const cancelled = await e.cancel(run.id, { actor: 'carol' })
    expect(cancelled).toMatchObject({ status: 'cancelled', reason: 'cancelled by carol' })
    expect(cancelled.steps[0]).toMatchObject({ status: 'cancelled' })
    await expect(e.approve(run.id, { actor: 'bob' })).rejects.toThrow(/cancelled/)
    await e.tick(clock + 60 * MIN)
    await e.idle()
    expect(calls.rollback).toEqual([])
  })

  it('drives wait and verify on the simulated clock, and times a verify out', async () => {
    let value: number | null = 3
    const rb = runbook('recover', '  steps:\n    - action: wait\n      duration: 10m\n    - action: verify\n      measure: { kind: burn_rate, slo: "{{labels.slo}}" }\n      below: 1\n      timeout: 30m\n')
    const { p } = ports({ measure: () => value })
    const e = engine([rb], p)
    clock = T0
    const run = await e.start('recover', { model: 'm-verify', actor: 'alice' })
    await e.idle()
    clock = T0 + 5 * MIN
    await e.tick(clock)
    await e.idle()
    expect((await e.get(run.id))!.steps.map((s) => s.status)).toEqual(['waiting'])
    clock = T0 + 11 * MIN
    await e.tick(clock)
    await e.idle()
    expect((await e.get(run.id))!.steps.map((s) => s.status)).toEqual(['succeeded', 'waiting'])
    value = 0.4
    clock = T0 + 12 * MIN
    await e.tick(clock)
    await e.idle()
    const done = await e.get(run.id)
    expect(done).toMatchObject({ status: 'succeeded' })
    expect(done!.steps[1]).toMatchObject({ status: 'succeeded', output: { value: 0.4 } })

    value = 5
    clock = T0
    const late = await e.start('recover', { model: 'm-verify-late', actor: 'alice' })
    await e.idle()
    for (const m of [11, 20, 42]) {
      clock = T0 + m * MIN
      await e.tick(clock)
      await e.idle()
    }
    clock = T0
    const failed = await e.get(late.id)
    expect(failed).toMatchObject({ status: 'failed' })
    expect(failed!.reason).toMatch(/step 2 \(2\. verify\) failed: timed out after 1800 s/)
  })

  it('retrains, releases a canary and follows it to promotion; a rolled-back canary fails the step and onFailure rolls back', async () => {
    const rb = runbook('retrain-canary', '  steps:\n    - action: retrain\n      onFailure: rollback\n')
    const good = ports({ previous: 6, release: 'promoted' })
    const e = engine([rb], good.p)
    const run = await e.start('retrain-canary', { model: 'm-retrain', actor: 'alice' })
    await waitFor(e, run.id, (s) => s !== 'running' && s !== 'waiting')
    expect(await e.get(run.id)).toMatchObject({ status: 'succeeded', steps: [{ status: 'succeeded', output: { version: 8, releaseId: 'rel-8', release: 'promoted' } }] })
    expect(good.calls.release).toEqual([8])
    expect(good.calls.retrain[0]!.reason).toContain(`runbook retrain-canary run ${run.id}`)

    const bad = ports({ previous: 6, release: 'rolled_back' })
    const e2 = engine([rb], bad.p)
    const run2 = await e2.start('retrain-canary', { model: 'm-retrain-bad', actor: 'alice' })
    await waitFor(e2, run2.id, (s) => s !== 'running' && s !== 'waiting')
    const v = await e2.get(run2.id)
    expect(v).toMatchObject({ status: 'failed', detail: { rollback: { outcome: 'done', to: 6 } } })
    expect(v!.reason).toContain('the canary of version 8 ended rolled back by the release analysis')
  })

  it('cancels a run during training: the trained version is not released', async () => {
    const rb = runbook('cancel-training', '  steps:\n    - action: retrain\n')
    const { calls, p } = ports()
    let finishTraining!: () => void
    const training = new Promise<void>((r) => (finishTraining = r))
    const e = engine([rb], { ...p, retrain: { labelCount: async () => 10_000, retrain: async (r) => (calls.retrain.push({ model: r.model, reason: r.reason }), await training, { version: 9, eligible: true, gates: [], champion: 7, metrics: {} }) } })
    const run = await e.start('cancel-training', { model: 'm-cancel-train', actor: 'alice' })
    for (let i = 0; i < 500 && calls.retrain.length === 0; i++) await new Promise((r) => setImmediate(r))
    const cancelling = e.cancel(run.id, { actor: 'carol' })
    finishTraining()
    const cancelled = await cancelling
    await e.idle()
    expect(cancelled).toMatchObject({ status: 'cancelled', steps: [{ action: 'retrain', status: 'cancelled' }] })
    expect(calls.release).toEqual([])
  })

  it('trains on a window relative to the alert when the step gives one', async () => {
    const rb = runbook('relative', '  trigger: { alert: { name: Drift } }\n  steps:\n    - action: retrain\n      window: { before: 7d, after: 1h }\n      release: false\n')
    const { calls, p } = ports()
    clock = T0 + 3 * 3_600_000
    const e = engine([rb], p)
    await e.listener([alertOn('m-relative', 'Drift', T0)])
    await e.idle()
    clock = T0
    expect(calls.retrain).toMatchObject([{ model: 'm-relative', window: { fromMs: T0 - 7 * 86_400_000, toMs: T0 + 3_600_000 } }])
  })

  it('shows the plan of a dry run without acting', async () => {
    const rb = runbook('plan-me', '  steps:\n    - action: rollback\n    - action: retrain\n      minLabels: 50000\n')
    const { calls, p } = ports({ previous: 5, labels: 1200 })
    const e = engine([rb], p)
    const run = await e.start('plan-me', { model: 'm-dry', actor: 'alice', dryRun: true })
    await e.idle()
    expect(run).toMatchObject({ status: 'planned', dryRun: true })
    expect(run.detail.plan).toMatchObject([{ action: 'rollback' }, { action: 'retrain', labels: 1200, minLabels: 50000, wouldRefuse: 'fewer labels than minLabels (1200 < 50000)' }])
    expect(calls.rollback).toEqual([])
    expect(calls.retrain).toEqual([])
  })
})

describe('restart', () => {
  it('aborts a run whose retrain was interrupted, with the reason, and never repeats it; resumes a run parked in a wait', async () => {
    const rbRetrain = runbook('crash-retrain', '  steps:\n    - action: retrain\n')
    const rbWait = runbook('crash-wait', '  steps:\n    - action: wait\n      duration: 5m\n    - action: freeze\n')
    const dying = ports({ hangRetrain: true })
    clock = T0
    const a = engine([rbRetrain, rbWait], dying.p, 'proc-dead')
    const r1 = await a.start('crash-retrain', { model: 'm-crash1', actor: 'alice' })
    const r2 = await a.start('crash-wait', { model: 'm-crash2', actor: 'alice' })
    // Let the first reach training and the second park; then the process "dies" (closed, its promises abandoned).
    // (Its idle() would wait for the hung retrain: read the store instead, until the wait is recorded as parked.)
    for (let i = 0; i < 500 && (dying.calls.retrain.length === 0 || (await runStore.getRun(r2.id))?.status !== 'waiting'); i++) await new Promise((r) => setImmediate(r))
    a.close()
    expect(dying.calls.retrain).toHaveLength(1)

    const fresh = ports({})
    const b = engine([rbRetrain, rbWait], fresh.p, 'proc-new')
    const restored = await b.restore()
    expect(restored.aborted).toContain(r1.id)
    expect(restored.resumed).toContain(r2.id)
    const v1 = await b.get(r1.id)
    expect(v1).toMatchObject({ status: 'aborted', steps: [{ status: 'aborted' }] })
    expect(v1!.reason).toMatch(/^interrupted: the process stopped during step 1 \(1\. retrain\).*a retrain is not repeated/)
    clock = T0 + 6 * MIN
    await b.tick(clock)
    await b.idle()
    clock = T0
    expect(await b.get(r2.id)).toMatchObject({ status: 'succeeded' })
    expect(fresh.calls.retrain).toEqual([])
    expect(fresh.calls.freeze).toHaveLength(1)
    // A second restore finds nothing left to take over.
    expect(await engine([rbRetrain, rbWait], fresh.p, 'proc-third').restore()).toEqual({ resumed: [], aborted: [] })
  })
})

describe('scheduled retraining on drift', () => {
  it('retrains at the slot only when the saved results say so, with the reason on the retrain', async () => {
    const rb = runbook('nightly', '  trigger:\n    schedule:\n      cron: "0 3 * * *"\n      models: [m-night, m-calm]\n      condition: { drift: { windows: 3, minDrifted: 2 } }\n  steps:\n    - action: retrain\n      release: false\n')
    const { calls, p } = ports()
    const e = engine([rb], {
      ...p,
      conditions: {
        driftResults: async (model) => (model === 'm-night' ? [true, false, true] : [false, false, true]),
        performance: async () => null,
        labelsSinceTraining: async () => null,
      },
    })
    const slot = Date.parse('2026-12-08T03:00:00Z')
    await e.tick(slot - 2 * MIN)
    await e.tick(slot + 20_000)
    await e.tick(slot + 40_000)
    await e.idle()
    expect(calls.retrain.map((c) => c.model)).toEqual(['m-night'])
    expect(calls.retrain[0]!.reason).toContain('dataset drift in 2 of the last 3 analysis window(s)')
    const [calm] = await e.runs({ model: 'm-calm', runbook: 'nightly' })
    expect(calm).toMatchObject({ status: 'skipped', trigger: { kind: 'schedule', slotMs: slot } })
    expect(calm!.reason).toMatch(/^condition not met: ✗ dataset drift in 1 of the last 3/)
    // A second process ticking the same slot starts nothing more.
    const other = engine([rb], { ...p, conditions: { driftResults: async () => [true, true, true], performance: async () => null, labelsSinceTraining: async () => null } }, 'proc-b')
    await other.tick(slot - MIN)
    await other.tick(slot + 30_000)
    await other.idle()
    expect(calls.retrain).toHaveLength(1)
  })
})
