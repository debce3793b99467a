import type { FeatureRecord, FeatureValue } from '../data/index.ts'

/** A row as featurisation accepts it: raw features, or a pipeline row carrying them under `features`. */
export type RowLike = FeatureRecord | { readonly features: FeatureRecord }

/** The raw features of a row (a feature value is never an object, so a `features` object means a pipeline row). */
export function featuresOf(row: RowLike): Readonly<Record<string, FeatureValue | undefined>> {
  const inner = (row as { features?: unknown }).features
  return inner !== null && typeof inner === 'object' ? (inner as FeatureRecord) : (row as FeatureRecord)
}
