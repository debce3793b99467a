import type { Command } from './command-context.ts'
import { callHighway, remoteOptions, connect } from './remote.ts'

/** One alert as `GET /v1/alerts` answers it (the fields the table shows). */
export interface AlertRow {
  readonly fingerprint: string
  readonly source: string
  readonly state: string
  readonly labels: Readonly<Record<string, string>>
  readonly activeAt: string
  readonly firedAt: string | null
  readonly resolvedAt: string | null
  readonly silenced: boolean
  readonly acknowledged: { readonly by: string; readonly at: string } | null
}

const STATES = ['inactive', 'pending', 'firing', 'resolved'] as const

/** Columns padded to their widest cell; the last column is not padded. */
export function renderTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')
}

/** Alerts as a table for a terminal: one row each, the state and what it is about first. */
export function renderAlerts(alerts: readonly AlertRow[]): string {
  if (alerts.length === 0) return 'no alerts'
  const since = (a: AlertRow): string => a.resolvedAt ?? a.firedAt ?? a.activeAt
  return renderTable([
    ['STATE', 'SEVERITY', 'ALERTNAME', 'MODEL', 'SLO', 'SOURCE', 'SINCE', 'SILENCED', 'ACK', 'FINGERPRINT'],
    ...alerts.map((a) => [
      a.state,
      a.labels.severity ?? '',
      a.labels.alertname ?? '',
      a.labels.model ?? '',
      a.labels.slo ?? '',
      a.source,
      since(a),
      a.silenced ? 'yes' : '',
      a.acknowledged ? a.acknowledged.by : '',
      a.fingerprint,
    ]),
  ])
}

/** `highway alerts [--state S] [--model M] [--json]`: the current alerts of a running Highway. */
export const alertsCommand: Command = async ({ args, env, help, stdout, stderr }) => {
  if (args.positionals.length > 0) {
    stderr.write(`highway alerts: unexpected argument ${JSON.stringify(args.positionals[0])}\n\n${help}\n`)
    return 2
  }
  const state = args.values.state
  if (state !== undefined && !(STATES as readonly string[]).includes(state)) {
    stderr.write(`highway alerts: --state must be one of ${STATES.join(', ')}, got ${JSON.stringify(state)}\n`)
    return 2
  }
  const options = remoteOptions(args, env)
  const remote = connect(options)
  const q = new URLSearchParams()
  if (state) q.set('state', state)
  if (args.values.model) q.set('model', args.values.model)
  const query = q.toString()
  const key = options.apiKey ?? env.HIGHWAY_API_KEY
  const body = (await callHighway({ url: remote.url, path: `/v1/alerts${query ? `?${query}` : ''}`, method: 'GET', ...(key ? { apiKey: key } : {}) })) as { alerts: AlertRow[] }
  stdout.write(`${args.values.json ? JSON.stringify(body) : renderAlerts(body.alerts)}\n`)
  return 0
}
