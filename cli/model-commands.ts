import type { HighwayEnv } from '../config/index.ts'
import type { Command } from './command-context.ts'
import { callHighway, connect, remoteOptions } from './remote.ts'

/** A running Highway as the model commands reach it: reads and operator actions. */
export interface ModelRemote {
  readonly url: string
  get(path: string): Promise<unknown>
  post(path: string, body: unknown): Promise<unknown>
}

/** Connects like the other remote commands (`--url`/HIGHWAY_URL, `--api-key`/HIGHWAY_API_KEY), adding POST. */
export function connectModelRemote(options: { url?: string; apiKey?: string; env: HighwayEnv }): ModelRemote {
  const remote = connect(options)
  const key = options.apiKey ?? options.env.HIGHWAY_API_KEY
  return {
    url: remote.url,
    get: (path) => remote.get(path),
    post: (path, body) => callHighway({ url: remote.url, path, method: 'POST', body, ...(key ? { apiKey: key } : {}) }),
  }
}

interface VersionSummary {
  version: number
  aliases: string[]
  task: string
  artifact: { sha256: string; bytes: number }
  dataset: { version: string }
  codeVersion: string
  metrics: Record<string, unknown>
  gatesPassed: boolean
  createdAt: string
  createdBy: string
}
interface VersionList {
  model: string
  aliases: Record<string, number>
  versions: VersionSummary[]
}
interface ReleaseSummary {
  id: string
  version: number
  stableVersion: number
  strategy: string
  fix: boolean
  state: string
  step: number
  weightPercent: number
  startedAt: string
  updatedAt: string
  events: Array<{ event: string; at: string; detail: unknown }>
}

const enc = encodeURIComponent

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')
}

function metricsText(m: Record<string, unknown>): string {
  return Object.entries(m)
    .filter(([, v]) => typeof v === 'number')
    .slice(0, 4)
    .map(([k, v]) => `${k}=${Number(v).toPrecision(4)}`)
    .join(' ')
}

async function versionsOf(remote: ModelRemote, model: string): Promise<VersionList | null> {
  try {
    return (await remote.get(`/v1/models/${enc(model)}/versions`)) as VersionList
  } catch (err) {
    if (/^404 /.test((err as Error).message)) return null
    throw err
  }
}

/** `highway models [list | show M]`: registered versions, aliases and releases, from a running service. */
export async function runModelsCommand(remote: ModelRemote, o: { sub: 'list' | 'show'; model?: string; json: boolean }): Promise<string> {
  if (o.sub === 'show') {
    const model = o.model!
    const [versions, releases] = await Promise.all([versionsOf(remote, model), remote.get(`/v1/models/${enc(model)}/releases`) as Promise<{ releases: ReleaseSummary[] }>])
    if (!versions) throw new Error(`model "${model}" has no registered version`)
    if (o.json) return JSON.stringify({ ...versions, releases: releases.releases })
    const lines = [
      `${model}: ${versions.versions.length} version(s); ${Object.entries(versions.aliases).map(([a, v]) => `${a} → v${v}`).join(', ') || 'no aliases'}`,
      '',
      table([
        ['VERSION', 'ALIASES', 'CREATED', 'BY', 'DATASET', 'CODE', 'GATES', 'METRICS'],
        ...versions.versions.map((v) => [String(v.version), v.aliases.join(',') || '-', v.createdAt, v.createdBy, v.dataset.version || '-', v.codeVersion.slice(0, 10) || '-', v.gatesPassed ? 'passed' : 'FAILED', metricsText(v.metrics) || '-']),
      ]),
    ]
    if (releases.releases.length > 0) {
      lines.push(
        '',
        table([
          ['RELEASE', 'STRATEGY', 'VERSION', 'FROM', 'STATE', 'STEP', 'STARTED'],
          ...releases.releases.slice(0, 10).map((r) => [r.id.slice(0, 8), `${r.strategy}${r.fix ? ' (fix)' : ''}`, String(r.version), String(r.stableVersion || '-'), r.state, r.step ? `${r.step} (${r.weightPercent}%)` : '-', r.startedAt]),
        ]),
      )
    }
    return lines.join('\n')
  }
  const configured = (await remote.get('/v1/models')) as { models: Array<{ name: string; task: string }> }
  const rows = await Promise.all(
    configured.models.map(async (m) => {
      const v = await versionsOf(remote, m.name)
      return { name: m.name, task: m.task, versions: v?.versions.length ?? 0, latest: v?.versions.at(-1)?.version ?? null, aliases: v?.aliases ?? {} }
    }),
  )
  if (o.json) return JSON.stringify({ models: rows })
  if (rows.length === 0) return 'no models configured'
  return table([['MODEL', 'TASK', 'VERSIONS', 'LATEST', 'CHAMPION'], ...rows.map((r) => [r.name, r.task, String(r.versions), r.latest === null ? '-' : String(r.latest), r.aliases.champion === undefined ? '-' : String(r.aliases.champion)])])
}

