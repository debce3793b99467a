import { insertPolicyTransition, latestPolicyStates } from "../../store/index.js";
import { DEFAULT_UNFREEZE_ABOVE } from "../spec/index.js";
import { nextFreezeState, releaseDecision } from "./decide.js";
/**
 * `isModelFrozen` for the release controller: only the store is needed, as the freeze is read from the persisted
 * transitions (frozen while any SLO of the model is; the reason names each).
 */
export function createFreezeCheck(store) {
    return async (model) => {
        const frozen = (await latestPolicyStates(store, { model })).filter((s) => s.frozen);
        if (frozen.length === 0)
            return { frozen: false };
        return { frozen: true, reason: frozen.map((s) => `SLO ${s.slo}: ${s.reason}`).join('; ') };
    };
}
/**
 * Creates the budget policy. The newest `slo_policy_transitions` row per SLO is the state; it is read once
 * (lazily) and kept in memory by `observe`, while `isModelFrozen` reads the table each time, so the release
 * controller sees freezes decided by another process. Observations of one SLO are serialised, so the API and the
 * background tick never audit the same change twice.
 */
export function createBudgetPolicy(options) {
    const { store } = options;
    const now = options.now ?? Date.now;
    const unfreezeAbove = new Map(options.slos.map((s) => [s.name, s.unfreezeAbove ?? DEFAULT_UNFREEZE_ABOVE]));
    let states;
    const queues = new Map();
    const isModelFrozen = createFreezeCheck(store);
    const load = () => {
        states ??= latestPolicyStates(store).then((rows) => new Map(rows.map((r) => [r.slo, { frozen: r.frozen, reason: r.reason, sinceMs: r.atMs }])), (err) => {
            states = undefined;
            throw err;
        });
        return states;
    };
    const observeOne = async (status) => {
        const map = await load();
        const nowMs = now();
        const { state, changed } = nextFreezeState(map.get(status.name), {
            status: status.status,
            remaining: status.error_budget.remaining,
            unfreezeAbove: unfreezeAbove.get(status.name) ?? DEFAULT_UNFREEZE_ABOVE,
            nowMs,
        });
        if (changed) {
            // Persist before acting on it: a change that is not stored has not happened.
            await insertPolicyTransition(store, { slo: status.name, model: status.model, frozen: state.frozen, reason: state.reason, remaining: status.error_budget.remaining, atMs: nowMs });
            map.set(status.name, state);
        }
        const known = map.get(status.name);
        return { ...status, policy: known === undefined ? { frozen: false } : { frozen: known.frozen, reason: known.reason, since: new Date(known.sinceMs).toISOString() } };
    };
    return {
        observe(status) {
            const previous = queues.get(status.name) ?? Promise.resolve();
            const next = previous.then(() => observeOne(status), () => observeOne(status));
            queues.set(status.name, next);
            return next;
        },
        isModelFrozen,
        async checkRelease(model, intent) {
            return releaseDecision(await isModelFrozen(model), intent);
        },
    };
}
//# sourceMappingURL=budget-policy.js.map