import { describe, expect, it } from 'vitest'
import { compare, completeSlices, countValues, sliceWindow, type Slice } from './slices.ts'

const grid = (count: number, sliceSeconds = 300) => ({ startMs: 0, sliceSeconds, count })

describe('completeSlices', () => {
  it('counts only slices that have fully elapsed', () => {
    expect(completeSlices(0, 14 * 60_000, 300).count).toBe(2)
    expect(completeSlices(0, 15 * 60_000, 300).count).toBe(3)
    expect(completeSlices(1000, 500, 300).count).toBe(0)
  })
})

describe('sliceWindow', () => {
  // Hand computations: target 0.9, so burn rate = error ratio / 0.1.
  const cases: Array<{ name: string; slices: Slice[]; window?: number; timeSliceTarget?: number; burn: number | null; judged: number; good: number }> = [
    { name: 'Timeslices: 1 bad slice of 4 is an error ratio of 0.25, a burn of 2.5', slices: [true, false, true, true], burn: 2.5, judged: 4, good: 3 },
    { name: 'Timeslices: slices without data are left out, not counted bad', slices: [true, null, false, null], burn: 5, judged: 2, good: 1 },
    { name: 'Timeslices on counts: a slice is good when its ratio reaches timeSliceTarget (9/10 yes, 8/10 no)', slices: [{ good: 9, bad: 1 }, { good: 8, bad: 2 }], timeSliceTarget: 0.9, burn: 5, judged: 2, good: 1 },
    { name: 'RatioTimeslices: a quiet slice weighs as much as a busy one (mean of 1/2 and 99/100)', slices: [{ good: 1, bad: 1 }, { good: 99, bad: 1 }], burn: (1 - (0.5 + 0.99) / 2) / 0.1, judged: 2, good: 0.5 + 0.99 },
    { name: 'RatioTimeslices: empty slices carry no data', slices: [{ good: 0, bad: 0 }, { good: 3, bad: 1 }], burn: 2.5, judged: 1, good: 0.75 },
    { name: 'a window takes only its last slices: 10 minutes of 5-minute slices are the last two', slices: [false, false, true, true], window: 600, burn: 0, judged: 2, good: 2 },
    { name: 'a window shorter than a slice holds none: no data', slices: [false, true], window: 120, burn: null, judged: 0, good: 0 },
    { name: 'no slice with data: no burn rate', slices: [null, null], burn: null, judged: 0, good: 0 },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const w = sliceWindow(c.slices, grid(c.slices.length), c.window, { target: 0.9, ...(c.timeSliceTarget === undefined ? {} : { timeSliceTarget: c.timeSliceTarget }) })
      if (c.burn === null) expect(w.burnRate).toBeNull()
      else expect(w.burnRate).toBeCloseTo(c.burn, 12)
      expect(w.judged).toBe(c.judged)
      expect(w.good).toBeCloseTo(c.good, 12)
    })
  }
})

describe('countValues', () => {
  it('counts the values of each slice that meet the objective, and gives no data for a slice without values', () => {
    expect(countValues([[0.2], [0.2, 0.6], [], [0.5]], 'lte', 0.5)).toEqual([{ good: 1, bad: 0 }, { good: 1, bad: 1 }, null, { good: 1, bad: 0 }])
    expect(countValues([[0.5]], 'lt', 0.5)).toEqual([{ good: 0, bad: 1 }])
  })

  it('judges a slice with several values by timeSliceTarget: half of them good is a good slice at 0.5, a bad one at 0.9', () => {
    const slices = countValues([[0.2, 0.6], [0.1]], 'lte', 0.5)
    const hours = grid(2, 3600)
    expect(sliceWindow(slices, hours, undefined, { target: 0.9, timeSliceTarget: 0.5 })).toMatchObject({ judged: 2, good: 2, errorRatio: 0 })
    expect(sliceWindow(slices, hours, undefined, { target: 0.9, timeSliceTarget: 0.9 })).toMatchObject({ judged: 2, good: 1, errorRatio: 0.5 })
    // RatioTimeslices: the mean of the slices' good shares, (0.5 + 1) / 2.
    expect(sliceWindow(slices, hours, undefined, { target: 0.9 })).toMatchObject({ judged: 2, good: 1.5, errorRatio: 0.25 })
  })

  it('compares with each OpenSLO operator', () => {
    expect([compare(1, 'lt', 2), compare(2, 'lte', 2), compare(3, 'gt', 2), compare(2, 'gte', 2), compare(2, 'gt', 2)]).toEqual([true, true, true, true, false])
  })
})
