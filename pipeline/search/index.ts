export { runSearch } from './search.ts'
export { enumerateGrid, sampleSpace } from './space.ts'
export type { ParamSpec, ParamValue, SearchSpace, TrialParams } from './space.ts'
export type { PrimaryMetric, SearchOptions, SearchResult, Trial, TrialEvaluation } from './search.ts'
