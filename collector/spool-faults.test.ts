import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { HeldSink, Outage } from '../test/support/held-sink.ts'
import { describeWithFilesystemFaults, mountSmallFilesystem, type SmallFilesystem } from '../test/support/small-filesystem.ts'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { waitFor } from '../test/support/wait-for.ts'
import { DurableWriter, type RowBatch } from './durable-writer.ts'
import { readOwner, SpoolLockedError } from './spool-lock.ts'
import { readSpoolDir, Spool, writeFully, type SpoolPart } from './spool.ts'

// Issue 16: what the spool and its drainer do when the spool's own filesystem fails (full, read-only), on a real
// tmpfs of a few MB; and the lock that keeps two processes out of one spool directory.

const part = (token: string, payload: string): SpoolPart => ({ table: 'predictions', token, payload })
const batch = (prefix: string, n: number): RowBatch => ({ predictions: Array.from({ length: n }, (_, i) => `["${prefix}${i}"]`), labels: [], quarantine: [] })

describe('writeFully', () => {
  it('writes every byte, in order, through a file that takes only a few bytes per call', async () => {
    const written: Buffer[] = []
    const stingy = {
      async writev(buffers: Buffer[]) {
        const chunk = Buffer.concat(buffers).subarray(0, 3)
        written.push(Buffer.from(chunk))
        return { bytesWritten: chunk.length, buffers }
      },
    }
    await writeFully(stingy, [Buffer.from('header\n'), Buffer.from(''), Buffer.from('["a"]\n["b"]')])
    expect(Buffer.concat(written).toString()).toBe('header\n["a"]\n["b"]')
  })

  it('fails rather than loop when a write makes no progress', async () => {
    await expect(writeFully({ writev: async (buffers: Buffer[]) => ({ bytesWritten: 0, buffers }) }, [Buffer.from('x')])).rejects.toThrow(/no progress/)
  })
})

describe('Spool lock', () => {
  const tmp = makeTempDir('spool-lock')
  afterAll(() => tmp.cleanup())

  it('refuses a spool directory another live process holds, naming it, and takes it over once that process is gone', async () => {
    const dir = join(tmp.dir, 'shared')
    new Spool({ dir, maxBytes: 1 << 20 }).close()
    // Another process's lock: the pid and start time of a live child.
    const other = spawn('sleep', ['60'], { stdio: 'ignore' })
    await once(other, 'spawn')
    const stat = readFileSync(`/proc/${other.pid}/stat`, 'utf8')
    const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19])
    symlinkSync(`${other.pid}:${startTicks}`, join(dir, 'LOCK'))
    expect(() => new Spool({ dir, maxBytes: 1 << 20 })).toThrow(SpoolLockedError)
    expect(() => new Spool({ dir, maxBytes: 1 << 20 })).toThrow(new RegExp(`in use by process ${other.pid}: two collectors must not share ingest.spoolDir`))
    other.kill('SIGKILL')
    await once(other, 'exit')
    const spool = new Spool({ dir, maxBytes: 1 << 20 })
    expect(readOwner(join(dir, 'LOCK'))).toMatchObject({ pid: process.pid })
    spool.close()
    expect(readdirSync(dir)).not.toContain('LOCK')
  })

  it('takes over a lock whose pid now belongs to another process (a reused pid)', () => {
    const dir = join(tmp.dir, 'reused')
    new Spool({ dir, maxBytes: 1 << 20 }).close()
    // Pid 1 is alive, but it did not start at tick 1: the lock's owner is gone.
    rmSync(join(dir, 'LOCK'), { force: true })
    symlinkSync('1:-1', join(dir, 'LOCK'))
    new Spool({ dir, maxBytes: 1 << 20 }).close()
  })
})

