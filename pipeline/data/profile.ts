import { z } from 'zod'
import type { FeatureSpec } from '../../config/index.ts'
import type { DataRow } from './types.ts'

const count = z.number().int().min(0)

/** One feature's summary in a training set's profile. */
export const featureProfileSchema = z.discriminatedUnion('type', [
  /** `sample`: up to `sampleSize` values at evenly spaced ranks of the sorted column (a quantile sketch). */
  z.object({ type: z.literal('number'), count, missing: count, min: z.number().nullable(), max: z.number().nullable(), sample: z.array(z.number()) }).strict(),
  z.object({ type: z.literal('boolean'), count, missing: count, counts: z.record(z.enum(['true', 'false']), count) }).strict(),
  z.object({ type: z.literal('category'), count, missing: count, counts: z.record(z.string(), count) }).strict(),
  /** Texts are profiled by their length in characters (a sample, as for numbers): cheap, and a length shift is a content shift. */
  z.object({ type: z.literal('text'), count, missing: count, lengthSample: z.array(z.number()) }).strict(),
])

/** A training set's summary, kept with the model version so the next training can be gated against it. */
export const datasetProfileSchema = z
  .object({
    rows: count,
    version: z.string().optional(),
    features: z.record(z.string(), featureProfileSchema),
  })
  .strict()

/** One feature's profile. */
export type FeatureProfile = z.infer<typeof featureProfileSchema>
/** A training set's profile. */
export type DatasetProfile = z.infer<typeof datasetProfileSchema>

/** Default number of values a profile keeps per numeric feature. */
export const DEFAULT_PROFILE_SAMPLE = 5000

/** `size` values at evenly spaced ranks of the sorted values (all of them when there are fewer): deterministic. */
export function quantileSample(values: readonly number[], size: number): number[] {
  const sorted = Float64Array.from(values).sort()
  if (sorted.length <= size) return Array.from(sorted)
  return Array.from({ length: size }, (_, k) => sorted[Math.floor(((k + 0.5) * sorted.length) / size)]!)
}

/** Summarises rows per feature of the schema: counts, missing, ranges, value counts and samples (pure). */
export function profileDataset(
  schema: { readonly features: Readonly<Record<string, FeatureSpec>> },
  rows: readonly DataRow[],
  options: { sampleSize?: number; version?: string } = {},
): DatasetProfile {
  const size = options.sampleSize ?? DEFAULT_PROFILE_SAMPLE
  const features: Record<string, FeatureProfile> = {}
  for (const [name, spec] of Object.entries(schema.features)) {
    const values = rows.map((r) => r.features[name] ?? null)
    const present = values.filter((v) => v !== null && !(typeof v === 'number' && Number.isNaN(v)))
    const missing = values.length - present.length
    switch (spec.type) {
      case 'number': {
        const xs = present.filter((v): v is number => typeof v === 'number')
        let min: number | null = null
        let max: number | null = null
        for (const x of xs) {
          if (min === null || x < min) min = x
          if (max === null || x > max) max = x
        }
        features[name] = { type: 'number', count: xs.length, missing, min, max, sample: quantileSample(xs, size) }
        break
      }
      case 'boolean': {
        const counts = { true: 0, false: 0 }
        for (const v of present) counts[v === true || v === 1 ? 'true' : 'false']++
        features[name] = { type: 'boolean', count: present.length, missing, counts }
        break
      }
      case 'category': {
        const counts: Record<string, number> = {}
        for (const v of present) counts[String(v)] = (counts[String(v)] ?? 0) + 1
        features[name] = { type: 'category', count: present.length, missing, counts }
        break
      }
      case 'text':
        features[name] = { type: 'text', count: present.length, missing, lengthSample: quantileSample(present.map((v) => String(v).length), size) }
        break
    }
  }
  return { rows: rows.length, ...(options.version !== undefined ? { version: options.version } : {}), features }
}
