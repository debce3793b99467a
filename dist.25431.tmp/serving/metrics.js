import { Counter, Gauge, Histogram } from 'prom-client';
/** Serving metrics, registered on the collector's registry (one /metrics per process). */
export class ServingMetrics {
    requests;
    latencySeconds;
    inflight;
    batchSize;
    shadow;
    shadowDropped;
    logDropped;
    loadedVersions;
    constructor(registry) {
        const registers = [registry];
        this.requests = new Counter({ name: 'highway_serving_requests_total', help: 'Served predictions (rows), by model, version and status (ok, error, invalid).', labelNames: ['model', 'version', 'status'], registers });
        this.latencySeconds = new Histogram({
            name: 'highway_serving_request_duration_seconds',
            help: 'Inference request latency (decode, run, encode), by model, version and status.',
            labelNames: ['model', 'version', 'status'],
            buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
            registers,
        });
        this.inflight = new Gauge({ name: 'highway_serving_inflight_requests', help: 'Inference requests being served, by model.', labelNames: ['model'], registers });
        this.batchSize = new Histogram({ name: 'highway_serving_batch_rows', help: 'Rows per session run, by model.', labelNames: ['model'], buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096], registers });
        this.shadow = new Counter({ name: 'highway_serving_shadow_predictions_total', help: 'Shadow predictions (rows) run off the hot path, by model, shadow version and status.', labelNames: ['model', 'version', 'status'], registers });
        this.shadowDropped = new Counter({ name: 'highway_serving_shadow_dropped_total', help: 'Shadow requests dropped because the shadow queue was full.', labelNames: ['model'], registers });
        this.logDropped = new Counter({ name: 'highway_serving_prediction_log_dropped_total', help: 'Prediction log records dropped (queue full, submission failed), by model and reason.', labelNames: ['model', 'reason'], registers });
        this.loadedVersions = new Gauge({ name: 'highway_serving_loaded_versions', help: 'Versions loaded in memory, by model.', labelNames: ['model'], registers });
    }
}
//# sourceMappingURL=metrics.js.map