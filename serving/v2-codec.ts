import { z } from 'zod'
import { elementCount, toJsonData, v2Datatype, type ElementType, type HostTensor, type TensorMeta } from './tensor.ts'

/*
 * Open Inference Protocol (KServe V2) REST bodies: https://kserve.github.io/website/docs/concepts/architecture/data-plane/v2-protocol
 * ("Inference Request JSON Object", "Inference Response JSON Object", "Tensor Data"). Tensor data is row-major,
 * flat or nested to the tensor's shape.
 */

const parameters = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))

/** The V2 datatypes this server decodes. */
export const V2_INPUT_DATATYPES = ['FP64', 'FP32', 'INT64', 'BYTES'] as const

/** `$inference_request`. */
export const inferRequestSchema = z
  .object({
    id: z.string().max(256).optional(),
    parameters: parameters.optional(),
    inputs: z
      .array(
        z
          .object({
            name: z.string().min(1).max(256),
            shape: z.array(z.number().int().nonnegative()).max(8),
            datatype: z.string(),
            parameters: parameters.optional(),
            data: z.array(z.unknown()),
          })
          .strict(),
      )
      .min(1),
    outputs: z.array(z.object({ name: z.string().min(1), parameters: parameters.optional() }).strict()).optional(),
  })
  .strict()

/** A parsed V2 inference request body. */
export type InferRequestBody = z.infer<typeof inferRequestSchema>

/** One `$response_output`. */
export interface V2Output {
  name: string
  shape: number[]
  datatype: string
  parameters?: Record<string, string | number | boolean>
  data: Array<number | string | boolean>
}

/** `$metadata_tensor`: symbolic dimensions are -1. */
export function metadataTensor(meta: TensorMeta): { name: string; datatype: string; shape: number[] } {
  return { name: meta.name, datatype: v2Datatype(meta.type), shape: meta.shape.map((d) => d ?? -1) }
}

function flatten(data: readonly unknown[], out: unknown[]): void {
  for (const v of data) {
    if (Array.isArray(v)) flatten(v, out)
    else out.push(v)
  }
}

/**
 * Decodes one input to the element type the graph takes. Numbers of any V2 numeric datatype are converted to the
 * graph's numeric type (FP32 data into a double input, INT64 into a double input); BYTES only feeds string inputs.
 * `null` in floating-point data is a missing value (NaN), which JSON cannot carry (Highway's graphs impute NaN).
 * Returns the tensor, or an error naming the field, the rule and the value.
 */
export function decodeInput(input: InferRequestBody['inputs'][number], index: number, target: TensorMeta | undefined): HostTensor | string {
  const where = `inputs[${index}] ("${input.name}")`
  if (!(V2_INPUT_DATATYPES as readonly string[]).includes(input.datatype)) return `${where}.datatype: must be one of ${V2_INPUT_DATATYPES.join(', ')}, got ${JSON.stringify(input.datatype.slice(0, 32))}`
  if (input.shape.length === 0) return `${where}.shape: must have at least one dimension (the batch), got []`
  const flat: unknown[] = []
  flatten(input.data, flat)
  const expected = elementCount(input.shape)
  if (flat.length !== expected) return `${where}.data: shape [${input.shape.join(', ')}] holds ${expected} elements, got ${flat.length}`
  const dims = [...input.shape]
  if (input.datatype === 'BYTES') {
    const bad = flat.findIndex((v) => typeof v !== 'string')
    if (bad >= 0) return `${where}.data[${bad}]: BYTES elements must be strings, got ${JSON.stringify(flat[bad])}`
    return { type: 'string', dims, data: flat as string[] }
  }
  const integer = input.datatype === 'INT64'
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i]
    const ok = integer ? typeof v === 'number' && Number.isSafeInteger(v) : v === null || (typeof v === 'number' && Number.isFinite(v))
    if (!ok) return `${where}.data[${i}]: ${integer ? 'INT64 elements must be integers' : `${input.datatype} elements must be finite numbers or null (missing)`}, got ${JSON.stringify(v)}`
  }
  // Without a graph input of that name the type check reports it; keep the request's own type meanwhile.
  const type: ElementType = target && target.type !== 'string' ? target.type : integer ? 'int64' : input.datatype === 'FP32' ? 'float32' : 'float64'
  const numbers = flat as Array<number | null>
  switch (type) {
    case 'float64':
      return { type, dims, data: Float64Array.from(numbers, (v) => (v === null ? Number.NaN : v)) }
    case 'float32':
      return { type, dims, data: Float32Array.from(numbers, (v) => (v === null ? Number.NaN : v)) }
    case 'int64':
    case 'int32': {
      const bad = numbers.findIndex((v) => v === null || !Number.isSafeInteger(v))
      if (bad >= 0) return `${where}.data[${bad}]: the graph takes integers here, got ${JSON.stringify(numbers[bad])}`
      return type === 'int64' ? { type, dims, data: BigInt64Array.from(numbers, (v) => BigInt(v!)) } : { type, dims, data: Int32Array.from(numbers, (v) => v!) }
    }
    case 'bool':
      return { type, dims, data: Uint8Array.from(numbers, (v) => (v ? 1 : 0)) }
    default:
      return `${where}.datatype: ${input.datatype} cannot feed a ${type} input`
  }
}

/** Encodes a result tensor as a `$response_output` (NaN, which JSON cannot carry, becomes null). */
export function encodeOutput(name: string, t: HostTensor): V2Output {
  const data = toJsonData(t).map((v) => (typeof v === 'number' && !Number.isFinite(v) ? (null as unknown as number) : v))
  return { name, datatype: v2Datatype(t.type), shape: [...t.dims], data }
}
