import { Counter, type Registry } from 'prom-client'
import type { AuditedRequest } from '../server/index.ts'
import type { AuditEntry, AuditLog } from './audit-log.ts'


/** What the shell calls: never blocks, never throws. */
export interface RequestAuditWriter {
  record(e: AuditedRequest): void
  /** Writes what is queued (and retries what failed); resolves when the queue is empty or a write failed. */
  flush(): Promise<void>
  /** Entries waiting to be written. */
  readonly queued: number
}

/** Options of the request audit writer. */
export interface RequestAuditWriterOptions {
  readonly audit: Pick<AuditLog, 'recordMany'>
  readonly registry: Registry
  readonly onError: (error: unknown) => void
  /** Most entries held while storage fails; beyond it the oldest are dropped and counted. */
  readonly maxQueued?: number
  /** Largest batch per insert. */
  readonly maxBatch?: number
  /** After a failed write, the next request retries only this much later (default 1 s); `flush` retries at once. */
  readonly retryAfterMs?: number
  readonly now?: () => number
}

const outcomeOf = (status: number): AuditEntry['outcome'] => (status < 400 ? 'done' : status < 500 ? 'refused' : 'failed')

/**
 * The shell's audit hook: entries are queued and written in batches off the request path (a request never waits
 * for its audit row), one insert at a time, so a burst of webhook deliveries becomes a few inserts. A failed
 * insert keeps its batch queued for the next write; entries dropped past `maxQueued` and failed writes are counted
 * (`highway_audit_write_failures_total`, `highway_audit_dropped_total`) and reported, never lost silently.
 */
export function createRequestAuditWriter(options: RequestAuditWriterOptions): RequestAuditWriter {
  const maxQueued = options.maxQueued ?? 100_000
  const maxBatch = options.maxBatch ?? 1000
  const failures = new Counter({ name: 'highway_audit_write_failures_total', help: 'Audit trail inserts that failed (their entries stay queued and are retried).', registers: [options.registry] })
  const dropped = new Counter({ name: 'highway_audit_dropped_total', help: 'Audit entries dropped because the queue was full while storage failed.', registers: [options.registry] })
  let queue: AuditEntry[] = []
  let writing: Promise<void> | undefined
  let failedAtMs: number | null = null
  const now = options.now ?? Date.now
  const retryAfterMs = options.retryAfterMs ?? 1000

  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch)
      try {
        await options.audit.recordMany(batch)
        queue = queue.slice(batch.length)
        failedAtMs = null
      } catch (err) {
        failures.inc()
        failedAtMs = now()
        options.onError(err)
        // Stop here; the batch stays queued and is retried by the next record or flush.
        return
      }
    }
  }
  const kick = (): Promise<void> => {
    writing ??= drain().finally(() => {
      writing = undefined
    })
    return writing
  }
  return {
    record(e) {
      queue.push({
        actor: e.actor,
        component: 'http',
        action: e.action,
        target: e.target,
        ...(e.model !== undefined ? { model: e.model } : {}),
        outcome: outcomeOf(e.status),
        requestId: e.requestId,
        status: e.status,
        atMs: e.atMs,
      })
      if (queue.length > maxQueued) {
        const over = queue.length - maxQueued
        queue = queue.slice(over)
        dropped.inc(over)
      }
      // A write in progress picks the entry up; after a failure, retry at most every retryAfterMs rather than per request.
      if (writing === undefined && (failedAtMs === null || now() - failedAtMs >= retryAfterMs)) void kick()
    },
    async flush() {
      if (writing) await writing
      if (queue.length > 0) await kick()
    },
    get queued() {
      return queue.length
    },
  }
}
