export { loadSloDirectory, parseSloSources } from "./load.js";
export { validateSloCommand, SLO_VALIDATE_HELP } from "./validate-command.js";
export { formatSpecError } from "./issues.js";
export { parseDurationShorthand, parseFixedDuration, formatDurationSeconds } from "./duration.js";
export { checkTimeZone, checkStartTime } from "./time-zone.js";
export { alertConditionSpecSchema, alertNotificationTargetSpecSchema, alertPolicySpecSchema, dataSourceSpecSchema, metadataSchema, objectNameSchema, serviceSpecSchema, sliSpecSchema, sloSpecSchema, } from "./schema.js";
export { ANNOTATION_PREFIX, ANNOTATIONS, BUDGETING_METHODS, DEFAULT_MIN_EVENTS, DEFAULT_UNFREEZE_ABOVE, DEFAULT_WILSON_CONFIDENCE, HIGHWAY_MEASURE_FORMS, HIGHWAY_MEASURES, HIGHWAY_SELECTS, OPENSLO_API_VERSION, OPERATORS, SHORT_WINDOW_DIVISOR, SOURCE_TYPES, SPEC_KINDS, } from "./const.js";
//# sourceMappingURL=index.js.map