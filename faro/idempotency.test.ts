import { describe, expect, it } from 'vitest'
import { createRecentBatches } from './idempotency.ts'

describe('createRecentBatches', () => {
  it('runs a key once and hands a retry the first run\'s result', async () => {
    const recent = createRecentBatches({ maxKeys: 10, ttlMs: 1_000 })
    let runs = 0
    const store = async () => ++runs
    const first = recent.once('k', 0, store)
    const second = recent.once('k', 10, store)
    expect([first.first, second.first]).toEqual([true, false])
    expect([await first.result, await second.result]).toEqual([1, 1])
    expect(runs).toBe(1)
  })

  it('runs a key again once its first run failed', async () => {
    const recent = createRecentBatches({ maxKeys: 10, ttlMs: 1_000 })
    await expect(recent.once('k', 0, () => Promise.reject(new Error('storage down'))).result).rejects.toThrow('storage down')
    const retry = recent.once('k', 1, async () => 'stored')
    expect(retry.first).toBe(true)
    expect(await retry.result).toBe('stored')
  })

  it('forgets keys older than the window and the oldest beyond the bound', async () => {
    const recent = createRecentBatches({ maxKeys: 2, ttlMs: 1_000 })
    recent.once('a', 0, async () => 1)
    expect(recent.once('a', 2_000, async () => 2).first).toBe(true)
    recent.once('b', 2_000, async () => 3)
    recent.once('c', 2_000, async () => 4)
    expect(recent.once('a', 2_001, async () => 5).first).toBe(true)
  })
})
