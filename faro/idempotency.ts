/**
 * Batches seen recently, by `app/Idempotency-Key`: a retry, or a second delivery racing the first, waits for the
 * first one's outcome instead of storing again. Bounded (oldest forgotten first) and time-limited; across processes
 * ClickHouse's insert deduplication token (the same key) keeps the events once.
 */
export interface RecentBatches {
  /** Runs `store` for a new key; for a key seen within the window, the first run's promise (re-run if it failed). */
  once<T>(key: string, nowMs: number, store: () => Promise<T>): { first: boolean; result: Promise<T> }
}

/** Builds the window: at most `maxKeys` keys, each kept `ttlMs`. */
export function createRecentBatches(options: { maxKeys: number; ttlMs: number }): RecentBatches {
  const seen = new Map<string, { atMs: number; result: Promise<unknown> }>()
  return {
    once<T>(key: string, nowMs: number, store: () => Promise<T>) {
      const had = seen.get(key)
      if (had && nowMs - had.atMs <= options.ttlMs) return { first: false, result: had.result as Promise<T> }
      seen.delete(key)
      const result = store()
      seen.set(key, { atMs: nowMs, result })
      // A failed batch is forgotten, so its retry is stored (the SDK retries 429 and 5xx with the same key).
      result.catch(() => {
        if (seen.get(key)?.result === result) seen.delete(key)
      })
      while (seen.size > options.maxKeys) seen.delete(seen.keys().next().value!)
      return { first: true, result }
    },
  }
}
