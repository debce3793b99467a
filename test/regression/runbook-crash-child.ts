// A child process for runbook-kill-9.test.ts: opens the data dir, registers version 1 of a model and makes it the
// champion with the real release controller, then starts a runbook whose retrain step registers version 2 through
// the real registry and would then release it as a canary. It prints its progress and waits inside the retrain
// (`before-register`: before registering; `after-register`: after, before the canary), where the test kills it.
//
// Usage: node --import tsx runbook-crash-child.ts <dataDir> <artifactsDir> <model> <before-register|after-register>
import { createAuditLog } from '../../audit/index.ts'
import { createRegistry } from '../../registry/index.ts'
import { createReleaseController, releaseRequestSchema } from '../../serving/releases/index.ts'
import { ModelServer } from '../../serving/index.ts'
import { createFreezeCheck } from '../../slo/index.ts'
import { openStore } from '../../store/index.ts'
import { createClickHouseRunbookStore, createRunbooks, parseRunbook } from '../../runbooks/index.ts'
import { regressionOnnx, regressionSignature } from './release-crash-fixture.ts'

const [dataDir, artifactsDir, model, mode] = process.argv.slice(2)
const store = await openStore({ mode: 'embedded', dataDir: dataDir!, database: 'highway', retentionDays: 90 })
const registry = createRegistry({ store, artifactsDir: artifactsDir! })
const audit = createAuditLog(store)
const controller = createReleaseController({ store, registry, audit, serving: new ModelServer() })
await registry.registerVersion(model!, regressionOnnx(), { signature: regressionSignature, description: 'v1' })
await controller.start(model!, releaseRequestSchema.parse({ version: 1, strategy: 'bluegreen' }), 'setup')

const parsed = parseRunbook('apiVersion: highway.dev/v1\nkind: Runbook\nmetadata: { name: retrain-crash }\nspec:\n  steps:\n    - action: retrain\n      minLabels: 1\n', 'retrain-crash.yaml')
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
const never = new Promise<never>(() => {})
const say = (line: string): void => void process.stdout.write(`${line}\n`)
const runbooks = createRunbooks({
  runbooks: [parsed.runbook],
  store: createClickHouseRunbookStore(store),
  audit,
  now: Date.now,
  owner: 'child',
  rollback: { rollback: (m, o) => controller.rollback(m, o) },
  freeze: { isFrozen: createFreezeCheck(store), freeze: async () => {}, unfreeze: async () => {} },
  release: {
    start: async (m, o, actor) => ({ releaseId: (await controller.start(m, releaseRequestSchema.parse({ version: o.version, strategy: o.strategy }), actor)).id }),
    state: async () => 'running',
  },
  retrain: {
    labelCount: async () => 1000,
    async retrain(o) {
      if (mode === 'before-register') {
        say('TRAINING')
        return never
      }
      const v = await registry.registerVersion(o.model, regressionOnnx(), { signature: regressionSignature, description: `retrained; ${o.reason}` })
      say(`REGISTERED ${v.version}`)
      return never
    },
  },
})
const run = await runbooks.start('retrain-crash', { model: model!, actor: 'operator' })
say(`RUN ${run.id}`)
await never
