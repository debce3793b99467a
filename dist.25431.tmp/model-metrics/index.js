export { binaryClassificationMetrics, binaryMetricValues } from "./binary-classification.js";
export { multiclassClassificationMetrics, multiclassMetricValues } from "./multiclass-classification.js";
export { regressionMetrics, regressionMetricValues } from "./regression.js";
export { computeBySlice, metricsBySlice } from "./slices.js";
export { calibrationBin, eceOfBins, reliabilityBins } from "./calibration.js";
export { rankingFigures, splitSortedByLabel } from "./ranking.js";
export { METRIC_DIRECTIONS, isBetter, metricDirection } from "./direction.js";
export { assertBinaryLabels, assertFinite, assertSameLength, fillOutcomes, metricValue, notEnoughData, outcomeValues, resolveMinRows, undefinedMetric, } from "./outcome.js";
export { CLASSIFICATION_METRICS, DEFAULT_ECE_BINS, DEFAULT_THRESHOLD, FLOAT64_EPS, MULTICLASS_METRICS, PROBABILITY_SUM_TOLERANCE, REGRESSION_METRICS, } from "./const.js";
//# sourceMappingURL=index.js.map