import { z } from 'zod'

// The `alerting` block of the config, parsed by config/schema.ts (a pure zod module with no imports from the rest
// of Highway, so config/ can use it without a cycle). Durations are written like Prometheus' (`30s`, `5m`, `4h`)
// and parsed to seconds.

const durationSeconds = z
  .string()
  .regex(/^\d+(ms|s|m|h|d|w)$/, 'must be a duration such as 0s, 30s, 15m, 1h, 7d or 2w')
  .transform((s) => {
    const unit = /(ms|s|m|h|d|w)$/.exec(s)![1] as 'ms' | 's' | 'm' | 'h' | 'd' | 'w'
    return Number(s.slice(0, -unit.length)) * { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[unit]
  })

/** Alertmanager's label name rule: `[a-zA-Z_][a-zA-Z0-9_]*`. */
const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a label name: letters, digits and "_", not starting with a digit')
const labelsSchema = z.record(labelName, z.string().max(1024)).default({})

/** The annotations Highway knows; others pass through to notifications untouched. */
const annotationsSchema = z
  .object({ summary: z.string().optional(), description: z.string().optional(), runbook_url: z.url().optional(), dashboard_url: z.url().optional() })
  .catchall(z.string())
  .default({})

/** How bad an alert is: `page` wakes someone, `ticket` waits for working hours, `info` is recorded only. */
export const severitySchema = z.enum(['page', 'ticket', 'info'])

const share = z.number().min(0).max(1)

/** What a model-health rule watches, in the analyzer's saved results. */
export const conditionSchema = z.discriminatedUnion('kind', [
  /** The dataset drift verdict (share of drifted features ≥ the model's `drift.shareThreshold`). */
  z.object({ kind: z.literal('dataset_drift') }).strict(),
  /** Any of the named features drifted (one alert per drifted feature, labelled `feature`). */
  z.object({ kind: z.literal('feature_drift'), features: z.array(z.string().min(1)).min(1) }).strict(),
  /** A data-quality share above a bound: per feature (one alert each) or the window's quarantine share. */
  z
    .object({
      kind: z.literal('quality'),
      check: z.enum(['missing', 'out_of_range', 'unseen_category', 'type_error', 'quarantine']),
      above: share,
      features: z.array(z.string().min(1)).min(1).optional(),
    })
    .strict(),
  /** A performance metric below a bound: `realised` from labels, `estimated` (CBPE) before labels arrive. */
  z.object({ kind: z.literal('performance'), metric: z.string().min(1), source: z.enum(['realised', 'estimated']), below: z.number() }).strict(),
  /** Label coverage below a share. */
  z.object({ kind: z.literal('label_coverage'), below: share }).strict(),
])

/** One model-health rule (`alerting.rules[]`). */
export const modelRuleSchema = z
  .object({
    name: labelName,
    model: z.string().min(1),
    severity: severitySchema,
    for: durationSeconds.default(0),
    keepFiringFor: durationSeconds.default(0),
    condition: conditionSchema,
    labels: labelsSchema,
    annotations: annotationsSchema,
  })
  .strict()

const secretSchema = z.string().min(16, 'must be at least 16 characters')

const receiverSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, "_", "." or "-"'),
    url: z.url({ protocol: /^https?$/ }),
    /** HMAC-SHA256 key for `X-Highway-Signature`, written in the config; or `secretEnv`. */
    secret: secretSchema.optional(),
    /** The name of an environment variable holding the key, so the config file carries no secret (read at start). */
    secretEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name: letters, digits and "_", not starting with a digit').optional(),
    timeout: durationSeconds.default(10),
    maxAttempts: z.number().int().min(1).max(20).default(5),
    /** Only alerts of these severities go to this receiver (default: page and ticket). */
    severities: z.array(severitySchema).min(1).default(['page', 'ticket']),
  })
  .strict()
  .refine((r) => r.secret === undefined || r.secretEnv === undefined, { message: 'give secret or secretEnv, not both', path: ['secretEnv'] })

const routeDefaults = { groupBy: ['alertname'], groupWait: 30, groupInterval: 300, repeatInterval: 14_400 }

/** The `alerting` block. */
export const alertingSchema = z
  .object({
    /** How often rules are evaluated. */
    evaluationInterval: durationSeconds.default(30),
    /** Base URL of this Highway as users reach it: the `generatorURL` of pushed alerts. */
    externalUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** `for` of the SLO burn-rate tiers, by severity (the evaluator's windows already smooth them: default 0). */
    sloFor: z.object({ page: durationSeconds.default(0), ticket: durationSeconds.default(0) }).strict().default({ page: 0, ticket: 0 }),
    rules: z.array(modelRuleSchema).default([]),
    alertmanager: z
      .object({ url: z.url({ protocol: /^https?$/ }), resendInterval: durationSeconds.default(60), timeout: durationSeconds.default(10) })
      .strict()
      .optional(),
    receivers: z.array(receiverSchema).default([]),
    /** Grouping of webhook notifications: Alertmanager's route defaults. */
    route: z
      .object({
        groupBy: z.array(labelName).default(routeDefaults.groupBy),
        groupWait: durationSeconds.default(routeDefaults.groupWait),
        groupInterval: durationSeconds.default(routeDefaults.groupInterval),
        repeatInterval: durationSeconds.default(routeDefaults.repeatInterval),
      })
      .strict()
      .default(routeDefaults),
    /** Lease for HA: how long a holder keeps the right to evaluate and notify without renewing. */
    leaseSeconds: z.number().int().min(5).max(3600).default(30),
  })
  .strict()

/** One receiver's schema, for tests of the sender. */
export const receiverSchemaForTests = receiverSchema

/** The validated `alerting` block. */
export type AlertingConfig = z.infer<typeof alertingSchema>
/** One validated model-health rule. */
export type ModelRule = z.infer<typeof modelRuleSchema>
/** A model-health condition. */
export type Condition = z.infer<typeof conditionSchema>
/** `page`, `ticket` or `info`. */
export type Severity = z.infer<typeof severitySchema>
/** One webhook receiver. */
export type ReceiverConfig = z.infer<typeof receiverSchema>

/**
 * The block with each receiver's `secretEnv` read into `secret`, checked as a written secret is; the start calls
 * it before anything opens, so an unset or short variable stops it with the key and the variable named (never the
 * value). `lookup` reads one environment variable (config/env/index.ts).
 */
export function resolveReceiverSecrets(alerting: AlertingConfig, lookup: (name: string) => string | undefined): AlertingConfig {
  const problems: string[] = []
  const receivers = alerting.receivers.map((r, i) => {
    if (r.secretEnv === undefined) return r
    const value = lookup(r.secretEnv)
    const where = `alerting.receivers[${i}].secretEnv (receiver ${r.name})`
    if (value === undefined || value === '') {
      problems.push(`${where}: environment variable ${r.secretEnv} is not set`)
      return r
    }
    const checked = secretSchema.safeParse(value)
    if (!checked.success) {
      problems.push(`${where}: the value of ${r.secretEnv} ${checked.error.issues[0]?.message ?? 'is not a usable secret'}`)
      return r
    }
    return { ...r, secret: checked.data }
  })
  if (problems.length > 0) throw new Error(`invalid configuration:\n  ${problems.join('\n  ')}`)
  return { ...alerting, receivers }
}

/** The `alerting` block when the config has none. */
export const DEFAULT_ALERTING: AlertingConfig = alertingSchema.parse({})
