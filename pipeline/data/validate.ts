import type { z } from 'zod'
import { featureSchema } from '../../collector/index.ts'
import type { FeatureSpec } from '../../config/index.ts'
import type { FeatureRecord, InvalidRule } from './types.ts'

/** One broken rule of one feature value. */
export interface FeatureProblem {
  readonly field: string
  readonly rule: InvalidRule
  readonly value: string
  readonly message: string
}

// Compiled once per feature spec object: a dataset checks the same specs on every row.
const compiled = new WeakMap<FeatureSpec, z.ZodType>()

function schemaOf(spec: FeatureSpec): z.ZodType {
  let schema = compiled.get(spec)
  if (!schema) compiled.set(spec, (schema = featureSchema(spec)))
  return schema
}

/** A short, safe rendering of a value for a report. */
export function previewValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)
  return String(value)
}

/**
 * Checks typed features against the model's schema with the collector's own per-feature rules (collector
 * `featureSchema`), so a row the pipeline trains on is a row the collector would have accepted. Rules are named
 * as the collector names them: required, type, range, category, length.
 */
export function validateFeatures(features: Readonly<Record<string, FeatureSpec>>, record: FeatureRecord): FeatureProblem[] {
  const problems: FeatureProblem[] = []
  for (const [name, spec] of Object.entries(features)) {
    const value = record[name]
    const parsed = schemaOf(spec).safeParse(value, { reportInput: true })
    if (parsed.success) continue
    const issue = parsed.error.issues[0]!
    // Same mapping as the collector's record validator: null or nothing where a value is required is "required".
    const rule: InvalidRule =
      (issue.code === 'invalid_type' || issue.code === 'invalid_union') && (value === undefined || value === null)
        ? 'required'
        : issue.code === 'too_big' && issue.origin === 'string'
          ? 'length'
          : issue.code === 'too_small' || issue.code === 'too_big'
            ? 'range'
            : issue.code === 'invalid_value'
              ? 'category'
              : 'type'
    const message = rule === 'required' ? 'is required' : issue.message
    problems.push({ field: name, rule, value: previewValue(value), message: `${name}: ${message}, got ${previewValue(value)}` })
  }
  return problems
}
