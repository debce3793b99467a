export { binaryClassificationMetrics, binaryMetricValues } from './binary-classification.ts'
export { multiclassClassificationMetrics, multiclassMetricValues } from './multiclass-classification.ts'
export { regressionMetrics, regressionMetricValues } from './regression.ts'
export { computeBySlice, metricsBySlice } from './slices.ts'
export { calibrationBin, eceOfBins, reliabilityBins } from './calibration.ts'
export { rankingFigures, splitSortedByLabel } from './ranking.ts'
export type { RankingFigures } from './ranking.ts'
export { METRIC_DIRECTIONS, isBetter, metricDirection } from './direction.ts'
export {
  assertBinaryLabels,
  assertFinite,
  assertSameLength,
  fillOutcomes,
  metricValue,
  notEnoughData,
  outcomeValues,
  resolveMinRows,
  undefinedMetric,
} from './outcome.ts'
export {
  CLASSIFICATION_METRICS,
  DEFAULT_ECE_BINS,
  DEFAULT_THRESHOLD,
  FLOAT64_EPS,
  MULTICLASS_METRICS,
  PROBABILITY_SUM_TOLERANCE,
  REGRESSION_METRICS,
} from './const.ts'
export type {
  BinaryClassificationInput,
  BinaryMetricValues,
  ClassificationMetric,
  MetricDirection,
  MetricFailure,
  MetricFailureReason,
  MetricOutcome,
  MulticlassClassificationInput,
  MulticlassMetric,
  MulticlassMetricValues,
  MulticlassMetricValuesInput,
  MulticlassMetrics,
  ProbabilityMatrix,
  RegressionInput,
  RegressionMetric,
  RegressionMetricValues,
  ReliabilityBin,
  SliceMetrics,
  SliceResult,
} from './types.ts'
export { CBPE_METRICS } from './const.ts'
export type { CbpeMetric } from './const.ts'
