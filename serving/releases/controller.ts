import { randomUUID } from 'node:crypto'
import { AppError } from '../../server/index.ts'
import { insertReleaseEvent, readAliasEverywhere, readReleaseEvents, readUnfinishedReleases, readVersionWindowFacts, type ReleaseEventRow, type Store } from '../../store/index.ts'
import { linearExplainer } from '../../pipeline/explain/index.ts'
import { RegistryError, type AuditLog, type Registry } from '../registry/index.ts'
import {
  DEFAULT_CANARY_STEPS,
  DEFAULT_SHADOW_STEPS,
  FINAL_STATES,
  type AnalysisPolicy,
  type FreezeCheck,
  type ReleaseRequest,
  type ReleaseRouting,
  type ReleaseState,
  type ServingControl,
  type ServableVersion,
  type Strategy,
} from './types.ts'
import { analyseCanary, decideNext, type CanaryAnalysis, type ReleaseDecision, type Task } from './verdict.ts'

/** Logger port. */
export interface ReleaseLogger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
}

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
}

/** One event of a release, as the API shows it. */
export interface ReleaseEventView {
  readonly seq: number
  readonly event: string
  readonly state: ReleaseState
  readonly step: number
  readonly weightPercent: number
  readonly at: string
  readonly actor: string
  readonly detail: unknown
}

/** A release and its events. */
export interface ReleaseView {
  readonly id: string
  readonly model: string
  readonly version: number
  readonly stableVersion: number
  readonly strategy: Strategy
  readonly fix: boolean
  readonly state: ReleaseState
  /** 1-based step the release is at (or ended at); 0 for blue/green. */
  readonly step: number
  readonly weightPercent: number
  readonly startedAt: string
  readonly updatedAt: string
  readonly startedBy: string
  readonly events: readonly ReleaseEventView[]
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
  /** Loads every champion into the server, and closes releases a previous process left running. */
  restore(): Promise<void>
  /** Resolves once the model has no release running (or at once). */
  idle(model: string): Promise<void>
  close(): void
}

interface Active {
  readonly id: string
  readonly model: string
  readonly version: number
  readonly stable: number
  readonly strategy: Exclude<Strategy, 'bluegreen'>
  readonly fix: boolean
  readonly steps: readonly number[]
  readonly intervalMs: number
  readonly failureThreshold: number
  readonly stepTimeoutMs: number
  readonly policy: AnalysisPolicy
  readonly task: Task
  readonly startedAtMs: number
  step: number
  stepStartedAtMs: number
  failedAnalyses: number
  seq: number
  ticks: number
  lastRefusal: string
  timer: NodeJS.Timeout | undefined
  readonly done: Promise<void>
  finish: () => void
}

const CHAMPION = 'champion'
const CHALLENGER = 'challenger'

