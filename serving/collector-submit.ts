import { createRecordValidator, ingestRecords, type Collector, type RecordValidator, type StoredRecordsReader } from '../collector/index.ts'
import type { ModelSpec } from '../config/index.ts'
import type { PredictionSubmit } from './prediction-log.ts'

/**
 * Submits logged predictions through the co-located collector's own ingest path (the same validation, quarantine,
 * metrics and durable group-commit writer as `POST /v1/predictions`), without an HTTP round trip to itself.
 * `collector` is read lazily: the serving routes are mounted while the collector is being built.
 */
export function createCollectorSubmit(options: {
  readonly collector: () => Collector
  readonly models: readonly ModelSpec[]
  readonly retentionDays: number
  readonly reader: StoredRecordsReader
  readonly now?: () => number
}): PredictionSubmit {
  const now = options.now ?? Date.now
  const specs = new Map(options.models.map((m) => [m.name, m]))
  const validators = new Map<string, RecordValidator>()
  return async (model, records) => {
    let validator = validators.get(model)
    if (!validator) {
      const spec = specs.get(model)
      if (!spec) throw new Error(`model "${model}" is served but not configured in models:, so its predictions cannot be stored`)
      validators.set(model, (validator = createRecordValidator(spec, { retentionDays: options.retentionDays })))
    }
    const collector = options.collector()
    return ingestRecords('prediction', { model, records, unparsed: new Map() }, { validator, writer: collector.writer, reader: options.reader, metrics: collector.metrics, attempt: 1, nowMs: now() })
  }
}
