import { describe, expect, it } from 'vitest'
import { createRealClock } from './real-clock.ts'
import { createSimulatedClock } from './simulated-clock.ts'
import { nextCronTime, parseCron } from './cron-next.ts'

const T0 = Date.UTC(2012, 0, 1) // a Sunday

describe('nextCronTime', () => {
  it.each([
    ['0 0 * * 1', T0, Date.UTC(2012, 0, 2)], // next Monday 00:00
    ['0 */6 * * *', T0, Date.UTC(2012, 0, 1, 6)], // strictly after: not the instant itself
    ['30 2 1 * *', Date.UTC(2012, 0, 1, 3), Date.UTC(2012, 1, 1, 2, 30)], // first of the next month
    ['*/15 * * * * *', T0 + 1, T0 + 15_000], // six fields: seconds
  ])('finds the next match of %s after the given instant', (expression, after, expected) => {
    expect(new Date(nextCronTime(parseCron(expression), after)).toISOString()).toBe(new Date(expected).toISOString())
  })

  it('refuses an expression node-cron refuses, naming it', () => {
    expect(() => parseCron('61 * * * *')).toThrow('"61 * * * *" is not a valid cron expression')
  })
})

describe('createSimulatedClock', () => {
  it('does not move until advanced, then runs due timers in time order at their due times', async () => {
    const clock = createSimulatedClock({ startMs: T0 })
    const seen: string[] = []
    clock.at(T0 + 3000, (now) => void seen.push(`at3 ${now - T0}`))
    clock.every(1000, (now) => void seen.push(`every ${now - T0}`))
    clock.at(T0 + 1000, (now) => void seen.push(`at1 ${now - T0}`))
    expect(clock.now()).toBe(T0)
    await clock.advanceBy(3500)
    expect(seen).toEqual(['every 1000', 'at1 1000', 'every 2000', 'at3 3000', 'every 3000'])
    expect(clock.now()).toBe(T0 + 3500)
  })

  it('awaits each timer before the next, so runs never overlap', async () => {
    const clock = createSimulatedClock({ startMs: T0 })
    const log: string[] = []
    clock.every(1000, async (now) => {
      log.push(`start ${now - T0}`)
      await new Promise<void>((resolve) => setImmediate(resolve))
      log.push(`end ${now - T0}`)
    })
    await clock.advanceBy(2000)
    expect(log).toEqual(['start 1000', 'end 1000', 'start 2000', 'end 2000'])
  })

  it('runs timers that a running timer schedules within the same advance', async () => {
    const clock = createSimulatedClock({ startMs: T0 })
    const seen: number[] = []
    clock.at(T0 + 100, (now) => {
      seen.push(now - T0)
      clock.at(now + 100, (later) => void seen.push(later - T0))
    })
    await clock.advanceBy(1000)
    expect(seen).toEqual([100, 200])
  })

  it('runs cron timers in simulated time', async () => {
    const clock = createSimulatedClock({ startMs: T0 })
    const runs: string[] = []
    clock.cron('0 0 * * 1', (now) => void runs.push(new Date(now).toISOString()))
    await clock.advanceTo(Date.UTC(2012, 0, 17))
    expect(runs).toEqual(['2012-01-02T00:00:00.000Z', '2012-01-09T00:00:00.000Z', '2012-01-16T00:00:00.000Z'])
  })

  it('stops a cancelled timer, and goes on after a timer that throws', async () => {
    const errors: unknown[] = []
    const clock = createSimulatedClock({ startMs: T0, onError: (e) => errors.push(e) })
    let ticks = 0
    const cancel = clock.every(1000, () => void ticks++)
    clock.at(T0 + 1500, () => {
      throw new Error('boom')
    })
    await clock.advanceBy(2500)
    cancel()
    await clock.advanceBy(5000)
    expect(ticks).toBe(2)
    expect(errors).toHaveLength(1)
    expect(clock.pending).toBe(0)
  })

  it('awaits the beforeTimer hook before each timer', async () => {
    const order: string[] = []
    const clock = createSimulatedClock({ startMs: T0, beforeTimer: async () => void order.push('settle') })
    clock.at(T0 + 10, () => void order.push('work'))
    await clock.advanceBy(10)
    expect(order).toEqual(['settle', 'work'])
  })
})

describe('createRealClock', () => {
  it('reads the wall clock', () => {
    const before = Date.now()
    const now = createRealClock().now()
    expect(now).toBeGreaterThanOrEqual(before)
  })

  it('runs a due timer from Node timers and cancels another', async () => {
    const clock = createRealClock()
    const cancelled = clock.at(Date.now(), () => {
      throw new Error('must not run')
    })
    cancelled()
    await new Promise<number>((resolve) => clock.at(Date.now(), (now) => resolve(now)))
  })
})
