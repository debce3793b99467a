import type { z } from 'zod'
import {
  modelParamsSchema,
  modelSignatureSchema,
  preprocessorSchema,
  type FeatureTransform,
  type ModelParams,
  type ModelSignature,
  type Preprocessor,
  type SignatureInput,
} from '../../contract/index.ts'
import { ModelParamsError, type ModelShape, modelShape } from '../forward.ts'
import { OnnxExportError } from './errors.ts'
import { BATCH, GraphBuilder } from './graph-builder.ts'
import { addModel } from './model-nodes.ts'
import { addPreprocessing, graphInputName, transformWidth } from './preprocess-nodes.ts'
import { encodeModel, OnnxDataType } from './proto.ts'

/** Metadata key holding the JSON ModelSignature (contract/signature.ts). */
export const SIGNATURE_METADATA_KEY = 'highway.signature'

/** Version of this exporter's graph layout, written as the model's producer_version. */
export const EXPORTER_VERSION = '1'

/** What is exported: the fitted preprocessing, the model over its vector, and the signature served with it. */
export interface ExportOnnxOptions {
  readonly preprocessor: Preprocessor
  readonly params: ModelParams
  readonly signature: ModelSignature
}

const INPUT_TYPE_OF_TRANSFORM: Record<FeatureTransform['kind'], SignatureInput['type']> = { numeric: 'number', boolean: 'boolean', onehot: 'category', text: 'text' }

function parse<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const path = issue === undefined ? '' : issue.path.map(String).join('.')
  throw new OnnxExportError(path === '' ? field : `${field}.${path}`, issue?.message ?? 'invalid')
}

function checkPreprocessor(preprocessor: Preprocessor): void {
  const seen = new Set<string>()
  preprocessor.features.forEach((feature, i) => {
    const field = `preprocessor.features[${i}]`
    if (feature.name === '') throw new OnnxExportError(`${field}.name`, 'must not be empty')
    // A graph input named like an output would be rewired by it; the graph builder would refuse less clearly.
    if (graphInputName(feature) === 'prediction' || graphInputName(feature) === 'probabilities') {
      throw new OnnxExportError(`${field}.name`, `${JSON.stringify(feature.name)} is reserved for the model's output`)
    }
    if (seen.has(feature.name)) throw new OnnxExportError(`${field}.name`, `feature ${JSON.stringify(feature.name)} appears twice`)
    seen.add(feature.name)
    if (feature.kind === 'onehot') {
      const categories = new Set<string>()
      for (const category of feature.categories) {
        // "" means missing in the contract and must encode as all zeros, so it cannot own a column.
        if (category === '') throw new OnnxExportError(`${field}.categories`, 'must not contain "" (the missing value)')
        if (categories.has(category)) throw new OnnxExportError(`${field}.categories`, `category ${JSON.stringify(category)} appears twice`)
        categories.add(category)
      }
    }
    if (feature.kind === 'text' && feature.idf.length !== feature.vocabulary.length) {
      throw new OnnxExportError(`${field}.idf`, `has ${feature.idf.length} entries, expected one per vocabulary entry (${feature.vocabulary.length})`)
    }
  })
}

function checkSignatureInputs(preprocessor: Preprocessor, signature: ModelSignature): void {
  const features = new Map(preprocessor.features.map((feature) => [feature.name, feature]))
  const named = new Set<string>()
  signature.inputs.forEach((input, i) => {
    const field = `signature.inputs[${i}]`
    if (named.has(input.name)) throw new OnnxExportError(`${field}.name`, `input ${JSON.stringify(input.name)} appears twice`)
    named.add(input.name)
    const feature = features.get(input.name)
    if (feature === undefined) throw new OnnxExportError(`${field}.name`, `input ${JSON.stringify(input.name)} has no transform in the preprocessor`)
    const expected = INPUT_TYPE_OF_TRANSFORM[feature.kind]
    if (input.type !== expected) throw new OnnxExportError(`${field}.type`, `is ${input.type}, but ${JSON.stringify(input.name)} is a ${feature.kind} feature (type ${expected})`)
  })
  for (const feature of preprocessor.features) {
    if (!named.has(feature.name)) throw new OnnxExportError('signature.inputs', `has no input for preprocessor feature ${JSON.stringify(feature.name)}`)
    if (feature.kind !== 'text') continue
    // The server featurises text from the signature: it must hold the very transform the model was trained on.
    const served = signature.text.find((t) => t.name === feature.name)
    if (served === undefined) throw new OnnxExportError('signature.text', `has no featuriser for text feature ${JSON.stringify(feature.name)}`)
    if (JSON.stringify(served) !== JSON.stringify(feature)) throw new OnnxExportError('signature.text', `featuriser for ${JSON.stringify(feature.name)} differs from the preprocessor's`)
  }
}

