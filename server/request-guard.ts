import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'
import { AppError } from './errors.ts'

/** Which Host and Origin headers the service answers. */
export interface OriginPolicy {
  /** True when the service listens on loopback: then only loopback Host names are answered (DNS rebinding). */
  readonly loopback: boolean
  /** Origins allowed to send state-changing requests from a browser, besides the service's own. */
  readonly allowedOrigins: ReadonlySet<string>
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (isIP(host) === 4) return host.startsWith('127.')
  return host === '::1' || host === '[::1]'
}

function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1)
  const colon = hostHeader.lastIndexOf(':')
  return (colon < 0 ? hostHeader : hostHeader.slice(0, colon)).toLowerCase()
}

/**
 * Refuses what a web page on another site could make a browser send. On a loopback bind (the keyless default) a
 * `Host` that is not a loopback name is a DNS-rebinding page: refused for every method. A state-changing request
 * whose `Origin` is neither the service's own nor configured is a cross-site request: refused. Clients that are
 * not browsers send no `Origin` and are not affected. `routeAllows` is the matched route's own CORS policy (the Faro
 * intake lets the configured web apps' origins through, and no other route does).
 */
export function checkRequestOrigin(req: IncomingMessage, policy: OriginPolicy, routeAllows?: (origin: string) => boolean): void {
  const host = req.headers.host
  if (policy.loopback && host !== undefined && !isLoopback(hostnameOf(host))) {
    throw new AppError('forbidden', `Host ${JSON.stringify(host.slice(0, 100))} is not a loopback name: this service listens on loopback only`)
  }
  const origin = req.headers.origin
  if (origin === undefined || !STATE_CHANGING.has(req.method ?? '')) return
  if (policy.allowedOrigins.has(origin)) return
  if (routeAllows?.(origin) === true) return
  let sameOrigin = false
  try {
    sameOrigin = host !== undefined && new URL(origin).host === host.toLowerCase()
  } catch {
    sameOrigin = false
  }
  if (!sameOrigin) throw new AppError('forbidden', `cross-origin ${req.method} from ${JSON.stringify(origin.slice(0, 100))} is refused`)
}
