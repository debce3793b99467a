import { AppError } from '../../server/index.ts'
import { readVersionWindowFacts, type Store } from '../../store/index.ts'
import { linearExplainer } from '../../pipeline/index.ts'
import type { AuditLog } from '../../audit/index.ts'
import { guard, type Registry } from '../../registry/index.ts'
import { appendReleaseEvent, type ReleaseIdentity } from './release-log.ts'
import type { AnalysisPolicy, FreezeCheck, ReleaseRouting, ReleaseState, ServableVersion, ServingControl, Strategy } from './types.ts'
import { analyseCanary, decideNext, type CanaryAnalysis, type ReleaseDecision, type Task } from './verdict.ts'

// The stages of a release, each a function of the shared context and the release: load, switch, promote, roll
// back, judge. The controller (controller.ts) serialises them per model and schedules the analyses.
//
// Crash safety: every change that moves traffic for good is written in this order —
//   1. a `promoting` (or `rolling_back`) event that names the target, 2. the alias move (its note is the release
//   id), 3. the audit entry (its `after.release` is the release id), 4. the final event.
// A process killed between any two writes leaves a release whose newest event is not final; `reconcileReleases`
// (reconcile.ts) then reads the alias and the audit trail and finishes what was done, or aborts what was not.

/** Logger port. */
export interface ReleaseLogger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
}

/** What every stage reads and writes through. */
export interface ReleaseContext {
  readonly store: Store
  readonly registry: Registry
  readonly audit: AuditLog
  readonly serving?: ServingControl
  readonly freeze?: FreezeCheck
  readonly logger?: ReleaseLogger
  readonly now: () => number
}

/** The alias that names the version in production. */
export const CHAMPION = 'champion'
/** The alias a passed shadow gets. */
export const CHALLENGER = 'challenger'

/** A canary or shadow release being driven by this process. */
export interface Active extends ReleaseIdentity {
  readonly strategy: Exclude<Strategy, 'bluegreen'>
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
  /** Cancels the next scheduled analysis. */
  timer: (() => void) | undefined
  readonly done: Promise<void>
  /** Stops the controller driving it (no more analyses); called before the final writes. */
  readonly detach: () => void
  /** Resolves `done`, after the final event is written. */
  readonly finish: () => void
}

/** Stops driving a release: its timer and its place among the active ones. */
function stopDriving(a: Active): void {
  a.timer?.()
  a.timer = undefined
  a.detach()
}

/** The bytes, signature and explainer of a version, ready to load. */
export async function servableVersion(ctx: ReleaseContext, model: string, version: number): Promise<ServableVersion> {
  const v = await guard(() => ctx.registry.requireVersion(model, version))
  const { bytes } = await guard(() => ctx.registry.readArtifact(model, version))
  const explain = v.preprocessor && v.params ? linearExplainer(v.preprocessor, v.params) : undefined
  return { model, version, onnx: bytes, signature: v.signature, ...(explain ? { explain } : {}) }
}

/** The model server, or a 409 saying none runs here. */
export function needServing(ctx: ReleaseContext, what: string): ServingControl {
  if (!ctx.serving) throw new AppError('conflict', `cannot ${what}: no model server runs in this process (start the serving component)`)
  return ctx.serving
}

/** Appends the next event of an active release, at its current step. */
export function activeEvent(ctx: ReleaseContext, a: Active, e: { event: string; state: ReleaseState; detail: unknown; actor?: string }): Promise<void> {
  return appendReleaseEvent(ctx.store, ctx.now(), a, ++a.seq, { ...e, step: a.step + 1, weightPercent: a.steps[a.step] ?? 0, actor: e.actor ?? 'system' })
}

/** The traffic split of an active release at its step. */
export function routingOf(a: Active): ReleaseRouting {
  return a.strategy === 'canary'
    ? { stable: a.stable, canary: { version: a.version, weightPercent: a.steps[a.step]! } }
    : { stable: a.stable, shadow: { version: a.version, sharePercent: a.steps[a.step]! } }
}

