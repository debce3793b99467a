import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HeldSink, Outage, type HeldCall } from '../test/support/held-sink.ts'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { waitFor } from '../test/support/wait-for.ts'
import { DurableWriter, type RowBatch } from './durable-writer.ts'
import { Spool } from './spool.ts'

// The durable writer with two groups in flight (maxInFlight: 2): a request that arrives during an insert starts
// its own at once instead of waiting for it, and the guarantees of one-at-a-time stay: every submission settles
// only once stored, replays use the same tokens, labels are never inserted two at a time.

const batch = (predictions: string[], labels: string[] = []): RowBatch => ({ predictions, labels, quarantine: [] })
const rows = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `["${prefix}${i}"]`)

let tmp: { dir: string; cleanup: () => void }
let sink: HeldSink
const writers: DurableWriter[] = []

function newWriter(): DurableWriter {
  const writer = new DurableWriter({
    sink,
    spool: new Spool({ dir: join(tmp.dir, 'spool'), maxBytes: 1 << 20 }),
    maxBatchRows: 1_000,
    maxPendingBytes: 1 << 20,
    drainBackoffMs: { min: 5, max: 20 },
    isTransient: (err) => err instanceof Outage,
    maxInFlight: 2,
  })
  writers.push(writer)
  return writer
}

beforeEach(() => {
  tmp = makeTempDir('writer-in-flight')
  sink = new HeldSink()
})
afterEach(async () => {
  sink.open()
  await Promise.all(writers.splice(0).map((w) => w.close()))
  tmp.cleanup()
})

describe('DurableWriter with two groups in flight', () => {
  it('starts a second insert while the first runs, and merges what comes meanwhile into a third', async () => {
    const writer = newWriter()
    const a = writer.submit(batch(rows('a', 1)))
    await waitFor('the first insert to start', () => sink.calls.length === 1)
    const b = writer.submit(batch(rows('b', 1)))
    await waitFor('the second insert to start before the first ends', () => sink.calls.length === 2)
    const later = [writer.submit(batch(rows('c', 1))), writer.submit(batch(rows('d', 2)))]
    await new Promise((resolve) => setImmediate(resolve))
    expect(sink.calls).toHaveLength(2)
    // The second insert ends first: its submitter is answered without waiting for the first.
    sink.calls[1]!.release.resolve()
    await b
    await waitFor('the merged third insert to start', () => sink.calls.length === 3)
    expect(sink.calls[2]!.payload.split('\n')).toEqual([...rows('c', 1), ...rows('d', 2)])
    sink.passThrough = true
    sink.calls[2]!.release.resolve()
    sink.calls[0]!.release.resolve()
    await Promise.all([a, ...later])
    expect(sink.lines('predictions').sort()).toEqual([...rows('a', 1), ...rows('b', 1), ...rows('c', 1), ...rows('d', 2)].sort())
    expect(writer.pendingBytes).toBe(0)
  })

  it('lets barrier() wait for every earlier group, also when a later one settles first', async () => {
    const writer = newWriter()
    let aSettled = false
    const a = writer.submit(batch(rows('a', 1))).then(() => (aSettled = true))
    await waitFor('the first insert to start', () => sink.calls.length === 1)
    const b = writer.submit(batch(rows('b', 1)))
    await waitFor('the second insert to start', () => sink.calls.length === 2)
    let barrierDone = false
    const barrier = writer.barrier().then(() => (barrierDone = true))
    sink.calls[1]!.release.resolve()
    await b
    await new Promise((resolve) => setImmediate(resolve))
    expect(barrierDone).toBe(false)
    sink.calls[0]!.release.resolve()
    await Promise.all([a, barrier])
    expect(aSettled).toBe(true)
  })

  it('never runs two label inserts at once, though predictions of two groups run together', async () => {
    const writer = newWriter()
    const a = writer.submit(batch([], ['["la"]']))
    await waitFor('the first label insert to start', () => sink.calls.length === 1)
    const b = writer.submit(batch(rows('p', 1), ['["lb"]']))
    await waitFor('the second group to insert its predictions', () => sink.calls.length === 2)
    expect(sink.calls[1]!.table).toBe('predictions')
    sink.calls[1]!.release.resolve()
    await waitFor('the second group\'s prediction insert to end', () => sink.finished === 1)
    await new Promise((resolve) => setImmediate(resolve))
    // Its labels wait for the first group's label insert.
    expect(sink.calls).toHaveLength(2)
    sink.calls[0]!.release.resolve()
    await waitFor('the second label insert to start', () => sink.calls.length === 3)
    sink.calls[2]!.release.resolve()
    await Promise.all([a, b])
    expect(sink.maxRunning.labels).toBe(1)
    expect(sink.maxRunning.predictions).toBe(1)
    expect(sink.lines('labels')).toEqual(['["la"]', '["lb"]'])
  })

  it('stores each of two failed groups exactly once through the spool, with the tokens of their first attempts', async () => {
    const writer = newWriter()
    const a = writer.submit(batch(rows('a', 2)))
    await waitFor('the first insert to start', () => sink.calls.length === 1)
    const b = writer.submit(batch(rows('b', 2)))
    await waitFor('the second insert to start', () => sink.calls.length === 2)
    // The first insert landed but its answer was lost; the second failed outright.
    const [first, second] = sink.calls as [HeldCall, HeldCall]
    first.storeFirst = true
    first.failWith = new Outage('connection reset after the insert')
    second.failWith = new Outage('down')
    sink.passThrough = true
    first.release.resolve()
    second.release.resolve()
    await Promise.all([a, b])
    await waitFor('the spool to drain', () => writer.spool.entries === 0 && !writer.degraded)
    expect(sink.lines('predictions').sort()).toEqual([...rows('a', 2), ...rows('b', 2)].sort())
    const replayed = sink.calls.slice(2).map((c) => c.token)
    expect(replayed.sort()).toEqual([first.token, second.token].sort())
  })
})
