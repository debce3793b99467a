import { describe, expect, it } from 'vitest'
import { searchSpaceSchema } from '../../config/index.ts'
import { enumerateGrid, runSearch, sampleSpace } from './index.ts'
import type { TrialParams } from './index.ts'

describe('enumerateGrid', () => {
  it('lists every combination with the last parameter varying fastest', () => {
    expect(enumerateGrid({ C: { type: 'choice', values: [0.1, 1] }, depth: { type: 'int', min: 1, max: 3 } })).toEqual([
      { C: 0.1, depth: 1 },
      { C: 0.1, depth: 2 },
      { C: 0.1, depth: 3 },
      { C: 1, depth: 1 },
      { C: 1, depth: 2 },
      { C: 1, depth: 3 },
    ])
  })

  it('refuses a continuous range in a grid, naming the parameter', () => {
    expect(() => enumerateGrid({ lr: { type: 'loguniform', min: 1e-4, max: 1e-1 } })).toThrow(/parameter "lr" is a continuous range \(loguniform\)/)
  })
})

describe('sampleSpace', () => {
  const space = { lr: { type: 'loguniform', min: 1e-4, max: 1e-1 }, units: { type: 'int', min: 8, max: 64 }, act: { type: 'choice', values: ['relu', 'tanh'] } } as const

  it('repeats exactly for a seed and stays inside every domain', () => {
    const a = sampleSpace(space, 200, 42)
    expect(sampleSpace(space, 200, 42)).toEqual(a)
    expect(sampleSpace(space, 200, 43)).not.toEqual(a)
    for (const p of a) {
      expect(p.lr as number).toBeGreaterThanOrEqual(1e-4)
      expect(p.lr as number).toBeLessThanOrEqual(1e-1)
      expect(Number.isInteger(p.units) && (p.units as number) >= 8 && (p.units as number) <= 64).toBe(true)
      expect(['relu', 'tanh']).toContain(p.act)
    }
  })

  it('spreads a log-uniform draw evenly over decades', () => {
    const decades = [0, 0, 0]
    for (const p of sampleSpace({ lr: space.lr }, 3000, 7)) decades[Math.min(2, Math.floor(Math.log10(p.lr as number) + 4))]! += 1
    for (const count of decades) expect(Math.abs(count - 1000)).toBeLessThan(100)
  })
})

describe('searchSpaceSchema', () => {
  it('rejects an inverted range and an unknown type with the path', () => {
    const inverted = searchSpaceSchema.safeParse({ C: { type: 'uniform', min: 2, max: 1 } })
    expect(inverted.success).toBe(false)
    expect(JSON.stringify(inverted.error?.issues)).toMatch(/min must be ≤ max/)
    expect(searchSpaceSchema.safeParse({ C: { type: 'normal', mean: 0 } }).success).toBe(false)
    expect(searchSpaceSchema.safeParse({}).success).toBe(false)
  })
})

describe('runSearch', () => {
  // A made-up validation surface: AUC peaks at C = 1, RMSE bottoms at depth 2.
  const evaluate = (p: TrialParams) => ({ roc_auc: 0.9 - Math.abs(Math.log10(p.C as number)) * 0.05, rmse: Math.abs((p.depth as number) - 2) + 1 })
  const space = { C: { type: 'choice', values: [0.01, 0.1, 1, 10] }, depth: { type: 'int', min: 1, max: 3 } } as const

  it('picks the highest ROC AUC and the lowest RMSE: the direction comes from the metric', async () => {
    const byAuc = await runSearch({ space, strategy: 'grid', seed: 1, primary: { metric: 'roc_auc' }, evaluate })
    expect(byAuc.trials).toHaveLength(12)
    expect(byAuc.best?.params.C).toBe(1)
    expect(byAuc.primary.direction).toBe('higher')
    const byRmse = await runSearch({ space, strategy: 'grid', seed: 1, primary: { metric: 'rmse' }, evaluate })
    expect(byRmse.best?.params.depth).toBe(2)
    expect(byRmse.best?.index).toBe(1) // ties go to the earliest trial
  })

  it('gives each trial its own seed and records a failing trial without stopping', async () => {
    const seen: number[] = []
    const result = await runSearch({
      space,
      strategy: 'random',
      trials: 6,
      seed: 100,
      primary: { metric: 'roc_auc' },
      evaluate: async (p, seed) => {
        seen.push(seed)
        if (seed === 102) throw new Error('singular matrix')
        return evaluate(p)
      },
    })
    expect(seen).toEqual([100, 101, 102, 103, 104, 105])
    expect(result.trials[2]).toMatchObject({ score: null, metrics: null, error: 'singular matrix' })
    expect(result.best?.error).toBeUndefined()
    expect(result.trials.map((t) => t.params)).toEqual(sampleSpace(space, 6, 100))
  })

  it('refuses an unknown primary metric and a random search without a trial count', async () => {
    await expect(runSearch({ space, strategy: 'grid', seed: 1, primary: { metric: 'auc' }, evaluate })).rejects.toThrow(/unknown metric "auc"/)
    await expect(runSearch({ space, strategy: 'random', seed: 1, primary: { metric: 'rmse' }, evaluate })).rejects.toThrow(/trials is required/)
  })
})
