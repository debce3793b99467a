import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { startHighwayProcess, type HighwayProcess } from '../support/highway-process.ts'
import { makeTempDir } from '../support/temp-dir.ts'

// Issue 16, "Releases across kill -9": in 20 kill -9s during releases, two left the champion alias on the new
// version, traffic on it, and the release recorded `aborted` ("traffic is back on the champion") with no
// `promoted` event and no audit entry — the alias moved before the final event, and the restore aborted the
// release without looking at the alias. Here a real release is killed (SIGKILL) right after each of its store
// writes in turn; the real service then restarts on the data dir, and the release, the alias, the audit trail and
// the version that answers must agree — and stay so over a further kill -9 and restart.

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CHILD = fileURLToPath(new URL('./release-crash-child.ts', import.meta.url))
/** A blue/green release writes five times (started, promoting, alias, audit, promoted); 6 lets one complete. */
const KILL_POINTS = [1, 2, 3, 4, 5, 6] as const
const modelOf = (k: number): string => `crash-${k}`

const tmp = makeTempDir('release-kill')
const dataDir = join(tmp.dir, 'data')
const artifactsDir = join(tmp.dir, 'artifacts')
const configPath = join(tmp.dir, 'highway.yaml')
writeFileSync(
  configPath,
  `models:\n${KILL_POINTS.map((k) => `  - name: ${modelOf(k)}\n    task: regression\n    features:\n      x: { type: number }\n`).join('')}registry:\n  artifactsDir: ${JSON.stringify(artifactsDir)}\n`,
)
let service: HighwayProcess | undefined

afterAll(async () => {
  if (service && service.child.exitCode === null && service.child.signalCode === null) {
    service.child.kill('SIGKILL')
    await service.exited
  }
  tmp.cleanup()
})

async function runChild(k: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, artifactsDir, modelOf(k), String(k)], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null]
  return { code, signal, stderr }
}

async function getJson(url: string): Promise<any> {
  const res = await fetch(url)
  expect(res.status, `${url}: ${await res.clone().text()}`).toBe(200)
  return res.json()
}

interface ModelState {
  readonly release: string
  readonly champion: number
  readonly served: number
  readonly audit: readonly string[]
  readonly movedByRelease: number
  readonly running: number
}

/** Reads one model's release, alias, audit trail and answering version, and checks that they agree. */
async function consistentState(url: string, model: string): Promise<ModelState> {
  const { releases } = await getJson(`${url}/v1/models/${model}/releases`)
  const { aliases, history } = await getJson(`${url}/v1/models/${model}/aliases`)
  const { entries } = await getJson(`${url}/v1/audit?model=${model}&component=releases`)
  const predicted = await fetch(`${url}/v1/models/${model}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records: [{ features: { x: 1 } }] }) })
  expect(predicted.status).toBe(200)
  const served = ((await predicted.json()) as { predictions: Array<{ version: number }> }).predictions[0]!.version
  const second = (releases as Array<{ id: string; version: number; state: string }>).find((r) => r.version === 2)!
  const champion = aliases.champion as number
  const movedBy = (history as Array<{ alias: string; note: string; version: number }>).filter((m) => m.alias === 'champion' && m.note === second.id)
  const auditOf = (entries as Array<{ action: string; after: { release?: string } | null }>).filter((e) => e.after?.release === second.id).map((e) => e.action)
  return { release: second.state, champion, served, audit: auditOf, movedByRelease: movedBy.length, running: releases.filter((r: { state: string }) => r.state === 'running').length }
}

/** The release, the alias and the served version agree (the issue's failure), then the audit trail with them. */
function expectConsistent(model: string, s: ModelState): void {
  const where = `${model}: release ${s.release}, champion ${s.champion}, served ${s.served}, alias moves by the release ${s.movedByRelease}, audit [${s.audit.join(', ')}]`
  expect(s.running, where).toBe(0)
  expect(s.served, where).toBe(s.champion)
  expect(s.release === 'promoted' ? { champion: 2, moved: 1 } : { release: s.release, champion: 1, moved: 0 }, where).toEqual(s.release === 'promoted' ? { champion: s.champion, moved: s.movedByRelease } : { release: 'aborted', champion: s.champion, moved: s.movedByRelease })
}

describe('a blue/green release killed (SIGKILL) after any of its writes', () => {
  it('recovers to agreeing release, alias, audit trail and served version, unchanged over a further kill -9', { timeout: 300_000 }, async () => {
    for (const k of KILL_POINTS) {
      const r = await runChild(k)
      expect(r.signal === 'SIGKILL' || r.code === 0, `child ${k}: ${r.code ?? r.signal}\n${r.stderr}`).toBe(true)
    }
    const args = ['--config', configPath, '--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1']
    service = await startHighwayProcess(args, { timeoutMs: 120_000 })
    const first = new Map<string, ModelState>()
    for (const k of KILL_POINTS) first.set(modelOf(k), await consistentState(service.url, modelOf(k)))
    for (const [model, s] of first) expectConsistent(model, s)
    // One audit entry per release outcome, naming the release: `release` when it promoted, `abort` when not.
    for (const [model, s] of first) expect(s.audit, model).toEqual([s.release === 'promoted' ? 'release' : 'abort'])
    // A kill after the alias moved finishes as promoted; one before it aborts; the completed one is promoted.
    expect(first.get(modelOf(1))!.release).toBe('aborted')
    expect(first.get(modelOf(6))!.release).toBe('promoted')
    service.child.kill('SIGKILL')
    await service.exited
    service = await startHighwayProcess(args, { timeoutMs: 120_000 })
    for (const k of KILL_POINTS) expect(await consistentState(service.url, modelOf(k))).toEqual(first.get(modelOf(k)))
  })
})
