import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startHighwayProcess, type HighwayProcess } from '../support/highway-process.ts'
import { bookingConfigYaml } from '../support/ingest-load.ts'
import { makeTempDir } from '../support/temp-dir.ts'

// Issue 16: two services given the same ingest.spoolDir took and deleted each other's entries. The second must
// refuse to start, naming the process that holds the directory; once that one is gone, the directory is free.

describe('two collectors and one spool directory', () => {
  const tmp = makeTempDir('shared-spool')
  const configPath = join(tmp.dir, 'highway.yaml')
  writeFileSync(configPath, `${bookingConfigYaml()}ingest:\n  spoolDir: ${join(tmp.dir, 'spool')}\n`)
  const args = (dataDir: string) => ['--config', configPath, '--data-dir', join(tmp.dir, dataDir), '--port', '0']
  const running: HighwayProcess[] = []
  afterAll(async () => {
    for (const p of running) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL')
      await p.exited
    }
    tmp.cleanup()
  })

  it('refuses to start a second service on a spool directory a live one holds, and starts once that one was killed', async () => {
    const first = await startHighwayProcess(args('data-a'))
    running.push(first)
    const refusal = await startHighwayProcess(args('data-b')).then(
      () => 'started',
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    )
    expect(refusal).toMatch(new RegExp(`exited \\(1\\) before listening`))
    expect(refusal).toMatch(new RegExp(`spool directory .*spool is in use by process ${first.child.pid}: two collectors must not share ingest.spoolDir`))
    // kill -9 leaves the lock behind; its owner is dead, so the next service takes it over.
    first.child.kill('SIGKILL')
    await first.exited
    const second = await startHighwayProcess(args('data-b'))
    running.push(second)
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200)
  })
})
