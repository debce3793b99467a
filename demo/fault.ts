import { createHash } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import type { InferenceEngine } from '../serving/index.ts'

/** An inference engine that can slow down the sessions of chosen graphs, and the switch that chooses them. */
export interface FaultInjector {
  readonly engine: InferenceEngine
  /** Every run of a session opened from these ONNX bytes waits `delayMs` (real time) first: a latency fault. */
  slowDown(onnx: Uint8Array, delayMs: number): void
}

const digest = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/**
 * Wraps the model server's engine (the serving port) to inject a latency fault into one version: what a real bad
 * build does (a slower graph, a debug flag left on), seen by the server as longer runs of that version only.
 */
export function createFaultInjector(inner: InferenceEngine): FaultInjector {
  const slow = new Map<string, number>()
  return {
    engine: {
      async open(onnx) {
        const session = await inner.open(onnx)
        const key = digest(onnx)
        return {
          inputs: session.inputs,
          outputs: session.outputs,
          async run(feeds, outputNames) {
            const ms = slow.get(key)
            if (ms !== undefined) await delay(ms)
            return session.run(feeds, outputNames)
          },
          release: () => session.release(),
        }
      },
    },
    slowDown(onnx, delayMs) {
      slow.set(digest(onnx), delayMs)
    },
  }
}
