import { z } from 'zod';
import { mediaTypeOf } from "./body.js";
const ERROR_TEXT = {
    400: 'Bad input: the message names the field, the rule and the value.',
    401: 'Missing or unknown API key.',
    403: 'Key lacks the scope or the model, or a cross-site request.',
    404: 'Unknown model or resource.',
    409: 'Conflict with the current state.',
    413: 'Body over the limit.',
    415: 'Unsupported Content-Type or Content-Encoding.',
    429: 'Overloaded: retry after the Retry-After header.',
    503: 'Storage unavailable: retry after the Retry-After header.',
};
/** The error body of every non-2xx answer. */
export const errorBodySchema = z.object({ error: z.string().describe('What went wrong, naming the field, rule and value.'), code: z.string().describe('A literal code: bad_request, forbidden, …') });
const json = (schema, io) => {
    const doc = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
    delete doc.$schema;
    return doc;
};
function parametersOf(schema, where, pathNames) {
    if (!schema)
        return pathNames.map((name) => ({ name, in: where, required: true, schema: { type: 'string' } }));
    const doc = json(schema, 'input');
    return Object.entries(doc.properties ?? {}).map(([name, s]) => ({
        name,
        in: where,
        required: where === 'path' || (doc.required ?? []).includes(name),
        schema: s,
        ...(typeof s.description === 'string' ? { description: s.description } : {}),
    }));
}
/** The error statuses a route can answer, from what the shell does for it. */
function errorStatuses(route) {
    const codes = new Set([400]);
    if (route.scope !== 'public')
        for (const c of [401, 403])
            codes.add(c);
    if (route.path.includes('{'))
        codes.add(404);
    if (route.body || route.rawBody)
        for (const c of [413, 415, 429])
            codes.add(c);
    codes.add(503);
    for (const c of Object.keys(route.responses))
        codes.delete(Number(c));
    return [...codes].sort((a, b) => a - b);
}
/** The OpenAPI 3.1 document of every route the shell serves, built from their zod schemas. */
export function buildOpenApiDocument(routes, info) {
    const paths = {};
    for (const route of routes) {
        const pathNames = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
        const responses = {};
        for (const [status, r] of Object.entries(route.responses)) {
            const type = r.contentType ?? 'application/json';
            const schema = r.schema ? json(r.schema, 'output') : Number(status) >= 400 ? { $ref: '#/components/schemas/Error' } : undefined;
            responses[status] = { description: r.description, ...(schema || r.contentType ? { content: { [type]: schema ? { schema } : {} } } : {}) };
        }
        for (const status of errorStatuses(route))
            responses[String(status)] = { description: ERROR_TEXT[status] ?? 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
        const requestBody = route.body
            ? { required: true, content: { 'application/json': { schema: json(route.body, 'input') } } }
            : route.rawBody
                ? {
                    required: true,
                    description: route.rawBody.description,
                    content: Object.fromEntries(route.rawBody.accept.map((f) => [mediaTypeOf(f), f !== 'binary' && route.rawBody?.schema ? { schema: json(route.rawBody.schema, 'input') } : {}])),
                }
                : undefined;
        const operation = {
            summary: route.summary,
            ...(route.description ? { description: route.description } : {}),
            ...(route.tags ? { tags: route.tags } : {}),
            security: route.scope === 'public' ? [] : [{ bearer: [route.scope] }],
            'x-highway-scope': route.scope,
            parameters: [...parametersOf(route.params, 'path', pathNames), ...(route.query ? parametersOf(route.query, 'query', []) : [])],
            ...(requestBody ? { requestBody } : {}),
            responses,
        };
        (paths[route.path] ??= {})[route.method] = operation;
    }
    return {
        openapi: '3.1.0',
        info: { title: 'Highway', version: info.version, description: 'Observability and SRE for machine-learning systems.' },
        components: {
            securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key; scopes: ingest, read, operate, admin (admin implies all, operate implies read).' } },
            schemas: { Error: json(errorBodySchema, 'output') },
        },
        paths,
    };
}
//# sourceMappingURL=openapi.js.map