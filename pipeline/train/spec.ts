import type { z } from 'zod'
import type { ModelSpec, Task, TrainingSpec } from '../../config/index.ts'
import { qualityThresholdsSchema } from '../data/index.ts'
import { fitOptionsSchema, type FitOptions } from '../featurize/index.ts'
import { METRIC_DIRECTIONS } from '../../model-metrics/index.ts'
import { searchSpaceSchema, type SearchSpace } from '../../config/index.ts'

/** The algorithms `highway train` fits. */
export type Algorithm = 'logistic' | 'ridge' | 'mlp'

/** Hyperparameters each algorithm takes from a search space (anything else is refused, naming these). */
export const ALGORITHM_PARAMETERS: Readonly<Record<Algorithm, readonly string[]>> = {
  ridge: ['alpha'],
  logistic: ['C'],
  mlp: ['hidden', 'hidden2', 'activation', 'learningRate', 'batchSize', 'maxEpochs', 'patience', 'l2'],
}

/**
 * Task-dependent defaults (Highway's choices): logistic for classification and ridge for regression (fast, exact
 * optima, explainable); ROC AUC ranks binary models (threshold-free), macro F1 multiclass ones, RMSE regressions;
 * small grids over the one regularisation strength (decades around scikit-learn's default 1), and a 2-point MLP grid.
 */
export const TRAINING_DEFAULTS = {
  algorithm: { binary_classification: 'logistic', multiclass_classification: 'logistic', regression: 'ridge' } as const satisfies Record<Task, Algorithm>,
  metric: { binary_classification: 'roc_auc', multiclass_classification: 'f1', regression: 'rmse' } as const satisfies Record<Task, string>,
  space: {
    ridge: { alpha: { type: 'choice', values: [0.1, 1, 10] } },
    logistic: { C: { type: 'choice', values: [0.1, 1, 10] } },
    mlp: { hidden: { type: 'choice', values: [16, 32] } },
  } as const satisfies Record<Algorithm, SearchSpace>,
}

/** A training block with every default filled and the pipeline-owned parts parsed: what trainModel runs. */
export interface ResolvedTraining {
  readonly algorithm: Algorithm
  readonly target: string
  readonly time: string | null
  readonly data: TrainingSpec['data']
  readonly classes: readonly string[] | null
  readonly split: { readonly validation: number; readonly holdout: number; readonly holdoutFromMs: number | null; readonly seed: number }
  readonly search: { readonly method: 'grid' | 'random'; readonly trials: number; readonly seed: number; readonly space: SearchSpace }
  readonly metric: string
  readonly quality: z.infer<typeof qualityThresholdsSchema>
  readonly featurize: FitOptions
  readonly gates: TrainingSpec['gates']
}

/** A training block that cannot be run; names `models.<name>.training.<path>`, the rule and the value. */
export class TrainingConfigError extends Error {
  override readonly name = 'TrainingConfigError'
  readonly field: string
  constructor(field: string, message: string) {
    super(`${field}: ${message}`)
    this.field = field
  }
}

/** What the command line may override. */
export interface TrainingOverrides {
  readonly target?: string
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const path = issue.path.map(String).join('.')
  throw new TrainingConfigError(path ? `${field}.${path}` : field, issue.message)
}

function parseTime(value: string | number, field: string): number {
  const ms = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Date.parse(value)
  if (!Number.isFinite(ms)) throw new TrainingConfigError(field, `must be an ISO-8601 time or epoch milliseconds, got ${JSON.stringify(value)}`)
  return ms
}

/**
 * Fills a model's training block (absent: all defaults) with the task's defaults and the command line's overrides,
 * and parses the parts other folders own (quality thresholds, featurisation options) with their schemas. Throws a
 * TrainingConfigError naming the field; run at the edge, before any data is read.
 */
