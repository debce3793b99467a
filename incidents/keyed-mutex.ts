/** Runs work for one key at a time, in arrival order; keys do not wait for each other. */
export interface KeyedMutex {
  run<T>(key: string, work: () => Promise<T>): Promise<T>
}

/** An in-process mutex per key (one process; across processes the deterministic ids keep deliveries apart). */
export function createKeyedMutex(): KeyedMutex {
  const tails = new Map<string, Promise<unknown>>()
  return {
    run(key, work) {
      const before = tails.get(key) ?? Promise.resolve()
      const mine = before.then(work, work)
      const tail = mine.catch(() => undefined)
      tails.set(key, tail)
      // Forget the key once nothing queues behind this work, so the map does not grow with every model ever seen.
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key)
      })
      return mine
    },
  }
}
