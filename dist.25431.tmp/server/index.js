export { AppError, toAppError, STORAGE_RETRY_AFTER_SECONDS } from "./errors.js";
export { Authenticator, assertModelAllowed, assertScope, hashSecret } from "./auth.js";
export { BodyBudget, readBody, parseJsonBody, bodyFormatOf, mediaTypeOf } from "./body.js";
export { defineRoute } from "./route.js";
export { createHttpShell, writeError } from "./http-shell.js";
export { HttpMetrics } from "./metrics.js";
export { buildOpenApiDocument, errorBodySchema } from "./openapi.js";
export { checkRequestOrigin, isLoopback } from "./request-guard.js";
export { describeIssues, parseOr400 } from "./validate.js";
export { systemRoutes } from "./system-routes.js";
//# sourceMappingURL=index.js.map