import type { LeasePort } from './lease.ts'
import type { AlertActivity, AlertEvent, AlertListener, AlertStore, StoredAlert } from './ports.ts'
import { silencedBy } from './silences.ts'
import type { RuleObservation } from './sources.ts'
import { stepAlert, type AlertInstance, type AlertTransition, type HoldTimes } from './state.ts'

/** An alert as notifiers see it: firing or just resolved, with whether a silence mutes it. */
export interface NotifiableAlert {
  readonly fingerprint: string
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  readonly state: 'firing' | 'resolved'
  readonly startsAtMs: number
  readonly endsAtMs: number | null
  readonly generatorUrl: string
}

/** Where evaluated alerts go after each tick; it must never throw into or hold up the evaluation. */
export interface Notifier {
  /** Every firing alert and every alert resolved in this tick, silenced ones left out. */
  offer(alerts: readonly NotifiableAlert[], nowMs: number): void
}

/** What one tick did. */
export type TickResult =
  | { readonly leader: false }
  | { readonly leader: true; readonly ok: true; readonly transitions: readonly AlertTransition[]; readonly alerts: readonly StoredAlert[] }
  | { readonly leader: true; readonly ok: false; readonly error: unknown }

/** What the evaluator needs: where it stores, who may act, what it evaluates and whom it tells. */
export interface EvaluatorOptions {
  readonly store: AlertStore
  readonly lease: LeasePort
  /** This process's lease identity. */
  readonly holder: string
  /** Every rule's observations at `nowMs` (SLO tiers, model-health rules). */
  readonly collect: (nowMs: number) => Promise<readonly RuleObservation[]>
  readonly notifiers?: readonly Notifier[]
  /** Told of alerts that fired or resolved in a tick, after they are stored (incidents, runbooks). */
  readonly listeners?: readonly AlertListener[]
  /** A listener's failure (the tick goes on; listeners reconcile on later activity). */
  readonly onListenerError?: (error: unknown) => void
  /** Link back to the alert in Highway (`generatorURL`). */
  readonly generatorUrl: (fingerprint: string) => string
}

/** Evaluates rules tick by tick; only the lease holder records and notifies. */
export interface Evaluator {
  tick(nowMs: number): Promise<TickResult>
  /** The alerts held in memory (pending, firing, recently resolved). */
  current(): readonly StoredAlert[]
}

const eventIdOf = (t: AlertTransition): string => `highway/${t.fingerprint}/${t.from}>${t.to}/${t.atMs}`