/** `highway release`: starts a canary, shadow or blue/green release. */
export async function runReleaseCommand(
  remote: ModelRemote,
  o: { model: string; version: number; strategy: string; fix: boolean; steps?: number[]; intervalSeconds?: number; json: boolean },
): Promise<string> {
  const body = { version: o.version, strategy: o.strategy, fix: o.fix, ...(o.steps ? { steps: o.steps } : {}), ...(o.intervalSeconds !== undefined ? { intervalSeconds: o.intervalSeconds } : {}) }
  const r = (await remote.post(`/v1/models/${enc(o.model)}/releases`, body)) as ReleaseSummary
  if (o.json) return JSON.stringify(r)
  if (r.strategy === 'bluegreen') return `${o.model}: version ${r.version} is the champion (blue/green, was ${r.stableVersion || 'none'}; kept loaded for an instant rollback). Release ${r.id}`
  return `${o.model}: ${r.strategy} release ${r.id} of version ${r.version} against ${r.stableVersion} started at ${r.weightPercent}%; follow it with \`highway models show ${o.model}\``
}

/** `highway rollback`: the champion goes back to the previous good version (or `--to`). */
export async function runRollbackCommand(remote: ModelRemote, o: { model: string; to?: number; json: boolean }): Promise<string> {
  const r = (await remote.post(`/v1/models/${enc(o.model)}/rollback`, o.to === undefined ? {} : { to: o.to })) as { outcome: string; message: string }
  return o.json ? JSON.stringify(r) : `${r.outcome === 'noop' ? 'nothing to do: ' : ''}${r.message}`
}

/** Parses `--steps 5,25,50,100`. */
export function parseSteps(raw: string | undefined): { ok: true; value: number[] | undefined } | { ok: false; error: string } {
  if (raw === undefined) return { ok: true, value: undefined }
  const steps = raw.split(',').map((s) => Number(s.trim()))
  if (steps.length === 0 || steps.some((s) => !Number.isFinite(s) || s <= 0 || s > 100)) return { ok: false, error: `--steps must be comma-separated percentages in (0, 100], got "${raw}"` }
  return { ok: true, value: steps }
}

/** `highway models | release | rollback`: the registry and releases of a running Highway. */
export const modelCommand: Command = async ({ command, args, env, help, stdout, stderr }) => {
  const fail = (message: string): number => {
    stderr.write(`highway ${command}: ${message}\n\n${help}\n`)
    return 2
  }
  const remote = connectModelRemote(remoteOptions(args, env))
  const json = args.values.json ?? false
  const positiveInt = (raw: string | undefined): number | undefined => {
    const n = Number(raw)
    return raw !== undefined && /^\d+$/.test(raw) && n > 0 ? n : undefined
  }
  let out: string
  if (command === 'models') {
    const [sub = 'list', model] = args.positionals
    if (sub !== 'list' && sub !== 'show') return fail(`unknown subcommand ${JSON.stringify(sub)}`)
    if (sub === 'show' && !model) return fail('give the model: highway models show M')
    out = await runModelsCommand(remote, { sub, ...(model ? { model } : {}), json })
  } else if (command === 'release') {
    const version = positiveInt(args.values.version)
    if (!args.values.model || version === undefined) return fail('--model and --version (a positive integer) are required')
    if (!['canary', 'shadow', 'bluegreen'].includes(args.values.strategy ?? '')) return fail(`--strategy must be canary, shadow or bluegreen, got ${JSON.stringify(args.values.strategy ?? '')}`)
    const steps = parseSteps(args.values.steps)
    if (!steps.ok) return fail(steps.error)
    const interval = args.values.interval === undefined ? undefined : Number(args.values.interval)
    if (interval !== undefined && !(interval > 0)) return fail(`--interval must be a positive number of seconds, got "${args.values.interval}"`)
    out = await runReleaseCommand(remote, { model: args.values.model, version, strategy: args.values.strategy!, fix: args.values.fix ?? false, json, ...(steps.value ? { steps: steps.value } : {}), ...(interval !== undefined ? { intervalSeconds: interval } : {}) })
  } else if (command === 'rollback') {
    if (!args.values.model) return fail('--model is required')
    const to = args.values.to === undefined ? undefined : positiveInt(args.values.to)
    if (args.values.to !== undefined && to === undefined) return fail(`--to must be a positive integer, got "${args.values.to}"`)
    out = await runRollbackCommand(remote, { model: args.values.model, json, ...(to !== undefined ? { to } : {}) })
  } else {
    throw new Error(`not a model command: ${command}`)
  }
  stdout.write(`${out}\n`)
  return 0
}
