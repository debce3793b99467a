import { z } from 'zod';
import { AppError } from "./errors.js";
import { defineRoute } from "./route.js";
/** `GET /metrics`, `/healthz`, `/readyz` and `/openapi.json`. */
export function systemRoutes(options) {
    return [
        defineRoute({
            method: 'get',
            path: '/metrics',
            scope: 'read',
            summary: 'Prometheus metrics of every component in this process',
            responses: { 200: { description: 'Prometheus text format 0.0.4', contentType: 'text/plain' } },
            handle: async ({ principal }) => {
                // The series carry every model's name and counts, so a key limited to some models may not read them.
                if (principal.models)
                    throw new AppError('forbidden', `key "${principal.id}" is limited to some models; /metrics covers every model, so it needs a key without a model limit`);
                return { body: await options.registry.metrics(), contentType: options.registry.contentType };
            },
        }),
        defineRoute({
            method: 'get',
            path: '/healthz',
            scope: 'public',
            summary: 'Liveness: the process answers',
            responses: { 200: { description: 'Process is up', schema: z.object({ status: z.literal('ok') }) } },
            handle: () => ({ json: { status: 'ok' } }),
        }),
        defineRoute({
            method: 'get',
            path: '/readyz',
            scope: 'public',
            summary: 'Readiness: every component can do its work (storage takes writes, the spool has room)',
            responses: { 200: { description: 'Ready', schema: z.looseObject({ ready: z.boolean() }) }, 503: { description: 'Not ready; the fields say why', schema: z.looseObject({ ready: z.boolean() }) } },
            handle: () => {
                const reports = options.readiness.map((r) => r());
                const ready = reports.every((r) => r.ready);
                return { status: ready ? 200 : 503, json: Object.assign({ ready }, ...reports.map((r) => r.fields)) };
            },
        }),
        defineRoute({
            method: 'get',
            path: '/openapi.json',
            scope: 'public',
            summary: 'This document: every route with its scope, parameters, bodies and answers',
            responses: { 200: { description: 'OpenAPI 3.1' } },
            handle: () => ({ json: options.document() }),
        }),
    ];
}
//# sourceMappingURL=system-routes.js.map