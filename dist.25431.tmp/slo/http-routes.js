import { z } from 'zod';
import { AppError, defineRoute } from "../server/index.js";
import { sloModel } from "./evaluate.js";
import { sloStatusSchema } from "./status-schema.js";
const readQuery = z.object({
    max_age_s: z.coerce
        .number()
        .min(0)
        .max(86_400)
        .optional()
        .describe('Oldest evaluation accepted, in seconds; 0 evaluates now. Default: the staleness rule of docs/slo.md (≤ 15 s served, ≤ 60 s served and refreshed).'),
});
/** Whether a key may see an SLO: unlimited keys see all; a model-limited key only SLOs of its models (an SLO of no model is hidden). */
function maySee(principal, slo) {
    return principal.models === undefined || principal.models.has(sloModel(slo));
}
function statusOf(snapshot, name) {
    const failed = snapshot.failures.find((f) => f.name === name);
    if (failed)
        throw failed.error;
    const status = snapshot.statuses.get(name);
    if (!status)
        throw new AppError('internal', `SLO "${name}" was not evaluated`);
    return status;
}
/** `GET /v1/slos` and `GET /v1/slos/{name}`, filtered by the key's models. */
export function sloRoutes(deps) {
    const { reads } = deps;
    const byName = new Map(reads.slos.map((s) => [s.name, s]));
    const maxAgeMs = (q) => (q.max_age_s === undefined ? undefined : q.max_age_s * 1000);
    return [
        defineRoute({
            method: 'get',
            path: '/v1/slos',
            scope: 'read',
            summary: 'Every SLO the key may see, from the newest evaluation within the staleness bound',
            query: readQuery,
            responses: { 200: { description: 'SLO statuses; each carries `evaluated_at`.', schema: z.object({ slos: z.array(sloStatusSchema) }) } },
            handle: async ({ principal, query }) => {
                const visible = reads.slos.filter((s) => maySee(principal, s));
                if (visible.length === 0)
                    return { json: { slos: [] } };
                const snapshot = await reads.snapshot(maxAgeMs(query));
                return { json: { slos: visible.map((s) => statusOf(snapshot, s.name)) } };
            },
        }),
        defineRoute({
            method: 'get',
            path: '/v1/slos/{name}',
            scope: 'read',
            params: z.object({ name: z.string().min(1).max(256) }),
            query: readQuery,
            summary: 'One SLO: SLI, error budget, burn rates per window, alerts, time to exhaustion, freeze',
            responses: {
                200: { description: 'SLO status (docs/slo.md)', schema: sloStatusSchema },
                403: { description: 'A model-limited key asked for an SLO outside its models (or for a name it cannot know).' },
                404: { description: 'No SLO of that name (the defined names are not listed).' },
            },
            handle: async ({ params, principal, query }) => {
                const slo = byName.get(params.name);
                // As the collector answers a model outside the key's set: 403, whether or not the name exists, so a
                // limited key learns nothing about other models' SLOs; 404 only to keys that may see every SLO.
                if (principal.models !== undefined && (slo === undefined || !maySee(principal, slo))) {
                    throw new AppError('forbidden', `key "${principal.id}" may not read SLO "${params.name.slice(0, 128)}"`);
                }
                if (!slo)
                    throw new AppError('not_found', `SLO "${params.name.slice(0, 128)}" is not defined`);
                return { json: statusOf(await reads.snapshot(maxAgeMs(query)), slo.name) };
            },
        }),
    ];
}
//# sourceMappingURL=http-routes.js.map