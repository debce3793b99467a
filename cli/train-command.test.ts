import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { SYNTHETIC_MODEL, writeSyntheticCsv } from '../pipeline/train/synthetic.test-support.ts'
import { startHighwayProcess, type HighwayProcess } from '../test/support/highway-process.ts'
import { makeTempDir } from '../test/support/temp-dir.ts'

const run = promisify(execFile)
const BIN = new URL('../bin/highway.mjs', import.meta.url).pathname
const tmp = makeTempDir('train-cli')
afterAll(() => tmp.cleanup())

/** The environment without HIGHWAY_* and CLICKHOUSE_* variables, so only the config configures the child. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HIGHWAY_') && !k.startsWith('CLICKHOUSE_')) env[k] = v
  return env
}

async function highway(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: cleanEnv(), cwd: tmp.dir, timeout: 120_000 })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

const config = join(tmp.dir, 'highway.yaml')
writeFileSync(config, stringify({ storage: { dataDir: join(tmp.dir, 'data') }, registry: { artifactsDir: join(tmp.dir, 'artifacts') }, models: [{ ...SYNTHETIC_MODEL, training: { ...SYNTHETIC_MODEL.training, target: 'nothing' } }] }))
const data = writeSyntheticCsv(join(tmp.dir, 'rows.csv'))

describe('highway train', () => {
  it('trains from a file with --target overriding the config and prints one JSON document', async () => {
    const out = await highway(['train', '--model', 'synthetic', '--data', 'rows.csv', '--target', 'y', '--config', config, '--json'])
    expect(out.stderr).toBe('') // progress goes to a terminal only
    expect(out.code).toBe(0)
    const report = JSON.parse(out.stdout) as Record<string, unknown>
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['ok', 'model', 'version', 'eligible', 'artifact', 'dataset', 'quality', 'search', 'metrics', 'slices', 'parity', 'latency', 'champion', 'gates', 'importance', 'referenceId', 'timingsMs']),
    )
    expect(report).toMatchObject({ ok: true, model: 'synthetic', version: 1, eligible: true, dataset: { source: data, rows: { total: 400, valid: 400 } }, parity: { passed: true }, champion: null })
    expect((report.metrics as Record<string, number>).r2).toBeGreaterThan(0.95)
  })

  it('reproduces a recorded version and exits 1 once its data file changed', async () => {
    const same = await highway(['train', '--reproduce', 'synthetic', '1', '--config', config, '--json'])
    expect(same.code).toBe(0)
    const report = JSON.parse(same.stdout) as { matches: boolean; metrics: Array<{ metric: string; matches: boolean }>; artifact: { matches: boolean } }
    expect(report.matches).toBe(true)
    expect(report.metrics.map((m) => m.metric)).toEqual(expect.arrayContaining(['rmse', 'mae', 'r2']))
    expect(report.artifact.matches).toBe(true)

    writeSyntheticCsv(data, { seed: 9 })
    const changed = await highway(['train', '--reproduce', 'synthetic', '1', '--config', config])
    expect(changed.code).toBe(1)
    expect(changed.stdout).toMatch(/dataset\s+DIFFERS/)
    expect(changed.stdout).toMatch(/NOT reproduced/)
  })

  it('exits 2 naming the syntax of a bad --data window, and naming a missing target', async () => {
    const window = await highway(['train', '--model', 'synthetic', '--data', 'clickhouse:yesterday', '--config', config])
    expect(window.code).toBe(2)
    expect(window.stderr).toContain('expected clickhouse:30d, clickhouse:FROM..TO')
    const target = await highway(['train', '--model', 'synthetic', '--data', 'rows.csv', '--config', config, '--json'])
    expect(target.code).toBe(1)
    expect(JSON.parse(target.stdout)).toMatchObject({ ok: false, stage: 'data', error: expect.stringContaining('has no column "nothing"') })
  })
})

describe('highway train beside a running service', () => {
  const besideDir = join(tmp.dir, 'beside')
  const besideConfig = join(tmp.dir, 'beside.yaml')
  writeFileSync(besideConfig, stringify({ storage: { dataDir: join(besideDir, 'data') }, registry: { artifactsDir: join(besideDir, 'artifacts') }, models: [SYNTHETIC_MODEL] }))
  let service: HighwayProcess | undefined
  afterAll(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGKILL')
      await service.exited
    }
  })

  it('says the data directory is locked and how to train through the service, then registers through it with --url', { timeout: 240_000 }, async () => {
    service = await startHighwayProcess(['--config', besideConfig, '--port', '0'], { timeoutMs: 120_000 })
    const locked = await highway(['train', '--model', 'synthetic', '--data', 'rows.csv', '--config', besideConfig])
    expect(locked.code).toBe(2)
    expect(locked.stderr).toMatch(/is in use by another process.*--url/s)
    const out = await highway(['train', '--model', 'synthetic', '--data', 'rows.csv', '--config', besideConfig, '--url', service.url, '--json'])
    expect(out.code, out.stderr).toBe(0)
    const report = JSON.parse(out.stdout) as { version: number; eligible: boolean; referenceId: string; search: { runId: string } }
    expect(report).toMatchObject({ version: 1, eligible: true })
    expect(report.referenceId).not.toBe('')
    const version = (await (await fetch(`${service.url}/v1/models/synthetic/versions/1`)).json()) as { referenceId: string; trainingRunId: string; parameters: { profileSha256: string } }
    expect(version).toMatchObject({ referenceId: report.referenceId, trainingRunId: report.search.runId })
    // The training profile was stored with the version: the next run's shift gates can read it.
    expect((await fetch(`${service.url}/v1/models/synthetic/artifacts/${version.parameters.profileSha256}`)).status).toBe(200)
    const runs = (await (await fetch(`${service.url}/v1/models/synthetic/training-runs`)).json()) as { trials: unknown[]; outcomes: Array<{ runId: string; state: string; version: number }> }
    expect(runs.trials).toHaveLength(2)
    expect(runs.outcomes).toEqual([expect.objectContaining({ runId: report.search.runId, state: 'done', version: 1 })])
    // A second run compares with the first as its champion, through the same API.
    const again = await highway(['train', '--model', 'synthetic', '--data', 'rows.csv', '--config', besideConfig, '--url', service.url, '--json'])
    expect(again.code, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ version: 2 })
  })
})
