// Issue 16, "Releases and training across kill -9": killed `highway train` runs left training runs without an
// outcome (and claimed version numbers with no row). The registry test of this uses a pid that exited cleanly; this
// one kills a real trainer with SIGKILL while it draws its trial progress.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { SYNTHETIC_MODEL, writeSyntheticCsv } from '../../pipeline/train/synthetic.test-support.ts'
import { createRegistry } from '../../registry/index.ts'
import { openStore } from '../../store/index.ts'
import { startHighwayOnTerminal } from '../support/highway-process.ts'
import { makeTempDir } from '../support/temp-dir.ts'

const tmp = makeTempDir('training-kill-9')
afterAll(() => tmp.cleanup())

describe('highway train killed with SIGKILL mid-run', () => {
  it('leaves a run the next start marks failed with its reason, and no version row', async () => {
    const dataDir = join(tmp.dir, 'data')
    const config = join(tmp.dir, 'highway.yaml')
    // A random search long enough to be caught in the middle: a thousand trials over 50,000 rows.
    const training = { ...SYNTHETIC_MODEL.training, search: { method: 'random', trials: 1000, space: { alpha: { type: 'loguniform', min: 0.001, max: 10 } } } }
    writeFileSync(config, stringify({ storage: { dataDir }, registry: { artifactsDir: join(tmp.dir, 'artifacts') }, models: [{ ...SYNTHETIC_MODEL, training }] }))
    writeSyntheticCsv(join(tmp.dir, 'rows.csv'), { rows: 50_000 })

    const trainer = await startHighwayOnTerminal(['train', '--model', 'synthetic', '--data', 'rows.csv', '--config', config], { cwd: tmp.dir })
    // The trial bar, drawn while the search runs (cut to the terminal's width: "trials  ░░░░…").
    await trainer.waitForOutput(/trials {2}/)
    process.kill(trainer.pid, 'SIGKILL')
    await trainer.exited
    expect(trainer.output()).not.toMatch(/register/)

    const store = await openStore({ mode: 'embedded', dataDir, database: 'highway', retentionDays: 90 })
    try {
      const registry = createRegistry({ store, artifactsDir: join(tmp.dir, 'artifacts') })
      expect((await registry.trainingOutcomes('synthetic')).map((o) => o.state)).toEqual(['running'])
      const found = await registry.recoverAbandoned()
      const owner = `:${trainer.pid}`
      expect(found.runs).toEqual([{ model: 'synthetic', runId: expect.any(String), reason: expect.stringContaining(`${owner} stopped`) }])
      // Killed in the search, before registering: no claim and no version; a claim caught would be marked failed too.
      for (const c of found.claims) expect(c.reason).toContain(`${owner}, which stopped before writing it`)
      expect(await registry.listVersions('synthetic')).toEqual([])
      const [outcome] = await registry.trainingOutcomes('synthetic')
      expect(outcome).toMatchObject({ state: 'failed', reason: found.runs[0]!.reason })
      // Once: the next start finds nothing left to mark.
      expect(await registry.recoverAbandoned()).toEqual({ claims: [], runs: [] })
    } finally {
      await store.close()
    }
  })
})
