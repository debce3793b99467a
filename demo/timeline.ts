/** What the demo saw happen, in causal order (issue 13's kinds, plus a few that explain them). */
export type DemoEventKind =
  | 'model_trained'
  | 'model_released'
  | 'replay_started'
  | 'drift_detected'
  | 'performance_decayed'
  | 'slo_burn_alert'
  | 'alert_fired'
  | 'alert_resolved'
  | 'incident_opened'
  | 'runbook_started'
  | 'runbook_failed'
  | 'model_retrained'
  | 'canary_started'
  | 'canary_promoted'
  | 'fault_injected'
  | 'release_refused'
  | 'rolled_back'
  | 'incident_resolved'
  | 'replay_finished'

/** One timeline entry: real time, simulated time, what, which model and version, and the figures behind it. */
export interface DemoEvent {
  /** Wall-clock time, ISO-8601. */
  readonly at: string
  /** Simulated time (the service's clock) at which the component did it, ISO-8601. */
  readonly sim_time: string
  readonly kind: DemoEventKind
  readonly model: string
  readonly version: number | null
  readonly detail: Readonly<Record<string, unknown>>
}

/** Collects events and prints each as it comes (unless quiet). */
export interface Timeline {
  readonly events: readonly DemoEvent[]
  add(e: { kind: DemoEventKind; simMs: number; model: string; version?: number | null; detail: Record<string, unknown>; why: string }): DemoEvent
  has(kind: DemoEventKind): boolean
  first(kind: DemoEventKind): DemoEvent | undefined
}

/** A timeline printing `+12.3s  2012-01-09 00:00  drift_detected  v1  why` lines to `write` (none when it is undefined). */
export function createTimeline(options: { startedAt: number; write?: (line: string) => void; dataShiftMs: number }): Timeline {
  const events: DemoEvent[] = []
  return {
    events,
    add(e) {
      const event: DemoEvent = { at: new Date().toISOString(), sim_time: new Date(e.simMs).toISOString(), kind: e.kind, model: e.model, version: e.version ?? null, detail: e.detail }
      events.push(event)
      if (options.write) {
        const real = `+${((performance.now() - options.startedAt) / 1000).toFixed(1)}s`.padStart(7)
        // Simulated time is printed as the data's own date (the shift is whole weeks, so weekday and hour hold).
        const data = new Date(e.simMs - options.dataShiftMs).toISOString().slice(0, 16).replace('T', ' ')
        const version = e.version === undefined || e.version === null ? '   ' : `v${e.version}`.padEnd(3)
        options.write(`${real}  ${data}  ${e.kind.padEnd(19)} ${version}  ${e.why}`)
      }
      return event
    },
    has: (kind) => events.some((e) => e.kind === kind),
    first: (kind) => events.find((e) => e.kind === kind),
  }
}
