export { openStore, createStore } from './client.ts'
export type { EncodedInsert, Store, StoreOptions } from './client.ts'
export { StoreError, toStoreError } from './errors.ts'
export type { StoreErrorCode } from './errors.ts'
export { MIGRATIONS, allStatements, applyMigrations } from './migrations.ts'
export type { Migration } from './migrations.ts'
export type { DdlContext } from './ddl.ts'
export { tableName } from './ddl.ts'
export { LATENCY_BUCKETS_MS, LATENCY_QUANTILES } from './schema.ts'
export { encodePrediction, encodeLabel, encodeQuarantine } from './rows.ts'
export type { PredictionRow, LabelRow, QuarantineRow, IngestTable } from './rows.ts'
export { createIngestWriter, readModelCounts, findStoredRecords } from './ingest-writer.ts'
export type { IngestWriter, ModelCounts } from './ingest-writer.ts'
export { SKETCH_SQL, sketchKeyExpr, PREDICTION_FEATURE, PREDICTION_CLASS_FEATURE } from './analysis-schema.ts'
export {
  countWindow,
  numericProfiles,
  categoryCounts,
  sampleNumeric,
  sampleNumericRows,
  sampleText,
  textPresence,
  labelledWindow,
  copyWindowToReference,
  insertReferenceRows,
  readReferenceSample,
  saveReferenceSet,
  latestReference,
  qualityFacts,
  saveAnalysisResult,
  latestAnalysisResult,
  createAnalysisStore,
  splitWindow,
} from './analysis-queries.ts'
export type { WindowQuery, NumericWindowProfile, LabelledWindow, ReferenceSample, ReferenceSet, QualityFacts, ReferenceRowInput, SavedAnalysisResult } from './analysis-queries.ts'
export {
  readRollups,
  savedResultsEndingIn,
  clickhouseCount,
  insertPolicyTransition,
  latestPolicyStates,
  policyTransitions,
  UnsupportedSelectionError,
} from './slo-queries.ts'
export { isLatencyBucket, latencyViewDdl, prepareLatencyThresholds, readLatencyThresholds } from './slo-latency.ts'
export type { LatencyThresholdState, LatencyThresholdsPrepared } from './slo-latency.ts'
export type { CountedThreshold } from './slo-schema.ts'
export type { RollupSelection, RollupTarget, RollupGrid, RollupNeed, RollupAnswer, SavedResult, PolicyTransition } from './slo-queries.ts'
export {
  maxModelVersion,
  claimModelVersion,
  insertModelVersion,
  readModelVersion,
  listModelVersions,
  listRegisteredModels,
  nextAliasTimestampUs,
  insertAliasMove,
  readAliasHistory,
  readCurrentAliases,
  readAliasEverywhere,
  insertTrainingRuns,
  readTrainingRuns,
  insertReleaseEvent,
  readReleaseEvents,
  readUnfinishedReleases,
  readVersionWindowFacts,
  insertRegistryOutcome,
  readRegistryOutcomes,
  readUnwrittenClaims,
} from './registry-queries.ts'
export type { VersionRow, AliasMove, TrainingRunRow, ReleaseEventRow, VersionWindowFacts, RegistryOutcomeRow } from './registry-queries.ts'
export { labelledTrainingRows } from './training-queries.ts'
export type { TrainingRowsQuery, StoredLabelledRow } from './training-queries.ts'