/** Creates an evaluator; its state is reloaded from the store whenever it (re)gains the lease. */
export function createEvaluator(options: EvaluatorOptions): Evaluator {
  let instances = new Map<string, AlertInstance>()
  const holds = new Map<string, HoldTimes>()
  const silencedOf = new Map<string, readonly string[]>()
  let leading = false

  const toStored = (i: AlertInstance, nowMs: number): StoredAlert => ({
    fingerprint: i.fingerprint,
    source: 'highway',
    state: i.state,
    labels: i.labels,
    annotations: i.annotations,
    activeAtMs: i.activeAtMs,
    firedAtMs: i.firedAtMs,
    resolvedAtMs: i.resolvedAtMs,
    lastTrueAtMs: i.lastTrueAtMs,
    value: i.value,
    silencedBy: silencedOf.get(i.fingerprint) ?? [],
    generatorUrl: options.generatorUrl(i.fingerprint),
    updatedAtMs: nowMs,
  })

  const restore = async (): Promise<void> => {
    const stored = await options.store.listStates({ states: ['pending', 'firing', 'resolved'] })
    instances = new Map(
      stored
        .filter((s) => s.source === 'highway' && s.state !== 'inactive')
        .map((s) => [
          s.fingerprint,
          { fingerprint: s.fingerprint, labels: s.labels, annotations: s.annotations, state: s.state as AlertInstance['state'], activeAtMs: s.activeAtMs, firedAtMs: s.firedAtMs, resolvedAtMs: s.resolvedAtMs, lastTrueAtMs: s.lastTrueAtMs, value: s.value },
        ]),
    )
    for (const s of stored) silencedOf.set(s.fingerprint, s.silencedBy)
  }

  return {
    current: () => [...instances.values()].map((i) => toStored(i, i.lastTrueAtMs)),
    async tick(nowMs) {
      let leader: boolean
      try {
        leader = await options.lease.holds(options.holder, nowMs)
      } catch (error) {
        leading = false
        return { leader: true, ok: false, error }
      }
      if (!leader) {
        leading = false
        return { leader: false }
      }
      try {
        // A new holder takes over from what the last one stored, not from its own stale memory.
        if (!leading) await restore()
        leading = true
        const [observations, silences] = await Promise.all([options.collect(nowMs), options.store.listSilences()])
        const next = new Map<string, AlertInstance>()
        const transitions: AlertTransition[] = []
        const changed = new Set<string>()
        const seen = new Set<string>()
        for (const { observation, hold } of observations) {
          if (seen.has(observation.fingerprint)) continue
          seen.add(observation.fingerprint)
          holds.set(observation.fingerprint, hold)
          const prev = instances.get(observation.fingerprint)
          const step = stepAlert(prev, observation, hold, nowMs)
          if (step.next) next.set(observation.fingerprint, step.next)
          transitions.push(...step.transitions)
          if (step.transitions.length > 0 || (step.next && prev && step.next.value !== prev.value)) changed.add(observation.fingerprint)
        }
        // A label set no rule produced this tick has a false condition (its series disappeared).
        for (const [fp, prev] of instances) {
          if (seen.has(fp)) continue
          const step = stepAlert(prev, { fingerprint: fp, active: false, labels: prev.labels, annotations: prev.annotations, value: null }, holds.get(fp) ?? { forSeconds: 0, keepFiringForSeconds: 0 }, nowMs)
          if (step.next) next.set(fp, step.next)
          transitions.push(...step.transitions)
          if (step.transitions.length > 0) changed.add(fp)
        }
        for (const [fp, i] of next) {
          const muted = silencedBy(silences, i.labels, nowMs)
          if (muted.join(',') !== (silencedOf.get(fp) ?? []).join(',')) changed.add(fp)
          silencedOf.set(fp, muted)
        }
        const events: AlertEvent[] = transitions.map((t) => ({
          eventId: eventIdOf(t),
          kind: 'transition',
          source: 'highway',
          fingerprint: t.fingerprint,
          from: t.from,
          to: t.to,
          atMs: t.atMs,
          activeAtMs: t.instance.activeAtMs,
          value: t.instance.value,
          silencedBy: silencedOf.get(t.fingerprint) ?? [],
          labels: t.instance.labels,
          annotations: t.instance.annotations,
          actor: options.holder,
          detail: '',
        }))
        // Dropped pending alerts are stored as inactive so the current-state table forgets them too.
        const dropped = transitions.filter((t) => t.to === 'inactive').map((t): StoredAlert => ({ ...toStored(t.instance, nowMs), state: 'inactive' }))
        const saved = [...changed].flatMap((fp) => {
          const i = next.get(fp)
          return i ? [toStored(i, nowMs)] : []
        })
        await options.store.appendEvents(events)
        await options.store.saveStates([...saved, ...dropped])
        instances = next
        for (const fp of silencedOf.keys()) if (!next.has(fp)) silencedOf.delete(fp)
        const resolvedNow = new Set(transitions.filter((t) => t.to === 'resolved').map((t) => t.fingerprint))
        const notifiable: NotifiableAlert[] = [...next.values()]
          .filter((i) => (i.state === 'firing' || resolvedNow.has(i.fingerprint)) && (silencedOf.get(i.fingerprint) ?? []).length === 0)
          .map((i) => ({
            fingerprint: i.fingerprint,
            labels: i.labels,
            annotations: i.annotations,
            state: i.state === 'firing' ? 'firing' : 'resolved',
            startsAtMs: i.firedAtMs ?? i.activeAtMs,
            endsAtMs: i.resolvedAtMs,
            generatorUrl: options.generatorUrl(i.fingerprint),
          }))
        for (const n of options.notifiers ?? []) n.offer(notifiable, nowMs)
        const activity: AlertActivity[] = events.flatMap((e) =>
          e.to === 'firing' || e.to === 'resolved'
            ? [{ eventId: e.eventId, source: e.source, fingerprint: e.fingerprint, status: e.to, labels: e.labels, annotations: e.annotations, startsAtMs: e.activeAtMs, atMs: e.atMs, silenced: e.silencedBy.length > 0 }]
            : [],
        )
        if (activity.length > 0) {
          for (const listen of options.listeners ?? []) await listen(activity).catch((err: unknown) => options.onListenerError?.(err))
        }
        return { leader: true, ok: true, transitions, alerts: [...next.values()].map((i) => toStored(i, nowMs)) }
      } catch (error) {
        // Storage failed mid-tick: forget the lease-held memory so the next tick restores from what was stored.
        leading = false
        return { leader: true, ok: false, error }
      }
    },
  }
}
