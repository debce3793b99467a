import { z } from 'zod'
import { elementCount, v2Datatype, type ElementType, type HostTensor, type TensorMeta } from './tensor.ts'

/*
 * Open Inference Protocol (KServe V2) REST bodies (github:kserve/open-inference-protocol, specification/protocol/
 * inference_rest.md: "Inference Request JSON Object", "Inference Response JSON Object", "Tensor Data"), and
 * Triton's binary tensor data extension (`Inference-Header-Content-Length`, `binary_data_size`, `binary_data`,
 * `binary_data_output`), which tritonclient uses by default. Tensor data is row-major, flat or nested to the shape.
 *
 * Conversions are exact or refused: every element is read as its declared datatype (range checked), then fed to
 * the graph's element type only when that keeps its value; anything else is a 400 naming the input and the value.
 */

const parameters = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))

/** Every datatype the protocol defines ("Tensor Data Types"). */
export const V2_DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'] as const
export type V2DatatypeName = (typeof V2_DATATYPES)[number]

// The spec's schemas set no `additionalProperties: false`: KServe's client sends `model_name`, others send their own.
const requestInput = z.looseObject({
  name: z.string().min(1).max(256),
  shape: z.array(z.number().int().nonnegative()).max(8),
  datatype: z.string(),
  parameters: parameters.optional(),
  data: z.array(z.unknown()).optional(),
})

/** `$inference_request` (extra fields are allowed, as the spec's schema allows them). */
export const inferRequestSchema = z.looseObject({
  id: z.string().max(256).optional(),
  model_name: z.string().optional(),
  model_version: z.string().optional(),
  parameters: parameters.optional(),
  inputs: z.array(requestInput).min(1),
  outputs: z.array(z.looseObject({ name: z.string().min(1), parameters: parameters.optional() })).optional(),
})

/** A parsed V2 inference request body. */
export type InferRequestBody = z.infer<typeof inferRequestSchema>

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The hot path's check of `$inference_request`: the body itself when it is certainly valid against
 * {@link inferRequestSchema} in its common shape (no `parameters`, no `outputs`), else undefined — and then the
 * schema parses it, so every refusal keeps the schema's 400 message. Accepts a subset of what the schema accepts
 * (measured: the schema was about a tenth of a single-row request's CPU); extra fields pass through, as there.
 */
export function fastInferRequest(value: unknown): InferRequestBody | undefined {
  if (!isObject(value) || value.parameters !== undefined || value.outputs !== undefined) return undefined
  const { id, model_name: name, model_version: version, inputs } = value
  if (id !== undefined && (typeof id !== 'string' || id.length > 256)) return undefined
  if ((name !== undefined && typeof name !== 'string') || (version !== undefined && typeof version !== 'string')) return undefined
  if (!Array.isArray(inputs) || inputs.length === 0) return undefined
  for (const input of inputs as unknown[]) {
    if (!isObject(input) || input.parameters !== undefined) return undefined
    const { name: n, shape, datatype, data } = input
    if (typeof n !== 'string' || n.length === 0 || n.length > 256 || typeof datatype !== 'string') return undefined
    if (data !== undefined && !Array.isArray(data)) return undefined
    if (!Array.isArray(shape) || shape.length > 8) return undefined
    for (const d of shape as unknown[]) if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) return undefined
  }
  return value as InferRequestBody
}

/** `$response_output` as JSON. */
export const responseOutputSchema = z.object({
  name: z.string(),
  shape: z.array(z.number()),
  datatype: z.string(),
  parameters: parameters.optional(),
  data: z.array(z.union([z.number(), z.string(), z.boolean()])).optional(),
})

/** One `$response_output`. */
export interface V2Output {
  name: string
  shape: number[]
  datatype: string
  parameters?: Record<string, string | number | boolean>
  data?: Array<number | string | boolean>
}

/** `$metadata_tensor`: symbolic dimensions are -1. */
export function metadataTensor(meta: TensorMeta): { name: string; datatype: string; shape: number[] } {
  return { name: meta.name, datatype: v2Datatype(meta.type), shape: meta.shape.map((d) => d ?? -1) }
}

