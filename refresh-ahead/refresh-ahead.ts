/** A value as a read receives it, with the instant its load started (what it is "as of"). */
export interface Held<V> {
  readonly value: V
  /** Epoch ms at which the load that produced this value started. */
  readonly atMs: number
}

/** Options of {@link createRefreshAhead}. */
export interface RefreshAheadOptions<V> {
  /** Reads the current value of a key (a ClickHouse query, an evaluation). */
  readonly load: (key: string, startedAtMs: number) => Promise<V>
  readonly now: () => number
  /** Age at which a held value is refreshed in the background, by a read or by `tick`: ahead of `maxAgeMs`. */
  readonly refreshAfterMs: number
  /** Oldest value a read is served without waiting; an older one waits for its refresh. */
  readonly maxAgeMs: number
  /** A background refresh that failed (the held value stays; the next read or tick tries again). */
  readonly onError?: (key: string, error: unknown) => void
}

/** Stale-while-revalidate values per key, refreshed ahead of their bound, at most one load per key at a time. */
export interface RefreshAhead<V> {
  /**
   * The held value when it is no older than `maxAgeMs` (default: the option's), starting one background refresh
   * when it is older than `refreshAfterMs`; otherwise waits for a load (joining one in flight).
   */
  get(key: string, maxAgeMs?: number): Promise<Held<V>>
  /** Loads now, joining a load in flight for the key. */
  refresh(key: string): Promise<Held<V>>
  /** Holds `value` as of `atMs` unless a newer value is held (a write that knows the answer saves a read). */
  put(key: string, value: V, atMs: number): void
  /** The held value, if any, whatever its age. */
  peek(key: string): Held<V> | undefined
  /**
   * Periodic work: starts one background load for every key given or held that holds no value, or one older than
   * `refreshAfterMs` at `nowMs`, and no load is in flight for. Returns the loads started.
   */
  tick(nowMs: number, keys?: readonly string[]): Array<Promise<Held<V>>>
}

/**
 * Creates the cache. Pure of I/O itself: the clock and the loader are injected, so tests drive it with a
 * controllable clock and deferred promises.
 */
export function createRefreshAhead<V>(options: RefreshAheadOptions<V>): RefreshAhead<V> {
  if (!(options.refreshAfterMs >= 0 && options.refreshAfterMs <= options.maxAgeMs)) {
    throw new RangeError(`refreshAfterMs must be between 0 and maxAgeMs (${options.maxAgeMs}), got ${options.refreshAfterMs}`)
  }
  const held = new Map<string, Held<V>>()
  const loading = new Map<string, { readonly startedAtMs: number; readonly load: Promise<Held<V>> }>()

  const put = (key: string, value: V, atMs: number): void => {
    const current = held.get(key)
    // A slower load that started earlier never replaces a newer value.
    if (!current || current.atMs <= atMs) held.set(key, { value, atMs })
  }

  const refresh = (key: string): Promise<Held<V>> => {
    const running = loading.get(key)
    if (running) return running.load
    const startedAtMs = options.now()
    const load = (async () => {
      try {
        const value = await options.load(key, startedAtMs)
        put(key, value, startedAtMs)
        return { value, atMs: startedAtMs }
      } finally {
        loading.delete(key)
      }
    })()
    loading.set(key, { startedAtMs, load })
    return load
  }

  const inBackground = (key: string): Promise<Held<V>> => {
    const load = refresh(key)
    load.catch((error: unknown) => options.onError?.(key, error))
    return load
  }

  return {
    put,
    refresh,
    peek: (key) => held.get(key),
    async get(key, maxAgeMs = options.maxAgeMs) {
      const askedAtMs = options.now()
      const h = held.get(key)
      if (h !== undefined && askedAtMs - h.atMs <= maxAgeMs) {
        if (askedAtMs - h.atMs >= options.refreshAfterMs && !loading.has(key)) void inBackground(key)
        return h
      }
      // A load in flight that started too long before this read cannot answer it: wait for it to end (one load per
      // key at a time), then join or start the next one, which starts after this read arrived.
      const running = loading.get(key)
      if (running && askedAtMs - running.startedAtMs > maxAgeMs) await running.load.catch(() => undefined)
      return refresh(key)
    },
    tick(nowMs, keys = []) {
      const started: Array<Promise<Held<V>>> = []
      for (const key of new Set([...keys, ...held.keys()])) {
        if (loading.has(key)) continue
        const h = held.get(key)
        if (h === undefined || nowMs - h.atMs >= options.refreshAfterMs) started.push(inBackground(key))
      }
      return started
    },
  }
}
