import { Gauge } from 'prom-client';
/**
 * The analyzer's Prometheus gauges: the latest stored figures per model and version. Only stored runs publish
 * (the schedule, `POST …/analysis/run`): an on-demand window (a report, a dashboard) must not move what alert
 * rules read.
 */
export class AnalyzerMetrics {
    #featureDrift;
    #featureDrifted;
    #datasetShare;
    #performance;
    #quality;
    #coverage;
    constructor(registry) {
        const registers = [registry];
        this.#featureDrift = new Gauge({ name: 'highway_feature_drift_score', help: 'Drift statistic of a feature in the latest window (p-value tests: the p-value).', labelNames: ['model', 'version', 'feature', 'test'], registers });
        this.#featureDrifted = new Gauge({ name: 'highway_feature_drifted', help: '1 when the feature drifted in the latest window.', labelNames: ['model', 'version', 'feature', 'test'], registers });
        this.#datasetShare = new Gauge({ name: 'highway_dataset_drift_share', help: 'Share of features that drifted in the latest window.', labelNames: ['model', 'version'], registers });
        this.#performance = new Gauge({ name: 'highway_model_performance', help: 'Model performance in the latest window, realised or estimated (CBPE).', labelNames: ['model', 'version', 'metric', 'kind'], registers });
        this.#quality = new Gauge({ name: 'highway_data_quality', help: 'Data quality check value per feature in the latest window (shares, or 1/0 for constant).', labelNames: ['model', 'version', 'feature', 'check'], registers });
        this.#coverage = new Gauge({ name: 'highway_label_coverage', help: 'Share of the latest window predictions that have a label.', labelNames: ['model', 'version'], registers });
    }
    /** Publishes a stored run's results. */
    run(out) {
        if (out.drift)
            this.drift(out.drift);
        this.quality(out.quality);
        this.performance(out.performance);
    }
    /** Publishes a drift result. */
    drift(r) {
        const version = r.version || 'all';
        for (const f of [...r.features, ...(r.prediction ? [r.prediction] : [])]) {
            if (f.status !== 'ok')
                continue;
            const labels = { model: r.model, version, feature: f.feature, test: f.test };
            // A null statistic with status ok is +Infinity (JSON has none); Prometheus has +Inf.
            this.#featureDrift.set(labels, f.p_value ?? f.statistic ?? Infinity);
            this.#featureDrifted.set(labels, f.drifted ? 1 : 0);
        }
        this.#datasetShare.set({ model: r.model, version }, r.dataset.drift_share);
    }
    /** Publishes a data quality result. */
    quality(r) {
        for (const f of r.features) {
            const base = { model: r.model, version: 'all', feature: f.feature };
            this.#quality.set({ ...base, check: 'missing_share' }, f.missing_share);
            this.#quality.set({ ...base, check: 'out_of_range_share' }, f.out_of_range_share);
            this.#quality.set({ ...base, check: 'type_error_share' }, f.type_error_share);
            this.#quality.set({ ...base, check: 'unseen_category_share' }, f.unseen_category_share);
            this.#quality.set({ ...base, check: 'constant' }, f.constant ? 1 : 0);
        }
    }
    /** Publishes a performance result. */
    performance(r) {
        const version = r.version || 'all';
        for (const [metric, value] of Object.entries(r.realised))
            if (value !== null)
                this.#performance.set({ model: r.model, version, metric, kind: 'realised' }, value);
        for (const [metric, value] of Object.entries(r.estimated))
            if (value !== null)
                this.#performance.set({ model: r.model, version, metric, kind: 'estimated' }, value.value);
        if (r.label_coverage !== null)
            this.#coverage.set({ model: r.model, version }, r.label_coverage);
    }
}
//# sourceMappingURL=metrics.js.map