import { describe, expect, it } from 'vitest'
import { nextFreezeState, releaseDecision, type FreezeState } from './decide.ts'

const T0 = Date.UTC(2026, 0, 1)

/** Replays budgets through the state machine; returns the frozen flag after each and the number of changes. */
function replay(remaining: ReadonlyArray<number | 'no_data'>, unfreezeAbove = 0.1): { frozen: boolean[]; changes: number } {
  let state: FreezeState | undefined
  let changes = 0
  const frozen: boolean[] = []
  remaining.forEach((r, i) => {
    const next = nextFreezeState(state, { status: r === 'no_data' ? 'no_data' : 'ok', remaining: r === 'no_data' ? 1 : r, unfreezeAbove, nowMs: T0 + i })
    state = next.state
    if (next.changed) changes++
    frozen.push(state.frozen)
  })
  return { frozen, changes }
}

describe('nextFreezeState', () => {
  it('freezes when the budget is spent and not before', () => {
    expect(replay([0.5, 0.01, 0, -0.2]).frozen).toEqual([false, false, true, true])
  })

  it('stays frozen while the budget hovers between zero and the recovery level (hysteresis), so it does not flap', () => {
    const r = replay([-0.1, 0.02, -0.01, 0.05, 0.09])
    expect(r.frozen).toEqual([true, true, true, true, true])
    expect(r.changes).toBe(1)
  })

  it('thaws once the budget is back at the recovery level, and freezes again on the next exhaustion', () => {
    const r = replay([-0.1, 0.1, 0.05, 0])
    expect(r.frozen).toEqual([true, false, false, true])
    expect(r.changes).toBe(3)
  })

  it('keeps its state when an evaluation has no data', () => {
    expect(replay([-0.1, 'no_data', 'no_data']).frozen).toEqual([true, true, true])
  })

  it('names the budget left in its reasons', () => {
    const frozen = nextFreezeState(undefined, { status: 'ok', remaining: -0.25, unfreezeAbove: 0.1, nowMs: T0 })
    expect(frozen.state.reason).toBe('error budget exhausted: -25% left')
    const thawed = nextFreezeState(frozen.state, { status: 'ok', remaining: 0.5, unfreezeAbove: 0.1, nowMs: T0 + 1 })
    expect(thawed.state).toEqual({ frozen: false, reason: 'error budget recovered: 50% left, at least 10% required', sinceMs: T0 + 1 })
  })
})

describe('releaseDecision', () => {
  const frozen = { frozen: true, reason: 'SLO a: error budget exhausted: -5% left' }
  it('refuses a promotion while frozen, naming why and what may still go ahead', () => {
    const d = releaseDecision(frozen, {})
    expect(d.allowed).toBe(false)
    expect(d.reason).toContain('SLO a: error budget exhausted')
    expect(d.reason).toContain('only rollbacks and releases marked as fixes')
  })
  it('lets rollbacks and fixes through a freeze, and everything through when not frozen', () => {
    expect(releaseDecision(frozen, { rollback: true }).allowed).toBe(true)
    expect(releaseDecision(frozen, { fix: true }).allowed).toBe(true)
    expect(releaseDecision({ frozen: false }, {}).allowed).toBe(true)
  })
})
