import { execFile } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, startTestService, BOOKING_MODEL } from './support/service.ts'
import { BOOKING_AVAILABILITY_SLO as SPEC } from './support/slo-spec.ts'
import { makeTempDir } from './support/temp-dir.ts'

const run = promisify(execFile)
const BIN = new URL('../bin/highway.mjs', import.meta.url).pathname
const dirs = makeTempDir('slo-api')
let service: Awaited<ReturnType<typeof startTestService>>

beforeAll(async () => {
  const slos = join(dirs.dir, 'slos')
  mkdirSync(slos)
  writeFileSync(join(slos, 'booking.yaml'), SPEC)
  service = await startTestService({ slos }, { components: ['collector', 'analyzer', 'slo', 'alerts'] })
  const now = Date.now()
  // 200 predictions over the last ten minutes, 10 of them errors: 95% good against a 99% target.
  const records = Array.from({ length: 200 }, (_, i) => ({ id: `s${i}`, ts: now - 10 * 60_000 + i * 3000, features: { height_cm: 170, note: 'n' }, prediction: 0.5, status: i % 20 === 0 ? 'error' : 'ok' }))
  expect((await postJson(`${service.url}/v1/predictions`, { model: BOOKING_MODEL.name, records })).status).toBe(202)
  // Acknowledged once logged (the default): the SLO reads ClickHouse, so wait until the log is in it.
  expect(await service.collector.writer.stored()).toBe(true)
  // The service warmed its snapshot at start, before these records; within the staleness bound reads serve it, so
  // evaluate once now (what a reader asking for fresher than what is held gets).
  expect((await fetch(`${service.url}/v1/slos?max_age_s=0`)).status).toBe(200)
})
afterAll(async () => {
  await service.stop()
  dirs.cleanup()
})

describe('SLO API', () => {
  it('answers GET /v1/slos/{name} with the SLI, budget, burn rates and alerts', async () => {
    const res = await fetch(`${service.url}/v1/slos/booking-availability`)
    expect(res.status).toBe(200)
    const s = (await res.json()) as any
    expect(s).toMatchObject({ name: 'booking-availability', service: 'booking', target: 0.99, window: { duration: '1w', rolling: true }, budgeting_method: 'Occurrences', sli: { good: 190, total: 200 } })
    // 5% errors against a 1% budget: burning at 5, the whole period budget spent five times over.
    expect(s.burn_rates.period).toBeCloseTo(5, 9)
    expect(s.error_budget.remaining).toBeCloseTo(-4, 9)
    expect(s.policy.frozen).toBe(true)
    expect(Object.keys(s.burn_rates)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d', 'period'])
    expect(s.alerts.map((a: any) => a.severity)).toEqual(['page', 'page', 'ticket', 'ticket'])
  })

  it('lists every SLO and answers 404 for an unknown name without listing the defined ones', async () => {
    const list = (await (await fetch(`${service.url}/v1/slos`)).json()) as any
    expect(list.slos.map((s: any) => s.name)).toEqual(['booking-availability'])
    const missing = await fetch(`${service.url}/v1/slos/nope`)
    expect(missing.status).toBe(404)
    const body = (await missing.json()) as any
    expect(body.code).toBe('not_found')
    expect(body.error).not.toContain('booking-availability')
  })

  it('serves the newest evaluation within the staleness bound, with its evaluated_at, and evaluates now for max_age_s=0', async () => {
    const first = (await (await fetch(`${service.url}/v1/slos`)).json()) as any
    const again = (await (await fetch(`${service.url}/v1/slos/booking-availability`)).json()) as any
    expect(Date.parse(first.slos[0].evaluated_at)).toBeGreaterThan(0)
    expect(again.evaluated_at).toBe(first.slos[0].evaluated_at)
    const now = (await (await fetch(`${service.url}/v1/slos/booking-availability?max_age_s=0`)).json()) as any
    expect(Date.parse(now.evaluated_at)).toBeGreaterThan(Date.parse(first.slos[0].evaluated_at))
    expect(now.sli).toEqual(first.slos[0].sli)
    const bad = await fetch(`${service.url}/v1/slos?max_age_s=-1`)
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as any).error).toContain('max_age_s')
  })

  it('exports Sloth-compatible series with the sloth labels', async () => {
    await fetch(`${service.url}/v1/slos/booking-availability`)
    const text = await (await fetch(`${service.url}/metrics`)).text()
    expect(text).toContain('slo:objective:ratio{sloth_id="booking-booking-availability",sloth_service="booking",sloth_slo="booking-availability"} 0.99')
    expect(text).toMatch(/slo:sli_error:ratio_rate\{sloth_id="booking-booking-availability",sloth_service="booking",sloth_slo="booking-availability",sloth_window="1w"\} 0\.05/)
    expect(text).toMatch(/highway_slo_frozen\{[^}]*\} 1/)
  })

  it('prints the same status with highway slo show', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'slo', 'show', 'booking-availability', '--url', service.url])
    expect(stdout).toContain('booking/booking-availability: target 99.000% over 1w rolling')
    expect(stdout).toContain('RELEASES FROZEN')
  })

  it('documents both routes with their response schemas in /openapi.json', async () => {
    const doc = (await (await fetch(`${service.url}/openapi.json`)).json()) as any
    const one = doc.paths['/v1/slos/{name}'].get
    expect(Object.keys(one.responses)).toEqual(expect.arrayContaining(['200', '403', '404']))
    expect(JSON.stringify(one.responses['200'])).toContain('error_budget')
    expect(JSON.stringify(doc.paths['/v1/slos'].get.responses['200'])).toContain('evaluated_at')
  })

  it('refuses to start with an invalid SLO directory, naming the file and the path', async () => {
    const bad = join(dirs.dir, 'bad')
    mkdirSync(bad)
    writeFileSync(join(bad, 'broken.yaml'), SPEC.replace('target: 0.99', 'target: 1.5'))
    await expect(startTestService({ slos: bad })).rejects.toThrow(/broken\.yaml: documents\[0\]\.spec\.objectives\[0\]\.target/)
  })
})

describe('an incident of a burning SLO', () => {
  it('gives the share of the error budget consumed since its onset', async () => {
    const startsAt = new Date(Date.now() - 11 * 60_000).toISOString()
    const labels = { alertname: 'SLOErrorBudgetBurnRate', severity: 'page', slo: 'booking-availability' }
    const payload = { version: '4', groupKey: '{}:{alertname="SLOErrorBudgetBurnRate"}', status: 'firing', receiver: 'highway', alerts: [{ status: 'firing', labels, annotations: {}, startsAt, endsAt: '0001-01-01T00:00:00Z' }] }
    expect((await postJson(`${service.url}/v1/alertmanager`, payload)).status).toBe(200)
    const list = (await (await fetch(`${service.url}/v1/incidents?slo=booking-availability`)).json()) as any
    expect(list.incidents).toHaveLength(1)
    const detail = (await (await fetch(`${service.url}/v1/incidents/${list.incidents[0].id}`)).json()) as any
    // 10 errors in 200 against a 1% budget (2 errors) since an onset with none before it: five budgets.
    expect(detail.budget).toEqual([{ slo: 'booking-availability', consumed: expect.closeTo(5, 9) }])
  })
})
