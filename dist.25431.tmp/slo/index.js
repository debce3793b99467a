export { formatSpecError, loadSloDirectory, validateSloCommand } from "./spec/index.js";
export { generateRules, renderRuleFile, writeRuleFiles, ruleSlosFromSpecs } from "./rules/index.js";
export { evaluateSlo, evaluateSlos, sloModel } from "./evaluate.js";
export { SloMetrics } from "./metrics.js";
export { evaluateAndPublish, evaluateAndPublishAll } from "./routes.js";
export { sloRoutes } from "./http-routes.js";
export { createSloReads, DEFAULT_STALENESS } from "./reads.js";
export { sloStatusSchema } from "./status-schema.js";
export { createBudgetPolicy, createFreezeCheck, nextFreezeState, releaseDecision } from "./policy/index.js";
//# sourceMappingURL=index.js.map