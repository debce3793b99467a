import type { SloOutcome, SloStatus } from './evaluate.ts'
import { evaluateAndPublishAll, type SloEvaluationDeps } from './routes.ts'
import type { ResolvedSlo } from './spec/index.ts'
import { createRefreshAhead, type Held } from '../refresh-ahead/index.ts'

/** One evaluation of every SLO: the statuses, when it started, and the SLOs whose own I/O failed. */
export interface SloSnapshot {
  /** Epoch ms at which the evaluation started: the instant its figures are as of. */
  readonly evaluatedAtMs: number
  readonly statuses: ReadonlyMap<string, SloStatus>
  readonly failures: ReadonlyArray<{ readonly name: string; readonly error: unknown }>
}

/** How old an evaluation may be when `GET /v1/slos` serves it (see docs/slo.md, "Reads under load"). */
export interface StalenessBounds {
  /** Younger than this: served as is; from this age a read or tick refreshes in the background. Default 15 s. */
  readonly freshMs: number
  /** Between `freshMs` and this: served, and one evaluation starts in the background. Older: evaluated before answering. Default 60 s. */
  readonly maxMs: number
}

/** Default bounds: 15 s, and 60 s (three refresh-ahead ages: an evaluation has 45 s before a read waits). */
export const DEFAULT_STALENESS: StalenessBounds = { freshMs: 15_000, maxMs: 60_000 }

/** The SLO reads the API and the background tick share. */
export interface SloReads {
  readonly slos: readonly ResolvedSlo[]
  /**
   * An evaluation no older than `maxAgeMs` (default: the bounds' rule), never waiting while the held one is within
   * the bound; at most one evaluation runs at a time. Asking for fresher than what is held waits for an evaluation.
   */
  snapshot(maxAgeMs?: number): Promise<SloSnapshot>
  /** Evaluates now (joining one already running). */
  refresh(): Promise<SloSnapshot>
  /**
   * Periodic work, ahead of the bound: starts one evaluation when none is held (warm-up at start) or the held one is
   * older than `freshMs` at `nowMs`, and none is running. Returns it, or undefined when none was due.
   */
  tick(nowMs: number): Promise<SloSnapshot> | undefined
}

/** Options of {@link createSloReads}. */
export interface SloReadsOptions extends SloEvaluationDeps {
  readonly slos: readonly ResolvedSlo[]
  readonly staleness?: StalenessBounds
}

const KEY = 'all'

/**
 * Serves SLO statuses from the newest evaluation while it is fresh enough, so a read costs a map lookup instead
 * of a rollup query under ingest load (refresh-ahead: a read or tick past `freshMs` starts one evaluation in the
 * background, so once warm no read waits unless an evaluation takes longer than `maxMs − freshMs`).
 */
export function createSloReads(options: SloReadsOptions): SloReads {
  const now = options.now ?? Date.now
  const bounds = options.staleness ?? DEFAULT_STALENESS
  const evaluate = async (_key: string, startedMs: number): Promise<SloSnapshot> => {
    const outcomes: SloOutcome[] = await evaluateAndPublishAll({ ...options, now: () => startedMs }, options.slos)
    return {
      evaluatedAtMs: startedMs,
      statuses: new Map(outcomes.flatMap((o) => (o.ok ? [[o.status.name, { ...o.status, evaluated_at: new Date(startedMs).toISOString() }] as const] : []))),
      failures: outcomes.flatMap((o) => (o.ok ? [] : [{ name: o.name, error: o.error }])),
    }
  }
  // Background failures surface through the tick's promise (the service logs them) and the next read retries.
  const cache = createRefreshAhead<SloSnapshot>({ load: evaluate, now, refreshAfterMs: bounds.freshMs, maxAgeMs: bounds.maxMs })
  const valueOf = async (held: Promise<Held<SloSnapshot>>): Promise<SloSnapshot> => (await held).value

  return {
    slos: options.slos,
    refresh: () => valueOf(cache.refresh(KEY)),
    snapshot: (maxAgeMs) => valueOf(cache.get(KEY, maxAgeMs)),
    tick(nowMs) {
      const started = cache.tick(nowMs, [KEY])[0]
      return started && valueOf(started)
    },
  }
}
