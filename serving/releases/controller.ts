import { randomUUID } from 'node:crypto'
import { AppError } from '../../server/index.ts'
import type { Store } from '../../store/index.ts'
import type { AuditLog } from '../../audit/index.ts'
import { guard, type Registry } from '../../registry/index.ts'
import { loadChampions, reconcileReleases } from './reconcile.ts'
import { appendReleaseEvent, identityOf, nextSeq, readReleases, type ReleaseView } from './release-log.ts'
import {
  activeEvent,
  advanceStep,
  CHAMPION,
  frozenReason,
  judgeStep,
  needServing,
  promoteActive,
  rollbackActive,
  routingOf,
  servableVersion,
  switchChampion,
  unloadUnused,
  type Active,
  type ReleaseContext,
  type ReleaseLogger,
} from './stages.ts'
import { DEFAULT_CANARY_STEPS, DEFAULT_SHADOW_STEPS, type FreezeCheck, type ReleaseRequest, type ReleaseTimer, type ServingControl } from './types.ts'
import type { RegisteredVersion } from '../../registry/index.ts'

/** What the controller needs. `serving` is absent when no model server runs in this process (then only aliases move). */
export interface ReleaseControllerOptions {
  readonly store: Store
  readonly registry: Registry
  readonly audit: AuditLog
  readonly serving?: ServingControl
  /** The error-budget policy (slo/); absent means never frozen. */
  readonly freeze?: FreezeCheck
  readonly logger?: ReleaseLogger
  readonly now?: () => number
  /** Schedules the analyses; default setTimeout against `now` (the composition root passes its clock's). */
  readonly timer?: ReleaseTimer
  /** Configured models: the restore loads only their champions. Undefined loads every champion. */
  readonly models?: ReadonlySet<string>
}

/** The outcome of a rollback: done, or a no-op that says why. */
export interface RollbackResult {
  readonly model: string
  readonly outcome: 'done' | 'noop'
  readonly from: number
  readonly to: number
  readonly message: string
  readonly releaseId?: string
}

/** Starts and drives releases, rolls back, and restores routing after a restart. */
export interface ReleaseController {
  start(model: string, request: ReleaseRequest, actor: string): Promise<ReleaseView>
  rollback(model: string, options: { to?: number; actor: string; reason?: string }): Promise<RollbackResult>
  list(model: string): Promise<ReleaseView[]>
  get(model: string, releaseId: string): Promise<ReleaseView | undefined>
  /** Finishes what a previous process left half-recorded (reconcile.ts), then loads every champion into the server. */
  restore(): Promise<void>
  /** Resolves once the model has no release running (or at once). */
  idle(model: string): Promise<void>
  close(): void
}

/** Serialises everything that touches one model's release: API calls and loop ticks never interleave. */
function createModelLocks(): <T>(model: string, work: () => Promise<T>) => Promise<T> {
  const locks = new Map<string, Promise<unknown>>()
  return <T>(model: string, work: () => Promise<T>): Promise<T> => {
    const prev = locks.get(model) ?? Promise.resolve()
    const next = prev.then(work, work)
    const settled = next.then(
      () => undefined,
      () => undefined,
    )
    locks.set(model, settled)
    void settled.then(() => {
      if (locks.get(model) === settled) locks.delete(model)
    })
    return next
  }
}

/** Stage "admit": the checks before a release starts; returns the candidate and the champion, or refuses (audited). */
async function admitRelease(ctx: ReleaseContext, model: string, req: ReleaseRequest, actor: string, running: Active | undefined): Promise<{ candidate: RegisteredVersion; champion: number | undefined }> {
  const refuse = async (reason: string): Promise<never> => {
    await ctx.audit.record({ actor, component: 'releases', action: 'release', model, target: String(req.version), outcome: 'refused', reason })
    throw new AppError('conflict', reason)
  }
  if (running) return refuse(`model "${model}" already has a ${running.strategy} release of version ${running.version} running (${running.id}); roll it back or wait for it to finish`)
  const candidate = await guard(() => ctx.registry.requireVersion(model, req.version))
  // A version that failed its release gates may be watched in shadow (no answer changes) but not take traffic.
  const failedGates = candidate.gates.filter((g) => !g.passed).map((g) => g.gate)
  if (failedGates.length > 0 && req.strategy !== 'shadow' && !req.fix) {
    return refuse(`version ${req.version} of model "${model}" failed its release gate(s) ${failedGates.join(', ')}; only a shadow release, or a release marked "fix": true, may ship it`)
  }
  if (!req.fix) {
    const frozen = await frozenReason(ctx, model)
    if (frozen) return refuse(`releases of model "${model}" are frozen: ${frozen} (a release marked "fix": true may still ship)`)
  }
  const champion = await ctx.registry.resolveAlias(model, CHAMPION)
  if (champion === req.version) return refuse(`version ${req.version} of model "${model}" is already the champion`)
  if (champion === undefined && req.strategy !== 'bluegreen') return refuse(`model "${model}" has no champion to compare a ${req.strategy} against; release its first version with "strategy": "bluegreen"`)
  return { candidate, champion }
}

