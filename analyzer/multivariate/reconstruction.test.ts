import { describe, expect, it } from 'vitest'
import { GOLDEN, isClose } from './golden.ts'
import { breachesThreshold, fitReconstruction, fitReconstructionThreshold, reconstructionError, reconstructionErrors } from './index.ts'
import { createSeededRandom } from '../../random/index.ts'

// Tolerances (relative). Means and scales are the same sums as StandardScaler: 1e-12. The model's eigenvalues
// come from the covariance matrix (Jacobi) where sklearn takes the SVD of the data; forming the covariance
// squares the condition number, so a small eigenvalue carries an absolute error of about ε · λ_max: ratios are
// compared within 1e-9 relative or 1e-13 absolute. Reconstruction errors depend on the kept subspace, which
// both methods find to ~ε · λ_max / (eigengap): 1e-9 relative holds with a wide margin (observed ≤ 2e-11, on
// rows reconstructed almost exactly, whose small errors carry the absolute rounding of the larger terms).
const SCALER_TOLERANCE = 1e-12
const RATIO_TOLERANCE = 1e-9
const RATIO_ABSOLUTE = 1e-13
const ERROR_TOLERANCE = 1e-9

function expectClose(actual: readonly number[], expected: readonly number[], relative: number, absolute = 0): void {
  expect(actual.length).toBe(expected.length)
  actual.forEach((a, i) => {
    const e = expected[i] ?? Number.NaN
    expect(isClose(a, e, relative, absolute), `[${i}]: ${a} vs ${e} (relative ${Math.abs(a - e) / Math.abs(e)})`).toBe(true)
  })
}

describe('fitReconstruction and reconstructionError against scikit-learn 1.2.1', () => {
  for (const c of GOLDEN.pca) {
    describe(c.name, () => {
      const dataset = GOLDEN.pcaDatasets[c.dataset as keyof typeof GOLDEN.pcaDatasets]
      const model = fitReconstruction({
        rows: dataset.reference,
        ...(c.componentCount === null ? { varianceExplained: c.varianceExplained ?? undefined } : { componentCount: c.componentCount }),
      })

      it('standardises as StandardScaler', () => {
        expectClose(model.means, c.expected.means, SCALER_TOLERANCE, 1e-15)
        expectClose(model.scales, c.expected.scales, SCALER_TOLERANCE)
      })

      it('keeps as many components as PCA', () => {
        expect(model.components.length).toBe(c.expected.nComponents)
      })

      it('explains the same shares of variance', () => {
        const kept = c.expected.explainedVarianceRatio.length // min(rows, features) for sklearn
        expectClose(model.explainedVarianceRatio.slice(0, kept), c.expected.explainedVarianceRatio, RATIO_TOLERANCE, RATIO_ABSOLUTE)
        expectClose(model.explainedVariance.slice(0, kept), c.expected.explainedVariance, RATIO_TOLERANCE, RATIO_ABSOLUTE)
        // With fewer rows than features the remaining directions have no variance at all.
        for (const ratio of model.explainedVarianceRatio.slice(kept)) expect(ratio).toBeLessThan(RATIO_ABSOLUTE)
      })

      it('reconstructs every reference row with the same error', () => {
        expectClose(reconstructionErrors(model, dataset.reference), c.expected.referenceRowErrors, ERROR_TOLERANCE)
        expectClose([reconstructionError(model, dataset.reference)], [c.expected.referenceError], ERROR_TOLERANCE)
      })

      it('gives the same mean error on analysis windows', () => {
        for (const [name, expected] of Object.entries(c.expected.analysisErrors)) {
          const rows = dataset.windows[name as keyof typeof dataset.windows]
          expectClose([reconstructionError(model, rows)], [expected], ERROR_TOLERANCE)
        }
      })

      it('learns the same threshold from reference chunks as NannyML', () => {
        const threshold = fitReconstructionThreshold(model, dataset.reference, c.chunkSize)
        expectClose(threshold.chunkErrors, c.expected.chunkErrors, ERROR_TOLERANCE)
        expect(threshold.lower === null).toBe(c.expected.threshold.lower === null)
        expectClose([threshold.lower ?? 0, threshold.upper ?? Number.NaN], [c.expected.threshold.lower ?? 0, c.expected.threshold.upper], ERROR_TOLERANCE)
      })
    })
  }
})

// Two pairs of strongly correlated features (ρ = 0.95): four standardised features, two principal axes
// (x1 + x2, x3 + x4) holding 97.5% of the variance, so 0.65 keeps those two and the error lives on x1 − x2
// and x3 − x4, whose variance is 0.05 each.
function correlatedPairs(rows: number, seed: number, pairOneCorrelated = true): number[][] {
  const normal = createSeededRandom(seed).normal
  const rho = 0.95
  const rest = Math.sqrt(1 - rho * rho)
  return Array.from({ length: rows }, () => {
    const a = normal()
    const b = normal()
    // Breaking the first pair draws x2 independently: its marginal stays N(0, 1), the correlation drops to 0.
    const x2 = pairOneCorrelated ? rho * a + rest * normal() : normal()
    return [10 + 2 * a, 5 + 3 * x2, -1 + b, 100 + 0.5 * (rho * b + rest * normal())]
  })
}

