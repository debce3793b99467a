import type { HighwayClientError } from './error.ts'

/** Which collector endpoint a record goes to: predictions to /v1/predictions, labels to /v1/labels. */
export type RecordKind = 'prediction' | 'label'

/** A record timestamp: an ISO-8601 string or epoch milliseconds, as the collector accepts both. */
export type Timestamp = string | number

/** One feature value as the collector stores it; `null` marks a missing value. */
export type FeatureValue = number | string | boolean | null

/** A model output: a score, a class name, a yes/no decision, or class scores. */
export type PredictionValue = number | string | boolean | Readonly<Record<string, number>>

/** A ground-truth label joined to a prediction by id. */
export type LabelValue = number | string | boolean

/**
 * Whether the model answered or failed (`error`, `invalid`, `timeout`, … any short lower-case word); failed
 * predictions still count towards latency and error SLOs.
 */
export type PredictionStatus = 'ok' | (string & {})

/**
 * A prediction exactly as it goes on the wire. Field names follow the collector contract
 * (`latency_ms`, not `latencyMs`) so the SDK passes records through without a mapping layer.
 */
export type PredictionRecord = {
  readonly id: string
  readonly ts: Timestamp
  readonly version?: string
  readonly features: Readonly<Record<string, FeatureValue>>
  readonly latency_ms?: number
} & (
  | { readonly prediction: PredictionValue; readonly status?: 'ok' }
  /** A failed prediction may have no value. */
  | { readonly prediction?: PredictionValue | null; readonly status: Exclude<PredictionStatus, 'ok'> }
)

/** What `logPrediction` takes: a prediction whose `id` and `ts` the SDK fills in when missing. */
export type PredictionInput = DistributiveOmit<PredictionRecord, 'id' | 'ts'> & {
  readonly id?: string
  readonly ts?: Timestamp
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** A label exactly as it goes on the wire; `id` is the id of the prediction it labels. */
export interface LabelRecord {
  readonly id: string
  readonly label: LabelValue
  readonly ts: Timestamp
}

/** What `logLabel` takes: a label whose `ts` the SDK fills in when missing (the id is required). */
export type LabelInput = Omit<LabelRecord, 'ts'> & { readonly ts?: Timestamp }

/** Why records were given up on. */
export type DropReason =
  | 'buffer_full'
  | 'closed'
  | 'invalid_record'
  | 'non_retryable_status'
  | 'retries_exhausted'
  | 'internal_error'

/** Records the SDK gave up on after accepting them: the buffer was full, the client closed, or delivery failed. */
export interface DeliveryDropEvent {
  readonly reason: Exclude<DropReason, 'invalid_record'>
  readonly kind: RecordKind
  readonly model: string
  readonly records: readonly (PredictionRecord | LabelRecord)[]
  /** HTTP status of the last answer; absent when the request never got one (network error, timeout). */
  readonly status?: number
  readonly message?: string
}

/** A log call whose input could not become a wire record (not an object, bad id, not JSON-serialisable). */
export interface InvalidRecordDropEvent {
  readonly reason: 'invalid_record'
  readonly kind: RecordKind
  readonly model: unknown
  readonly records: readonly unknown[]
  readonly message: string
}

/** What `onDrop` receives. */
export type DropEvent = DeliveryDropEvent | InvalidRecordDropEvent

/** Options of `createHighwayClient`; everything but `url` has a default (see `HIGHWAY_CLIENT_DEFAULTS`). */
export interface HighwayClientOptions {
  /** Collector base URL, e.g. `https://highway.internal`; `/v1/predictions` and `/v1/labels` are appended. */
  readonly url: string
  /** Sent as `Authorization: Bearer <apiKey>` when given. */
  readonly apiKey?: string
  /** Gzip request bodies (`Content-Encoding: gzip`). */
  readonly gzip?: boolean
  /** A batch is sent as soon as it holds this many records. */
  readonly maxBatchRecords?: number
  /** A batch is sent at the latest this long after its first record. */
  readonly flushIntervalMs?: number
  /** Requests in flight at once, retries and their back-off waits included. */
  readonly maxConcurrentRequests?: number
  /** Records buffered or in flight at once; beyond this new records are dropped with `buffer_full`. */
  readonly maxBufferedRecords?: number
  /** Retries of one request after its first attempt before it is dropped with `retries_exhausted`. */
  readonly maxRetries?: number
  /** Base of the exponential back-off. */
  readonly retryBaseMs?: number
  /** Cap of the exponential back-off (a `Retry-After` from the collector may ask for longer). */
  readonly retryMaxMs?: number
  /** A request without an answer after this long is aborted and retried like a network error. */
  readonly requestTimeoutMs?: number
  /** Told about every problem (failed attempts, rejected records, invalid input); never thrown to the host. */
  readonly onError?: (error: HighwayClientError) => void
  /** Told about every record the SDK gives up on. */
  readonly onDrop?: (event: DropEvent) => void
  /** Only for runtimes without a global `fetch`. */
  readonly fetch?: typeof fetch
}

/** Counters of a client; all count records except `retries`, which counts retried requests. */
export interface HighwayClientStats {
  /** Records waiting to be sent: in a batch being filled or in a batch queued for a free request slot. */
  readonly buffered: number
  /** Records in requests that have started and not finished, back-off waits included. */
  readonly inFlight: number
  /** Records sent at least once (counted once per batch, not per attempt). */
  readonly sent: number
  /** Records the collector accepted. */
  readonly accepted: number
  /** Records the collector answered 202 for but quarantined as invalid; never retried. */
  readonly rejected: number
  /** Records given up on, for any `DropReason`. */
  readonly dropped: number
  /** Request retries (attempts after the first). */
  readonly retries: number
}

/** The client returned by `createHighwayClient`; no method throws or blocks on the collector. */
export interface HighwayClient {
  /** Queues a prediction and returns its id (generated when missing; `''` when the input is unusable). */
  logPrediction(model: string, record: PredictionInput): string
  /** Queues a label for the prediction with `record.id`. */
  logLabel(model: string, record: LabelInput): void
  /** Sends everything buffered now; resolves when every request started so far has been accepted or dropped. */
  flush(): Promise<void>
  /** Flushes, stops timers, and makes later log calls drop with `closed`. */
  close(): Promise<void>
  /** A snapshot of the counters. */
  stats(): HighwayClientStats
}
