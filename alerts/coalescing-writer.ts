/**
 * A group commit: `write(item)` joins the batch being gathered while an earlier batch is in flight, and resolves
 * once the batch holding it is flushed (or rejects with that batch's error). With nothing in flight a write starts a
 * batch of its own at once, so a lone request waits for no one; under load each flush carries every request that
 * arrived during the previous one. Why: each chDB insert is serialised in the embedded engine, so N concurrent
 * intakes doing their own inserts queue N × 2 inserts; sharing them makes it 2 a batch (bench/RESULTS.md, alerts).
 */
export interface CoalescingWriter<T> {
  write(item: T): Promise<void>
}

interface Batch<T> {
  readonly items: T[]
  readonly waiters: { resolve: () => void; reject: (err: unknown) => void }[]
}

/** Builds a writer that hands `flush` the items of each batch, in arrival order. */
export function createCoalescingWriter<T>(flush: (items: readonly T[]) => Promise<void>): CoalescingWriter<T> {
  let pending: Batch<T> | null = null
  let flushing = false
  const drain = async (): Promise<void> => {
    flushing = true
    while (pending) {
      const batch: Batch<T> = pending
      pending = null
      try {
        await flush(batch.items)
        for (const w of batch.waiters) w.resolve()
      } catch (err) {
        for (const w of batch.waiters) w.reject(err)
      }
    }
    flushing = false
  }
  return {
    write(item) {
      return new Promise<void>((resolve, reject) => {
        const batch: Batch<T> = pending ?? (pending = { items: [], waiters: [] })
        batch.items.push(item)
        batch.waiters.push({ resolve, reject })
        if (!flushing) void drain()
      })
    },
  }
}
