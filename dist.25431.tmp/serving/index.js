export { ModelServer } from "./model-server.js";
export { servingRoutes } from "./routes.js";
export { createInThreadEngine } from "./engine.js";
export { ServingMetrics } from "./metrics.js";
export { createQueuedPredictionLog, createSdkPredictionLog } from "./prediction-log.js";
export { bucketOf } from "./bucket.js";
export { createCollectorSubmit } from "./collector-submit.js";
export { fixtureManifest, fixtureVersion } from "./fixtures.js";
//# sourceMappingURL=index.js.map