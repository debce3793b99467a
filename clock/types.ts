/** Cancels a scheduled timer; calling it twice is harmless. */
export type CancelTimer = () => void

/**
 * Work a timer runs. It is given the clock's time at which it was due (epoch ms); a returned promise is awaited
 * (the simulated clock waits for it before moving on, the real one before the next run of the same timer).
 */
export type TimerWork = (nowMs: number) => unknown

/**
 * The one clock every component reads and schedules through (epoch ms). The real clock is the wall clock and
 * Node's timers; the simulated one (the demo, tests) only moves when told to, and runs the timers that fall due as
 * it moves, in time order, awaiting each.
 */
export interface Clock {
  readonly kind: 'real' | 'simulated'
  now(): number
  /**
   * Runs `work` every `intervalMs`, first one interval from now, at a fixed rate. A run still going when the next is
   * due is not doubled: that tick is skipped.
   */
  every(intervalMs: number, work: TimerWork): CancelTimer
  /** Runs `work` once at `dueMs` (at once when that has passed). */
  at(dueMs: number, work: TimerWork): CancelTimer
  /** Runs `work` whenever a node-cron expression matches (UTC on the simulated clock; the process time zone on the real one). */
  cron(expression: string, work: TimerWork): CancelTimer
}

/** A clock that moves only when advanced. */
export interface SimulatedClock extends Clock {
  readonly kind: 'simulated'
  /** Moves to `targetMs`, running every timer due on the way at its due time, in order, awaiting each. */
  advanceTo(targetMs: number): Promise<void>
  /** `advanceTo(now() + ms)`. */
  advanceBy(ms: number): Promise<void>
  /** Due time of the next timer, or undefined when none is scheduled. */
  nextDue(): number | undefined
  /** Timers scheduled. */
  readonly pending: number
}
