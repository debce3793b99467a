import { randomUUID } from 'node:crypto'
import type { IngestTable } from '../store/index.ts'
import { SpoolFullError, UnreadableSpoolEntryError, type Spool, type SpoolClaim, type SpoolEntry, type SpoolPart } from './spool.ts'

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
  storageError?(operation: string, error: unknown): void
  drained?(entry: string): void
  buried?(entry: string, error: unknown): void
  /** Rows ClickHouse refused outright (not an outage), isolated from their batch and kept in `dead/`. */
  refused?(table: IngestTable, rows: number, error: unknown): void
}

/** Options of the durable writer. */
export interface DurableWriterOptions {
  readonly sink: IngestSink
  readonly spool: Spool
  /** Rows at which a group is cut and a new one started. */
  readonly maxBatchRows: number
  /** Bytes of encoded rows that may wait in memory before submissions are refused. */
  readonly maxPendingBytes: number
  readonly events?: DurableWriterEvents
  /** First and largest wait between drain attempts, in ms. */
  readonly drainBackoffMs?: { readonly min: number; readonly max: number }
  /** Whether an error is worth retrying later (an outage); others are refusals of the rows themselves. */
  readonly isTransient: (err: unknown) => boolean
  /** Groups written at the same time (default 1): with 2, a request that arrives during an insert starts its own at once. */
  readonly maxInFlight?: number
  /**
   * When `submit` resolves (default `stored`). `stored`: once ClickHouse has stored the rows (or, while it fails,
   * once they are fsynced to the spool). `logged`: once they are fsynced to the spool, which is then the log
   * that a single drainer inserts from, many requests per insert.
   */
  readonly acknowledge?: 'stored' | 'logged'
  /** `logged` only: spool bytes not yet inserted past which `submit` waits for the drainer (backpressure). */
  readonly maxLagBytes?: number
}

const TABLES: readonly IngestTable[] = ['predictions', 'labels', 'quarantine']

interface Group {
  readonly lines: Record<IngestTable, string[]>
  rows: number
  bytes: number
  readonly waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }>
  readonly done: Promise<void>
  resolveDone: () => void
}

function newGroup(): Group {
  let resolveDone!: () => void
  const done = new Promise<void>((r) => (resolveDone = r))
  return { lines: { predictions: [], labels: [], quarantine: [] }, rows: 0, bytes: 0, waiters: [], done, resolveDone }
}

/**
 * Group commit with a write-ahead spool. Requests submitted while a write is in flight are merged into the next
 * one, so throughput grows with load without a fixed delay. `submit` resolves only once the rows are durable.
 * `stored` (acknowledge): the write is the ClickHouse insert, or, when ClickHouse fails, an fsynced spool entry
 * that a background drainer replays with the same tokens. `logged`: the write is always a spool entry, and the
 * drainer inserts every entry logged meanwhile as one batch under a claim (see Spool), so a replay after a crash
 * inserts the same rows under the same token. Either way a replay never stores a row twice.
 */
export class DurableWriter {
  readonly #o: DurableWriterOptions
  readonly #bootId = randomUUID()
  /** Groups not started yet, oldest first; submissions join the last one. */
  readonly #waiting: Group[] = []
  /** Every group not settled yet (waiting or in flight), oldest first. */
  readonly #unsettled: Group[] = []
  readonly #maxInFlight: number
  #inFlight = 0
  /** The last label insert: label inserts run one at a time (see #insertPart). */
  #labelInserts: Promise<void> = Promise.resolve()
  #seq = 0
  #pendingBytes = 0
  #degraded = false
  /** Spool bytes when a submission was last refused for want of spool room; readiness stays off until it shrinks. */
  #spoolRefusedAtBytes: number | undefined
  #draining: Promise<void> | undefined
  #closed = false
  #wake: (() => void) | undefined
  /** Batches read (and claimed) for the drainer, oldest first: the one being inserted and the next. */
  readonly #ready: DrainBatch[] = []
  /** Woken after every drain step: submissions held back by the lag bound, and `stored()` callers. */
  #drainWatchers: Array<() => void> = []

  constructor(options: DurableWriterOptions) {
    const maxInFlight = options.maxInFlight ?? 1
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new Error(`maxInFlight must be a positive integer, got ${maxInFlight}`)
    this.#o = options
    this.#maxInFlight = maxInFlight
  }

