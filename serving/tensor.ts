/*
 * Tensors as plain data, independent of onnxruntime: what requests are decoded into and what results are encoded
 * from. Keeping ORT types out of the protocol code keeps the engine swappable (in-thread or a worker pool).
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

/** Open Inference Protocol datatype names (KServe V2 "Tensor Data Types"). */
export type V2Datatype = 'FP64' | 'FP32' | 'INT64' | 'INT32' | 'BOOL' | 'BYTES'

const V2_OF: Record<ElementType, V2Datatype> = { float64: 'FP64', float32: 'FP32', int64: 'INT64', int32: 'INT32', bool: 'BOOL', string: 'BYTES' }

/** The V2 datatype of an element type. */
export function v2Datatype(type: ElementType): V2Datatype {
  return V2_OF[type]
}

/** Number of elements a shape holds. */
export function elementCount(dims: readonly number[]): number {
  let n = 1
  for (const d of dims) n *= d
  return n
}

/** Plain JSON numbers/strings of a tensor, row-major and flat (int64 as numbers: V2 JSON carries them as $number). */
export function toJsonData(t: HostTensor): Array<number | string | boolean> {
  const d = t.data
  if (Array.isArray(d)) return d
  if (d instanceof BigInt64Array) return Array.from(d, (v) => Number(v))
  if (t.type === 'bool') return Array.from(d as Uint8Array, (v) => v !== 0)
  return Array.from(d as Float64Array)
}
