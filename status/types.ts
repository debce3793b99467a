import { z } from 'zod'

// The status page's data: what `GET /v1/status` answers and `GET /` renders. A section whose provider is not wired
// (incidents, runbooks before they are merged) or failed is null, with the reason in `unavailable`.

/** One SLO: its budget and burn rates per window (the sparkline, short windows first). */
export const statusSloSchema = z.object({
  name: z.string(),
  model: z.string(),
  target: z.number(),
  status: z.string(),
  sli_ratio: z.number().nullable(),
  budget_remaining: z.number().describe('Share of the error budget left, 0–1 (negative when overspent).'),
  burn_rates: z.array(z.object({ window: z.string(), rate: z.number().nullable() })),
  frozen: z.boolean(),
})
/** One model with its versions and the release serving it. */
export const statusModelSchema = z.object({
  name: z.string(),
  task: z.string(),
  champion: z.number().nullable(),
  versions: z.array(z.object({ version: z.number(), created_at: z.string(), eligible: z.boolean() })),
  release: z.object({ id: z.string(), version: z.number(), strategy: z.string(), state: z.string(), weight_percent: z.number(), started_at: z.string() }).nullable(),
})
/** The latest drift result of one feature of one model. */
export const statusDriftSchema = z.object({
  model: z.string(),
  feature: z.string(),
  test: z.string(),
  statistic: z.number().nullable(),
  p_value: z.number().nullable(),
  drifted: z.boolean(),
  window_to: z.string(),
})
/** One open alert. */
export const statusAlertSchema = z.object({ alertname: z.string(), severity: z.string(), state: z.string(), model: z.string(), since: z.string(), summary: z.string() })
/** One open incident (provided by the incidents component once wired). */
export const statusIncidentSchema = z.object({ id: z.string(), title: z.string(), severity: z.string(), state: z.string(), model: z.string(), opened_at: z.string() })
/** One recent runbook run (provided by the runbooks component once wired). */
export const statusRunbookRunSchema = z.object({ id: z.string(), runbook: z.string(), model: z.string(), outcome: z.string(), started_at: z.string() })

const SECTIONS = ['slos', 'models', 'drift', 'alerts', 'incidents', 'runbook_runs'] as const
/** A section of the status page. */
export type StatusSection = (typeof SECTIONS)[number]

/** `GET /v1/status`. */
export const statusSchema = z.object({
  generated_at: z.string(),
  slos: z.array(statusSloSchema).nullable(),
  models: z.array(statusModelSchema).nullable(),
  drift: z.array(statusDriftSchema).nullable(),
  alerts: z.array(statusAlertSchema).nullable(),
  incidents: z.array(statusIncidentSchema).nullable(),
  runbook_runs: z.array(statusRunbookRunSchema).nullable(),
  unavailable: z.record(z.enum(SECTIONS), z.string()).describe('Sections that are null, and why (not configured here, or the read failed).'),
})

export type StatusSlo = z.infer<typeof statusSloSchema>
export type StatusModel = z.infer<typeof statusModelSchema>
export type StatusDrift = z.infer<typeof statusDriftSchema>
export type StatusAlert = z.infer<typeof statusAlertSchema>
export type StatusIncident = z.infer<typeof statusIncidentSchema>
export type StatusRunbookRun = z.infer<typeof statusRunbookRunSchema>
/** The status page's data. */
export type Status = z.infer<typeof statusSchema>

/**
 * Where the status page reads from: one optional provider per section. The composition root wires what runs in the
 * process; the incidents and runbooks components plug in here once merged (an absent provider renders "none").
 */
export interface StatusSources {
  readonly slos?: () => Promise<StatusSlo[]>
  readonly models?: () => Promise<StatusModel[]>
  readonly drift?: () => Promise<StatusDrift[]>
  readonly alerts?: () => Promise<StatusAlert[]>
  readonly incidents?: () => Promise<StatusIncident[]>
  readonly runbookRuns?: () => Promise<StatusRunbookRun[]>
}
