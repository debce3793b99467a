/**
 * Metric values are plain numbers, or null where the data cannot define the metric (ROC AUC with one class,
 * precision with no predicted positive, …): null survives JSON, NaN does not. Field names are snake_case, as the
 * analyzer's metric names, because they travel in reports and the registry as they are.
 */

/** Figures of a binary classifier over one evaluation set. */
export interface BinaryMetrics {
  readonly rows: number
  readonly positives: number
  readonly accuracy: number | null
  readonly precision: number | null
  readonly recall: number | null
  readonly f1: number | null
  readonly roc_auc: number | null
  readonly pr_auc: number | null
  readonly log_loss: number | null
  readonly brier: number | null
  readonly ece: number | null
}

/** Figures of a multiclass classifier; precision, recall and F1 are macro averages, ROC AUC one-vs-rest macro. */
export interface MulticlassMetrics {
  readonly rows: number
  readonly accuracy: number | null
  readonly precision: number | null
  readonly recall: number | null
  readonly f1: number | null
  readonly roc_auc: number | null
  readonly log_loss: number | null
  readonly brier: number | null
}

/** Figures of a regressor. */
export interface RegressionMetrics {
  readonly rows: number
  readonly mae: number | null
  readonly rmse: number | null
  readonly mape: number | null
  readonly r2: number | null
}

/** One equal-width bin of a reliability diagram: scores in [lower, upper) (the last bin includes 1). */
export interface ReliabilityBin {
  readonly lower: number
  readonly upper: number
  readonly count: number
  /** Mean score in the bin; null when empty. */
  readonly meanScore: number | null
  /** Share of positives in the bin; null when empty. */
  readonly fractionPositive: number | null
}

/** Metrics of one value of a categorical feature, with its row count. */
export interface SliceMetrics<M> {
  readonly value: string
  readonly count: number
  readonly metrics: M
}

/** Whether a larger value of a metric is better. */
export type MetricDirection = 'higher' | 'lower'
