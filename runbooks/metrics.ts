import { Counter, Gauge, type Registry } from 'prom-client'

/** Final outcomes counted by `highway_runbook_runs_total` (CONTRACTS.md). */
export type RunOutcome = 'succeeded' | 'failed' | 'refused' | 'aborted' | 'cancelled'

/** The runbooks component's Prometheus metrics. */
export class RunbookMetrics {
  readonly runs: Counter<'runbook' | 'outcome'>
  readonly inProgress: Gauge<'runbook'>

  constructor(registry: Registry) {
    const registers = [registry]
    this.runs = new Counter({ name: 'highway_runbook_runs_total', help: 'Runbook runs that ended, by runbook and outcome (succeeded, failed, refused, aborted, cancelled).', labelNames: ['runbook', 'outcome'], registers })
    this.inProgress = new Gauge({ name: 'highway_runbook_runs_in_progress', help: 'Runbook runs running or waiting in this process, by runbook.', labelNames: ['runbook'], registers })
  }
}
