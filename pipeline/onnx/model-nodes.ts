import type { DenseLayer, ModelParams } from '../../contract/index.ts'
import { modelShape, type ModelOutput } from '../forward.ts'
import type { GraphBuilder } from './graph-builder.ts'

/*
 * The model half of the graph, node for node the computation of pipeline/forward.ts: Gemm (transB = 1, so weights
 * stay [outputs][inputs]), then the activation. σ is spelled out as 1 / (1 + e^(−t)) rather than the Sigmoid op:
 * onnxruntime's double Sigmoid loses relative precision for negative t (measured with onnxruntime-node 1.30:
 * σ(−40) = 0 instead of 4.2e−18, σ(−5) off by 2e−14 relative), and small probabilities are what parity with the
 * reference is measured on.
 */

function gemm(graph: GraphBuilder, name: string, x: string, weights: readonly (readonly number[])[], bias: readonly number[]): string {
  const units = weights.length
  const inputs = weights[0]?.length ?? 0
  const w = graph.doubles(`${name}/weights`, [units, inputs], weights.flat())
  const b = graph.doubles(`${name}/bias`, [units], bias)
  return graph.node('Gemm', [x, w, b], `${name}/gemm`, { transB: { int: 1 } })
}

function sigmoid(graph: GraphBuilder, name: string, t: string): string {
  const negated = graph.node('Neg', [t], `${name}/neg`)
  const exp = graph.node('Exp', [negated], `${name}/exp`)
  const one = graph.doubles(`${name}/one`, [], [1])
  const denominator = graph.node('Add', [one, exp], `${name}/one_plus_exp`)
  return graph.node('Div', [one, denominator], `${name}/sigmoid`)
}

function activation(graph: GraphBuilder, name: string, a: string, kind: DenseLayer['activation']): string {
  switch (kind) {
    case 'identity':
      return a
    case 'relu':
      return graph.node('Relu', [a], `${name}/relu`)
    case 'tanh':
      return graph.node('Tanh', [a], `${name}/tanh`)
    case 'sigmoid':
      return sigmoid(graph, name, a)
    case 'softmax':
      return graph.node('Softmax', [a], `${name}/softmax`, { axis: { int: 1 } })
  }
}

/** [σ(−z), σ(z)] for a [N, 1] logit: the [1 − p, p] columns of a binary classifier. */
function binaryProbabilities(graph: GraphBuilder, z: string, output: string): string {
  const negative = sigmoid(graph, 'class0', graph.node('Neg', [z], 'class0/logit'))
  const positive = sigmoid(graph, 'class1', z)
  return graph.node('Concat', [negative, positive], output, { axis: { int: 1 } })
}

function targetScaling(graph: GraphBuilder, y: string, target: { mean: number; scale: number } | undefined, output: string): string {
  if (target === undefined) return graph.node('Identity', [y], output)
  const scaled = graph.node('Mul', [y, graph.doubles('target/scale', [], [target.scale])], 'target/scaled')
  return graph.node('Add', [scaled, graph.doubles('target/mean', [], [target.mean])], output)
}

/** Adds the model's nodes over the preprocessed vector `x`; the final value is named after its output. */
export function addModel(graph: GraphBuilder, params: ModelParams, x: string): { readonly output: ModelOutput; readonly width: number } {
  const shape = modelShape(params)
  switch (params.kind) {
    case 'linear': {
      const y = gemm(graph, 'linear', x, [params.weights], [params.bias])
      targetScaling(graph, y, params.target, 'prediction')
      break
    }
    case 'logistic': {
      const z = gemm(graph, 'logistic', x, params.weights, params.bias)
      if (params.weights.length === 1) binaryProbabilities(graph, z, 'probabilities')
      else graph.node('Softmax', [z], 'probabilities', { axis: { int: 1 } })
      break
    }
    case 'mlp': {
      let h = x
      const lastIndex = params.layers.length - 1
      params.layers.forEach((layer, i) => {
        const a = gemm(graph, `layer${i}`, h, layer.weights, layer.bias)
        if (i < lastIndex) h = activation(graph, `layer${i}`, a, layer.activation)
        else if (shape.output === 'prediction') targetScaling(graph, a, params.target, 'prediction')
        else if (layer.activation === 'sigmoid') binaryProbabilities(graph, a, 'probabilities')
        else graph.node('Softmax', [a], 'probabilities', { axis: { int: 1 } })
      })
      break
    }
  }
  return { output: shape.output, width: shape.outputWidth }
}
