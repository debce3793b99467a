import { createHash } from 'node:crypto'
import type { AlertActivity } from '../alerts/index.ts'
import type { Incident, IncidentAlert, IncidentEvent, IncidentPatch, IncidentStatus } from './types.ts'

// The incident lifecycle, pure: how alert activity and manual changes move an incident. No I/O; the component
// (component.ts) loads the open incident, calls these under the group's lock, and stores what they return.

/**
 * Manual transitions. Forward steps may skip (a fix found in triage goes straight to mitigated); mitigated may go
 * back to investigating when the fix did not hold; resolved is final (a new page opens a new incident).
 */
export const TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  triage: ['investigating', 'mitigated', 'resolved'],
  investigating: ['mitigated', 'resolved'],
  mitigated: ['investigating', 'resolved'],
  resolved: [],
}

/** The severity that opens an incident; others only join an open one. */
export const OPENING_SEVERITY = 'page'

/** The actor of changes the alerts make (opening, joining, resolving). */
export const SYSTEM_ACTOR = 'highway'

/** An invalid manual change: a transition the lifecycle does not allow. */
export class TransitionError extends Error {
  override readonly name = 'TransitionError'
  readonly from: IncidentStatus
  readonly to: IncidentStatus
  constructor(from: IncidentStatus, to: IncidentStatus) {
    super(`status: cannot go from "${from}" to "${to}"; from "${from}" an incident may go to ${TRANSITIONS[from].length > 0 ? TRANSITIONS[from].map((s) => `"${s}"`).join(', ') : 'nothing (it is final)'}`)
    this.from = from
    this.to = to
  }
}

/** The group an alert belongs to: its model, else its SLO; null for an alert that names neither. */
export function groupKeyOf(labels: Readonly<Record<string, string>>): string | null {
  if (labels.model) return `model:${labels.model}`
  if (labels.slo) return `slo:${labels.slo}`
  return null
}

/** One activity of one alert activation: the same whether it came from the evaluator, the intake or a reconcile. */
export function alertKeyOf(a: Pick<AlertActivity, 'fingerprint' | 'status' | 'startsAtMs'>): string {
  return `${a.fingerprint}/${a.status}/${a.startsAtMs}`
}

const digest = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 20)

/** The id of the incident an alert activation opens: two deliveries of it cannot open two incidents. */
export function incidentIdOf(groupKey: string, a: Pick<AlertActivity, 'fingerprint' | 'startsAtMs'>): string {
  return `inc-${digest(`${groupKey}\n${a.fingerprint}\n${a.startsAtMs}`)}`
}

/**
 * An alert's severity: its `severity` label, else Sloth's `sloth_severity`, which is all the burn-rate alerts
 * `highway rules` writes carry (as Sloth writes them), so an alert Prometheus evaluated on them can open an incident.
 */
const severityOf = (labels: Readonly<Record<string, string>>): string => labels.severity ?? labels.sloth_severity ?? ''

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].filter(Boolean).sort()

function alertEntry(a: AlertActivity): IncidentAlert {
  return {
    fingerprint: a.fingerprint,
    alertname: a.labels.alertname ?? '',
    severity: severityOf(a.labels),
    model: a.labels.model ?? '',
    slo: a.labels.slo ?? '',
    summary: a.annotations.summary ?? '',
    startsAtMs: a.startsAtMs,
    firedAtMs: a.atMs,
    resolvedAtMs: null,
    firing: true,
  }
}

function alertEvent(incidentId: string, a: AlertActivity, kind: 'alert_firing' | 'alert_resolved', note: string): IncidentEvent {
  const alertKey = alertKeyOf(a)
  return {
    incidentId,
    eventId: `${incidentId}/${digest(alertKey)}`,
    alertKey,
    kind,
    atMs: a.atMs,
    actor: SYSTEM_ACTOR,
    fingerprint: a.fingerprint,
    alertname: a.labels.alertname ?? '',
    severity: severityOf(a.labels),
    fromStatus: '',
    toStatus: '',
    note,
    requestId: '',
  }
}

function statusEvent(incident: Incident, kind: 'opened' | 'status' | 'resolved', to: IncidentStatus, atMs: number, actor: string, suffix: string, note = '', requestId = ''): IncidentEvent {
  return {
    incidentId: incident.id,
    eventId: `${incident.id}/${kind}${suffix ? `/${suffix}` : ''}`,
    alertKey: '',
    kind,
    atMs,
    actor,
    fingerprint: '',
    alertname: '',
    severity: incident.severity,
    fromStatus: kind === 'opened' ? '' : incident.status,
    toStatus: to,
    note,
    requestId,
  }
}

/** What one activity changes: the incident to store (a new revision) and its new timeline entries; null for nothing. */
export interface Change {
  readonly incident: Incident
  readonly events: readonly IncidentEvent[]
}

