// Retry policy of the SDK as pure functions: no clock, no randomness of their own, no I/O.
/**
 * Delay before a retry: "full jitter", a uniform draw in [0, min(maxMs, baseMs · 2^(retry−1))),
 * from AWS Architecture Blog, "Exponential Backoff And Jitter" (Brooker, 2015) — it spreads
 * retries of many clients best for the least total work. A `Retry-After` is a floor, not a cap:
 * the server knows when it will be back, and waiting less only earns another 429/503.
 */
export function computeRetryDelayMs(input) {
    const exponent = Math.max(0, Math.floor(input.retry) - 1);
    // 2 ** exponent reaches Infinity for large retries; Math.min brings it back to the cap.
    const ceilingMs = Math.max(0, Math.min(input.maxMs, input.baseMs * 2 ** exponent));
    const draw = clampUnit(input.random());
    const jitteredMs = Math.floor(draw * ceilingMs);
    const floorMs = input.retryAfterMs !== undefined && input.retryAfterMs > 0 ? input.retryAfterMs : 0;
    return Math.max(jitteredMs, Math.ceil(floorMs));
}
/**
 * Milliseconds a `Retry-After` header asks to wait, or `undefined` when it is absent or unreadable.
 * RFC 9110 §10.2.3 allows delay-seconds or an HTTP-date; a date in the past means "now" (0).
 */
export function parseRetryAfterMs(header, nowMs) {
    if (header === null || header === undefined)
        return undefined;
    const value = header.trim();
    if (value === '')
        return undefined;
    // Checked before Date.parse, which reads bare numbers such as "1" as years.
    if (/^\d+(\.\d+)?$/.test(value))
        return Math.round(Number(value) * 1000);
    if (/^[+-]?\d/.test(value))
        return undefined;
    const dateMs = Date.parse(value);
    if (Number.isNaN(dateMs))
        return undefined;
    return Math.max(0, dateMs - nowMs);
}
/**
 * 2xx delivered; 408 (request timeout), 429 (rate limited) and 5xx are transient, so retry;
 * any other status (400, 401, 403, 404, 413, …) will not change on a resend, so drop.
 */
export function classifyStatus(status) {
    if (status >= 200 && status < 300)
        return 'delivered';
    if (status === 408 || status === 429 || (status >= 500 && status < 600))
        return 'retry';
    return 'drop';
}
function clampUnit(value) {
    if (!Number.isFinite(value) || value < 0)
        return 0;
    return value < 1 ? value : 1 - Number.EPSILON;
}
//# sourceMappingURL=backoff.js.map