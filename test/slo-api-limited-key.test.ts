import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSecret } from '../server/index.ts'
import { startTestService, BOOKING_MODEL } from './support/service.ts'
import { BOOKING_AVAILABILITY_SLO as SPEC } from './support/slo-spec.ts'
import { makeTempDir } from './support/temp-dir.ts'

// Its own file: chDB holds one data directory per process, and test/slo-api.test.ts keeps its service for the file.

const CHURN_MODEL = { name: 'churn', task: 'regression', features: { tenure_days: { type: 'number', min: 0 } } }
const CHURN_SPEC = SPEC.replaceAll('booking-availability', 'churn-availability').replaceAll('booking-ok', 'churn-ok').replaceAll('booking-spam', 'churn').replace('service: booking', 'service: churn')

describe('SLO API with a model-limited key (issue 16)', () => {
  const keyed = makeTempDir('slo-api-keys')
  let limited: Awaited<ReturnType<typeof startTestService>>
  const as = (secret: string) => ({ headers: { authorization: `Bearer ${secret}` } })
  beforeAll(async () => {
    const slos = join(keyed.dir, 'slos')
    mkdirSync(slos)
    writeFileSync(join(slos, 'booking.yaml'), SPEC)
    writeFileSync(join(slos, 'churn.yaml'), CHURN_SPEC)
    limited = await startTestService({
      slos,
      models: [BOOKING_MODEL, CHURN_MODEL],
      auth: {
        keys: [
          { id: 'read-booking', scopes: ['read'], models: ['booking-spam'], sha256: hashSecret('secret-booking') },
          { id: 'read-all', scopes: ['read'], sha256: hashSecret('secret-all') },
        ],
      },
    })
  })
  afterAll(async () => {
    await limited.stop()
    keyed.cleanup()
  })

  it("lists only the SLOs of the key's models", async () => {
    const mine = (await (await fetch(`${limited.url}/v1/slos`, as('secret-booking'))).json()) as any
    expect(mine.slos.map((s: any) => s.name)).toEqual(['booking-availability'])
    const all = (await (await fetch(`${limited.url}/v1/slos`, as('secret-all'))).json()) as any
    expect(all.slos.map((s: any) => s.name).sort()).toEqual(['booking-availability', 'churn-availability'])
  })

  it("answers 403 forbidden for another model's SLO, and the same for a name that does not exist, so existence does not leak", async () => {
    const other = await fetch(`${limited.url}/v1/slos/churn-availability`, as('secret-booking'))
    expect(other.status).toBe(403)
    expect(((await other.json()) as any).code).toBe('forbidden')
    const unknown = await fetch(`${limited.url}/v1/slos/nope`, as('secret-booking'))
    expect(unknown.status).toBe(403)
    expect(((await unknown.json()) as any).error).not.toContain('churn')
    expect((await fetch(`${limited.url}/v1/slos/booking-availability`, as('secret-booking'))).status).toBe(200)
    expect((await fetch(`${limited.url}/v1/slos/churn-availability`, as('secret-all'))).status).toBe(200)
    expect((await fetch(`${limited.url}/v1/slos/nope`, as('secret-all'))).status).toBe(404)
  })
})
