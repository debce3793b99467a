/** Where an incident stands. Manual changes follow `TRANSITIONS` (lifecycle.ts); resolution also comes from its alerts. */
export type IncidentStatus = 'triage' | 'investigating' | 'mitigated' | 'resolved'

/** The statuses, in their usual order. */
export const INCIDENT_STATUSES: readonly IncidentStatus[] = ['triage', 'investigating', 'mitigated', 'resolved']

/** One alert an incident collected. */
export interface IncidentAlert {
  readonly fingerprint: string
  readonly alertname: string
  readonly severity: string
  readonly model: string
  readonly slo: string
  readonly summary: string
  /** When the alert became active (its activation: a new one after a resolve is another start). */
  readonly startsAtMs: number
  readonly firedAtMs: number
  readonly resolvedAtMs: number | null
  /** Still firing. */
  readonly firing: boolean
}

/** An incident's current state. */
export interface Incident {
  readonly id: string
  /** What groups its alerts: `model:<name>`, or `slo:<name>` for an SLO alert without a model. */
  readonly groupKey: string
  readonly status: IncidentStatus
  readonly severity: string
  readonly title: string
  readonly models: readonly string[]
  readonly slos: readonly string[]
  /** The earliest start among its alerts. */
  readonly onsetAtMs: number
  readonly openedAtMs: number
  readonly resolvedAtMs: number | null
  readonly updatedAtMs: number
  readonly assignee: string
  readonly alerts: readonly IncidentAlert[]
  /** Each change writes the next revision; the newest is the incident. */
  readonly revision: number
}

/** What a timeline entry of the incident's own records. */
export type IncidentEventKind = 'opened' | 'alert_firing' | 'alert_resolved' | 'status' | 'note' | 'assignee' | 'resolved'

/** One entry of an incident's own timeline. */
export interface IncidentEvent {
  readonly incidentId: string
  /** Deterministic: the same alert activity, delivered again, carries the same id. */
  readonly eventId: string
  /** `fingerprint/status/startsAt` for alert entries, '' for others: one entry per alert activity across incidents. */
  readonly alertKey: string
  readonly kind: IncidentEventKind
  readonly atMs: number
  readonly actor: string
  readonly fingerprint: string
  readonly alertname: string
  readonly severity: string
  readonly fromStatus: IncidentStatus | ''
  readonly toStatus: IncidentStatus | ''
  readonly note: string
  readonly requestId: string
}

/** The kinds of probable cause. */
export type CauseKind = 'release' | 'alias_change' | 'feature_drift' | 'data_quality' | 'quarantine_spike' | 'label_delay'

/** One probable cause, with the figures behind its score (0..1, higher is more probable). */
export interface Cause {
  readonly kind: CauseKind
  /** What it points at: `booking-spam@v3`, `booking-spam/height_cm`, … */
  readonly ref: string
  readonly score: number
  readonly evidence: Readonly<Record<string, string | number | boolean | null>>
}

/** A manual change of an incident (`PATCH /v1/incidents/{id}`). */
export interface IncidentPatch {
  readonly status?: IncidentStatus
  readonly note?: string
  readonly assignee?: string
}

/** One entry of an incident's timeline as served: its own, or an audit entry of its models. */
export interface TimelineEntry {
  readonly atMs: number
  readonly source: 'incident' | 'audit'
  readonly kind: string
  readonly actor: string
  readonly summary: string
  readonly detail: Readonly<Record<string, unknown>>
}

/** An incident with everything `GET /v1/incidents/{id}` shows. */
export interface IncidentDetail {
  readonly incident: Incident
  readonly timeline: readonly TimelineEntry[]
  readonly causes: readonly Cause[]
  /** Error budget consumed during the incident per SLO (share of the budget, 0..1+); null when unknown. */
  readonly budget: ReadonlyArray<{ readonly slo: string; readonly consumed: number | null }>
}
