import { readFileSync } from 'node:fs'
import protobuf from 'protobufjs'

/*
 * The ONNX protobuf schema, loaded by reflection from the vendored `onnx.proto3` (no code generation step). Field
 * names keep the schema's snake_case (`keepCase`), so the plain objects below are exactly the wire messages.
 */

/** ONNX TensorProto.DataType values used by Highway (onnx.proto3). */
export const OnnxDataType = { FLOAT: 1, INT64: 7, STRING: 8, BOOL: 9, DOUBLE: 11 } as const

/** IR version written into every model: 8 (ONNX 1.12), the newest that onnx 1.12's checker accepts. */
export const ONNX_IR_VERSION = 8

/** A tensor initializer: doubles and int64s are written little-endian into `raw_data`. */
export interface TensorProto {
  readonly name: string
  readonly dims: readonly number[]
  readonly data_type: number
  readonly raw_data?: Uint8Array
}

/** One attribute: `type` is AttributeProto.AttributeType (1 FLOAT, 2 INT, 3 STRING, 6 FLOATS, 7 INTS, 8 STRINGS). */
export interface AttributeProto {
  readonly name: string
  readonly type: number
  readonly f?: number
  readonly i?: number
  readonly s?: Uint8Array
  readonly floats?: readonly number[]
  readonly ints?: readonly number[]
  readonly strings?: readonly Uint8Array[]
}

/** One operator application. */
export interface NodeProto {
  readonly name: string
  readonly op_type: string
  readonly domain: string
  readonly input: readonly string[]
  readonly output: readonly string[]
  readonly attribute: readonly AttributeProto[]
}

/** One dimension: a fixed size or a symbolic name such as `N`. */
export type DimensionProto = { readonly dim_value: number } | { readonly dim_param: string }

/** A named tensor type (graph input or output). */
export interface ValueInfoProto {
  readonly name: string
  readonly type: { readonly tensor_type: { readonly elem_type: number; readonly shape: { readonly dim: readonly DimensionProto[] } } }
}

/** The computation graph. */
export interface GraphProto {
  readonly name: string
  readonly node: readonly NodeProto[]
  readonly initializer: readonly TensorProto[]
  readonly input: readonly ValueInfoProto[]
  readonly output: readonly ValueInfoProto[]
  readonly value_info: readonly ValueInfoProto[]
}

/** An operator set the model imports: `domain` "" is the default ONNX domain. */
export interface OperatorSetIdProto {
  readonly domain: string
  readonly version: number
}

/** The top-level model message. */
export interface ModelProto {
  readonly ir_version: number
  readonly opset_import: readonly OperatorSetIdProto[]
  readonly producer_name: string
  readonly producer_version: string
  readonly graph: GraphProto
  readonly metadata_props: ReadonlyArray<{ readonly key: string; readonly value: string }>
}

let modelType: protobuf.Type | undefined

// Parsed on first use: importing the module does no I/O.
function loadModelType(): protobuf.Type {
  if (modelType === undefined) {
    const text = readFileSync(new URL('./onnx.proto3', import.meta.url), 'utf8')
    modelType = protobuf.parse(text, { keepCase: true }).root.lookupType('onnx.ModelProto')
  }
  return modelType
}

/** Serialises a model to ONNX protobuf bytes, refusing objects that do not fit the schema. */
export function encodeModel(model: ModelProto): Uint8Array {
  const type = loadModelType()
  const plain = model as unknown as Record<string, unknown>
  const problem = type.verify(plain)
  if (problem !== null) throw new Error(`ONNX ModelProto does not fit the schema: ${problem}`)
  return type.encode(type.fromObject(plain)).finish()
}

/** Decodes ONNX protobuf bytes into a plain object (int64 as numbers, every field present); throws on bad bytes. */
export function decodeModel(bytes: Uint8Array): unknown {
  const type = loadModelType()
  return type.toObject(type.decode(bytes), { longs: Number, enums: Number, defaults: true, arrays: true, oneofs: true })
}
