import { describe, expect, it } from 'vitest'
import { bucketOf } from './bucket.ts'

describe('bucketOf', () => {
  it('puts a request id in the same bucket every time', () => {
    expect(bucketOf('req-42')).toBe(bucketOf('req-42'))
  })

  it('spreads sequential ids evenly and independently of their last digit, so a 5% canary is not a slice of the ids', () => {
    const n = 20_000
    const perBucket = new Array<number>(100).fill(0)
    // Share of the 0–4 buckets (a 5% canary) among ids ending in each digit.
    const canaryByLastDigit = new Array<number>(10).fill(0)
    for (let i = 0; i < n; i++) {
      const b = bucketOf(`m-${i}`)
      perBucket[b]!++
      if (b < 5) canaryByLastDigit[i % 10]!++
    }
    // 200 expected per bucket; a chi-square over 99 degrees of freedom stays under 150 with p > 0.999.
    const chi2 = perBucket.reduce((sum, c) => sum + (c - n / 100) ** 2 / (n / 100), 0)
    expect(chi2).toBeLessThan(150)
    for (const c of canaryByLastDigit) expect(c / (n / 10)).toBeGreaterThan(0.03)
    for (const c of canaryByLastDigit) expect(c / (n / 10)).toBeLessThan(0.07)
  })

  it('gives an independent split for another salt: the shadow share does not pick exactly the canary requests', () => {
    let both = 0
    for (let i = 0; i < 10_000; i++) if (bucketOf(`r${i}`) < 10 && bucketOf(`r${i}`, 'shadow:') < 10) both++
    // Independent 10% splits overlap on about 1% of requests.
    expect(both).toBeGreaterThan(50)
    expect(both).toBeLessThan(160)
  })
})
