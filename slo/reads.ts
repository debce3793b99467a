import type { SloOutcome, SloStatus } from './evaluate.ts'
import { evaluateAndPublishAll, type SloEvaluationDeps } from './routes.ts'
import type { ResolvedSlo } from './spec/index.ts'

/** One evaluation of every SLO: the statuses, when it started, and the SLOs whose own I/O failed. */
export interface SloSnapshot {
  /** Epoch ms at which the evaluation started: the instant its figures are as of. */
  readonly evaluatedAtMs: number
  readonly statuses: ReadonlyMap<string, SloStatus>
  readonly failures: ReadonlyArray<{ readonly name: string; readonly error: unknown }>
}

/** How old an evaluation may be when `GET /v1/slos` serves it (see docs/slo.md, "Reads under load"). */
export interface StalenessBounds {
  /** Younger than this: served as is. Default 15 s (half a tick). */
  readonly freshMs: number
  /** Between `freshMs` and this: served, and one evaluation starts in the background. Older: evaluated before answering. Default 60 s (two ticks). */
  readonly maxMs: number
}

/** Default bounds: half of the 30-second tick, and two ticks. */
export const DEFAULT_STALENESS: StalenessBounds = { freshMs: 15_000, maxMs: 60_000 }

/** The SLO reads the API and the background tick share. */
export interface SloReads {
  readonly slos: readonly ResolvedSlo[]
  /** An evaluation no older than `maxAgeMs` (default: the bounds' rule); at most one evaluation runs at a time. */
  snapshot(maxAgeMs?: number): Promise<SloSnapshot>
  /** Evaluates now (joining one already running): what the background tick calls. */
  refresh(): Promise<SloSnapshot>
}

/** Options of {@link createSloReads}. */
export interface SloReadsOptions extends SloEvaluationDeps {
  readonly slos: readonly ResolvedSlo[]
  readonly staleness?: StalenessBounds
}

/**
 * Serves SLO statuses from the newest evaluation while it is fresh enough, so a read costs a map lookup instead
 * of a rollup query under ingest load; evaluations are single-flight (concurrent readers and the tick share one).
 */
export function createSloReads(options: SloReadsOptions): SloReads {
  const now = options.now ?? Date.now
  const bounds = options.staleness ?? DEFAULT_STALENESS
  let latest: SloSnapshot | undefined
  let running: Promise<SloSnapshot> | undefined

  const evaluate = (): Promise<SloSnapshot> => {
    if (running) return running
    const startedMs = now()
    running = evaluateAndPublishAll({ ...options, now: () => startedMs }, options.slos)
      .then((outcomes: SloOutcome[]) => {
        const snapshot: SloSnapshot = {
          evaluatedAtMs: startedMs,
          statuses: new Map(outcomes.flatMap((o) => (o.ok ? [[o.status.name, { ...o.status, evaluated_at: new Date(startedMs).toISOString() }] as const] : []))),
          failures: outcomes.flatMap((o) => (o.ok ? [] : [{ name: o.name, error: o.error }])),
        }
        // A slower evaluation that started earlier never replaces a newer one.
        if (!latest || latest.evaluatedAtMs <= startedMs) latest = snapshot
        return snapshot
      })
      .finally(() => (running = undefined))
    return running
  }

  return {
    slos: options.slos,
    refresh: evaluate,
    async snapshot(maxAgeMs) {
      const age = latest === undefined ? Infinity : now() - latest.evaluatedAtMs
      if (latest !== undefined && maxAgeMs !== undefined) return age <= maxAgeMs ? latest : evaluate()
      if (latest !== undefined && age <= bounds.freshMs) return latest
      if (latest !== undefined && age <= bounds.maxMs) {
        // Stale but within the bound: answer now, and let the next reader find a fresher one.
        void evaluate().catch(() => undefined)
        return latest
      }
      return evaluate()
    },
  }
}
