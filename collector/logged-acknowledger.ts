import type { Acknowledger, DurableWriterEvents, GroupWrite, OverloadedError } from './durable-types.ts'
import type { SpoolDrainer } from './spool-drainer.ts'
import { SpoolFullError, type Spool } from './spool.ts'

/**
 * `acknowledge: logged`: a group is durable once it is an fsynced entry of the spool, which is the write-ahead log
 * the drainer inserts from, many groups per insert. Past `maxLagBytes` of log not yet inserted, the acknowledgement
 * waits for the drainer, so clients are never acknowledged much faster than ClickHouse stores.
 */
export class LoggedAcknowledger implements Acknowledger {
  readonly spoolsEverything = true
  readonly #spool: Spool
  readonly #drainer: SpoolDrainer
  readonly #maxLagBytes: number
  readonly #events: DurableWriterEvents | undefined
  readonly #spoolFull: (message: string) => OverloadedError

  constructor(options: { spool: Spool; drainer: SpoolDrainer; maxLagBytes?: number; events?: DurableWriterEvents; spoolFull: (message: string) => OverloadedError }) {
    this.#spool = options.spool
    this.#drainer = options.drainer
    this.#maxLagBytes = options.maxLagBytes ?? Infinity
    this.#events = options.events
    this.#spoolFull = options.spoolFull
  }

  async write(group: GroupWrite): Promise<void> {
    try {
      await this.#spool.append(group.parts, { combinable: true })
    } catch (err) {
      if (err instanceof SpoolFullError) throw this.#spoolFull(this.#drainer.degraded ? 'ClickHouse is unavailable and the spool is full' : 'the spool is full: ClickHouse inserts lag behind')
      this.#events?.storageError?.('spool', err)
      // The drainer probes the directory until it takes writes again, so readiness comes back without traffic.
      this.#drainer.kick()
      throw err
    }
    this.#events?.flushed?.(group.rows, (performance.now() - group.started) / 1000, 'log')
    this.#drainer.kick()
    // Backpressure: acknowledge no faster than ClickHouse stores, beyond a bounded lag. While ClickHouse fails the
    // spool itself is the bound (429 when full).
    while (this.#spool.bytes > this.#maxLagBytes && !this.#drainer.degraded && !this.#drainer.closed) await this.#drainer.nextStep()
  }
}
