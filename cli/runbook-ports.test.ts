import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../config/index.ts'
import { createAuditLog } from '../audit/index.ts'
import { createRegistry } from '../registry/index.ts'
import { evaluateCondition } from '../runbooks/index.ts'
import { createReleaseController } from '../serving/releases/index.ts'
import { openStore, saveAnalysisResult, type Store } from '../store/index.ts'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { createRunbookPorts } from './runbook-ports.ts'

// The condition and measure ports read the analyzer's saved results as the analyzer saves them (saveAnalysisResult).

const tmp = makeTempDir('runbook-ports')
let store: Store
const HOUR = 3_600_000
const T0 = Date.parse('2026-12-08T00:00:00Z')

beforeAll(async () => {
  store = await openStore({ mode: 'embedded', dataDir: tmp.dir, database: 'highway', retentionDays: 30 })
  const drifted = [false, true, false, true]
  for (const [i, d] of drifted.entries()) {
    await saveAnalysisResult(store, { job: 'drift', model: 'bikes', version: '', fromMs: T0 + i * HOUR, toMs: T0 + (i + 1) * HOUR, computedAtMs: T0 + (i + 1) * HOUR, result: { dataset: { drifted: d, drift_share: d ? 0.6 : 0.1 } } })
  }
  await saveAnalysisResult(store, { job: 'performance', model: 'bikes', version: '', fromMs: T0, toMs: T0 + HOUR, computedAtMs: T0 + HOUR, result: { realised: { mae: null }, estimated: { mae: { value: 57.5, lower: 50, upper: 65 } } } })
})
afterAll(async () => {
  await store.close()
  tmp.cleanup()
})

function ports() {
  const config = parseConfig({ models: [{ name: 'bikes', task: 'regression', features: { x: { type: 'number' } } }], storage: { dataDir: tmp.dir } }, { source: 'test' })
  const registry = createRegistry({ store, artifactsDir: tmp.dir })
  const releases = createReleaseController({ store, registry, audit: createAuditLog(store) })
  return createRunbookPorts({ config, store, registry, releases, now: () => T0 + 5 * HOUR })
}

describe('the runbook ports over saved analyzer results', () => {
  it('reads the newest drift results first, the performance (estimated when not realised), and a saved measure', async () => {
    const p = ports()
    expect(await p.conditions.driftResults('bikes', 3, T0 + 5 * HOUR)).toEqual([true, false, true])
    expect(await p.conditions.performance('bikes', 'mae', T0 + 5 * HOUR)).toEqual({ value: 57.5, estimated: true })
    expect(await p.conditions.labelsSinceTraining('bikes', T0)).toBeNull()
    expect(await p.measure.read('bikes', { kind: 'analyzer', job: 'drift', measure: 'dataset.drift_share' }, T0 + 5 * HOUR)).toBe(0.6)
  })

  it('gives a scheduled condition its figures as the reason', async () => {
    const p = ports()
    const met = await evaluateCondition({ drift: { windows: 4, minDrifted: 2 }, performance: { metric: 'mae', above: 60 }, combine: 'any' }, p.conditions, 'bikes', T0 + 5 * HOUR)
    expect(met).toEqual({ met: true, reason: '✓ dataset drift in 2 of the last 4 analysis window(s) (at least 2 needed); ✗ estimated mae 57.5 (bound: above 60)' })
    const all = await evaluateCondition({ drift: { windows: 4, minDrifted: 2 }, performance: { metric: 'mae', above: 60 }, combine: 'all' }, p.conditions, 'bikes', T0 + 5 * HOUR)
    expect(all.met).toBe(false)
  })
})
