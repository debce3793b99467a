import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startService, type RunningService } from '../../cli/service.ts'
import { connectModelRemote, runModelsCommand, runRollbackCommand } from '../../cli/model-commands.ts'
import { hashSecret, type Logger } from '../../server/index.ts'
import { parseConfig } from '../../config/index.ts'
import { MAX_JSON_ARTIFACT_BYTES } from '../../registry/index.ts'
import { exportOnnx } from '../../pipeline/onnx/index.ts'
import { insertPolicyTransition } from '../../store/index.ts'
import { postJson } from '../../test/support/service.ts'
import { makeTempDir } from '../../test/support/temp-dir.ts'
import { waitFor } from '../../test/support/wait-for.ts'

// End to end: a real service (collector + ONNX model server + registry + releases) on 127.0.0.1:0, real chDB,
// real onnxruntime; traffic through POST /v1/models/{m}/predict, logged into `predictions`, judged from there.

const READ = 'reader-secret'
const OPERATE = 'operator-secret'
const ADMIN = 'admin-secret'
const ADMIN_ROLL = 'admin-roll-secret'
const asReader = { authorization: `Bearer ${READ}` }
const asOperator = { authorization: `Bearer ${OPERATE}` }
const asAdmin = { authorization: `Bearer ${ADMIN}` }
/** An admin key limited to the model rx-roll. */
const asRollAdmin = { authorization: `Bearer ${ADMIN_ROLL}` }
const MODELS = ['rx-api', 'rx-good', 'rx-err', 'rx-slow', 'rx-shadow', 'rx-roll', 'rx-freeze', 'rx-gates', 'rx-explain'] as const
const signature = { task: 'regression' as const, inputs: [{ name: 'x', type: 'number' as const }], text: [] }
// Fast: prediction = 2x + 1 through the real exporter; slow.onnx computes the same through 24 MatMuls; failing.onnx fails at run time.
const fast = exportOnnx({ preprocessor: { features: [{ kind: 'numeric', name: 'x', impute: 0, mean: 0, scale: 1 }] }, params: { kind: 'linear', weights: [2], bias: 1 }, signature })
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../test/fixtures/onnx/${name}.onnx`, import.meta.url)))

const tmp = makeTempDir('releases')
let service: RunningService
let url: string
const logs: string[] = []

beforeAll(async () => {
  const config = parseConfig(
    {
      models: MODELS.map((name) => ({ name, task: 'regression', features: { x: { type: 'number' } } })),
      auth: {
        keys: [
          { id: 'reader', sha256: hashSecret(READ), scopes: ['read'] },
          { id: 'operator', sha256: hashSecret(OPERATE), scopes: ['operate', 'ingest'] },
          { id: 'admin', sha256: hashSecret(ADMIN), scopes: ['admin'] },
          { id: 'admin-roll', sha256: hashSecret(ADMIN_ROLL), scopes: ['admin'], models: ['rx-roll'] },
        ],
      },
      server: { host: '127.0.0.1', port: 0 },
      storage: { dataDir: tmp.dir },
      registry: { artifactsDir: join(tmp.dir, 'artifacts') },
    },
    { source: 'test config' },
  )
  const keep = (level: string) => (message: string, fields?: Record<string, unknown>) => logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`)
  const logger: Logger = { info: keep('info'), warn: keep('warn'), error: keep('error') }
  service = await startService({ config, components: ['collector', 'serving'], logger, version: 'test' })
  url = service.url
})
afterAll(async () => {
  await service?.close()
  tmp.cleanup()
})

async function register(model: string, onnx: Uint8Array, extra: Record<string, unknown> = {}): Promise<number> {
  const r = await postJson(`${url}/v1/models/${model}/versions`, { onnx: Buffer.from(onnx).toString('base64'), signature, ...extra }, asOperator)
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  return r.body.version as number
}

