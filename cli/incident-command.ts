import { postmortemMarkdown, type IncidentDetailView, type IncidentView } from '../incidents/index.ts'
import type { Command } from './command-context.ts'
import { connect, remoteOptions } from './remote.ts'

/** Renders incidents for a terminal: one line each. */
export function renderIncidentList(incidents: readonly IncidentView[]): string {
  if (incidents.length === 0) return 'no incidents'
  return incidents
    .map((i) => `${i.id}  ${i.status.padEnd(13)} ${i.severity.padEnd(6)} ${i.openedAt}${i.resolvedAt ? ` → ${i.resolvedAt}` : ''}  ${i.title}${i.assignee ? `  (${i.assignee})` : ''}`)
    .join('\n')
}

/** Renders one incident for a terminal: its state, probable causes and timeline. */
export function renderIncident(d: IncidentDetailView): string {
  const i = d.incident
  return [
    `${i.id}: ${i.title}`,
    `  ${i.status}, ${i.severity}; onset ${i.onsetAt}, opened ${i.openedAt}${i.resolvedAt ? `, resolved ${i.resolvedAt}` : ''}${i.assignee ? `; assigned to ${i.assignee}` : ''}`,
    `  models: ${i.models.join(', ') || '—'}; SLOs: ${i.slos.join(', ') || '—'}`,
    ...d.budget.map((b) => `  budget of ${b.slo} consumed: ${b.consumed === null ? 'unknown' : `${(b.consumed * 100).toFixed(1)}%`}`),
    'probable causes:',
    ...(d.causes.length > 0 ? d.causes.slice(0, 10).map((c) => `  ${c.score.toFixed(3)}  ${c.kind} ${c.ref}`) : ['  none found']),
    'timeline:',
    ...d.timeline.map((t) => `  ${t.at}  ${t.actor.padEnd(10)} ${t.summary}`),
  ].join('\n')
}

/** `highway incident list | show ID [--markdown]`, against a running Highway. */
export const incidentCommand: Command = async ({ args, env, help, stdout, stderr }) => {
  const [sub, id] = args.positionals
  if (sub !== 'list' && sub !== 'show') {
    stderr.write(`highway incident: unknown subcommand ${JSON.stringify(sub ?? '')}\n\n${help}\n`)
    return 2
  }
  const remote = connect(remoteOptions(args, env))
  if (sub === 'list') {
    const q = new URLSearchParams()
    for (const key of ['status', 'model', 'from', 'to'] as const) {
      const v = args.values[key]
      if (typeof v === 'string') q.set(key, v)
    }
    const body = (await remote.get(`/v1/incidents${q.size > 0 ? `?${q}` : ''}`)) as { incidents: IncidentView[] }
    stdout.write(`${args.values.json ? JSON.stringify(body) : renderIncidentList(body.incidents)}\n`)
    return 0
  }
  if (!id) {
    stderr.write(`highway incident show: give the incident's id (highway incident list shows them)\n`)
    return 2
  }
  const body = (await remote.get(`/v1/incidents/${encodeURIComponent(id)}`)) as IncidentDetailView
  if (args.values.markdown) stdout.write(`${postmortemMarkdown(body)}\n`)
  else stdout.write(`${args.values.json ? JSON.stringify(body) : renderIncident(body)}\n`)
  return 0
}
