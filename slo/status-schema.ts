import { z } from 'zod'

const sliSchema = z.object({ good: z.number(), total: z.number(), ratio: z.number().nullable() })
const budgetSchema = z.object({ total: z.number(), consumed: z.number(), remaining: z.number() })
const alertSchema = z.object({ severity: z.string(), long_window: z.string(), short_window: z.string(), factor: z.number(), firing: z.boolean() })

// What an objective's evaluation reports; the SLO's top level repeats its first objective's.
const objectiveFigures = {
  target: z.number(),
  status: z.enum(['ok', 'no_data', 'unsupported']),
  detail: z.string().optional(),
  sli: sliSchema,
  error_budget: budgetSchema,
  burn_rates: z.record(z.string(), z.number().nullable()),
  alerts: z.array(alertSchema),
  time_to_exhaustion_s: z.number().nullable(),
}

/** One objective's figures, as `objectives[]` lists them for an SLO with several. */
export const objectiveStatusSchema = z.object({
  name: z.string().describe('Objective name (slug of displayName, or objective-<index>).'),
  display_name: z.string(),
  index: z.number().int().describe('Position in spec.objectives; the `-<index>` suffix of its rules and sloth_id.'),
  ...objectiveFigures,
})

/** The answer of `GET /v1/slos/{name}` (docs/slo.md); the top-level figures are those of the first objective. */
export const sloStatusSchema = z.object({
  name: z.string(),
  service: z.string(),
  model: z.string().describe("The model the SLO guards; '' when it names none."),
  window: z.object({ duration: z.string(), rolling: z.boolean(), from: z.string(), to: z.string() }),
  budgeting_method: z.string(),
  ...objectiveFigures,
  policy: z.object({ frozen: z.boolean(), reason: z.string().optional(), since: z.string().optional() }),
  objectives: z.array(objectiveStatusSchema).optional().describe('Present when the SLO has several objectives: each one evaluated (the first repeats the top level).'),
  evaluated_at: z.string().optional().describe('When the evaluation served started (ISO 8601).'),
})
