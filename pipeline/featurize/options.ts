import { z } from 'zod'

/** Text options as read from a file or flag (see `TextOptions` in tfidf.ts for their meaning). */
export const textOptionsSchema = z
  .object({
    ngrams: z.union([z.literal(1), z.literal(2)]).optional(),
    minDf: z
      .number()
      .positive()
      .refine((v) => v < 1 || Number.isInteger(v), { message: 'must be an integer count ≥ 1 or a share in (0, 1)' })
      .optional(),
    maxFeatures: z.number().int().min(1).optional(),
    sublinearTf: z.boolean().optional(),
  })
  .strict()

const featureOptionsShape = {
  /** Missing numbers become the training mean (default) or median. */
  numericImpute: z.enum(['mean', 'median']).optional(),
  /** Keep at most this many categories of a one-hot feature, the most frequent first; the rest encode as all zeros. */
  maxCategories: z.number().int().min(1).optional(),
  text: textOptionsSchema.optional(),
}

/** Options of one feature, overriding the defaults. */
export const featureFitOptionsSchema = z.object(featureOptionsShape).strict()

/** Options of `fitPreprocessor`: defaults for every feature, per-feature overrides, and features to leave out. */
export const fitOptionsSchema = z
  .object({
    ...featureOptionsShape,
    features: z.record(z.string(), featureFitOptionsSchema).optional(),
    exclude: z.array(z.string()).optional(),
  })
  .strict()

/** Options of one feature's fit. */
export type FeatureFitOptions = z.infer<typeof featureFitOptionsSchema>
/** Options of `fitPreprocessor`. */
export type FitOptions = z.infer<typeof fitOptionsSchema>
