import { createAnalyzer, type ReferenceRecordParser } from '../../analyzer/index.ts'
import { createRecordValidator, type RecordValidator } from '../../collector/index.ts'
import type { ModelSpec } from '../../config/index.ts'
import { createAnalysisStore, type Store } from '../../store/index.ts'
import type { DataRow } from '../data/index.ts'

/**
 * The collector's validators as the analyzer's reference parser (the same rule `highway start` wires in
 * cli/service.ts): a reference record is a prediction record with an optional label; its time is the reference's
 * creation, as a training set is older than the live retention.
 */
function referenceParser(retentionDays: number): ReferenceRecordParser {
  let cached: RecordValidator | undefined
  return (model, record, nowMs) => {
    const validator = cached?.model === model ? cached : (cached = createRecordValidator(model, { retentionDays }))
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return { ok: false, errors: ['(record): must be a JSON object'] }
    const { label, ...prediction } = record as Record<string, unknown>
    const checked = validator.prediction({ ...prediction, ts: undefined }, nowMs)
    if (!checked.ok) return { ok: false, errors: checked.errors }
    if (label === undefined || label === null) return { ok: true, value: { row: checked.row, label: null, labelClass: '' } }
    const l = validator.label({ id: checked.row.id, label }, nowMs)
    if (!l.ok) return { ok: false, errors: l.errors }
    return { ok: true, value: { row: checked.row, label: l.row.label, labelClass: l.row.labelClass } }
  }
}

/** What a training reference is built from: the fit rows, the trained model's outputs on them, and the classes. */
export interface TrainingReferenceInput {
  readonly model: ModelSpec
  readonly rows: readonly DataRow[]
  /** Model outputs per row: value (regression) or rows × classes probabilities. */
  readonly outputs: Float64Array
  readonly classes: readonly string[] | null
}

/**
 * The training rows as reference records (prediction records with their labels): binary — prediction
 * p(classes[1]) and label 0/1, as serving logs them; multiclass — class names; regression — values.
 */
export function trainingReferenceRecords(o: TrainingReferenceInput): Array<{ id: string; features: Record<string, unknown>; prediction: number | string; label: unknown }> {
  const k = o.classes?.length ?? 1
  return o.rows.map((row, i) => {
    const features = Object.fromEntries(Object.entries(row.features).filter(([, v]) => v !== null))
    if (o.classes === null) return { id: `train-${i}`, features, prediction: o.outputs[i]!, label: row.target }
    if (o.model.task === 'binary_classification') return { id: `train-${i}`, features, prediction: o.outputs[i * 2 + 1]!, label: String(row.target) === o.classes[1] ? 1 : 0 }
    let best = 0
    for (let c = 1; c < k; c++) if (o.outputs[i * k + c]! > o.outputs[i * k + best]!) best = c
    return { id: `train-${i}`, features, prediction: o.classes[best]!, label: String(row.target) }
  })
}

/** Saves reference records as the analyzer's reference set of (model, version); returns the reference id. */
export function createReferenceSaver(o: { store: Store; models: readonly ModelSpec[]; retentionDays: number; now?: () => number }): (model: string, version: number, records: readonly unknown[]) => Promise<string> {
  const analyzer = createAnalyzer({ store: createAnalysisStore(o.store), parseReferenceRecord: referenceParser(o.retentionDays), ...(o.now ? { now: o.now } : {}) })
  const specs = new Map(o.models.map((m) => [m.name, m]))
  return async (model, version, records) => {
    const spec = specs.get(model)
    if (!spec) throw new Error(`model "${model}" is not configured`)
    return (await analyzer.createReferenceFromRecords(spec, String(version), [...records])).reference_id
  }
}

/**
 * Saves the training rows, with the trained model's predictions and their labels, as the analyzer's reference set
 * of (model, version): drift and CBPE for the served version then compare live traffic with what the model was
 * trained on. Returns the reference id.
 */
export async function saveTrainingReference(o: TrainingReferenceInput & { store: Store; version: number; retentionDays: number; now: () => number }): Promise<string> {
  return createReferenceSaver({ store: o.store, models: [o.model], retentionDays: o.retentionDays, now: o.now })(o.model.name, o.version, trainingReferenceRecords(o))
}
