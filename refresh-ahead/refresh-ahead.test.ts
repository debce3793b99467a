import { describe, expect, it } from 'vitest'
import { createRefreshAhead } from './refresh-ahead.ts'

/** A loader whose loads the test settles by hand, and a clock it sets. */
function harness(o: { refreshAfterMs?: number; maxAgeMs?: number } = {}) {
  const clock = { ms: 1_000_000 }
  const loads: Array<{ key: string; startedAtMs: number; resolve: (v: string) => void; reject: (e: Error) => void }> = []
  const errors: string[] = []
  const cache = createRefreshAhead<string>({
    now: () => clock.ms,
    refreshAfterMs: o.refreshAfterMs ?? 15_000,
    maxAgeMs: o.maxAgeMs ?? 60_000,
    load: (key, startedAtMs) => new Promise<string>((resolve, reject) => loads.push({ key, startedAtMs, resolve, reject })),
    onError: (key, e) => errors.push(`${key}: ${(e as Error).message}`),
  })
  // Lets the cache's own continuations run after a load settles.
  const settle = () => new Promise<void>((r) => setImmediate(r))
  return { clock, loads, errors, cache, settle }
}

describe('createRefreshAhead', () => {
  it('makes the first read of a key wait for one load that concurrent readers share', async () => {
    const { cache, loads } = harness()
    const a = cache.get('k')
    const b = cache.get('k')
    expect(loads).toHaveLength(1)
    loads[0]!.resolve('v1')
    expect(await a).toEqual({ value: 'v1', atMs: 1_000_000 })
    expect(await b).toEqual({ value: 'v1', atMs: 1_000_000 })
  })

  it('serves a fresh value without loading', async () => {
    const { cache, loads, clock, settle } = harness()
    cache.put('k', 'v1', clock.ms)
    clock.ms += 14_999
    expect((await cache.get('k')).value).toBe('v1')
    await settle()
    expect(loads).toHaveLength(0)
  })

  it('serves a value past the refresh-ahead age at once and starts exactly one background refresh', async () => {
    const { cache, loads, clock, settle } = harness()
    cache.put('k', 'v1', clock.ms)
    clock.ms += 20_000
    expect((await cache.get('k')).value).toBe('v1')
    expect((await cache.get('k')).value).toBe('v1')
    expect(loads).toHaveLength(1)
    loads[0]!.resolve('v2')
    await settle()
    expect(cache.peek('k')).toEqual({ value: 'v2', atMs: clock.ms })
  })

  it('makes a read wait when the held value is older than the bound, joining the refresh in flight', async () => {
    const { cache, loads, clock } = harness()
    cache.put('k', 'v1', clock.ms)
    clock.ms += 20_000
    await cache.get('k') // starts the background refresh
    clock.ms += 45_000 // the refresh is still running and v1 is now 65 s old
    const waiting = cache.get('k')
    expect(loads).toHaveLength(1)
    loads[0]!.resolve('v2')
    expect((await waiting).value).toBe('v2')
  })

  it('waits when a read asks for fresher than what is held, and serves when what is held is fresh enough', async () => {
    const { cache, loads, clock } = harness()
    cache.put('k', 'v1', clock.ms)
    clock.ms += 5_000
    expect((await cache.get('k', 10_000)).value).toBe('v1')
    const fresh = cache.get('k', 0)
    expect(loads).toHaveLength(1)
    loads[0]!.resolve('v2')
    expect(await fresh).toEqual({ value: 'v2', atMs: clock.ms })
  })

  it('does not answer a read that asks for fresher than a load in flight with that load, but with the next one', async () => {
    const { cache, loads, clock, settle } = harness()
    const first = cache.refresh('k')
    clock.ms += 1_000
    const fresh = cache.get('k', 0)
    expect(loads).toHaveLength(1) // never two loads of a key at once
    loads[0]!.resolve('before the read')
    await first
    await settle()
    expect(loads).toHaveLength(2)
    expect(loads[1]!.startedAtMs).toBe(clock.ms)
    loads[1]!.resolve('after the read')
    expect(await fresh).toEqual({ value: 'after the read', atMs: clock.ms })
  })

  it('keeps the held value and reports the error when a background refresh fails, and tries again later', async () => {
    const { cache, loads, clock, errors, settle } = harness()
    cache.put('k', 'v1', clock.ms)
    clock.ms += 20_000
    await cache.get('k')
    loads[0]!.reject(new Error('store unavailable'))
    await settle()
    expect(errors).toEqual(['k: store unavailable'])
    expect(cache.peek('k')?.value).toBe('v1')
    await cache.get('k')
    expect(loads).toHaveLength(2)
  })

  it('passes the error of a load a read waits for to that read, and holds nothing', async () => {
    const { cache, loads } = harness()
    const read = cache.get('k')
    loads[0]!.reject(new Error('store unavailable'))
    await expect(read).rejects.toThrow('store unavailable')
    expect(cache.peek('k')).toBeUndefined()
  })

  it('never lets a slower load that started earlier replace a newer value', async () => {
    const { cache, loads, clock, settle } = harness()
    const early = cache.refresh('k')
    clock.ms += 1_000
    cache.put('k', 'written', clock.ms)
    loads[0]!.resolve('stale')
    await early
    await settle()
    expect(cache.peek('k')).toEqual({ value: 'written', atMs: clock.ms })
  })

  it('ticks: warms named keys, refreshes held keys past the refresh-ahead age, one load per key, none for fresh ones', async () => {
    const { cache, loads, clock, settle } = harness()
    expect(cache.tick(clock.ms, ['a', 'b'])).toHaveLength(2)
    expect(cache.tick(clock.ms, ['a', 'b'])).toHaveLength(0) // both still loading
    loads[0]!.resolve('a1')
    loads[1]!.resolve('b1')
    await settle()
    clock.ms += 10_000
    expect(cache.tick(clock.ms)).toHaveLength(0)
    clock.ms += 5_000
    expect(cache.tick(clock.ms).length).toBe(2)
    expect(loads.map((l) => l.key)).toEqual(['a', 'b', 'a', 'b'])
  })

  it('refuses a refresh-ahead age beyond the bound', () => {
    expect(() => createRefreshAhead({ now: () => 0, refreshAfterMs: 61_000, maxAgeMs: 60_000, load: async () => 1 })).toThrow(/refreshAfterMs/)
  })
})
