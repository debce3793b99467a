import { z } from 'zod'
import { modelSignatureSchema, type ModelSignature } from '../../contract/index.ts'
import { OnnxFormatError } from './errors.ts'
import { SIGNATURE_METADATA_KEY } from './export.ts'
import { decodeModel, OnnxDataType } from './proto.ts'

/** A graph input or output: name, element type and shape (a number, a symbolic name, or null when unknown). */
export interface OnnxTensorInfo {
  readonly name: string
  readonly type: string
  readonly shape: ReadonlyArray<number | string | null>
}

/** What an ONNX model takes and returns, read back from its bytes. */
export interface OnnxDescription {
  readonly irVersion: number
  readonly producer: string
  readonly opsets: ReadonlyArray<{ readonly domain: string; readonly version: number }>
  readonly inputs: readonly OnnxTensorInfo[]
  readonly outputs: readonly OnnxTensorInfo[]
  readonly metadata: Readonly<Record<string, string>>
  /** The Highway signature from metadata, when the model carries one. */
  readonly signature: ModelSignature | undefined
}

const TYPE_NAMES: Record<number, string> = { [OnnxDataType.FLOAT]: 'float', [OnnxDataType.INT64]: 'int64', [OnnxDataType.STRING]: 'string', [OnnxDataType.BOOL]: 'bool', [OnnxDataType.DOUBLE]: 'double' }

// Only the fields described; decodeModel fills defaults, so absent messages arrive as empty values or null.
const dimensionSchema = z.object({ dim_value: z.number().optional(), dim_param: z.string().optional() })
const valueInfoSchema = z.object({
  name: z.string(),
  type: z
    .object({ tensor_type: z.object({ elem_type: z.number(), shape: z.object({ dim: z.array(dimensionSchema) }).nullish() }).nullish() })
    .nullish(),
})
const decodedModelSchema = z.object({
  ir_version: z.number(),
  producer_name: z.string(),
  producer_version: z.string(),
  opset_import: z.array(z.object({ domain: z.string(), version: z.number() })),
  graph: z.object({ input: z.array(valueInfoSchema), output: z.array(valueInfoSchema), initializer: z.array(z.object({ name: z.string() })) }).nullable(),
  metadata_props: z.array(z.object({ key: z.string(), value: z.string() })),
})

function tensorInfo(value: z.infer<typeof valueInfoSchema>): OnnxTensorInfo {
  const tensor = value.type?.tensor_type
  if (tensor === undefined || tensor === null) return { name: value.name, type: 'non-tensor', shape: [] }
  const shape = (tensor.shape?.dim ?? []).map((d) => d.dim_param ?? (d.dim_value === undefined || d.dim_value === 0 ? null : d.dim_value))
  return { name: value.name, type: TYPE_NAMES[tensor.elem_type] ?? `type ${tensor.elem_type}`, shape }
}

/** Decodes an ONNX model's interface: inputs (initializers excluded), outputs, opsets and metadata. */
export function describeOnnx(bytes: Uint8Array): OnnxDescription {
  let decoded: unknown
  try {
    decoded = decodeModel(bytes)
  } catch (err) {
    throw new OnnxFormatError(`not an ONNX model: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
  const parsed = decodedModelSchema.safeParse(decoded)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new OnnxFormatError(`not an ONNX model: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
  }
  const { graph, ...model } = parsed.data
  // Any bytes decode to something protobuf-wise; a model without a graph or outputs is how garbage shows.
  if (graph === null) throw new OnnxFormatError('not an ONNX model: it has no graph')
  if (graph.output.length === 0) throw new OnnxFormatError('not an ONNX model: the graph has no outputs')
  const metadata = Object.fromEntries(model.metadata_props.map((p) => [p.key, p.value]))
  const initializers = new Set(graph.initializer.map((t) => t.name))
  return {
    irVersion: model.ir_version,
    producer: `${model.producer_name} ${model.producer_version}`.trim(),
    opsets: model.opset_import.map((o) => ({ domain: o.domain === '' ? 'ai.onnx' : o.domain, version: o.version })),
    // Before IR 4, initializers were also listed as inputs; they are not something a caller feeds.
    inputs: graph.input.filter((v) => !initializers.has(v.name)).map(tensorInfo),
    outputs: graph.output.map(tensorInfo),
    metadata,
    signature: readSignature(metadata[SIGNATURE_METADATA_KEY]),
  }
}

function readSignature(text: string | undefined): ModelSignature | undefined {
  if (text === undefined) return undefined
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new OnnxFormatError(`metadata ${SIGNATURE_METADATA_KEY} is not JSON: ${err instanceof Error ? err.message : String(err)}`)
  }
  const parsed = modelSignatureSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new OnnxFormatError(`metadata ${SIGNATURE_METADATA_KEY}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`)
  }
  return parsed.data
}
