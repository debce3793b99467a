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

/**
 * Saves the training rows, with the trained model's predictions and their labels, as the analyzer's reference set
 * of (model, version): drift and CBPE for the served version then compare live traffic with what the model was
 * trained on. Binary: prediction p(classes[1]) and label 0/1, as serving logs them; multiclass: class names.
 * Returns the reference id.
 */
export async function saveTrainingReference(o: {
  store: Store
  model: ModelSpec
  version: number
  rows: readonly DataRow[]
  /** Model outputs per row: value (regression) or rows × classes probabilities. */
  outputs: Float64Array
  classes: readonly string[] | null
  retentionDays: number
  now: () => number
}): Promise<string> {
  const analyzer = createAnalyzer({ store: createAnalysisStore(o.store), parseReferenceRecord: referenceParser(o.retentionDays), now: o.now })
  const k = o.classes?.length ?? 1
  const records = o.rows.map((row, i) => {
    const features = Object.fromEntries(Object.entries(row.features).filter(([, v]) => v !== null))
    if (o.classes === null) return { id: `train-${i}`, features, prediction: o.outputs[i]!, label: row.target }
    if (o.model.task === 'binary_classification') return { id: `train-${i}`, features, prediction: o.outputs[i * 2 + 1]!, label: String(row.target) === o.classes[1] ? 1 : 0 }
    let best = 0
    for (let c = 1; c < k; c++) if (o.outputs[i * k + c]! > o.outputs[i * k + best]!) best = c
    return { id: `train-${i}`, features, prediction: o.classes[best]!, label: String(row.target) }
  })
  const summary = await analyzer.createReferenceFromRecords(o.model, String(o.version), records)
  return summary.reference_id
}
