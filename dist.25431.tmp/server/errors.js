import { StoreError } from "../store/index.js";
const STATUS = {
    bad_request: 400,
    unauthorized: 401,
    forbidden: 403,
    not_found: 404,
    method_not_allowed: 405,
    request_timeout: 408,
    conflict: 409,
    payload_too_large: 413,
    unsupported_media_type: 415,
    overloaded: 429,
    unavailable: 503,
    internal: 500,
};
/** An error with a literal code, mapped to HTTP once, by the shell (`toAppError`). Components throw these. */
export class AppError extends Error {
    name = 'AppError';
    code;
    retryAfterSeconds;
    constructor(code, message, options = {}) {
        super(message, { cause: options.cause });
        this.code = code;
        this.retryAfterSeconds = options.retryAfterSeconds;
    }
    /** The HTTP status of this code. */
    get status() {
        return STATUS[this.code];
    }
}
/** How long a client should wait after storage failed it, in seconds. */
export const STORAGE_RETRY_AFTER_SECONDS = 5;
/**
 * Maps anything a handler threw to the answer: an AppError as it is; a storage failure that may pass (ClickHouse
 * down, timed out, closed) → 503 with Retry-After on every route; anything else is unexpected → 500 (logged).
 */
export function toAppError(err) {
    if (err instanceof AppError)
        return { error: err, unexpected: false };
    if (err instanceof StoreError && (err.transient || err.code === 'closed')) {
        return { error: new AppError('unavailable', `storage unavailable (${err.operation}); retry later`, { retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS, cause: err }), unexpected: false };
    }
    return { error: new AppError('internal', 'internal error', { cause: err }), unexpected: true };
}
//# sourceMappingURL=errors.js.map