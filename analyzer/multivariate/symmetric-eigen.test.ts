import { describe, expect, it } from 'vitest'
import { symmetricEigen } from './index.ts'
import { createSeededRandom } from '../../random/index.ts'

function randomSymmetric(n: number, seed: number): number[][] {
  const normal = createSeededRandom(seed).normal
  const b = Array.from({ length: n }, () => Array.from({ length: n }, () => normal()))
  return b.map((row, i) => row.map((x, j) => (x + (b[j]?.[i] ?? 0)) / 2))
}

// Largest |A v − λ v| over all pairs, and largest |VᵀV − I|.
function residuals(a: number[][], values: number[], vectors: number[][]): { eigen: number; orthogonality: number } {
  let eigen = 0
  let orthogonality = 0
  vectors.forEach((v, k) => {
    a.forEach((row, i) => {
      const av = row.reduce((sum, x, j) => sum + x * (v[j] ?? 0), 0)
      eigen = Math.max(eigen, Math.abs(av - (values[k] ?? 0) * (v[i] ?? 0)))
    })
    vectors.forEach((w, l) => {
      const dot = v.reduce((sum, x, j) => sum + x * (w[j] ?? 0), 0)
      orthogonality = Math.max(orthogonality, Math.abs(dot - (k === l ? 1 : 0)))
    })
  })
  return { eigen, orthogonality }
}

describe('symmetricEigen', () => {
  it('finds 3 and 1 for [[2, 1], [1, 2]] with the diagonals as eigenvectors', () => {
    const { values, vectors } = symmetricEigen([[2, 1], [1, 2]])
    expect(values[0]).toBeCloseTo(3, 15)
    expect(values[1]).toBeCloseTo(1, 15)
    expect(vectors[0]?.[0]).toBeCloseTo(Math.SQRT1_2, 15)
    expect(vectors[0]?.[1]).toBeCloseTo(Math.SQRT1_2, 15)
  })

  it('returns a diagonal matrix as is, sorted descending', () => {
    expect(symmetricEigen([[1, 0, 0], [0, 5, 0], [0, 0, 3]])).toEqual({ values: [5, 3, 1], vectors: [[0, 1, 0], [0, 0, 1], [1, 0, 0]] })
  })

  it('decomposes a random symmetric 50 × 50 matrix to rounding error', () => {
    const a = randomSymmetric(50, 3)
    const { values, vectors } = symmetricEigen(a)
    const { eigen, orthogonality } = residuals(a, values, vectors)
    const norm = Math.sqrt(a.flat().reduce((s, x) => s + x * x, 0))
    expect(eigen).toBeLessThan(1e-13 * norm)
    expect(orthogonality).toBeLessThan(1e-13)
    for (let k = 1; k < values.length; k++) expect(values[k - 1]).toBeGreaterThanOrEqual(values[k] ?? 0)
    const trace = a.reduce((s, row, i) => s + (row[i] ?? 0), 0)
    expect(values.reduce((s, x) => s + x, 0)).toBeCloseTo(trace, 10)
  })

  it('keeps the small eigenvalue of a graded matrix to full relative accuracy', () => {
    // [[1e12, 1], [1, 1]]: eigenvalues 1e12 + 1/(1e12 − 1) + … and 1 − 1/(1e12 − 1) − …, every entry exact in binary.
    const { values } = symmetricEigen([[1e12, 1], [1, 1]])
    expect(Math.abs((values[0] ?? 0) / (1e12 + 1 / (1e12 - 1)) - 1)).toBeLessThan(1e-15)
    expect(Math.abs((values[1] ?? 0) / (1 - 1 / (1e12 - 1)) - 1)).toBeLessThan(1e-15)
  })

  it('handles repeated eigenvalues and zero rows', () => {
    const { values, vectors } = symmetricEigen([[1, 0, 0], [0, 0, 0], [0, 0, 1]])
    expect(values).toEqual([1, 1, 0])
    expect(residuals([[1, 0, 0], [0, 0, 0], [0, 0, 1]], values, vectors).orthogonality).toBe(0)
  })

  it('rejects a matrix that is not square or not symmetric, naming the entry', () => {
    expect(() => symmetricEigen([[1, 2]])).toThrow(/matrix\[0\]\.length = 2: expected 1/)
    expect(() => symmetricEigen([[1, 2], [3, 1]])).toThrow(/matrix\[1\]\[0\] = 3, matrix\[0\]\[1\] = 2/)
  })
})
