import { describe, expect, it } from 'vitest'
import { stepAlert, RESOLVED_RETENTION_MS, type AlertInstance, type HoldTimes, type Observation } from './state.ts'

const on: Observation = { fingerprint: 'f', active: true, labels: { alertname: 'A' }, annotations: {}, value: 1 }
const off: Observation = { ...on, active: false, value: null }
const MIN = 60_000

/** Runs observations one minute apart from t=0 and returns each evaluation's state and transitions. */
function run(hold: HoldTimes, observations: readonly Observation[]): Array<{ state: string; moves: string[] }> {
  let current: AlertInstance | undefined
  return observations.map((obs, i) => {
    const step = stepAlert(current, obs, hold, i * MIN)
    current = step.next
    return { state: current?.state ?? 'inactive', moves: step.transitions.map((t) => `${t.from}>${t.to}`) }
  })
}

describe('stepAlert', () => {
  it('stays pending until the condition has held for `for`, then fires', () => {
    expect(run({ forSeconds: 120, keepFiringForSeconds: 0 }, [on, on, on])).toEqual([
      { state: 'pending', moves: ['inactive>pending'] },
      { state: 'pending', moves: [] },
      { state: 'firing', moves: ['pending>firing'] },
    ])
  })
  it('fires in the first evaluation when `for` is zero', () => {
    expect(run({ forSeconds: 0, keepFiringForSeconds: 0 }, [on])).toEqual([{ state: 'firing', moves: ['inactive>pending', 'pending>firing'] }])
  })
  it('drops a pending alert whose condition turns false before `for`', () => {
    expect(run({ forSeconds: 300, keepFiringForSeconds: 0 }, [on, off])).toEqual([
      { state: 'pending', moves: ['inactive>pending'] },
      { state: 'inactive', moves: ['pending>inactive'] },
    ])
  })
  it('resolves a firing alert on the first evaluation its condition is false', () => {
    expect(run({ forSeconds: 0, keepFiringForSeconds: 0 }, [on, off]).at(-1)).toEqual({ state: 'resolved', moves: ['firing>resolved'] })
  })
  it('keeps firing for `keep_firing_for` after the condition was last true', () => {
    expect(run({ forSeconds: 0, keepFiringForSeconds: 150 }, [on, off, off, off]).map((s) => s.state)).toEqual(['firing', 'firing', 'firing', 'resolved'])
  })
  it('starts a new pending period when a resolved alert becomes true again', () => {
    const steps = run({ forSeconds: 60, keepFiringForSeconds: 0 }, [on, on, off, on])
    expect(steps.at(-1)).toEqual({ state: 'pending', moves: ['resolved>pending'] })
  })
  it('forgets a resolved alert after the resolved retention', () => {
    const resolved: AlertInstance = { fingerprint: 'f', labels: {}, annotations: {}, state: 'resolved', activeAtMs: 0, firedAtMs: 0, resolvedAtMs: 0, lastTrueAtMs: 0, value: null }
    expect(stepAlert(resolved, off, { forSeconds: 0, keepFiringForSeconds: 0 }, RESOLVED_RETENTION_MS - 1).next).toBe(resolved)
    expect(stepAlert(resolved, off, { forSeconds: 0, keepFiringForSeconds: 0 }, RESOLVED_RETENTION_MS).next).toBeUndefined()
  })
})
