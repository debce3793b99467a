import { describe, expect, it } from 'vitest'
import { createProgressBar, formatDuration, renderProgress } from './progress.ts'

describe('renderProgress', () => {
  it('shows the share done as a bar, the count, the figures and an ETA extrapolated from the elapsed time', () => {
    const line = renderProgress({ done: 25, total: 100, label: 'epoch', figures: { loss: 0.123456, val_loss: 0.2 } }, 10, 8)
    expect(line).toBe('epoch  ██░░░░░░  25/100  loss 0.1235  val_loss 0.2000  ETA 30s')
  })

  it('says how long it took once done, and shows no ETA before any progress', () => {
    expect(renderProgress({ done: 4, total: 4 }, 125, 4)).toBe('████  4/4  in 2m05s')
    expect(renderProgress({ done: 0, total: 4 }, 3, 4)).toBe('░░░░  0/4')
  })
})

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [59.4, '59s'],
    [61, '1m01s'],
    [3725, '1h02m'],
    [Number.NaN, '?'],
  ])('formats %s seconds as %s', (s, text) => expect(formatDuration(s)).toBe(text))
})

describe('createProgressBar', () => {
  it('redraws one terminal line at most every interval, always draws the last update, and ends the line', () => {
    const out: string[] = []
    const bar = createProgressBar({ isTTY: true, columns: 80, write: (s) => out.push(s) }, { minIntervalMs: 100, now: () => 0 })
    bar.update({ done: 1, total: 3 }, 0)
    bar.update({ done: 2, total: 3 }, 50)
    bar.update({ done: 3, total: 3 }, 60)
    bar.finish()
    expect(out).toHaveLength(3)
    expect(out[0]!.startsWith('\r\u001b[2K')).toBe(true)
    expect(out[0]).toContain('1/3')
    expect(out[1]).toMatch(/3\/3/)
    expect(out[2]).toBe('\n')
  })

  it('writes nothing when the output is not a terminal, so piped output stays clean', () => {
    const out: string[] = []
    const bar = createProgressBar({ isTTY: false, write: (s) => out.push(s) })
    bar.update({ done: 1, total: 1 })
    bar.finish()
    expect(out).toEqual([])
  })
})
