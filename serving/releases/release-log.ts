import { insertReleaseEvent, readReleaseEvents, type ReleaseEventRow, type Store } from '../../store/index.ts'
import type { ReleaseState, Strategy } from './types.ts'

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

/** What every event of one release repeats. */
export interface ReleaseIdentity {
  readonly id: string
  readonly model: string
  readonly version: number
  readonly stable: number
  readonly strategy: Strategy
  readonly fix: boolean
}

/** One event to append. */
export interface ReleaseEventInput {
  readonly event: string
  readonly state: ReleaseState
  readonly step: number
  readonly weightPercent: number
  readonly detail: unknown
  readonly actor: string
}

/** Appends event `seq` of a release (a release is its events: the newest one's state is the release's). */
export async function appendReleaseEvent(store: Store, atMs: number, r: ReleaseIdentity, seq: number, e: ReleaseEventInput): Promise<void> {
  const row: ReleaseEventRow = {
    releaseId: r.id,
    model: r.model,
    version: r.version,
    stableVersion: r.stable,
    strategy: r.strategy,
    fix: r.fix,
    seq,
    event: e.event,
    state: e.state,
    step: e.step,
    weightPercent: e.weightPercent,
    detailJson: JSON.stringify(e.detail ?? null),
    atMs,
    actor: e.actor,
  }
  await insertReleaseEvent(store, row)
}

/** A release's events (in seq order) as its view. */
export function toReleaseView(events: readonly ReleaseEventRow[]): ReleaseView {
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

/** Releases of a model (one when `releaseId` is given), as the store orders them. */
export async function readReleases(store: Store, model: string, releaseId?: string): Promise<ReleaseView[]> {
  const rows = await readReleaseEvents(store, model, releaseId ? { releaseId } : {})
  const byId = new Map<string, ReleaseEventRow[]>()
  for (const r of rows) {
    const list = byId.get(r.releaseId)
    if (list) list.push(r)
    else byId.set(r.releaseId, [r])
  }
  return [...byId.values()].map(toReleaseView)
}

/** The identity of a release read back. */
export function identityOf(v: ReleaseView): ReleaseIdentity {
  return { id: v.id, model: v.model, version: v.version, stable: v.stableVersion, strategy: v.strategy, fix: v.fix }
}

/** The seq the next event of a release takes. */
export function nextSeq(v: ReleaseView): number {
  return (v.events.at(-1)?.seq ?? 0) + 1
}
