import { describe, expect, it } from 'vitest'
import { createRateLimiter } from './rate-limit.ts'

describe('createRateLimiter', () => {
  it('allows a minute\'s worth at once, then refuses with the seconds until the next token', () => {
    const limiter = createRateLimiter({ ratePerMinute: 60 })
    for (let i = 0; i < 60; i++) expect(limiter.take('app', 0)).toEqual({ ok: true })
    expect(limiter.take('app', 0)).toEqual({ ok: false, retryAfterSeconds: 1 })
  })

  it('refills at the configured rate', () => {
    const limiter = createRateLimiter({ ratePerMinute: 6 })
    for (let i = 0; i < 6; i++) limiter.take('app', 0)
    expect(limiter.take('app', 5_000)).toEqual({ ok: false, retryAfterSeconds: 5 })
    expect(limiter.take('app', 10_000)).toEqual({ ok: true })
  })

  it('keeps one bucket per app', () => {
    const limiter = createRateLimiter({ ratePerMinute: 1 })
    expect(limiter.take('a', 0).ok).toBe(true)
    expect(limiter.take('a', 0).ok).toBe(false)
    expect(limiter.take('b', 0).ok).toBe(true)
  })

  it('refills nothing when the clock goes back', () => {
    const limiter = createRateLimiter({ ratePerMinute: 1 })
    limiter.take('a', 60_000)
    expect(limiter.take('a', 0).ok).toBe(false)
  })
})
