import type { Command } from './command-context.ts'
import { callHighway, remoteOptions } from './remote.ts'

interface StepView {
  readonly index: number
  readonly action: string
  readonly name: string
  readonly status: string
  readonly error: string
  readonly durationMs: number | null
}
interface RunView {
  readonly id: string
  readonly runbook: string
  readonly model: string
  readonly status: string
  readonly reason: string
  readonly createdAt: string
  readonly durationMs: number | null
  readonly trigger: Record<string, unknown>
  readonly detail: Record<string, unknown>
  readonly steps?: readonly StepView[]
}

const seconds = (ms: number | null): string => (ms === null ? '…' : `${(ms / 1000).toFixed(1)} s`)

/** One line per run. */
function renderRuns(runs: readonly RunView[]): string {
  if (runs.length === 0) return 'no runs'
  return runs.map((r) => `${r.id}  ${r.runbook}  ${r.model}  ${r.status.padEnd(9)} ${r.createdAt}  ${seconds(r.durationMs)}${r.reason ? `  ${r.reason}` : ''}`).join('\n')
}

/** A run and its steps (or, for a dry run, its plan). */
function renderRun(r: RunView): string {
  const plan = Array.isArray(r.detail.plan) ? (r.detail.plan as Array<Record<string, unknown>>) : []
  return [
    `${r.id}: runbook ${r.runbook} for ${r.model} — ${r.status}${r.reason ? ` (${r.reason})` : ''}`,
    `  trigger ${String(r.trigger.kind)} by ${String(r.trigger.actor)} at ${r.createdAt}`,
    ...(r.steps ?? []).map((s) => `  ${s.index + 1}. ${s.name.padEnd(24)} ${s.status.padEnd(9)} ${seconds(s.durationMs)}${s.error ? `  ${s.error}` : ''}`),
    ...plan.map((p) => `  plan ${Number(p.index) + 1}. ${String(p.name)}${p.dangerous ? ' (dangerous: waits for approval)' : ''}${p.wouldRefuse ? `  would refuse: ${String(p.wouldRefuse)}` : ''}`),
    ...(r.detail.wouldRefuse ? [`  would refuse: ${String(r.detail.wouldRefuse)}`] : []),
  ].join('\n')
}

/**
 * `highway runbook validate [DIR]` checks runbook files here (exit 1 naming file, key and value); `list`, `runs`,
 * `show ID`, `run NAME --model M [--dry-run]`, `approve ID`, `cancel ID` ask a running Highway.
 */
export const runbookCommand: Command = async ({ args, env, help, stdout, stderr, configIfGiven }) => {
  const [sub, arg] = args.positionals
  const json = args.values.json ?? false
  if (sub === 'validate') {
    const dir = arg ?? (await configIfGiven())?.runbooks
    if (!dir) {
      stderr.write('highway runbook validate: give a directory, or set runbooks: in the config\n')
      return 2
    }
    const { formatRunbookError, loadRunbookDirectory } = await import('../runbooks/index.ts')
    const r = await loadRunbookDirectory(dir)
    if (json) stdout.write(`${JSON.stringify(r.ok ? { ok: true, runbooks: r.runbooks.map((b) => b.metadata.name) } : { ok: false, errors: r.errors })}\n`)
    else stdout.write(`${r.ok ? `${r.runbooks.length} runbook(s) valid: ${r.runbooks.map((b) => b.metadata.name).join(', ')}` : r.errors.map(formatRunbookError).join('\n')}\n`)
    return r.ok ? 0 : 1
  }
  const remote = remoteOptions(args, env)
  const url = (remote.url ?? env.HIGHWAY_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '')
  const key = remote.apiKey ?? env.HIGHWAY_API_KEY
  const call = (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => callHighway({ url, path, method, ...(key ? { apiKey: key } : {}), ...(body !== undefined ? { body } : {}) })
  const need = (what: string): number => {
    stderr.write(`highway runbook ${sub ?? ''}: give ${what}\n`)
    return 2
  }
  let out: string
  switch (sub) {
    case 'list': {
      const body = (await call('GET', '/v1/runbooks')) as { runbooks: Array<{ name: string; description: string; steps: Array<{ action: string }> }> }
      out = json ? JSON.stringify(body) : body.runbooks.map((r) => `${r.name}  ${r.steps.map((s) => s.action).join(' → ')}${r.description ? `  ${r.description}` : ''}`).join('\n') || 'no runbooks'
      break
    }
    case 'runs': {
      const q = new URLSearchParams()
      if (args.values.model) q.set('model', args.values.model)
      if (args.values.status) q.set('status', args.values.status)
      const body = (await call('GET', `/v1/runbooks/runs${q.size > 0 ? `?${q.toString()}` : ''}`)) as { runs: RunView[] }
      out = json ? JSON.stringify(body) : renderRuns(body.runs)
      break
    }
    case 'show':
    case 'approve':
    case 'cancel': {
      if (!arg) return need('the run id')
      const body = (await call(sub === 'show' ? 'GET' : 'POST', `/v1/runbooks/runs/${encodeURIComponent(arg)}${sub === 'show' ? '' : `/${sub}`}`)) as RunView
      out = json ? JSON.stringify(body) : renderRun(body)
      break
    }
    case 'run': {
      if (!arg) return need("the runbook's name")
      if (!args.values.model) return need('--model M')
      const body = (await call('POST', `/v1/runbooks/${encodeURIComponent(arg)}/run`, { model: args.values.model, dryRun: args.values['dry-run'] ?? false })) as RunView
      out = json ? JSON.stringify(body) : renderRun(body)
      break
    }
    default:
      stderr.write(`highway runbook: unknown subcommand ${JSON.stringify(sub ?? '')}\n\n${help}\n`)
      return 2
  }
  stdout.write(`${out}\n`)
  return 0
}