/** Stage "blue/green": load both, switch at once (the old version stays loaded, so a rollback is instant). */
async function releaseBlueGreen(ctx: ReleaseContext, server: ServingControl, o: { id: string; model: string; req: ReleaseRequest; champion: number | undefined; actor: string }): Promise<void> {
  const { id, model, req, champion, actor } = o
  await server.load(await servableVersion(ctx, model, req.version))
  if (champion !== undefined) await server.load(await servableVersion(ctx, model, champion))
  const r = { id, model, version: req.version, stable: champion ?? 0, strategy: 'bluegreen' as const, fix: req.fix }
  await appendReleaseEvent(ctx.store, ctx.now(), r, 1, { event: 'started', state: 'running', step: 0, weightPercent: 100, detail: { note: req.note }, actor })
  await switchChampion(ctx, r, {
    seq: 2,
    step: 0,
    actor,
    aliasReason: 'bluegreen',
    auditAction: 'release',
    auditBefore: { champion: champion ?? null },
    auditAfter: { champion: req.version, strategy: 'bluegreen' },
    auditReason: req.note,
    detail: { champion: req.version, previous: champion ?? null },
  })
  await unloadUnused(ctx, model, champion === undefined ? [req.version] : [req.version, champion])
}

/** Stage "canary or shadow start": both versions loaded, the first step's split, recorded and audited. */
async function startProgressive(
  ctx: ReleaseContext,
  server: ServingControl,
  o: { id: string; model: string; req: ReleaseRequest & { strategy: 'canary' | 'shadow' }; champion: number; candidate: RegisteredVersion; actor: string; attach: (a: Active) => void; detach: (a: Active) => void },
): Promise<Active> {
  const { id, model, req, champion, actor } = o
  const steps = req.steps ?? (req.strategy === 'canary' ? DEFAULT_CANARY_STEPS : DEFAULT_SHADOW_STEPS)
  await server.load(await servableVersion(ctx, model, champion))
  await server.load(await servableVersion(ctx, model, req.version))
  const startedAtMs = ctx.now()
  let resolveDone!: () => void
  const done = new Promise<void>((resolve) => (resolveDone = resolve))
  const a: Active = {
    id,
    model,
    version: req.version,
    stable: champion,
    strategy: req.strategy,
    fix: req.fix,
    steps,
    intervalMs: req.intervalSeconds * 1000,
    failureThreshold: req.failureThreshold,
    stepTimeoutMs: req.stepTimeoutIntervals * req.intervalSeconds * 1000,
    policy: req.analysis,
    task: o.candidate.signature.task,
    startedAtMs,
    step: 0,
    stepStartedAtMs: startedAtMs,
    failedAnalyses: 0,
    seq: 0,
    ticks: 0,
    lastRefusal: '',
    timer: undefined,
    done,
    detach: () => o.detach(a),
    finish: resolveDone,
  }
  await activeEvent(ctx, a, {
    event: 'started',
    state: 'running',
    actor,
    detail: { note: req.note, steps, intervalSeconds: req.intervalSeconds, failureThreshold: req.failureThreshold, stepTimeoutIntervals: req.stepTimeoutIntervals, analysis: req.analysis },
  })
  server.setRouting(model, routingOf(a))
  o.attach(a)
  await activeEvent(ctx, a, { event: 'step', state: 'running', detail: { routing: routingOf(a) } })
  await ctx.audit.record({ actor, component: 'releases', action: 'release', model, target: String(req.version), outcome: 'done', before: { champion }, after: { [req.strategy]: req.version, steps, release: id }, reason: req.note })
  return a
}

