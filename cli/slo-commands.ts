import type { SloStatus } from '../slo/index.ts'
import type { Command } from './command-context.ts'
import { connect, remoteOptions } from './remote.ts'

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(3)}%`)
const num = (x: number | null | undefined) => (x === null || x === undefined ? '—' : Number(x.toPrecision(3)).toString())

/** Renders SLO statuses for a terminal: one block per SLO. */
export function renderSlos(slos: readonly SloStatus[]): string {
  return slos
    .map((s) => {
      const firing = s.alerts.filter((a) => a.firing).map((a) => `${a.severity.toUpperCase()} (${a.long_window}/${a.short_window} > ${num(a.factor)})`)
      return [
        `${s.service}/${s.name}: target ${pct(s.target)} over ${s.window.duration}${s.window.rolling ? ' rolling' : ''}, ${s.budgeting_method}${s.status !== 'ok' ? ` — ${s.status}${s.detail ? `: ${s.detail}` : ''}` : ''}`,
        `  SLI ${pct(s.sli.ratio)} (${s.sli.good} good of ${s.sli.total}); budget remaining ${pct(s.error_budget.remaining)}${s.time_to_exhaustion_s !== null ? `, exhausted in ${num(s.time_to_exhaustion_s / 3600)} h at the current burn` : ''}${s.policy.frozen ? '; RELEASES FROZEN' : ''}`,
        `  burn rates: ${Object.entries(s.burn_rates).map(([w, b]) => `${w} ${num(b)}`).join(', ')}`,
        `  alerts: ${firing.length ? firing.join(', ') : 'none firing'}`,
      ].join('\n')
    })
    .join('\n\n')
}

/**
 * `highway slo validate [DIR]` checks OpenSLO specs here; `highway slo list | show NAME` asks a running Highway.
 * Validation imports slo/spec/ (its own entry) on use: slo/index.ts would also load evaluation, routes and storage.
 */
export const sloCommand: Command = async ({ args, env, help, stdout, stderr, configIfGiven }) => {
  const [sub, dirArg] = args.positionals
  if (sub === 'list' || sub === 'show') {
    if (sub === 'show' && !dirArg) {
      stderr.write(`highway slo show: give the SLO's name\n`)
      return 2
    }
    const remote = connect(remoteOptions(args, env))
    const body = await remote.get(sub === 'list' ? '/v1/slos' : `/v1/slos/${encodeURIComponent(dirArg!)}`)
    stdout.write(`${args.values.json ? JSON.stringify(body) : renderSlos(sub === 'list' ? (body as { slos: SloStatus[] }).slos : [body as SloStatus])}\n`)
    return 0
  }
  if (sub !== 'validate') {
    stderr.write(`highway slo: unknown subcommand ${JSON.stringify(sub ?? '')}\n\n${help}\n`)
    return 2
  }
  const config = await configIfGiven()
  const dir = dirArg ?? config?.slos
  if (!dir) {
    stderr.write(`highway slo validate: give a directory, or set slos: in the config\n`)
    return 2
  }
  const { validateSloCommand } = await import('../slo/spec/index.ts')
  const result = await validateSloCommand(dir, { json: args.values.json ?? false, ...(config ? { models: config.models } : {}) })
  stdout.write(`${result.output}\n`)
  return result.exitCode
}
