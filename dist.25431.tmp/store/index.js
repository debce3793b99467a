export { openStore, createStore } from "./client.js";
export { StoreError, toStoreError } from "./errors.js";
export { MIGRATIONS, allStatements, applyMigrations } from "./migrations.js";
export { tableName } from "./ddl.js";
export { LATENCY_BUCKETS_MS, LATENCY_QUANTILES } from "./schema.js";
export { encodePrediction, encodeLabel, encodeQuarantine } from "./rows.js";
export { createIngestWriter, readModelCounts, findStoredRecords } from "./ingest-writer.js";
export { SKETCH_SQL, sketchKeyExpr, PREDICTION_FEATURE, PREDICTION_CLASS_FEATURE } from "./analysis-schema.js";
export { countWindow, numericProfiles, categoryCounts, sampleNumeric, sampleNumericRows, sampleText, textPresence, labelledWindow, copyWindowToReference, insertReferenceRows, readReferenceSample, saveReferenceSet, latestReference, qualityFacts, saveAnalysisResult, latestAnalysisResult, createAnalysisStore, splitWindow, } from "./analysis-queries.js";
export { readRollups, savedResultsEndingIn, clickhouseCount, insertPolicyTransition, latestPolicyStates, policyTransitions, UnsupportedSelectionError, } from "./slo-queries.js";
export { maxModelVersion, claimModelVersion, insertModelVersion, readModelVersion, listModelVersions, listRegisteredModels, nextAliasTimestampUs, insertAliasMove, readAliasHistory, readCurrentAliases, readAliasEverywhere, insertTrainingRuns, readTrainingRuns, insertReleaseEvent, readReleaseEvents, readUnfinishedReleases, insertAudit, readAudit, readVersionWindowFacts, insertRegistryOutcome, readRegistryOutcomes, readUnwrittenClaims, } from "./registry-queries.js";
export { labelledTrainingRows } from "./training-queries.js";
//# sourceMappingURL=index.js.map