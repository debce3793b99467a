import { describe, expect, it } from 'vitest'
import { applyIsotonic, fitIsotonic } from './index.ts'
import { createSeededRandom } from '../../random/index.ts'

describe('fitIsotonic', () => {
  const random = createSeededRandom(11)
  const x = Array.from({ length: 2_000 }, () => Math.round(random.uniform() * 1000) / 1000)
  const y = x.map((v) => (random.uniform() < v * v ? 1 : 0))
  const map = fitIsotonic(x, y)

  it('is non-decreasing', () => {
    for (let i = 1; i < map.y.length; i++) expect(map.y[i]).toBeGreaterThanOrEqual(map.y[i - 1] as number)
  })

  it('keeps the mean of the targets (pool adjacent violators preserves block sums)', () => {
    const fittedMean = x.reduce((a, v) => a + applyIsotonic(map, v), 0) / x.length
    const mean = y.reduce((a: number, v) => a + v, 0) / y.length
    expect(fittedMean).toBeCloseTo(mean, 12)
  })

  it('pools a decreasing run into its mean', () => {
    expect(fitIsotonic([1, 2, 3], [3, 2, 1])).toEqual({ x: [1, 3], y: [2, 2] })
  })

  it('clips outside the fitted range, as out_of_bounds="clip"', () => {
    const m = fitIsotonic([0.2, 0.8], [0, 1])
    expect(applyIsotonic(m, -5)).toBe(0)
    expect(applyIsotonic(m, 5)).toBe(1)
    expect(applyIsotonic(m, 0.5)).toBeCloseTo(0.5, 15)
  })

  it('refuses an empty input', () => {
    expect(() => fitIsotonic([], [])).toThrow('needs at least one point')
  })
})
