import cron from 'node-cron'
import type { CancelTimer, Clock, TimerWork } from './types.ts'

// setTimeout takes at most 2^31 − 1 ms (about 24.8 days); longer delays are waited for in legs.
const MAX_TIMEOUT_MS = 2 ** 31 - 1

/** The wall clock and Node's timers, unref'd so a schedule never keeps a process alive on its own. */
export function createRealClock(): Clock {
  return {
    kind: 'real',
    now: Date.now,
    every(intervalMs, work) {
      if (!(intervalMs > 0)) throw new Error(`every: the interval must be a positive number of milliseconds, got ${intervalMs}`)
      let running = false
      const timer = setInterval(() => {
        if (running) return
        running = true
        void Promise.resolve()
          .then(() => work(Date.now()))
          .catch(() => undefined)
          .finally(() => (running = false))
      }, intervalMs)
      timer.unref()
      return () => clearInterval(timer)
    },
    at(dueMs, work) {
      let timer: NodeJS.Timeout | undefined
      let cancelled = false
      const arm = (): void => {
        const wait = dueMs - Date.now()
        timer = setTimeout(
          () => {
            if (cancelled) return
            if (wait > MAX_TIMEOUT_MS) return arm()
            void Promise.resolve()
              .then(() => work(Date.now()))
              .catch(() => undefined)
          },
          Math.min(Math.max(0, wait), MAX_TIMEOUT_MS),
        )
        timer.unref()
      }
      arm()
      return () => {
        cancelled = true
        if (timer) clearTimeout(timer)
      }
    },
    cron(expression, work: TimerWork): CancelTimer {
      if (!cron.validate(expression)) throw new Error(`"${expression}" is not a valid cron expression`)
      let running = false
      const task = cron.schedule(expression, async () => {
        // One run at a time: a slow run is not stacked on by the next match.
        if (running) return
        running = true
        try {
          await work(Date.now())
        } catch {
          // The work reports its own failures; a throw must not kill the schedule.
        } finally {
          running = false
        }
      })
      return () => void task.stop()
    },
  }
}
