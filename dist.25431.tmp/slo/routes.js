import { evaluateSlo, evaluateSlos } from "./evaluate.js";
/** Evaluates one SLO now, applies the budget policy and publishes the gauges: what the API and the tick share. */
export async function evaluateAndPublish(deps, slo) {
    const evaluated = await evaluateSlo(deps.store, slo, (deps.now ?? Date.now)());
    const status = deps.policy ? await deps.policy.observe(evaluated) : evaluated;
    deps.metrics.publish(status);
    return status;
}
/**
 * Evaluates a whole tick now (one batched rollup read for every SLO, see `evaluateSlos`), applies the budget policy
 * and publishes the gauges of each SLO answered: what `GET /v1/slos` and the 30-second refresh share.
 */
export async function evaluateAndPublishAll(deps, slos) {
    const outcomes = await evaluateSlos(deps.store, slos, (deps.now ?? Date.now)());
    return Promise.all(outcomes.map(async (o) => {
        if (!o.ok)
            return o;
        try {
            const status = deps.policy ? await deps.policy.observe(o.status) : o.status;
            deps.metrics.publish(status);
            return { ok: true, status };
        }
        catch (error) {
            return { ok: false, name: o.status.name, error };
        }
    }));
}
//# sourceMappingURL=routes.js.map