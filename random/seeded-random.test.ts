import { describe, expect, it } from 'vitest'
import { createSeededRandom, gauss, mulberry32, sampleInPlace, shuffleInPlace } from './index.ts'

// The sequences below were printed by the four copies this module replaced (pipeline/random.ts,
// analyzer/performance/seeded-random.ts, test/support/random.ts and the one in bench/ingest-workload.ts), which
// agreed with each other; seeded tests, fixtures and benchmarks rely on them staying the same.
describe('mulberry32', () => {
  it('repeats the uniform sequence of seed 42', () => {
    const next = mulberry32(42)
    expect([next(), next(), next()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099])
  })

  it('takes the seed modulo 2³², so -1 and 0xffffffff give the same stream', () => {
    expect(mulberry32(0)()).toBe(0.26642920868471265)
    expect(mulberry32(-1)()).toBe(mulberry32(0xffffffff)())
  })
})

describe('createSeededRandom', () => {
  it('draws its uniforms from mulberry32', () => {
    const random = createSeededRandom(42)
    const next = mulberry32(42)
    for (let i = 0; i < 100; i++) expect(random.uniform()).toBe(next())
  })

  it('repeats the normals and integers of seed 7', () => {
    const random = createSeededRandom(7)
    expect([random.normal(), random.normal(), random.int(10), random.int(1000)]).toEqual([0.14197043782155663, -0.8642530248729361, 5, 405])
  })
})

describe('gauss', () => {
  it('repeats the test-data normals of seed 7, a different sequence from SeededRandom.normal', () => {
    const next = mulberry32(7)
    expect([gauss(next), gauss(next)]).toEqual([2.759372987002342, -0.06805135650586326])
  })
})

describe('shuffleInPlace', () => {
  it('repeats the permutation of seed 3 and returns the same array', () => {
    const items = Int32Array.from({ length: 10 }, (_, i) => i)
    expect(shuffleInPlace(items, createSeededRandom(3))).toBe(items)
    expect(Array.from(items)).toEqual([9, 5, 6, 1, 2, 4, 8, 3, 0, 7])
  })
})

describe('sampleInPlace', () => {
  it('repeats the subsets that calibration drew with seed 42 before it moved here', () => {
    const random = createSeededRandom(42)
    const items = Int32Array.from({ length: 20 }, (_, k) => k)
    const subsets = [0, 1, 2].map(() => Array.from(sampleInPlace(items, 5, random).subarray(0, 5)))
    expect(subsets).toEqual([[12, 9, 17, 14, 6], [10, 4, 13, 2, 11], [11, 14, 15, 8, 7]])
    expect([...items].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, k) => k))
  })

  it('refuses a count larger than the array', () => {
    expect(() => sampleInPlace(new Int32Array(3), 4, createSeededRandom(1))).toThrow('count must be an integer in [0, 3], got 4')
  })
})
