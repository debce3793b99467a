// A child process for release-kill-9.test.ts: opens the data dir, registers two versions of a model, makes version 1
// the champion, then releases version 2 blue/green with the real controller and the real model server — and
// SIGKILLs itself right after its `killAfter`-th store write of that release. What it leaves on disk is exactly
// what a `kill -9` at that point of a release leaves.
//
// Usage: node --import tsx release-crash-child.ts <dataDir> <artifactsDir> <model> <killAfter>
import { createAuditLog } from '../../audit/index.ts'
import { createRegistry } from '../../registry/index.ts'
import { createReleaseController, releaseRequestSchema } from '../../serving/releases/index.ts'
import { ModelServer } from '../../serving/index.ts'
import { openStore, type Store } from '../../store/index.ts'
import { regressionOnnx, regressionSignature } from './release-crash-fixture.ts'

const [dataDir, artifactsDir, model, killAfterRaw] = process.argv.slice(2)
const killAfter = Number(killAfterRaw)
const opened = await openStore({ mode: 'embedded', dataDir: dataDir!, database: 'highway', retentionDays: 90 })
let armed = false
let writes = 0
const store: Store = {
  ...opened,
  async command(sql, params) {
    await opened.command(sql, params)
    if (armed && ++writes === killAfter) process.kill(process.pid, 'SIGKILL')
  },
}
const registry = createRegistry({ store, artifactsDir: artifactsDir! })
const audit = createAuditLog(store)
const controller = createReleaseController({ store, registry, audit, serving: new ModelServer() })
for (const description of ['v1', 'v2']) await registry.registerVersion(model!, regressionOnnx(), { signature: regressionSignature, description })
await controller.start(model!, releaseRequestSchema.parse({ version: 1, strategy: 'bluegreen' }), 'setup')
armed = true
await controller.start(model!, releaseRequestSchema.parse({ version: 2, strategy: 'bluegreen' }), 'operator')
// Fewer writes than killAfter: the release completed.
process.stdout.write(`completed after ${writes} writes\n`)
await opened.close()
