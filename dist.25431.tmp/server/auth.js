import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from "./errors.js";
// admin implies every scope; operate implies read (an operator reads what they act on).
const IMPLIED = { admin: ['admin', 'operate', 'read', 'ingest'], operate: ['operate', 'read'], read: ['read'], ingest: ['ingest'] };
const ANONYMOUS = { id: 'anonymous', scopes: new Set(['admin', 'operate', 'read', 'ingest']) };
/** Authenticates bearer keys against sha256 digests in constant time and checks scopes. */
export class Authenticator {
    #keys;
    constructor(keys) {
        this.#keys = keys.map((key) => ({ key, digest: Buffer.from(key.sha256, 'hex') }));
    }
    /** True when no key is configured: every request is allowed, so the server must stay on loopback. */
    get open() {
        return this.#keys.length === 0;
    }
    /** The principal for an Authorization header value; throws 401 when missing or unknown. */
    authenticate(header) {
        if (this.open)
            return ANONYMOUS;
        const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
        if (!match)
            throw new AppError('unauthorized', header ? 'Authorization must be "Bearer <key>"' : 'missing Authorization: Bearer <key>');
        const digest = createHash('sha256').update(match[1]).digest();
        let found;
        // Compare against every key, without an early exit, so timing does not reveal which prefix matched.
        for (const { key, digest: want } of this.#keys)
            if (timingSafeEqual(digest, want) && found === undefined)
                found = key;
        if (!found)
            throw new AppError('unauthorized', 'unknown API key');
        return {
            id: found.id,
            scopes: new Set(found.scopes.flatMap((s) => IMPLIED[s])),
            ...(found.models ? { models: new Set(found.models) } : {}),
        };
    }
}
/** Throws 403 unless the principal holds the scope. */
export function assertScope(principal, scope) {
    if (!principal.scopes.has(scope))
        throw new AppError('forbidden', `key "${principal.id}" lacks the "${scope}" scope`);
}
/** Throws 403 unless the principal may touch the model. */
export function assertModelAllowed(principal, model) {
    if (principal.models && !principal.models.has(model))
        throw new AppError('forbidden', `key "${principal.id}" may not access model "${model}"`);
}
/** sha256 hex of a secret: what goes into `auth.keys[].sha256`. */
export function hashSecret(secret) {
    return createHash('sha256').update(secret).digest('hex');
}
//# sourceMappingURL=auth.js.map