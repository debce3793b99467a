import type { HighwayClient, PredictionInput } from '../sdk/index.ts'
import type { FeatureRecord, PredictionStatus } from './types.ts'

/** One served prediction as it is logged (field names follow the collector's record contract). */
export interface PredictionLogRecord {
  readonly id: string
  /** Epoch milliseconds when the request arrived. */
  readonly ts: number
  readonly version: string
  readonly features: FeatureRecord
  /** null when the request failed (status "error" or "invalid"). */
  readonly prediction: number | string | Readonly<Record<string, number>> | null
  readonly latency_ms: number
  readonly status: PredictionStatus
}

/** The port serving logs through. `log` never throws and never waits: the response does not depend on it. */
export interface PredictionLog {
  log(model: string, records: readonly PredictionLogRecord[]): void
  /** Hands over everything queued; resolves when it has been submitted or dropped. */
  flush(): Promise<void>
  close(): Promise<void>
}

/** What the in-process log submits to: the co-located collector's ingest path (validation, quarantine, durable writer). */
export type PredictionSubmit = (model: string, records: readonly PredictionLogRecord[]) => Promise<unknown>

/** Options of the in-process queue. */
export interface QueuedPredictionLogOptions {
  readonly submit: PredictionSubmit
  /** Records that may wait; beyond this new ones are dropped (counted), so a slow store cannot grow memory. */
  readonly maxQueuedRecords?: number
  /** Records per submission. */
  readonly maxBatchRecords?: number
  /** How long the first queued record waits for others before a submission (fewer, larger inserts), in ms. */
  readonly lingerMs?: number
  readonly onDrop?: (model: string, records: number, reason: 'queue_full' | 'submit_failed' | 'closed') => void
  readonly onError?: (model: string, error: unknown) => void
}

/**
 * An in-process queue in front of the collector's ingest path. Records are grouped per model and submitted after
 * `lingerMs` (or at once when a batch is full), always after the response has been written, one submission in
 * flight at a time: every insert costs ClickHouse a fixed overhead, so fewer, larger batches cost the serving
 * process less CPU per prediction (bench/RESULTS.md, serving). A full queue or a failed submission drops records and counts
 * them; nothing is thrown to the request path.
 */
export function createQueuedPredictionLog(options: QueuedPredictionLogOptions): PredictionLog & { readonly queued: number; readonly dropped: number } {
  const maxQueued = options.maxQueuedRecords ?? 100_000
  const maxBatch = options.maxBatchRecords ?? 5_000
  const lingerMs = options.lingerMs ?? 1000
  const queues = new Map<string, PredictionLogRecord[]>()
  let queued = 0
  let dropped = 0
  let closed = false
  let scheduled = false
  let draining: Promise<void> | undefined

  const drop = (model: string, n: number, reason: 'queue_full' | 'submit_failed' | 'closed') => {
    dropped += n
    try {
      options.onDrop?.(model, n, reason)
    } catch {
      // the host's hook failed; the request path must not see it
    }
  }

  const drain = async (): Promise<void> => {
    while (queued > 0) {
      for (const [model, records] of queues) {
        if (records.length === 0) continue
        const batch = records.splice(0, maxBatch)
        queued -= batch.length
        try {
          await options.submit(model, batch)
        } catch (err) {
          drop(model, batch.length, 'submit_failed')
          try {
            options.onError?.(model, err)
          } catch {
            // as above
          }
        }
      }
    }
  }

  let timer: NodeJS.Timeout | undefined
  const start = () => {
    if (timer) clearTimeout(timer)
    timer = undefined
    scheduled = false
    if (draining) return
    draining = drain().finally(() => {
      draining = undefined
      if (queued > 0) schedule()
    })
  }
  const schedule = () => {
    if (draining) return
    if (queued >= maxBatch) {
      // A full batch goes now, but still after the current turn (the response is written first).
      if (!scheduled || timer) {
        if (timer) clearTimeout(timer)
        timer = undefined
        scheduled = true
        setImmediate(start)
      }
      return
    }
    if (scheduled) return
    scheduled = true
    timer = setTimeout(start, lingerMs)
    timer.unref()
  }

  return {
    get queued() {
      return queued
    },
    get dropped() {
      return dropped
    },
    log(model, records) {
      if (closed) return drop(model, records.length, 'closed')
      const room = Math.max(0, maxQueued - queued)
      const take = records.length <= room ? records : records.slice(0, room)
      if (take.length < records.length) drop(model, records.length - take.length, 'queue_full')
      if (take.length === 0) return
      let q = queues.get(model)
      if (!q) queues.set(model, (q = []))
      for (const r of take) q.push(r)
      queued += take.length
      schedule()
    },
    async flush() {
      while (queued > 0 || draining || scheduled) {
        if (draining) await draining
        else start()
      }
    },
    async close() {
      await this.flush()
      closed = true
    },
  }
}

/** The prediction log of a server whose collector is remote: the Highway SDK batches, retries and never throws. */
export function createSdkPredictionLog(client: HighwayClient): PredictionLog {
  return {
    log(model, records) {
      // The SDK passes records through to the collector, which validates them.
      for (const r of records) client.logPrediction(model, toSdkInput(r))
    },
    flush: () => client.flush(),
    close: () => client.close(),
  }
}

function toSdkInput(r: PredictionLogRecord): PredictionInput {
  const { prediction, status, ...rest } = r
  if (status === 'ok' && prediction !== null) return { ...rest, prediction, status }
  return { ...rest, status: status === 'ok' ? 'error' : status, prediction }
}