/** Stage "choose the rollback target": `to`, or the newest champion before this one that was not rolled back from. */
async function chooseRollbackTarget(
  ctx: ReleaseContext,
  model: string,
  champion: number,
  to: number | undefined,
): Promise<{ kind: 'target'; version: number } | { kind: 'noop'; message: string } | { kind: 'refused'; message: string; code: 'conflict' | 'not_found' }> {
  if (to !== undefined) {
    if (!(await ctx.registry.readVersion(model, to))) return { kind: 'refused', message: `cannot roll back model "${model}" to version ${to}: no such version`, code: 'not_found' }
    if (to === champion) return { kind: 'noop', message: `model "${model}" is already on version ${champion}: nothing to do` }
    return { kind: 'target', version: to }
  }
  const history = await ctx.registry.aliasHistory(model, CHAMPION)
  const latest = history[0]
  if (latest && latest.reason === 'rollback') {
    // A repeated rollback is a no-op, not a walk further back: a retried alert or a double click must not cascade.
    return { kind: 'noop', message: `model "${model}" was already rolled back to version ${champion} (from ${latest.previousVersion}, ${new Date(latest.setAtMs).toISOString()} by ${latest.setBy}); give "to" to go further back` }
  }
  // Versions rolled back from are not "good": skip them when walking back.
  const bad = new Set<number>([champion, ...history.filter((h) => h.reason === 'rollback').map((h) => h.previousVersion)])
  const found = history.map((h) => h.previousVersion).find((v) => v > 0 && !bad.has(v))
  if (found === undefined) return { kind: 'refused', message: `nothing to roll back to: model "${model}" has had no good champion before version ${champion}`, code: 'conflict' }
  return { kind: 'target', version: found }
}

/**
 * Stage "roll the champion back": serve the target, move the alias, audit, then mark the release that made the old
 * champion `rolled_back` (reconcile.ts finishes the record after a crash between these writes).
 */
async function rollbackChampion(ctx: ReleaseContext, model: string, o: { champion: number; target: number; actor: string; reason: string }): Promise<string | undefined> {
  const { champion, target, actor, reason } = o
  if (ctx.serving) {
    await ctx.serving.load(await servableVersion(ctx, model, target))
    ctx.serving.setRouting(model, { stable: target })
    await unloadUnused(ctx, model, [target])
  }
  const [last] = await readReleases(ctx.store, model)
  const release = last && last.version === champion ? last : undefined
  await ctx.registry.setAlias(model, CHAMPION, target, { actor, reason: 'rollback', note: reason })
  await ctx.audit.record({ actor, component: 'releases', action: 'rollback', model, target: String(target), outcome: 'done', before: { champion }, after: { champion: target, ...(release ? { release: release.id } : {}) }, reason })
  // The release that made the rolled-back version champion shows how it ended.
  if (release && release.state === 'promoted') {
    await appendReleaseEvent(ctx.store, ctx.now(), identityOf(release), nextSeq(release), { event: 'rolled_back', state: 'rolled_back', step: release.step, weightPercent: 0, detail: { reason, to: target }, actor })
  }
  ctx.logger?.warn('rolled back', { model, from: champion, to: target, actor })
  return release?.id
}

