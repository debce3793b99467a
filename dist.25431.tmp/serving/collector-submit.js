import { createRecordValidator, ingestRecords } from "../collector/index.js";
/**
 * Submits logged predictions through the co-located collector's own ingest path (the same validation, quarantine,
 * metrics and durable group-commit writer as `POST /v1/predictions`), without an HTTP round trip to itself.
 * `collector` is read lazily: the serving routes are mounted while the collector is being built.
 */
export function createCollectorSubmit(options) {
    const now = options.now ?? Date.now;
    const specs = new Map(options.models.map((m) => [m.name, m]));
    const validators = new Map();
    return async (model, records) => {
        let validator = validators.get(model);
        if (!validator) {
            const spec = specs.get(model);
            if (!spec)
                throw new Error(`model "${model}" is served but not configured in models:, so its predictions cannot be stored`);
            validators.set(model, (validator = createRecordValidator(spec, { retentionDays: options.retentionDays })));
        }
        const collector = options.collector();
        return ingestRecords('prediction', { model, records, unparsed: new Map() }, { validator, writer: collector.writer, reader: options.reader, metrics: collector.metrics, attempt: 1, nowMs: now() });
    };
}
//# sourceMappingURL=collector-submit.js.map