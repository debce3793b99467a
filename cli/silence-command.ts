import { userInfo } from 'node:os'
import type { Command } from './command-context.ts'
import { renderTable } from './alerts-command.ts'
import { callHighway, connect, remoteOptions } from './remote.ts'

/** A silence matcher as Alertmanager's API takes it. */
export interface CliMatcher {
  readonly name: string
  readonly value: string
  readonly isRegex: boolean
  readonly isEqual: boolean
}

/** A silence as `GET /v1/silences` answers it. */
export interface SilenceRow {
  readonly id: string
  readonly status: { readonly state: string }
  readonly matchers: readonly CliMatcher[]
  readonly startsAt: string
  readonly endsAt: string
  readonly createdBy: string
  readonly comment: string
}

// amtool's matcher syntax: name=value, name!=value, name=~regex, name!~regex; the value may be double-quoted.
const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/

/** Parses one `--matcher`; an error names the flag, the rule and the value. */
export function parseMatcher(text: string): CliMatcher {
  const m = MATCHER.exec(text)
  if (!m) throw new Error(`--matcher: must be name=value, name!=value, name=~regex or name!~regex; got ${JSON.stringify(text)}`)
  const [, name, op, raw] = m as unknown as [string, string, string, string]
  const value = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw
  return { name, value, isRegex: op === '=~' || op === '!~', isEqual: op === '=' || op === '=~' }
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const

/** Parses `--duration` (`90m`, `2h`, `1h30m`, `7d`) to milliseconds; an error names the flag and the value. */
export function parseDuration(text: string): number {
  if (!/^(\d+[smhdw])+$/.test(text)) throw new Error(`--duration: must be a duration such as 30m, 2h, 1h30m or 7d; got ${JSON.stringify(text)}`)
  let ms = 0
  for (const [, n, unit] of text.matchAll(/(\d+)([smhdw])/g)) ms += Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS]
  if (ms <= 0) throw new Error(`--duration: must be longer than zero; got ${JSON.stringify(text)}`)
  return ms
}

const matcherText = (m: CliMatcher): string => `${m.name}${m.isEqual ? (m.isRegex ? '=~' : '=') : m.isRegex ? '!~' : '!='}${JSON.stringify(m.value)}`

/** Silences as a table for a terminal. */
export function renderSilences(silences: readonly SilenceRow[]): string {
  if (silences.length === 0) return 'no silences'
  return renderTable([
    ['ID', 'STATE', 'MATCHERS', 'STARTS', 'ENDS', 'CREATED BY', 'COMMENT'],
    ...silences.map((s) => [s.id, s.status.state, s.matchers.map(matcherText).join(' '), s.startsAt, s.endsAt, s.createdBy, s.comment]),
  ])
}

/**
 * `highway silence add --matcher M … --duration D --comment C [--author A] | list | expire ID`, against a running
 * Highway (`POST /v1/silences`, `GET /v1/silences`, `DELETE /v1/silences/{id}`).
 */
export const silenceCommand: Command = async ({ args, env, help, stdout, stderr, command }) => {
  const [sub, id, ...extra] = args.positionals
  const usage = (message: string): number => {
    stderr.write(`highway ${command}: ${message}\n\n${help}\n`)
    return 2
  }
  if (extra.length > 0 || (sub !== 'expire' && id !== undefined)) return usage(`unexpected argument ${JSON.stringify(extra[0] ?? id)}`)
  const options = remoteOptions(args, env)
  const remote = connect(options)
  const key = options.apiKey ?? env.HIGHWAY_API_KEY
  const call = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) =>
    callHighway({ url: remote.url, path, method, ...(body !== undefined ? { body } : {}), ...(key ? { apiKey: key } : {}) })
  const print = (json: unknown, text: string): number => {
    stdout.write(`${args.values.json ? JSON.stringify(json) : text}\n`)
    return 0
  }
  switch (sub) {
    case 'add': {
      const matchers = args.values.matcher ?? []
      if (matchers.length === 0) return usage('add needs at least one --matcher name=value')
      if (!args.values.duration) return usage('add needs --duration (for example 2h)')
      if (!args.values.comment) return usage('add needs --comment saying why')
      let parsed: CliMatcher[]
      let durationMs: number
      try {
        parsed = matchers.map(parseMatcher)
        durationMs = parseDuration(args.values.duration)
      } catch (err) {
        return usage((err as Error).message)
      }
      const startsAtMs = Date.now()
      const body = {
        matchers: parsed,
        startsAt: new Date(startsAtMs).toISOString(),
        endsAt: new Date(startsAtMs + durationMs).toISOString(),
        createdBy: args.values.author ?? userInfo().username,
        comment: args.values.comment,
      }
      const answer = (await call('POST', '/v1/silences', body)) as { silenceID: string }
      return print({ ...answer, ...body }, `silence ${answer.silenceID} until ${body.endsAt}: ${parsed.map(matcherText).join(' ')}`)
    }
    case 'list': {
      const silences = (await call('GET', '/v1/silences')) as SilenceRow[]
      return print(silences, renderSilences(silences))
    }
    case 'expire': {
      if (!id) return usage('expire needs the silence ID (see highway silence list)')
      const expired = (await call('DELETE', `/v1/silences/${encodeURIComponent(id)}`)) as SilenceRow
      return print(expired, `silence ${expired.id} expired at ${expired.endsAt}`)
    }
    default:
      return usage(`unknown subcommand ${JSON.stringify(sub ?? '')}: add, list or expire`)
  }
}
