import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createAuditLog } from '../../audit/index.ts'
import { createRegistry } from '../../registry/index.ts'
import { createClickHouseRunbookStore, createRunbooks, parseRunbook } from '../../runbooks/index.ts'
import { createReleaseController } from '../../serving/releases/index.ts'
import { ModelServer } from '../../serving/index.ts'
import { openStore } from '../../store/index.ts'
import { makeTempDir } from '../support/temp-dir.ts'

// Issue 13, "kill -9 during a retrain step": a real child process runs a retrain runbook on the real registry and
// release controller and is SIGKILLed inside the retrain — before the new version is registered, and after it is
// registered but before its canary. After a restart on the same data directory the run is aborted with the reason
// (a retrain is not repeated), the retrain is not started again, and the new version serves no traffic: the
// champion is still version 1 and no release of version 2 exists.

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CHILD = fileURLToPath(new URL('./runbook-crash-child.ts', import.meta.url))
const tmp = makeTempDir('runbook-kill')
afterAll(() => tmp.cleanup())

/** Runs the child until it prints `until`, then SIGKILLs it; answers the run id it printed. */
async function killDuringRetrain(dataDir: string, artifactsDir: string, model: string, mode: string, until: RegExp): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, artifactsDir, model, mode], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = once(child, 'exit')
  let runId = ''
  let seen = false
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line.startsWith('RUN ')) runId = line.slice(4)
    if (until.test(line)) seen = true
    // The run id is printed once start() returns, which may come after the retrain began.
    if (seen && runId) break
  }
  expect(seen, stderr).toBe(true)
  child.kill('SIGKILL')
  const [, signal] = (await exited) as [number | null, NodeJS.Signals | null]
  expect(signal).toBe('SIGKILL')
  return runId
}

describe.each([
  ['before-register', /^TRAINING$/],
  ['after-register', /^REGISTERED 2$/],
])('a retrain killed with SIGKILL (%s)', (mode, until) => {
  it('is aborted with its reason after the restart, never run twice, and its version serves nothing', async () => {
    const dataDir = join(tmp.dir, `data-${mode}`)
    const artifactsDir = join(tmp.dir, `artifacts-${mode}`)
    const model = `kill-${mode}`
    const runId = await killDuringRetrain(dataDir, artifactsDir, model, mode, until)
    expect(runId).toMatch(/^rb-/)

    const store = await openStore({ mode: 'embedded', dataDir, database: 'highway', retentionDays: 90 })
    try {
      const registry = createRegistry({ store, artifactsDir })
      await registry.recoverAbandoned()
      const audit = createAuditLog(store)
      const controller = createReleaseController({ store, registry, audit, serving: new ModelServer() })
      await controller.restore()
      const parsed = parseRunbook('apiVersion: highway.dev/v1\nkind: Runbook\nmetadata: { name: retrain-crash }\nspec:\n  steps:\n    - action: retrain\n      minLabels: 1\n', 'retrain-crash.yaml')
      if (!parsed.ok) throw new Error('fixture')
      const retrains: string[] = []
      const runbooks = createRunbooks({
        runbooks: [parsed.runbook],
        store: createClickHouseRunbookStore(store),
        audit,
        now: Date.now,
        owner: 'restarted',
        retrain: {
          labelCount: async () => 1000,
          retrain: async (o) => {
            retrains.push(o.model)
            throw new Error('a retrain must not run again after the restart')
          },
        },
      })
      const restored = await runbooks.restore()
      expect(restored).toEqual({ resumed: [], aborted: [runId] })
      await runbooks.tick()
      await runbooks.idle()
      const run = await runbooks.get(runId)
      expect(run).toMatchObject({ status: 'aborted', steps: [{ action: 'retrain', status: 'aborted' }] })
      expect(run!.reason).toMatch(/^interrupted: the process stopped during step 1 \(1\. retrain\), started .*; a retrain is not repeated \(not idempotent\)$/)
      expect(retrains).toEqual([])
      // Nothing half-done serves traffic: the champion is version 1 and version 2 (when registered) was never released.
      expect(await registry.resolveAlias(model, 'champion')).toBe(1)
      expect((await controller.list(model)).map((r) => r.version)).toEqual([1])
      const entries = await audit.read({ component: 'runbooks', model })
      expect(entries.map((e) => `${e.action}:${e.outcome}`).sort()).toEqual(['run:done', 'run:failed'])
      expect(await createRunbooks({ runbooks: [parsed.runbook], store: createClickHouseRunbookStore(store), audit, now: Date.now, owner: 'third' }).restore()).toEqual({ resumed: [], aborted: [] })
      controller.close()
    } finally {
      await store.close()
    }
  })
})
