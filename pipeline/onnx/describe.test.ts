import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { describeOnnx, exportOnnx, OnnxFormatError, SIGNATURE_METADATA_KEY } from './index.ts'
import { GraphBuilder } from './graph-builder.ts'
import { encodeModel, OnnxDataType } from './proto.ts'
import { randomModel } from './test-models.ts'

describe('describeOnnx', () => {
  it('reads back the inputs, outputs, opsets and signature of an exported model', async () => {
    const model = randomModel('multinomial logistic', 42)
    const bytes = exportOnnx(model)
    const description = describeOnnx(bytes)
    const notes = model.preprocessor.features.find((f) => f.kind === 'text')
    expect(description.irVersion).toBe(8)
    expect(description.opsets).toEqual([
      { domain: 'ai.onnx', version: 17 },
      { domain: 'ai.onnx.ml', version: 3 },
    ])
    expect(description.inputs).toEqual([
      { name: 'age', type: 'double', shape: ['N', 1] },
      { name: 'income', type: 'double', shape: ['N', 1] },
      { name: 'insured', type: 'double', shape: ['N', 1] },
      { name: 'city', type: 'string', shape: ['N', 1] },
      { name: 'notes__vector', type: 'double', shape: ['N', notes?.vocabulary.length] },
    ])
    expect(description.outputs).toEqual([{ name: 'probabilities', type: 'double', shape: ['N', 4] }])
    expect(description.signature).toEqual(model.signature)
    expect(JSON.parse(description.metadata[SIGNATURE_METADATA_KEY] ?? 'null')).toEqual(model.signature)

    // The description agrees with what onnxruntime itself reads from the same bytes.
    const session = await ort.InferenceSession.create(bytes)
    expect(description.inputs.map((i) => i.name)).toEqual([...session.inputNames])
    expect(description.outputs.map((o) => o.name)).toEqual([...session.outputNames])
    await session.release()
  })

  it('describes a model without a Highway signature as having none', () => {
    const graph = new GraphBuilder()
    graph.input('x', OnnxDataType.FLOAT, [3])
    graph.node('Relu', ['x'], 'y')
    graph.output('y', OnnxDataType.FLOAT, [3])
    const description = describeOnnx(encodeModel(graph.build({ graphName: 'plain', producerVersion: '7', metadata: { author: 'someone' } })))
    expect(description.signature).toBeUndefined()
    expect(description.metadata).toEqual({ author: 'someone' })
    expect(description.producer).toBe('highway 7')
    expect(description.inputs).toEqual([{ name: 'x', type: 'float', shape: [3] }])
    expect(description.opsets).toEqual([{ domain: 'ai.onnx', version: 17 }])
  })

  it('refuses bytes that are not an ONNX model', () => {
    expect(() => describeOnnx(new TextEncoder().encode('this is not protobuf at all'))).toThrow(OnnxFormatError)
    expect(() => describeOnnx(new Uint8Array(0))).toThrow(/not an ONNX model: it has no graph/)
  })

  it('refuses a signature in metadata that is not valid JSON or not a signature', () => {
    const build = (signature: string): Uint8Array => {
      const graph = new GraphBuilder()
      graph.input('x', OnnxDataType.DOUBLE, ['N', 1])
      graph.node('Identity', ['x'], 'prediction')
      graph.output('prediction', OnnxDataType.DOUBLE, ['N', 1])
      return encodeModel(graph.build({ graphName: 'g', producerVersion: '1', metadata: { [SIGNATURE_METADATA_KEY]: signature } }))
    }
    expect(() => describeOnnx(build('{oops'))).toThrow(/metadata highway.signature is not JSON/)
    expect(() => describeOnnx(build('{"task":"clustering","inputs":[]}'))).toThrow(/metadata highway.signature: task/)
  })
})
