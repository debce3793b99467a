import { createHash, randomUUID } from 'node:crypto'
import type { AlertActivity, AlertListener } from '../alerts/index.ts'
import type { RunbookMetrics, RunOutcome } from './metrics.ts'
import {
  isRefusal,
  RunbookRefusal,
  type ConditionPort,
  type FreezePort,
  type MeasurePort,
  type NotifyPort,
  type ReleasePort,
  type RetrainPort,
  type RollbackPort,
  type RunbookAudit,
  type RunbookStore,
  type RunFilter,
  type RunRecord,
  type RunStatus,
  type RunTrigger,
  type StepRecord,
  type StepStatus,
} from './ports.ts'
import { latestSlot, parseCron, type CronFields } from './schedule.ts'
import type { Runbook, RunbookCondition, RunbookStep } from './spec.ts'

/** What the runbooks component needs; step ports absent in this process make their steps fail with the reason. */
export interface RunbooksOptions {
  readonly runbooks: readonly Runbook[]
  readonly store: RunbookStore
  readonly audit: RunbookAudit
  readonly now: () => number
  /** This process (host:pid:random): the owner written on every claim. */
  readonly owner: string
  readonly metrics?: RunbookMetrics
  readonly rollback?: RollbackPort
  readonly retrain?: RetrainPort
  readonly release?: ReleasePort
  readonly freeze?: FreezePort
  readonly notify?: NotifyPort
  readonly measure?: MeasurePort
  readonly conditions?: ConditionPort
  /** Configured models: runs for other names are refused. Undefined accepts any. */
  readonly models?: ReadonlySet<string>
  readonly onError?: (what: string, error: unknown) => void
}

/** A run with its steps, as the API shows it. */
export type RunView = RunRecord & { readonly steps: readonly StepRecord[] }

/** A runbook as `GET /v1/runbooks` lists it. */
export interface RunbookSummary {
  readonly name: string
  readonly description: string
  readonly file: string
  readonly trigger: Runbook['spec']['trigger'] | null
  readonly cooldownSeconds: number
  readonly concurrency: 'model' | 'runbook'
  readonly steps: ReadonlyArray<{ readonly action: string; readonly name: string; readonly dangerous: boolean; readonly onFailure: string; readonly timeoutSeconds: number | null }>
}

/** The runbooks component: an alert listener, a tick for schedules and parked steps, and the operations of the API. */
export interface Runbooks {
  readonly listener: AlertListener
  list(): RunbookSummary[]
  /** Starts (or dry-runs) a runbook by hand. Throws RunbookRefusal for an unknown runbook or model. */
  start(name: string, o: { model: string; dryRun?: boolean; actor: string; requestId?: string }): Promise<RunView>
  approve(id: string, o: { actor: string; requestId?: string }): Promise<RunView>
  cancel(id: string, o: { actor: string; reason?: string; requestId?: string }): Promise<RunView>
  runs(filter: RunFilter): Promise<RunRecord[]>
  get(id: string): Promise<RunView | undefined>
  /** Checks schedules and advances parked steps (wait, verify, approve, a canary under analysis) at `nowMs`. */
  tick(nowMs?: number): Promise<void>
  /** After a restart: resumes runs a stopped process left from their last finished step, or aborts them with the reason. */
  restore(): Promise<{ resumed: string[]; aborted: string[] }>
  /** Resolves once no step is executing in the background. */
  idle(): Promise<void>
  close(): void
}

const FINAL: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'refused', 'aborted', 'cancelled', 'planned', 'skipped'])
/** Steps that may be begun again after a process stopped during them: they check or set a state, they do not act twice. */
const RESUMABLE: ReadonlySet<string> = new Set(['wait', 'verify', 'approve', 'freeze', 'unfreeze'])
/** Default timeouts (seconds) of steps that park; others have none unless given. */
const DEFAULT_TIMEOUT_SECONDS: Readonly<Record<string, number>> = { verify: 1800, approve: 86_400, retrain: 4 * 3600 }
const DEFAULT_RETRAIN_DAYS = 30

/** The deterministic id of a run: the same trigger (alert fingerprint and startsAt, or schedule slot) gives the same id. */
export function runIdOf(parts: readonly (string | number)[]): string {
  return `rb-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24)}`
}

