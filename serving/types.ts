import type { FeatureRecord, ModelSignature, PredictionValue } from '../contract/index.ts'

export type { FeatureRecord, PredictionValue } from '../contract/index.ts'

/** A registry version the server can load: its ONNX bytes and the signature it was exported with. */
export interface LoadableVersion {
  readonly model: string
  readonly version: number
  readonly onnx: Uint8Array
  readonly signature: ModelSignature
  /** Optional per-prediction explanation (feature → contribution), provided by the trainer/registry for linear models. */
  readonly explain?: (records: FeatureRecord[]) => Array<Record<string, number>>
}

/** How a model's traffic is split between its loaded versions. */
export interface Routing {
  readonly stable: number
  /** Sticky by request id: hash(id) mod 100 < weightPercent goes to the canary. */
  readonly canary?: { readonly version: number; readonly weightPercent: number }
  /** Mirrored off the hot path; the shadow's answer is logged, never returned. */
  readonly shadow?: { readonly version: number; readonly sharePercent: number }
}

/** The outcome of one prediction as the prediction log sees it. */
export type PredictionStatus = 'ok' | 'error' | 'invalid'

/** One prediction returned by the server. */
export interface Prediction {
  readonly id: string
  readonly version: number
  /** Regression: the value; classification: the most probable class name. */
  readonly prediction: PredictionValue
  /** Classification: probability per class name. */
  readonly scores?: Readonly<Record<string, number>>
  /** Per-feature contributions, when asked for and the version has an explainer. */
  readonly contributions?: Readonly<Record<string, number>>
}
