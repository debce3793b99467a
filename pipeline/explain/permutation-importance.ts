import type { MetricDirection } from '../../model-metrics/index.ts'
import { createSeededRandom, shuffleInPlace } from '../../random/index.ts'

/** Options of permutationImportance. */
export interface PermutationImportanceOptions<R extends Readonly<Record<string, unknown>>, P> {
  /** Raw rows (before preprocessing), aligned with the labels that `score` closes over. */
  readonly rows: readonly R[]
  /** The raw features to permute, one at a time. */
  readonly features: readonly string[]
  /** The whole model, raw rows in (preprocessing included, e.g. an ONNX session). */
  readonly predict: (rows: readonly R[]) => P | Promise<P>
  /** The metric of predictions for `rows` in their order (labels fixed), e.g. ROC AUC or RMSE. */
  readonly score: (predictions: P) => number
  readonly direction: MetricDirection
  /** Shuffles per feature; 5 by default (sklearn's n_repeats). */
  readonly repeats?: number
  readonly seed?: number
}

/** How much the metric worsens when one feature's values are shuffled across rows. */
export interface FeatureImportance {
  readonly feature: string
  /** Mean worsening over repeats: positive = the model relies on the feature. */
  readonly mean: number
  /** Population standard deviation over repeats (ddof 0, as sklearn). */
  readonly std: number
  readonly values: readonly number[]
}

/**
 * Permutation feature importance (Breiman 2001; Fisher, Rudin & Dominici 2019; sklearn's
 * `permutation_importance`): the baseline metric minus the metric after shuffling one raw feature's column
 * across rows, repeated with seeded shuffles; signed so that positive always means "worse without it" whatever
 * the metric's direction. Works for any model given `predict`. Sorted by decreasing mean.
 */
export async function permutationImportance<R extends Readonly<Record<string, unknown>>, P>(options: PermutationImportanceOptions<R, P>): Promise<{ baseline: number; importances: FeatureImportance[] }> {
  const { rows, features } = options
  const repeats = options.repeats ?? 5
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`repeats must be a positive integer, got ${repeats}`)
  if (rows.length < 2) throw new RangeError(`permutation importance needs at least 2 rows, got ${rows.length}`)
  const random = createSeededRandom(options.seed ?? 0)
  const baseline = options.score(await options.predict(rows))
  if (!Number.isFinite(baseline)) throw new RangeError(`the metric of the unshuffled rows is ${baseline}; it must be finite`)
  const sign = options.direction === 'higher' ? 1 : -1
  const order = new Int32Array(rows.length)
  const importances: FeatureImportance[] = []
  for (const feature of features) {
    const values: number[] = []
    for (let r = 0; r < repeats; r++) {
      for (let i = 0; i < order.length; i++) order[i] = i
      shuffleInPlace(order, random)
      const permuted = rows.map((row, i) => ({ ...row, [feature]: (rows[order[i] as number] as R)[feature] }) as R)
      values.push(sign * (baseline - options.score(await options.predict(permuted))))
    }
    const mean = values.reduce((a, b) => a + b, 0) / repeats
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / repeats)
    importances.push({ feature, mean, std, values })
  }
  importances.sort((a, b) => b.mean - a.mean)
  return { baseline, importances }
}
