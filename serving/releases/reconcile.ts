import { readAliasEverywhere, readUnfinishedReleases } from '../../store/index.ts'
import type { AuditRecord } from '../../audit/index.ts'
import { appendReleaseEvent, identityOf, nextSeq, readReleases, type ReleaseView } from './release-log.ts'
import { CHALLENGER, CHAMPION, servableVersion, type ReleaseContext } from './stages.ts'
import { FINAL_STATES } from './types.ts'

/** What the restore did to one release a previous process left behind. */
export interface ReconciledRelease {
  readonly model: string
  readonly releaseId: string
  readonly outcome: 'promoted' | 'passed' | 'aborted' | 'rolled_back'
  /** Whether an audit entry was missing and written now. */
  readonly audited: boolean
}

const releaseOf = (e: AuditRecord): unknown => (e.after && typeof e.after === 'object' ? (e.after as { release?: unknown }).release : undefined)

async function auditFor(ctx: ReleaseContext, model: string, releaseId: string, actions: readonly string[]): Promise<AuditRecord | undefined> {
  const entries = await ctx.audit.read({ component: 'releases', model, limit: 10_000 })
  return entries.find((e) => actions.includes(e.action) && releaseOf(e) === releaseId)
}

/**
 * Finishes one unfinished release from what the store says happened: the alias moves carry the release id in
 * their note, the audit entries in `after.release`. Alias moved → the release promoted (or, for a shadow, passed):
 * the missing audit entry and final event are written. Alias not moved → aborted, audited, traffic on the champion.
 * Idempotent: run twice (a crash during the restore), it writes nothing twice.
 */
export async function reconcileRelease(ctx: ReleaseContext, view: ReleaseView): Promise<ReconciledRelease> {
  const r = identityOf(view)
  const [championMoves, challengerMoves] = await Promise.all([ctx.registry.aliasHistory(view.model, CHAMPION), ctx.registry.aliasHistory(view.model, CHALLENGER)])
  const promotedBy = championMoves.find((m) => m.note === view.id && m.version === view.version)
  const passedBy = challengerMoves.find((m) => m.note === view.id && m.version === view.version)
  const champion = championMoves[0] && championMoves[0].version > 0 ? championMoves[0].version : null
  const base = { step: view.step, actor: 'system' }
  if (promotedBy) {
    const action = view.strategy === 'bluegreen' ? 'release' : 'promote'
    const missing = !(await auditFor(ctx, view.model, view.id, [action]))
    const reason = `${view.id}: the champion alias moved to version ${view.version} before the process driving the release stopped; completed at restart`
    if (missing) {
      await ctx.audit.record({ actor: 'system', component: 'releases', action, model: view.model, target: String(view.version), outcome: 'done', before: { champion: promotedBy.previousVersion || null }, after: { champion: view.version, release: view.id, recovered: true }, reason })
    }
    await appendReleaseEvent(ctx.store, ctx.now(), r, nextSeq(view), { ...base, event: 'promoted', state: 'promoted', weightPercent: 100, detail: { champion: view.version, previous: promotedBy.previousVersion || null, recovered: true, reason } })
    return { model: view.model, releaseId: view.id, outcome: 'promoted', audited: missing }
  }
  if (passedBy) {
    await appendReleaseEvent(ctx.store, ctx.now(), r, nextSeq(view), { ...base, event: 'passed', state: 'passed', weightPercent: 0, detail: { alias: CHALLENGER, recovered: true, reason: 'the challenger alias moved before the process driving the shadow stopped' } })
    return { model: view.model, releaseId: view.id, outcome: 'passed', audited: false }
  }
  const rolledBack = await auditFor(ctx, view.model, view.id, ['rollback'])
  if (rolledBack) {
    // Rolled back and audited; only the final event was lost.
    await appendReleaseEvent(ctx.store, ctx.now(), r, nextSeq(view), { ...base, event: 'rolled_back', state: 'rolled_back', weightPercent: 0, detail: { reason: rolledBack.reason, recovered: true } })
    return { model: view.model, releaseId: view.id, outcome: 'rolled_back', audited: false }
  }
  const reason = `the process driving this release stopped before it promoted; traffic is on the champion (${champion === null ? 'none' : `version ${champion}`})`
  const missing = !(await auditFor(ctx, view.model, view.id, ['abort']))
  if (missing) {
    await ctx.audit.record({ actor: 'system', component: 'releases', action: 'abort', model: view.model, target: String(view.version), outcome: 'done', before: { release: view.id, [view.strategy]: view.version }, after: { champion, release: view.id }, reason })
  }
  await appendReleaseEvent(ctx.store, ctx.now(), r, nextSeq(view), { ...base, event: 'aborted', state: 'aborted', weightPercent: 0, detail: { reason, champion } })
  return { model: view.model, releaseId: view.id, outcome: 'aborted', audited: missing }
}

