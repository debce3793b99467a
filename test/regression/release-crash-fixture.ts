import { exportOnnx } from '../../pipeline/onnx/index.ts'

/** The signature of the crash tests' model: one number in, one number out. */
export const regressionSignature = { task: 'regression' as const, inputs: [{ name: 'x', type: 'number' as const }], text: [] }

/** prediction = 2x + 1, through the real exporter. */
export function regressionOnnx(): Uint8Array {
  return exportOnnx({ preprocessor: { features: [{ kind: 'numeric', name: 'x', impute: 0, mean: 0, scale: 1 }] }, params: { kind: 'linear', weights: [2], bias: 1 }, signature: regressionSignature })
}
