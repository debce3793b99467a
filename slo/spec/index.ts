export { loadSloDirectory, parseSloSources } from './load.ts'
export { validateSloCommand, SLO_VALIDATE_HELP } from './validate-command.ts'
export type { CommandOutput, ValidateSloOptions } from './validate-command.ts'
export { formatSpecError } from './issues.ts'
export { parseDurationShorthand, parseFixedDuration, formatDurationSeconds } from './duration.ts'
export type { DurationShorthand, DurationUnit, FixedDurationResult } from './duration.ts'
export { checkTimeZone, checkStartTime } from './time-zone.ts'
export type { CheckResult } from './time-zone.ts'
export {
  alertConditionSpecSchema,
  alertNotificationTargetSpecSchema,
  alertPolicySpecSchema,
  dataSourceSpecSchema,
  metadataSchema,
  objectNameSchema,
  serviceSpecSchema,
  sliSpecSchema,
  sloSpecSchema,
} from './schema.ts'
export {
  ANNOTATION_PREFIX,
  ANNOTATIONS,
  BUDGETING_METHODS,
  DEFAULT_MIN_EVENTS,
  DEFAULT_UNFREEZE_ABOVE,
  DEFAULT_WILSON_CONFIDENCE,
  HIGHWAY_MEASURE_FORMS,
  HIGHWAY_MEASURES,
  HIGHWAY_SELECTS,
  OPENSLO_API_VERSION,
  OPERATORS,
  SHORT_WINDOW_DIVISOR,
  SOURCE_TYPES,
  SPEC_KINDS,
} from './const.ts'
export type {
  AlertSeverity,
  BudgetingMethod,
  BurnRateTier,
  ClickHouseQuery,
  EventQuery,
  HighwayEventQuery,
  HighwayEventSelection,
  HighwayMeasure,
  HighwayMeasureName,
  HighwayMeasureQuery,
  HighwaySelect,
  LoadSloOptions,
  LoadSloResult,
  MeasureQuery,
  Operator,
  PerformanceMetric,
  PrometheusQuery,
  RatioSli,
  ResolvedAlerting,
  ResolvedDataSource,
  ResolvedObjective,
  ResolvedSli,
  ResolvedSlo,
  ResolvedSource,
  ResolvedWindow,
  SloSourceFile,
  SourceType,
  SpecError,
  SpecKind,
  SpecModel,
  SpecRule,
  ThresholdSli,
} from './types.ts'
