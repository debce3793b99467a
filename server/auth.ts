import { createHash, timingSafeEqual } from 'node:crypto'
import type { ApiKey, Scope } from '../config/index.ts'
import { AppError } from './errors.ts'

/** Who is calling: a configured key, or everyone when no keys are configured (loopback only). */
export interface Principal {
  readonly id: string
  readonly scopes: ReadonlySet<Scope>
  /** Models the key may touch; undefined means all. */
  readonly models?: ReadonlySet<string>
}

// admin implies every scope; operate implies read (an operator reads what they act on).
const IMPLIED: Record<Scope, readonly Scope[]> = { admin: ['admin', 'operate', 'read', 'ingest'], operate: ['operate', 'read'], read: ['read'], ingest: ['ingest'] }

const ANONYMOUS: Principal = { id: 'anonymous', scopes: new Set<Scope>(['admin', 'operate', 'read', 'ingest']) }

/** Authenticates bearer keys against sha256 digests in constant time and checks scopes. */
export class Authenticator {
  readonly #keys: ReadonlyArray<{ key: ApiKey; digest: Buffer }>

  constructor(keys: readonly ApiKey[]) {
    this.#keys = keys.map((key) => ({ key, digest: Buffer.from(key.sha256, 'hex') }))
  }

  /** True when no key is configured: every request is allowed, so the server must stay on loopback. */
  get open(): boolean {
    return this.#keys.length === 0
  }

  /** The principal for an Authorization header value; throws 401 when missing or unknown. */
  authenticate(header: string | undefined): Principal {
    if (this.open) return ANONYMOUS
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
    if (!match) throw new AppError('unauthorized', header ? 'Authorization must be "Bearer <key>"' : 'missing Authorization: Bearer <key>')
    const digest = createHash('sha256').update(match[1]!).digest()
    let found: ApiKey | undefined
    // Compare against every key, without an early exit, so timing does not reveal which prefix matched.
    for (const { key, digest: want } of this.#keys) if (timingSafeEqual(digest, want) && found === undefined) found = key
    if (!found) throw new AppError('unauthorized', 'unknown API key')
    return {
      id: found.id,
      scopes: new Set(found.scopes.flatMap((s) => IMPLIED[s])),
      ...(found.models ? { models: new Set(found.models) } : {}),
    }
  }
}

/** Throws 403 unless the principal holds the scope. */
export function assertScope(principal: Principal, scope: Scope): void {
  if (!principal.scopes.has(scope)) throw new AppError('forbidden', `key "${principal.id}" lacks the "${scope}" scope`)
}

/** Throws 403 unless the principal may touch the model. */
export function assertModelAllowed(principal: Principal, model: string): void {
  if (principal.models && !principal.models.has(model)) throw new AppError('forbidden', `key "${principal.id}" may not access model "${model}"`)
}

/** sha256 hex of a secret: what goes into `auth.keys[].sha256`. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}
