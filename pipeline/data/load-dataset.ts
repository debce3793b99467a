import type { FeatureSpec, Task } from '../../config/index.ts'
import { datasetVersion } from './dataset-version.ts'
import { readTable, type TableFormat, type TableOptions } from './read-table.ts'
import { toDataRows, type RowMapping, type TypedRows } from './typed-rows.ts'

/** Where the table is and how its columns map to the model. */
export type LoadDatasetOptions = TableOptions & RowMapping

/** A dataset read from a file: valid typed rows, refused rows with reasons, and the version of the valid rows. */
export interface LoadedDataset extends TypedRows {
  readonly source: string
  readonly format: TableFormat | 'clickhouse'
  /** sha256 of the valid rows' canonical form (see dataset-version.ts). */
  readonly version: string
}

/** Reads a CSV, TSV or NDJSON file as a model's training rows: typed, validated against its schema, versioned. */
export async function loadDataset(
  path: string,
  schema: { readonly task: Task; readonly features: Readonly<Record<string, FeatureSpec>> },
  options: LoadDatasetOptions,
): Promise<LoadedDataset> {
  const table = await readTable(path, options)
  for (const column of [options.target, ...(typeof options.time === 'string' ? [options.time] : [])]) {
    if (table.columns && !table.columns.includes(column)) throw new Error(`${path}: has no column ${JSON.stringify(column)} (columns: ${table.columns.join(', ')})`)
  }
  if (table.columns) {
    // An optional feature may be absent from a file (all missing); a required one may not.
    for (const [name, spec] of Object.entries(schema.features)) {
      const column = options.featureColumns?.[name] ?? name
      if (spec.required && !table.columns.includes(column)) throw new Error(`${path}: has no column ${JSON.stringify(column)} for feature ${name} (columns: ${table.columns.join(', ')})`)
    }
  }
  const typed = toDataRows(schema, table, options)
  return { ...typed, source: path, format: table.format, version: datasetVersion(typed.rows) }
}
