import { OnnxDataType, ONNX_IR_VERSION, type AttributeProto, type DimensionProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from './proto.ts'
import { OnnxExportError } from './errors.ts'

/** Opset of the default ONNX domain: 17 is the newest that both onnx 1.12's checker and onnxruntime-node 1.30 accept. */
export const DEFAULT_OPSET = 17

/** Opset of `ai.onnx.ml` (OneHotEncoder): 3 is the newest onnx 1.12 knows; onnxruntime 1.30 supports it. */
export const ML_OPSET = 3

/** The symbolic batch dimension of every input and output. */
export const BATCH = 'N'

/** The ONNX-ML operator domain. */
export const ML_DOMAIN = 'ai.onnx.ml'

/** An attribute value, typed explicitly because a JavaScript number does not say whether it is an INT or a FLOAT. */
export type AttributeValue =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly ints: readonly number[] }
  | { readonly strings: readonly string[] }

/** A tensor dimension: a fixed size, or a symbolic batch name. */
export type Dimension = number | string

const utf8 = new TextEncoder()

function attribute(name: string, value: AttributeValue): AttributeProto {
  if ('int' in value) return { name, type: 2, i: value.int }
  if ('float' in value) return { name, type: 1, f: value.float }
  if ('ints' in value) return { name, type: 7, ints: value.ints }
  return { name, type: 8, strings: value.strings.map((s) => utf8.encode(s)) }
}

function valueInfo(name: string, elemType: number, dims: readonly Dimension[]): ValueInfoProto {
  const dim: DimensionProto[] = dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }))
  return { name, type: { tensor_type: { elem_type: elemType, shape: { dim } } } }
}

/**
 * Collects the pieces of one ONNX graph. Every value name is registered once: a duplicate (say a feature named like
 * an internal value) would silently rewire the graph, so it throws instead. Opset imports follow the domains used.
 */
export class GraphBuilder {
  readonly #nodes: NodeProto[] = []
  readonly #initializers: TensorProto[] = []
  readonly #inputs: ValueInfoProto[] = []
  readonly #outputs: ValueInfoProto[] = []
  readonly #valueInfos: ValueInfoProto[] = []
  readonly #names = new Set<string>()
  readonly #domains = new Set<string>([''])

  /** Declares a graph input. */
  input(name: string, elemType: number, dims: readonly Dimension[]): string {
    this.#claim(name, 'graph input')
    this.#inputs.push(valueInfo(name, elemType, dims))
    return name
  }

  /** Declares an already produced value as a graph output. */
  output(name: string, elemType: number, dims: readonly Dimension[]): void {
    if (!this.#names.has(name)) throw new OnnxExportError('graph', `output ${JSON.stringify(name)} is not produced by any node`)
    this.#outputs.push(valueInfo(name, elemType, dims))
  }

  /** Declares the type of an intermediate value, for operators whose schema has no type inference of its own. */
  valueInfo(name: string, elemType: number, dims: readonly Dimension[]): void {
    if (!this.#names.has(name)) throw new OnnxExportError('graph', `value_info for ${JSON.stringify(name)}, which no node produces`)
    this.#valueInfos.push(valueInfo(name, elemType, dims))
  }

  /** A double constant, exact: ONNX `raw_data` holds IEEE-754 values little-endian whatever the host's order. */
  doubles(name: string, dims: readonly number[], values: ArrayLike<number>): string {
    const raw = new Uint8Array(values.length * 8)
    const view = new DataView(raw.buffer)
    for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i] ?? Number.NaN, true)
    return this.#initializer(name, dims, OnnxDataType.DOUBLE, values.length, raw)
  }

  /** An int64 constant (shapes for Reshape). */
  int64s(name: string, dims: readonly number[], values: readonly number[]): string {
    const raw = new Uint8Array(values.length * 8)
    const view = new DataView(raw.buffer)
    values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true))
    return this.#initializer(name, dims, OnnxDataType.INT64, values.length, raw)
  }

  /** Adds a node; returns its single output's name. */
  node(opType: string, inputs: readonly string[], output: string, attributes: Readonly<Record<string, AttributeValue>> = {}, domain = ''): string {
    for (const input of inputs) {
      if (!this.#names.has(input)) throw new OnnxExportError('graph', `${opType} node reads ${JSON.stringify(input)} before anything produces it`)
    }
    this.#claim(output, `${opType} output`)
    this.#domains.add(domain)
    this.#nodes.push({
      name: `${opType}_${this.#nodes.length}`,
      op_type: opType,
      domain,
      input: [...inputs],
      output: [output],
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    })
    return output
  }

  /** The finished model. */
  build(options: { readonly graphName: string; readonly producerVersion: string; readonly metadata: Readonly<Record<string, string>> }): ModelProto {
    return {
      ir_version: ONNX_IR_VERSION,
      opset_import: [...this.#domains].map((domain) => ({ domain, version: domain === ML_DOMAIN ? ML_OPSET : DEFAULT_OPSET })),
      producer_name: 'highway',
      producer_version: options.producerVersion,
      graph: {
        name: options.graphName,
        node: this.#nodes,
        initializer: this.#initializers,
        input: this.#inputs,
        output: this.#outputs,
        value_info: this.#valueInfos,
      },
      metadata_props: Object.entries(options.metadata).map(([key, value]) => ({ key, value })),
    }
  }

  #initializer(name: string, dims: readonly number[], dataType: number, count: number, raw: Uint8Array): string {
    const expected = dims.reduce((a, b) => a * b, 1)
    if (expected !== count) throw new OnnxExportError('graph', `initializer ${JSON.stringify(name)} has ${count} values for shape [${dims.join(', ')}]`)
    this.#claim(name, 'initializer')
    this.#initializers.push({ name, dims: [...dims], data_type: dataType, raw_data: raw })
    return name
  }

  #claim(name: string, what: string): void {
    if (name === '') throw new OnnxExportError('graph', `${what} has an empty name`)
    if (this.#names.has(name)) throw new OnnxExportError('graph', `${what} ${JSON.stringify(name)} reuses a name already in the graph`)
    this.#names.add(name)
  }
}
