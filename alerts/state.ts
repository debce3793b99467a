/**
 * Alert state, with Prometheus' semantics (rules/alerting.go): a condition that becomes true makes the alert
 * pending; once it has held for `for` it fires (with `for: 0`, in the same evaluation); a pending alert whose
 * condition turns false is dropped; a firing alert resolves on the first evaluation its condition is false,
 * unless `keep_firing_for` keeps it firing that long after the condition was last true. A resolved alert that
 * becomes true again starts a new pending period. Pure: `nowMs` is an argument.
 */

/** The states an alert moves through. `inactive` is the absence of an alert. */
export type AlertState = 'inactive' | 'pending' | 'firing' | 'resolved'

/** How long a condition must hold before firing, and how long a firing alert outlives its condition. */
export interface HoldTimes {
  readonly forSeconds: number
  readonly keepFiringForSeconds: number
}

/** One alert instance (one label set of one rule) as the evaluator keeps it. */
export interface AlertInstance {
  readonly fingerprint: string
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  readonly state: Exclude<AlertState, 'inactive'>
  /** When the condition became true (start of the pending period). */
  readonly activeAtMs: number
  /** When it started firing; null while pending. */
  readonly firedAtMs: number | null
  readonly resolvedAtMs: number | null
  /** The last evaluation at which the condition was true. */
  readonly lastTrueAtMs: number
  /** The value behind the condition (a burn rate, a drift share), last seen. */
  readonly value: number | null
}

/** A change of state, as stored and notified. */
export interface AlertTransition {
  readonly fingerprint: string
  readonly from: AlertState
  readonly to: AlertState
  readonly atMs: number
  readonly instance: AlertInstance
}

/** What one evaluation observed for one label set. */
export interface Observation {
  readonly fingerprint: string
  readonly active: boolean
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  readonly value: number | null
}

/** The result of one step: the instance to keep (undefined: forget it) and the transitions it made. */
export interface Step {
  readonly next: AlertInstance | undefined
  readonly transitions: readonly AlertTransition[]
}

/** How long a resolved alert is kept (and re-sent with `endsAt`) before it is forgotten: Prometheus' resolvedRetention. */
export const RESOLVED_RETENTION_MS = 15 * 60_000

/** Moves one alert through one evaluation at `nowMs`. */
export function stepAlert(prev: AlertInstance | undefined, obs: Observation, hold: HoldTimes, nowMs: number): Step {
  const transitions: AlertTransition[] = []
  const move = (from: AlertState, next: AlertInstance): void => {
    transitions.push({ fingerprint: next.fingerprint, from, to: next.state, atMs: nowMs, instance: next })
  }
  if (obs.active) {
    let current: AlertInstance
    if (!prev || prev.state === 'resolved') {
      current = { fingerprint: obs.fingerprint, labels: obs.labels, annotations: obs.annotations, state: 'pending', activeAtMs: nowMs, firedAtMs: null, resolvedAtMs: null, lastTrueAtMs: nowMs, value: obs.value }
      move(prev ? 'resolved' : 'inactive', current)
    } else {
      current = { ...prev, labels: obs.labels, annotations: obs.annotations, lastTrueAtMs: nowMs, value: obs.value }
    }
    if (current.state === 'pending' && nowMs - current.activeAtMs >= hold.forSeconds * 1000) {
      current = { ...current, state: 'firing', firedAtMs: nowMs }
      move('pending', current)
    }
    return { next: current, transitions }
  }
  if (!prev) return { next: undefined, transitions }
  switch (prev.state) {
    case 'pending': {
      move('pending', { ...prev, state: 'resolved', resolvedAtMs: nowMs })
      // A pending alert that never fired is forgotten (Prometheus deletes it), but the change is recorded.
      return { next: undefined, transitions: transitions.map((t) => ({ ...t, to: 'inactive' as const })) }
    }
    case 'firing': {
      if (hold.keepFiringForSeconds > 0 && nowMs - prev.lastTrueAtMs < hold.keepFiringForSeconds * 1000) return { next: prev, transitions }
      const resolved: AlertInstance = { ...prev, state: 'resolved', resolvedAtMs: nowMs }
      move('firing', resolved)
      return { next: resolved, transitions }
    }
    case 'resolved':
      return { next: nowMs - (prev.resolvedAtMs ?? nowMs) >= RESOLVED_RETENTION_MS ? undefined : prev, transitions }
  }
}
