import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../store/index.ts'
import { makeTempDir } from '../../test/support/temp-dir.ts'
import { createFreezeCheck, createManualFreeze } from './budget-policy.ts'

const tmp = makeTempDir('manual-freeze')
let store: Store
beforeAll(async () => {
  store = await openStore({ mode: 'embedded', dataDir: tmp.dir, database: 'highway', retentionDays: 30 })
})
afterAll(async () => {
  await store.close()
  tmp.cleanup()
})

describe('a manual freeze', () => {
  it('freezes releases of one model as the release controller reads them, and thaws on unfreeze', async () => {
    const manual = createManualFreeze(store)
    const check = createFreezeCheck(store)
    const t = Date.parse('2026-12-08T00:00:00Z')
    await manual.freeze('bikes', 'rolled back by runbook rollback-on-burn', t)
    await manual.freeze('bikes', 'again', t + 1)
    expect(await check('bikes')).toEqual({ frozen: true, reason: 'manual freeze: rolled back by runbook rollback-on-burn' })
    expect(await check('other')).toEqual({ frozen: false })
    await manual.unfreeze('bikes', 'cause understood', t + 2)
    expect(await check('bikes')).toEqual({ frozen: false })
  })
})
