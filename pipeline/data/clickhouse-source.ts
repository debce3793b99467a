import type { FeatureSpec, Task } from '../../config/index.ts'
import { labelledTrainingRows, type Store, type TrainingRowsQuery } from '../../store/index.ts'
import { datasetVersion } from './dataset-version.ts'
import type { LoadedDataset } from './load-dataset.ts'
import type { DataRow, FeatureRecord, InvalidRow } from './types.ts'
import { previewValue, validateFeatures } from './validate.ts'

/** Which stored predictions to train on (see store `TrainingRowsQuery`). */
export type LabelledRowsQuery = Omit<TrainingRowsQuery, 'model'>

/**
 * Reads a model's stored predictions joined to their labels over a time window, ordered by time, as training rows:
 * features typed back from the store's maps by the schema (booleans are kept as 1/0 there), the label as the
 * target (a class name for classification: the label's class, or "0"/"1"; a number for regression), `ts` the
 * prediction's time. Rows are checked against the schema as it is now (it may have changed since ingest);
 * rows that break it are reported, not dropped silently.
 */
export async function readLabelledRows(
  store: Store,
  schema: { readonly name: string; readonly task: Task; readonly features: Readonly<Record<string, FeatureSpec>> },
  query: LabelledRowsQuery,
): Promise<LoadedDataset> {
  const stored = await labelledTrainingRows(store, { ...query, model: schema.name })
  const rows: DataRow[] = []
  const invalid: InvalidRow[] = []
  stored.forEach((s, i) => {
    const row = i + 1
    const features: FeatureRecord = {}
    for (const [name, spec] of Object.entries(schema.features)) {
      switch (spec.type) {
        case 'number':
          features[name] = s.numFeatures[name] ?? null
          break
        case 'boolean': {
          const v = s.numFeatures[name]
          features[name] = v === undefined ? null : v === 1 ? true : v === 0 ? false : v
          break
        }
        case 'category':
          features[name] = s.strFeatures[name] ?? null
          break
        case 'text':
          features[name] = s.textFeatures[name] ?? null
          break
      }
    }
    const problems: InvalidRow[] = validateFeatures(schema.features, features).map((p) => ({ row, ...p, message: `prediction ${s.id}: ${p.message}` }))
    let target: string | number | null = null
    if (schema.task === 'regression') {
      if (s.label !== null && Number.isFinite(s.label)) target = s.label
      else problems.push({ row, field: 'label', rule: 'type', value: previewValue(s.labelClass || s.label), message: `prediction ${s.id}: label: must be a finite number for regression, got ${previewValue(s.labelClass || s.label)}` })
    } else if (s.labelClass !== '') target = s.labelClass
    else if (s.label !== null && Number.isInteger(s.label) && s.label >= 0) target = String(s.label)
    else problems.push({ row, field: 'label', rule: 'type', value: previewValue(s.label), message: `prediction ${s.id}: label: must be a class name or index, got ${previewValue(s.label)}` })
    if (problems.length > 0 || target === null) invalid.push(...problems)
    else rows.push({ features, target, ts: s.tsMs })
  })
  return { rows, invalid, total: stored.length, source: `clickhouse:${schema.name}`, format: 'clickhouse', version: datasetVersion(rows) }
}
