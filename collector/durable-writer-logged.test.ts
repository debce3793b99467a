import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HeldSink, Outage } from '../test/support/held-sink.ts'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { waitFor } from '../test/support/wait-for.ts'
import { DurableWriter, OverloadedError, type DurableWriterOptions, type RowBatch } from './durable-writer.ts'
import { readSpoolDir, Spool } from './spool.ts'

// acknowledge: logged. A submission is acknowledged once fsynced to the spool; one drainer inserts from it, all
// entries logged during an insert together in the next one, under a claim written first so that a replay after a
// crash inserts the same rows under the same token.

const batch = (predictions: string[], labels: string[] = []): RowBatch => ({ predictions, labels, quarantine: [] })
const rows = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `["${prefix}${i}"]`)

/** The pending claims on disk. */
function readClaims(): Array<{ token: string; names: string[] }> {
  return readdirSync(spoolDir)
    .filter((n) => /^claim-\d+\.json$/.test(n))
    .sort()
    .map((n) => JSON.parse(readFileSync(join(spoolDir, n), 'utf8')) as { token: string; names: string[] })
}

let tmp: { dir: string; cleanup: () => void }
let spoolDir: string
let sink: HeldSink
const writers: DurableWriter[] = []

function newWriter(over: Partial<DurableWriterOptions> = {}, track = true): DurableWriter {
  const writer = new DurableWriter({
    sink,
    spool: new Spool({ dir: spoolDir, maxBytes: 1 << 20 }),
    maxBatchRows: 1_000,
    maxPendingBytes: 1 << 20,
    drainBackoffMs: { min: 5, max: 20 },
    isTransient: (err) => err instanceof Outage,
    acknowledge: 'logged',
    ...over,
  })
  writer.start()
  if (track) writers.push(writer)
  return writer
}

beforeEach(() => {
  tmp = makeTempDir('logged')
  spoolDir = join(tmp.dir, 'spool')
  sink = new HeldSink()
})
afterEach(async () => {
  sink.open()
  await Promise.all(writers.splice(0).map((w) => w.close()))
  tmp.cleanup()
})

