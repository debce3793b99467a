import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
/** The service's Prometheus registry, with the process metrics and the shell's request histogram. */
export class HttpMetrics {
    registry = new Registry();
    requestSeconds = new Histogram({
        name: 'highway_http_request_duration_seconds',
        help: 'HTTP request latency by route and status.',
        labelNames: ['method', 'route', 'status'],
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [this.registry],
    });
    constructor() {
        collectDefaultMetrics({ register: this.registry });
    }
}
//# sourceMappingURL=metrics.js.map