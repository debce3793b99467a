import { evaluateAndPublishAll } from "./routes.js";
/** Default bounds: half of the 30-second tick, and two ticks. */
export const DEFAULT_STALENESS = { freshMs: 15_000, maxMs: 60_000 };
/**
 * Serves SLO statuses from the newest evaluation while it is fresh enough, so a read costs a map lookup instead
 * of a rollup query under ingest load; evaluations are single-flight (concurrent readers and the tick share one).
 */
export function createSloReads(options) {
    const now = options.now ?? Date.now;
    const bounds = options.staleness ?? DEFAULT_STALENESS;
    let latest;
    let running;
    const evaluate = () => {
        if (running)
            return running;
        const startedMs = now();
        running = evaluateAndPublishAll({ ...options, now: () => startedMs }, options.slos)
            .then((outcomes) => {
            const snapshot = {
                evaluatedAtMs: startedMs,
                statuses: new Map(outcomes.flatMap((o) => (o.ok ? [[o.status.name, { ...o.status, evaluated_at: new Date(startedMs).toISOString() }]] : []))),
                failures: outcomes.flatMap((o) => (o.ok ? [] : [{ name: o.name, error: o.error }])),
            };
            // A slower evaluation that started earlier never replaces a newer one.
            if (!latest || latest.evaluatedAtMs <= startedMs)
                latest = snapshot;
            return snapshot;
        })
            .finally(() => (running = undefined));
        return running;
    };
    return {
        slos: options.slos,
        refresh: evaluate,
        async snapshot(maxAgeMs) {
            const age = latest === undefined ? Infinity : now() - latest.evaluatedAtMs;
            if (latest !== undefined && maxAgeMs !== undefined)
                return age <= maxAgeMs ? latest : evaluate();
            if (latest !== undefined && age <= bounds.freshMs)
                return latest;
            if (latest !== undefined && age <= bounds.maxMs) {
                // Stale but within the bound: answer now, and let the next reader find a fresher one.
                void evaluate().catch(() => undefined);
                return latest;
            }
            return evaluate();
        },
    };
}
//# sourceMappingURL=reads.js.map