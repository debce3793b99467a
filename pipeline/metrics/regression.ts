import type { RegressionMetrics } from './types.ts'

/**
 * MAE, RMSE, MAPE and R² of a regressor, as scikit-learn 1.2 except MAPE: mean |y − ŷ| / |y| over the rows
 * whose target is not 0 (sklearn divides by max(|y|, ε) and returns astronomically large values on zero targets,
 * common in count data such as hourly rentals); null when every target is 0. MAPE is a fraction, not a percent.
 * R²: 1 − SS_res/SS_tot; with constant targets 1 if the predictions are exact and 0 otherwise (sklearn's
 * force_finite); null below two rows.
 */
export function regressionMetrics(input: { readonly labels: ArrayLike<number>; readonly predictions: ArrayLike<number> }): RegressionMetrics {
  const { labels, predictions } = input
  if (labels.length !== predictions.length) throw new RangeError(`labels has ${labels.length} values but predictions has ${predictions.length}`)
  const n = labels.length
  let absSum = 0
  let sqSum = 0
  let apeSum = 0
  let apeRows = 0
  let mean = 0
  for (let i = 0; i < n; i++) {
    const y = labels[i] as number
    const f = predictions[i] as number
    if (!Number.isFinite(y)) throw new RangeError(`labels[${i}] is ${y}; targets must be finite`)
    if (!Number.isFinite(f)) throw new RangeError(`predictions[${i}] is ${f}; predictions must be finite`)
    const e = y - f
    absSum += Math.abs(e)
    sqSum += e * e
    if (y !== 0) {
      apeSum += Math.abs(e) / Math.abs(y)
      apeRows++
    }
    mean += y
  }
  mean /= n
  let ssTot = 0
  for (let i = 0; i < n; i++) ssTot += ((labels[i] as number) - mean) ** 2
  let r2: number | null = null
  if (n >= 2) r2 = ssTot > 0 ? 1 - sqSum / ssTot : sqSum === 0 ? 1 : 0
  return {
    rows: n,
    mae: n > 0 ? absSum / n : null,
    rmse: n > 0 ? Math.sqrt(sqSum / n) : null,
    mape: apeRows > 0 ? apeSum / apeRows : null,
    r2,
  }
}
