import { z } from 'zod'
import { AppError, defineRoute, type Principal, timeQuery, type Route } from '../server/index.ts'
import type { IncidentFilter } from './clickhouse-store.ts'
import { TransitionError } from './lifecycle.ts'
import { INCIDENT_STATUSES, type Incident, type IncidentDetail, type IncidentPatch, type IncidentStatus } from './types.ts'

/** What the routes need of the component (structural, so the component can build its routes without a cycle). */
export interface IncidentsPort {
  list(filter: IncidentFilter): Promise<Incident[]>
  get(id: string): Promise<Incident | null>
  detail(id: string): Promise<IncidentDetail | null>
  patch(id: string, patch: IncidentPatch, who: { actor: string; requestId: string }): Promise<Incident | null>
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())
const isoDate = z.string().describe('ISO-8601')
const statusSchema = z.enum(INCIDENT_STATUSES as [IncidentStatus, ...IncidentStatus[]])

/** An incident as the API shows it. */
export const incidentView = z.object({
  id: z.string(),
  status: statusSchema,
  severity: z.string(),
  title: z.string(),
  models: z.array(z.string()),
  slos: z.array(z.string()),
  onsetAt: isoDate,
  openedAt: isoDate,
  resolvedAt: isoDate.nullable(),
  updatedAt: isoDate,
  assignee: z.string(),
  alerts: z.array(
    z.object({ fingerprint: z.string(), alertname: z.string(), severity: z.string(), model: z.string(), slo: z.string(), summary: z.string(), startsAt: isoDate, firedAt: isoDate, resolvedAt: isoDate.nullable(), firing: z.boolean() }),
  ),
})
/** An incident's timeline entry as the API shows it. */
export const timelineView = z.object({ at: isoDate, source: z.enum(['incident', 'audit']), kind: z.string(), actor: z.string(), summary: z.string(), detail: z.record(z.string(), z.unknown()) })
/** A probable cause as the API shows it. */
export const causeView = z.object({ kind: z.string(), ref: z.string(), score: z.number(), evidence: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])) })
/** `GET /v1/incidents/{id}`. */
export const incidentDetailView = z.object({
  incident: incidentView,
  timeline: z.array(timelineView),
  causes: z.array(causeView),
  budget: z.array(z.object({ slo: z.string(), consumed: z.number().nullable().describe('share of the error budget consumed during the incident') })),
})
/** The detail document the CLI reads back. */
export type IncidentDetailView = z.output<typeof incidentDetailView>
/** An incident the CLI reads back. */
export type IncidentView = z.output<typeof incidentView>

/** An incident as JSON. */
export function incidentJson(i: Incident): IncidentView {
  return {
    id: i.id,
    status: i.status,
    severity: i.severity,
    title: i.title,
    models: [...i.models],
    slos: [...i.slos],
    onsetAt: iso(i.onsetAtMs)!,
    openedAt: iso(i.openedAtMs)!,
    resolvedAt: iso(i.resolvedAtMs),
    updatedAt: iso(i.updatedAtMs)!,
    assignee: i.assignee,
    alerts: i.alerts.map((a) => ({ fingerprint: a.fingerprint, alertname: a.alertname, severity: a.severity, model: a.model, slo: a.slo, summary: a.summary, startsAt: iso(a.startsAtMs)!, firedAt: iso(a.firedAtMs)!, resolvedAt: iso(a.resolvedAtMs), firing: a.firing })),
  }
}

const listQuery = z
  .object({
    status: z
      .string()
      .max(100)
      .transform((s, ctx) => {
        const list = s.split(',').map((x) => x.trim())
        const bad = list.find((x) => !(INCIDENT_STATUSES as readonly string[]).includes(x))
        if (bad !== undefined) {
          ctx.addIssue({ code: 'custom', message: `"${bad.slice(0, 40)}" is not one of ${INCIDENT_STATUSES.join(', ')} (comma-separated)` })
          return z.NEVER
        }
        return list as IncidentStatus[]
      })
      .optional(),
    severity: z.string().max(32).optional(),
    model: z.string().max(128).optional(),
    slo: z.string().max(128).optional(),
    from: timeQuery.optional(),
    to: timeQuery.optional(),
    limit: z.coerce.number().int().min(1).max(5000).optional(),
  })
  .strict()
