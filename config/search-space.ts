import { z } from 'zod'

// The search space is a config shape (models[].training.search.space) that pipeline/search walks; it lives with the
// config so the config does not import the pipeline (config is a leaf: every folder reads it).

/** A hyperparameter value. */
export type ParamValue = number | string | boolean

const paramValueSchema = z.union([z.number(), z.string(), z.boolean()])

const rangeRefinement = (spec: { min: number; max: number }): boolean => spec.min <= spec.max

/** One hyperparameter's domain: listed values (grid and random), or a range (random only). */
export const paramSpecSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('choice'), values: z.array(paramValueSchema).min(1).readonly() }).strict(),
  z.object({ type: z.literal('uniform'), min: z.number(), max: z.number() }).strict().refine(rangeRefinement, { message: 'min must be ≤ max' }),
  z
    .object({ type: z.literal('loguniform'), min: z.number().positive(), max: z.number().positive() })
    .strict()
    .refine(rangeRefinement, { message: 'min must be ≤ max' }),
  z.object({ type: z.literal('int'), min: z.number().int(), max: z.number().int() }).strict().refine(rangeRefinement, { message: 'min must be ≤ max' }),
])

/** A search space: hyperparameter name → domain (parsed with zod where it comes from a file or a request). */
export const searchSpaceSchema = z.record(z.string().min(1), paramSpecSchema).refine((space) => Object.keys(space).length > 0, { message: 'the search space declares no parameter' })

/** One hyperparameter's domain. */
export type ParamSpec = z.infer<typeof paramSpecSchema>
/** Hyperparameter name → domain. */
export type SearchSpace = Readonly<Record<string, ParamSpec>>
/** One point of a space. */
export type TrialParams = Readonly<Record<string, ParamValue>>
