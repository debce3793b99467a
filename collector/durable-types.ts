import type { IngestTable } from '../store/index.ts'
import type { SpoolPart } from './spool.ts'

/** The storage port ingest needs (implemented by `store/`): an idempotent insert of encoded rows. */
export interface IngestSink {
  /** `prepared`: what `prepare` made of this very payload, sent instead of encoding it again. */
  insert(table: IngestTable, payload: string, token: string, prepared?: Uint8Array): Promise<void>
  /**
   * Optional: the payload as the insert will send it, made ahead of time. The drainer calls it while the previous
   * insert runs, so the work overlaps that insert instead of following it. Undefined when there is nothing to do.
   */
  prepare?(table: IngestTable, payload: string): Promise<Uint8Array | undefined>
}

/** Encoded rows of one request, by table. */
export interface RowBatch {
  readonly predictions: readonly string[]
  readonly labels: readonly string[]
  readonly quarantine: readonly string[]
}

/** Too much is waiting (memory or spool): push back with 429 and Retry-After. */
export class OverloadedError extends Error {
  override readonly name = 'OverloadedError'
  readonly retryAfterSeconds: number
  constructor(message: string, retryAfterSeconds: number) {
    super(message)
    this.retryAfterSeconds = retryAfterSeconds
  }
}

/** What the writer reports to metrics and logs. */
export interface DurableWriterEvents {
  /** `log`: appended to the spool as the log (acknowledge: logged); `spool`: spooled because ClickHouse failed. */
  flushed?(rows: number, seconds: number, to: 'clickhouse' | 'spool' | 'log'): void
  /** `operation`: `insert` (stored mode's direct insert), `drain` (an insert from the spool), `spool` (a write to the spool's directory). */
  storageError?(operation: string, error: unknown): void
  drained?(entry: string): void
  buried?(entry: string, error: unknown): void
  /** Rows ClickHouse refused outright (not an outage), isolated from their batch and kept in `dead/`. */
  refused?(table: IngestTable, rows: number, error: unknown): void
}

/** Whether the writer can make records durable now, for `/readyz`. */
export interface WriterReadiness {
  /** False whenever a new record might not be made durable at once: ClickHouse or the spool failing, or no room. */
  readonly ready: boolean
  /** `degraded`: ClickHouse inserts are failing (the spool holds the rows until they succeed). */
  readonly storage: 'ok' | 'degraded'
  /** `full`: at its byte bound (429); `failing`: its directory refuses writes (disk full, read-only: 503). */
  readonly spool: 'writable' | 'full' | 'failing'
  /** Why not ready, in words, for an operator; empty when ready. */
  readonly reasons: readonly string[]
}

/** The rows of one group commit, one part per table, under the group's tokens. */
export interface GroupWrite {
  readonly rows: number
  readonly parts: readonly SpoolPart[]
  /** performance.now() when the group started. */
  readonly started: number
}

/** How a group's rows are made durable before `submit` resolves: one per `acknowledge` mode. */
export interface Acknowledger {
  /** True when every submission goes through the spool (its bound is checked before a group is accepted). */
  readonly spoolsEverything: boolean
  /** Resolves once the group's rows are durable; rejects (OverloadedError or the I/O error) when they are not. */
  write(group: GroupWrite): Promise<void>
}