async function get(path: string, headers: Record<string, string> = asReader): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${url}${path}`, { headers })
  const text = await res.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // binary or text
  }
  return { status: res.status, body, headers: res.headers }
}

interface Answer {
  readonly x: number
  readonly status: number
  readonly body: any
}

/**
 * Steady traffic until stopped (random UUID request ids: the server's FNV-1a bucket of sequential ids correlates
 * with their last digits, which would tie the canary split to x); every answer is kept. `predict`: two clients, one record per request.
 * `batch`: one client sending Open Inference Protocol requests of `rows` rows, each routed as a whole by its id:
 * a slow version's cost then shows in its own latency, not in the stable version's (no queueing behind it).
 */
function traffic(model: string, mode: { kind: 'predict' } | { kind: 'batch'; rows: number } = { kind: 'predict' }): { answers: Answer[]; stop(): Promise<void> } {
  const answers: Answer[] = []
  let stopped = false
  let n = 0
  const client = async (): Promise<void> => {
    while (!stopped) {
      const i = n++
      const x = (i % 50) / 10
      if (mode.kind === 'predict') {
        const r = await postJson(`${url}/v1/models/${model}/predict`, { records: [{ id: randomUUID(), features: { x } }] }, asOperator)
        answers.push({ x, status: r.status, body: r.body })
      } else {
        const data = Array.from({ length: mode.rows }, (_, k) => ((i + k) % 50) / 10)
        const r = await postJson(`${url}/v2/models/${model}/infer`, { id: randomUUID(), inputs: [{ name: 'x', shape: [mode.rows, 1], datatype: 'FP64', data }] }, asOperator)
        answers.push({ x, status: r.status, body: r.body })
      }
      // Pacing, not synchronisation: keeps the two cores for the service.
      await new Promise((resolve) => setTimeout(resolve, 4))
    }
  }
  const running = Promise.all(mode.kind === 'predict' ? [client(), client()] : [client()])
  return {
    answers,
    async stop() {
      stopped = true
      await running
    },
  }
}

async function release(model: string, body: Record<string, unknown>): Promise<any> {
  const r = await postJson(`${url}/v1/models/${model}/releases`, body, asOperator)
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  return r.body
}

async function finalRelease(model: string, id: string, timeoutMs = 30_000): Promise<any> {
  return waitFor(
    `release ${id} of ${model} to end`,
    async () => {
      const r = await get(`/v1/models/${model}/releases/${id}`)
      return r.body.state !== 'running' ? r.body : undefined
    },
    { timeoutMs, intervalMs: 100 },
  )
}

const QUICK = { intervalSeconds: 1, failureThreshold: 2, steps: [50, 100] }

/** The release ended in a rollback right after its `threshold`-th judged analysis, every judged analysis a failure. */
function expectRolledBackAtThreshold(events: Array<{ event: string; detail?: { verdict?: string } }>, threshold: number): void {
  const trail = events.map((e) => (e.event === 'analysis' ? `analysis:${e.detail?.verdict}` : e.event))
  const judged = events.filter((e) => e.event === 'analysis' && e.detail?.verdict !== 'inconclusive').map((e) => e.detail?.verdict)
  expect(judged, JSON.stringify(trail)).toEqual(new Array<string>(threshold).fill('fail'))
  const lastAnalysis = trail.findLastIndex((t) => t.startsWith('analysis:'))
  expect(trail[lastAnalysis], JSON.stringify(trail)).toBe('analysis:fail')
  expect(trail.slice(lastAnalysis + 1), JSON.stringify(trail)).toContain('rolled_back')
}

describe('registry API', () => {
  it('registers, lists and shows versions with everything recorded', async () => {
    const v1 = await register('rx-api', fast, { dataset: { version: 'd1', rows: { train: 100 } }, codeVersion: 'c0ffee', metrics: { rmse: 0.1 }, gates: [{ gate: 'latency', passed: true }] })
    const v2 = await register('rx-api', fixture('slow'))
    expect([v1, v2]).toEqual([1, 2])
    const list = await get('/v1/models/rx-api/versions')
    expect(list.status).toBe(200)
    expect(list.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2])
    expect(list.body.versions[0]).toMatchObject({ model: 'rx-api', version: 1, dataset: { version: 'd1', rows: { train: 100 } }, codeVersion: 'c0ffee', gatesPassed: true, createdBy: 'operator', task: 'regression' })
    const one = await get('/v1/models/rx-api/versions/1')
    expect(one.body).toMatchObject({ signature, gates: [{ gate: 'latency', passed: true }], metrics: { rmse: 0.1 }, artifact: { bytes: fast.byteLength } })
  })

  it('serves the artifact bytes with the sha256 as ETag, and 304 when unchanged', async () => {
    const res = await fetch(`${url}/v1/models/rx-api/versions/2/artifact`, { headers: asReader })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/octet-stream')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(Buffer.from(bytes).equals(Buffer.from(fixture('slow')))).toBe(true)
    const etag = res.headers.get('etag')!
    const { body } = await get('/v1/models/rx-api/versions/2')
    expect(etag).toBe(`"${body.artifact.sha256}"`)
    const again = await fetch(`${url}/v1/models/rx-api/versions/2/artifact`, { headers: { ...asReader, 'if-none-match': etag } })
    expect(again.status).toBe(304)
  })

  it('answers unknown models and versions with 404, bad versions with 400, and writes without operate with 403', async () => {
    expect(await get('/v1/models/nobody/versions')).toMatchObject({ status: 404, body: { error: expect.stringContaining('no registered version') } })
    expect(await get('/v1/models/rx-api/versions/9')).toMatchObject({ status: 404, body: { error: expect.stringContaining('registered: 1, 2') } })
    expect(await get('/v1/models/rx-api/versions/9/artifact')).toMatchObject({ status: 404 })
    expect(await get('/v1/models/rx-api/versions/abc')).toMatchObject({ status: 400, body: { error: expect.stringContaining('positive integer') } })
    const denied = await postJson(`${url}/v1/models/rx-api/versions`, { onnx: 'AA==', signature }, asReader)
    expect(denied.status).toBe(403)
    const bad = await postJson(`${url}/v1/models/rx-api/versions`, { onnx: 'AA==', signature: { task: 'ranking', inputs: [] } }, asOperator)
    expect(bad).toMatchObject({ status: 400, body: { error: expect.stringContaining('signature.task') } })
  })

  it('refuses bad release requests clearly', async () => {
    expect(await postJson(`${url}/v1/models/rx-api/releases`, { version: 1, strategy: 'big-bang' }, asOperator)).toMatchObject({ status: 400, body: { error: expect.stringContaining('strategy') } })
    expect(await postJson(`${url}/v1/models/rx-api/releases`, { version: 7, strategy: 'canary' }, asOperator)).toMatchObject({ status: 404 })
    expect(await postJson(`${url}/v1/models/rx-api/releases`, { version: 2, strategy: 'canary' }, asOperator)).toMatchObject({ status: 409, body: { error: expect.stringContaining('no champion') } })
    expect(await postJson(`${url}/v1/models/rx-api/releases`, { version: 2, strategy: 'canary', steps: [50, 25] }, asOperator)).toMatchObject({ status: 400, body: { error: expect.stringContaining('steps') } })
  })

  it('serves per-prediction contributions for a registered linear version', async () => {
    const preprocessor = { features: [{ kind: 'numeric', name: 'x', impute: 0, mean: 1, scale: 2 }] }
    const params = { kind: 'linear', weights: [4], bias: 3 }
    const onnx = exportOnnx({ preprocessor: preprocessor as never, params: params as never, signature })
    const v = await register('rx-explain', onnx, { preprocessor, params })
    await release('rx-explain', { version: v, strategy: 'bluegreen' })
    const r = await postJson(`${url}/v1/models/rx-explain/predict`, { records: [{ id: 'e1', features: { x: 5 } }], explain: true }, asOperator)
    // (5 − 1) / 2 = 2 standardised; prediction 4 × 2 + 3 = 11, of which x contributes 8.
    expect(r).toMatchObject({ status: 200, body: { predictions: [{ id: 'e1', version: v, prediction: 11, contributions: { x: 8 } }] } })
  })

  it('refuses traffic to a version that failed its release gates, but lets it run in shadow or ship as a fix', async () => {
    const failed = await register('rx-gates', fast, { gates: [{ gate: 'latency', passed: true }, { gate: 'champion', passed: false }] })
    const refused = await postJson(`${url}/v1/models/rx-gates/releases`, { version: failed, strategy: 'bluegreen' }, asOperator)
    expect(refused).toMatchObject({ status: 409, body: { error: expect.stringContaining('failed its release gate(s) champion') } })
    const fix = await release('rx-gates', { version: failed, strategy: 'bluegreen', fix: true })
    expect(fix).toMatchObject({ version: failed, strategy: 'bluegreen' })
  })
})

describe('canary releases', () => {
  it('promotes a good version after every step passes', async () => {
    await register('rx-good', fast)
    await release('rx-good', { version: 1, strategy: 'bluegreen' })
    const load = traffic('rx-good')
    try {
      await register('rx-good', fast, { description: 'retrained, same behaviour' })
      // Judged from 100 requests per step; one noisy analysis on this shared machine is tolerated (threshold 3).
      const started = await release('rx-good', { version: 2, strategy: 'canary', ...QUICK, failureThreshold: 3, analysis: { minRequests: 100 } })
      expect(started).toMatchObject({ state: 'running', strategy: 'canary', version: 2, stableVersion: 1, weightPercent: 50 })
      const done = await finalRelease('rx-good', started.id)
      const analyses = done.events.filter((e: { event: string }) => e.event === 'analysis')
      expect(done.state, JSON.stringify(analyses.map((a: { detail: unknown }) => a.detail))).toBe('promoted')
      expect(done.events.map((e: { event: string }) => e.event)).toEqual(expect.arrayContaining(['started', 'step', 'analysis', 'promoted']))
      expect(analyses.at(-1).detail.checks.map((c: { check: string }) => c.check)).toEqual(['error_rate', 'latency_p99', 'prediction_drift', 'accuracy'])
      const versions = await get('/v1/models/rx-good/versions')
      expect(versions.body.aliases.champion).toBe(2)
      expect(service.serving!.routing('rx-good')).toEqual({ stable: 2 })
    } finally {
      await load.stop()
    }
  })

  it('rolls back a version that errors within threshold × interval', async () => {
    await register('rx-err', fast)
    await release('rx-err', { version: 1, strategy: 'bluegreen' })
    const load = traffic('rx-err')
    try {
      await waitFor('stable traffic logged', async () => (await get('/v1/models/rx-err')).body.predictions > 20)
      await register('rx-err', fixture('failing'))
      const started = await release('rx-err', { version: 2, strategy: 'canary', ...QUICK })
      const done = await finalRelease('rx-err', started.id)
      expect(done.state).toBe('rolled_back')
      // Within threshold × interval: the analyses run once per interval, and the rollback follows the second
      // judged analysis (threshold 2) at once — counted in analysis rounds, not wall time, which a loaded CI stretches.
      expectRolledBackAtThreshold(done.events, 2)
      const failing = done.events.filter((e: { event: string }) => e.event === 'analysis').flatMap((e: { detail: { checks: Array<{ check: string; status: string }> } }) => e.detail.checks.filter((c) => c.status !== 'pass' && c.status !== 'skipped').map((c) => c.check))
      expect(failing).toContain('error_rate')
      expect((await get('/v1/models/rx-err/versions')).body.aliases.champion).toBe(1)
      expect(service.serving!.routing('rx-err')).toEqual({ stable: 1 })
    } finally {
      await load.stop()
    }
  })

  it('rolls back a version that answers 10× slower', async () => {
    await register('rx-slow', fast)
    await release('rx-slow', { version: 1, strategy: 'bluegreen' })
    const load = traffic('rx-slow', { kind: 'batch', rows: 512 })
    try {
      await waitFor('stable traffic logged', async () => (await get('/v1/models/rx-slow')).body.predictions > 20)
      await register('rx-slow', fixture('slow'))
      const started = await release('rx-slow', { version: 2, strategy: 'canary', ...QUICK, analysis: { minRequests: 10 } })
      const done = await finalRelease('rx-slow', started.id)
      type Analysis = { at: string; detail: { verdict: string; checks: Array<{ check: string; status: string; canary: number; baseline: number }> } }
      const analyses = done.events.filter((e: { event: string }) => e.event === 'analysis') as Analysis[]
      expect(done.state, JSON.stringify(analyses.map((a) => a.detail))).toBe('rolled_back')
      // Every failed analysis failed on latency (the only difference between the two versions: same outputs, no errors).
      const failed = analyses.filter((a) => a.detail.verdict === 'fail')
      expect(failed).toHaveLength(2)
      const latency = failed.map((a) => a.detail.checks.find((c) => c.check === 'latency_p99')!)
      expect(latency.map((c) => c.status), JSON.stringify(latency)).toEqual(['fail', 'fail'])
      // Judged as soon as its traffic was visible, rolled back at the threshold-th judged analysis round.
      expectRolledBackAtThreshold(done.events, 2)
      const firstJudged = analyses.find((a) => a.detail.verdict !== 'inconclusive')!
      const took = Date.parse(done.updatedAt) - Date.parse(firstJudged.at) + 1000
      expect((await get('/v1/models/rx-slow/versions')).body.aliases.champion).toBe(1)
      process.stdout.write(`slow canary p99 against stable p99 (ms): ${latency.map((c) => `${c.canary}/${c.baseline}`).join(', ')}; rolled back ${took} ms after traffic was first judged (analysis interval included)\n`)
    } finally {
      await load.stop()
    }
  })
})

describe('shadow releases', () => {
  it('never changes a response, and stops mirroring a shadow that fails', async () => {
    await register('rx-shadow', fast)
    await release('rx-shadow', { version: 1, strategy: 'bluegreen' })
    await register('rx-shadow', fixture('failing'))
    const load = traffic('rx-shadow')
    let done: any
    try {
      const started = await release('rx-shadow', { version: 2, strategy: 'shadow', intervalSeconds: 1, failureThreshold: 2 })
      expect(started).toMatchObject({ strategy: 'shadow', weightPercent: 100 })
      done = await finalRelease('rx-shadow', started.id)
    } finally {
      await load.stop()
    }
    expect(done.state).toBe('rolled_back')
    expect(load.answers.length).toBeGreaterThan(50)
    for (const a of load.answers) {
      expect(a.status).toBe(200)
      expect(a.body.predictions[0]).toMatchObject({ version: 1, prediction: 2 * a.x + 1 })
    }
    // The shadow did run: its failures were logged under its own version.
    const shadowed = await service.store.queryRows<{ n: number }>(`SELECT count() AS n FROM highway.predictions WHERE model = 'rx-shadow' AND version = '2' AND status = 'error'`)
    expect(Number(shadowed[0]?.n)).toBeGreaterThan(0)
    expect(service.serving!.routing('rx-shadow')).toEqual({ stable: 1 })
  })
})

describe('rollback', () => {
  it('goes back to the previous good version, and a repeat is a no-op that says so', async () => {
    await register('rx-roll', fast)
    await register('rx-roll', fast, { description: 'v2' })
    await release('rx-roll', { version: 1, strategy: 'bluegreen' })
    await release('rx-roll', { version: 2, strategy: 'bluegreen' })
    expect(service.serving!.loaded('rx-roll')).toEqual([1, 2])
    const first = await postJson(`${url}/v1/models/rx-roll/rollback`, {}, asOperator)
    expect(first).toMatchObject({ status: 200, body: { outcome: 'done', from: 2, to: 1 } })
    expect(service.serving!.routing('rx-roll')).toEqual({ stable: 1 })
    const again = await postJson(`${url}/v1/models/rx-roll/rollback`, {}, asOperator)
    expect(again).toMatchObject({ status: 200, body: { outcome: 'noop', from: 1, to: 1, message: expect.stringContaining('already rolled back') } })
    expect(await postJson(`${url}/v1/models/rx-roll/rollback`, { to: 1 }, asOperator)).toMatchObject({ status: 200, body: { outcome: 'noop' } })
    expect(await postJson(`${url}/v1/models/rx-roll/rollback`, { to: 9 }, asOperator)).toMatchObject({ status: 404 })
    expect((await get('/v1/models/rx-roll/versions')).body.aliases.champion).toBe(1)
    const audit = await get('/v1/audit?model=rx-roll&action=rollback', asAdmin)
    expect(audit.body.entries.map((e: { outcome: string; actor: string }) => `${e.outcome}:${e.actor}`)).toEqual(['refused:operator', 'noop:operator', 'noop:operator', 'done:operator'])
    expect(audit.body.entries.at(-1)).toMatchObject({ before: { champion: 2 }, after: { champion: 1 } })
    const releases = await get('/v1/models/rx-roll/releases')
    expect(releases.body.releases[0]).toMatchObject({ version: 2, strategy: 'bluegreen', state: 'rolled_back' })
  })

  it('refuses when there is nothing to roll back to', async () => {
    expect(await postJson(`${url}/v1/models/rx-freeze/rollback`, {}, asOperator)).toMatchObject({ status: 409, body: { error: expect.stringContaining('no champion') } })
    await register('rx-freeze', fast)
    await release('rx-freeze', { version: 1, strategy: 'bluegreen' })
    expect(await postJson(`${url}/v1/models/rx-freeze/rollback`, {}, asOperator)).toMatchObject({ status: 409, body: { error: expect.stringContaining('no good champion before version 1') } })
    expect((await postJson(`${url}/v1/models/rx-freeze/rollback`, {}, asReader)).status).toBe(403)
  })

  it('works from the CLI against the running service', async () => {
    const remote = connectModelRemote({ url, apiKey: OPERATE, env: {} })
    expect(await runRollbackCommand(remote, { model: 'rx-roll', json: false })).toMatch(/^nothing to do: .*already rolled back to version 1/)
    const shown = await runModelsCommand(remote, { sub: 'show', model: 'rx-roll', json: false })
    expect(shown).toMatch(/champion → v1/)
    expect(shown).toMatch(/bluegreen\s+2\s+1\s+rolled_back/)
    const listed = JSON.parse(await runModelsCommand(remote, { sub: 'list', json: true })) as { models: Array<{ name: string; versions: number; aliases: Record<string, number> }> }
    expect(listed.models.find((m) => m.name === 'rx-roll')).toMatchObject({ versions: 2, aliases: { champion: 1 } })
  })
})

describe('registry API: scopes, configured models and uploads', () => {
  it('keeps the audit trail for admin keys, and a key limited to models sees only their entries', async () => {
    expect((await get('/v1/audit', asReader)).status).toBe(403)
    expect((await get('/v1/audit', asOperator)).status).toBe(403)
    const all = await get('/v1/audit', asAdmin)
    expect(all.status).toBe(200)
    expect(new Set(all.body.entries.map((e: { model: string }) => e.model)).size).toBeGreaterThan(1)
    const limited = await get('/v1/audit', asRollAdmin)
    expect(limited.status).toBe(200)
    expect(limited.body.entries.length).toBeGreaterThan(0)
    expect(limited.body.entries.every((e: { model: string }) => e.model === 'rx-roll')).toBe(true)
    expect(await get('/v1/audit?model=rx-api', asRollAdmin)).toMatchObject({ status: 403, body: { error: expect.stringContaining('rx-api') } })
  })

  it('filters the audit trail by actor, action and time', async () => {
    const before = Date.now()
    await register('rx-api', fast, { description: 'audited' })
    const mine = await get(`/v1/audit?actor=operator&action=register&from=${before}`, asAdmin)
    expect(mine.body.entries.length).toBe(1)
    expect(mine.body.entries[0]).toMatchObject({ actor: 'operator', action: 'register', model: 'rx-api' })
    expect((await get(`/v1/audit?action=register&to=${new Date(before).toISOString()}`, asAdmin)).body.entries.every((e: { at: string }) => Date.parse(e.at) < before)).toBe(true)
    expect(await get('/v1/audit?from=yesterday', asAdmin)).toMatchObject({ status: 400, body: { error: expect.stringContaining('query.from') } })
  })

  it('refuses to register, release, roll back or alias a model that is not configured, naming it', async () => {
    const registered = await postJson(`${url}/v1/models/rx-ghost/versions`, { onnx: Buffer.from(fast).toString('base64'), signature }, asOperator)
    expect(registered).toMatchObject({ status: 404, body: { error: expect.stringContaining('"rx-ghost" is not configured') } })
    expect(await postJson(`${url}/v1/models/rx-ghost/releases`, { version: 1, strategy: 'bluegreen' }, asOperator)).toMatchObject({ status: 404, body: { error: expect.stringContaining('not configured') } })
    expect(await postJson(`${url}/v1/models/rx-ghost/rollback`, {}, asOperator)).toMatchObject({ status: 404, body: { error: expect.stringContaining('not configured') } })
    const aliased = await fetch(`${url}/v1/models/rx-ghost/aliases/staging`, { method: 'PUT', headers: { ...asOperator, 'content-type': 'application/json' }, body: JSON.stringify({ version: 1 }) })
    expect(aliased.status).toBe(404)
    expect(await get('/v1/models/rx-ghost/versions')).toMatchObject({ status: 404 })
  })

  it('accepts the ONNX bytes as application/octet-stream with the metadata in a header', async () => {
    const metadata = Buffer.from(JSON.stringify({ signature, description: 'binary upload' })).toString('base64')
    const res = await fetch(`${url}/v1/models/rx-api/versions`, { method: 'POST', headers: { ...asOperator, 'content-type': 'application/octet-stream', 'x-highway-registration': metadata }, body: Buffer.from(fast) })
    expect(res.status).toBe(201)
    const v = (await res.json()) as { version: number; artifact: { bytes: number }; description: string }
    expect(v).toMatchObject({ artifact: { bytes: fast.byteLength }, description: 'binary upload' })
    const bytes = new Uint8Array(await (await fetch(`${url}/v1/models/rx-api/versions/${v.version}/artifact`, { headers: asReader })).arrayBuffer())
    expect(Buffer.from(bytes).equals(Buffer.from(fast))).toBe(true)
    const missing = await fetch(`${url}/v1/models/rx-api/versions`, { method: 'POST', headers: { ...asOperator, 'content-type': 'application/octet-stream' }, body: Buffer.from(fast) })
    expect(missing.status).toBe(400)
    expect(await missing.text()).toContain('x-highway-registration')
    const badMeta = await fetch(`${url}/v1/models/rx-api/versions`, {
      method: 'POST',
      headers: { ...asOperator, 'content-type': 'application/octet-stream', 'x-highway-registration': Buffer.from(JSON.stringify({ signature: { task: 'ranking' } })).toString('base64') },
      body: Buffer.from(fast),
    })
    expect(badMeta.status).toBe(400)
    expect(await badMeta.text()).toContain('signature.task')
  })

  it('bounds artifacts sent inside JSON, pointing at the binary form', async () => {
    const big = Buffer.alloc(MAX_JSON_ARTIFACT_BYTES + 1).toString('base64')
    const r = await postJson(`${url}/v1/models/rx-api/versions`, { onnx: big, signature }, asOperator)
    expect(r).toMatchObject({ status: 413, body: { error: expect.stringContaining('application/octet-stream') } })
  })
})

describe('error budget freeze', () => {
  it('refuses new releases while frozen, except fixes and rollbacks', async () => {
    await register('rx-freeze', fast, { description: 'v2' })
    await insertPolicyTransition(service.store, { slo: 'rx-freeze-availability', model: 'rx-freeze', frozen: true, reason: 'error budget exhausted', remaining: -0.2, atMs: Date.now() })
    const refused = await postJson(`${url}/v1/models/rx-freeze/releases`, { version: 2, strategy: 'bluegreen' }, asOperator)
    expect(refused).toMatchObject({ status: 409, body: { error: expect.stringContaining('error budget exhausted') } })
    await release('rx-freeze', { version: 2, strategy: 'bluegreen', fix: true })
    expect((await get('/v1/models/rx-freeze/versions')).body.aliases.champion).toBe(2)
    expect(await postJson(`${url}/v1/models/rx-freeze/rollback`, {}, asOperator)).toMatchObject({ status: 200, body: { outcome: 'done', to: 1 } })
    const audit = await get('/v1/audit?model=rx-freeze&action=release', asAdmin)
    expect(audit.body.entries.map((e: { outcome: string }) => e.outcome)).toEqual(['done', 'refused', 'done'])
  })
})

it('answered no request with an unexpected (500) failure', () => {
  expect(logs.filter((l) => l.startsWith('error unhandled'))).toEqual([])
})