/**
 * Flattens tensor data, flat or nested to the shape, without recursion: data nested deeper than the shape's rank
 * is refused (a body nested 20,000 deep once overflowed the stack here). Returns the elements, or an error.
 */
export function flattenData(data: readonly unknown[], rank: number): unknown[] | string {
  // The common case, flat data, is one pass.
  let nested = false
  for (let i = 0; i < data.length; i++) if (Array.isArray(data[i])) nested = true
  if (!nested) return data as unknown[]
  const out: unknown[] = []
  const stack: Array<{ items: readonly unknown[]; next: number }> = [{ items: data, next: 0 }]
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!
    if (top.next >= top.items.length) {
      stack.pop()
      continue
    }
    const v = top.items[top.next++]
    if (Array.isArray(v)) {
      if (stack.length >= Math.max(rank, 1)) return `is nested deeper than its shape's ${rank} dimension(s)`
      stack.push({ items: v, next: 0 })
    } else out.push(v)
  }
  return out
}

const INT_RANGE: Partial<Record<V2DatatypeName, readonly [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
}
const BIG_RANGE: Partial<Record<V2DatatypeName, readonly [bigint, bigint]>> = {
  INT64: [-(1n << 63n), (1n << 63n) - 1n],
  UINT64: [0n, (1n << 64n) - 1n],
}
const WIDTH: Record<Exclude<V2DatatypeName, 'BYTES'>, number> = { BOOL: 1, UINT8: 1, INT8: 1, UINT16: 2, INT16: 2, FP16: 2, UINT32: 4, INT32: 4, FP32: 4, UINT64: 8, INT64: 8, FP64: 8 }

function isDatatype(s: string): s is V2DatatypeName {
  return (V2_DATATYPES as readonly string[]).includes(s)
}

/** IEEE half → number. */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exp = (h >> 10) & 0x1f
  const frac = h & 0x3ff
  if (exp === 0) return sign * frac * 2 ** -24
  if (exp === 31) return frac ? Number.NaN : sign * Infinity
  return sign * (1 + frac / 1024) * 2 ** (exp - 15)
}

/** Whether a finite number is exactly an IEEE half (11 significant bits, |v| ≤ 65504, subnormals down to 2^-24). */
function isHalf(v: number): boolean {
  const a = Math.abs(v)
  if (a === 0) return true
  if (a > 65504) return false
  if (a < 2 ** -14) return Number.isInteger(a * 2 ** 24)
  return Number.isInteger(a * 2 ** (10 - Math.floor(Math.log2(a))))
}

/** Elements as read from the request, before conversion to the graph's type. */
type Elements = { kind: 'float'; values: number[] } | { kind: 'int'; values: Array<number | bigint> } | { kind: 'bool'; values: boolean[] } | { kind: 'bytes'; values: string[] }

