import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRegistry } from '../registry/index.ts'
import { startTestService } from '../test/support/service.ts'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { gauss, mulberry32 } from '../random/index.ts'
import { SYNTHETIC_MODEL } from '../pipeline/train/synthetic.test-support.ts'

// The retrain step through the real ports (cli/runbook-ports.ts): the labelled-row count in ClickHouse, trainModel
// on a `clickhouse:30d` window of stored predictions and labels, and the reason on the new version's lineage.

const tmp = makeTempDir('runbooks-retrain')
const dir = join(tmp.dir, 'runbooks')
mkdirSync(dir)
const runbook = (name: string, minLabels: number): string => `apiVersion: highway.dev/v1
kind: Runbook
metadata: { name: ${name} }
spec:
  steps:
    - action: retrain
      data: clickhouse:30d
      minLabels: ${minLabels}
      release: false
`
writeFileSync(join(dir, 'retrain.yaml'), runbook('retrain-stored', 200))
writeFileSync(join(dir, 'greedy.yaml'), runbook('retrain-greedy', 100_000))
let svc: Awaited<ReturnType<typeof startTestService>>
const ROWS = 300

beforeAll(async () => {
  svc = await startTestService({ models: [SYNTHETIC_MODEL], runbooks: dir, registry: { artifactsDir: join(tmp.dir, 'artifacts') } }, { components: ['collector', 'serving'] })
  const random = mulberry32(7)
  const now = Date.now()
  const predictions = []
  const labels = []
  for (let i = 0; i < ROWS; i++) {
    const x = random()
    const c = random() < 0.5 ? 'a' : 'b'
    const y = 3 * x + (c === 'b' ? 2 : 0) + 0.1 * gauss(random)
    predictions.push({ id: `p${i}`, ts: now - (ROWS - i) * 60_000, features: { x, c }, prediction: 0, latency_ms: 1 })
    labels.push({ id: `p${i}`, label: y })
  }
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${svc.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect(res.status, await res.clone().text()).toBe(202)
  }
  await post('/v1/predictions', { model: 'synthetic', records: predictions })
  await post('/v1/labels', { model: 'synthetic', records: labels })
  await svc.collector.writer.stored()
})
afterAll(async () => {
  await svc.stop()
  tmp.cleanup()
})

const start = async (name: string) => {
  const res = await fetch(`${svc.url}/v1/runbooks/${name}/run`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'synthetic' }) })
  expect(res.status).toBe(201)
  const { id } = (await res.json()) as { id: string }
  await svc.runbooks!.idle()
  return (await fetch(`${svc.url}/v1/runbooks/runs/${id}`)).json() as Promise<Record<string, any>>
}

describe('the retrain step on stored data', () => {
  it('refuses on fewer labelled predictions than minLabels, counting them in ClickHouse', async () => {
    const run = await start('retrain-greedy')
    expect(run.status).toBe('refused')
    expect(run.reason).toMatch(new RegExp(`only ${ROWS} labelled prediction\\(s\\) of model "synthetic" between .* fewer than minLabels 100000`))
  })

  it('trains on the stored window, registers the version and records the runbook run as the reason on its lineage', async () => {
    const run = await start('retrain-stored')
    expect(run.status, JSON.stringify(run)).toBe('succeeded')
    expect(run.steps[0]).toMatchObject({ action: 'retrain', status: 'succeeded', output: { version: 1, eligible: true, labels: ROWS } })
    const registry = createRegistry({ store: svc.store, artifactsDir: join(tmp.dir, 'artifacts') })
    const v = await registry.requireVersion('synthetic', 1)
    expect(v.description).toContain(`runbook retrain-stored run ${run.id}`)
    expect(v.parameters).toMatchObject({ source: { kind: 'clickhouse' } })
    expect(v.createdBy).toBe('runbook:retrain-stored')
  })
})
