import type { HighwayEnv } from '../config/index.ts'
import type { ParsedFlags } from './flags.ts'

/** A running Highway, as CLI commands reach it. */
export interface Remote {
  readonly url: string
  get(path: string): Promise<unknown>
}

/** Connects to `--url` (or HIGHWAY_URL, default http://127.0.0.1:8080) with `--api-key` (or HIGHWAY_API_KEY). */
export function connect(options: { url?: string; apiKey?: string; env: HighwayEnv }): Remote {
  const url = (options.url ?? options.env.HIGHWAY_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '')
  const key = options.apiKey ?? options.env.HIGHWAY_API_KEY
  return {
    url,
    async get(path) {
      let res: Response
      try {
        res = await fetch(`${url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} })
      } catch (err) {
        throw new Error(`cannot reach Highway at ${url} (${(err as Error).message}); start it with \`highway start\` or pass --url`)
      }
      const text = await res.text()
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        body = text
      }
      if (!res.ok) {
        const message = typeof body === 'object' && body !== null && 'error' in body ? String((body as { error: unknown }).error) : text.slice(0, 300)
        throw new Error(`${res.status} from ${url}${path}: ${message}`)
      }
      return body
    },
  }
}

/** Query string for a window: times given as ISO-8601 or epoch ms, passed through for the server to check. */
export function windowQuery(options: { from?: string; to?: string; version?: string }): string {
  const q = new URLSearchParams()
  if (options.from) q.set('from', options.from)
  if (options.to) q.set('to', options.to)
  if (options.version) q.set('version', options.version)
  const s = q.toString()
  return s ? `?${s}` : ''
}

/** `--url` and `--api-key` over the environment's HIGHWAY_URL and HIGHWAY_API_KEY, as connect() takes them. */
export function remoteOptions(args: ParsedFlags, env: HighwayEnv): { url?: string; apiKey?: string; env: HighwayEnv } {
  return { env, ...(args.values.url ? { url: args.values.url } : {}), ...(args.values['api-key'] ? { apiKey: args.values['api-key'] } : {}) }
}
