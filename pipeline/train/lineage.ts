import { z } from 'zod'
import { dataSourceSchema } from './source.ts'

/**
 * What `highway train` records as a version's `parameters`: everything needed to train it again — the model's
 * schema and training block as they were (parsed again with the config's schema), the data source, the chosen
 * hyperparameters and the seed of the final fit, the classes, how the split fell, the training search run, and
 * the sha256 of the training set's profile (pipeline/data `DatasetProfile`, stored as a JSON artifact next to the
 * ONNX file) that the next training's shift gates compare against.
 */
export const lineageSchema = z
  .object({
    lineageVersion: z.literal(1),
    algorithm: z.enum(['logistic', 'ridge', 'mlp']),
    hyperparameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
    seed: z.number().int(),
    target: z.string(),
    classes: z.array(z.string()).nullable(),
    source: dataSourceSchema,
    /** `{ name, task, features, training }` of the model as trained (config input form). */
    spec: z.record(z.string(), z.unknown()),
    split: z.object({ method: z.enum(['time', 'stratified']), validationFromMs: z.number().nullable(), holdoutFromMs: z.number().nullable() }).strict(),
    profileSha256: z.string().regex(/^[0-9a-f]{64}$/),
    trainedAtMs: z.number().int(),
  })
  .strict()

/** A version's recorded lineage. */
export type Lineage = z.infer<typeof lineageSchema>
