import { z } from 'zod';
import { HighwayClientError } from "./error.js";
// setTimeout stores delays in a signed 32-bit integer; a longer one fires at once (Node docs, setTimeout).
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Defaults of every optional numeric or boolean option of `createHighwayClient`. */
export const HIGHWAY_CLIENT_DEFAULTS = {
    gzip: true,
    maxBatchRecords: 1000,
    flushIntervalMs: 1000,
    maxConcurrentRequests: 2,
    maxBufferedRecords: 100_000,
    maxRetries: 10,
    retryBaseMs: 200,
    retryMaxMs: 30_000,
    requestTimeoutMs: 10_000,
};
// One sentence per option, used in every error message so they all read the same way.
const EXPECTED = {
    url: 'an http(s) URL such as "https://highway.internal"',
    apiKey: 'a non-empty string of visible ASCII characters (it goes into an HTTP header)',
    gzip: 'a boolean',
    maxBatchRecords: 'an integer ≥ 1',
    flushIntervalMs: `an integer number of milliseconds from 1 to ${MAX_TIMER_MS}`,
    maxConcurrentRequests: 'an integer ≥ 1',
    maxBufferedRecords: 'an integer ≥ 1',
    maxRetries: 'an integer ≥ 0',
    retryBaseMs: `an integer number of milliseconds from 1 to ${MAX_TIMER_MS}`,
    retryMaxMs: `an integer number of milliseconds from 1 to ${MAX_TIMER_MS}, not below retryBaseMs`,
    requestTimeoutMs: `an integer number of milliseconds from 1 to ${MAX_TIMER_MS}`,
    onError: 'a function',
    onDrop: 'a function',
    fetch: 'a function compatible with the global fetch',
};
const isFunction = (value) => typeof value === 'function';
const milliseconds = () => z.number().int().min(1).max(MAX_TIMER_MS);
const optionsSchema = z
    .strictObject({
    url: z.string().refine(isHttpUrl),
    apiKey: z.string().regex(/^[\x21-\x7e]+$/).optional(),
    gzip: z.boolean().default(HIGHWAY_CLIENT_DEFAULTS.gzip),
    maxBatchRecords: z.number().int().min(1).default(HIGHWAY_CLIENT_DEFAULTS.maxBatchRecords),
    flushIntervalMs: milliseconds().default(HIGHWAY_CLIENT_DEFAULTS.flushIntervalMs),
    maxConcurrentRequests: z.number().int().min(1).default(HIGHWAY_CLIENT_DEFAULTS.maxConcurrentRequests),
    maxBufferedRecords: z.number().int().min(1).default(HIGHWAY_CLIENT_DEFAULTS.maxBufferedRecords),
    maxRetries: z.number().int().min(0).default(HIGHWAY_CLIENT_DEFAULTS.maxRetries),
    retryBaseMs: milliseconds().default(HIGHWAY_CLIENT_DEFAULTS.retryBaseMs),
    retryMaxMs: milliseconds().default(HIGHWAY_CLIENT_DEFAULTS.retryMaxMs),
    requestTimeoutMs: milliseconds().default(HIGHWAY_CLIENT_DEFAULTS.requestTimeoutMs),
    onError: z.custom(isFunction).optional(),
    onDrop: z.custom(isFunction).optional(),
    fetch: z.custom(isFunction).optional(),
})
    .refine((options) => options.retryMaxMs >= options.retryBaseMs, { path: ['retryMaxMs'] });
/** Validates raw options once, at construction; throws a `HighwayClientError` naming option, value and expectation. */
export function parseClientOptions(input) {
    const result = optionsSchema.safeParse(input);
    if (!result.success) {
        throw new HighwayClientError('invalid_option', describeIssues(input, result.error.issues));
    }
    const options = result.data;
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function') {
        throw new HighwayClientError('invalid_option', `Invalid Highway client option "fetch": got undefined and this runtime has no global fetch, expected ${EXPECTED.fetch}`);
    }
    // A trailing slash makes the base a directory, so a path prefix such as /highway/ survives resolution.
    const base = new URL(options.url);
    if (!base.pathname.endsWith('/'))
        base.pathname = `${base.pathname}/`;
    base.search = '';
    base.hash = '';
    return {
        predictionsUrl: new URL('v1/predictions', base).href,
        labelsUrl: new URL('v1/labels', base).href,
        apiKey: options.apiKey,
        gzip: options.gzip,
        maxBatchRecords: options.maxBatchRecords,
        flushIntervalMs: options.flushIntervalMs,
        maxConcurrentRequests: options.maxConcurrentRequests,
        maxBufferedRecords: options.maxBufferedRecords,
        maxRetries: options.maxRetries,
        retryBaseMs: options.retryBaseMs,
        retryMaxMs: options.retryMaxMs,
        requestTimeoutMs: options.requestTimeoutMs,
        onError: options.onError ?? ignore,
        onDrop: options.onDrop ?? ignore,
        fetch: fetchImpl,
    };
}
function ignore() { }
function isHttpUrl(value) {
    if (!URL.canParse(value))
        return false;
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
}
function describeIssues(input, issues) {
    const lines = new Set();
    for (const issue of issues) {
        if (issue.code === 'unrecognized_keys') {
            for (const key of issue.keys) {
                lines.add(`Unknown Highway client option "${key}", expected one of: ${Object.keys(EXPECTED).join(', ')}`);
            }
            continue;
        }
        const name = issue.path[0];
        if (typeof name === 'string' && name in EXPECTED) {
            const option = name;
            const value = isRecord(input) ? input[option] : undefined;
            lines.add(`Invalid Highway client option "${option}": got ${formatValue(option, value)}, expected ${EXPECTED[option]}`);
            continue;
        }
        lines.add(`Invalid Highway client options: got ${formatValue(undefined, input)}, expected an object with at least "url"`);
    }
    return [...lines].join('; ');
}
function formatValue(option, value) {
    if (value === undefined)
        return 'undefined';
    if (typeof value === 'function')
        return 'a function';
    // An API key must never reach logs, even a wrong one.
    if (option === 'apiKey')
        return typeof value === 'string' ? `a string of ${value.length} characters` : typeof value;
    if (typeof value === 'number' || typeof value === 'bigint')
        return String(value);
    try {
        const text = JSON.stringify(value);
        if (text === undefined)
            return typeof value;
        return text.length > 80 ? `${text.slice(0, 77)}...` : text;
    }
    catch {
        return typeof value;
    }
}
function isRecord(value) {
    return typeof value === 'object' && value !== null;
}
//# sourceMappingURL=options.js.map