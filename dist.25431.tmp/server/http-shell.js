import { randomUUID } from 'node:crypto';
import { assertModelAllowed, assertScope } from "./auth.js";
import { parseJsonBody, readBody } from "./body.js";
import { AppError, toAppError } from "./errors.js";
import { checkRequestOrigin } from "./request-guard.js";
import { createRouter, routeLabel } from "./router.js";
import { parseOr400 } from "./validate.js";
// JSON is UTF-8 by definition (RFC 8259), and KServe's client compares the type to `application/json` exactly.
const JSON_TYPE = 'application/json';
const PUBLIC = { id: 'public', scopes: new Set() };
const REQUEST_ID = /^[\w.:-]{1,128}$/;
function send(res, status, headers, contentType, body) {
    if (headers)
        for (const [k, v] of Object.entries(headers))
            res.setHeader(k, v);
    if (body === undefined) {
        res.writeHead(status);
        res.end();
        return;
    }
    res.writeHead(status, { 'content-type': contentType ?? JSON_TYPE, 'content-length': Buffer.byteLength(body) });
    res.end(body);
}
function writeReply(res, reply) {
    if ('json' in reply)
        send(res, reply.status ?? 200, reply.headers, JSON_TYPE, JSON.stringify(reply.json));
    else if ('body' in reply)
        send(res, reply.status ?? 200, reply.headers, reply.contentType, reply.body);
    else
        send(res, reply.status, reply.headers, undefined, undefined);
}
/** Writes an error as `{error, code}` with its status (and `Retry-After`, `WWW-Authenticate` where they apply). */
export function writeError(res, error) {
    if (res.headersSent) {
        res.destroy();
        return;
    }
    const headers = {};
    if (error.retryAfterSeconds !== undefined)
        headers['retry-after'] = String(error.retryAfterSeconds);
    if (error.code === 'unauthorized')
        headers['www-authenticate'] = 'Bearer realm="highway"';
    send(res, error.status, headers, JSON_TYPE, JSON.stringify({ error: error.message, code: error.code }));
}
function queryOf(search) {
    const out = {};
    for (const [k, v] of new URLSearchParams(search)) {
        const had = out[k];
        out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
    }
    return out;
}
/**
 * Builds the shell. Each request goes, in this order: route match (404/405) → Host and Origin checks → key (401) →
 * scope and model limit (403) → path and query validation (400) → body, read only now, within its limit and the
 * shared budget (413/415/429/400) → the handler → its reply. Errors are mapped once (`toAppError`).
 */
export function createHttpShell(options) {
    const { auth, bodies, metrics, logger } = options;
    const router = createRouter(options.routes);
    const run = async (route, rawParams, search, req, res) => {
        // Public routes (probes, the API document) ignore any key; every other route checks it before anything else.
        const principal = route.scope === 'public' ? PUBLIC : auth.authenticate(req.headers.authorization);
        if (route.scope !== 'public')
            assertScope(principal, route.scope);
        const params = {};
        for (const [name, raw] of Object.entries(rawParams)) {
            try {
                params[name] = decodeURIComponent(raw);
            }
            catch {
                throw new AppError('bad_request', `path.${name}: malformed percent-encoding`);
            }
        }
        if (route.modelParam && route.scope !== 'public')
            assertModelAllowed(principal, params[route.modelParam]);
        const parsedParams = route.params ? parseOr400(route.params, params, 'path') : params;
        const parsedQuery = route.query ? parseOr400(route.query, queryOf(search), 'query') : undefined;
        const maxBytes = route.maxBodyBytes ?? options.maxBodyBytes;
        const read = () => readBody(req, res, { maxBytes, budget: bodies, ...(route.rawBody ? { accept: route.rawBody.accept } : {}) });
        let body;
        if (route.body) {
            const raw = await read();
            body = parseOr400(route.body, raw.text.trim() === '' ? undefined : parseJsonBody(raw.text), 'body');
        }
        const requestId = typeof req.headers['x-request-id'] === 'string' && REQUEST_ID.test(req.headers['x-request-id']) ? req.headers['x-request-id'] : randomUUID();
        const input = { params: parsedParams, query: parsedQuery, body, principal, headers: req.headers, requestId, readBody: read };
        return route.handle(input);
    };
    const listener = (req, res) => {
        const started = performance.now();
        const url = req.url ?? '/';
        const q = url.indexOf('?');
        const path = q < 0 ? url : url.slice(0, q);
        const method = (req.method ?? 'GET').toLowerCase();
        const found = router.match(method === 'head' ? 'get' : method, path);
        const label = found.kind === 'found' ? routeLabel(found.match.route.path) : 'unmatched';
        const fail = (err) => {
            const { error, unexpected } = toAppError(err);
            if (unexpected)
                logger.error('unhandled error', { method: req.method, route: label, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
            writeError(res, error);
        };
        try {
            checkRequestOrigin(req, options.origins);
        }
        catch (err) {
            return fail(err);
        }
        res.once('finish', () => metrics.requestSeconds.observe({ method: req.method ?? 'GET', route: label, status: String(res.statusCode) }, (performance.now() - started) / 1000));
        if (found.kind === 'none')
            return fail(new AppError('not_found', `no route for ${req.method} ${path.slice(0, 200)}`));
        if (found.kind === 'method') {
            res.setHeader('allow', found.allow.map((m) => m.toUpperCase()).join(', '));
            return fail(new AppError('method_not_allowed', `${req.method} is not allowed on ${path.slice(0, 200)}; allowed: ${found.allow.map((m) => m.toUpperCase()).join(', ')}`));
        }
        run(found.match.route, found.match.params, q < 0 ? '' : url.slice(q + 1), req, res).then((reply) => writeReply(res, reply), fail);
    };
    const serves = (method, url) => {
        const q = url.indexOf('?');
        const m = method.toLowerCase();
        return router.match(m === 'head' ? 'get' : m, q < 0 ? url : url.slice(0, q)).kind !== 'none';
    };
    return { listener, routes: options.routes, serves };
}
//# sourceMappingURL=http-shell.js.map