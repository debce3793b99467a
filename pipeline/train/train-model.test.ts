import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig, modelSpecSchema, type ModelSpec } from '../../config/index.ts'
import { createRegistry, type Registry } from '../../registry/index.ts'
import { latestReference, openStore, type Store } from '../../store/index.ts'
import { makeTempDir } from '../../test/support/temp-dir.ts'
import { exportOnnx } from '../onnx/index.ts'
import { findChampion, lineageSchema, parseDataArgument, reproduceVersion, resolveTraining, trainModel, TrainingError, type TrainingEvent } from './index.ts'
import { SYNTHETIC_MODEL, writeSyntheticCsv } from './synthetic.test-support.ts'

const ROOT = new URL('../../', import.meta.url).pathname
const tmp = makeTempDir('train')
let store: Store
let registry: Registry
let models: Map<string, ModelSpec>

const file = (path: string) => parseDataArgument(path, Date.now(), ROOT)

beforeAll(async () => {
  store = await openStore({ mode: 'embedded', dataDir: join(tmp.dir, 'data'), database: 'highway', retentionDays: 90 })
  registry = createRegistry({ store, artifactsDir: join(tmp.dir, 'artifacts') })
  const config = await loadConfig({ file: join(ROOT, 'examples/highway.yaml'), env: {} })
  models = new Map(config.models.map((m) => [m.name, m]))
})
afterAll(async () => {
  await store.close()
  tmp.cleanup()
})