/** Whether an alert's activity matches a runbook's alert trigger. Pure. */
export function matchesAlert(runbook: Runbook, a: Pick<AlertActivity, 'labels' | 'status'>): boolean {
  const t = runbook.spec.trigger?.alert
  if (!t) return false
  if (a.labels.alertname !== t.name || a.status !== t.status) return false
  for (const [k, v] of Object.entries(t.matchers)) if ((a.labels[k] ?? '') !== v) return false
  for (const [k, re] of Object.entries(t.regex)) if (!new RegExp(`^(?:${re})$`).test(a.labels[k] ?? '')) return false
  return true
}

const stepName = (s: RunbookStep, i: number): string => s.name ?? `${i + 1}. ${s.action}`
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err))

/** Fills `{{model}}`, `{{runbook}}`, `{{run}}`, `{{reason}}`, `{{labels.NAME}}`. Unknown names stay as they are. */
export function renderTemplate(template: string, values: { model: string; runbook: string; run: string; reason: string; labels: Readonly<Record<string, string>> }): string {
  return template.replace(/\{\{\s*([A-Za-z_.]+)\s*\}\}/g, (whole, key: string) => {
    if (key.startsWith('labels.')) return values.labels[key.slice(7)] ?? ''
    const v = (values as unknown as Record<string, unknown>)[key]
    return typeof v === 'string' ? v : whole
  })
}

/** Evaluates a scheduled runbook's condition through the port; the reason names every figure read. */
export async function evaluateCondition(c: RunbookCondition | undefined, port: ConditionPort | undefined, model: string, nowMs: number): Promise<{ met: boolean; reason: string }> {
  if (!c) return { met: true, reason: 'scheduled (no condition)' }
  if (!port) return { met: false, reason: 'the analyzer results are not readable in this process' }
  const parts: Array<{ met: boolean; text: string }> = []
  if (c.drift) {
    const r = await port.driftResults(model, c.drift.windows, nowMs)
    const drifted = r.filter(Boolean).length
    parts.push({ met: drifted >= c.drift.minDrifted, text: `dataset drift in ${drifted} of the last ${r.length} analysis window(s) (at least ${c.drift.minDrifted} needed)` })
  }
  if (c.performance) {
    const p = await port.performance(model, c.performance.metric, nowMs)
    const { above, below, metric } = c.performance
    const met = p !== null && ((above !== undefined && p.value > above) || (below !== undefined && p.value < below))
    parts.push({ met, text: p === null ? `no saved ${metric}` : `${p.estimated ? 'estimated' : 'realised'} ${metric} ${Number(p.value.toPrecision(4))} (bound: ${above !== undefined ? `above ${above}` : `below ${below}`})` })
  }
  if (c.newLabels) {
    const n = await port.labelsSinceTraining(model, nowMs)
    parts.push({ met: n !== null && n >= c.newLabels.atLeast, text: n === null ? 'no champion to count new labels against' : `${n} new label(s) since the training data's end (at least ${c.newLabels.atLeast} needed)` })
  }
  if (parts.length === 0) return { met: true, reason: 'scheduled (empty condition)' }
  const met = c.combine === 'all' ? parts.every((p) => p.met) : parts.some((p) => p.met)
  return { met, reason: parts.map((p) => `${p.met ? '✓' : '✗'} ${p.text}`).join('; ') }
}

interface ActiveRun {
  run: RunRecord
  readonly runbook: Runbook
  readonly steps: Map<number, StepRecord>
  busy: boolean
  /** Set by cancel() before it waits for the run's lock: a step that returns then acts no further (no canary). */
  cancelling?: boolean
}

/** What one step attempt came to. */
type StepResult = { kind: 'done'; output: Record<string, unknown>; outcome?: 'done' | 'noop' } | { kind: 'park'; output: Record<string, unknown> } | { kind: 'fail'; error: string; refused: boolean }