// Two-sample Kolmogorov–Smirnov statistic and its 5% critical value c(α) · √((n + m) / (n m)), c = 1.358
// (Smirnov's asymptotic distribution): a stand-in for the univariate checks of the marginals.
function ksStatistic(x: number[], y: number[]): number {
  const a = [...x].sort((p, q) => p - q)
  const b = [...y].sort((p, q) => p - q)
  let i = 0
  let j = 0
  let d = 0
  while (i < a.length && j < b.length) {
    const v = Math.min(a[i] ?? 0, b[j] ?? 0)
    while (i < a.length && (a[i] ?? 0) <= v) i++
    while (j < b.length && (b[j] ?? 0) <= v) j++
    d = Math.max(d, Math.abs(i / a.length - j / b.length))
  }
  return d
}
const ksCritical = (n: number, m: number): number => 1.358 * Math.sqrt((n + m) / (n * m))

describe('reconstruction error on a broken correlation', () => {
  const reference = correlatedPairs(10_000, 1)
  const model = fitReconstruction({ rows: reference })
  const threshold = fitReconstructionThreshold(model, reference, 1_000)
  const broken = correlatedPairs(1_000, 2, false)
  const unshifted = correlatedPairs(1_000, 3)

  it('keeps the two principal axes of the two pairs', () => {
    expect(model.components.length).toBe(2)
    expect((model.explainedVarianceRatio[0] ?? 0) + (model.explainedVarianceRatio[1] ?? 0)).toBeGreaterThan(0.97)
  })

  it('leaves every marginal unchanged to a two-sample KS test at 5%', () => {
    for (let j = 0; j < 4; j++) {
      const d = ksStatistic(reference.map((r) => r[j] ?? 0), broken.map((r) => r[j] ?? 0))
      expect(d, `feature ${j}`).toBeLessThan(ksCritical(reference.length, broken.length))
    }
  })

  it('raises the error above the upper threshold learnt from reference chunks', () => {
    const error = reconstructionError(model, broken)
    expect(threshold.upper).not.toBeNull()
    expect(error).toBeGreaterThan(threshold.upper ?? Number.POSITIVE_INFINITY)
    expect(breachesThreshold(threshold, error)).toBe(true)
  })

  it('stays within the band on an unshifted window', () => {
    const error = reconstructionError(model, unshifted)
    expect(breachesThreshold(threshold, error)).toBe(false)
  })

  it('keeps every reference chunk within its own band', () => {
    for (const error of threshold.chunkErrors) expect(breachesThreshold(threshold, error)).toBe(false)
  })
})

describe('fitReconstruction', () => {
  it('survives a JSON round trip unchanged: the model is plain data', () => {
    const rows = correlatedPairs(500, 4)
    const model = fitReconstruction({ rows })
    const revived = JSON.parse(JSON.stringify(model)) as typeof model
    expect(reconstructionErrors(revived, rows)).toEqual(reconstructionErrors(model, rows))
  })

  it('finds the three factors behind 50 noisy features, each kept component on the features of one factor', () => {
    // Each feature is one of three independent factors (loadings 3, 1.5 and 0.8) plus unit noise. After
    // standardisation the groups' correlations are 0.9, 0.69 and 0.39, so their eigenvalues are about 15.4,
    // 12 and 7.2 of a total of 50 (shares 0.31, 0.24, 0.14) and 47 lie below 0.8: 0.65 keeps exactly the three.
    const normal = createSeededRandom(5).normal
    const rows = Array.from({ length: 5_000 }, () => {
      const f = [normal(), normal(), normal()]
      return Array.from({ length: 50 }, (_, j) => (f[j % 3] ?? 0) * ([3, 1.5, 0.8][j % 3] ?? 0) + normal())
    })
    const model = fitReconstruction({ rows })
    expect(model.components.length).toBe(3)
    expect((model.explainedVarianceRatio[3] ?? 1) / (model.explainedVarianceRatio[2] ?? 0)).toBeLessThan(0.2)
    // Loadings of a kept component sit on the features of one factor only (j ≡ factor mod 3).
    for (const component of model.components) {
      const factor = component.indexOf(Math.max(...component)) % 3
      const off = component.filter((_, j) => j % 3 !== factor).reduce((s, x) => s + x * x, 0)
      expect(off).toBeLessThan(0.01)
    }
  })

  it('stands a constant feature at 0 with scale 1, as StandardScaler', () => {
    const rows = correlatedPairs(200, 6).map((r) => [...r, 7])
    const model = fitReconstruction({ rows })
    expect(model.scales[4]).toBe(1)
    expect(model.means[4]).toBe(7)
  })

  it('rejects missing values, naming the row and column and the imputation contract', () => {
    expect(() => fitReconstruction({ rows: [[1, 2], [3, Number.NaN]] })).toThrow(/rows\[1\]\[1\] = NaN.*impute/)
  })

  it('rejects rows of unequal width, one row, and a share outside (0, 1)', () => {
    expect(() => fitReconstruction({ rows: [[1, 2], [3]] })).toThrow(/rows\[1\]\.length = 1: expected 2/)
    expect(() => fitReconstruction({ rows: [[1, 2]] })).toThrow(/at least 2 reference rows/)
    expect(() => fitReconstruction({ rows: [[1, 2], [2, 1]], varianceExplained: 1 })).toThrow(/varianceExplained = 1/)
    expect(() => fitReconstruction({ rows: [[1, 2], [2, 1]], componentCount: 3 })).toThrow(/componentCount = 3/)
  })

  it('rejects a reference in which every feature is constant', () => {
    expect(() => fitReconstruction({ rows: [[1, 2], [1, 2]] })).toThrow(/every feature is constant/)
  })

  it('rejects analysis rows of another width', () => {
    const model = fitReconstruction({ rows: correlatedPairs(50, 7) })
    expect(() => reconstructionErrors(model, [[1, 2, 3]])).toThrow(/rows\[0\]\.length = 3: expected 4/)
  })
})
