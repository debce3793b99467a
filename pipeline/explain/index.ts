export { explainLinear } from './linear-contributions.ts'
export type { LinearExplanation, LinearExplanationOptions } from './linear-contributions.ts'
export { permutationImportance } from './permutation-importance.ts'
export type { FeatureImportance, PermutationImportanceOptions } from './permutation-importance.ts'