function show(v: unknown): string {
  const text = typeof v === 'bigint' ? String(v) : JSON.stringify(v)
  return text === undefined ? String(v) : text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** Reads JSON elements as `datatype`, range checked. */
function readJsonElements(datatype: V2DatatypeName, flat: readonly unknown[], where: string): Elements | string {
  if (datatype === 'BYTES') {
    for (let i = 0; i < flat.length; i++) if (typeof flat[i] !== 'string') return `${where}.data[${i}]: BYTES elements must be strings, got ${show(flat[i])}`
    return { kind: 'bytes', values: flat as string[] }
  }
  if (datatype === 'BOOL') {
    for (let i = 0; i < flat.length; i++) if (typeof flat[i] !== 'boolean') return `${where}.data[${i}]: BOOL elements must be true or false, got ${show(flat[i])}`
    return { kind: 'bool', values: flat as boolean[] }
  }
  if (datatype === 'FP64' || datatype === 'FP32' || datatype === 'FP16') {
    const values = new Array<number>(flat.length)
    for (let i = 0; i < flat.length; i++) {
      const v = flat[i]
      if (v === null) {
        values[i] = Number.NaN
        continue
      }
      if (typeof v !== 'number') return `${where}.data[${i}]: ${datatype} elements must be finite numbers or null (missing), got ${show(v)}`
      const exact = datatype === 'FP64' ? Number.isFinite(v) : datatype === 'FP32' ? Math.fround(v) === v : isHalf(v)
      if (!exact) return `${where}.data[${i}]: ${show(v)} is not exactly a ${datatype} value${datatype === 'FP32' && Number.isFinite(Math.fround(v)) ? ` (the nearest is ${Math.fround(v)})` : ''}; send FP64 or a value ${datatype} holds exactly`
      const r = v
      values[i] = r
    }
    return { kind: 'float', values }
  }
  const big = BIG_RANGE[datatype]
  const values = new Array<number | bigint>(flat.length)
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i]
    if (big) {
      let b: bigint
      if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v)
      else if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) b = BigInt(v)
      else if (typeof v === 'number' && Number.isInteger(v)) {
        return `${where}.data[${i}]: ${show(v)} is beyond ±2^53, where JSON numbers lose precision when parsed; send it as a decimal string ("…") or as binary data`
      } else return `${where}.data[${i}]: ${datatype} elements must be integers (or decimal strings), got ${show(v)}`
      if (b < big[0] || b > big[1]) return `${where}.data[${i}]: ${show(v)} is outside the range of ${datatype} [${big[0]}, ${big[1]}]`
      values[i] = b
    } else {
      const range = INT_RANGE[datatype]!
      if (typeof v !== 'number' || !Number.isInteger(v)) return `${where}.data[${i}]: ${datatype} elements must be integers, got ${show(v)}`
      if (v < range[0] || v > range[1]) return `${where}.data[${i}]: ${show(v)} is outside the range of ${datatype} [${range[0]}, ${range[1]}]`
      values[i] = v
    }
  }
  return { kind: 'int', values }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Reads binary elements (little-endian, as the extension defines) as `datatype`. */
function readBinaryElements(datatype: V2DatatypeName, bytes: Buffer, count: number, where: string): Elements | string {
  if (datatype === 'BYTES') {
    const values: string[] = []
    let at = 0
    while (at < bytes.length) {
      if (at + 4 > bytes.length) return `${where}: binary BYTES data is cut off in an element's 4-byte length`
      const n = bytes.readUInt32LE(at)
      at += 4
      if (at + n > bytes.length) return `${where}: binary BYTES element ${values.length} says ${n} bytes, but only ${bytes.length - at} remain`
      try {
        values.push(utf8.decode(bytes.subarray(at, at + n)))
      } catch {
        return `${where}: binary BYTES element ${values.length} is not valid UTF-8 (this server feeds string inputs)`
      }
      at += n
    }
    if (values.length !== count) return `${where}: shape holds ${count} elements, binary data has ${values.length}`
    return { kind: 'bytes', values }
  }
  const width = WIDTH[datatype]
  if (bytes.length !== count * width) return `${where}: binary_data_size ${bytes.length} is not ${count} elements × ${width} bytes of ${datatype}`
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const at = (i: number) => i * width
  switch (datatype) {
    case 'BOOL':
      return { kind: 'bool', values: Array.from({ length: count }, (_, i) => bytes[i] !== 0) }
    case 'FP64':
      return { kind: 'float', values: Array.from({ length: count }, (_, i) => view.getFloat64(at(i), true)) }
    case 'FP32':
      return { kind: 'float', values: Array.from({ length: count }, (_, i) => view.getFloat32(at(i), true)) }
    case 'FP16':
      return { kind: 'float', values: Array.from({ length: count }, (_, i) => halfToNumber(view.getUint16(at(i), true))) }
    case 'INT8':
      return { kind: 'int', values: Array.from({ length: count }, (_, i) => view.getInt8(i)) }
    case 'UINT8':
      return { kind: 'int', values: Array.from({ length: count }, (_, i) => view.getUint8(i)) }
    case 'INT16':
      return { kind: 'int', values: Array.from({ length: count }, (_, i) => view.getInt16(at(i), true)) }
    case 'UINT16':
      return { kind: 'int', values: Array.from({ length: count }, (_, i) => view.getUint16(at(i), true)) }
    case 'INT32':
      return { kind: 'int', values: Array.from({ length: count }, (_, i) => view.getInt32(at(i), true)) }
    case 'UINT32':
      return { kind: 'int', values: Array.from({ length: count }, (_, i) => view.getUint32(at(i), true)) }
    case 'INT64':
      return { kind: 'int', values: Array.from({ length: count }, (_, i) => view.getBigInt64(at(i), true)) }
    case 'UINT64':
      return { kind: 'int', values: Array.from({ length: count }, (_, i) => view.getBigUint64(at(i), true)) }
  }
}

