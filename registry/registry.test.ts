import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimModelVersion, openStore, type Store } from '../store/index.ts'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { createRegistry, RegistryError, sha256Hex, type Registry, type RegistrationInput } from './index.ts'

const tmp = makeTempDir('registry')
let store: Store
let registry: Registry

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../test/fixtures/onnx/${name}`, import.meta.url)))
const meta: RegistrationInput = {
  signature: { task: 'regression', inputs: [{ name: 'x1', type: 'number' }, { name: 'x2', type: 'number' }] },
  dataset: { version: 'bike-2011', rows: { train: 8645, validation: 4000 } },
  codeVersion: 'abc123',
  parameters: { alpha: 1 },
  metrics: { rmse: 0.5 },
  gates: [{ gate: 'better_than_champion', passed: true, reason: 'no champion yet' }],
}

beforeAll(async () => {
  store = await openStore({ mode: 'embedded', dataDir: tmp.dir, database: 'highway', retentionDays: 90 })
  registry = createRegistry({ store, artifactsDir: join(tmp.dir, 'artifacts') })
})
afterAll(async () => {
  await store.close()
  tmp.cleanup()
})

describe('registry versions', () => {
  it('numbers versions 1, 2, … per model and keeps every recorded field', async () => {
    const a = await registry.registerVersion('numbering', fixture('regression.onnx'), meta, { actor: 'trainer-key' })
    const b = await registry.registerVersion('numbering', fixture('regression.onnx'), { ...meta, metrics: { rmse: 0.4 } })
    const other = await registry.registerVersion('numbering-other', fixture('regression.onnx'), meta)
    expect([a.version, b.version, other.version]).toEqual([1, 2, 1])
    const read = await registry.readVersion('numbering', 1)
    expect(read).toMatchObject({
      model: 'numbering',
      version: 1,
      artifact: { sha256: sha256Hex(fixture('regression.onnx')), bytes: fixture('regression.onnx').byteLength },
      dataset: { version: 'bike-2011', rows: { train: 8645, validation: 4000 } },
      codeVersion: 'abc123',
      parameters: { alpha: 1 },
      metrics: { rmse: 0.5 },
      gates: [{ gate: 'better_than_champion', passed: true, reason: 'no champion yet' }],
      signature: { task: 'regression' },
      createdBy: 'trainer-key',
    })
    expect((await registry.listVersions('numbering')).map((v) => v.version)).toEqual([1, 2])
  })

  it('gives concurrent registrations distinct, gap-free numbers', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => registry.registerVersion('race', fixture('regression.onnx'), { ...meta, description: `r${i}` })))
    const versions = results.map((r) => r.version).sort((x, y) => x - y)
    expect(versions).toEqual(Array.from({ length: 12 }, (_, i) => i + 1))
    const stored = await registry.listVersions('race')
    expect(stored.map((v) => v.version)).toEqual(versions)
    // Each number holds the registration that claimed it.
    for (const r of results) expect(stored.find((v) => v.version === r.version)?.description).toBe(r.description)
  })

  it('lets exactly one of two claims of the same number win', async () => {
    const claims = await Promise.all(['a', 'b', 'c'].map((id) => claimModelVersion(store, { model: 'claims', version: 7, claimId: id, atMs: Date.now() })))
    expect(claims.filter(Boolean)).toHaveLength(1)
  })

  it('saves the reference through the hook with the claimed number', async () => {
    const seen: number[] = []
    const v = await registry.registerVersion('with-ref', fixture('regression.onnx'), meta, { saveReference: async (version) => (seen.push(version), `ref-${version}`) })
    expect(seen).toEqual([v.version])
    expect((await registry.readVersion('with-ref', v.version))?.referenceId).toBe(`ref-${v.version}`)
  })

  it('refuses a registration with a bad signature, naming the field', async () => {
    const err = await registry.registerVersion('bad', fixture('regression.onnx'), { ...meta, signature: { task: 'ranking', inputs: [] } as never }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RegistryError)
    expect((err as RegistryError).code).toBe('invalid')
    expect((err as Error).message).toMatch(/signature\.task/)
  })

  it('answers not_found for an unknown version with the versions it has', async () => {
    const err = await registry.requireVersion('numbering', 99).catch((e: unknown) => e)
    expect((err as RegistryError).code).toBe('not_found')
    expect((err as Error).message).toMatch(/registered: 1, 2/)
  })
})

describe('registry artifacts', () => {
  it('returns the exact bytes, stored once per content', async () => {
    const bytes = fixture('binary.onnx')
    const v1 = await registry.registerVersion('art', bytes, { ...meta, signature: { task: 'binary_classification', classes: ['ham', 'spam'], inputs: [{ name: 'height_cm', type: 'number' }] } })
    const v2 = await registry.registerVersion('art', bytes, { ...meta, signature: { task: 'binary_classification', classes: ['ham', 'spam'], inputs: [{ name: 'height_cm', type: 'number' }] } })
    const read = await registry.readArtifact('art', v1.version)
    expect(Buffer.from(read.bytes).equals(Buffer.from(bytes))).toBe(true)
    expect(read.sha256).toBe(sha256Hex(bytes))
    expect(v2.artifact.sha256).toBe(v1.artifact.sha256)
    const dir = dirname(registry.artifacts.pathOf(v1.artifact.sha256))
    expect(readdirSync(dir)).toEqual([v1.artifact.sha256])
  })

  it('detects a corrupted artifact on read', async () => {
    const v = await registry.registerVersion('corrupt', fixture('multiclass.onnx'), { ...meta, signature: { task: 'multiclass_classification', classes: ['red', 'green', 'blue'], inputs: [{ name: 'a', type: 'number' }] } })
    const path = registry.artifacts.pathOf(v.artifact.sha256)
    const bytes = readFileSync(path)
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff
    writeFileSync(path, bytes)
    const err = await registry.readArtifact('corrupt', v.version).catch((e: unknown) => e)
    expect((err as RegistryError).code).toBe('corrupt')
    expect((err as Error).message).toContain(v.artifact.sha256)
    // Registering the intact bytes again repairs the file.
    await registry.registerVersion('corrupt', fixture('multiclass.onnx'), { ...meta, signature: { task: 'multiclass_classification', classes: ['red', 'green', 'blue'], inputs: [{ name: 'a', type: 'number' }] } })
    expect((await registry.readArtifact('corrupt', v.version)).sha256).toBe(v.artifact.sha256)
  })
})

describe('registry aliases', () => {
  it('moves aliases, resolves the newest, keeps the history and removes with 0', async () => {
    for (let i = 0; i < 3; i++) await registry.registerVersion('aliased', fixture('regression.onnx'), meta)
    await registry.setAlias('aliased', 'champion', 1, { actor: 'a' })
    await registry.setAlias('aliased', 'champion', 2, { actor: 'b', reason: 'promotion' })
    await registry.setAlias('aliased', 'challenger', 3, { actor: 'c' })
    expect(await registry.resolveAlias('aliased', 'champion')).toBe(2)
    expect((await registry.aliases('aliased')).map((a) => [a.alias, a.version])).toEqual([
      ['challenger', 3],
      ['champion', 2],
    ])
    const history = await registry.aliasHistory('aliased', 'champion')
    expect(history.map((h) => [h.version, h.previousVersion, h.setBy, h.reason])).toEqual([
      [2, 1, 'b', 'promotion'],
      [1, 0, 'a', 'set'],
    ])
    await registry.setAlias('aliased', 'challenger', 0, { actor: 'c' })
    expect(await registry.resolveAlias('aliased', 'challenger')).toBeUndefined()
  })

  it('refuses an alias to a version that does not exist', async () => {
    const err = await registry.setAlias('aliased', 'champion', 42, { actor: 'a' }).catch((e: unknown) => e)
    expect((err as RegistryError).code).toBe('not_found')
  })
})

describe('training runs', () => {
  it('records trials and replaces a trial recorded again', async () => {
    await registry.recordTrainingRun({ runId: 'run-1', model: 'trained', datasetVersion: 'd1', codeVersion: 'c1', trials: [{ trialIndex: 0, parameters: { C: 1 }, metrics: { auc: 0.8 }, seed: 7 }, { trialIndex: 1, parameters: { C: 10 }, metrics: { auc: 0.82 }, seed: 7 }] })
    await registry.recordTrainingRun({ runId: 'run-1', model: 'trained', datasetVersion: 'd1', codeVersion: 'c1', trials: [{ trialIndex: 1, parameters: { C: 10 }, metrics: { auc: 0.83 }, seed: 7 }] })
    const trials = await registry.trainingRuns('trained', 'run-1')
    expect(trials.map((t) => [t.trialIndex, t.metrics.auc, t.seed, t.datasetVersion])).toEqual([
      [0, 0.8, 7, 'd1'],
      [1, 0.83, 7, 'd1'],
    ])
  })
})

describe('registry recovery after a killed process', () => {
  it('marks failed, with the reason, the numbers and training runs a dead process left, once, and leaves live ones alone', async () => {
    // A real process that has exited: its pid no longer answers, as a `kill -9`ed trainer's does not.
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
    const [code] = (await once(child, 'exit')) as [number | null]
    expect(code).toBe(0)
    const dead = `${hostname()}:${child.pid}`
    const killed = createRegistry({ store, artifactsDir: join(tmp.dir, 'artifacts'), owner: dead })
    const v1 = await killed.registerVersion('recovery', fixture('regression.onnx'), meta)
    await killed.recordTrainingOutcome('recovery', 'run-killed', { state: 'running' })
    // Killed between claiming version 2 and writing it.
    expect(await claimModelVersion(store, { model: 'recovery', version: v1.version + 1, claimId: `${dead}/claim`, atMs: Date.now() })).toBe(true)
    await registry.recordTrainingOutcome('recovery', 'run-alive', { state: 'running' })

    const found = await registry.recoverAbandoned()
    expect(found.claims).toEqual([{ model: 'recovery', version: 2, reason: expect.stringContaining(`claimed by ${dead}`) }])
    expect(found.runs).toEqual([{ model: 'recovery', runId: 'run-killed', reason: expect.stringContaining(`${dead} stopped`) }])
    const outcomes = await registry.trainingOutcomes('recovery')
    expect(Object.fromEntries(outcomes.map((o) => [o.runId, o.state]))).toEqual({ 'run-killed': 'failed', 'run-alive': 'running' })
    expect(await registry.recoverAbandoned()).toEqual({ claims: [], runs: [] })
    // The burnt number stays burnt: the next registration is version 3.
    expect((await registry.registerVersion('recovery', fixture('regression.onnx'), meta)).version).toBe(3)
  })
})
