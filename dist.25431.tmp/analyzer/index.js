export { createAnalyzer, AnalysisError, checkWindow, MIN_WINDOW_MS, MAX_WINDOW_MS } from "./analyzer.js";
export { AnalyzerMetrics } from "./metrics.js";
export { analyzerRoutes, REFERENCE_MAX_BODY_BYTES } from "./routes.js";
export { scheduleAnalysis, scheduledWindow } from "./jobs.js";
export { defaultTest, isDrifted, runNumericalTest, runCategoricalTest, NUMERICAL_TEST_DEFAULTS, CATEGORICAL_TEST_DEFAULTS } from "./stats/index.js";
export { CBPE_METRICS } from "./performance/index.js";
//# sourceMappingURL=index.js.map