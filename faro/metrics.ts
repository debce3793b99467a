import { Counter, type Registry } from 'prom-client'

/** How a Faro payload ended: stored, a retry of one stored already, or refused (the status it got). */
export type PayloadOutcome = 'accepted' | 'duplicate' | 'invalid' | 'unauthorized' | 'forbidden' | 'rate_limited' | 'too_large' | 'unavailable'

/** The Faro intake's metrics: `highway_faro_payloads_total{app,outcome}`. */
export class FaroMetrics {
  readonly payloads: Counter<'app' | 'outcome'>
  constructor(registry: Registry) {
    this.payloads = new Counter({
      name: 'highway_faro_payloads_total',
      help: 'Faro payloads received on POST /v1/faro, by configured app (or "unknown") and outcome.',
      labelNames: ['app', 'outcome'],
      registers: [registry],
    })
  }
}
