import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, startTestService } from './support/service.ts'

const run = promisify(execFile)
const BIN = new URL('../bin/highway.mjs', import.meta.url).pathname

async function highway(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 60_000 })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

describe('highway command', () => {
  it.each(['start', 'migrate', 'demo', 'drift', 'quality', 'performance'])('prints help for %s and exits 0', async (command) => {
    const out = await highway([command, '--help'])
    expect(out.code).toBe(0)
    expect(out.stdout).toContain(`highway ${command}`)
  })

  it('exits 2 and lists the commands for an unknown one', async () => {
    const out = await highway(['frobnicate'])
    expect(out.code).toBe(2)
    expect(out.stderr).toContain('unknown command "frobnicate"')
    expect(out.stderr).toContain('Commands:')
  })

  it('exits 2 naming the flag when a flag is unknown or a port is not a number', async () => {
    expect((await highway(['start', '--prot', '1'])).stderr).toContain("'--prot'")
    const port = await highway(['start', '--port', 'eighty'])
    expect(port.code).toBe(2)
    expect(port.stderr).toContain('--port must be an integer from 0 to 65535, got "eighty"')
  })

  it('prints ON CLUSTER DDL with Replicated and Distributed tables', async () => {
    const out = await highway(['migrate', '--print', '--cluster', 'ml', '--json'])
    expect(out.code).toBe(0)
    const { statements } = JSON.parse(out.stdout) as { statements: string[] }
    expect(statements.every((s) => s.includes('ON CLUSTER `ml`'))).toBe(true)
    expect(statements.some((s) => s.includes('ENGINE = Distributed(`ml`'))).toBe(true)
  })

  it('names the key, the value and the expectation of a bad config, and exits 2', async () => {
    const out = await highway(['migrate', '--print'], { HIGHWAY_RETENTION_DAYS: 'forever' })
    expect(out.code).toBe(2)
    expect(out.stderr).toMatch(/storage\.retentionDays \(from HIGHWAY_RETENTION_DAYS\): .*got "forever"/)
  })
})

describe('analysis commands against a running service', () => {
  let service: Awaited<ReturnType<typeof startTestService>>
  beforeAll(async () => {
    service = await startTestService({ models: [{ name: 'm', task: 'regression', features: { x: { type: 'number' } } }] })
    const records = Array.from({ length: 200 }, (_, i) => ({ id: `r${i}`, features: { x: i % 50 }, prediction: i }))
    expect((await postJson(`${service.url}/v1/models/m/reference`, { records })).status).toBe(201)
    const current = Array.from({ length: 200 }, (_, i) => ({ id: `c${i}`, features: { x: 100 + (i % 50) }, prediction: i }))
    expect((await postJson(`${service.url}/v1/predictions`, { model: 'm', records: current })).status).toBe(202)
    // The commands read ClickHouse, which a 202 precedes (acknowledge: logged).
    expect(await service.collector.writer.stored()).toBe(true)
    // Without --from/--to the commands show the newest stored result: store one over the records just sent.
    expect((await postJson(`${service.url}/v1/models/m/analysis/run`, { from: Date.now() - 3_600_000, to: Date.now() + 1000 })).status).toBe(200)
  })
  afterAll(async () => {
    await service.stop()
  })

  it('prints the drift API document with --json', async () => {
    const out = await highway(['drift', '--model', 'm', '--url', service.url, '--json'])
    expect(out.code).toBe(0)
    const body = JSON.parse(out.stdout)
    expect(body).toMatchObject({ model: 'm', current: { n: 200 }, dataset: { drifted: true } })
  })

  it('prints a table a person can read without --json', async () => {
    const out = await highway(['drift', '--model', 'm'], { HIGHWAY_URL: service.url })
    expect(out.code).toBe(0)
    expect(out.stdout).toMatch(/^x\s+ks\s+/m)
    expect(out.stdout).toContain('DRIFT')
  })

  it('says what is wrong when the service answers with an error', async () => {
    const out = await highway(['quality', '--model', 'nope', '--url', service.url])
    expect(out.code).toBe(1)
    expect(out.stderr).toContain('404')
    expect(out.stderr).toContain('model "nope" is not configured')
  })

  it('says how to fix it when no service is listening', async () => {
    const out = await highway(['performance', '--model', 'm', '--url', 'http://127.0.0.1:9'])
    expect(out.code).toBe(1)
    expect(out.stderr).toContain('cannot reach Highway at http://127.0.0.1:9')
  })
})