export function resolveTraining(model: ModelSpec, overrides: TrainingOverrides = {}): ResolvedTraining {
  const base = `models.${model.name}.training`
  const t: TrainingSpec = model.training ?? {
    data: {},
    split: { validation: 0.15, holdout: 0.15, seed: 42 },
    search: { method: 'grid', trials: 10, seed: 42 },
    quality: {},
    featurize: {},
    gates: { championMargin: 0, latencyP99Ms: 50 },
  }
  const target = overrides.target ?? t.target
  if (target === undefined) throw new TrainingConfigError(`${base}.target`, 'is required: name the target column in the config or with --target')
  if (target in model.features) throw new TrainingConfigError(overrides.target !== undefined ? '--target' : `${base}.target`, `must not be a feature of the model, got ${JSON.stringify(target)}`)
  const algorithm = t.algorithm ?? TRAINING_DEFAULTS.algorithm[model.task]
  if (algorithm === 'ridge' && model.task !== 'regression') throw new TrainingConfigError(`${base}.algorithm`, `ridge is a regression; model "${model.name}" is ${model.task} (use logistic or mlp)`)
  if (algorithm === 'logistic' && model.task === 'regression') throw new TrainingConfigError(`${base}.algorithm`, `logistic is a classifier; model "${model.name}" is a regression (use ridge or mlp)`)
  const metric = t.metric ?? TRAINING_DEFAULTS.metric[model.task]
  const known = model.task === 'regression' ? ['mae', 'rmse', 'mape', 'r2'] : model.task === 'binary_classification' ? ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'pr_auc', 'log_loss', 'brier', 'ece'] : ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss', 'brier']
  if (!known.includes(metric) || !(metric in METRIC_DIRECTIONS)) throw new TrainingConfigError(`${base}.metric`, `must be one of ${known.join(', ')} for ${model.task}, got ${JSON.stringify(metric)}`)
  const space = parseWith(searchSpaceSchema, t.search.space ?? TRAINING_DEFAULTS.space[algorithm], `${base}.search.space`)
  for (const name of Object.keys(space)) {
    if (!ALGORITHM_PARAMETERS[algorithm].includes(name)) throw new TrainingConfigError(`${base}.search.space.${name}`, `is not a parameter of ${algorithm} (known: ${ALGORITHM_PARAMETERS[algorithm].join(', ')})`)
  }
  const quality = parseWith(qualityThresholdsSchema, t.quality, `${base}.quality`)
  for (const name of Object.keys(quality.features)) {
    if (!(name in model.features)) throw new TrainingConfigError(`${base}.quality.features.${name}`, `names no feature of the model (have: ${Object.keys(model.features).join(', ')})`)
  }
  const featurize = parseWith(fitOptionsSchema, t.featurize, `${base}.featurize`)
  for (const name of [...(featurize.exclude ?? []), ...Object.keys(featurize.features ?? {})]) {
    if (!(name in model.features)) throw new TrainingConfigError(`${base}.featurize`, `names ${JSON.stringify(name)}, which is no feature of the model (have: ${Object.keys(model.features).join(', ')})`)
  }
  const holdoutFromMs = t.split.holdoutFrom === undefined ? null : parseTime(t.split.holdoutFrom, `${base}.split.holdoutFrom`)
  if (holdoutFromMs !== null && t.time === undefined) throw new TrainingConfigError(`${base}.split.holdoutFrom`, 'needs a time column (training.time) to cut at')
  if (t.classes !== undefined && model.task === 'binary_classification' && t.classes.length !== 2) throw new TrainingConfigError(`${base}.classes`, `a binary model has 2 classes, got ${t.classes.length}`)
  return {
    algorithm,
    target,
    time: t.time ?? null,
    data: t.data,
    classes: t.classes ?? null,
    split: { validation: t.split.validation, holdout: t.split.holdout, holdoutFromMs, seed: t.split.seed },
    search: { method: t.search.method, trials: t.search.trials, seed: t.search.seed, space },
    metric,
    quality,
    featurize,
    gates: t.gates,
  }
}
