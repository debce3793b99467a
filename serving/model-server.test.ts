import { afterEach, describe, expect, it } from 'vitest'
import { Registry } from 'prom-client'
import { AppError } from '../server/index.ts'
import { fixtureManifest, fixtureVersion } from './fixtures.ts'
import { ServingMetrics } from './metrics.ts'
import { ModelServer } from './model-server.ts'
import type { PredictionLog, PredictionLogRecord } from './prediction-log.ts'
import { waitFor } from '../test/support/wait-for.ts'

/** A prediction log that keeps what it is given (an in-memory implementation of the port, for unit tests). */
function memoryLog(): PredictionLog & { records: Array<PredictionLogRecord & { model: string }> } {
  const records: Array<PredictionLogRecord & { model: string }> = []
  return {
    records,
    log: (model, rs) => {
      for (const r of rs) records.push({ ...r, model })
    },
    flush: async () => undefined,
    close: async () => undefined,
  }
}

const servers: ModelServer[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close()
})
function newServer(options: ConstructorParameters<typeof ModelServer>[0] = {}): ModelServer {
  const s = new ModelServer(options)
  servers.push(s)
  return s
}

async function appError(promise: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof promise === 'function' ? promise() : promise)
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    return err as AppError
  }
  throw new Error('expected an AppError')
}

