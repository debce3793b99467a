import { isLatencyBucket, prepareLatencyThresholds, type LatencyThresholdsPrepared, type Store } from '../store/index.ts'
import type { ResolvedSlo } from './spec/index.ts'

/** The latency thresholds (ms) of every `type: highway` `latency_below` SLI, sorted, once each; bucket thresholds included. */
export function latencyThresholdsOf(slos: readonly ResolvedSlo[]): number[] {
  const out = new Set<number>()
  for (const slo of slos) {
    if (slo.sli.kind !== 'ratio') continue
    for (const q of [slo.sli.good, slo.sli.bad, slo.sli.total]) if (q?.type === 'highway' && q.select === 'latency_below') out.add(q.thresholdMs)
  }
  return [...out].sort((a, b) => a - b)
}

/** What {@link prepareLatencyCounts} needs: the store, the loaded SLOs and the clock (epoch ms) that stamps received predictions. */
export interface LatencyCountsOptions {
  readonly store: Store
  readonly slos: readonly ResolvedSlo[]
  readonly now?: () => number
}

/**
 * Starts exact counting for every latency threshold of the loaded SLOs that falls between the rollup's buckets
 * (docs/slo.md, "Latency thresholds"): the view that keeps `slo_latency_below_1m` is (re)created with them, and a
 * threshold not seen before is backfilled from the raw predictions. Run once at start, before the first
 * evaluation; until it has run, such an SLO answers `unsupported` naming the threshold.
 */
export async function prepareLatencyCounts(options: LatencyCountsOptions): Promise<LatencyThresholdsPrepared> {
  const thresholds = latencyThresholdsOf(options.slos).filter((x) => !isLatencyBucket(x))
  return prepareLatencyThresholds(options.store, thresholds, (options.now ?? Date.now)())
}