/** Builds the runbooks component. */
export function createRunbooks(options: RunbooksOptions): Runbooks {
  const { store, audit, owner } = options
  const byName = new Map(options.runbooks.map((r) => [r.metadata.name, r]))
  const crons = new Map<string, CronFields>()
  for (const r of options.runbooks) {
    const s = r.spec.trigger?.schedule
    if (s) {
      const parsed = parseCron(s.cron)
      if (!parsed.ok) throw new Error(`${r.file}: spec.trigger.schedule.cron: ${parsed.error}`)
      crons.set(r.metadata.name, parsed.fields)
    }
  }
  const active = new Map<string, ActiveRun>()
  const locks = new Map<string, Promise<unknown>>()
  const inflight = new Set<Promise<unknown>>()
  const lastChecked = new Map<string, number>()
  let closed = false
  const now = (): number => options.now()
  const onError = (what: string, err: unknown): void => options.onError?.(what, err)

  const withLock = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const prev = locks.get(key) ?? Promise.resolve()
    const next = prev.then(work, work)
    const settled = next.then(
      () => undefined,
      () => undefined,
    )
    locks.set(key, settled)
    void settled.then(() => {
      if (locks.get(key) === settled) locks.delete(key)
    })
    return next
  }

  const publishInProgress = (): void => {
    if (!options.metrics) return
    options.metrics.inProgress.reset()
    for (const r of options.runbooks) options.metrics.inProgress.set({ runbook: r.metadata.name }, 0)
    for (const a of active.values()) options.metrics.inProgress.inc({ runbook: a.run.runbook })
  }

  const auditRun = (run: RunRecord, action: string, outcome: 'done' | 'noop' | 'refused' | 'failed', extra: { before?: unknown; after?: unknown; reason?: string } = {}): Promise<void> =>
    audit.record({
      actor: run.trigger.kind === 'manual' ? run.trigger.actor : `runbook:${run.runbook}`,
      component: 'runbooks',
      action,
      model: run.model,
      target: run.id,
      outcome,
      ...extra,
      ...(run.trigger.requestId ? { requestId: run.trigger.requestId } : {}),
    })

  /** Writes the run's next state, insert-once; false (and the run dropped from memory) when another writer won it. */
  const saveRun = async (a: ActiveRun, patch: Partial<RunRecord>): Promise<boolean> => {
    const next: RunRecord = { ...a.run, ...patch, seq: a.run.seq + 1, owner, updatedAtMs: now() }
    const won = await store.claim(next)
    if (!won) {
      active.delete(a.run.id)
      publishInProgress()
      return false
    }
    a.run = next
    return true
  }

  const saveStep = async (a: ActiveRun, index: number, patch: Partial<StepRecord> & { status: StepStatus }): Promise<StepRecord> => {
    const prev = a.steps.get(index)
    const spec = a.runbook.spec.steps[index]!
    const rec: StepRecord = {
      runId: a.run.id,
      index,
      action: spec.action,
      name: stepName(spec, index),
      input: prev?.input ?? {},
      output: prev?.output ?? {},
      error: '',
      startedAtMs: prev?.startedAtMs ?? now(),
      finishedAtMs: null,
      ...patch,
      seq: (prev?.seq ?? -1) + 1,
    }
    await store.saveStep(rec)
    a.steps.set(index, rec)
    return rec
  }

  const finish = async (a: ActiveRun, status: RunOutcome, reason: string, detail: Record<string, unknown> = {}): Promise<void> => {
    if (!(await saveRun(a, { status, reason, finishedAtMs: now(), detail: { ...a.run.detail, ...detail } }))) return
    active.delete(a.run.id)
    options.metrics?.runs.inc({ runbook: a.run.runbook, outcome: status })
    publishInProgress()
    await auditRun(a.run, 'run', status === 'succeeded' ? 'done' : status === 'refused' ? 'refused' : 'failed', { after: { status, steps: a.run.step }, reason: reason || status })
  }

  const windowOf = (a: ActiveRun, s: Extract<RunbookStep, { action: 'retrain' }>): { fromMs: number; toMs: number } => {
    const at = a.run.trigger.startsAtMs
    if (s.window && at !== undefined) return { fromMs: at - s.window.before * 1000, toMs: Math.min(now(), at + s.window.after * 1000) }
    const days = s.data ? s.data.slice('clickhouse:'.length) : `${DEFAULT_RETRAIN_DAYS}d`
    const seconds = Number(days.slice(0, -1)) * { m: 60, h: 3600, d: 86_400, w: 604_800 }[days.slice(-1) as 'm' | 'h' | 'd' | 'w']
    const toMs = now()
    return { fromMs: toMs - seconds * 1000, toMs }
  }

  const actor = (a: ActiveRun): string => `runbook:${a.run.runbook}`
  const missing = (what: string): StepResult => ({ kind: 'fail', error: `no ${what} in this process (the component that provides it does not run here)`, refused: true })

  /** Begins a step: acts, then says whether it is done, parked (checked again each tick) or failed. */
  const begin = async (a: ActiveRun, s: RunbookStep, index: number): Promise<StepResult> => {
    const model = a.run.model
    const reason = a.run.reason || `runbook ${a.run.runbook} run ${a.run.id}`
    switch (s.action) {
      case 'rollback': {
        if (!options.rollback) return missing('release controller for rollback')
        const r = await options.rollback.rollback(model, { ...(s.to !== undefined ? { to: s.to } : {}), actor: actor(a), reason })
        return { kind: 'done', output: { ...r }, outcome: r.outcome }
      }
      case 'freeze':
      case 'unfreeze': {
        if (!options.freeze) return missing('release policy')
        const why = s.reason ?? `${s.action === 'freeze' ? 'frozen' : 'unfrozen'} by runbook ${a.run.runbook} (run ${a.run.id})`
        await (s.action === 'freeze' ? options.freeze.freeze(model, why, now()) : options.freeze.unfreeze(model, why, now()))
        return { kind: 'done', output: { reason: why } }
      }
      case 'notify': {
        if (!options.notify) return missing('notifier')
        const text = renderTemplate(s.message, { model, runbook: a.run.runbook, run: a.run.id, reason, labels: a.run.trigger.labels ?? {} })
        await options.notify.notify({ ...(s.receiver ? { receiver: s.receiver } : {}), ...(s.webhook ? { webhook: s.webhook } : {}), message: text, model, runbook: a.run.runbook, runId: a.run.id })
        return { kind: 'done', output: { message: text, to: s.receiver ?? s.webhook } }
      }
      case 'wait':
        return { kind: 'park', output: { untilMs: now() + s.duration * 1000 } }
      case 'verify':
        if (!options.measure) return missing('measure reader')
        return { kind: 'park', output: {} }
      case 'approve':
        return { kind: 'park', output: { awaiting: 'approval', message: s.message ?? '' } }
      case 'retrain': {
        if (!options.retrain) return missing('model pipeline for retrain')
        if (s.release !== false) {
          if (!options.release) return missing('release controller for the canary')
          const frozen = await options.freeze?.isFrozen(model)
          if (frozen?.frozen) return { kind: 'fail', error: `releases of model "${model}" are frozen by the release policy: ${frozen.reason ?? 'frozen'}`, refused: true }
        }
        const window = windowOf(a, s)
        const labels = await options.retrain.labelCount(model, window)
        if (labels < s.minLabels) {
          return { kind: 'fail', error: `only ${labels} labelled prediction(s) of model "${model}" between ${new Date(window.fromMs).toISOString()} and ${new Date(window.toMs).toISOString()}: fewer than minLabels ${s.minLabels}`, refused: true }
        }
        // Recorded before training: a process that stops during it leaves a step that restore() aborts, never repeats.
        await saveStep(a, index, { status: 'running', input: { window, labels, minLabels: s.minLabels, release: s.release } })
        const trained = await options.retrain.retrain({ model, window, reason: `runbook ${a.run.runbook} run ${a.run.id}: ${reason}`, actor: actor(a) })
        const output = { version: trained.version, eligible: trained.eligible, champion: trained.champion, gates: trained.gates, labels, window }
        if (a.cancelling) return { kind: 'fail', error: `cancelled during training: version ${trained.version} registered, not released`, refused: false }
        if (!trained.eligible) return { kind: 'fail', error: `version ${trained.version} failed its gate(s) ${trained.gates.filter((g) => !g.passed).map((g) => g.gate).join(', ')}: registered, not released`, refused: false }
        if (s.release === false) return { kind: 'done', output }
        const started = await options.release!.start(model, { version: trained.version, strategy: s.release.strategy, ...(s.release.steps ? { steps: s.release.steps } : {}), ...(s.release.intervalSeconds ? { intervalSeconds: s.release.intervalSeconds } : {}), note: `retrained by runbook ${a.run.runbook} (run ${a.run.id})` }, actor(a))
        return { kind: 'park', output: { ...output, releaseId: started.releaseId } }
      }
    }
  }

  /** Checks a parked step again. */
  const poll = async (a: ActiveRun, s: RunbookStep, rec: StepRecord): Promise<StepResult> => {
    const out = rec.output
    switch (s.action) {
      case 'wait':
        return now() >= Number(out.untilMs) ? { kind: 'done', output: out } : { kind: 'park', output: out }
      case 'approve':
        return a.run.approved.includes(rec.index) ? { kind: 'done', output: { ...out, awaiting: '' } } : { kind: 'park', output: out }
      case 'verify': {
        // The SLO may name the alert's own (`{{labels.slo}}`).
        const slo = s.measure.slo === undefined ? undefined : renderTemplate(s.measure.slo, { model: a.run.model, runbook: a.run.runbook, run: a.run.id, reason: a.run.reason, labels: a.run.trigger.labels ?? {} })
        const value = await options.measure!.read(a.run.model, { ...s.measure, ...(slo !== undefined ? { slo } : {}) }, now())
        const recovered = value !== null && (s.below === undefined || value < s.below) && (s.above === undefined || value > s.above)
        return recovered ? { kind: 'done', output: { value } } : { kind: 'park', output: { last: value } }
      }
      case 'retrain': {
        const state = await options.release!.state(a.run.model, String(out.releaseId))
        if (state === 'promoted') return { kind: 'done', output: { ...out, release: state } }
        if (state === 'running') return { kind: 'park', output: out }
        return { kind: 'fail', error: `the canary of version ${String(out.version)} ended ${state.replace('_', ' ')} by the release analysis (release ${String(out.releaseId)})`, refused: false }
      }
      default:
        return { kind: 'park', output: out }
    }
  }

  const timedOut = (s: RunbookStep, rec: StepRecord): number | null => {
    const seconds = s.timeout ?? DEFAULT_TIMEOUT_SECONDS[s.action]
    if (seconds === undefined) return null
    return now() - rec.startedAtMs > seconds * 1000 ? seconds : null
  }

  /** Runs steps from the current one until one parks or the run ends. Called under the run's lock. */
  const advance = async (a: ActiveRun): Promise<void> => {
    const steps = a.runbook.spec.steps
    for (;;) {
      if (closed || active.get(a.run.id) !== a || FINAL.has(a.run.status)) return
      const index = a.run.step
      if (index >= steps.length) return finish(a, 'succeeded', '')
      const s = steps[index]!
      let rec = a.steps.get(index)
      let result: StepResult
      if (rec === undefined || rec.status === 'running') {
        if (s.dangerous && !a.run.approved.includes(index)) {
          if (!(await saveRun(a, { status: 'waiting' }))) return
          await saveStep(a, index, { status: 'waiting', output: { awaiting: 'approval' } })
          return
        }
        // Claim the step's start before acting: of two processes only one acts.
        if (!(await saveRun(a, { status: 'running', step: index }))) return
        rec = await saveStep(a, index, { status: 'running', startedAtMs: now() })
        try {
          result = await begin(a, s, index)
        } catch (err) {
          result = { kind: 'fail', error: message(err), refused: isRefusal(err) }
        }
      } else if (rec.status === 'waiting') {
        if (s.dangerous && rec.output.awaiting === 'approval') {
          if (!a.run.approved.includes(index)) return
          a.steps.set(index, { ...rec, status: 'running' })
          continue
        }
        const late = timedOut(s, rec)
        try {
          result = late !== null ? { kind: 'fail', error: `timed out after ${late} s`, refused: false } : await poll(a, s, rec)
        } catch (err) {
          result = { kind: 'fail', error: message(err), refused: isRefusal(err) }
        }
      } else {
        // A finished step whose run did not move on (a stop between the two writes): move on.
        if (!(await saveRun(a, { step: index + 1 }))) return
        continue
      }
      if (closed || a.cancelling || active.get(a.run.id) !== a || FINAL.has(a.run.status)) return
      const late = result.kind !== 'fail' ? timedOut(s, a.steps.get(index)!) : null
      if (late !== null && result.kind === 'done' && s.action !== 'wait') result = { kind: 'fail', error: `timed out after ${late} s (finished late)`, refused: false }
      if (result.kind === 'park') {
        if (a.run.status !== 'waiting' && !(await saveRun(a, { status: 'waiting' }))) return
        const prev = a.steps.get(index)!
        if (prev.status !== 'waiting' || JSON.stringify(prev.output) !== JSON.stringify(result.output)) await saveStep(a, index, { status: 'waiting', output: result.output })
        return
      }
      const finishedAtMs = now()
      if (result.kind === 'done') {
        const done = await saveStep(a, index, { status: 'succeeded', output: result.output, finishedAtMs })
        await auditRun(a.run, `step:${s.action}`, result.outcome ?? 'done', { after: { step: index, name: done.name, output: result.output, durationMs: finishedAtMs - done.startedAtMs } })
        if (!(await saveRun(a, { status: 'running', step: index + 1 }))) return
        continue
      }
      const failed = await saveStep(a, index, { status: result.refused ? 'refused' : 'failed', error: result.error, finishedAtMs })
      await auditRun(a.run, `step:${s.action}`, result.refused ? 'refused' : 'failed', { after: { step: index, name: failed.name, durationMs: finishedAtMs - failed.startedAtMs }, reason: result.error })
      if (s.onFailure === 'continue') {
        if (!(await saveRun(a, { status: 'running', step: index + 1 }))) return
        continue
      }
      const why = `step ${index + 1} (${failed.name}) ${result.refused ? 'refused' : 'failed'}: ${result.error}`
      const detail: Record<string, unknown> = {}
      if (s.onFailure === 'rollback') {
        try {
          detail.rollback = options.rollback ? await options.rollback.rollback(a.run.model, { actor: actor(a), reason: why }) : { error: 'no release controller in this process' }
        } catch (err) {
          detail.rollback = { error: message(err) }
        }
      }
      return finish(a, result.refused ? 'refused' : 'failed', why, detail)
    }
  }

  const kick = (a: ActiveRun): void => {
    if (a.busy || closed) return
    a.busy = true
    const p = withLock(`run:${a.run.id}`, () => advance(a))
      .catch((err: unknown) => onError(`runbook ${a.run.runbook} run ${a.run.id}`, err))
      .finally(() => {
        a.busy = false
        inflight.delete(p)
      })
    inflight.add(p)
  }

  const viewOf = async (run: RunRecord): Promise<RunView> => ({ ...run, steps: await store.steps(run.id) })

  const refusalOf = async (runbook: Runbook, model: string, nowMs: number): Promise<string> => {
    if (options.models && !options.models.has(model)) return `model "${model}" is not configured`
    const scope = runbook.spec.concurrency
    const busy = [...active.values()].find((a) => a.run.model === model && (scope === 'model' || a.run.runbook === runbook.metadata.name))
    const other = busy?.run ?? (await store.listRuns({ model, ...(scope === 'runbook' ? { runbook: runbook.metadata.name } : {}), statuses: ['running', 'waiting'], limit: 1 }))[0]
    if (other) return `a run is already in progress for model "${model}": ${other.id} of runbook ${other.runbook} (${other.status}); concurrency ${scope}`
    if (runbook.spec.cooldown > 0) {
      const [last] = await store.listRuns({ model, runbook: runbook.metadata.name, statuses: ['running', 'waiting', 'succeeded', 'failed', 'aborted', 'cancelled'], limit: 1 })
      const until = last ? last.createdAtMs + runbook.spec.cooldown * 1000 : 0
      if (last && until > nowMs) return `cooldown: run ${last.id} started at ${new Date(last.createdAtMs).toISOString()}; runbook ${runbook.metadata.name} may run again for model "${model}" from ${new Date(until).toISOString()}`
    }
    return ''
  }

  const planOf = async (runbook: Runbook, model: string): Promise<Array<Record<string, unknown>>> =>
    Promise.all(
      runbook.spec.steps.map(async (s, i) => {
        const item: Record<string, unknown> = { index: i, action: s.action, name: stepName(s, i), dangerous: s.dangerous, onFailure: s.onFailure, timeoutSeconds: s.timeout ?? DEFAULT_TIMEOUT_SECONDS[s.action] ?? null }
        if (s.action === 'retrain' && options.retrain) {
          const fake = { run: { trigger: { kind: 'manual', actor: '' } } } as unknown as ActiveRun
          const window = windowOf(fake, s)
          const labels = await options.retrain.labelCount(model, window).catch(() => null)
          const frozen = s.release !== false ? await options.freeze?.isFrozen(model) : undefined
          Object.assign(item, { window, labels, minLabels: s.minLabels, wouldRefuse: labels !== null && labels < s.minLabels ? `fewer labels than minLabels (${labels} < ${s.minLabels})` : frozen?.frozen ? `frozen: ${frozen.reason ?? ''}` : null })
        }
        if (s.action === 'notify') item.to = s.receiver ?? s.webhook
        if (s.action === 'wait') item.durationSeconds = s.duration
        return item
      }),
    )

  /** Starts a run of `runbook` for `model` with id `id` (deterministic for alerts and schedules); idempotent on the id. */
  const startRun = (runbook: Runbook, model: string, id: string, trigger: RunTrigger, o: { dryRun: boolean; status?: 'skipped'; reason?: string }): Promise<RunView> =>
    withLock(`model:${model}`, async () => {
      const known = active.get(id)?.run ?? (await store.getRun(id))
      if (known) return viewOf(known)
      const nowMs = now()
      const refused = o.status ? '' : await refusalOf(runbook, model, nowMs)
      const status: RunStatus = o.status ?? (o.dryRun ? 'planned' : refused ? 'refused' : 'running')
      const detail: Record<string, unknown> = o.dryRun ? { plan: await planOf(runbook, model), ...(refused ? { wouldRefuse: refused } : {}) } : {}
      const run: RunRecord = {
        id,
        runbook: runbook.metadata.name,
        model,
        status,
        dryRun: o.dryRun,
        trigger,
        reason: status === 'refused' ? refused : (o.reason ?? trigger.reason ?? ''),
        step: 0,
        approved: [],
        detail,
        owner,
        seq: 0,
        createdAtMs: nowMs,
        updatedAtMs: nowMs,
        finishedAtMs: FINAL.has(status) ? nowMs : null,
      }
      if (!(await store.claim(run))) return viewOf((await store.getRun(id)) ?? run)
      if (status === 'refused') {
        options.metrics?.runs.inc({ runbook: run.runbook, outcome: 'refused' })
        await auditRun(run, 'run', 'refused', { reason: refused })
        return viewOf(run)
      }
      if (status !== 'running') {
        if (status === 'planned') await auditRun(run, 'run', 'noop', { after: { dryRun: true, plan: detail.plan }, reason: 'dry run' })
        return viewOf(run)
      }
      await auditRun(run, 'run', 'done', { after: { status: 'started', trigger }, reason: run.reason || `started by ${trigger.kind}` })
      const a: ActiveRun = { run, runbook, steps: new Map(), busy: false }
      active.set(id, a)
      publishInProgress()
      kick(a)
      return viewOf(run)
    })

  const listener: AlertListener = async (activity) => {
    for (const act of activity) {
      for (const runbook of options.runbooks) {
        if (!matchesAlert(runbook, act)) continue
        const model = act.labels.model ?? ''
        const trigger: RunTrigger = { kind: 'alert', actor: `alert:${act.labels.alertname ?? ''}`, fingerprint: act.fingerprint, alertname: act.labels.alertname ?? '', startsAtMs: act.startsAtMs, labels: act.labels, reason: `alert ${act.labels.alertname ?? ''} ${act.status} (${act.fingerprint})` }
        // One run per (runbook, alert fingerprint, startsAt): retries, re-deliveries and other processes find it.
        await startRun(runbook, model, runIdOf([runbook.metadata.name, act.fingerprint, act.startsAtMs, act.status]), trigger, { dryRun: false })
      }
    }
  }

  const tickSchedules = async (nowMs: number): Promise<void> => {
    for (const runbook of options.runbooks) {
      const fields = crons.get(runbook.metadata.name)
      const schedule = runbook.spec.trigger?.schedule
      if (!fields || !schedule) continue
      for (const model of schedule.models) {
        const key = `${runbook.metadata.name}/${model}`
        // Slots before the first tick are not caught up: a restart does not replay last night's schedule.
        const after = lastChecked.get(key) ?? nowMs - 60_000
        lastChecked.set(key, Math.max(after, nowMs))
        const slot = latestSlot(fields, nowMs, after)
        if (slot === null) continue
        const id = runIdOf([runbook.metadata.name, 'schedule', model, slot])
        if (active.has(id) || (await store.getRun(id))) continue
        const condition = await evaluateCondition(schedule.condition, options.conditions, model, nowMs)
        const trigger: RunTrigger = { kind: 'schedule', actor: `schedule:${schedule.cron}`, slotMs: slot, reason: condition.reason }
        await startRun(runbook, model, id, trigger, condition.met ? { dryRun: false } : { dryRun: false, status: 'skipped', reason: `condition not met: ${condition.reason}` })
      }
    }
  }

  const requireRun = async (id: string): Promise<RunRecord> => {
    const run = active.get(id)?.run ?? (await store.getRun(id))
    if (!run) throw new RunbookRefusal(`no runbook run ${id}`)
    return run
  }

  return {
    listener,
    list: () =>
      options.runbooks.map((r) => ({
        name: r.metadata.name,
        description: r.metadata.description ?? '',
        file: r.file,
        trigger: r.spec.trigger ?? null,
        cooldownSeconds: r.spec.cooldown,
        concurrency: r.spec.concurrency,
        steps: r.spec.steps.map((s, i) => ({ action: s.action, name: stepName(s, i), dangerous: s.dangerous, onFailure: s.onFailure, timeoutSeconds: s.timeout ?? DEFAULT_TIMEOUT_SECONDS[s.action] ?? null })),
      })),
    async start(name, o) {
      const runbook = byName.get(name)
      if (!runbook) throw new RunbookRefusal(`no runbook named "${name}"`)
      const trigger: RunTrigger = { kind: 'manual', actor: o.actor, reason: `started by ${o.actor}`, ...(o.requestId ? { requestId: o.requestId } : {}) }
      return startRun(runbook, o.model, o.dryRun ? `rb-dry-${randomUUID()}` : `rb-${randomUUID()}`, trigger, { dryRun: o.dryRun ?? false })
    },
    async approve(id, o) {
      const run = await requireRun(id)
      const a = active.get(id)
      if (!a || run.status !== 'waiting') throw new RunbookRefusal(`run ${id} is ${run.status}${a ? '' : ' (not run by this process)'}: nothing waits for approval`)
      return withLock(`run:${id}`, async () => {
        const rec = a.steps.get(a.run.step)
        const spec = a.runbook.spec.steps[a.run.step]
        const awaiting = rec?.status === 'waiting' && (rec.output.awaiting === 'approval' || spec?.action === 'approve')
        if (!awaiting) throw new RunbookRefusal(`run ${id} is waiting on step ${a.run.step + 1} (${spec?.action ?? '?'}), which needs no approval`)
        if (!(await saveRun(a, { approved: [...a.run.approved, a.run.step] }))) throw new RunbookRefusal(`run ${id} was taken over by another process`)
        await audit.record({ actor: o.actor, component: 'runbooks', action: 'approve', model: a.run.model, target: id, outcome: 'done', after: { step: a.run.step }, ...(o.requestId ? { requestId: o.requestId } : {}) })
        await advance(a)
        return viewOf(a.run)
      })
    },
    async cancel(id, o) {
      const run = await requireRun(id)
      if (FINAL.has(run.status)) throw new RunbookRefusal(`run ${id} already ended: ${run.status}`)
      const a = active.get(id) ?? { run, runbook: byName.get(run.runbook)!, steps: new Map((await store.steps(id)).map((s) => [s.index, s])), busy: false }
      a.cancelling = true
      return withLock(`run:${id}`, async () => {
        if (FINAL.has(a.run.status)) return viewOf(a.run)
        const reason = o.reason ?? `cancelled by ${o.actor}`
        const rec = a.steps.get(a.run.step)
        if (rec && (rec.status === 'running' || rec.status === 'waiting')) await saveStep(a, a.run.step, { status: 'cancelled', error: reason, finishedAtMs: now() })
        active.set(id, a)
        await finish(a, 'cancelled', reason)
        await audit.record({ actor: o.actor, component: 'runbooks', action: 'cancel', model: a.run.model, target: id, outcome: 'done', reason, ...(o.requestId ? { requestId: o.requestId } : {}) })
        return viewOf(a.run)
      })
    },
    runs: (filter) => store.listRuns(filter),
    async get(id) {
      // The newer of memory and store: a state change is stored before memory takes it, so for a moment the store
      // (which the runs list reads) is ahead.
      const held = active.get(id)?.run
      const stored = await store.getRun(id)
      const run = held && (!stored || held.seq >= stored.seq) ? held : stored
      return run ? viewOf(run) : undefined
    },
    async tick(nowMs = now()) {
      if (closed) return
      for (const a of active.values()) if (a.run.status === 'waiting' || a.run.status === 'running') kick(a)
      await tickSchedules(nowMs)
    },
    async restore() {
      const resumed: string[] = []
      const aborted: string[] = []
      for (const run of await store.listRuns({ statuses: ['running', 'waiting'] })) {
        if (active.has(run.id)) continue
        const runbook = byName.get(run.runbook)
        const steps = new Map((await store.steps(run.id)).map((s) => [s.index, s]))
        const a: ActiveRun = { run, runbook: runbook!, steps, busy: false }
        active.set(run.id, a)
        const cur = steps.get(run.step)
        let why = ''
        if (!runbook) why = `runbook ${run.runbook} is no longer configured`
        else if (cur?.status === 'running' && !RESUMABLE.has(cur.action)) {
          why = `interrupted: the process stopped during step ${run.step + 1} (${cur.name}), started ${new Date(cur.startedAtMs).toISOString()}; a ${cur.action} is not repeated (not idempotent)`
        }
        if (why) {
          if (cur && (cur.status === 'running' || cur.status === 'waiting')) await saveStep(a, run.step, { status: 'aborted', error: why, finishedAtMs: now() })
          await finish(a, 'aborted', why)
          if (a.run.status === 'aborted') aborted.push(run.id)
          continue
        }
        // Taking the run over is a claimed write too: of two restarting processes one resumes it.
        if (!(await saveRun(a, { detail: { ...run.detail, resumedBy: owner, resumedAtMs: now() } }))) continue
        await auditRun(a.run, 'resume', 'done', { after: { step: run.step }, reason: 'resumed after a restart' })
        resumed.push(run.id)
        kick(a)
      }
      publishInProgress()
      return { resumed, aborted }
    },
    async idle() {
      while (inflight.size > 0) await Promise.all([...inflight])
    },
    close() {
      closed = true
    },
  }
}
