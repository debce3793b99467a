import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DurableWriter } from '../../collector/index.ts'
import { Spool } from '../../collector/index.ts'
import { HeldSink, Outage } from '../support/held-sink.ts'
import { makeTempDir } from '../support/temp-dir.ts'
import { waitFor } from '../support/wait-for.ts'

// Issue 16: with acknowledge: stored, label_rollup_1m counted 84,000 labelled against 83,800 after 20 kill cycles.
// A kill mid-insert can leave a labels insert whose rollup part landed and whose label_outcomes part did not; the
// restart replays it from the spool. A label of the same id that arrived meanwhile (the client's retry) was
// inserted straight away, ahead of the replay: it found no earlier outcome to take back out of the rollup, so the
// id counted twice. The direct insert must queue behind what the spool replays.

let tmp: { dir: string; cleanup: () => void }
let sink: HeldSink
const writers: DurableWriter[] = []

beforeEach(() => {
  tmp = makeTempDir('label-order')
  sink = new HeldSink()
  sink.passThrough = true
})
afterEach(async () => {
  sink.open()
  await Promise.all(writers.splice(0).map((w) => w.close()))
  tmp.cleanup()
})

function storedWriter(spool: Spool): DurableWriter {
  const writer = new DurableWriter({
    sink,
    spool,
    maxBatchRows: 1_000,
    maxPendingBytes: 1 << 20,
    drainBackoffMs: { min: 5, max: 20 },
    isTransient: (err) => err instanceof Outage,
    acknowledge: 'stored',
    maxInFlight: 2,
  })
  writers.push(writer)
  return writer
}

describe('acknowledge: stored, labels and the spool', () => {
  it('inserts a label that arrives while the spool replays an earlier one after that replay, not ahead of it', async () => {
    const dir = join(tmp.dir, 'spool')
    // What a crash left: the earlier attempt's batch, replayed under its own tokens.
    const left = new Spool({ dir, maxBytes: 1 << 20 })
    await left.append([{ table: 'labels', token: 'crashed:0:labels', payload: '["m","id-1",1,1000,1,""]' }])
    const writer = storedWriter(new Spool({ dir, maxBytes: 1 << 20 }))
    // The client's retry comes in before the drainer has started on the replay.
    const retry = writer.submit({ predictions: [], labels: ['["m","id-1",1,2000,1,""]'], quarantine: [] })
    writer.start()
    await retry
    await waitFor('the spool to drain', () => writer.spool.entries === 0)
    expect(sink.calls.filter((c) => c.table === 'labels').map((c) => c.token.split(':')[0])).toEqual(['crashed', expect.any(String)])
    expect(sink.calls.filter((c) => c.table === 'labels').map((c) => c.payload)).toEqual(['["m","id-1",1,1000,1,""]', '["m","id-1",1,2000,1,""]'])
  })

  it('queues a label behind an earlier group whose insert failed while the later one waited for its turn', async () => {
    const writer = storedWriter(new Spool({ dir: join(tmp.dir, 'spool'), maxBytes: 1 << 20 }))
    sink.passThrough = false
    const first = writer.submit({ predictions: [], labels: ['["m","id-2",1,1000,1,""]'], quarantine: [] })
    await waitFor('the first label insert', () => sink.calls.length === 1)
    // Two groups in flight: the second's label insert waits behind the first's.
    const second = writer.submit({ predictions: [], labels: ['["m","id-2",1,2000,1,""]'], quarantine: [] })
    const call = sink.calls[0]!
    call.failWith = new Outage('ClickHouse went away')
    call.release.resolve()
    await Promise.all([first, second])
    sink.open()
    await waitFor('the spool to drain', () => writer.spool.entries === 0 && !writer.degraded)
    // In the order ClickHouse stored them.
    expect(sink.lines('labels')).toEqual(['["m","id-2",1,1000,1,""]', '["m","id-2",1,2000,1,""]'])
  })
})