const idParams = z.object({ id: z.string().regex(/^inc-[0-9a-f]{20}$/, 'must be an incident id (inc- and 20 hex digits)') })
/** `PATCH /v1/incidents/{id}`: at least one field; unknown fields are refused. */
export const incidentPatchSchema = z
  .object({
    status: statusSchema.optional(),
    note: z.string().min(1).max(4000).optional(),
    assignee: z.string().max(200).optional(),
  })
  .strict()
  .refine((p) => p.status !== undefined || p.note !== undefined || p.assignee !== undefined, 'must set at least one of status, note, assignee')

/** A key limited to models sees an incident only when it touches one of them. */
const visible = (i: Incident, p: Principal): boolean => !p.models || i.models.some((m) => p.models!.has(m))

/** The incident routes: list, one with its timeline and causes, and the manual change (operate, audited). */
export function incidentRoutes(options: { incidents: IncidentsPort }): Route[] {
  const { incidents } = options
  const notFound = (id: string) => new AppError('not_found', `no incident "${id}"`)
  return [
    defineRoute({
      method: 'get',
      path: '/v1/incidents',
      scope: 'read',
      tags: ['incidents'],
      summary: 'Incidents, newest first (filters: status, severity, model, slo, from, to; a model-limited key sees only its models)',
      description: '`status` takes a comma-separated list; `from`/`to` (ISO-8601 or epoch ms) keep incidents open at some time in [from, to).',
      query: listQuery,
      responses: { 200: { description: 'Incidents', schema: z.object({ incidents: z.array(incidentView) }) }, 403: { description: 'The key may not see that model' } },
      handle: async ({ query, principal }) => {
        if (query.model !== undefined && principal.models && !principal.models.has(query.model)) throw new AppError('forbidden', `key "${principal.id}" may not read model "${query.model.slice(0, 128)}"`)
        const filter: IncidentFilter = {
          ...(query.status ? { statuses: query.status } : {}),
          ...(query.severity ? { severity: query.severity } : {}),
          ...(query.model ? { model: query.model } : {}),
          ...(query.slo ? { slo: query.slo } : {}),
          ...(query.from !== undefined ? { fromMs: query.from } : {}),
          ...(query.to !== undefined ? { toMs: query.to } : {}),
          ...(query.limit !== undefined ? { limit: query.limit } : {}),
          ...(principal.models ? { models: [...principal.models] } : {}),
        }
        return { json: { incidents: (await incidents.list(filter)).map(incidentJson) } }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/incidents/{id}',
      scope: 'read',
      tags: ['incidents'],
      summary: 'One incident: its alerts, its timeline (with the audit entries of its models), probable causes ranked with evidence, and the error budget consumed',
      params: idParams,
      responses: { 200: { description: 'The incident', schema: incidentDetailView }, 404: { description: 'No such incident (or not one of the key’s models)' } },
      handle: async ({ params, principal }) => {
        const d = await incidents.detail(params.id)
        if (!d || !visible(d.incident, principal)) throw notFound(params.id)
        const body: IncidentDetailView = {
          incident: incidentJson(d.incident),
          timeline: d.timeline.map((t) => ({ at: iso(t.atMs)!, source: t.source, kind: t.kind, actor: t.actor, summary: t.summary, detail: { ...t.detail } })),
          causes: d.causes.map((c) => ({ kind: c.kind, ref: c.ref, score: c.score, evidence: { ...c.evidence } })),
          budget: d.budget.map((b) => ({ ...b })),
        }
        return { json: body }
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/incidents/{id}',
      scope: 'operate',
      tags: ['incidents'],
      summary: 'Change an incident: status (triage → investigating → mitigated → resolved), a note, the assignee; audited',
      description: '409 names the two statuses when the lifecycle does not allow the change; the same status again changes nothing.',
      params: idParams,
      body: incidentPatchSchema,
      maxBodyBytes: 64 * 1024,
      responses: { 200: { description: 'The incident after the change', schema: incidentView }, 404: { description: 'No such incident' }, 409: { description: 'Transition not allowed' } },
      handle: async ({ params, body, principal, requestId }) => {
        const found = await incidents.get(params.id)
        if (!found || !visible(found, principal)) throw notFound(params.id)
        try {
          const next = await incidents.patch(params.id, body as IncidentPatch, { actor: principal.id, requestId })
          if (!next) throw notFound(params.id)
          return { json: incidentJson(next) }
        } catch (err) {
          if (err instanceof TransitionError) throw new AppError('conflict', err.message, { cause: err })
          throw err
        }
      },
    }),
  ]
}
