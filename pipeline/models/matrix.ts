import type { Matrix } from './types.ts'

/** Wraps a row-major buffer as a Matrix after checking that its length is rows × cols. */
export function createMatrix(data: Float64Array, rows: number, cols: number): Matrix {
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`matrix rows must be a non-negative integer, got ${rows}`)
  if (!Number.isInteger(cols) || cols < 1) throw new RangeError(`matrix cols must be a positive integer, got ${cols}`)
  if (data.length !== rows * cols) throw new RangeError(`matrix data has ${data.length} values, expected rows × cols = ${rows} × ${cols} = ${rows * cols}`)
  return { data, rows, cols }
}

/** Builds a Matrix from nested rows (tests, small inputs). */
export function matrixFromRows(rows: ReadonlyArray<ArrayLike<number>>): Matrix {
  const cols = rows[0]?.length ?? 0
  const data = new Float64Array(rows.length * cols)
  rows.forEach((row, i) => {
    if (row.length !== cols) throw new RangeError(`row ${i} has ${row.length} values, expected ${cols}`)
    for (let j = 0; j < cols; j++) data[i * cols + j] = row[j] as number
  })
  return createMatrix(data, rows.length, cols)
}

/** The rows at the given indices, in that order, as a new Matrix. */
export function selectRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = new Float64Array(indices.length * m.cols)
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number
    out.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), k * m.cols)
  }
  return { data: out, rows: indices.length, cols: m.cols }
}

/** Throws unless every entry is finite: NaN must be imputed by the preprocessor before training. */
export function assertFinite(m: Matrix, what: string): void {
  for (let k = 0; k < m.data.length; k++) {
    const v = m.data[k] as number
    if (!Number.isFinite(v)) throw new RangeError(`${what}: row ${Math.floor(k / m.cols)}, column ${k % m.cols} is ${v}; values must be finite (impute before training)`)
  }
}