function checkModel(params: ModelParams, width: number, signature: ModelSignature): ModelShape {
  let shape: ModelShape
  try {
    shape = modelShape(params)
  } catch (err) {
    if (err instanceof ModelParamsError) throw new OnnxExportError(`params.${err.field}`, err.message.slice(err.field.length + 2))
    throw err
  }
  if (shape.inputWidth !== width) throw new OnnxExportError('params', `the model takes ${shape.inputWidth} columns, the preprocessor produces ${width}`)
  const classes = signature.classes ?? []
  if (signature.task === 'regression') {
    if (shape.output !== 'prediction') throw new OnnxExportError('signature.task', `is regression, but the ${params.kind} model returns ${shape.outputWidth} probabilities`)
    if (classes.length > 0) throw new OnnxExportError('signature.classes', 'must be absent for regression')
    return shape
  }
  if (shape.output !== 'probabilities') throw new OnnxExportError('signature.task', `is ${signature.task}, but the ${params.kind} model is a regression`)
  if (signature.task === 'binary_classification' && shape.outputWidth !== 2) {
    throw new OnnxExportError('signature.task', `is binary_classification, but the model returns ${shape.outputWidth} classes`)
  }
  if (classes.length !== shape.outputWidth) throw new OnnxExportError('signature.classes', `has ${classes.length} names, the model returns ${shape.outputWidth} probabilities`)
  if (new Set(classes).size !== classes.length) throw new OnnxExportError('signature.classes', 'must not repeat a class')
  return shape
}

/**
 * Exports preprocessing + model as one ONNX graph (IR 8, opset 17, ai.onnx.ml 3), computing in double: raw inputs
 * per the graph contract in contract/signature.ts, output `prediction` [N, 1] or `probabilities` [N, classes].
 */
export function exportOnnx(options: ExportOnnxOptions): Uint8Array {
  const preprocessor = parse(preprocessorSchema, options.preprocessor, 'preprocessor')
  const params = parse(modelParamsSchema, options.params, 'params')
  const signature = parse(modelSignatureSchema, options.signature, 'signature')
  checkPreprocessor(preprocessor)
  checkSignatureInputs(preprocessor, signature)
  const width = preprocessor.features.reduce((sum, feature) => sum + transformWidth(feature), 0)
  const shape = checkModel(params, width, signature)

  const graph = new GraphBuilder()
  const byName = new Map(preprocessor.features.map((feature) => [feature.name, feature]))
  // Graph inputs in signature order, so a model's description lists them as its callers see them.
  for (const input of signature.inputs) {
    const feature = byName.get(input.name) as FeatureTransform
    const name = graphInputName(feature)
    if (feature.kind === 'text') graph.input(name, OnnxDataType.DOUBLE, [BATCH, transformWidth(feature)])
    else graph.input(name, feature.kind === 'onehot' ? OnnxDataType.STRING : OnnxDataType.DOUBLE, [BATCH, 1])
  }
  const { vector } = addPreprocessing(graph, preprocessor)
  const model = addModel(graph, params, vector)
  graph.output(model.output, OnnxDataType.DOUBLE, [BATCH, shape.outputWidth])
  return encodeModel(
    graph.build({ graphName: `highway_${params.kind}`, producerVersion: EXPORTER_VERSION, metadata: { [SIGNATURE_METADATA_KEY]: JSON.stringify(signature) } }),
  )
}