describe('DurableWriter, acknowledge: logged', () => {
  it('acknowledges once the rows are in the spool, before ClickHouse has them, then inserts and removes them', async () => {
    const writer = newWriter()
    await writer.submit(batch(rows('a', 2)))
    expect(sink.stored.size).toBe(0)
    expect(readSpoolDir(spoolDir).flat().map((p) => p.payload)).toEqual([rows('a', 2).join('\n')])
    await waitFor('the drainer to insert', () => sink.calls.length === 1)
    sink.calls[0]!.release.resolve()
    expect(await writer.stored()).toBe(true)
    expect(sink.lines('predictions')).toEqual(rows('a', 2))
    expect(writer.spool.entries).toBe(0)
  })

  it('inserts every entry logged during an insert as one batch under one claim token, table by table', async () => {
    const writer = newWriter()
    await writer.submit(batch(rows('a', 1)))
    await waitFor('the first insert', () => sink.calls.length === 1)
    await writer.submit(batch(rows('b', 2), rows('l', 1)))
    await writer.submit(batch(rows('c', 1)))
    await writer.submit(batch([], rows('m', 2)))
    expect(writer.spool.entries).toBe(4)
    sink.calls[0]!.release.resolve()
    await waitFor('the combined inserts', () => sink.calls.length === 2)
    // The claim names the three entries before their insert starts.
    const claim = readClaims().find((c) => c.names.length === 3)!
    expect(claim).toBeDefined()
    sink.passThrough = true
    sink.calls[1]!.release.resolve()
    expect(await writer.stored()).toBe(true)

    expect(sink.calls.slice(1).map((c) => [c.table, c.payload.split('\n')])).toEqual([
      ['predictions', [...rows('b', 2), ...rows('c', 1)]],
      ['labels', [...rows('l', 1), ...rows('m', 2)]],
    ])
    expect(sink.calls.slice(1).map((c) => c.token)).toEqual([`${claim.token}:predictions`, `${claim.token}:labels`])
    expect(readClaims()).toEqual([])
    expect(writer.spool.entries).toBe(0)
  })

  it('stops adding entries to a batch once it holds maxBatchRows rows', async () => {
    const writer = newWriter({ maxBatchRows: 3 })
    await writer.submit(batch(rows('a', 1)))
    await waitFor('the first insert', () => sink.calls.length === 1)
    for (const [p, n] of [['b', 2], ['c', 2], ['d', 2], ['e', 1]] as const) await writer.submit(batch(rows(p, n)))
    sink.passThrough = true
    sink.calls[0]!.release.resolve()
    expect(await writer.stored()).toBe(true)
    // b has room, c joins it (4 >= 3 closes the batch), d and e make the next one.
    expect(sink.calls.map((c) => c.payload.split('\n'))).toEqual([rows('a', 1), [...rows('b', 2), ...rows('c', 2)], [...rows('d', 2), ...rows('e', 1)]])
  })

  it('replays a claim cut short by a crash with the same rows and token, so nothing is stored twice', async () => {
    // The crashed process's sink never answers again: its writer stays frozen where it died.
    const frozen = new HeldSink()
    const crashed = newWriter({ sink: frozen }, false)
    await crashed.submit(batch(rows('a', 1)))
    await waitFor('the first insert', () => frozen.calls.length === 1)
    await crashed.submit(batch(rows('b', 2)))
    await crashed.submit(batch(rows('c', 1)))
    frozen.calls[0]!.release.resolve()
    await waitFor('the combined insert', () => frozen.calls.length === 2)
    // It lands in ClickHouse, and the process dies before it hears so: the claim and its entries stay on disk.
    const landed = frozen.calls[1]!
    sink.stored.set(frozen.calls[0]!.token, frozen.calls[0]!.payload)
    sink.stored.set(landed.token, landed.payload)

    sink.passThrough = true
    const restarted = newWriter()
    expect(await restarted.stored()).toBe(true)
    expect(sink.calls.map((c) => [c.token, c.payload])).toEqual([[landed.token, landed.payload]])
    expect(sink.lines('predictions').sort()).toEqual([...rows('a', 1), ...rows('b', 2), ...rows('c', 1)].sort())
  })

  it('claims the next batch while the current one is inserted, and a restart replays both claims in order', async () => {
    const spool = new Spool({ dir: spoolDir, maxBytes: 1 << 20 })
    for (const p of ['a', 'b', 'c', 'd']) await spool.append([{ table: 'predictions', token: p, payload: rows(p, 1).join('\n') }], { combinable: true })
    const frozen = new HeldSink()
    newWriter({ sink: frozen, maxBatchRows: 2 }, false)
    await waitFor('the first insert and the next claim', () => frozen.calls.length === 1 && readClaims().length === 2)
    const [first, second] = readClaims()
    expect([first!.names.length, second!.names.length]).toEqual([2, 2])
    expect(frozen.calls[0]!.token).toBe(`${first!.token}:predictions`)

    sink.passThrough = true
    const restarted = newWriter({ maxBatchRows: 2 })
    expect(await restarted.stored()).toBe(true)
    expect(sink.calls.map((c) => [c.token, c.payload.split('\n')])).toEqual([
      [`${first!.token}:predictions`, [...rows('a', 1), ...rows('b', 1)]],
      [`${second!.token}:predictions`, [...rows('c', 1), ...rows('d', 1)]],
    ])
  })

  it('hands each insert what the sink prepared for its batch, and the plain lines when preparing failed', async () => {
    sink.prepare = async (_table, payload) => {
      if (payload.includes('bad')) throw new Error('cannot prepare')
      return Buffer.from(`prepared:${payload}`)
    }
    sink.passThrough = true
    const writer = newWriter()
    await writer.submit(batch(rows('ok', 2)))
    expect(await writer.stored()).toBe(true)
    await writer.submit(batch(rows('bad', 1)))
    expect(await writer.stored()).toBe(true)
    expect(sink.calls.map((c) => [c.payload, c.prepared === undefined ? undefined : Buffer.from(c.prepared).toString()])).toEqual([
      [rows('ok', 2).join('\n'), `prepared:${rows('ok', 2).join('\n')}`],
      [rows('bad', 1).join('\n'), undefined],
    ])
  })

  it('deletes, and does not insert again, the entries of a claim that was done when the process died', async () => {
    const spool = new Spool({ dir: spoolDir, maxBytes: 1 << 20 })
    await spool.append([{ table: 'predictions', token: 't1', payload: '["x"]' }], { combinable: true })
    await spool.append([{ table: 'predictions', token: 't2', payload: '["y"]' }], { combinable: true })
    await spool.append([{ table: 'predictions', token: 't3', payload: '["z"]' }], { combinable: true })
    const [x, y] = spool.names()
    // Killed after renaming the claim to done and before removing its entries.
    writeFileSync(join(spoolDir, `claim-${x!.replace('.spool', '')}.done`), JSON.stringify({ token: 'done-token', names: [x, y] }))

    sink.passThrough = true
    const writer = newWriter()
    expect(await writer.stored()).toBe(true)
    expect(sink.calls.map((c) => c.payload)).toEqual(['["z"]'])
    expect(readdirSync(spoolDir).filter((n) => n.startsWith('claim-'))).toEqual([])
  })

  it('holds acknowledgements back while the log lags more than maxLagBytes behind ClickHouse', async () => {
    const writer = newWriter({ maxLagBytes: 1 })
    let acknowledged = false
    const submitted = writer.submit(batch(rows('a', 3))).then(() => (acknowledged = true))
    await waitFor('the insert to start', () => sink.calls.length === 1)
    expect(writer.spool.entries).toBe(1)
    await new Promise((resolve) => setImmediate(resolve))
    expect(acknowledged).toBe(false)
    sink.calls[0]!.release.resolve()
    await submitted
    expect(sink.lines('predictions')).toEqual(rows('a', 3))
  })

  it('refuses with OverloadedError when the spool is full behind a slow but healthy ClickHouse', async () => {
    const writer = newWriter({ spool: new Spool({ dir: spoolDir, maxBytes: 300 }) })
    await writer.submit(batch(rows('a', 2)))
    await waitFor('the insert to start', () => sink.calls.length === 1)
    await writer.submit(batch(rows('b', 2)))
    const refused = writer.submit(batch(rows('c', 20)))
    await expect(refused).rejects.toBeInstanceOf(OverloadedError)
    await expect(refused).rejects.toThrow(/inserts lag behind/)
    expect(writer.degraded).toBe(false)
    expect(writer.full).toBe(true)
    sink.open()
    expect(await writer.stored()).toBe(true)
    expect(sink.lines('predictions')).toEqual([...rows('a', 2), ...rows('b', 2)])
  })

  it('keeps acknowledging from the spool while ClickHouse fails, refuses once it is full, and stores each row once on recovery', async () => {
    sink.down = true
    const writer = newWriter({ spool: new Spool({ dir: spoolDir, maxBytes: 400 }) })
    await writer.submit(batch(rows('a', 2)))
    await waitFor('the writer to notice the outage', () => writer.degraded)
    expect(await writer.stored()).toBe(false)
    await writer.submit(batch(rows('b', 2)))
    await expect(writer.submit(batch(rows('c', 40)))).rejects.toBeInstanceOf(OverloadedError)
    expect(writer.full).toBe(true)

    sink.down = false
    sink.passThrough = true
    await waitFor('the spool to drain', () => writer.spool.entries === 0)
    expect(writer.degraded).toBe(false)
    expect(sink.lines('predictions').sort()).toEqual([...rows('a', 2), ...rows('b', 2)].sort())
    expect(new Set(sink.stored.keys()).size).toBe(sink.stored.size)
  })
})
