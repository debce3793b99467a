export { loadConfig, parseConfig, ConfigError } from "./load.js";
export { readEnv } from "./env/index.js";
export { configSchema, modelSpecSchema, featureSpecSchema, scopeSchema, taskSchema, driftTestSchema, durationSchema, DRIFT_TESTS } from "./schema.js";
export { paramSpecSchema, searchSpaceSchema } from "./search-space.js";
export { alertingSchema, modelRuleSchema, conditionSchema, severitySchema, receiverSchemaForTests, DEFAULT_ALERTING } from "./alerting.js";
//# sourceMappingURL=index.js.map