import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Route } from '../server/index.ts'
import { hashSecret } from '../server/index.ts'
import { BOOKING_MODEL, startTestService } from './support/service.ts'
import { BOOKING_AVAILABILITY_SLO as SPEC } from './support/slo-spec.ts'
import { makeTempDir } from './support/temp-dir.ts'

// Every route the service mounts, with every component running, is in /openapi.json with its scope, and answers
// each kind of caller as its scope says: no key and a bad key → 401, a key without the scope → 403, a key limited to
// another model → 403 on a model's path, the right key → anything but 401/403.
const CHURN_MODEL = { name: 'churn', task: 'regression', features: { tenure_days: { type: 'number', min: 0 } } }
const KEYS = [
  { id: 'ingest', scopes: ['ingest'] },
  { id: 'read', scopes: ['read'] },
  { id: 'operate', scopes: ['operate'] },
  { id: 'admin', scopes: ['admin'] },
  { id: 'admin-churn', scopes: ['admin'], models: ['churn'] },
] as const
type KeyId = (typeof KEYS)[number]['id']
const secret = (id: KeyId) => `secret-${id}`
// A key that lacks each scope (admin implies every scope; operate implies read).
const WITHOUT: Record<string, KeyId> = { ingest: 'read', read: 'ingest', operate: 'read', admin: 'operate' }

const dirs = makeTempDir('route-contract')
let service: Awaited<ReturnType<typeof startTestService>>
let doc: { paths: Record<string, Record<string, { security: unknown; 'x-highway-scope': string; responses: Record<string, unknown> }>> }

beforeAll(async () => {
  const slos = join(dirs.dir, 'slos')
  mkdirSync(slos)
  writeFileSync(join(slos, 'booking.yaml'), SPEC)
  service = await startTestService(
    { models: [BOOKING_MODEL, CHURN_MODEL], slos, runbooks: join(import.meta.dirname, '..', 'examples', 'runbooks'), auth: { keys: KEYS.map((k) => ({ ...k, sha256: hashSecret(secret(k.id)) })) } },
    { components: ['collector', 'analyzer', 'slo', 'serving'] },
  )
  doc = (await (await fetch(`${service.url}/openapi.json`)).json()) as typeof doc
})
afterAll(async () => {
  await service?.stop()
  dirs.cleanup()
})

/** A concrete path for a template: model parameters name booking-spam, the rest get plausible values. */
function pathOf(route: Route): string {
  return route.path.replace(/\{([^}]+)\}/g, (_, name: string) => (name === route.modelParam ? 'booking-spam' : /version|^v$/.test(name) ? '1' : name === 'alias' ? 'champion' : 'x'))
}

async function call(route: Route, key: KeyId | 'none' | 'bad'): Promise<number> {
  const headers: Record<string, string> = key === 'none' ? {} : { authorization: `Bearer ${key === 'bad' ? 'not-a-key' : secret(key)}` }
  const withBody = route.body !== undefined || route.rawBody !== undefined
  const res = await fetch(`${service.url}${pathOf(route)}`, { method: route.method.toUpperCase(), headers: { ...headers, ...(withBody ? { 'content-type': 'application/json' } : {}) }, ...(withBody ? { body: '{}' } : {}) })
  await res.arrayBuffer()
  return res.status
}

describe('every mounted route', () => {
  it('is served by the HTTP shell, with no other router behind it', () => {
    expect(service.routes.length).toBeGreaterThan(35)
    const keys = service.routes.map((r) => `${r.method} ${r.path}`)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('is in /openapi.json with its scope, a summary and its answers', () => {
    const missing = service.routes.filter((r) => doc.paths[r.path]?.[r.method] === undefined).map((r) => `${r.method.toUpperCase()} ${r.path}`)
    expect(missing).toEqual([])
    for (const r of service.routes) {
      const op = doc.paths[r.path]![r.method]!
      expect(op['x-highway-scope'], `${r.method} ${r.path}`).toBe(r.scope)
      expect(op.security).toEqual(r.scope === 'public' ? [] : [{ bearer: [r.scope] }])
      expect(Object.keys(op.responses).some((s) => s.startsWith('2')), `${r.method} ${r.path} documents a success answer`).toBe(true)
    }
  })

  it('answers 401 without a key or with an unknown one, 403 without the scope, and lets the right key through', async () => {
    const wrong: string[] = []
    for (const r of service.routes) {
      const name = `${r.method.toUpperCase()} ${r.path}`
      if (r.scope === 'public') {
        for (const k of ['none', 'bad', 'ingest'] as const) {
          const s = await call(r, k)
          if (s === 401 || s === 403) wrong.push(`${name} with ${k}: ${s}`)
        }
        continue
      }
      for (const [k, want] of [['none', 401], ['bad', 401], [WITHOUT[r.scope]!, 403]] as const) {
        const s = await call(r, k)
        if (s !== want) wrong.push(`${name} with ${k}: ${s}, want ${want}`)
      }
      const right = await call(r, 'admin')
      if (right === 401 || right === 403) wrong.push(`${name} with admin: ${right}`)
      if (r.modelParam) {
        const limited = await call(r, 'admin-churn')
        if (limited !== 403) wrong.push(`${name} with a key limited to churn: ${limited}, want 403`)
      }
    }
    expect(wrong).toEqual([])
  })
})
