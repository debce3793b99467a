import { insertPolicyTransition, latestPolicyStates, type Store } from '../../store/index.ts'
import type { SloStatus } from '../evaluate.ts'
import { DEFAULT_UNFREEZE_ABOVE, type ResolvedSlo } from '../spec/index.ts'
import { nextFreezeState, releaseDecision, type FreezeState, type ReleaseIntent } from './decide.ts'

/** The error budget policy of a set of SLOs, persisted in ClickHouse. */
export interface BudgetPolicy {
  /** Applies one evaluation: moves the SLO's freeze (auditing a change) and returns the status with its `policy`. */
  observe(status: SloStatus): Promise<SloStatus>
  /** Whether releases of a model are frozen, read from the persisted state (any process, after a restart too). */
  isModelFrozen(model: string): Promise<{ frozen: boolean; reason?: string }>
  /** Whether a release of a model may go ahead: refused while frozen, except rollbacks and fixes. */
  checkRelease(model: string, intent: ReleaseIntent): Promise<{ allowed: boolean; reason: string }>
}

/**
 * `isModelFrozen` for the release controller: only the store is needed, as the freeze is read from the persisted
 * transitions (frozen while any SLO of the model is; the reason names each).
 */
export function createFreezeCheck(store: Store): (model: string) => Promise<{ frozen: boolean; reason?: string }> {
  return async (model) => {
    const frozen = (await latestPolicyStates(store, { model })).filter((s) => s.frozen)
    if (frozen.length === 0) return { frozen: false }
    return { frozen: true, reason: frozen.map((s) => (s.slo === manualFreezeKey(model) ? `manual freeze: ${s.reason}` : `SLO ${s.slo}: ${s.reason}`)).join('; ') }
  }
}

/**
 * The policy row of a model's manual freeze. It lives beside the SLOs' rows in `slo_policy_transitions`, so
 * `createFreezeCheck` (and through it the release controller) honours it in every process with no other change;
 * the `@` cannot start an SLO name, so it never collides with one.
 */
export function manualFreezeKey(model: string): string {
  return `@manual/${model}`
}

/** A manual release freeze (runbooks' `freeze`/`unfreeze` steps): the same persisted state the budget policy keeps. */
export interface ManualFreeze {
  freeze(model: string, reason: string, atMs: number): Promise<void>
  unfreeze(model: string, reason: string, atMs: number): Promise<void>
}

/** Creates the manual freeze over the store. Freezing a frozen model (or thawing a thawed one) writes nothing. */
export function createManualFreeze(store: Store): ManualFreeze {
  const set = async (model: string, frozen: boolean, reason: string, atMs: number): Promise<void> => {
    const key = manualFreezeKey(model)
    const current = (await latestPolicyStates(store, { model })).find((s) => s.slo === key)
    if ((current?.frozen ?? false) === frozen) return
    await insertPolicyTransition(store, { slo: key, model, frozen, reason, remaining: Number.NaN, atMs })
  }
  return {
    freeze: (model, reason, atMs) => set(model, true, reason, atMs),
    unfreeze: (model, reason, atMs) => set(model, false, reason, atMs),
  }
}

/** Options of {@link createBudgetPolicy}. */
export interface BudgetPolicyOptions {
  readonly store: Store
  readonly slos: readonly ResolvedSlo[]
  readonly now?: () => number
}

/**
 * Creates the budget policy. The newest `slo_policy_transitions` row per SLO is the state; it is read once
 * (lazily) and kept in memory by `observe`, while `isModelFrozen` reads the table each time, so the release
 * controller sees freezes decided by another process. Observations of one SLO are serialised, so the API and the
 * background tick never audit the same change twice.
 */
export function createBudgetPolicy(options: BudgetPolicyOptions): BudgetPolicy {
  const { store } = options
  const now = options.now ?? Date.now
  const unfreezeAbove = new Map(options.slos.map((s) => [s.name, s.unfreezeAbove ?? DEFAULT_UNFREEZE_ABOVE]))
  let states: Promise<Map<string, FreezeState>> | undefined
  const queues = new Map<string, Promise<unknown>>()
  const isModelFrozen = createFreezeCheck(store)
  const load = (): Promise<Map<string, FreezeState>> => {
    states ??= latestPolicyStates(store).then(
      (rows) => new Map(rows.map((r) => [r.slo, { frozen: r.frozen, reason: r.reason, sinceMs: r.atMs }])),
      (err: unknown) => {
        states = undefined
        throw err
      },
    )
    return states
  }
  const observeOne = async (status: SloStatus): Promise<SloStatus> => {
    const map = await load()
    const nowMs = now()
    const { state, changed } = nextFreezeState(map.get(status.name), {
      status: status.status,
      remaining: status.error_budget.remaining,
      unfreezeAbove: unfreezeAbove.get(status.name) ?? DEFAULT_UNFREEZE_ABOVE,
      nowMs,
    })
    if (changed) {
      // Persist before acting on it: a change that is not stored has not happened.
      await insertPolicyTransition(store, { slo: status.name, model: status.model, frozen: state.frozen, reason: state.reason, remaining: status.error_budget.remaining, atMs: nowMs })
      map.set(status.name, state)
    }
    const known = map.get(status.name)
    return { ...status, policy: known === undefined ? { frozen: false } : { frozen: known.frozen, reason: known.reason, since: new Date(known.sinceMs).toISOString() } }
  }
  return {
    observe(status) {
      const previous = queues.get(status.name) ?? Promise.resolve()
      const next = previous.then(
        () => observeOne(status),
        () => observeOne(status),
      )
      queues.set(status.name, next)
      return next
    },
    isModelFrozen,
    async checkRelease(model, intent) {
      return releaseDecision(await isModelFrozen(model), intent)
    },
  }
}