describeWithFilesystemFaults('Spool on a filesystem that fills up or turns read-only', () => {
  const tmp = makeTempDir('spool-faults')
  let fs: SmallFilesystem
  const writers: DurableWriter[] = []
  beforeAll(() => {
    fs = mountSmallFilesystem(join(tmp.dir, 'mnt'), 1)
  })
  afterEach(async () => {
    fs.writable()
    fs.unfill()
    await Promise.all(writers.splice(0).map((w) => w.close({ drainMs: 1_000 })))
  })
  afterAll(() => {
    fs.unmount()
    tmp.cleanup()
  })

  it('refuses an entry the filesystem took only part of, leaving no partial file, and says it is failing until a write succeeds', async () => {
    const dir = join(fs.dir, 'short')
    const spool = new Spool({ dir, maxBytes: 1 << 30 })
    // 1.5 MB on a 1 MB filesystem: writev writes what fits and reports it; the rest fails with ENOSPC.
    await expect(spool.append([part('big', `["${'x'.repeat(1_500_000)}"]`)])).rejects.toMatchObject({ code: 'ENOSPC' })
    expect(readdirSync(dir).filter((n) => n.endsWith('.spool') || n.endsWith('.tmp'))).toEqual([])
    expect(spool.entries).toBe(0)
    expect(spool.bytes).toBe(0)
    expect(spool.health).toMatchObject({ state: 'failing', error: expect.stringMatching(/ENOSPC/) })
    await spool.append([part('small', '["fits"]')])
    expect(spool.health).toEqual({ state: 'writable' })
    expect(readSpoolDir(dir).map((e) => e[0]!.token)).toEqual(['small'])
    spool.close()
  })

  it('refuses appends on a read-only filesystem with the error, not a silent loss', async () => {
    const dir = join(fs.dir, 'ro')
    const spool = new Spool({ dir, maxBytes: 1 << 20 })
    fs.readOnly()
    await expect(spool.append([part('ro', '["ro"]')])).rejects.toMatchObject({ code: 'EROFS' })
    expect(spool.health).toMatchObject({ state: 'failing', error: expect.stringMatching(/EROFS/) })
    fs.writable()
    expect(await spool.probe()).toBe(true)
    expect(spool.health).toEqual({ state: 'writable' })
    spool.close()
  })

  it('keeps the drainer alive when a claim cannot be written for a full disk, reports the spool failing, and drains once there is room', async () => {
    const dir = join(fs.dir, 'claims')
    const sink = new HeldSink()
    sink.passThrough = true
    // Entries logged by an earlier run; the next start must write a claim before it inserts them.
    const earlier = new Spool({ dir, maxBytes: 1 << 20 })
    for (let i = 0; i < 3; i++) await earlier.append([part(`e:${i}:predictions`, `["e${i}"]`)], { combinable: true })
    earlier.close()
    fs.fill()
    const errors: string[] = []
    const writer = new DurableWriter({
      sink,
      spool: new Spool({ dir, maxBytes: 1 << 20 }),
      maxBatchRows: 1_000,
      maxPendingBytes: 1 << 20,
      drainBackoffMs: { min: 5, max: 20 },
      isTransient: (err) => err instanceof Outage,
      acknowledge: 'logged',
      events: { storageError: (operation, err) => errors.push(`${operation}: ${(err as Error).message}`) },
    })
    writers.push(writer)
    writer.start()
    await waitFor('the claim write to fail', () => errors.some((e) => /^spool: .*ENOSPC/.test(e)))
    expect(writer.readiness()).toMatchObject({ ready: false, spool: 'failing', reasons: [expect.stringMatching(/spool cannot be written: ENOSPC/)] })
    // No record can be made durable now: the submission fails (the collector answers 503), it is not acknowledged.
    await expect(writer.submit(batch('late', 2))).rejects.toMatchObject({ code: 'ENOSPC' })
    expect(sink.stored.size).toBe(0)
    fs.unfill()
    await waitFor('the spool to drain', () => writer.spool.entries === 0 && writer.readiness().ready)
    expect([...sink.stored.values()].flatMap((p) => p.split('\n'))).toEqual(['["e0"]', '["e1"]', '["e2"]'])
    await writer.submit(batch('after', 1))
  })
})
