/** A release freeze as the policy keeps it. */
export interface FreezeState {
  readonly frozen: boolean
  readonly reason: string
  /** When the state last changed (Unix ms). */
  readonly sinceMs: number
}

/** What one evaluation says about the budget. */
export interface BudgetObservation {
  /** `ok` evaluations move the state; `no_data` and `unsupported` leave it as it is (no evidence either way). */
  readonly status: 'ok' | 'no_data' | 'unsupported'
  /** Share of the error budget left (1 untouched, ≤ 0 spent). */
  readonly remaining: number
  /** A freeze ends once `remaining` is back at or above this share. */
  readonly unfreezeAbove: number
  readonly nowMs: number
}

const percent = (share: number): string => `${Number((share * 100).toFixed(2))}%`

/**
 * The budget policy as a state machine with hysteresis (Google SRE workbook, "Example Error Budget Policy":
 * releases halt once the budget is spent, until the service is back within its objective): freeze when the budget
 * left falls to 0 or below; thaw only once it is back at or above `unfreezeAbove`, so a budget hovering at the
 * edge does not flap. Returns the next state and whether it changed (a change is audited). Pure.
 */
export function nextFreezeState(previous: FreezeState | undefined, o: BudgetObservation): { state: FreezeState; changed: boolean } {
  const current = previous ?? { frozen: false, reason: 'no evaluation yet', sinceMs: o.nowMs }
  if (o.status !== 'ok') return { state: current, changed: false }
  if (!current.frozen && o.remaining <= 0) {
    return { state: { frozen: true, reason: `error budget exhausted: ${percent(o.remaining)} left`, sinceMs: o.nowMs }, changed: true }
  }
  if (current.frozen && o.remaining >= o.unfreezeAbove) {
    return {
      state: { frozen: false, reason: `error budget recovered: ${percent(o.remaining)} left, at least ${percent(o.unfreezeAbove)} required`, sinceMs: o.nowMs },
      changed: true,
    }
  }
  return { state: current, changed: false }
}

/** A release the controller asks about: promotions are refused while frozen, rollbacks and fixes are not. */
export interface ReleaseIntent {
  readonly rollback?: boolean
  /** A release marked as fixing the reliability problem that spent the budget. */
  readonly fix?: boolean
}

/** Whether a release may go ahead given the model's freeze (the same workbook policy's exceptions). Pure. */
export function releaseDecision(freeze: { frozen: boolean; reason?: string }, intent: ReleaseIntent): { allowed: boolean; reason: string } {
  if (!freeze.frozen) return { allowed: true, reason: 'no release freeze' }
  if (intent.rollback === true) return { allowed: true, reason: `rollback allowed during a release freeze (${freeze.reason ?? 'error budget exhausted'})` }
  if (intent.fix === true) return { allowed: true, reason: `fix release allowed during a release freeze (${freeze.reason ?? 'error budget exhausted'})` }
  return { allowed: false, reason: `releases are frozen: ${freeze.reason ?? 'error budget exhausted'}; only rollbacks and releases marked as fixes may go ahead` }
}
