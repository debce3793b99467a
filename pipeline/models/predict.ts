import type { ModelParams } from '../../contract/index.ts'
import { modelShape, predictVectors } from '../forward.ts'
import type { Matrix } from './types.ts'

/**
 * The model's outputs over preprocessed rows, as a Matrix: a thin adapter over the shared pure forward pass
 * (pipeline/forward.ts, the reference the exported ONNX graph is tested against), so training, evaluation and
 * serving compute one thing. Regression → one column (target scaling undone); classification → one probability
 * column per class (binary: [1 − p, p] with p = P(classes[1])).
 */
export function predictParams(params: ModelParams, x: Matrix): Matrix {
  const { outputWidth } = modelShape(params)
  return { data: predictVectors(params, x.data, x.cols), rows: x.rows, cols: outputWidth }
}
