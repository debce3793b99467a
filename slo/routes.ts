import type { Store } from '../store/index.ts'
import { evaluateSlo, evaluateSlos, type SloOutcome, type SloStatus } from './evaluate.ts'
import type { SloMetrics } from './metrics.ts'
import type { BudgetPolicy } from './policy/index.ts'
import type { ResolvedSlo } from './spec/index.ts'

/** What evaluating an SLO needs: the store, the metrics it publishes to, and the budget policy it moves. */
export interface SloEvaluationDeps {
  readonly store: Store
  readonly metrics: SloMetrics
  readonly policy?: BudgetPolicy
  readonly now?: () => number
}

/** Evaluates one SLO now, applies the budget policy and publishes the gauges: what the API and the tick share. */
export async function evaluateAndPublish(deps: SloEvaluationDeps, slo: ResolvedSlo): Promise<SloStatus> {
  const evaluated = await evaluateSlo(deps.store, slo, (deps.now ?? Date.now)())
  const status = deps.policy ? await deps.policy.observe(evaluated) : evaluated
  deps.metrics.publish(status)
  return status
}

/**
 * Evaluates a whole tick now (one batched rollup read for every SLO, see `evaluateSlos`), applies the budget policy
 * and publishes the gauges of each SLO answered: what `GET /v1/slos` and the 30-second refresh share.
 */
export async function evaluateAndPublishAll(deps: SloEvaluationDeps, slos: readonly ResolvedSlo[]): Promise<SloOutcome[]> {
  const outcomes = await evaluateSlos(deps.store, slos, (deps.now ?? Date.now)())
  return Promise.all(
    outcomes.map(async (o): Promise<SloOutcome> => {
      if (!o.ok) return o
      try {
        const status = deps.policy ? await deps.policy.observe(o.status) : o.status
        deps.metrics.publish(status)
        return { ok: true, status }
      } catch (error) {
        return { ok: false, name: o.status.name, error }
      }
    }),
  )
}

