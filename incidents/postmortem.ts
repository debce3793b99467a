import type { IncidentDetailView } from './routes.ts'

// A postmortem skeleton in Markdown, pure: the sections of the Google SRE Workbook's example postmortem (ch. 10,
// "Postmortem Culture"): summary, impact, detection, root causes, trigger, resolution, timeline, action items —
// pre-filled from the incident's record so the author starts from facts, and marked TODO where judgement is needed.

const minutes = (fromIso: string, toIso: string | null): string => {
  if (toIso === null) return 'ongoing'
  const m = Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60_000)
  return m < 120 ? `${m} min` : `${(m / 60).toFixed(1)} h`
}
const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ')

/** The postmortem skeleton of one incident. */
export function postmortemMarkdown(d: IncidentDetailView): string {
  const i = d.incident
  const lines: string[] = []
  const firstAlert = [...i.alerts].sort((a, b) => a.firedAt.localeCompare(b.firedAt))[0]
  const trigger = d.causes.find((c) => c.kind === 'release' || c.kind === 'alias_change')
  lines.push(`# Postmortem: ${i.title}`, '')
  lines.push(`Incident \`${i.id}\` · severity ${i.severity} · status ${i.status}${i.assignee ? ` · owner ${i.assignee}` : ''}`, '')
  lines.push('## Summary', '')
  lines.push(`${i.title}. Onset ${i.onsetAt}, opened ${i.openedAt}, ${i.resolvedAt ? `resolved ${i.resolvedAt}` : 'not resolved yet'} (duration ${minutes(i.onsetAt, i.resolvedAt)}).`, '')
  lines.push('## Impact', '')
  lines.push(`- Models: ${i.models.length > 0 ? i.models.join(', ') : '—'}`)
  lines.push(`- SLOs: ${i.slos.length > 0 ? i.slos.join(', ') : '—'}`)
  for (const b of d.budget) lines.push(`- Error budget of ${b.slo} consumed during the incident: ${b.consumed === null ? 'unknown' : `${(b.consumed * 100).toFixed(1)}%`}`)
  lines.push('- TODO: who was affected, and how (requests, users, decisions).', '')
  lines.push('## Detection', '')
  lines.push(firstAlert ? `Detected by alert ${firstAlert.alertname} (${firstAlert.severity}), firing since ${firstAlert.firedAt}${firstAlert.summary ? `: ${firstAlert.summary}` : ''}.` : 'TODO: how was it detected?')
  lines.push(`Alerts collected: ${i.alerts.map((a) => `${a.alertname} (${a.severity})`).join(', ') || '—'}.`, '')
  lines.push('## Root causes', '')
  if (d.causes.length === 0) lines.push('No probable cause found in releases, drift, data quality, quarantine or labels. TODO.')
  for (const c of d.causes.slice(0, 5)) lines.push(`- **${c.kind}** \`${c.ref}\` — score ${c.score}; ${Object.entries(c.evidence).map(([k, v]) => `${k}: ${String(v)}`).join(', ')}`)
  lines.push('- TODO: confirm or reject each candidate.', '')
  lines.push('## Trigger', '')
  lines.push(trigger ? `Probably ${trigger.kind.replace('_', ' ')} ${trigger.ref} (${String(trigger.evidence.minutes_before_onset ?? '?')} min before the onset). TODO: confirm.` : 'TODO: what set it off?', '')
  lines.push('## Resolution', '')
  const mitigations = d.timeline.filter((t) => t.source === 'audit' && /rollback|runbook|freeze/.test(t.kind))
  for (const m of mitigations) lines.push(`- ${m.at}: ${m.summary} (${m.actor})`)
  lines.push(i.resolvedAt ? `Resolved ${i.resolvedAt}. TODO: what fixed it.` : 'TODO: not resolved yet.', '')
  lines.push('## Timeline', '', '| time (UTC) | who | what |', '|---|---|---|')
  for (const t of d.timeline) lines.push(`| ${t.at} | ${cell(t.actor)} | ${cell(t.summary)} |`)
  lines.push('', '## Action items', '', '| action | type | owner | tracking |', '|---|---|---|---|', '| TODO | prevent / mitigate / detect | | |', '')
  return lines.join('\n')
}
