export { alertTiersSchema, alertWindows, currentBurnWindowSeconds, DEFAULT_ALERT_TIERS, sliWindows } from "./windows.js";
export { burnRate, errorBudget, timesliceBudget, timeToExhaustionSeconds } from "./budget.js";
export { evaluateAlerts } from "./alerts.js";
export { periodBounds } from "./period.js";
export { normalQuantile, wilsonLowerBound } from "./wilson.js";
export { formatPromDuration, parsePromDuration } from "./duration.js";
export { BurnRateInputError } from "./errors.js";
//# sourceMappingURL=index.js.map