import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestService } from './support/service.ts'

// Issue 10: a storage failure on a read answered 500 (StoreError was never mapped). The real embedded store is
// closed under a running service: every read route that needs it must answer 503 with Retry-After, and log no
// unexpected failure.
let service: Awaited<ReturnType<typeof startTestService>>
beforeAll(async () => {
  service = await startTestService()
})
afterAll(async () => {
  await service?.stop()
})

describe('a read while ClickHouse is unavailable', () => {
  it('answers 503 with Retry-After, naming storage, and books no 500', async () => {
    expect((await fetch(`${service.url}/v1/models/booking-spam`)).status).toBe(200)
    await service.store.close()
    for (const path of ['/v1/models', '/v1/models/booking-spam']) {
      const res = await fetch(`${service.url}${path}`)
      expect(res.status, path).toBe(503)
      expect(res.headers.get('retry-after')).toBe('5')
      expect(((await res.json()) as { code: string }).code).toBe('unavailable')
    }
    expect(service.logs.filter((l) => l.message === 'unhandled error')).toEqual([])
  })
})
