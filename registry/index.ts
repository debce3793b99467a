export { createRegistry, currentGitCommit, processOwner, ownerRunsHere } from './registry.ts'
export type { Registry, RegistryOptions, RegisterOptions, TrainingOutcome, RecoveryReport, RecoveryOptions } from './registry.ts'
export { createArtifactStore, sha256Hex, ArtifactCorruptError, ArtifactMissingError } from './artifact-store.ts'
export type { ArtifactStore } from './artifact-store.ts'
export { RegistryError, registrationSchema, trainingRunSchema, aliasNameSchema, modelNameSchema } from './types.ts'
export type { RegisteredVersion, RegistrationInput, TrainingRunInput, TrainingTrial, AliasState, RegistryErrorCode } from './types.ts'
export {
  registryRoutes,
  guard,
  registryErrorToAppError,
  assertConfigured,
  aliasJson,
  modelParams,
  versionSchema,
  aliasMoveSchema,
  visibleAudit,
  MAX_ARTIFACT_BYTES,
  MAX_JSON_ARTIFACT_BYTES,
  REGISTRATION_HEADER,
} from './routes.ts'
export type { RegistryRoutesOptions } from './routes.ts'
