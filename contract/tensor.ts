/*
 * Tensors and records as plain data, independent of onnxruntime: what the graph feeds are built as (training and
 * serving alike) and what results are read from. Keeping ORT types out keeps the engine swappable.
 */

/** The element types Highway graphs use, named as onnxruntime-node names them. */
export type ElementType = 'float64' | 'float32' | 'int64' | 'int32' | 'bool' | 'string'

/** Typed storage per element type. */
export type TensorData = Float64Array | Float32Array | BigInt64Array | Int32Array | Uint8Array | string[]

/** A dense row-major tensor. */
export interface HostTensor {
  readonly type: ElementType
  readonly dims: readonly number[]
  readonly data: TensorData
}

/** A graph input or output as the session reports it; symbolic dimensions are null. */
export interface TensorMeta {
  readonly name: string
  readonly type: ElementType
  readonly shape: ReadonlyArray<number | null>
}

/** One record's raw features, keyed by feature name; `null` marks a missing value. */
export type FeatureRecord = Readonly<Record<string, number | string | boolean | null>>

/** A model output in the record contract: a number (regression, binary probability) or a class name. */
export type PredictionValue = number | string
