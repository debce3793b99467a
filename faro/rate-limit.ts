/** A token bucket per key: `ratePerMinute` tokens a minute, holding at most that many (one minute's burst). Pure: `nowMs` comes in. */
export interface RateLimiter {
  /** Takes one token for `key`; when none is left, how long until one is, in whole seconds (Retry-After). */
  take(key: string, nowMs: number): { ok: true } | { ok: false; retryAfterSeconds: number }
}

/** Builds the limiter. Keys are the configured app names, so the map stays as small as the config. */
export function createRateLimiter(options: { ratePerMinute: number }): RateLimiter {
  const perMs = options.ratePerMinute / 60_000
  const capacity = options.ratePerMinute
  const buckets = new Map<string, { tokens: number; atMs: number }>()
  return {
    take(key, nowMs) {
      const b = buckets.get(key) ?? { tokens: capacity, atMs: nowMs }
      // A clock that went back (a simulated clock rewound) refills nothing and takes nothing away.
      b.tokens = Math.min(capacity, b.tokens + Math.max(0, nowMs - b.atMs) * perMs)
      b.atMs = nowMs
      buckets.set(key, b)
      if (b.tokens >= 1) {
        b.tokens -= 1
        return { ok: true }
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) }
    },
  }
}
