export { generateRules } from "./generate.js";
export { renderRuleFile } from "./render.js";
export { writeRuleFiles } from "./write.js";
export { DEFAULT_ALERT_NAME, DEFAULT_GENERATOR_INFO, GROUP_NAMES, LABELS, META_METRICS, sliErrorMetric } from "./const.js";
export { RuleSloError } from "./errors.js";
export { ruleSlosFromSpecs } from "./from-spec.js";
//# sourceMappingURL=index.js.map