const V2_NAME: Record<ElementType, string> = { float64: 'FP64', float32: 'FP32', int64: 'INT64', int32: 'INT32', bool: 'BOOL', string: 'BYTES' }

/** Converts read elements to the graph's element type, exactly, or names the first element that would change. */
function convert(e: Elements, datatype: V2DatatypeName, type: ElementType, dims: number[], where: string): HostTensor | string {
  const cannot = `${where}.datatype: ${datatype} cannot feed this model's ${V2_NAME[type]} input`
  const changes = (i: number, v: unknown) => `${where}.data[${i}]: ${show(v)} (${datatype}) cannot be carried exactly by this model's ${V2_NAME[type]} input; send a value it holds exactly`
  if (type === 'string') return e.kind === 'bytes' ? { type, dims, data: e.values } : cannot
  if (e.kind === 'bytes') return cannot
  if (type === 'bool') return e.kind === 'bool' ? { type, dims, data: Uint8Array.from(e.values, (v) => (v ? 1 : 0)) } : cannot
  if (type === 'float64' || type === 'float32') {
    const data = type === 'float64' ? new Float64Array(e.values.length) : new Float32Array(e.values.length)
    for (let i = 0; i < e.values.length; i++) {
      const v = e.values[i]!
      const n = typeof v === 'boolean' ? (v ? 1 : 0) : Number(v)
      if (typeof v === 'bigint' && BigInt(n) !== v) return changes(i, v)
      data[i] = n
      if (type === 'float32' && !Number.isNaN(n) && data[i] !== n) return changes(i, v)
    }
    return { type, dims, data }
  }
  // int64, int32
  if (e.kind !== 'int') return cannot
  if (type === 'int64') {
    const data = new BigInt64Array(e.values.length)
    for (let i = 0; i < e.values.length; i++) {
      const b = BigInt(e.values[i]!)
      if (b < -(1n << 63n) || b >= 1n << 63n) return changes(i, e.values[i])
      data[i] = b
    }
    return { type, dims, data }
  }
  const data = new Int32Array(e.values.length)
  for (let i = 0; i < e.values.length; i++) {
    const v = Number(e.values[i]!)
    if (!Number.isSafeInteger(v) || v < -2147483648 || v > 2147483647) return changes(i, e.values[i])
    data[i] = v
  }
  return { type, dims, data }
}

/**
 * Decodes one input to the element type the model takes (`target`; undefined when it has no input of that name:
 * then the request's own type is kept and the server reports the name). `binary` is the input's bytes when it came
 * as binary data. Returns the tensor, or an error naming the field, the rule and the value.
 */
export function decodeInput(input: InferRequestBody['inputs'][number], index: number, target: TensorMeta | undefined, binary?: Buffer): HostTensor | string {
  const where = `inputs[${index}] ("${input.name}")`
  const datatype = input.datatype
  if (!isDatatype(datatype)) return `${where}.datatype: must be one of ${V2_DATATYPES.join(', ')}, got ${show(datatype.slice(0, 32))}`
  if (input.shape.length === 0) return `${where}.shape: must have at least one dimension (the batch), got []`
  const expected = elementCount(input.shape)
  let elements: Elements | string
  if (binary) elements = readBinaryElements(datatype, binary, expected, where)
  else {
    if (!input.data) return `${where}.data: is required (or binary data with parameters.binary_data_size)`
    const flat = flattenData(input.data, input.shape.length)
    if (typeof flat === 'string') return `${where}.data: ${flat}`
    if (flat.length !== expected) return `${where}.data: shape [${input.shape.join(', ')}] holds ${expected} elements, got ${flat.length}`
    elements = readJsonElements(datatype, flat, where)
  }
  if (typeof elements === 'string') return elements
  const own: ElementType =
    datatype === 'BYTES' ? 'string' : datatype === 'BOOL' ? 'bool' : datatype === 'FP32' || datatype === 'FP16' ? 'float32' : datatype === 'FP64' ? 'float64' : datatype === 'INT32' || datatype === 'INT16' || datatype === 'INT8' || datatype === 'UINT8' || datatype === 'UINT16' ? 'int32' : 'int64'
  return convert(elements, datatype, target?.type ?? own, [...input.shape], where)
}

