// PSI, KL, Jensen–Shannon and Hellinger on numeric features bin as Evidently does by default (Sturges bins over
// reference ∪ current), on the exact path and on the sketch path, with the reference deciles as a named option.
// Golden values: scripts/golden/evidently_tests.py (NumPy's histogram_bin_edges('sturges')).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { modelSpecSchema } from '../config/index.ts'
import { categoricalColumnDrift, numericColumnDrift, planColumn } from './drift.ts'
import { profileCategorical, profileNumeric } from './profile.ts'
import { sketchOf } from './sketch.ts'
import { runNumericalTest } from './stats/index.ts'

type LargePsi = { weyl: number[]; cases: { name: string; reference: number[]; currentRows: number; psi: number; bins: number; decilePsi: number }[] }
const golden = (JSON.parse(readFileSync(new URL('../test/fixtures/golden/evidently-tests.json', import.meta.url), 'utf8')) as { largePsi: LargePsi }).largePsi

/** The golden's 10⁶ current rows: Irwin–Hall(12) − 6 of Weyl sequences, the same doubles as NumPy's. */
function weylNormal(n: number): Float64Array {
  const out = new Float64Array(n)
  for (let k = 1; k <= n; k++) {
    let s = 0
    for (const a of golden.weyl) s += (k * a) % 1
    out[k - 1] = s - 6
  }
  return out
}

const current = weylNormal(golden.cases[0]!.currentRows)
let min = Infinity
let max = -Infinity
for (const v of current) {
  min = Math.min(min, v)
  max = Math.max(max, v)
}
const currentSketch = { n: current.length, sketch: sketchOf(current), min, max }

const model = (binning?: 'evidently' | 'deciles') =>
  modelSpecSchema.parse({ name: 'm', task: 'regression', features: { x: { type: 'number' }, channel: { type: 'category' } }, drift: { ...(binning ? { binning } : {}), features: { x: { test: 'psi' }, channel: { test: 'hellinger' } } } })

describe('PSI on 10⁶ rows against a 100-row reference', () => {
  for (const c of golden.cases) {
    describe(c.name, () => {
      const reference = Float64Array.from(c.reference)
      it(`matches Evidently's PSI (${c.psi.toFixed(4)}, ${c.bins} Sturges bins) to 1e-9 on all rows`, () => {
        const out = runNumericalTest('psi', reference, current)
        if (!out.ok) throw new Error(out.detail)
        expect(Math.abs(out.statistic - c.psi)).toBeLessThanOrEqual(1e-9 * c.psi)
      })
      it(`keeps the decile binning as a named option (PSI ${c.decilePsi.toFixed(4)})`, () => {
        const out = runNumericalTest('psi', reference, current, { binning: 'deciles' })
        if (!out.ok) throw new Error(out.detail)
        expect(Math.abs(out.statistic - c.decilePsi)).toBeLessThanOrEqual(1e-9 * c.decilePsi)
      })
      it("gives Evidently's verdict on the sketch path, within 3% of its PSI (values within 0.2 % of an edge may cross it), with or without the reference's raw values", () => {
        const spec = model()
        const plan = planColumn(spec, 'x', profileNumeric(reference, 0), currentSketch)
        expect(plan).toMatchObject({ test: 'psi', binning: 'evidently' })
        for (const [refValues, tolerance] of [[reference, 0.03], [undefined, 0.03]] as const) {
          const r = numericColumnDrift('x', 'numerical', plan, profileNumeric(reference, 0), refValues, currentSketch, undefined, 30)
          expect(r).toMatchObject({ method: 'sketch', status: 'ok', drifted: c.psi >= 0.1 })
          expect(Math.abs(r.statistic! - c.psi), `reference values ${refValues ? 'loaded' : 'absent'}: ${r.statistic}`).toBeLessThanOrEqual(tolerance * c.psi)
        }
      })
      it('gives the decile verdict on the sketch path with drift.binning: deciles', () => {
        const spec = model('deciles')
        const plan = planColumn(spec, 'x', profileNumeric(reference, 0), currentSketch)
        const r = numericColumnDrift('x', 'numerical', plan, profileNumeric(reference, 0), undefined, currentSketch, undefined, 30)
        expect(r).toMatchObject({ method: 'sketch', drifted: c.decilePsi >= 0.1 })
        expect(Math.abs(r.statistic! - c.decilePsi)).toBeLessThanOrEqual(0.01 * c.decilePsi)
      })
    })
  }

  it('lets a feature override the model binning', () => {
    const spec = modelSpecSchema.parse({ name: 'm', task: 'regression', features: { x: { type: 'number' } }, drift: { binning: 'deciles', features: { x: { test: 'psi', binning: 'evidently' } } } })
    expect(planColumn(spec, 'x', profileNumeric(Float64Array.from(golden.cases[0]!.reference), 0)).binning).toBe('evidently')
  })
})

describe('binned tests on categories', () => {
  it('runs hellinger (and kl) on a categorical feature instead of answering 500', () => {
    const spec = model()
    const ref = profileCategorical([...Array(60).fill('a'), ...Array(40).fill('b')], 0)
    const cur = new Map([['a', 30], ['b', 60]])
    const r = categoricalColumnDrift('channel', planColumn(spec, 'channel', ref, cur), ref, cur, 30)
    expect(r).toMatchObject({ test: 'hellinger', status: 'ok', method: 'counts', drifted: true })
    expect(r.statistic).toBeCloseTo(Math.sqrt(1 - (Math.sqrt(0.6 * (1 / 3)) + Math.sqrt(0.4 * (2 / 3)))), 12)
  })
})
