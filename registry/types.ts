import { z } from 'zod'
import { modelParamsSchema, modelSignatureSchema, preprocessorSchema, type ModelParams, type ModelSignature, type Preprocessor } from '../contract/index.ts'

/** Model names as the config accepts them: safe in paths, metric labels and file names. */
export const modelNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'must be 1-128 letters, digits, "_", "." or "-", starting with a letter or digit')

/** Alias names: `champion`, `challenger` or any short name. */
export const aliasNameSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'must be 1-64 lower-case letters, digits, "_" or "-", starting with a letter')

/** A release gate's result as the model pipeline reports it (`pipeline/gates`): at least the gate and whether it passed. */
export const gateResultSchema = z.looseObject({ gate: z.string().min(1), passed: z.boolean() })

/** Everything a registration records besides the ONNX bytes. */
export const registrationSchema = z
  .object({
    signature: modelSignatureSchema,
    preprocessor: preprocessorSchema.optional(),
    params: modelParamsSchema.optional(),
    dataset: z
      .object({ version: z.string().max(256).default(''), rows: z.record(z.string().min(1).max(64), z.number().int().nonnegative()).default({}) })
      .strict()
      .default({ version: '', rows: {} }),
    /** Git commit of the training code; filled from `git rev-parse HEAD` by callers that can. */
    codeVersion: z.string().max(256).default(''),
    parameters: z.record(z.string(), z.unknown()).default({}),
    metrics: z.record(z.string(), z.unknown()).default({}),
    gates: z.array(gateResultSchema).default([]),
    /** The training data's reference set (analyzer `reference_sets.reference_id`). */
    referenceId: z.string().max(128).default(''),
    trainingRunId: z.string().max(128).default(''),
    description: z.string().max(2000).default(''),
  })
  .strict()

/** Registration metadata as given (defaults filled by the schema). */
export type RegistrationInput = z.input<typeof registrationSchema>

/** A registered version, with its documents parsed back. */
export interface RegisteredVersion {
  readonly model: string
  readonly version: number
  readonly artifact: { readonly sha256: string; readonly bytes: number }
  readonly dataset: { readonly version: string; readonly rows: Readonly<Record<string, number>> }
  readonly codeVersion: string
  readonly parameters: Readonly<Record<string, unknown>>
  readonly metrics: Readonly<Record<string, unknown>>
  readonly gates: ReadonlyArray<z.infer<typeof gateResultSchema>>
  readonly signature: ModelSignature
  readonly preprocessor: Preprocessor | null
  readonly params: ModelParams | null
  readonly referenceId: string
  readonly trainingRunId: string
  readonly description: string
  readonly createdAtMs: number
  readonly createdBy: string
}

/** One trial of a training run (a plain fit is trial 0). */
export const trainingTrialSchema = z
  .object({
    trialIndex: z.number().int().nonnegative(),
    parameters: z.record(z.string(), z.unknown()).default({}),
    metrics: z.record(z.string(), z.unknown()).default({}),
    seed: z.number().int().default(0),
  })
  .strict()

/** A training run: its trials share the data and code they ran on. */
export const trainingRunSchema = z
  .object({
    runId: z.string().min(1).max(128),
    model: modelNameSchema,
    datasetVersion: z.string().max(256).default(''),
    codeVersion: z.string().max(256).default(''),
    trials: z.array(trainingTrialSchema).min(1),
  })
  .strict()

/** A training run as given. */
export type TrainingRunInput = z.input<typeof trainingRunSchema>

/** A training run's trial as read back. */
export interface TrainingTrial {
  readonly runId: string
  readonly model: string
  readonly trialIndex: number
  readonly parameters: Readonly<Record<string, unknown>>
  readonly metrics: Readonly<Record<string, unknown>>
  readonly datasetVersion: string
  readonly codeVersion: string
  readonly seed: number
  readonly createdAtMs: number
}

/** Where an alias points and how it got there. */
export interface AliasState {
  readonly alias: string
  /** 0 when the alias was removed. */
  readonly version: number
  readonly previousVersion: number
  readonly setAtMs: number
  readonly setBy: string
  readonly reason: string
  readonly note: string
}

/** Why a registry call failed, as a closed set the HTTP edge maps to statuses. */
export type RegistryErrorCode = 'not_found' | 'invalid' | 'conflict' | 'corrupt'

/** The registry's one error type. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError'
  readonly code: RegistryErrorCode
  constructor(code: RegistryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}
