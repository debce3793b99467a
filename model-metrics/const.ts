import type { ClassificationMetric, MulticlassMetric, RegressionMetric } from './types.ts'

/** Binary metrics in report order. */
export const CLASSIFICATION_METRICS: readonly ClassificationMetric[] = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'pr_auc', 'log_loss', 'brier', 'ece']

/** Multiclass metrics in report order. */
export const MULTICLASS_METRICS: readonly MulticlassMetric[] = ['accuracy', 'precision', 'recall', 'f1', 'log_loss', 'roc_auc']

/** Regression metrics in report order. */
export const REGRESSION_METRICS: readonly RegressionMetric[] = ['mae', 'rmse', 'mape', 'r2']

/** Decision threshold on the probability of class 1 (NannyML and sklearn `predict` use 0.5). */
export const DEFAULT_THRESHOLD = 0.5

/** Equal-width bins of the expected calibration error (Guo et al. 2017, "On Calibration of Modern Neural Networks", use 15; 10 is the common default, as sklearn's calibration_curve). */
export const DEFAULT_ECE_BINS = 10

/** float64 machine epsilon, 2^-52: sklearn 1.2 `log_loss(eps='auto')` clips to [eps, 1 − eps] and MAPE divides by max(|y|, eps). */
export const FLOAT64_EPS = 2 ** -52

/** sklearn multiclass ROC AUC requires rows to sum to 1 as `np.allclose` does: |1 − sum| ≤ atol + rtol·|sum|. */
export const PROBABILITY_SUM_TOLERANCE = { rtol: 1e-5, atol: 1e-8 } as const

/** The binary metrics CBPE estimates without labels (analyzer/performance); SLOs name them too. */
export type CbpeMetric = 'accuracy' | 'precision' | 'recall' | 'f1' | 'roc_auc'

/** Every metric CBPE estimates, in report order. */
export const CBPE_METRICS: readonly CbpeMetric[] = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc']
