import { TEXT_VECTOR_SUFFIX, type FeatureTransform, type Preprocessor } from '../../contract/index.ts'
import { OnnxDataType } from './proto.ts'
import { BATCH, ML_DOMAIN, type GraphBuilder } from './graph-builder.ts'

/** The graph input a feature arrives on: its own name, or `<name>__vector` for text featurised outside the graph. */
export function graphInputName(feature: FeatureTransform): string {
  return feature.kind === 'text' ? `${feature.name}${TEXT_VECTOR_SUFFIX}` : feature.name
}

/** The columns a feature contributes to the preprocessed vector. */
export function transformWidth(feature: FeatureTransform): number {
  switch (feature.kind) {
    case 'numeric':
    case 'boolean':
      return 1
    case 'onehot':
      return feature.categories.length
    case 'text':
      return feature.vocabulary.length
  }
}

/** x is NaN ? impute : x, as IsNaN + Where: the same double the TypeScript transform computes. */
function impute(graph: GraphBuilder, index: number, input: string, value: number): string {
  const missing = graph.node('IsNaN', [input], `f${index}/missing`)
  const fill = graph.doubles(`f${index}/impute`, [], [value])
  return graph.node('Where', [missing, fill, input], `f${index}/imputed`)
}

/** Nodes turning one raw input into its [N, width] double block. */
function featureBlock(graph: GraphBuilder, index: number, feature: FeatureTransform): string {
  const input = graphInputName(feature)
  switch (feature.kind) {
    case 'numeric': {
      const imputed = impute(graph, index, input, feature.impute)
      const centred = graph.node('Sub', [imputed, graph.doubles(`f${index}/mean`, [], [feature.mean])], `f${index}/centred`)
      return graph.node('Div', [centred, graph.doubles(`f${index}/scale`, [], [feature.scale])], `f${index}/standardised`)
    }
    case 'boolean':
      // true/false arrive as 1/0; only a missing value needs work.
      return impute(graph, index, input, feature.impute)
    case 'onehot': {
      // zeros = 1: an unseen category (and "", which is never a category) gives an all-zero row instead of an error.
      // OneHotEncoder appends the category axis to the input shape: [N, 1] → [N, 1, K] float, so reshape and cast.
      const encoded = graph.node('OneHotEncoder', [input], `f${index}/onehot`, { cats_strings: { strings: feature.categories }, zeros: { int: 1 } }, ML_DOMAIN)
      // onnx 1.12 infers no type for OneHotEncoder, and its strict checker then rejects the Reshape that reads it.
      graph.valueInfo(encoded, OnnxDataType.FLOAT, [BATCH, 1, feature.categories.length])
      const shape = graph.int64s(`f${index}/shape`, [2], [-1, feature.categories.length])
      const flat = graph.node('Reshape', [encoded, shape], `f${index}/onehot_2d`)
      return graph.node('Cast', [flat], `f${index}/onehot_double`, { to: { int: OnnxDataType.DOUBLE } })
    }
    case 'text':
      return input
  }
}

/** Adds the preprocessing nodes; returns the [N, width] double value they produce, columns in the preprocessor's order. */
export function addPreprocessing(graph: GraphBuilder, preprocessor: Preprocessor): { readonly vector: string; readonly width: number } {
  const blocks = preprocessor.features.map((feature, index) => featureBlock(graph, index, feature))
  const width = preprocessor.features.reduce((sum, feature) => sum + transformWidth(feature), 0)
  const vector = blocks.length === 1 ? (blocks[0] as string) : graph.node('Concat', blocks, 'features', { axis: { int: 1 } })
  return { vector, width }
}
