/**
 * Every metric is computed once, as a MetricOutcome: a value, or the reason there is none (never NaN). The
 * analyzer reports outcomes of production windows; training reports the same outcomes flattened to
 * `number | null` (null survives JSON, NaN does not). Metric names are snake_case because they travel in
 * reports, the registry and SLO specs as they are.
 */

/** Metrics of a binary classifier. */
export type ClassificationMetric = 'accuracy' | 'precision' | 'recall' | 'f1' | 'roc_auc' | 'pr_auc' | 'log_loss' | 'brier' | 'ece'

/** Metrics of a multiclass classifier: macro averages, and the probabilistic ones when scores are given. */
export type MulticlassMetric = 'accuracy' | 'precision' | 'recall' | 'f1' | 'log_loss' | 'roc_auc'

/** Multiclass outcomes: log_loss and roc_auc are present only when scores were given. */
export type MulticlassMetrics = Record<'accuracy' | 'precision' | 'recall' | 'f1', MetricOutcome> & Partial<Record<'log_loss' | 'roc_auc', MetricOutcome>>

/** Metrics of a regressor. */
export type RegressionMetric = 'mae' | 'rmse' | 'mape' | 'r2'

/** Why a metric has no value: too few rows, or a value the data cannot define (one class, no predicted positive). */
export type MetricFailureReason = 'not_enough_data' | 'undefined_metric'

/** A metric that could not be computed, with a sentence saying why. */
export interface MetricFailure {
  readonly ok: false
  readonly reason: MetricFailureReason
  readonly detail: string
}

/** A metric value, or the reason there is none; never NaN. */
export type MetricOutcome = { readonly ok: true; readonly value: number } | MetricFailure

/** Labels and scores of a binary classifier over one window or evaluation set. */
export interface BinaryClassificationInput {
  /** 0 or 1 per row. */
  readonly labels: ArrayLike<number>
  /** Probability of class 1 per row. */
  readonly scores: ArrayLike<number>
  /** A row is predicted positive when `score >= threshold`; 0.5 by default. */
  readonly threshold?: number
  /** Windows with fewer rows are `not_enough_data` for every metric; 1 by default. */
  readonly minRows?: number
  /** Equal-width bins for the expected calibration error; 10 by default. */
  readonly eceBins?: number
}

/** Labels, predicted classes and (optionally) class probabilities over one window. */
export interface MulticlassClassificationInput {
  readonly labels: readonly string[]
  readonly predicted: readonly string[]
  /** Probability per class per row; a class missing from a row counts as 0. */
  readonly scores?: ReadonlyArray<Readonly<Record<string, number>>>
  /** Windows with fewer rows are `not_enough_data` for every metric; 1 by default. */
  readonly minRows?: number
}

/** Observed and predicted values of a regressor over one window or evaluation set. */
export interface RegressionInput {
  readonly labels: ArrayLike<number>
  readonly predictions: ArrayLike<number>
  /** Windows with fewer rows are `not_enough_data` for every metric; 1 by default. */
  readonly minRows?: number
}

/** Row-major rows × cols probabilities (pipeline/models `predictParams` output). */
export interface ProbabilityMatrix {
  readonly data: ArrayLike<number>
  readonly rows: number
  readonly cols: number
}

/** Options of multiclassMetricValues: class indices and a probability per class per row. */
export interface MulticlassMetricValuesInput {
  /** Class index per row, in [0, classes). */
  readonly labels: ArrayLike<number>
  readonly probabilities: ProbabilityMatrix
}

/** Metrics of one value of a categorical feature, with its row count (the analyzer's slices). */
export interface SliceMetrics<M extends string> {
  readonly value: string
  readonly n: number
  readonly metrics: Record<M, MetricOutcome>
}

/** The caller's result for one value of a categorical feature, with its row count (the training report's slices). */
export interface SliceResult<M> {
  readonly value: string
  readonly count: number
  readonly metrics: M
}

/** Figures of a binary classifier over one evaluation set: the outcomes as `number | null`, with the row counts. */
export interface BinaryMetricValues {
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
export interface MulticlassMetricValues {
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
export interface RegressionMetricValues {
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

/** Whether a larger value of a metric is better. */
export type MetricDirection = 'higher' | 'lower'
