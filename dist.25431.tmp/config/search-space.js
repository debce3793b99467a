import { z } from 'zod';
const paramValueSchema = z.union([z.number(), z.string(), z.boolean()]);
const rangeRefinement = (spec) => spec.min <= spec.max;
/** One hyperparameter's domain: listed values (grid and random), or a range (random only). */
export const paramSpecSchema = z.discriminatedUnion('type', [
    z.object({ type: z.literal('choice'), values: z.array(paramValueSchema).min(1).readonly() }).strict(),
    z.object({ type: z.literal('uniform'), min: z.number(), max: z.number() }).strict().refine(rangeRefinement, { message: 'min must be ≤ max' }),
    z
        .object({ type: z.literal('loguniform'), min: z.number().positive(), max: z.number().positive() })
        .strict()
        .refine(rangeRefinement, { message: 'min must be ≤ max' }),
    z.object({ type: z.literal('int'), min: z.number().int(), max: z.number().int() }).strict().refine(rangeRefinement, { message: 'min must be ≤ max' }),
]);
/** A search space: hyperparameter name → domain (parsed with zod where it comes from a file or a request). */
export const searchSpaceSchema = z.record(z.string().min(1), paramSpecSchema).refine((space) => Object.keys(space).length > 0, { message: 'the search space declares no parameter' });
//# sourceMappingURL=search-space.js.map