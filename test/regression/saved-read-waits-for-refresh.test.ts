// Issue 16, "Reads under load": a stored drift/quality read at p99 waited for the store (the first read of a key,
// and any read after a refresh), 412–565 ms in a quiet mixed run. Once warm, a read must never wait on the store.
import { describe, expect, it } from 'vitest'
import { createAnalyzer, type AnalysisStore } from '../../analyzer/index.ts'
import { parseConfig, type ModelSpec } from '../../config/index.ts'
import { BOOKING_MODEL } from '../support/service.ts'

interface PendingRead {
  readonly job: string
  resolve(r: { fromMs: number; toMs: number; computedAtMs: number } | undefined): void
}

/** The two calls of the analysis store that stored reads use; every read of it is held until the test answers it. */
function heldStore() {
  const reads: PendingRead[] = []
  const port: Pick<AnalysisStore, 'latestAnalysisResult'> = {
    latestAnalysisResult: (q) =>
      new Promise((resolve) => reads.push({ job: q.job, resolve: (r) => resolve(r && { ...q, ...r, result: { answer: r.toMs } }) })),
  }
  // Only `saved` and `tick` are driven here, and they use only this call.
  return { reads, store: port as AnalysisStore }
}

const model: ModelSpec = parseConfig({ models: [BOOKING_MODEL] }, { source: 'test', env: {} }).models[0]!
const settle = () => new Promise<void>((r) => setImmediate(r))

describe('stored analysis reads', () => {
  it('are warmed by a tick at start, so the first read of each job is answered without the store', async () => {
    const clock = { ms: 1_000_000 }
    const { reads, store } = heldStore()
    const analyzer = createAnalyzer({ store, parseReferenceRecord: () => ({ ok: false, errors: [] }), now: () => clock.ms })
    const warming = analyzer.tick(clock.ms, [model])
    expect(reads.map((r) => r.job)).toEqual(['drift', 'quality', 'performance'])
    for (const r of reads) r.resolve({ fromMs: 0, toMs: 60_000, computedAtMs: 61_000 })
    await warming
    const before = reads.length
    expect((await analyzer.saved('drift', model, '')).toMs).toBe(60_000)
    expect(reads.length).toBe(before)
  })

  it('are served from what is held while the refresh ahead of the bound is held back by the store', async () => {
    const clock = { ms: 1_000_000 }
    const { reads, store } = heldStore()
    const analyzer = createAnalyzer({ store, parseReferenceRecord: () => ({ ok: false, errors: [] }), now: () => clock.ms })
    void analyzer.tick(clock.ms, [model])
    for (const r of reads) r.resolve({ fromMs: 0, toMs: 60_000, computedAtMs: 61_000 })
    await settle()
    clock.ms += 5_000
    void analyzer.tick(clock.ms) // due: three refreshes start and the store does not answer them
    expect(reads).toHaveLength(6)
    // Every read meanwhile is answered from what is held, and starts no second query of its key.
    for (let i = 0; i < 10; i++) expect((await analyzer.saved('quality', model, '')).toMs).toBe(60_000)
    expect(reads).toHaveLength(6)
    reads[4]!.resolve({ fromMs: 60_000, toMs: 120_000, computedAtMs: 121_000 })
    await settle()
    expect((await analyzer.saved('quality', model, '')).toMs).toBe(120_000)
  })
})
