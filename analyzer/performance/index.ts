export { fitIsotonic, applyIsotonic } from './isotonic.ts'
export { needsCalibration } from './calibration.ts'
export { fitCbpe, estimateCbpe } from './cbpe.ts'
export { assessWindow, joinLabelsById } from './window.ts'
export type { JoinedLabels } from './window.ts'
export { CBPE_METRICS, DEFAULT_REFERENCE_CHUNKS, SAMPLING_ERROR_RANGE } from './const.ts'
export type {
  CalibrationDecision,
  CbpeComparison,
  CbpeEstimate,
  CbpeFitInput,
  CbpeMetric,
  CbpeModel,
  CbpeOutcome,
  CbpeReference,
  IsotonicMap,
  WindowPerformance,
} from './types.ts'
