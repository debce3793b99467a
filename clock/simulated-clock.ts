import { nextCronTime, parseCron } from './cron-next.ts'
import type { CancelTimer, SimulatedClock, TimerWork } from './types.ts'

interface Timer {
  readonly id: number
  dueMs: number
  readonly work: TimerWork
  /** Re-arms a repeating timer after a run: the next due time, or undefined for a one-shot timer. */
  readonly next?: (ranAtMs: number) => number
}

/** Options of the simulated clock. */
export interface SimulatedClockOptions {
  /** Epoch ms the clock starts at. */
  readonly startMs: number
  /**
   * Awaited before each timer runs: the demo passes one that waits until what was sent so far is stored, so a job
   * that reads the store at simulated time T sees everything sent before T (as a real, slower clock would).
   */
  readonly beforeTimer?: () => Promise<void>
  /** Told of a timer's work that threw or rejected (the clock goes on). */
  readonly onError?: (error: unknown) => void
}

/**
 * A clock that moves only when advanced. Advancing runs the timers that fall due, one at a time in due order (ties
 * in the order they were scheduled), with `now()` at each timer's due time, and awaits each before the next:
 * deterministic, with no real waiting. Timers scheduled by a running timer take part in the same advance.
 */
export function createSimulatedClock(options: SimulatedClockOptions): SimulatedClock {
  let nowMs = options.startMs
  let seq = 0
  const timers: Timer[] = []
  let advancing: Promise<void> = Promise.resolve()

  const add = (t: Omit<Timer, 'id'>): CancelTimer => {
    const timer: Timer = { ...t, id: ++seq }
    timers.push(timer)
    return () => {
      const i = timers.indexOf(timer)
      if (i >= 0) timers.splice(i, 1)
    }
  }
  const earliest = (): Timer | undefined => {
    let best: Timer | undefined
    for (const t of timers) if (!best || t.dueMs < best.dueMs || (t.dueMs === best.dueMs && t.id < best.id)) best = t
    return best
  }
  const run = async (targetMs: number): Promise<void> => {
    for (;;) {
      const t = earliest()
      if (!t || t.dueMs > targetMs) break
      nowMs = Math.max(nowMs, t.dueMs)
      // Re-arm (or remove) before running, so the work may cancel its own timer.
      if (t.next) t.dueMs = t.next(nowMs)
      else timers.splice(timers.indexOf(t), 1)
      if (options.beforeTimer) await options.beforeTimer()
      try {
        await t.work(nowMs)
      } catch (err) {
        options.onError?.(err)
      }
    }
    nowMs = Math.max(nowMs, targetMs)
  }

  const clock: SimulatedClock = {
    kind: 'simulated',
    now: () => nowMs,
    every(intervalMs, work) {
      if (!(intervalMs > 0)) throw new Error(`every: the interval must be a positive number of milliseconds, got ${intervalMs}`)
      // Fixed rate from the moment it was scheduled; each run is awaited, so runs never overlap.
      return add({ dueMs: nowMs + intervalMs, work, next: (ranAtMs) => ranAtMs + intervalMs })
    },
    at(dueMs, work) {
      return add({ dueMs: Math.max(dueMs, nowMs), work })
    },
    cron(expression, work) {
      const fields = parseCron(expression)
      return add({ dueMs: nextCronTime(fields, nowMs), work, next: (ranAtMs) => nextCronTime(fields, ranAtMs) })
    },
    advanceTo(targetMs) {
      // Advances queue behind each other: two callers never run timers at once.
      const next = advancing.then(() => run(targetMs))
      advancing = next.catch(() => undefined)
      return next
    },
    advanceBy(ms) {
      return clock.advanceTo(nowMs + ms)
    },
    nextDue: () => earliest()?.dueMs,
    get pending() {
      return timers.length
    },
  }
  return clock
}
