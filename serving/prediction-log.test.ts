import { describe, expect, it } from 'vitest'
import { deferred } from '../test/support/wait-for.ts'
import { createQueuedPredictionLog, type PredictionLogRecord } from './prediction-log.ts'

const record = (id: string): PredictionLogRecord => ({ id, ts: 0, version: '1', features: { x: 1 }, prediction: 1, latency_ms: 1, status: 'ok' })

describe('createQueuedPredictionLog', () => {
  it('never submits on the caller\'s turn, and batches what arrives within the linger time', async () => {
    const batches: string[][] = []
    const log = createQueuedPredictionLog({ submit: async (_m, rs) => void batches.push(rs.map((r) => r.id)), lingerMs: 20 })
    log.log('m', [record('a')])
    log.log('m', [record('b'), record('c')])
    expect(batches).toEqual([])
    await log.flush()
    expect(batches).toEqual([['a', 'b', 'c']])
  })

  it('drops and counts records beyond its bound while a submission hangs, and never throws to the caller', async () => {
    const gate = deferred()
    const drops: Array<[string, number, string]> = []
    let submitted = 0
    const log = createQueuedPredictionLog({
      submit: async (_m, rs) => {
        await gate.promise
        submitted += rs.length
      },
      maxQueuedRecords: 5,
      maxBatchRecords: 2,
      lingerMs: 1,
      onDrop: (model, n, reason) => drops.push([model, n, reason]),
    })
    log.log('m', [record('1'), record('2'), record('3'), record('4'), record('5'), record('6'), record('7')])
    expect(log.dropped).toBe(2)
    expect(drops).toEqual([['m', 2, 'queue_full']])
    gate.resolve()
    await log.flush()
    expect(submitted).toBe(5)
  })

  it('counts a failed submission as dropped and reports the error instead of throwing', async () => {
    const errors: unknown[] = []
    const log = createQueuedPredictionLog({ submit: async () => Promise.reject(new Error('store down')), onError: (_m, e) => errors.push(e), lingerMs: 1 })
    expect(() => log.log('m', [record('a')])).not.toThrow()
    await log.flush()
    expect(log.dropped).toBe(1)
    expect((errors[0] as Error).message).toBe('store down')
  })
})
