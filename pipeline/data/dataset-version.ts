import { createHash } from 'node:crypto'
import type { DataRow, FeatureValue } from './types.ts'

// Canonical form, version 1 (documented in docs/pipeline.md "Data"): one line per row, in row order,
//   {"features":{<features sorted by name, code-point order>},"target":<target>,"ts":<epoch ms or null>}
// with numbers in JavaScript's shortest round-trip form (1.0 and 1 are both `1`, -0 is `0`, NaN is `null`), strings
// as JSON strings (no Unicode normalisation), booleans as true/false. The version is the sha256 (hex) of
// "highway-dataset-v1\n" followed by the lines, each ended by "\n". Row order is part of the data: splits and
// time order depend on it.
const PREFIX = 'highway-dataset-v1\n'

function canonicalValue(v: FeatureValue | undefined): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v === 0 ? 0 : v) : 'null'
  return JSON.stringify(v)
}

/** One row in the canonical serialisation that the dataset version hashes: stable across key order and number spelling. */
export function canonicalRow(row: DataRow): string {
  const names = Object.keys(row.features).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const features = names.map((n) => `${JSON.stringify(n)}:${canonicalValue(row.features[n])}`).join(',')
  return `{"features":{${features}},"target":${canonicalValue(row.target)},"ts":${canonicalValue(row.ts)}}`
}

/** The dataset version: sha256 (hex) of the rows' canonical serialisation, in row order. */
export function datasetVersion(rows: readonly DataRow[]): string {
  const hash = createHash('sha256').update(PREFIX)
  for (const row of rows) hash.update(`${canonicalRow(row)}\n`)
  return hash.digest('hex')
}
