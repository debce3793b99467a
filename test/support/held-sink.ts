import type { IngestSink } from '../../collector/index.ts'
import type { IngestTable } from '../../store/index.ts'
import { deferred, type Deferred } from './wait-for.ts'

/** ClickHouse down, a network error: worth retrying (tests pass `isTransient: (e) => e instanceof Outage`). */
export class Outage extends Error {}

/** One insert the sink received; the test releases it, and may make it fail (after storing, when `storeFirst`). */
export interface HeldCall {
  readonly table: IngestTable
  readonly payload: string
  readonly token: string
  readonly release: Deferred<void>
  /** What the writer passed from the sink's `prepare`, if anything. */
  readonly prepared?: Uint8Array
  failWith?: Error
  storeFirst?: boolean
}

/**
 * An in-memory IngestSink for the durable writer's unit tests (the real store has its own tests): every call
 * waits until the test releases it (or returns at once after `passThrough`), and it dedups by token like
 * insert_deduplication_token.
 */
export class HeldSink implements IngestSink {
  readonly calls: HeldCall[] = []
  readonly stored = new Map<string, string>()
  /** Calls that have returned or thrown. */
  finished = 0
  maxRunning: Record<IngestTable, number> = { predictions: 0, labels: 0, quarantine: 0 }
  readonly #runningBy: Record<IngestTable, number> = { predictions: 0, labels: 0, quarantine: 0 }
  /** Calls after this one return at once. */
  passThrough = false
  /** Fails every call (an outage) without holding it. */
  down = false

  /** Set by a test to have the writer prepare payloads ahead of their insert. */
  prepare?: (table: IngestTable, payload: string) => Promise<Uint8Array | undefined>

  async insert(table: IngestTable, payload: string, token: string, prepared?: Uint8Array): Promise<void> {
    const call: HeldCall = { table, payload, token, release: deferred(), ...(prepared ? { prepared } : {}) }
    this.calls.push(call)
    this.#runningBy[table]++
    this.maxRunning[table] = Math.max(this.maxRunning[table], this.#runningBy[table])
    try {
      if (this.down) throw new Outage('down')
      if (!this.passThrough) await call.release.promise
      if (call.storeFirst && !this.stored.has(token)) this.stored.set(token, payload)
      if (call.failWith) throw call.failWith
      if (!this.stored.has(token)) this.stored.set(token, payload)
    } finally {
      this.#runningBy[table]--
      this.finished++
    }
  }

  /** Stops holding and failing: releases every held call and lets later ones through (a test's cleanup). */
  open(): void {
    this.passThrough = true
    this.down = false
    for (const c of this.calls) c.release.resolve()
  }

  lines(table: IngestTable): string[] {
    return [...this.stored.entries()].filter(([t]) => t.endsWith(`:${table}`)).flatMap(([, p]) => p.split('\n'))
  }
}

