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
  return { url, get: (path) => callHighway({ url, path, method: 'GET', ...(key ? { apiKey: key } : {}) }) }
}

/**
 * One request to a running Highway: the parsed JSON answer (or its text), or an Error that says what went wrong:
 * `cannot reach Highway at URL (cause)…` when nothing answered, `STATUS from URL/PATH: message` for a non-2xx.
 */
export async function callHighway(options: { url: string; path: string; method: 'GET' | 'POST' | 'DELETE'; apiKey?: string; body?: unknown }): Promise<unknown> {
  const { url, path } = options
  const headers: Record<string, string> = {
    ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  }
  let res: { status: number; text: string }
  try {
    res = await exchange(`${url}${path}`, options.method, headers, options.body === undefined ? undefined : JSON.stringify(options.body))
  } catch (err) {
    throw new Error(`cannot reach Highway at ${url} (${(err as Error).message}); start it with \`highway start\` or pass --url`)
  }
  let body: unknown
  try {
    body = JSON.parse(res.text)
  } catch {
    body = res.text
  }
  if (res.status < 200 || res.status > 299) {
    const message = typeof body === 'object' && body !== null && 'error' in body ? String((body as { error: unknown }).error) : res.text.slice(0, 300)
    throw new Error(`${res.status} from ${url}${path}: ${message}`)
  }
  return body
}

// node:http rather than fetch: the first fetch loads undici, ~9 MB and a large share of start-up for what is, in a
// CLI command, a single request (bench/RESULTS.md, cli). No redirects are followed; Highway answers none.
async function exchange(url: string, method: 'GET' | 'POST' | 'DELETE', headers: Record<string, string>, body: string | undefined): Promise<{ status: number; text: string }> {
  const target = new URL(url)
  const { request } = target.protocol === 'https:' ? await import('node:https') : await import('node:http')
  return new Promise((resolve, reject) => {
    const req = request(target, { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
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