describe('ModelServer', () => {
  it.each(['regression', 'binary', 'multiclass'] as const)('predicts what NumPy computed for the %s fixture', async (name) => {
    const server = newServer()
    await server.load(fixtureVersion(name, name, 1))
    const { cases } = fixtureManifest(name)
    const predictions = await server.predict(
      name,
      cases.map((c, i) => ({ id: `r${i}`, features: c.features })),
    )
    predictions.forEach((p, i) => {
      const expected = cases[i]!
      expect(p.id).toBe(`r${i}`)
      expect(p.version).toBe(1)
      if (typeof expected.prediction === 'number') expect(p.prediction).toBeCloseTo(expected.prediction, 12)
      else expect(p.prediction).toBe(expected.prediction)
      for (const [cls, score] of Object.entries(expected.scores ?? {})) expect(p.scores?.[cls]).toBeCloseTo(score, 12)
    })
  })

  it('logs every prediction with id, version, features, prediction, latency and status ok', async () => {
    const log = memoryLog()
    const server = newServer({ log })
    await server.load(fixtureVersion('binary', 'spam', 3))
    const [p] = await server.predict('spam', [{ features: { height_cm: 180, country: 'CH' } }])
    expect(p!.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(log.records).toHaveLength(1)
    const r = log.records[0]!
    expect(r).toMatchObject({ model: 'spam', id: p!.id, version: '3', features: { height_cm: 180, country: 'CH' }, status: 'ok' })
    // Binary: the log keeps p(positive class), the second class.
    expect(r.prediction).toBeCloseTo(p!.scores!.spam!, 15)
    expect(r.latency_ms).toBeGreaterThan(0)
  })

  it('refuses features that break the signature, naming field, rule and value, and logs them as invalid', async () => {
    const log = memoryLog()
    const server = newServer({ log })
    await server.load(fixtureVersion('binary', 'spam', 1))
    const err = await appError(server.predict('spam', [{ id: 'a', features: { height_cm: 'tall', country: 'CH' } }, { id: 'b', features: { height: 1 } }]))
    expect(err.code).toBe('bad_request')
    expect(err.message).toContain('records[0].features.height_cm: must be a finite number or null, got "tall"')
    expect(err.message).toContain('records[1].features.height: is not an input of this model (inputs: height_cm, country)')
    expect(log.records.map((r) => [r.id, r.status, r.prediction, r.version])).toEqual([
      ['a', 'invalid', null, '1'],
      ['b', 'invalid', null, '1'],
    ])
  })

  it('answers a version that fails at run time with an internal error and logs the records as errors', async () => {
    const log = memoryLog()
    const server = newServer({ log })
    await server.load(fixtureVersion('failing', 'f', 1))
    const err = await appError(server.predict('f', [{ id: 'x', features: { x: 1 } }]))
    expect(err.code).toBe('internal')
    expect(err.message).toMatch(/version 1 of model "f" failed to predict: .*Reshape/)
    expect(log.records).toMatchObject([{ id: 'x', status: 'error', prediction: null, version: '1' }])
  })

  it('loads idempotently, and refuses other bytes under a loaded version number', async () => {
    const server = newServer()
    await Promise.all([server.load(fixtureVersion('regression', 'm', 1)), server.load(fixtureVersion('regression', 'm', 1))])
    await server.load(fixtureVersion('regression', 'm', 1))
    expect(server.loaded('m')).toEqual([1])
    const err = await appError(server.load(fixtureVersion('multiclass', 'm', 1)))
    expect(err.code).toBe('conflict')
    expect(err.message).toContain('version 1 of model "m" is already loaded with other ONNX bytes')
  })

  it('refuses a graph that breaks the signature contract, naming the input', async () => {
    const server = newServer()
    const v = fixtureVersion('regression', 'm', 1, { signature: { task: 'regression', inputs: [{ name: 'x1', type: 'number' }, { name: 'weight', type: 'number' }], text: [] } })
    const err = await appError(server.load(v))
    expect(err.code).toBe('bad_request')
    expect(err.message).toContain('graph input "weight" (number feature) is missing (graph inputs: x1, x2)')
    expect(server.loaded('m')).toEqual([])
  })

  it('routes a canary share by request id, the same id always to the same version', async () => {
    const server = newServer()
    await server.load(fixtureVersion('regression', 'm', 1))
    await server.load(fixtureVersion('regression', 'm', 2))
    server.setRouting('m', { stable: 1, canary: { version: 2, weightPercent: 30 } })
    const ids = Array.from({ length: 2000 }, (_, i) => `req-${i}`)
    const first = ids.map((id) => server.route('m', id).version)
    const share = first.filter((v) => v === 2).length / ids.length
    // 2000 draws at p = 0.3: the standard error is 0.010; 0.05 is five of them.
    expect(Math.abs(share - 0.3)).toBeLessThan(0.05)
    expect(ids.map((id) => server.route('m', id).version)).toEqual(first)
    const predicted = await server.predict('m', ids.slice(0, 50).map((id) => ({ id, features: { x1: 1, x2: 1 } })))
    expect(predicted.map((p) => p.version)).toEqual(first.slice(0, 50))
  })

  it('refuses routing to a version that is not loaded, and unloading a version that takes traffic', async () => {
    const server = newServer()
    await server.load(fixtureVersion('regression', 'm', 1))
    await server.load(fixtureVersion('regression', 'm', 2))
    expect((await appError(() => server.setRouting('m', { stable: 3 }))).message).toContain('routing.stable: version 3 of model "m" is not loaded (loaded: 1, 2)')
    expect((await appError(() => server.setRouting('m', { stable: 1, canary: { version: 2, weightPercent: 140 } }))).message).toMatch(/routing\.canary\.weightPercent/)
    expect((await appError(server.unload('m', 1))).code).toBe('conflict')
    server.setRouting('m', { stable: 2 })
    await server.unload('m', 1)
    expect(server.loaded('m')).toEqual([2])
    expect(server.routing('m')).toEqual({ stable: 2 })
  })

  it('mirrors a shadow share after answering, logs the shadow with its version, and never changes the answer', async () => {
    const log = memoryLog()
    const registry = new Registry()
    const metrics = new ServingMetrics(registry)
    const server = newServer({ log, metrics })
    await server.load(fixtureVersion('regression', 'm', 1))
    await server.load(fixtureVersion('regression', 'm', 2))
    await server.load(fixtureVersion('slow', 'm', 3))
    // Version 3 is the slow fixture (input x), so a mirrored record (x1, x2) is invalid for it: the shadow's status says so.
    server.setRouting('m', { stable: 1, shadow: { version: 2, sharePercent: 100 } })
    const answer = await server.predict('m', [{ id: 'a', features: { x1: 1, x2: 2 } }])
    expect(answer).toEqual([{ id: 'a', version: 1, prediction: 9 }])
    expect(log.records.map((r) => r.version)).toEqual(['1'])
    await server.shadowQueue.idle()
    expect(log.records.map((r) => [r.id, r.version, r.status, r.prediction])).toEqual([
      ['a', '1', 'ok', 9],
      ['a', '2', 'ok', 9],
    ])
    server.setRouting('m', { stable: 1, shadow: { version: 3, sharePercent: 100 } })
    await server.predict('m', [{ id: 'b', features: { x1: 1, x2: 2 } }])
    await server.shadowQueue.idle()
    expect(log.records.at(-1)).toMatchObject({ id: 'b', version: '3', status: 'invalid', prediction: null })
    expect(await registry.getSingleMetricAsString('highway_serving_shadow_predictions_total')).toContain('status="invalid"')
  })

  it('drops shadow requests beyond its queue and counts them, without failing the request', async () => {
    const registry = new Registry()
    const server = newServer({ metrics: new ServingMetrics(registry), shadowQueueSize: 2 })
    await server.load(fixtureVersion('slow', 'm', 1))
    await server.load(fixtureVersion('slow', 'm', 2))
    server.setRouting('m', { stable: 1, shadow: { version: 2, sharePercent: 100 } })
    // Ten concurrent requests: the shadow queue holds two, the rest are dropped.
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => server.predict('m', [{ id: `r${i}`, features: { x: i } }])))
    expect(answers.map((a) => a[0]!.prediction)).toEqual(Array.from({ length: 10 }, (_, i) => 2 * i + 1))
    await server.shadowQueue.idle()
    expect(server.shadowQueue.dropped).toBeGreaterThan(0)
    expect(await registry.getSingleMetricAsString('highway_serving_shadow_dropped_total')).toContain(`highway_serving_shadow_dropped_total{model="m"} ${server.shadowQueue.dropped}`)
  })

  it('returns contributions when asked and the version has an explainer, and refuses explain otherwise', async () => {
    const server = newServer()
    const explain = (records: Array<Record<string, unknown>>) => records.map((r) => ({ x1: 2 * Number(r.x1), x2: 3 * Number(r.x2) }))
    await server.load(fixtureVersion('regression', 'lin', 1, { explain }))
    const [p] = await server.predict('lin', [{ id: 'a', features: { x1: 1, x2: 2 } }], { explain: true })
    expect(p).toEqual({ id: 'a', version: 1, prediction: 9, contributions: { x1: 2, x2: 6 } })
    await server.load(fixtureVersion('multiclass', 'mc', 1))
    const err = await appError(server.predict('mc', [{ features: { a: 1, b: 2 } }], { explain: true }))
    expect(err.code).toBe('bad_request')
    expect(err.message).toContain('explain: version 1 of model "mc" has no explainer')
  })

  it('releases sessions: loading and swapping 100 versions keeps RSS bounded', async () => {
    const server = newServer()
    const bytes = fixtureVersion('slow', 'm', 0).onnx // 0.5 MB of weights per session makes a leak visible
    const swap = async (version: number) => {
      await server.load({ model: 'm', version, onnx: bytes, signature: fixtureManifest('slow').signature })
      server.setRouting('m', { stable: version })
      await server.predict('m', [{ features: { x: version } }])
      if (version > 1) await server.unload('m', version - 1)
    }
    for (let v = 1; v <= 20; v++) await swap(v)
    global.gc?.()
    const warm = process.memoryUsage().rss
    for (let v = 21; v <= 120; v++) await swap(v)
    global.gc?.()
    const after = process.memoryUsage().rss
    expect(server.loaded('m')).toEqual([120])
    // 100 leaked sessions would hold at least 100 × 0.5 MB of initialisers (plus ORT's arenas): 50 MB.
    expect(after - warm).toBeLessThan(40 * 2 ** 20)
  })

  it('waits for in-flight runs before releasing an unloaded version', async () => {
    const server = newServer()
    await server.load(fixtureVersion('slow', 'm', 1))
    await server.load(fixtureVersion('regression', 'm', 2))
    const running = server.predict('m', [{ id: 'a', features: { x: 1 } }], { version: 1 })
    server.setRouting('m', { stable: 2 })
    await server.unload('m', 1)
    expect((await running)[0]!.prediction).toBe(3)
    await waitFor('the unloaded version to be gone', () => server.loaded('m').length === 1)
  })
})
