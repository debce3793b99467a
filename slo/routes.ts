import type { Express, RequestHandler } from 'express'
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

/** Mounts `GET /v1/slos` and `GET /v1/slos/{name}`: each answer evaluates now and publishes the gauges. */
export function mountSloRoutes(app: Express, deps: SloEvaluationDeps & { slos: readonly ResolvedSlo[]; read: RequestHandler }): void {
  app.get('/v1/slos', deps.read, async (_req, res) => {
    const outcomes = await evaluateAndPublishAll(deps, deps.slos)
    const failed = outcomes.find((o) => !o.ok)
    if (failed) throw failed.error
    res.json({ slos: outcomes.flatMap((o) => (o.ok ? [o.status] : [])) })
  })
  app.get('/v1/slos/:name', deps.read, async (req, res) => {
    const slo = deps.slos.find((s) => s.name === req.params.name)
    if (!slo) {
      res.status(404).json({ error: `SLO "${String(req.params.name).slice(0, 128)}" is not defined (defined: ${deps.slos.map((s) => s.name).join(', ') || 'none'})`, code: 'not_found' })
      return
    }
    res.json(await evaluateAndPublish(deps, slo))
  })
}
