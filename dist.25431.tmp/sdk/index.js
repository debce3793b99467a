export { createHighwayClient } from "./client.js";
export { HighwayClientError } from "./error.js";
export { HIGHWAY_CLIENT_DEFAULTS } from "./options.js";
export { classifyStatus, computeRetryDelayMs, parseRetryAfterMs } from "./backoff.js";
//# sourceMappingURL=index.js.map