/** Builds the release controller: the stages (stages.ts, reconcile.ts), one lock per model, and the analysis schedule. */
export function createReleaseController(options: ReleaseControllerOptions): ReleaseController {
  const ctx: ReleaseContext = { ...options, now: options.now ?? Date.now }
  const { audit, logger } = options
  const active = new Map<string, Active>()
  const withLock = createModelLocks()
  let closed = false

  const tick = async (a: Active): Promise<void> => {
    if (active.get(a.model) !== a || closed) return
    const nowMs = ctx.now()
    const judged = await judgeStep(ctx, a, nowMs)
    if (!judged) return
    const { analysis, decision, readMs } = judged
    a.failedAnalyses = decision.failedAnalyses
    await activeEvent(ctx, a, {
      event: 'analysis',
      state: 'running',
      detail: { verdict: analysis.verdict, action: decision.action, canaryPredictions: analysis.canaryPredictions, baselinePredictions: analysis.baselinePredictions, readMs, reason: decision.reason, failedAnalyses: a.failedAnalyses, window: { from: new Date(a.stepStartedAtMs).toISOString(), to: new Date(nowMs).toISOString() }, checks: analysis.checks },
    })
    switch (decision.action) {
      case 'hold':
        return
      case 'rollback':
        return rollbackActive(ctx, a, decision.reason, 'system')
      case 'promote':
        await promoteActive(ctx, a, decision)
        return
      case 'advance':
        return advanceStep(ctx, a, decision, nowMs)
    }
  }

  const timer: ReleaseTimer =
    options.timer ??
    ((dueMs, run) => {
      const t = setTimeout(() => void run(), Math.max(0, dueMs - ctx.now()))
      t.unref()
      return () => clearTimeout(t)
    })

  const schedule = (a: Active): void => {
    if (closed || active.get(a.model) !== a) return
    // Fixed rate from the start: analysis k runs at start + k × interval, whatever each one took.
    a.ticks += 1
    const due = a.startedAtMs + a.ticks * a.intervalMs
    // The analysis is returned (not left floating), so a simulated clock can wait for it before moving on.
    a.timer = timer(due, () => {
      a.timer = undefined
      return withLock(a.model, () => tick(a))
        .catch((err: unknown) => logger?.warn('release step failed', { model: a.model, release: a.id, error: err instanceof Error ? err.message : String(err) }))
        .finally(() => schedule(a))
    })
  }

  const startLocked = async (model: string, req: ReleaseRequest, actor: string): Promise<ReleaseView> => {
    if (closed) throw new AppError('unavailable', 'the release controller is closed')
    const server = needServing(ctx, `start a ${req.strategy} release`)
    const { candidate, champion } = await admitRelease(ctx, model, req, actor, active.get(model))
    const id = randomUUID()
    if (req.strategy === 'bluegreen') {
      await releaseBlueGreen(ctx, server, { id, model, req, champion, actor })
    } else {
      const a = await startProgressive(ctx, server, {
        id,
        model,
        req: { ...req, strategy: req.strategy },
        champion: champion!,
        candidate,
        actor,
        attach: (x) => active.set(model, x),
        detach: (x) => {
          if (active.get(model) === x) active.delete(model)
        },
      })
      schedule(a)
    }
    return (await readReleases(ctx.store, model, id))[0]!
  }

  const rollbackLocked = async (model: string, o: { to?: number; actor: string; reason?: string }): Promise<RollbackResult> => {
    const reason = o.reason ?? 'manual rollback'
    const running = active.get(model)
    if (running && (o.to === undefined || o.to === running.stable)) {
      await rollbackActive(ctx, running, reason, o.actor)
      return { model, outcome: 'done', from: running.version, to: running.stable, releaseId: running.id, message: `${running.strategy} release ${running.id} of version ${running.version} stopped; all traffic on version ${running.stable}` }
    }
    if (running) await rollbackActive(ctx, running, reason, o.actor)
    const champion = await ctx.registry.resolveAlias(model, CHAMPION)
    const refuse = async (message: string, code: 'conflict' | 'not_found' = 'conflict'): Promise<never> => {
      await audit.record({ actor: o.actor, component: 'releases', action: 'rollback', model, target: o.to === undefined ? '' : String(o.to), outcome: 'refused', before: { champion: champion ?? null }, reason: message })
      throw new AppError(code, message)
    }
    if (champion === undefined) return refuse(`nothing to roll back: model "${model}" has no champion`)
    const choice = await chooseRollbackTarget(ctx, model, champion, o.to)
    if (choice.kind === 'refused') return refuse(choice.message, choice.code)
    if (choice.kind === 'noop') {
      await audit.record({ actor: o.actor, component: 'releases', action: 'rollback', model, target: String(o.to ?? champion), outcome: 'noop', before: { champion }, after: { champion }, reason: choice.message })
      return { model, outcome: 'noop', from: champion, to: champion, message: choice.message }
    }
    const releaseId = await rollbackChampion(ctx, model, { champion, target: choice.version, actor: o.actor, reason })
    return { model, outcome: 'done', from: champion, to: choice.version, message: `model "${model}" rolled back from version ${champion} to version ${choice.version}`, ...(releaseId ? { releaseId } : {}) }
  }

  return {
    start: (model, req, actor) => withLock(model, () => startLocked(model, req, actor)),
    rollback: (model, o) => withLock(model, () => rollbackLocked(model, o)),
    list: (model) => readReleases(ctx.store, model),
    async get(model, releaseId) {
      return (await readReleases(ctx.store, model, releaseId))[0]
    },
    async restore() {
      await reconcileReleases(ctx, { skip: (model) => active.has(model) })
      await loadChampions(ctx, options.models)
    },
    idle(model) {
      return active.get(model)?.done ?? Promise.resolve()
    },
    close() {
      closed = true
      for (const a of active.values()) a.timer?.()
    },
  }
}