/**
 * Applies one alert activity to the group's open incident (or none). A firing page alert with no open incident
 * opens one; any firing alert joins an open one; a resolve marks its alert resolved, and the last one resolves the
 * incident. Activity already reflected (the alert already firing in it, or not in it) changes nothing: the state
 * itself makes repeated deliveries harmless, beside the stored alert keys the caller checks first.
 */
export function applyActivity(open: Incident | null, a: AlertActivity, groupKey: string): Change | null {
  const summary = a.annotations.summary ?? ''
  if (a.status === 'firing') {
    if (!open) {
      if (severityOf(a.labels) !== OPENING_SEVERITY) return null
      const entry = alertEntry(a)
      const target = entry.model || entry.slo
      const incident: Incident = {
        id: incidentIdOf(groupKey, a),
        groupKey,
        status: 'triage',
        severity: OPENING_SEVERITY,
        title: `${entry.alertname || 'alert'} on ${target}${summary ? `: ${summary}` : ''}`.slice(0, 300),
        models: sorted([entry.model]),
        slos: sorted([entry.slo]),
        onsetAtMs: Math.min(a.startsAtMs, a.atMs),
        openedAtMs: a.atMs,
        resolvedAtMs: null,
        updatedAtMs: a.atMs,
        assignee: '',
        alerts: [entry],
        revision: 1,
      }
      return { incident, events: [statusEvent(incident, 'opened', 'triage', a.atMs, SYSTEM_ACTOR, '', `opened by ${entry.alertname} (${entry.severity})`), alertEvent(incident.id, a, 'alert_firing', summary)] }
    }
    if (open.alerts.some((x) => x.fingerprint === a.fingerprint && x.firing)) return null
    const entry = alertEntry(a)
    const incident: Incident = {
      ...open,
      models: sorted([...open.models, entry.model]),
      slos: sorted([...open.slos, entry.slo]),
      onsetAtMs: Math.min(open.onsetAtMs, a.startsAtMs),
      updatedAtMs: Math.max(open.updatedAtMs, a.atMs),
      alerts: [...open.alerts.filter((x) => x.fingerprint !== a.fingerprint), entry],
      revision: open.revision + 1,
    }
    return { incident, events: [alertEvent(open.id, a, 'alert_firing', summary)] }
  }
  if (!open) return null
  const had = open.alerts.find((x) => x.fingerprint === a.fingerprint && x.firing)
  if (!had) return null
  const alerts = open.alerts.map((x) => (x === had ? { ...x, firing: false, resolvedAtMs: a.atMs } : x))
  const events: IncidentEvent[] = [alertEvent(open.id, a, 'alert_resolved', summary)]
  let incident: Incident = { ...open, alerts, updatedAtMs: Math.max(open.updatedAtMs, a.atMs), revision: open.revision + 1 }
  if (!alerts.some((x) => x.firing)) {
    events.push(statusEvent(open, 'resolved', 'resolved', a.atMs, SYSTEM_ACTOR, digest(alertKeyOf(a)), 'all its alerts resolved'))
    incident = { ...incident, status: 'resolved', resolvedAtMs: a.atMs }
  }
  return { incident, events }
}

/**
 * Applies a manual change. Throws TransitionError for a status the lifecycle does not allow; the same status again
 * is no change. Returns null when nothing changes.
 */
export function applyPatch(incident: Incident, patch: IncidentPatch, who: { actor: string; requestId: string; atMs: number }): Change | null {
  const events: IncidentEvent[] = []
  let next: Incident = incident
  const { actor, requestId, atMs } = who
  const base = { incidentId: incident.id, alertKey: '', atMs, actor, fingerprint: '', alertname: '', severity: incident.severity, requestId }
  if (patch.status !== undefined && patch.status !== incident.status) {
    if (!TRANSITIONS[incident.status].includes(patch.status)) throw new TransitionError(incident.status, patch.status)
    events.push({ ...base, eventId: `${incident.id}/status/${requestId}`, kind: patch.status === 'resolved' ? 'resolved' : 'status', fromStatus: incident.status, toStatus: patch.status, note: '' })
    next = { ...next, status: patch.status, resolvedAtMs: patch.status === 'resolved' ? atMs : next.resolvedAtMs }
  }
  if (patch.assignee !== undefined && patch.assignee !== incident.assignee) {
    events.push({ ...base, eventId: `${incident.id}/assignee/${requestId}`, kind: 'assignee', fromStatus: '', toStatus: '', note: patch.assignee })
    next = { ...next, assignee: patch.assignee }
  }
  if (patch.note !== undefined && patch.note !== '') {
    events.push({ ...base, eventId: `${incident.id}/note/${requestId}`, kind: 'note', fromStatus: '', toStatus: '', note: patch.note })
  }
  if (events.length === 0) return null
  return { incident: { ...next, updatedAtMs: Math.max(incident.updatedAtMs, atMs), revision: incident.revision + 1 }, events }
}
