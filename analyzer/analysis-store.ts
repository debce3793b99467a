import type {
  LabelledWindow,
  NumericWindowProfile,
  QualityFacts,
  ReferenceRowInput,
  ReferenceSample,
  ReferenceSet,
  SavedAnalysisResult,
  WindowQuery,
} from '../store/index.ts'

/**
 * The storage the analyzer needs, declared here and implemented by `store/` (`createAnalysisStore`): window reads
 * for drift, quality and performance, references, and saved job results. Windows are [fromMs, toMs).
 */
export interface AnalysisStore {
  countWindow(w: WindowQuery): Promise<number>
  numericProfiles(w: WindowQuery): Promise<NumericWindowProfile[]>
  categoryCounts(w: WindowQuery): Promise<Map<string, Map<string, number>>>
  sampleNumeric(w: WindowQuery, feature: string, limit: number): Promise<Float64Array>
  sampleNumericRows(w: WindowQuery, features: readonly string[], limit: number): Promise<number[][]>
  sampleText(w: WindowQuery, feature: string, limit: number): Promise<string[]>
  textPresence(w: WindowQuery): Promise<Map<string, number>>
  labelledWindow(w: WindowQuery, options: { sliceFeatures: readonly string[]; labelsUntilMs: number }): Promise<LabelledWindow>
  qualityFacts(w: WindowQuery, options: { previousWindows: number }): Promise<QualityFacts>
  copyWindowToReference(w: WindowQuery, target: { version: string; referenceId: string; limit: number }): Promise<{ rows: number; sampled: number }>
  insertReferenceRows(rows: readonly ReferenceRowInput[]): Promise<void>
  readReferenceSample(ref: { model: string; version: string; referenceId: string }): Promise<ReferenceSample>
  saveReferenceSet(set: ReferenceSet): Promise<void>
  latestReference(model: string, version: string): Promise<ReferenceSet | undefined>
  /** Idempotent per (job, model, version, window): a rerun replaces. */
  saveAnalysisResult(r: Omit<SavedAnalysisResult, 'result'> & { result: unknown }): Promise<void>
  latestAnalysisResult(q: { job: string; model: string; version: string }): Promise<SavedAnalysisResult | undefined>
}

export type { LabelledWindow, NumericWindowProfile, QualityFacts, ReferenceRowInput, ReferenceSample, ReferenceSet, SavedAnalysisResult, WindowQuery }
