import type { HttpMethod, Route } from './route.ts'

/** A route matched to a request path, with its raw (decoded) path parameters. */
export interface RouteMatch {
  readonly route: Route
  readonly params: Record<string, string>
  /** The route's Prometheus label ({@link routeLabel}), computed once per route rather than per request. */
  readonly label: string
}

interface Compiled {
  readonly route: Route
  readonly pattern: RegExp
  readonly names: readonly string[]
  readonly label: string
}

/** What `match` found: a route, or the methods the path does answer (405), or nothing (404). */
export type MatchResult = { readonly kind: 'found'; readonly match: RouteMatch } | { readonly kind: 'method'; readonly allow: readonly HttpMethod[] } | { readonly kind: 'none' }

const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/

/** Static segments outrank parameters, so `/v1/runbooks/runs` wins over `/v1/runbooks/{name}`. */
function specificity(path: string): string {
  return path
    .split('/')
    .map((s) => (PARAM.test(s) ? '1' : '0'))
    .join('')
}

/** Compiles OpenAPI path templates once; matching is a scan of the method's routes, most specific first. */
export function createRouter(routes: readonly Route[]): { match(method: string, path: string): MatchResult } {
  const byMethod = new Map<string, Compiled[]>()
  const seen = new Set<string>()
  for (const route of routes) {
    const key = `${route.method} ${route.path.replace(/\{[^}]+\}/g, '{}')}`
    if (seen.has(key)) throw new Error(`route ${route.method.toUpperCase()} ${route.path} is declared twice`)
    seen.add(key)
    const names: string[] = []
    const source = route.path
      .split('/')
      .map((segment) => {
        const p = PARAM.exec(segment)
        if (!p) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        names.push(p[1]!)
        return '([^/]+)'
      })
      .join('/')
    const list = byMethod.get(route.method) ?? []
    list.push({ route, pattern: new RegExp(`^${source}$`), names, label: routeLabel(route.path) })
    byMethod.set(route.method, list)
  }
  for (const list of byMethod.values()) list.sort((a, b) => (specificity(a.route.path) < specificity(b.route.path) ? -1 : 1))

  const find = (method: string, path: string): RouteMatch | undefined => {
    for (const c of byMethod.get(method) ?? []) {
      const m = c.pattern.exec(path)
      if (!m) continue
      const params: Record<string, string> = {}
      for (let i = 0; i < c.names.length; i++) params[c.names[i]!] = m[i + 1]!
      return { route: c.route, params, label: c.label }
    }
    return undefined
  }
  return {
    match(method, path) {
      const found = find(method, path)
      if (found) return { kind: 'found', match: found }
      const allow = [...byMethod.keys()].filter((m) => m !== method && find(m, path)) as HttpMethod[]
      return allow.length ? { kind: 'method', allow } : { kind: 'none' }
    },
  }
}

/** The Prometheus `route` label of a template: express-style, as the label values have always been. */
export function routeLabel(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1')
}
