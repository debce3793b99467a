import type { Express, RequestHandler } from 'express'
import type { Store } from '../store/index.ts'
import { evaluateSlo, type SloStatus } from './evaluate.ts'
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

/** Mounts `GET /v1/slos` and `GET /v1/slos/{name}`: each answer evaluates now and publishes the gauges. */
export function mountSloRoutes(app: Express, deps: SloEvaluationDeps & { slos: readonly ResolvedSlo[]; read: RequestHandler }): void {
  const evaluate = (slo: ResolvedSlo) => evaluateAndPublish(deps, slo)
  app.get('/v1/slos', deps.read, async (_req, res) => {
    res.json({ slos: await Promise.all(deps.slos.map(evaluate)) })
  })
  app.get('/v1/slos/:name', deps.read, async (req, res) => {
    const slo = deps.slos.find((s) => s.name === req.params.name)
    if (!slo) {
      res.status(404).json({ error: `SLO "${String(req.params.name).slice(0, 128)}" is not defined (defined: ${deps.slos.map((s) => s.name).join(', ') || 'none'})`, code: 'not_found' })
      return
    }
    res.json(await evaluate(slo))
  })
}
