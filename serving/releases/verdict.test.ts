import { describe, expect, it } from 'vitest'
import { analysisPolicySchema } from './types.ts'
import { analyseCanary, decideNext, type ReleaseProgress, type VersionFacts } from './verdict.ts'

const policy = analysisPolicySchema.parse({})
// A spread of scores, the same shape for both versions: no drift between them.
const scores = (n: number, shift = 0): number[] => Array.from({ length: n }, (_, i) => ((i * 37) % 100) / 100 + shift)
const facts = (over: Partial<VersionFacts> = {}): VersionFacts => ({
  predictions: 200,
  errors: 0,
  latencyP99Ms: 4,
  values: scores(200),
  classes: {},
  labelled: 0,
  correct: 0,
  absErrorSum: 0,
  ...over,
})

describe('analyseCanary', () => {
  const cases: Array<{ name: string; canary: Partial<VersionFacts>; baseline?: Partial<VersionFacts>; policy?: object; verdict: string; failing: string[] }> = [
    { name: 'passes a canary that behaves like the stable version', canary: {}, verdict: 'pass', failing: [] },
    { name: 'fails a canary whose requests error', canary: { errors: 200, values: [], latencyP99Ms: 1 }, verdict: 'fail', failing: ['error_rate', 'prediction_drift'] },
    { name: 'leaves drift unjudged below the minimum sample', canary: { values: scores(50, 0.5) }, verdict: 'pass', failing: [] },
    { name: 'fails a canary 10× slower at p99', canary: { latencyP99Ms: 40 }, verdict: 'fail', failing: ['latency_p99'] },
    { name: 'passes a canary just inside the latency bound (stable × 2 + 5 ms)', canary: { latencyP99Ms: 13 }, verdict: 'pass', failing: [] },
    { name: 'fails a canary whose error rate exceeds the stable one by more than 1 point', canary: { errors: 5 }, baseline: { errors: 1 }, verdict: 'fail', failing: ['error_rate'] },
    { name: 'fails a canary whose predictions drifted', canary: { values: scores(200, 0.5) }, verdict: 'fail', failing: ['prediction_drift'] },
    {
      name: 'passes a small canary whose distance to the stable version is large only by chance (not significant)',
      // 100 evenly spread scores against 100 in a slightly different order of spacing: Wasserstein over 0.1, KS p ≈ 0.5.
      canary: { values: Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) / 100 + 0.03) },
      baseline: { values: scores(100) },
      verdict: 'pass',
      failing: [],
    },
    { name: 'fails a window without canary traffic when no minimum traffic is set', canary: { predictions: 0, latencyP99Ms: null, values: [], errors: 0 }, verdict: 'fail', failing: ['error_rate', 'latency_p99', 'prediction_drift'] },
    { name: 'calls a quiet window inconclusive when a minimum traffic is set', canary: { predictions: 5, values: scores(5) }, policy: { minRequests: 20 }, verdict: 'inconclusive', failing: [] },
    { name: 'judges accuracy once both versions have enough labels', canary: { labelled: 100, correct: 70 }, baseline: { labelled: 100, correct: 90 }, verdict: 'fail', failing: ['accuracy'] },
    { name: 'skips accuracy with too few labels', canary: { labelled: 10, correct: 0 }, baseline: { labelled: 100, correct: 90 }, verdict: 'pass', failing: [] },
    { name: 'compares predicted classes when predictions are classes', canary: { values: [], classes: { ham: 100, spam: 100 } }, baseline: { values: [], classes: { ham: 190, spam: 10 } }, verdict: 'fail', failing: ['prediction_drift'] },
    { name: 'skips drift when it is turned off', canary: { values: scores(200, 0.5) }, policy: { drift: false }, verdict: 'pass', failing: [] },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const result = analyseCanary({ canary: facts(c.canary), baseline: facts(c.baseline), task: 'binary_classification', policy: analysisPolicySchema.parse(c.policy ?? {}) })
      expect(result.verdict).toBe(c.verdict)
      expect(result.checks.filter((k) => k.status === 'fail' || k.status === 'no_data').map((k) => k.check)).toEqual(c.verdict === 'inconclusive' ? expect.any(Array) : c.failing)
    })
  }

  it('judges regression accuracy by mean absolute error', () => {
    const r = analyseCanary({ canary: facts({ labelled: 50, absErrorSum: 60 }), baseline: facts({ labelled: 50, absErrorSum: 50 }), task: 'regression', policy })
    expect(r.checks.find((k) => k.check === 'accuracy')).toMatchObject({ status: 'fail', canary: 1.2, baseline: 1, bound: 1.1 })
  })
})

describe('decideNext', () => {
  const progress = (over: Partial<ReleaseProgress> = {}): ReleaseProgress => ({ step: 0, steps: [5, 25, 50, 100], failedAnalyses: 0, failureThreshold: 2, stepStartedAtMs: 0, stepTimeoutMs: 10_000, ...over })
  const cases: Array<{ name: string; progress: Partial<ReleaseProgress>; verdict: 'pass' | 'fail' | 'inconclusive'; nowMs?: number; action: string; failed: number }> = [
    { name: 'advances to the next weight after a passing analysis', progress: {}, verdict: 'pass', action: 'advance', failed: 0 },
    { name: 'promotes after the last step passes', progress: { step: 3 }, verdict: 'pass', action: 'promote', failed: 0 },
    { name: 'holds after a first failure below the threshold', progress: {}, verdict: 'fail', action: 'hold', failed: 1 },
    { name: 'rolls back when failures reach the threshold', progress: { failedAnalyses: 1 }, verdict: 'fail', action: 'rollback', failed: 2 },
    { name: 'counts failures over the whole release, not per step', progress: { step: 2, failedAnalyses: 1 }, verdict: 'fail', action: 'rollback', failed: 2 },
    { name: 'rolls back at the first failure with a threshold of one', progress: { failureThreshold: 1 }, verdict: 'fail', action: 'rollback', failed: 1 },
    { name: 'waits on an inconclusive window', progress: {}, verdict: 'inconclusive', nowMs: 5_000, action: 'hold', failed: 0 },
    { name: 'counts a step inconclusive past its timeout as a failure', progress: { failedAnalyses: 1 }, verdict: 'inconclusive', nowMs: 10_000, action: 'rollback', failed: 2 },
    { name: 'promotes a one-step release at once when it passes', progress: { steps: [100] }, verdict: 'pass', action: 'promote', failed: 0 },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const d = decideNext(progress(c.progress), { verdict: c.verdict, reason: 'r' }, c.nowMs ?? 1_000)
      expect(d.action).toBe(c.action)
      expect(d.failedAnalyses).toBe(c.failed)
    })
  }
  it('names the next step when advancing', () => {
    expect(decideNext(progress({ step: 1 }), { verdict: 'pass', reason: '' }, 1)).toMatchObject({ action: 'advance', step: 2 })
  })
})