  /** True while ClickHouse is failing and new batches go to the spool. */
  get degraded(): boolean {
    return this.#degraded
  }

  /** Encoded bytes waiting in memory. */
  get pendingBytes(): number {
    return this.#pendingBytes
  }

  /** The spool this writer falls back to. */
  get spool(): Spool {
    return this.#o.spool
  }

  /** True when new submissions would be refused for lack of room. */
  get full(): boolean {
    if (this.#pendingBytes >= this.#o.maxPendingBytes) return true
    if (!this.#degraded && !this.#logged) return false
    // wouldOverflow(1) alone almost never holds: every entry carries a header, so the spool stops short of its
    // bound while already refusing requests. Once one is refused, stay not-ready until the drainer frees room.
    const refusedAt = this.#spoolRefusedAtBytes
    return this.#o.spool.wouldOverflow(1) || (refusedAt !== undefined && this.#o.spool.bytes >= refusedAt)
  }

  /** Starts replaying whatever the spool holds (left by a crash or an outage). */
  start(): void {
    this.#kickDrain()
  }

  /** Resolves once the rows are durable; rejects with OverloadedError when there is no room. */
  submit(batch: RowBatch): Promise<void> {
    if (this.#closed) return Promise.reject(new OverloadedError('collector is shutting down', 5))
    const rows = batch.predictions.length + batch.labels.length + batch.quarantine.length
    if (rows === 0) return Promise.resolve()
    let bytes = 0
    for (const t of TABLES) for (const line of batch[t]) bytes += line.length + 1
    if (this.#pendingBytes + bytes > this.#o.maxPendingBytes) {
      return Promise.reject(new OverloadedError(`ingest queue full: ${this.#pendingBytes} bytes waiting`, 1))
    }
    if ((this.#degraded || this.#logged) && this.#o.spool.wouldOverflow(bytes)) {
      this.#spoolRefusedAtBytes = this.#o.spool.bytes
      return Promise.reject(new OverloadedError(this.#spoolFullMessage(), 30))
    }
    let group = this.#waiting[this.#waiting.length - 1]
    if (group === undefined || group.rows >= this.#o.maxBatchRows) {
      group = newGroup()
      this.#waiting.push(group)
      this.#unsettled.push(group)
    }
    for (const t of TABLES) for (const line of batch[t]) group.lines[t].push(line)
    group.rows += rows
    group.bytes += bytes
    this.#pendingBytes += bytes
    const done = new Promise<void>((resolve, reject) => group.waiters.push({ resolve, reject }))
    this.#startGroups()
    return done
  }

  /** Resolves when everything submitted before the call has been settled. */
  barrier(): Promise<void> {
    if (this.#unsettled.length === 0) return Promise.resolve()
    // With more than one insert in flight, a later group can settle before an earlier one.
    return Promise.all(this.#unsettled.map((g) => g.done)).then(() => undefined)
  }

  /**
   * Resolves true once every row submitted before the call is in ClickHouse; false at once while ClickHouse fails
   * (the rows wait in the spool). What a retried request needs before it asks ClickHouse what an earlier attempt stored.
   */
  async stored(): Promise<boolean> {
    await this.barrier()
    // Entry names are sequence numbers of one width: every entry up to the newest one now must be gone.
    const last = this.#o.spool.names().at(-1)
    const waiting = (): boolean => {
      const oldest = this.#o.spool.names()[0]
      return last !== undefined && oldest !== undefined && oldest <= last
    }
    while (waiting()) {
      if (this.#degraded || this.#closed) return false
      this.#kickDrain()
      await new Promise<void>((resolve) => this.#drainWatchers.push(resolve))
    }
    return true
  }

  #spoolFullMessage(): string {
    return this.#degraded ? 'ClickHouse is unavailable and the spool is full' : 'the spool is full: ClickHouse inserts lag behind'
  }

  get #logged(): boolean {
    return this.#o.acknowledge === 'logged'
  }

  /** Wakes whoever waits on the drainer's progress. */
  #drainStep(): void {
    const watchers = this.#drainWatchers
    this.#drainWatchers = []
    for (const w of watchers) w()
  }

  /**
   * Settles what is queued and gives the drainer up to `drainMs` (default 10 s) to insert what the spool holds, so
   * a graceful stop leaves ClickHouse up to date; then stops it. What is left stays on disk for the next start.
   */
  async close(options: { drainMs?: number } = {}): Promise<void> {
    await this.barrier()
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), options.drainMs ?? 10_000)
      timer.unref()
    })
    await Promise.race([this.stored(), deadline])
    clearTimeout(timer)
    this.#closed = true
    this.#wake?.()
    await this.#draining
    this.#drainStep()
  }

  /** Starts waiting groups, oldest first, while fewer than maxInFlight are being written. */
  #startGroups(): void {
    while (this.#inFlight < this.#maxInFlight && this.#waiting.length > 0) {
      const group = this.#waiting.shift()!
      this.#inFlight++
      void this.#settle(group)
    }
  }

  async #settle(group: Group): Promise<void> {
    try {
      await this.#write(group)
      for (const w of group.waiters) w.resolve()
    } catch (err) {
      for (const w of group.waiters) w.reject(err)
    } finally {
      this.#inFlight--
      this.#unsettled.splice(this.#unsettled.indexOf(group), 1)
      this.#pendingBytes -= group.bytes
      group.resolveDone()
      this.#startGroups()
    }
  }

  async #write(group: Group): Promise<void> {
    const seq = this.#seq++
    const parts: SpoolPart[] = TABLES.filter((t) => group.lines[t].length > 0).map((t) => ({
      table: t,
      token: `${this.#bootId}:${seq}:${t}`,
      payload: group.lines[t].join('\n'),
    }))
    const started = performance.now()
    if (this.#logged) return this.#log(group, parts, started)
    let inflight: string | undefined
    if (!this.#degraded) {
      // A copy outlives a crash mid-insert, so the next start replays it and repairs the views (see Spool).
      inflight = await this.#o.spool.writeInflight(parts)
      try {
        for (const part of parts) await this.#insertPart(part)
        await this.#o.spool.settleInflight(inflight)
        this.#o.events?.flushed?.(group.rows, (performance.now() - started) / 1000, 'clickhouse')
        return
      } catch (err) {
        this.#o.events?.storageError?.('insert', err)
        this.#degraded = true
      }
    }
    try {
      // Same tokens as the failed attempt: if part of it did land, the replay stores nothing twice.
      await this.#o.spool.append(parts)
    } catch (err) {
      if (err instanceof SpoolFullError) {
        this.#spoolRefusedAtBytes = this.#o.spool.bytes
        throw new OverloadedError('ClickHouse is unavailable and the spool is full', 30)
      }
      throw err
    } finally {
      if (inflight !== undefined) await this.#o.spool.settleInflight(inflight)
    }
    this.#o.events?.flushed?.(group.rows, (performance.now() - started) / 1000, 'spool')
    this.#kickDrain()
  }

  /** `logged`: the rows are durable once in the spool; the drainer inserts them. Waits while the drainer lags too far. */
  async #log(group: Group, parts: SpoolPart[], started: number): Promise<void> {
    try {
      await this.#o.spool.append(parts, { combinable: true })
    } catch (err) {
      if (err instanceof SpoolFullError) {
        this.#spoolRefusedAtBytes = this.#o.spool.bytes
        throw new OverloadedError(this.#spoolFullMessage(), 30)
      }
      throw err
    }
    this.#o.events?.flushed?.(group.rows, (performance.now() - started) / 1000, 'log')
    this.#kickDrain()
    // Backpressure: acknowledge no faster than ClickHouse stores, beyond a bounded lag. While ClickHouse fails the
    // spool itself is the bound (429 when full).
    const maxLag = this.#o.maxLagBytes ?? Infinity
    while (this.#o.spool.bytes > maxLag && !this.#degraded && !this.#closed) {
      await new Promise<void>((resolve) => this.#drainWatchers.push(resolve))
    }
  }

  /**
   * Inserts a part. Label inserts run one at a time whatever maxInFlight says: the label views (migration 4) look
   * up earlier labels of the same id, so two label inserts at once could each miss the other's.
   */
  #insertPart(part: SpoolPart, prepared?: Uint8Array): Promise<void> {
    if (part.table !== 'labels') return this.#insertIsolating(part, prepared)
    const run = this.#labelInserts.then(() => this.#insertIsolating(part, prepared))
    this.#labelInserts = run.catch(() => undefined)
    return run
  }

  /**
   * Inserts a part; when ClickHouse refuses it outright (a row it cannot take, not an outage), bisects it to
   * store every row it does take and keeps only the refused rows in `dead/`, so one bad row never costs its
   * batch. Halves get derived tokens, so a replay of the same part after a crash bisects identically and
   * stores nothing twice. Transient errors propagate: the caller spools and retries.
   */
  async #insertIsolating(part: SpoolPart, prepared?: Uint8Array): Promise<void> {
    try {
      await this.#o.sink.insert(part.table, part.payload, part.token, prepared)
      return
    } catch (err) {
      if (this.#o.isTransient(err)) throw err
      // Encoded rows are single JSON lines: JSON escapes newlines inside strings.
      const lines = part.payload.split('\n')
      if (lines.length === 1) {
        await this.#o.spool.buryRows([part])
        this.#o.events?.refused?.(part.table, 1, err)
        return
      }
      const mid = lines.length >> 1
      await this.#insertIsolating({ table: part.table, token: `${part.token}/l`, payload: lines.slice(0, mid).join('\n') })
      await this.#insertIsolating({ table: part.table, token: `${part.token}/r`, payload: lines.slice(mid).join('\n') })
    }
  }

  #kickDrain(): void {
    if (this.#draining || this.#closed) return
    this.#draining = this.#drainLoop().finally(() => {
      this.#draining = undefined
      // An entry may have been spooled after the loop saw an empty spool.
      if (this.#o.spool.entries > 0 && !this.#closed) this.#kickDrain()
    })
  }