describe('trainModel on the bike-sharing hours (examples/highway.yaml bike-demand)', () => {
  it('trains on 2011, holds out 2012, matches ONNX to the forward pass and registers an eligible version with its lineage', async () => {
    const model = models.get('bike-demand')!
    const training = resolveTraining(model)
    const events: TrainingEvent[] = []
    const report = await trainModel({ model, training, source: file(training.data.path!), store, registry, codeVersion: 'test', onProgress: (e) => events.push(e) })
    expect(report.version).toBe(1)
    // 2012 has 8,734 hourly rows (datasets/bike-sharing/README.md); 2011 the other 8,645.
    expect(report.dataset.rows).toMatchObject({ total: 17379, valid: 17379, holdout: 8734 })
    expect(report.dataset.rows.train! + report.dataset.rows.validation!).toBe(8645)
    expect(report.search.trials).toHaveLength(3)
    expect(events.filter((e) => e.stage === 'search')).toHaveLength(3)
    expect(report.parity.passed).toBe(true)
    expect(report.parity.maxRelDiff).toBeLessThan(1e-5)
    // Better than predicting the training mean, though 2012 grew 63 % over 2011.
    expect(report.metrics.r2).toBeGreaterThan(0.2)
    expect(report.eligible).toBe(true)
    expect(report.gates.map((g) => g.gate)).toEqual(['champion', 'slices', 'invalid_input', 'latency'])
    expect(report.importance?.[0]?.feature).toBe('hr')
    expect(report.slices.find((s) => s.feature === 'weathersit')?.slices.map((s) => s.value)).toContain('3')

    const stored = await registry.requireVersion('bike-demand', 1)
    expect(stored.dataset.version).toBe(report.dataset.version)
    expect(stored.metrics.rmse).toBe(report.metrics.rmse)
    expect(stored.gates.every((g) => g.passed)).toBe(true)
    const lineage = lineageSchema.parse(stored.parameters)
    expect(lineage).toMatchObject({ algorithm: 'ridge', target: 'cnt', source: { kind: 'file' }, split: { method: 'time', holdoutFromMs: Date.UTC(2012, 0, 1) } })
    const runs = await registry.trainingRuns('bike-demand', stored.trainingRunId)
    expect(runs.map((r) => r.parameters.alpha)).toEqual([0.1, 1, 10])
    // The analyzer's reference for the served version is the training set.
    const reference = await latestReference(store, 'bike-demand', '1')
    expect(reference?.referenceId).toBe(stored.referenceId)
    expect(reference?.rows).toBe(8645)
  })

  it('reproduces the recorded version: same dataset version, every holdout metric and the ONNX bytes', async () => {
    const report = await reproduceVersion({ registry, store, model: 'bike-demand', version: 1 })
    expect(report.dataset.matches).toBe(true)
    expect(report.metrics.map((m) => m.metric)).toEqual(expect.arrayContaining(['rmse', 'mae', 'r2']))
    expect(report.metrics.every((m) => m.matches)).toBe(true)
    expect(report.artifact.matches).toBe(true)
    expect(report.matches).toBe(true)
  })

  it('re-scores the champion on the same holdout and registers a worse model as not eligible', async () => {
    const base = models.get('bike-demand')!
    const model = modelSpecSchema.parse({ ...base, analysis: undefined, drift: undefined, training: { ...base.training, search: { space: { alpha: { type: 'choice', values: [1e5] } } } } })
    const report = await trainModel({ model, training: resolveTraining(model), source: file('datasets/bike-sharing/hour.csv'), store, registry, codeVersion: 'test' })
    const v1 = await registry.requireVersion('bike-demand', 1)
    expect(report.champion).toEqual({ version: 1, metrics: expect.objectContaining({ rmse: v1.metrics.rmse }) })
    const champion = report.gates.find((g) => g.gate === 'champion')!
    expect(champion.passed).toBe(false)
    expect(champion.reason).toMatch(/does not beat the champion's/)
    expect(report.eligible).toBe(false)
    const stored = await registry.requireVersion('bike-demand', report.version)
    expect(stored.gates.some((g) => !g.passed)).toBe(true)
    expect(stored.description).toMatch(/^NOT eligible for release: failed gate\(s\) champion/)
    // The failed version never becomes the champion the next training is compared against.
    expect((await findChampion(registry, 'bike-demand'))?.version).toBe(1)
  })
})

describe('trainModel on the SMS spam collection (booking-spam)', () => {
  it('trains TF-IDF + logistic regression end to end and registers an eligible version', async () => {
    const base = models.get('booking-spam')!
    // A smaller vocabulary and one C keep CI time modest; the example config searches more.
    const model = modelSpecSchema.parse({
      ...base,
      analysis: undefined,
      drift: undefined,
      training: { ...base.training, featurize: { text: { minDf: 3, maxFeatures: 400, sublinearTf: true } }, search: { space: { C: { type: 'choice', values: [1] } } } },
    })
    const training = resolveTraining(model)
    const report = await trainModel({ model, training, source: file(training.data.path!), store, registry, codeVersion: 'test' })
    expect(report.dataset.rows.valid).toBe(5574)
    expect(report.search.best.params).toEqual({ C: 1 })
    expect(report.parity.passed).toBe(true)
    expect(report.metrics.roc_auc).toBeGreaterThan(0.95)
    // Stratified: the holdout keeps the 13.4 % spam share.
    expect(report.metrics.positives! / report.metrics.rows!).toBeCloseTo(747 / 5574, 2)
    expect(report.gates.find((g) => g.gate === 'invalid_input')).toMatchObject({ passed: true, figures: { cases: 3, failures: 0 } })
    expect(report.eligible).toBe(true)
    expect((await registry.requireVersion('booking-spam', report.version)).signature).toMatchObject({ task: 'binary_classification', classes: ['ham', 'spam'] })
  })
})

describe('trainModel gates and checks', () => {
  const synthetic = (over: Record<string, unknown> = {}): ModelSpec => modelSpecSchema.parse({ ...SYNTHETIC_MODEL, ...over })

  it('stops at the data quality gates, naming the gate, the feature and the value, and registers nothing', async () => {
    const model = synthetic({ name: 'gaps' })
    const path = writeSyntheticCsv(join(tmp.dir, 'gaps.csv'), { missingX: 0.5 })
    const run = trainModel({ model, training: resolveTraining(model), source: file(path), store, registry, codeVersion: 'test' })
    await expect(run).rejects.toThrow(TrainingError)
    await expect(run).rejects.toThrow(/missing_share of feature x is 0\.\d+ \(share of rows without a value, at most 0\.2\)/)
    expect(await registry.listVersions('gaps')).toEqual([])
  })

  it('blocks a training set that shifted away from the champion’s training set', async () => {
    const model = synthetic({ name: 'shifty' })
    const first = await trainModel({ model, training: resolveTraining(model), source: file(writeSyntheticCsv(join(tmp.dir, 'shifty-1.csv'))), store, registry, codeVersion: 'test' })
    expect(first.eligible).toBe(true)
    const shifted = writeSyntheticCsv(join(tmp.dir, 'shifty-2.csv'), { seed: 2, shift: 5 })
    const error = await trainModel({ model, training: resolveTraining(model), source: file(shifted), store, registry, codeVersion: 'test' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TrainingError)
    expect((error as TrainingError).code).toBe('quality')
    expect((error as Error).message).toMatch(/out_of_range_share of feature x is 1 \(share of rows outside the previous training range/)
    expect((error as Error).message).toMatch(/dataset_drift is 0\.5/)
  })

  it('catches an exported model that does not match the forward pass, and registers nothing', async () => {
    const model = synthetic({ name: 'tampered' })
    const tamper = (o: Parameters<typeof exportOnnx>[0]) => {
      if (o.params.kind !== 'linear') throw new Error('expected a linear model')
      return exportOnnx({ ...o, params: { ...o.params, bias: o.params.bias + 1e-3 } })
    }
    const run = trainModel({ model, training: resolveTraining(model), source: file(writeSyntheticCsv(join(tmp.dir, 'tampered.csv'))), store, registry, codeVersion: 'test', exportModel: tamper })
    await expect(run).rejects.toMatchObject({ code: 'parity', message: expect.stringMatching(/does not match the TypeScript forward pass.*tolerance 0\.00001/) })
    expect(await registry.listVersions('tampered')).toEqual([])
  })
})
