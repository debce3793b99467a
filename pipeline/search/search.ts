import { isBetter, metricDirection } from '../../model-metrics/index.ts'
import type { MetricDirection } from '../../model-metrics/index.ts'
import { enumerateGrid, sampleSpace } from './space.ts'
import type { SearchSpace, TrialParams } from './space.ts'

/** The metric that ranks trials and its direction (taken from model-metrics when omitted). */
export interface PrimaryMetric {
  readonly metric: string
  readonly direction?: MetricDirection
}

/** Metrics a trial reports on the validation split; null = undefined on that split. */
export type TrialEvaluation = Readonly<Record<string, number | null>>

/** One evaluated point of the space. */
export interface Trial {
  readonly index: number
  readonly params: TrialParams
  /** The seed this trial's training used: the search seed + index, so any trial can be re-run alone. */
  readonly seed: number
  readonly metrics: TrialEvaluation | null
  /** The primary metric's value, or null when missing, undefined or non-finite. */
  readonly score: number | null
  /** Why the trial failed (its evaluation threw); it then never wins. */
  readonly error?: string
}

/** Options of runSearch. */
export interface SearchOptions {
  readonly space: SearchSpace
  /** `grid` tries every combination; `random` draws `trials` seeded points. */
  readonly strategy: 'grid' | 'random'
  /** Number of trials of a random search (ignored by grid). */
  readonly trials?: number
  readonly seed: number
  readonly primary: PrimaryMetric
  /** Trains with `params` and `seed` and returns metrics on the validation split. */
  readonly evaluate: (params: TrialParams, seed: number) => TrialEvaluation | Promise<TrialEvaluation>
  /** Called after each trial, e.g. for a progress bar. */
  readonly onTrial?: (trial: Trial, done: number, total: number) => void
}

/** Every trial in order, the winner (null if no trial produced a score) and the direction used. */
export interface SearchResult {
  readonly trials: readonly Trial[]
  readonly best: Trial | null
  readonly primary: Required<PrimaryMetric>
}

/**
 * Grid or seeded random hyperparameter search. Trials run one after another (training is CPU-bound and the
 * machine small); each is evaluated by the caller on the validation split. The best trial maximises or
 * minimises the primary metric by its direction (ROC AUC up, RMSE down); ties go to the earlier trial, so the
 * result does not depend on anything but the seed. A trial that throws is recorded with its error, not fatal.
 */
export async function runSearch(options: SearchOptions): Promise<SearchResult> {
  const direction = options.primary.direction ?? metricDirection(options.primary.metric)
  if (!Number.isInteger(options.seed)) throw new RangeError(`seed must be an integer, got ${options.seed}`)
  let points: TrialParams[]
  if (options.strategy === 'grid') points = enumerateGrid(options.space)
  else {
    if (options.trials === undefined) throw new RangeError('random search: trials is required')
    points = sampleSpace(options.space, options.trials, options.seed)
  }
  const trials: Trial[] = []
  let best: Trial | null = null
  for (const [index, params] of points.entries()) {
    const seed = options.seed + index
    let trial: Trial
    try {
      const metrics = await options.evaluate(params, seed)
      const value = metrics[options.primary.metric]
      const score = typeof value === 'number' && Number.isFinite(value) ? value : null
      trial = { index, params, seed, metrics, score }
    } catch (error) {
      trial = { index, params, seed, metrics: null, score: null, error: error instanceof Error ? error.message : String(error) }
    }
    trials.push(trial)
    if (trial.score !== null && (best === null || isBetter(trial.score, best.score as number, direction))) best = trial
    options.onTrial?.(trial, trials.length, points.length)
  }
  return { trials, best, primary: { metric: options.primary.metric, direction } }
}
