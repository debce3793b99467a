/** Too much is waiting (memory or spool): push back with 429 and Retry-After. */
export class OverloadedError extends Error {
    name = 'OverloadedError';
    retryAfterSeconds;
    constructor(message, retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }
}
//# sourceMappingURL=durable-types.js.map