/**
 * A manual rollback moves the champion alias, writes its audit entry, then marks the release that made the old
 * champion `rolled_back`. Killed in between, the release still says `promoted` while the alias names another
 * version: this finishes the record (the audit entry first when it is missing).
 */
export async function reconcileRollback(ctx: ReleaseContext, model: string): Promise<ReconciledRelease | undefined> {
  const [latest] = await ctx.registry.aliasHistory(model, CHAMPION)
  if (!latest || latest.reason !== 'rollback') return undefined
  const [last] = await readReleases(ctx.store, model)
  if (!last || last.state !== 'promoted' || last.version !== latest.previousVersion) return undefined
  const entries = await ctx.audit.read({ component: 'releases', model, action: 'rollback', limit: 10_000 })
  const audited = entries.some((e) => e.outcome === 'done' && e.atMs >= latest.setAtMs - 1 && (e.after as { champion?: unknown } | null)?.champion === latest.version)
  if (!audited) {
    await ctx.audit.record({ actor: latest.setBy, component: 'releases', action: 'rollback', model, target: String(latest.version), outcome: 'done', before: { champion: latest.previousVersion }, after: { champion: latest.version, release: last.id, recovered: true }, reason: latest.note || 'rollback completed at restart' })
  }
  await appendReleaseEvent(ctx.store, ctx.now(), identityOf(last), nextSeq(last), { event: 'rolled_back', state: 'rolled_back', step: last.step, weightPercent: 0, detail: { reason: latest.note, to: latest.version, recovered: true }, actor: latest.setBy })
  return { model, releaseId: last.id, outcome: 'rolled_back', audited: !audited }
}

/** Stage "restore", part one: every release a previous process left unfinished, and every half-recorded rollback. */
export async function reconcileReleases(ctx: ReleaseContext, o: { skip: (model: string) => boolean }): Promise<ReconciledRelease[]> {
  const done: ReconciledRelease[] = []
  for (const u of await readUnfinishedReleases(ctx.store, FINAL_STATES)) {
    if (o.skip(u.model)) continue
    const [view] = await readReleases(ctx.store, u.model, u.releaseId)
    if (view) done.push(await reconcileRelease(ctx, view))
  }
  for (const { model } of await readAliasEverywhere(ctx.store, CHAMPION)) {
    if (o.skip(model)) continue
    const r = await reconcileRollback(ctx, model)
    if (r) done.push(r)
  }
  for (const r of done) ctx.logger?.warn('release reconciled after restart', { model: r.model, release: r.releaseId, outcome: r.outcome, audited: r.audited })
  return done
}

/** Stage "restore", part two: every configured model's champion loaded and taking all traffic. */
export async function loadChampions(ctx: ReleaseContext, models: ReadonlySet<string> | undefined): Promise<void> {
  const serving = ctx.serving
  if (!serving) return
  for (const { model, version } of await readAliasEverywhere(ctx.store, CHAMPION)) {
    if (version <= 0) continue
    if (models && !models.has(model)) {
      ctx.logger?.warn('champion of a model that is not configured left unloaded', { model, version })
      continue
    }
    try {
      await serving.load(await servableVersion(ctx, model, version))
      serving.setRouting(model, { stable: version })
      ctx.logger?.info('champion loaded', { model, version })
    } catch (err) {
      ctx.logger?.warn('could not load the champion', { model, version, error: err instanceof Error ? err.message : String(err) })
    }
  }
}
