import * as ort from 'onnxruntime-node'
import type { ElementType, HostTensor, TensorMeta } from './tensor.ts'

/** A loaded ONNX graph: its signature as the runtime sees it, and inference. */
export interface EngineSession {
  readonly inputs: readonly TensorMeta[]
  readonly outputs: readonly TensorMeta[]
  run(feeds: Readonly<Record<string, HostTensor>>, outputNames?: readonly string[]): Promise<Record<string, HostTensor>>
  /** Frees the native session; the caller guarantees no run is in flight. */
  release(): Promise<void>
}

/** Creates sessions from ONNX bytes. */
export interface InferenceEngine {
  open(onnx: Uint8Array): Promise<EngineSession>
}

const ELEMENT_TYPES: ReadonlySet<string> = new Set<ElementType>(['float64', 'float32', 'int64', 'int32', 'bool', 'string'])

function metaOf(m: ort.InferenceSession.ValueMetadata): TensorMeta {
  if (!m.isTensor) throw new Error(`graph value "${m.name}" is not a tensor; Highway graphs take and return tensors only`)
  if (!ELEMENT_TYPES.has(m.type)) throw new Error(`graph value "${m.name}" has element type ${m.type}; supported: ${[...ELEMENT_TYPES].join(', ')}`)
  return { name: m.name, type: m.type as ElementType, shape: m.shape.map((d) => (typeof d === 'number' ? d : null)) }
}

function toOrt(t: HostTensor): ort.Tensor {
  return new ort.Tensor(t.type, t.data as never, t.dims)
}

function fromOrt(t: ort.Tensor): HostTensor {
  return { type: t.type as ElementType, dims: [...t.dims], data: t.data as HostTensor['data'] }
}

/**
 * onnxruntime-node in the calling thread. `session.run` is synchronous native work behind a setImmediate, so it
 * blocks the event loop for the model's run time; the serving benchmark measured this against a worker pool at
 * the target load (bench/RESULTS.md, "serving") and in-thread won for Highway's small tabular graphs.
 */
export function createInThreadEngine(options: { intraOpThreads?: number } = {}): InferenceEngine {
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    // One thread per run: single-row requests gain nothing from intra-op parallelism and would fight the HTTP thread.
    intraOpNumThreads: options.intraOpThreads ?? 1,
    interOpNumThreads: 1,
    // Errors reach callers as rejected promises and are logged by the server; ORT's own stderr lines would duplicate them.
    logSeverityLevel: 4,
  }
  return {
    async open(onnx) {
      const session = await ort.InferenceSession.create(onnx, sessionOptions)
      const inputs = session.inputMetadata.map(metaOf)
      const outputs = session.outputMetadata.map(metaOf)
      return {
        inputs,
        outputs,
        async run(feeds, outputNames) {
          const ortFeeds: Record<string, ort.Tensor> = {}
          for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = toOrt(t)
          const result = outputNames ? await session.run(ortFeeds, [...outputNames]) : await session.run(ortFeeds)
          const out: Record<string, HostTensor> = {}
          for (const [name, t] of Object.entries(result)) out[name] = fromOrt(t)
          return out
        },
        release: () => session.release(),
      }
    },
  }
}
