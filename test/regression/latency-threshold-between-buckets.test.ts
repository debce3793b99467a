import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { postJson, startTestService, BOOKING_MODEL } from '../support/service.ts'
import { makeTempDir } from '../support/temp-dir.ts'

// Issue 11: a `latency_below` SLO with `thresholdMs: 120` (between the rollup's 100 and 250 ms buckets) loaded,
// started, and answered `status: unsupported` with zero counts; then it was refused at validation. Now the service
// starts with it and counts it exactly, through the HTTP API, across a restart on the same data.
const SPEC = `apiVersion: openslo/v1
kind: SLO
metadata: { name: booking-latency-120 }
spec:
  service: booking
  indicator:
    metadata: { name: booking-latency-120-sli }
    spec:
      ratioMetric:
        good: { metricSource: { type: highway, spec: { model: ${BOOKING_MODEL.name}, select: latency_below, thresholdMs: 120 } } }
        total: { metricSource: { type: highway, spec: { model: ${BOOKING_MODEL.name}, select: all } } }
  timeWindow: [{ duration: 1d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ displayName: fast, target: 0.5 }]
`
const dirs = makeTempDir('latency-120')
const slos = join(dirs.dir, 'slos')
const dataDir = join(dirs.dir, 'data')
mkdirSync(slos)
writeFileSync(join(slos, 'latency.yaml'), SPEC)
afterAll(() => dirs.cleanup())

async function post(service: Awaited<ReturnType<typeof startTestService>>, prefix: string, latencies: ReadonlyArray<number | undefined>): Promise<void> {
  const now = Date.now()
  const records = latencies.map((l, i) => ({ id: `${prefix}${i}`, ts: now - 60_000 + i, features: { height_cm: 170, note: 'n' }, prediction: 0.5, ...(l === undefined ? {} : { latency_ms: l }) }))
  expect((await postJson(`${service.url}/v1/predictions`, { model: BOOKING_MODEL.name, records })).status).toBe(202)
  expect(await service.collector.writer.stored()).toBe(true)
}

async function sli(service: Awaited<ReturnType<typeof startTestService>>): Promise<{ status: string; sli: { good: number; total: number } }> {
  const res = await fetch(`${service.url}/v1/slos/booking-latency-120?max_age_s=0`)
  expect(res.status).toBe(200)
  return (await res.json()) as { status: string; sli: { good: number; total: number } }
}

describe('a latency SLO at a threshold between the rollup buckets', () => {
  it('starts, counts 119 and 120 ms as good and 121 ms as slow, and keeps counting after a restart', async () => {
    const first = await startTestService({ slos, storage: { dataDir } })
    try {
      await post(first, 'a', [119, 120, 121, undefined])
      expect(await sli(first)).toMatchObject({ status: 'ok', sli: { good: 2, total: 3 } })
    } finally {
      await first.stop()
    }
    const second = await startTestService({ slos, storage: { dataDir } })
    try {
      expect(await sli(second)).toMatchObject({ status: 'ok', sli: { good: 2, total: 3 } })
      await post(second, 'b', [120.5, 1])
      expect(await sli(second)).toMatchObject({ status: 'ok', sli: { good: 3, total: 5 } })
    } finally {
      await second.stop()
    }
  })
})
