import { z } from 'zod';
import { modelParamsSchema, modelSignatureSchema, preprocessorSchema } from "../contract/index.js";
/** Model names as the config accepts them: safe in paths, metric labels and file names. */
export const modelNameSchema = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'must be 1-128 letters, digits, "_", "." or "-", starting with a letter or digit');
/** Alias names: `champion`, `challenger` or any short name. */
export const aliasNameSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'must be 1-64 lower-case letters, digits, "_" or "-", starting with a letter');
/** A release gate's result as the model pipeline reports it (`pipeline/gates`): at least the gate and whether it passed. */
export const gateResultSchema = z.looseObject({ gate: z.string().min(1), passed: z.boolean() });
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
    .strict();
/** One trial of a training run (a plain fit is trial 0). */
export const trainingTrialSchema = z
    .object({
    trialIndex: z.number().int().nonnegative(),
    parameters: z.record(z.string(), z.unknown()).default({}),
    metrics: z.record(z.string(), z.unknown()).default({}),
    seed: z.number().int().default(0),
})
    .strict();
/** A training run: its trials share the data and code they ran on. */
export const trainingRunSchema = z
    .object({
    runId: z.string().min(1).max(128),
    model: modelNameSchema,
    datasetVersion: z.string().max(256).default(''),
    codeVersion: z.string().max(256).default(''),
    trials: z.array(trainingTrialSchema).min(1),
})
    .strict();
/** The registry's one error type. */
export class RegistryError extends Error {
    name = 'RegistryError';
    code;
    constructor(code, message, options) {
        super(message, options);
        this.code = code;
    }
}
//# sourceMappingURL=types.js.map