/** Unloads what no route uses, keeping `keep` (the champion and the one before it, for an instant rollback). */
export async function unloadUnused(ctx: ReleaseContext, model: string, keep: readonly number[]): Promise<void> {
  if (!ctx.serving) return
  for (const v of ctx.serving.loaded(model)) {
    if (keep.includes(v)) continue
    try {
      await ctx.serving.unload(model, v)
    } catch (err) {
      ctx.logger?.warn('unload failed', { model, version: v, error: err instanceof Error ? err.message : String(err) })
    }
  }
}

/** The version the champion replaced, when the newest champion move made `champion` the champion. */
export async function previousChampion(ctx: ReleaseContext, model: string, champion: number): Promise<number[]> {
  const [latest] = await ctx.registry.aliasHistory(model, CHAMPION)
  return latest && latest.version === champion && latest.previousVersion > 0 ? [latest.previousVersion] : []
}

/** Why the error-budget policy froze the model's releases, or undefined. */
export async function frozenReason(ctx: ReleaseContext, model: string): Promise<string | undefined> {
  if (!ctx.freeze) return undefined
  const f = await ctx.freeze(model)
  return f.frozen ? (f.reason ?? 'the error budget policy froze releases of this model') : undefined
}

/**
 * Stage "switch": makes `r.version` the champion for good — intent event, alias, audit, final event, in that order
 * (see the crash-safety note above). The model server switches first: it is in memory, so a crash forgets it and
 * the restore loads whatever the alias names.
 */
export async function switchChampion(
  ctx: ReleaseContext,
  r: ReleaseIdentity,
  o: { seq: number; step: number; actor: string; aliasReason: string; auditAction: string; auditBefore: unknown; auditAfter: Record<string, unknown>; auditReason: string; detail: Record<string, unknown> },
): Promise<number> {
  let seq = o.seq
  await appendReleaseEvent(ctx.store, ctx.now(), r, seq++, { event: 'promoting', state: 'running', step: o.step, weightPercent: 100, detail: { champion: r.version, previous: r.stable || null }, actor: o.actor })
  if (ctx.serving) ctx.serving.setRouting(r.model, { stable: r.version })
  await ctx.registry.setAlias(r.model, CHAMPION, r.version, { actor: o.actor, reason: o.aliasReason, note: r.id })
  await ctx.audit.record({ actor: o.actor, component: 'releases', action: o.auditAction, model: r.model, target: String(r.version), outcome: 'done', before: o.auditBefore, after: { ...o.auditAfter, release: r.id }, reason: o.auditReason })
  await appendReleaseEvent(ctx.store, ctx.now(), r, seq++, { event: 'promoted', state: 'promoted', step: o.step, weightPercent: 100, detail: o.detail, actor: o.actor })
  return seq
}

/** Stage "finish": stops driving a release and records its final event. */
export async function finishActive(ctx: ReleaseContext, a: Active, state: ReleaseState, eventName: string, detail: unknown, actor = 'system'): Promise<void> {
  stopDriving(a)
  await activeEvent(ctx, a, { event: eventName, state, detail, actor })
  a.finish()
}

/** Stage "roll back an active release": traffic back on the stable version, audited before the final event. */
export async function rollbackActive(ctx: ReleaseContext, a: Active, reason: string, actor: string): Promise<void> {
  stopDriving(a)
  if (ctx.serving) {
    ctx.serving.setRouting(a.model, { stable: a.stable })
    await unloadUnused(ctx, a.model, [a.stable, ...(await previousChampion(ctx, a.model, a.stable))])
  }
  // The champion alias never moved during the release: the audit entry, then the final event.
  await ctx.audit.record({ actor, component: 'releases', action: 'rollback', model: a.model, target: String(a.stable), outcome: 'done', before: { release: a.id, [a.strategy]: a.version, stable: a.stable }, after: { stable: a.stable, release: a.id }, reason })
  await finishActive(ctx, a, 'rolled_back', 'rolled_back', { reason }, actor)
  ctx.logger?.warn('release rolled back', { model: a.model, release: a.id, version: a.version, reason })
}

