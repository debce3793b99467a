import { describe, expect, it } from 'vitest'
import type { AlertActivity } from '../alerts/index.ts'
import { applyActivity, applyPatch, groupKeyOf, incidentIdOf, TransitionError, TRANSITIONS } from './lifecycle.ts'
import type { IncidentStatus } from './types.ts'

const activity = (over: Partial<AlertActivity> & { severity?: string; model?: string } = {}): AlertActivity => {
  const { severity = 'page', model = 'm', ...rest } = over
  return { eventId: 'e1', source: 'highway', fingerprint: 'f1', status: 'firing', labels: { alertname: 'A', severity, model }, annotations: { summary: 's' }, startsAtMs: 1000, atMs: 2000, silenced: false, ...rest }
}

describe('applyActivity', () => {
  it('opens an incident in triage on a page alert, with an id derived from the alert activation', () => {
    const c = applyActivity(null, activity(), 'model:m')!
    expect(c.incident).toMatchObject({ status: 'triage', severity: 'page', models: ['m'], onsetAtMs: 1000, openedAtMs: 2000, revision: 1 })
    expect(c.incident.id).toBe(incidentIdOf('model:m', { fingerprint: 'f1', startsAtMs: 1000 }))
    expect(c.events.map((e) => e.kind)).toEqual(['opened', 'alert_firing'])
  })

  // Regression: the page alert `highway rules` writes (Sloth's shape) carries `sloth_severity`, not `severity`, so an
  // alert Prometheus evaluated on the generated rules never opened an incident (alerts/prometheus-loop.test.ts).
  it('opens an incident on a page alert of the generated rules, whose severity is in Sloth’s label', () => {
    const sloth = activity({ labels: { alertname: 'SLOErrorBudgetBurnRate', sloth_severity: 'page', model: 'm' } })
    const c = applyActivity(null, sloth, 'model:m')!
    expect(c.incident).toMatchObject({ status: 'triage', severity: 'page', alerts: [{ alertname: 'SLOErrorBudgetBurnRate', severity: 'page' }] })
    expect(c.events.map((e) => [e.kind, e.severity])).toEqual([['opened', 'page'], ['alert_firing', 'page']])
    expect(applyActivity(null, activity({ labels: { alertname: 'SLOErrorBudgetBurnRate', sloth_severity: 'ticket', model: 'm' } }), 'model:m')).toBeNull()
  })

  it('does not open an incident on a ticket or info alert', () => {
    expect(applyActivity(null, activity({ severity: 'ticket' }), 'model:m')).toBeNull()
  })

  it('changes nothing when the same firing alert arrives again', () => {
    const open = applyActivity(null, activity(), 'model:m')!.incident
    expect(applyActivity(open, activity({ eventId: 'e-other' }), 'model:m')).toBeNull()
  })

  it('resolves the incident when its last firing alert resolves, and not before', () => {
    let open = applyActivity(null, activity(), 'model:m')!.incident
    open = applyActivity(open, activity({ fingerprint: 'f2', severity: 'ticket' }), 'model:m')!.incident
    const first = applyActivity(open, activity({ status: 'resolved', atMs: 3000 }), 'model:m')!
    expect(first.incident.status).toBe('triage')
    const last = applyActivity(first.incident, activity({ fingerprint: 'f2', status: 'resolved', atMs: 4000 }), 'model:m')!
    expect(last.incident).toMatchObject({ status: 'resolved', resolvedAtMs: 4000 })
    expect(last.events.map((e) => e.kind)).toEqual(['alert_resolved', 'resolved'])
  })

  it('groups by model first, then by SLO, and not at all without either', () => {
    expect(groupKeyOf({ model: 'm', slo: 's' })).toBe('model:m')
    expect(groupKeyOf({ slo: 's' })).toBe('slo:s')
    expect(groupKeyOf({ alertname: 'x' })).toBeNull()
  })
})

describe('applyPatch', () => {
  const open = applyActivity(null, activity(), 'model:m')!.incident
  const who = { actor: 'ops', requestId: 'r1', atMs: 5000 }
  const at = (status: IncidentStatus) => ({ ...open, status })

  it.each(Object.entries(TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => [from, to] as const)))('allows %s → %s', (from, to) => {
    expect(applyPatch(at(from as IncidentStatus), { status: to }, who)!.incident.status).toBe(to)
  })

  it('refuses going back to triage, and anything after resolved, naming both statuses', () => {
    expect(() => applyPatch(at('investigating'), { status: 'triage' }, who)).toThrow(TransitionError)
    expect(() => applyPatch(at('resolved'), { status: 'investigating' }, who)).toThrow(/"resolved" to "investigating"/)
  })

  it('treats the same status again as no change, and records notes and assignees as entries', () => {
    expect(applyPatch(open, { status: 'triage' }, who)).toBeNull()
    const c = applyPatch(open, { note: 'n', assignee: 'alice' }, who)!
    expect(c.events.map((e) => e.kind)).toEqual(['assignee', 'note'])
    expect(c.incident).toMatchObject({ assignee: 'alice', revision: 2 })
  })
})
