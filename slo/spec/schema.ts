import { z } from 'zod'
import { MAX_DESCRIPTION_LENGTH, OPERATORS } from './const.ts'
import { parseFixedDuration } from './duration.ts'

// Structure of OpenSLO v1 objects (OpenSLO README; schemas/v1/parts/*.schema.json; OpenSLO/go-sdk pkg/openslo/v1).
// Objects are strict: an unknown field is a typo more often than an extension, and OpenSLO gives extensions
// `metadata.annotations` and each metric source's `spec`. Rules between fields live in the resolve-*.ts stages.

/** A strict object whose unknown-field message lists the fields it allows. */
function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `allowed: ${Object.keys(shape).join(', ')}` : undefined),
  })
}

/** Object names: RFC 1123 labels, which every OpenSLO implementation must support (OpenSLO README, "Notes (General Schema)"). */
export const objectNameSchema = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be an RFC 1123 label: up to 63 lowercase letters, digits or "-", starting and ending with a letter or digit')

const descriptionSchema = z.string().max(MAX_DESCRIPTION_LENGTH, `must be at most ${MAX_DESCRIPTION_LENGTH} characters`)

const LABEL_KEY = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/
// Optional DNS-subdomain prefix and "/", then a name (OpenSLO/go-sdk objects.go, annotationKeyRegexp).
const ANNOTATION_KEY = /^(?=.{1,253}\/|[^/]*$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*\/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/

function keysMatch(pattern: RegExp, expected: string) {
  return (record: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    for (const key of Object.keys(record)) {
      if (!pattern.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: `${expected}, got ${JSON.stringify(key)}`, params: { rule: 'format' } })
    }
  }
}

/** `metadata` of every kind. */
export const metadataSchema = strict({
  name: objectNameSchema,
  displayName: z.string().min(1, 'must not be empty').optional(),
  labels: z
    .record(z.string(), z.union([z.string(), z.array(z.string())], { error: 'must be a string or a list of strings' }))
    .superRefine(keysMatch(LABEL_KEY, 'label keys must be up to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit'))
    .optional(),
  annotations: z
    .record(z.string(), z.string({ error: 'must be a string (annotation values are strings: quote numbers and booleans)' }))
    .superRefine(keysMatch(ANNOTATION_KEY, 'annotation keys must be an optional DNS prefix and "/", then a name such as highway.dev/min-events'))
    .optional(),
})

const operatorSchema = z.enum(OPERATORS as ['lte', 'gte', 'lt', 'gt'])

/** A duration of fixed length (`5m`, `1h`, `28d`, `1w`), parsed to seconds. */
export function fixedDurationSchema(options: { allowZero?: boolean } = {}) {
  return z.string().transform((text, ctx) => {
    const parsed = parseFixedDuration(text, options)
    if (parsed.ok) return parsed.seconds
    ctx.addIssue({ code: 'custom', message: `${parsed.message}, got ${JSON.stringify(text)}`, params: { rule: 'format' } })
    return z.NEVER
  })
}

const metricSourceSchema = strict({
  metricSourceRef: objectNameSchema.optional(),
  type: z.string().min(1, 'must not be empty').optional(),
  spec: z.record(z.string(), z.unknown()),
})

const metricSpecSchema = strict({ metricSource: metricSourceSchema })

/** `spec` of an SLI, whether a document of its own or inlined in an SLO. */
export const sliSpecSchema = strict({
  description: descriptionSchema.optional(),
  thresholdMetric: metricSpecSchema.optional(),
  ratioMetric: strict({
    counter: z.boolean().optional(),
    good: metricSpecSchema.optional(),
    bad: metricSpecSchema.optional(),
    total: metricSpecSchema.optional(),
    rawType: z.enum(['success', 'failure']).optional(),
    raw: metricSpecSchema.optional(),
  }).optional(),
})

/** An SLI inlined in an SLO's `spec.indicator`. */
export const inlineIndicatorSchema = strict({ metadata: metadataSchema, spec: sliSpecSchema })

const objectiveSchema = strict({
  displayName: z.string().min(1, 'must not be empty').optional(),
  op: operatorSchema.optional(),
  value: z.number().optional(),
  target: z.number().gt(0, 'must be a number in (0, 1)').lt(1, 'must be a number in (0, 1)').optional(),
  targetPercent: z.number().gt(0, 'must be a number in (0, 100)').lt(100, 'must be a number in (0, 100)').optional(),
  timeSliceTarget: z.number().gt(0, 'must be a number in (0, 1]').lte(1, 'must be a number in (0, 1]').optional(),
  // OpenSLO README, "Notes (Objectives)": a bare number is minutes. Parsed to seconds.
  timeSliceWindow: z
    .union([z.string(), z.number()], { error: 'must be a duration such as 5m or a number of minutes' })
    .transform((value, ctx) => {
      if (typeof value === 'number') {
        if (value > 0 && Number.isInteger(value * 60)) return value * 60
        ctx.addIssue({ code: 'custom', message: `must be a positive number of minutes (whole seconds), got ${value}`, params: { rule: 'range' } })
        return z.NEVER
      }
      const parsed = parseFixedDuration(value)
      if (parsed.ok) return parsed.seconds
      ctx.addIssue({ code: 'custom', message: `${parsed.message}, got ${JSON.stringify(value)}`, params: { rule: 'format' } })
      return z.NEVER
    })
    .optional(),
  // Composite SLOs (OpenSLO go-sdk SLOObjective): listed so they are refused as unsupported, not as unknown.
  indicator: z.unknown().optional(),
  indicatorRef: z.unknown().optional(),
  compositeWeight: z.unknown().optional(),
})