/** Builds the release controller. */
export function createReleaseController(options: ReleaseControllerOptions): ReleaseController {
  const { store, registry, audit, serving, freeze, logger } = options
  const now = options.now ?? Date.now
  const active = new Map<string, Active>()
  const locks = new Map<string, Promise<unknown>>()
  let closed = false

  /** Serialises everything that touches one model's release: API calls and loop ticks never interleave. */
  const withLock = <T>(model: string, work: () => Promise<T>): Promise<T> => {
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

  const registryCall = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work()
    } catch (err) {
      if (err instanceof RegistryError) throw new AppError(err.code === 'not_found' ? 'not_found' : err.code === 'invalid' ? 'bad_request' : err.code === 'conflict' ? 'conflict' : 'internal', err.message, { cause: err })
      throw err
    }
  }

  const servable = async (model: string, version: number): Promise<ServableVersion> => {
    const v = await registryCall(() => registry.requireVersion(model, version))
    const { bytes } = await registryCall(() => registry.readArtifact(model, version))
    const explain = v.preprocessor && v.params ? linearExplainer(v.preprocessor, v.params) : undefined
    return { model, version, onnx: bytes, signature: v.signature, ...(explain ? { explain } : {}) }
  }

  const needServing = (what: string): ServingControl => {
    if (!serving) throw new AppError('conflict', `cannot ${what}: no model server runs in this process (start the serving component)`)
    return serving
  }

  const event = async (a: { id: string; model: string; version: number; stable: number; strategy: Strategy; fix: boolean }, seq: number, e: { event: string; state: ReleaseState; step: number; weightPercent: number; detail: unknown; actor: string }): Promise<void> => {
    const row: ReleaseEventRow = {
      releaseId: a.id,
      model: a.model,
      version: a.version,
      stableVersion: a.stable,
      strategy: a.strategy,
      fix: a.fix,
      seq,
      event: e.event,
      state: e.state,
      step: e.step,
      weightPercent: e.weightPercent,
      detailJson: JSON.stringify(e.detail ?? null),
      atMs: now(),
      actor: e.actor,
    }
    await insertReleaseEvent(store, row)
  }

  const activeEvent = (a: Active, e: { event: string; state: ReleaseState; detail: unknown; actor?: string }): Promise<void> =>
    event(a, ++a.seq, { ...e, step: a.step + 1, weightPercent: a.steps[a.step] ?? 0, actor: e.actor ?? 'system' })

  const routingOf = (a: Active): ReleaseRouting =>
    a.strategy === 'canary'
      ? { stable: a.stable, canary: { version: a.version, weightPercent: a.steps[a.step]! } }
      : { stable: a.stable, shadow: { version: a.version, sharePercent: a.steps[a.step]! } }

  /** Unloads what no route uses, keeping the champion and the one before it (instant rollback). */
  const tidy = async (model: string, keep: readonly number[]): Promise<void> => {
    if (!serving) return
    for (const v of serving.loaded(model)) {
      if (keep.includes(v)) continue
      try {
        await serving.unload(model, v)
      } catch (err) {
        logger?.warn('unload failed', { model, version: v, error: err instanceof Error ? err.message : String(err) })
      }
    }
  }

  const checkFreeze = async (model: string): Promise<string | undefined> => {
    if (!freeze) return undefined
    const f = await freeze(model)
    return f.frozen ? (f.reason ?? 'the error budget policy froze releases of this model') : undefined
  }

  const finish = async (a: Active, state: ReleaseState, eventName: string, detail: unknown, actor = 'system'): Promise<void> => {
    if (a.timer) clearTimeout(a.timer)
    a.timer = undefined
    active.delete(a.model)
    await activeEvent(a, { event: eventName, state, detail, actor })
    a.finish()
  }

  const rollbackActive = async (a: Active, reason: string, actor: string): Promise<void> => {
    if (serving) {
      serving.setRouting(a.model, { stable: a.stable })
      await tidy(a.model, [a.stable, ...(await previousChampion(a.model, a.stable))])
    }
    await finish(a, 'rolled_back', 'rolled_back', { reason }, actor)
    await audit.record({ actor, component: 'releases', action: 'rollback', model: a.model, target: String(a.stable), outcome: 'done', before: { release: a.id, [a.strategy]: a.version, stable: a.stable }, after: { stable: a.stable }, reason })
    logger?.warn('release rolled back', { model: a.model, release: a.id, version: a.version, reason })
  }

  const previousChampion = async (model: string, champion: number): Promise<number[]> => {
    const [latest] = await registry.aliasHistory(model, CHAMPION)
    return latest && latest.version === champion && latest.previousVersion > 0 ? [latest.previousVersion] : []
  }

  const promote = async (a: Active, decision: ReleaseDecision): Promise<void> => {
    if (a.strategy === 'shadow') {
      // A shadow never served anyone: passing makes it the challenger, not the champion.
      await registry.setAlias(a.model, CHALLENGER, a.version, { actor: 'system', reason: 'shadow_passed', note: a.id })
      if (serving) {
        serving.setRouting(a.model, { stable: a.stable })
        await tidy(a.model, [a.stable, ...(await previousChampion(a.model, a.stable))])
      }
      await finish(a, 'passed', 'passed', { reason: decision.reason, alias: CHALLENGER })
      return
    }
    if (!a.fix) {
      const frozen = await checkFreeze(a.model)
      if (frozen) {
        // Hold at the last step: the canary keeps its share and keeps being judged until the budget recovers.
        if (frozen !== a.lastRefusal) await activeEvent(a, { event: 'promotion_refused', state: 'running', detail: { reason: frozen } })
        a.lastRefusal = frozen
        return
      }
    }
    if (serving) serving.setRouting(a.model, { stable: a.version })
    await registry.setAlias(a.model, CHAMPION, a.version, { actor: 'system', reason: 'promotion', note: a.id })
    await tidy(a.model, [a.version, a.stable])
    await finish(a, 'promoted', 'promoted', { reason: decision.reason, champion: a.version, previous: a.stable })
    await audit.record({ actor: 'system', component: 'releases', action: 'promote', model: a.model, target: String(a.version), outcome: 'done', before: { champion: a.stable }, after: { champion: a.version }, reason: `${a.id}: ${decision.reason}` })
  }

  const tick = async (a: Active): Promise<void> => {
    if (active.get(a.model) !== a || closed) return
    const nowMs = now()
    let analysis: CanaryAnalysis
    const readStarted = performance.now()
    try {
      // The canary over its step; the stable version from before the step too, so a 100% canary still has a baseline.
      const facts = await readVersionWindowFacts(store, {
        model: a.model,
        windows: [
          { version: String(a.version), fromMs: a.stepStartedAtMs },
          { version: String(a.stable), fromMs: a.stepStartedAtMs - a.policy.baselineSeconds * 1000 },
        ],
        toMs: nowMs,
        sampleLimit: a.policy.sampleSize,
      })
      const canary = facts.get(String(a.version))!
      const baseline = facts.get(String(a.stable))!
      analysis = analyseCanary({ canary, baseline, task: a.task, policy: a.policy })
    } catch (err) {
      // A store outage is not the canary's fault: this window is inconclusive.
      logger?.warn('canary analysis could not read predictions', { model: a.model, release: a.id, error: err instanceof Error ? err.message : String(err) })
      return
    }
    const decision = decideNext(
      { step: a.step, steps: a.steps, failedAnalyses: a.failedAnalyses, failureThreshold: a.failureThreshold, stepStartedAtMs: a.stepStartedAtMs, stepTimeoutMs: a.stepTimeoutMs },
      analysis,
      nowMs,
    )
    a.failedAnalyses = decision.failedAnalyses
    await activeEvent(a, {
      event: 'analysis',
      state: 'running',
      detail: { verdict: analysis.verdict, action: decision.action, canaryPredictions: analysis.canaryPredictions, baselinePredictions: analysis.baselinePredictions, readMs: Math.round(performance.now() - readStarted), reason: decision.reason, failedAnalyses: a.failedAnalyses, window: { from: new Date(a.stepStartedAtMs).toISOString(), to: new Date(nowMs).toISOString() }, checks: analysis.checks },
    })
    switch (decision.action) {
      case 'hold':
        return
      case 'rollback':
        await rollbackActive(a, decision.reason, 'system')
        return
      case 'promote':
        await promote(a, decision)
        return
      case 'advance':
        a.step = decision.step
        a.stepStartedAtMs = nowMs
        if (serving) serving.setRouting(a.model, routingOf(a))
        await activeEvent(a, { event: 'step', state: 'running', detail: { reason: decision.reason, routing: routingOf(a) } })
    }
  }

  const schedule = (a: Active): void => {
    if (closed || active.get(a.model) !== a) return
    // Fixed rate from the start: analysis k runs at start + k × interval, whatever each one took.
    a.ticks += 1
    const due = a.startedAtMs + a.ticks * a.intervalMs
    a.timer = setTimeout(() => {
      a.timer = undefined
      void withLock(a.model, () => tick(a))
        .catch((err: unknown) => logger?.warn('release step failed', { model: a.model, release: a.id, error: err instanceof Error ? err.message : String(err) }))
        .finally(() => schedule(a))
    }, Math.max(0, due - now()))
    a.timer.unref()
  }

  const toView = (events: readonly ReleaseEventRow[]): ReleaseView => {
    const first = events[0]!
    const last = events[events.length - 1]!
    return {
      id: first.releaseId,
      model: first.model,
      version: first.version,
      stableVersion: first.stableVersion,
      strategy: first.strategy as Strategy,
      fix: first.fix,
      state: last.state as ReleaseState,
      step: last.step,
      weightPercent: last.weightPercent,
      startedAt: new Date(first.atMs).toISOString(),
      updatedAt: new Date(last.atMs).toISOString(),
      startedBy: first.actor,
      events: events.map((e) => ({ seq: e.seq, event: e.event, state: e.state as ReleaseState, step: e.step, weightPercent: e.weightPercent, at: new Date(e.atMs).toISOString(), actor: e.actor, detail: JSON.parse(e.detailJson) as unknown })),
    }
  }

  const list = async (model: string, releaseId?: string): Promise<ReleaseView[]> => {
    const rows = await readReleaseEvents(store, model, releaseId ? { releaseId } : {})
    const byId = new Map<string, ReleaseEventRow[]>()
    for (const r of rows) {
      const list = byId.get(r.releaseId)
      if (list) list.push(r)
      else byId.set(r.releaseId, [r])
    }
    return [...byId.values()].map(toView)
  }

  const startLocked = async (model: string, req: ReleaseRequest, actor: string): Promise<ReleaseView> => {
    if (closed) throw new AppError('unavailable', 'the release controller is closed')
    const server = needServing(`start a ${req.strategy} release`)
    const refuse = async (reason: string, code: 'conflict' | 'not_found' = 'conflict'): Promise<never> => {
      await audit.record({ actor, component: 'releases', action: 'release', model, target: String(req.version), outcome: 'refused', reason })
      throw new AppError(code, reason)
    }
    const running = active.get(model)
    if (running) return refuse(`model "${model}" already has a ${running.strategy} release of version ${running.version} running (${running.id}); roll it back or wait for it to finish`)
    const candidate = await registryCall(() => registry.requireVersion(model, req.version))
    // A version that failed its release gates may be watched in shadow (no answer changes) but not take traffic.
    const failedGates = candidate.gates.filter((g) => !g.passed).map((g) => g.gate)
    if (failedGates.length > 0 && req.strategy !== 'shadow' && !req.fix) {
      return refuse(`version ${req.version} of model "${model}" failed its release gate(s) ${failedGates.join(', ')}; only a shadow release, or a release marked "fix": true, may ship it`)
    }
    if (!req.fix) {
      const frozen = await checkFreeze(model)
      if (frozen) return refuse(`releases of model "${model}" are frozen: ${frozen} (a release marked "fix": true may still ship)`)
    }
    const champion = await registry.resolveAlias(model, CHAMPION)
    if (champion === req.version) return refuse(`version ${req.version} of model "${model}" is already the champion`)
    const id = randomUUID()
    const startedAtMs = now()
    if (req.strategy === 'bluegreen') {
      await server.load(await servable(model, req.version))
      if (champion !== undefined) await server.load(await servable(model, champion))
      const base = { id, model, version: req.version, stable: champion ?? 0, strategy: 'bluegreen' as const, fix: req.fix }
      await event(base, 1, { event: 'started', state: 'running', step: 0, weightPercent: 100, detail: { note: req.note }, actor })
      // The switch is at once; the old version stays loaded so a rollback is instant.
      server.setRouting(model, { stable: req.version })
      await registry.setAlias(model, CHAMPION, req.version, { actor, reason: 'bluegreen', note: id })
      await tidy(model, champion === undefined ? [req.version] : [req.version, champion])
      await event(base, 2, { event: 'promoted', state: 'promoted', step: 0, weightPercent: 100, detail: { champion: req.version, previous: champion ?? null }, actor })
      await audit.record({ actor, component: 'releases', action: 'release', model, target: String(req.version), outcome: 'done', before: { champion: champion ?? null }, after: { champion: req.version, strategy: 'bluegreen' }, reason: req.note })
      return toView((await readReleaseEvents(store, model, { releaseId: id })))
    }
    if (champion === undefined) return refuse(`model "${model}" has no champion to compare a ${req.strategy} against; release its first version with "strategy": "bluegreen"`)
    const steps = req.steps ?? (req.strategy === 'canary' ? DEFAULT_CANARY_STEPS : DEFAULT_SHADOW_STEPS)
    await server.load(await servable(model, champion))
    await server.load(await servable(model, req.version))
    let finishRelease!: () => void
    const done = new Promise<void>((resolve) => (finishRelease = resolve))
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
      task: candidate.signature.task,
      startedAtMs,
      step: 0,
      stepStartedAtMs: startedAtMs,
      failedAnalyses: 0,
      seq: 0,
      ticks: 0,
      lastRefusal: '',
      timer: undefined,
      done,
      finish: finishRelease,
    }
    await activeEvent(a, {
      event: 'started',
      state: 'running',
      actor,
      detail: { note: req.note, steps, intervalSeconds: req.intervalSeconds, failureThreshold: req.failureThreshold, stepTimeoutIntervals: req.stepTimeoutIntervals, analysis: req.analysis },
    })
    server.setRouting(model, routingOf(a))
    active.set(model, a)
    await activeEvent(a, { event: 'step', state: 'running', detail: { routing: routingOf(a) } })
    await audit.record({ actor, component: 'releases', action: 'release', model, target: String(req.version), outcome: 'done', before: { champion }, after: { [req.strategy]: req.version, steps }, reason: req.note })
    schedule(a)
    return toView(await readReleaseEvents(store, model, { releaseId: id }))
  }

  const rollbackLocked = async (model: string, o: { to?: number; actor: string; reason?: string }): Promise<RollbackResult> => {
    const reason = o.reason ?? 'manual rollback'
    const running = active.get(model)
    if (running && (o.to === undefined || o.to === running.stable)) {
      await rollbackActive(running, reason, o.actor)
      return { model, outcome: 'done', from: running.version, to: running.stable, releaseId: running.id, message: `${running.strategy} release ${running.id} of version ${running.version} stopped; all traffic on version ${running.stable}` }
    }
    if (running) await rollbackActive(running, reason, o.actor)
    const champion = await registry.resolveAlias(model, CHAMPION)
    const refuse = async (message: string, code: 'conflict' | 'not_found' = 'conflict'): Promise<never> => {
      await audit.record({ actor: o.actor, component: 'releases', action: 'rollback', model, target: o.to === undefined ? '' : String(o.to), outcome: 'refused', before: { champion: champion ?? null }, reason: message })
      throw new AppError(code, message)
    }
    if (champion === undefined) return refuse(`nothing to roll back: model "${model}" has no champion`)
    let target: number
    if (o.to !== undefined) {
      const exists = await registry.readVersion(model, o.to)
      if (!exists) return refuse(`cannot roll back model "${model}" to version ${o.to}: no such version`, 'not_found')
      if (o.to === champion) {
        const message = `model "${model}" is already on version ${champion}: nothing to do`
        await audit.record({ actor: o.actor, component: 'releases', action: 'rollback', model, target: String(o.to), outcome: 'noop', before: { champion }, after: { champion }, reason: message })
        return { model, outcome: 'noop', from: champion, to: champion, message }
      }
      target = o.to
    } else {
      const history = await registry.aliasHistory(model, CHAMPION)
      const latest = history[0]
      if (latest && latest.reason === 'rollback') {
        // A repeated rollback is a no-op, not a walk further back: a retried alert or a double click must not cascade.
        const message = `model "${model}" was already rolled back to version ${champion} (from ${latest.previousVersion}, ${new Date(latest.setAtMs).toISOString()} by ${latest.setBy}); give "to" to go further back`
        await audit.record({ actor: o.actor, component: 'releases', action: 'rollback', model, target: String(champion), outcome: 'noop', before: { champion }, after: { champion }, reason: message })
        return { model, outcome: 'noop', from: champion, to: champion, message }
      }
      // Versions rolled back from are not "good": skip them when walking back.
      const bad = new Set<number>([champion, ...history.filter((h) => h.reason === 'rollback').map((h) => h.previousVersion)])
      const found = history.map((h) => h.previousVersion).find((v) => v > 0 && !bad.has(v))
      if (found === undefined) return refuse(`nothing to roll back to: model "${model}" has had no good champion before version ${champion}`)
      target = found
    }
    if (serving) {
      await serving.load(await servable(model, target))
      serving.setRouting(model, { stable: target })
      await tidy(model, [target])
    }
    await registry.setAlias(model, CHAMPION, target, { actor: o.actor, reason: 'rollback', note: reason })
    // The release that made the rolled-back version champion shows how it ended.
    const [last] = await list(model)
    if (last && last.version === champion && last.state === 'promoted') {
      await event({ id: last.id, model, version: last.version, stable: last.stableVersion, strategy: last.strategy, fix: last.fix }, (last.events.at(-1)?.seq ?? 0) + 1, { event: 'rolled_back', state: 'rolled_back', step: last.step, weightPercent: 0, detail: { reason, to: target }, actor: o.actor })
    }
    await audit.record({ actor: o.actor, component: 'releases', action: 'rollback', model, target: String(target), outcome: 'done', before: { champion }, after: { champion: target }, reason })
    logger?.warn('rolled back', { model, from: champion, to: target, actor: o.actor })
    return { model, outcome: 'done', from: champion, to: target, message: `model "${model}" rolled back from version ${champion} to version ${target}`, ...(last && last.version === champion ? { releaseId: last.id } : {}) }
  }

  return {
    start: (model, req, actor) => withLock(model, () => startLocked(model, req, actor)),
    rollback: (model, o) => withLock(model, () => rollbackLocked(model, o)),
    list: (model) => list(model),
    async get(model, releaseId) {
      return (await list(model, releaseId))[0]
    },
    async restore() {
      for (const r of await readUnfinishedReleases(store, FINAL_STATES)) {
        if (active.has(r.model)) continue
        const [view] = await list(r.model, r.releaseId)
        if (!view) continue
        await event({ id: view.id, model: view.model, version: view.version, stable: view.stableVersion, strategy: view.strategy, fix: view.fix }, (view.events.at(-1)?.seq ?? 0) + 1, {
          event: 'aborted',
          state: 'aborted',
          step: view.step,
          weightPercent: 0,
          detail: { reason: 'the process driving this release stopped; traffic is back on the champion' },
          actor: 'system',
        })
      }
      if (!serving) return
      for (const { model, version } of await readAliasEverywhere(store, CHAMPION)) {
        if (version <= 0) continue
        try {
          await serving.load(await servable(model, version))
          serving.setRouting(model, { stable: version })
          logger?.info('champion loaded', { model, version })
        } catch (err) {
          logger?.warn('could not load the champion', { model, version, error: err instanceof Error ? err.message : String(err) })
        }
      }
    },
    idle(model) {
      return active.get(model)?.done ?? Promise.resolve()
    },
    close() {
      closed = true
      for (const a of active.values()) if (a.timer) clearTimeout(a.timer)
    },
  }
}