  async #drainLoop(): Promise<void> {
    const { min, max } = this.#o.drainBackoffMs ?? { min: 100, max: 30_000 }
    let wait = min
    while (!this.#closed) {
      let step: 'empty' | 'stored' | 'failed'
      try {
        step = await this.#drainOnce()
      } catch (err) {
        if (!(err instanceof UnreadableSpoolEntryError)) throw err
        // Left in place it would stop the drainer (and crash the process) on every start: set it aside for an operator.
        await this.#o.spool.bury(err.entry)
        this.#o.events?.buried?.(err.entry, err)
        step = 'stored'
      }
      if (step !== 'failed') {
        this.#degraded = false
        if (step === 'empty') this.#spoolRefusedAtBytes = undefined
        wait = min
      }
      this.#drainStep()
      if (step === 'empty') return
      if (step === 'stored') continue
      // close() may have come while the insert was in flight, when there was no sleep yet for it to wake.
      if (this.#closed) return
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait)
        timer.unref()
        this.#wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.#wake = undefined
      wait = Math.min(max, wait * 2)
    }
  }

  /**
   * Inserts the oldest prepared batch; meanwhile prepares the one after it (reads its entries, writes its claim), so
   * that work overlaps the insert instead of following it on a busy event loop.
   */
  async #drainOnce(): Promise<'empty' | 'stored' | 'failed'> {
    if (this.#ready.length === 0) {
      const batch = await this.#prepare()
      if (batch === undefined) return 'empty'
      this.#ready.push(batch)
    }
    const head = this.#ready[0]!
    let prefetchError: unknown
    const prefetch =
      this.#ready.length < 2
        ? this.#prepare().then(
            (next) => void (next && this.#ready.push(next)),
            (err: unknown) => void (prefetchError = err),
          )
        : undefined
    const started = performance.now()
    let failed = false
    try {
      for (const [i, part] of head.parts.entries()) await this.#insertPart(part, head.prepared[i])
    } catch (err) {
      this.#o.events?.storageError?.('drain', err)
      if (this.#o.isTransient(err)) this.#degraded = true
      failed = true
    }
    await prefetch
    if (!failed) {
      this.#ready.shift()
      if (head.claim !== undefined) await this.#o.spool.settleClaim(head.claim)
      else await this.#o.spool.remove(head.entries[0]!.name)
      this.#o.events?.flushed?.(head.rows, (performance.now() - started) / 1000, 'clickhouse')
      // An entry of the log is routine; one that waited out an outage or a crash is worth a line.
      for (const e of head.entries) if (!e.combinable) this.#o.events?.drained?.(e.name)
    }
    if (prefetchError !== undefined) throw prefetchError
    return failed ? 'failed' : 'stored'
  }

  /**
   * The next batch after those prepared: a claim a crash left (in order); else the oldest free entry, if combinable
   * together with the combinable entries after it up to maxBatchRows, under a new claim; else alone under its own
   * tokens. Undefined when nothing is left. Throws UnreadableSpoolEntryError for an entry that cannot be read.
   */
  async #prepare(): Promise<DrainBatch | undefined> {
    const spool = this.#o.spool
    const left = spool.claims.find((c) => !this.#ready.some((b) => b.claim === c))
    if (left !== undefined) {
      const entries = await this.#readClaimed(left)
      return this.#batch(entries, combine(entries, left.token), left)
    }
    // Every pending claim is a prepared batch by now, so the prepared batches hold every taken entry.
    const taken = new Set(this.#ready.flatMap((b) => b.entries.map((e) => e.name)))
    const free = spool.names().filter((n) => !taken.has(n))
    if (free.length === 0) return undefined
    const first = await spool.read(free[0]!)
    if (!first.combinable) return this.#batch([first], [...first.parts])
    const entries = [first]
    let rows = countRows(first)
    for (const name of free.slice(1)) {
      if (rows >= this.#o.maxBatchRows) break
      let next: SpoolEntry
      try {
        next = await spool.read(name)
      } catch {
        break // buried when it comes first
      }
      if (!next.combinable) break
      entries.push(next)
      rows += countRows(next)
    }
    // Even a lone entry of the log goes under a claim: inserted under its own tokens, a crash could leave it
    // to be combined with others at the next start, under another token, and stored twice.
    const claim: SpoolClaim = { token: randomUUID(), names: entries.map((e) => e.name) }
    await spool.writeClaim(claim)
    return this.#batch(entries, combine(entries, claim.token), claim, rows)
  }

  async #batch(entries: readonly SpoolEntry[], parts: readonly SpoolPart[], claim?: SpoolClaim, rows?: number): Promise<DrainBatch> {
    const prepared: Array<Uint8Array | undefined> = []
    for (const p of parts) {
      // A part that cannot be prepared goes as it is: the insert meets the same problem and isolates the rows at fault.
      prepared.push(await this.#o.sink.prepare?.(p.table, p.payload).catch(() => undefined))
    }
    return { entries, parts, prepared, rows: rows ?? entries.reduce((n, e) => n + countRows(e), 0), ...(claim ? { claim } : {}) }
  }

  /** The entries of a claim left by a crash; one that cannot be read any more is set aside, the rest keep the claim's token. */
  async #readClaimed(claim: SpoolClaim): Promise<SpoolEntry[]> {
    const out: SpoolEntry[] = []
    for (const name of claim.names) {
      if (!this.#o.spool.has(name)) continue
      try {
        out.push(await this.#o.spool.read(name))
      } catch (err) {
        if (!(err instanceof UnreadableSpoolEntryError)) throw err
        await this.#o.spool.bury(name)
        this.#o.events?.buried?.(name, err)
      }
    }
    return out
  }
}

/** A batch the drainer inserts: its entries and parts, under a claim unless it is one non-combinable entry. */
interface DrainBatch {
  readonly entries: readonly SpoolEntry[]
  readonly parts: readonly SpoolPart[]
  /** The sink's `prepare` of each part, made when the batch was. */
  readonly prepared: ReadonlyArray<Uint8Array | undefined>
  readonly rows: number
  readonly claim?: SpoolClaim
}

/** Rows of an entry: encoded rows are single JSON lines. */
function countRows(entry: SpoolEntry): number {
  let rows = 0
  for (const part of entry.parts) {
    rows++
    for (let i = part.payload.indexOf('\n'); i !== -1; i = part.payload.indexOf('\n', i + 1)) rows++
  }
  return rows
}

/** One part per table holding every entry's rows, in order, under the claim's token. */
function combine(entries: readonly SpoolEntry[], token: string): SpoolPart[] {
  return TABLES.flatMap((table) => {
    const payloads = entries.flatMap((e) => e.parts.filter((p) => p.table === table).map((p) => p.payload))
    return payloads.length === 0 ? [] : [{ table, token: `${token}:${table}`, payload: payloads.join('\n') }]
  })
}
