import type { ModelParams, Preprocessor } from '../../contract/index.ts'
import { columnFeatures, transformRows, type RowLike } from '../featurize/index.ts'
import { explainLinear } from './linear-contributions.ts'

/**
 * The per-prediction explainer a served version carries: raw records → contributions per raw feature (on the
 * model's prediction for linear models, on the log-odds of the positive or predicted class for logistic ones).
 * Numeric columns are standardised by the preprocessor, so a contribution is relative to the training mean.
 * Undefined for an MLP, which has no additive decomposition (permutation importance covers it).
 */
export function linearExplainer(preprocessor: Preprocessor, params: ModelParams): ((records: readonly RowLike[]) => Array<Record<string, number>>) | undefined {
  if (params.kind === 'mlp') return undefined
  const features = columnFeatures(preprocessor)
  return (records) => {
    const { matrix, width } = transformRows(preprocessor, records)
    return records.map((_, i) => ({ ...explainLinear({ params, vector: matrix.subarray(i * width, (i + 1) * width), columnFeatures: features }).contributions }))
  }
}
