import type { FeatureTransform, Preprocessor } from '../../contract/index.ts'

/** Where one raw feature's columns sit in the preprocessed vector, and their names. */
export interface FeatureSpan {
  readonly feature: string
  readonly kind: FeatureTransform['kind']
  /** Index of the feature's first column. */
  readonly offset: number
  readonly width: number
  readonly columns: string[]
}

/** Columns of one transform: `name` (numeric, boolean), `name=category` (one-hot), `name:term` (text). */
function transformColumns(t: FeatureTransform): string[] {
  switch (t.kind) {
    case 'numeric':
    case 'boolean':
      return [t.name]
    case 'onehot':
      return t.categories.map((c) => `${t.name}=${c}`)
    case 'text':
      return t.vocabulary.map((term) => `${t.name}:${term}`)
  }
}

/** Each raw feature's span of columns in the preprocessed vector, in vector order: what per-feature explanations sum over. */
export function featureSpans(preprocessor: Preprocessor): FeatureSpan[] {
  let offset = 0
  return preprocessor.features.map((t) => {
    const columns = transformColumns(t)
    const span = { feature: t.name, kind: t.kind, offset, width: columns.length, columns }
    offset += columns.length
    return span
  })
}

/** Width of the preprocessed vector. */
export function vectorWidth(preprocessor: Preprocessor): number {
  return featureSpans(preprocessor).reduce((w, s) => w + s.width, 0)
}

/** A name per column of the preprocessed vector, in order. */
export function columnNames(preprocessor: Preprocessor): string[] {
  return featureSpans(preprocessor).flatMap((s) => s.columns)
}

/** The raw feature each column of the preprocessed vector comes from, in order (the column → feature map). */
export function columnFeatures(preprocessor: Preprocessor): string[] {
  return featureSpans(preprocessor).flatMap((s) => s.columns.map(() => s.feature))
}