const timeWindowSchema = strict({
  duration: z.string(),
  isRolling: z.boolean().optional(),
  calendar: strict({ startTime: z.string().optional(), timeZone: z.string() }).optional(),
})

/** `spec` of an SLO; alert policy items are checked one by one in the resolve-*.ts stages (a reference or an inline policy). */
export const sloSpecSchema = strict({
  description: descriptionSchema.optional(),
  service: objectNameSchema,
  indicator: inlineIndicatorSchema.optional(),
  indicatorRef: objectNameSchema.optional(),
  timeWindow: z.array(timeWindowSchema).optional(),
  budgetingMethod: z.enum(['Occurrences', 'Timeslices', 'RatioTimeslices']),
  objectives: z.array(objectiveSchema).min(1, 'must list at least one objective'),
  // `alertPolicies:` left empty is null in YAML (OpenSLO's own examples): no policies.
  alertPolicies: z.array(z.unknown()).nullish(),
})

/** `spec` of a DataSource; `type` is checked against Highway's source types in the resolve-*.ts stages. */
export const dataSourceSpecSchema = strict({
  description: descriptionSchema.optional(),
  type: z.string().min(1, 'must not be empty'),
  // OpenSLO allows any YAML here (go-sdk examples/data_sources.yaml gives a list); Highway never reads it.
  connectionDetails: z.unknown().optional(),
})

/** `spec` of a Service (optional as a whole: a Service may carry only its name). */
export const serviceSpecSchema = strict({ description: descriptionSchema.optional() }).nullish()

/** `spec` of an AlertCondition. Highway routes two severities, `page` and `ticket`. */
export const alertConditionSpecSchema = strict({
  description: descriptionSchema.optional(),
  severity: z.enum(['page', 'ticket']),
  condition: strict({
    // OpenSLO README, "Notes (AlertCondition)": kind defaults to burnrate.
    kind: z.literal('burnrate').optional(),
    // OpenSLO allows lte and lt too; a burn-rate alert that fires when the burn slows down is a mistake.
    op: z.enum(['gt', 'gte'], { error: 'must be gt or gte: a burn-rate alert fires when the burn rate rises above the threshold' }),
    threshold: z.number().gt(0, 'must be a burn rate above 0'),
    lookbackWindow: fixedDurationSchema(),
    // OpenSLO README: alertAfter "defaults to 0m".
    alertAfter: fixedDurationSchema({ allowZero: true }).optional(),
  }),
})

/** `spec` of an AlertNotificationTarget. */
export const alertNotificationTargetSpecSchema = strict({
  description: descriptionSchema.optional(),
  target: z.string().min(1, 'must not be empty'),
})

/** `spec` of an AlertPolicy; conditions and targets are references or inline objects, checked in the resolve-*.ts stages. */
export const alertPolicySpecSchema = strict({
  description: descriptionSchema.optional(),
  alertWhenNoData: z.boolean().optional(),
  alertWhenResolved: z.boolean().optional(),
  alertWhenBreaching: z.boolean().optional(),
  // OpenSLO README, "Notes (AlertPolicy)": an array "but only allows one single condition".
  conditions: z.array(z.unknown()).min(1, 'must list exactly one condition (OpenSLO v1 allows one per policy)').max(1, 'must list exactly one condition (OpenSLO v1 allows one per policy)'),
  notificationTargets: z.array(z.unknown()).min(1, 'must list at least one notification target'),
})

/** A reference to another object by name, in its OpenSLO field: `{alertPolicyRef: name}`. */
export function referenceSchema<K extends string>(key: K) {
  return strict({ [key]: objectNameSchema } as Record<K, typeof objectNameSchema>)
}

/** An object inlined where a reference may stand: `{kind, metadata, spec}`. */
export function inlineObjectSchema<K extends string, S extends z.ZodType>(kind: K, spec: S) {
  return strict({ kind: z.literal(kind), metadata: metadataSchema, spec })
}

/** A whole document of one kind; `apiVersion` and `kind` are checked before, for sharper messages. */
export function documentSchema<S extends z.ZodType>(spec: S) {
  return strict({ apiVersion: z.unknown(), kind: z.unknown(), metadata: metadataSchema, spec })
}

/** Parsed metadata. */
export type Metadata = z.infer<typeof metadataSchema>
/** Parsed SLI spec. */
export type SliSpec = z.infer<typeof sliSpecSchema>
/** Parsed metric source. */
export type MetricSourceSpec = z.infer<typeof metricSourceSchema>
/** Parsed SLO spec. */
export type SloSpec = z.infer<typeof sloSpecSchema>
/** Parsed SLO objective. */
export type ObjectiveSpec = z.infer<typeof objectiveSchema>
/** Parsed time window. */
export type TimeWindowSpec = z.infer<typeof timeWindowSchema>
/** Parsed DataSource spec. */
export type DataSourceSpec = z.infer<typeof dataSourceSpecSchema>
/** Parsed AlertCondition spec. */
export type AlertConditionSpec = z.infer<typeof alertConditionSpecSchema>
/** Parsed AlertPolicy spec. */
export type AlertPolicySpec = z.infer<typeof alertPolicySpecSchema>
/** Parsed AlertNotificationTarget spec. */
export type AlertNotificationTargetSpec = z.infer<typeof alertNotificationTargetSpecSchema>