/** Stage "promote": a passed shadow becomes the challenger; a passed canary the champion, unless frozen (then it holds). */
export async function promoteActive(ctx: ReleaseContext, a: Active, decision: ReleaseDecision): Promise<'done' | 'held'> {
  if (a.strategy === 'shadow') {
    // A shadow never served anyone: passing makes it the challenger, not the champion.
    await ctx.registry.setAlias(a.model, CHALLENGER, a.version, { actor: 'system', reason: 'shadow_passed', note: a.id })
    if (ctx.serving) {
      ctx.serving.setRouting(a.model, { stable: a.stable })
      await unloadUnused(ctx, a.model, [a.stable, ...(await previousChampion(ctx, a.model, a.stable))])
    }
    await finishActive(ctx, a, 'passed', 'passed', { reason: decision.reason, alias: CHALLENGER })
    return 'done'
  }
  if (!a.fix) {
    const frozen = await frozenReason(ctx, a.model)
    if (frozen) {
      // Hold at the last step: the canary keeps its share and keeps being judged until the budget recovers.
      if (frozen !== a.lastRefusal) await activeEvent(ctx, a, { event: 'promotion_refused', state: 'running', detail: { reason: frozen } })
      a.lastRefusal = frozen
      return 'held'
    }
  }
  stopDriving(a)
  a.seq = (await switchChampion(ctx, a, {
    seq: a.seq + 1,
    step: a.step + 1,
    actor: 'system',
    aliasReason: 'promotion',
    auditAction: 'promote',
    auditBefore: { champion: a.stable },
    auditAfter: { champion: a.version },
    auditReason: `${a.id}: ${decision.reason}`,
    detail: { reason: decision.reason, champion: a.version, previous: a.stable },
  })) - 1
  await unloadUnused(ctx, a.model, [a.version, a.stable])
  a.finish()
  return 'done'
}

/** Stage "judge": reads the step's predictions and decides; undefined when the store could not be read (inconclusive). */
export async function judgeStep(ctx: ReleaseContext, a: Active, nowMs: number): Promise<{ analysis: CanaryAnalysis; decision: ReleaseDecision; readMs: number } | undefined> {
  const readStarted = performance.now()
  let analysis: CanaryAnalysis
  try {
    // The canary over its step; the stable version from before the step too, so a 100% canary still has a baseline.
    const facts = await readVersionWindowFacts(ctx.store, {
      model: a.model,
      windows: [
        { version: String(a.version), fromMs: a.stepStartedAtMs },
        { version: String(a.stable), fromMs: a.stepStartedAtMs - a.policy.baselineSeconds * 1000 },
      ],
      toMs: nowMs,
      sampleLimit: a.policy.sampleSize,
    })
    analysis = analyseCanary({ canary: facts.get(String(a.version))!, baseline: facts.get(String(a.stable))!, task: a.task, policy: a.policy })
  } catch (err) {
    // A store outage is not the canary's fault: this window is inconclusive.
    ctx.logger?.warn('canary analysis could not read predictions', { model: a.model, release: a.id, error: err instanceof Error ? err.message : String(err) })
    return undefined
  }
  const decision = decideNext(
    { step: a.step, steps: a.steps, failedAnalyses: a.failedAnalyses, failureThreshold: a.failureThreshold, stepStartedAtMs: a.stepStartedAtMs, stepTimeoutMs: a.stepTimeoutMs },
    analysis,
    nowMs,
  )
  return { analysis, decision, readMs: Math.round(performance.now() - readStarted) }
}

/** Stage "advance": the next step's share, in the server and in the record. */
export async function advanceStep(ctx: ReleaseContext, a: Active, decision: Extract<ReleaseDecision, { action: 'advance' }>, nowMs: number): Promise<void> {
  a.step = decision.step
  a.stepStartedAtMs = nowMs
  if (ctx.serving) ctx.serving.setRouting(a.model, routingOf(a))
  await activeEvent(ctx, a, { event: 'step', state: 'running', detail: { reason: decision.reason, routing: routingOf(a) } })
}