/** Fast path: FP64 JSON data into a float64 input, the common case of a single row; undefined when it does not apply. */
export function decodeFp64Fast(input: InferRequestBody['inputs'][number], target: TensorMeta | undefined): HostTensor | undefined {
  if (input.datatype !== 'FP64' || target?.type !== 'float64' || !input.data || input.shape.length !== 2) return undefined
  const d = input.data
  const n = input.shape[0]! * input.shape[1]!
  if (d.length !== n) return undefined
  const data = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const v = d[i]
    if (typeof v === 'number') data[i] = v
    else if (v === null) data[i] = Number.NaN
    else return undefined
  }
  return { type: 'float64', dims: [input.shape[0]!, input.shape[1]!], data }
}

/** The JSON data of a result tensor; throws a message when an element cannot be carried exactly by JSON. */
export function jsonData(name: string, t: HostTensor): Array<number | string | boolean> | string {
  const d = t.data
  if (Array.isArray(d)) return d
  if (d instanceof BigInt64Array) {
    const out: number[] = []
    for (let i = 0; i < d.length; i++) {
      const n = Number(d[i]!)
      if (!Number.isSafeInteger(n)) return `output "${name}" element ${i} (${d[i]}) is beyond ±2^53, which JSON numbers cannot carry exactly; ask for binary data (parameters.binary_data_output: true)`
      out.push(n)
    }
    return out
  }
  if (t.type === 'bool') return Array.from(d as Uint8Array, (v) => v !== 0)
  return Array.from(d as Float64Array)
}

/** A tensor's bytes as the binary extension carries them (little-endian; BYTES as 4-byte length + UTF-8). */
export function binaryData(t: HostTensor): Buffer {
  const d = t.data
  if (Array.isArray(d)) {
    const parts: Buffer[] = []
    for (const s of d) {
      const b = Buffer.from(s, 'utf8')
      const len = Buffer.alloc(4)
      len.writeUInt32LE(b.length)
      parts.push(len, b)
    }
    return Buffer.concat(parts)
  }
  // Typed arrays hold host byte order; every platform Node runs this on (x64, arm64) is little-endian.
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength)
}

/** Splits a binary-extension body: the JSON header (its first `headerLength` bytes) and the tensor bytes after it. */
export function splitBinaryBody(bytes: Buffer, headerLengthRaw: string): { json: string; rest: Buffer } | string {
  if (!/^\d{1,12}$/.test(headerLengthRaw.trim())) return `Inference-Header-Content-Length: must be a byte count, got ${show(headerLengthRaw.slice(0, 32))}`
  const n = Number(headerLengthRaw.trim())
  if (n > bytes.length) return `Inference-Header-Content-Length: ${n} is more than the body's ${bytes.length} bytes`
  return { json: bytes.subarray(0, n).toString('utf8'), rest: bytes.subarray(n) }
}

/** Cuts each binary input's bytes off `rest`, in input order, per `parameters.binary_data_size`. */
export function binaryInputs(body: InferRequestBody, rest: Buffer): Array<Buffer | undefined> | string {
  const out: Array<Buffer | undefined> = []
  let at = 0
  for (let i = 0; i < body.inputs.length; i++) {
    const input = body.inputs[i]!
    const size = input.parameters?.binary_data_size
    if (size === undefined || size === null) {
      out.push(undefined)
      continue
    }
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return `inputs[${i}] ("${input.name}").parameters.binary_data_size: must be a non-negative integer, got ${show(size)}`
    if (input.data !== undefined) return `inputs[${i}] ("${input.name}"): has both data and parameters.binary_data_size; send one`
    if (at + size > rest.length) return `inputs[${i}] ("${input.name}").parameters.binary_data_size: ${size} bytes, but only ${rest.length - at} remain in the body`
    out.push(rest.subarray(at, at + size))
    at += size
  }
  if (at !== rest.length) return `body: ${rest.length - at} bytes after the inputs' binary data belong to no input`
  return out
}
