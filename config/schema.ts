import { z } from 'zod'
import { searchSpaceSchema } from './search-space.ts'
import { alertingSchema, DEFAULT_ALERTING } from './alerting.ts'
import { DEFAULT_FARO, faroSchema } from './faro.ts'

/** Model and feature names: safe as map keys, metric labels and file names. */
const nameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'must be 1-128 letters, digits, "_", "." or "-", starting with a letter or digit')

const requiredFlag = z.boolean().default(true)

const numberFeatureSchema = z
  .object({
    type: z.literal('number'),
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().default(false),
    required: requiredFlag,
  })
  .strict()
  .refine((f) => f.min === undefined || f.max === undefined || f.min <= f.max, {
    message: 'min must not be greater than max',
  })

const categoryFeatureSchema = z
  .object({
    type: z.literal('category'),
    values: z.array(z.string().min(1)).min(1).optional(),
    required: requiredFlag,
  })
  .strict()

const textFeatureSchema = z
  .object({
    type: z.literal('text'),
    maxLength: z.number().int().positive().default(10_000),
    required: requiredFlag,
  })
  .strict()

const booleanFeatureSchema = z.object({ type: z.literal('boolean'), required: requiredFlag }).strict()

/** One feature of a model's schema: its type, range or categories, and whether it is required. */
export const featureSpecSchema = z.discriminatedUnion('type', [
  numberFeatureSchema,
  categoryFeatureSchema,
  textFeatureSchema,
  booleanFeatureSchema,
])

/** The ML task a model solves; it decides what a prediction and a label may be. */
export const taskSchema = z.enum(['binary_classification', 'multiclass_classification', 'regression'])

/**
 * Drift tests by name (analyzer), and which column types each takes — Evidently's `allowed_feature_types`
 * (src/evidently/legacy/calculations/stattests/*.py), except that Highway also runs the binned distances on
 * booleans' value counts. `tvd` is Highway's distance threshold, `TVD` Evidently's permutation test.
 */
export const DRIFT_TESTS = {
  ks: 'numerical',
  wasserstein: 'numerical',
  anderson: 'numerical',
  cramer_von_mises: 'numerical',
  energy: 'numerical',
  t_test: 'numerical',
  mannw: 'numerical',
  epps_singleton: 'numerical',
  empirical_mmd: 'numerical',
  psi: 'both',
  jensenshannon: 'both',
  kl: 'both',
  hellinger: 'both',
  chisquare: 'categorical',
  ztest: 'categorical',
  tvd: 'categorical',
  TVD: 'categorical',
  fisher_exact: 'categorical',
  g_test: 'categorical',
} as const

/** Evidently's names that differ from Highway's, accepted in the config and reported under Highway's name. */
export const DRIFT_TEST_ALIASES = { kl_div: 'kl', z: 'ztest', ed: 'energy', es: 'epps_singleton' } as const

const driftTestNames = Object.keys(DRIFT_TESTS) as [keyof typeof DRIFT_TESTS, ...(keyof typeof DRIFT_TESTS)[]]

/** A drift test name as reported (Highway's names). */
export const driftTestSchema = z.enum(driftTestNames)

/** A drift test name as configured: Highway's names or Evidently's aliases, normalised to Highway's. */
const configuredDriftTestSchema = z
  .enum([...driftTestNames, ...(Object.keys(DRIFT_TEST_ALIASES) as (keyof typeof DRIFT_TEST_ALIASES)[])])
  .transform((t): DriftTest => (t in DRIFT_TEST_ALIASES ? DRIFT_TEST_ALIASES[t as keyof typeof DRIFT_TEST_ALIASES] : (t as DriftTest)))

/** How binned numerical tests bin: Evidently's Sturges bins over reference ∪ current (default), or 10 reference deciles. */
export const driftBinningSchema = z.enum(['evidently', 'deciles'])

/** A duration such as `90s`, `15m`, `1h`, `7d`, parsed to seconds. */
export const durationSchema = z
  .string()
  .regex(/^\d+(s|m|h|d|w)$/, 'must be a duration such as 30s, 15m, 1h, 7d or 2w')
  .transform((s) => Number(s.slice(0, -1)) * { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[s.slice(-1) as 's' | 'm' | 'h' | 'd' | 'w'])

const driftSchema = z
  .object({
    /** Dataset drift when at least this share of features drifted (Evidently's default 0.5). */
    shareThreshold: z.number().min(0).max(1).default(0.5),
    /** Multiple-testing correction across p-value tests: none, Benjamini–Hochberg, or Bonferroni. */
    correction: z.enum(['none', 'bh', 'bonferroni']).default('none'),
    /** `static`: each test's threshold; `chunks`: NannyML-style mean ± 3 std of the statistic over reference chunks. */
    thresholds: z.enum(['static', 'chunks']).default('static'),
    /** Binning of `psi`, `kl`, `jensenshannon` and `hellinger` on numeric features (overridable per feature). */
    binning: driftBinningSchema.default('evidently'),
    /** Per feature: a test, its threshold (default: the test's) and, for binned tests, a binning (default: the model's). */
    features: z
      .record(z.string(), z.object({ test: configuredDriftTestSchema, threshold: z.number().positive().optional(), binning: driftBinningSchema.optional() }).strict())
      .default({}),
  })
  .strict()

const analysisSchema = z
  .object({
    /** node-cron expression; unset means no scheduled job. */
    schedule: z.string().min(1).optional(),
    /** Window each scheduled run analyses, ending at the run time. */
    window: durationSchema.default(3600),
    /** How late labels may arrive and still count. */
    labelHorizon: durationSchema.default(7 * 86_400),
    /** Estimated performance is reported until label coverage reaches this share. */
    minLabelCoverage: z.number().min(0).max(1).default(0.5),
    /** Rows kept in a reference sample (deterministic by id hash). */
    referenceSampleSize: z.number().int().min(100).max(1_000_000).default(100_000),
    /** Windows with fewer rows than this give "not enough data". */
    minRows: z.number().int().min(1).default(30),
    /** Windows up to this many rows are tested on all raw values (exact); larger ones on sketches, or a sample of this size. */
    exactMaxRows: z.number().int().min(100).default(50_000),
  })
  .strict()

/*
 * The training block of a model (`highway train`, pipeline/train). Defaults live here, in one place; those that
 * depend on the task (algorithm, primary metric, search space) are filled by pipeline/train's `resolveTraining`
 * (see TRAINING_DEFAULTS there). `quality` and `featurize` are kept as plain mappings here and parsed with their
 * owners' schemas (pipeline/data `qualityThresholdsSchema`, pipeline/featurize `fitOptionsSchema`) by
 * `resolveTraining`, which every `highway train` runs right after loading the config: both folders import this
 * one's types, so importing theirs here would be a cycle. The search space is cycle-free and parsed here.
 */
const share = z.number().min(0).lt(1)
const trainingSchema = z
  .object({
    /** `logistic` (classification), `ridge` (regression) or `mlp` (either); default per task. */
    algorithm: z.enum(['logistic', 'ridge', 'mlp']).optional(),
    /** Column of the target in the data; `--target` overrides it. */
    target: z.string().min(1).optional(),
    /** Column of the row's time (ISO-8601 or epoch ms): the split is then by time, else seeded stratified. */
    time: z.string().min(1).optional(),
    /** How to read a data file: a default path, and format/columns for files whose extension or header does not say. */
    data: z
      .object({
        path: z.string().min(1).optional(),
        format: z.enum(['csv', 'tsv', 'ndjson']).optional(),
        columns: z.array(z.string().min(1)).min(1).optional(),
        header: z.boolean().optional(),
        missingValues: z.array(z.string()).optional(),
      })
      .strict()
      .default({}),
    /** Class names in output order (binary: the positive class second); default: the target's values, sorted. */
    classes: z.array(z.string().min(1)).min(2).optional(),
    split: z
      .object({
        /** Share of rows for validation (with `holdoutFrom`: of the rows before it). */
        validation: share.default(0.15),
        /** Share of rows for the holdout (ignored with `holdoutFrom`). */
        holdout: share.default(0.15),
        /** Time split only: rows at or after this time (ISO-8601 or epoch ms) are the holdout. */
        holdoutFrom: z.union([z.string().min(1), z.number().int()]).optional(),
        seed: z.number().int().default(42),
      })
      .strict()
      .refine((s) => s.validation + s.holdout < 1, { message: 'validation + holdout must leave rows for training (sum < 1)' })
      .default({ validation: 0.15, holdout: 0.15, seed: 42 }),
    search: z
      .object({
        method: z.enum(['grid', 'random']).default('grid'),
        /** Trials of a random search. */
        trials: z.number().int().min(1).max(1000).default(10),
        seed: z.number().int().default(42),
        /** Hyperparameter → domain (pipeline/search); default per algorithm. */
        space: searchSpaceSchema.optional(),
      })
      .strict()
      .default({ method: 'grid', trials: 10, seed: 42 }),
    /** Metric that ranks trials and decides the champion gate (model-metrics name); default per task. */
    metric: z.string().min(1).optional(),
    /** Data quality gate thresholds (pipeline/data `qualityThresholdsSchema`). */
    quality: z.record(z.string(), z.unknown()).default({}),
    /** Featurisation options (pipeline/featurize `fitOptionsSchema`). */
    featurize: z.record(z.string(), z.unknown()).default({}),
    gates: z
      .object({
        /** Required improvement over the champion in the metric's units (negative tolerates a small loss). */
        championMargin: z.number().default(0),
        /** Per-slice check against the champion: a category feature and the largest allowed worsening. */
        slice: z
          .object({ feature: z.string().min(1), tolerance: z.number().min(0).default(0.05), minCount: z.number().int().min(1).default(30) })
          .strict()
          .optional(),
        /** Budget of the p99 single-row latency through onnxruntime, ms. */
        latencyP99Ms: z.number().positive().default(50),
      })
      .strict()
      .default({ championMargin: 0, latencyP99Ms: 50 }),
  })
  .strict()

/** One model's schema as declared in the config file. */
export const modelSpecSchema = z
  .object({
    name: nameSchema,
    task: taskSchema,
    features: z.record(nameSchema, featureSpecSchema).refine((f) => Object.keys(f).length > 0, {
      message: 'must declare at least one feature',
    }),
    /** What to do with a feature the schema does not declare: quarantine the record, or drop the feature. */
    unknownFeatures: z.enum(['reject', 'drop']).default('reject'),
    drift: driftSchema.default({ shareThreshold: 0.5, correction: 'none', thresholds: 'static', binning: 'evidently', features: {} }),
    analysis: analysisSchema.default({ window: 3600, labelHorizon: 7 * 86_400, minLabelCoverage: 0.5, referenceSampleSize: 100_000, minRows: 30, exactMaxRows: 50_000 }),
    /** How `highway train` trains this model (optional: a model may be trained elsewhere). */
    training: trainingSchema.optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    for (const [name, configured] of Object.entries(m.drift.features)) {
      const feature = m.features[name]
      if (!feature) {
        ctx.addIssue({ code: 'custom', path: ['drift', 'features', name], message: `names no feature of the model (have: ${Object.keys(m.features).join(', ')})` })
        continue
      }
      const refusal = driftTestRefusal(configured.test, feature)
      if (refusal) ctx.addIssue({ code: 'custom', path: ['drift', 'features', name, 'test'], message: `"${configured.test}" cannot test ${feature.type} feature "${name}": ${refusal}` })
    }
    const slice = m.training?.gates.slice?.feature
    if (slice !== undefined && m.features[slice]?.type !== 'category') {
      ctx.addIssue({ code: 'custom', path: ['training', 'gates', 'slice', 'feature'], message: `must name a category feature of the model, got ${JSON.stringify(slice)}` })
    }
    for (const key of ['target', 'time'] as const) {
      const column = m.training?.[key]
      if (column !== undefined && column in m.features) ctx.addIssue({ code: 'custom', path: ['training', key], message: `must not be a feature of the model, got ${JSON.stringify(column)}` })
    }
  })

/** Tests a feature type accepts, for error messages. */
function testsFor(type: FeatureSpec['type']): string {
  const kinds = type === 'category' ? ['categorical', 'both'] : type === 'boolean' ? ['numerical', 'categorical', 'both'] : ['numerical', 'both']
  return Object.entries(DRIFT_TESTS)
    .filter(([t, k]) => kinds.includes(k) && !(t === 'fisher_exact' && type !== 'boolean'))
    .map(([t]) => t)
    .join(', ')
}

/**
 * Why a configured drift test cannot run on a feature, or null when it can. Number and text features
 * (text drift runs on numeric descriptors) take numerical tests; category features take categorical ones
 * (as Evidently's `allowed_feature_types`); booleans take both, on their 0/1 values or value counts.
 * `fisher_exact` needs a feature with at most two values (Evidently raises beyond two).
 */
export function driftTestRefusal(test: DriftTest, feature: FeatureSpec): string | null {
  const kind = DRIFT_TESTS[test]
  if (feature.type === 'boolean') return null
  if (test === 'fisher_exact' && !(feature.type === 'category' && feature.values !== undefined && feature.values.length <= 2)) {
    return 'fisher_exact compares two values: it takes booleans and category features that declare at most two `values` (Evidently raises on a third)'
  }
  if (feature.type === 'category' && kind === 'numerical') return `${test} is a numerical test and Evidently allows it on numerical columns only (expected one of: ${testsFor('category')})`
  if (feature.type !== 'category' && kind === 'categorical') {
    return `${test} is a categorical test and Evidently allows it on categorical columns only; on a continuous ${feature.type === 'text' ? 'text descriptor' : 'number'} it would compare sketch buckets, not categories (expected one of: ${testsFor(feature.type)}; declare the feature as a category to test its values)`
  }
  return null
}

/** Scopes a key may hold. `admin` implies every other scope; `operate` implies `read`. */
export const scopeSchema = z.enum(['ingest', 'read', 'operate', 'admin'])

const apiKeySchema = z
  .object({
    id: z.string().min(1).max(128),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be the 64-character hex sha256 of the secret')
      .transform((s) => s.toLowerCase()),
    scopes: z.array(scopeSchema).min(1),
    models: z.array(nameSchema).min(1).optional(),
  })
  .strict()

const byteSize = z.number().int().positive()

/** The whole configuration, after defaults: what `loadConfig` returns. */
export const configSchema = z
  .object({
    models: z.array(modelSpecSchema).default([]),
    /** Directory of OpenSLO v1 YAML files (`highway slo validate DIR` checks them). */
    slos: z.string().min(1).optional(),
    /** Directory of runbook YAML files (`highway runbook validate DIR` checks them; docs/runbooks.md). */
    runbooks: z.string().min(1).optional(),
    auth: z.object({ keys: z.array(apiKeySchema).default([]) }).strict().default({ keys: [] }),
    /** Alert rules, receivers and Alertmanager (alerts/, docs/alerts.md). */
    alerting: alertingSchema.default(DEFAULT_ALERTING),
    /** Web apps instrumented with Grafana Faro that send to `POST /v1/faro` (faro/, docs/faro.md). */
    faro: faroSchema.default(DEFAULT_FARO),
    /** Model registry: where content-addressed ONNX artifacts are kept. */
    registry: z.object({ artifactsDir: z.string().min(1).default('./artifacts') }).strict().default({ artifactsDir: './artifacts' }),
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(8080),
        /** A request's headers must arrive within this, or 408 and close. */
        headersTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
        /** A whole request (headers and body) must arrive within this, or 408 and close (Node's default is 300 s). */
        requestTimeoutMs: z.number().int().min(100).max(3_600_000).default(60_000),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8080, headersTimeoutMs: 10_000, requestTimeoutMs: 60_000 }),
    storage: z
      .object({
        dataDir: z.string().min(1).default('./data'),
        url: z.url({ protocol: /^https?$/ }).optional(),
        user: z.string().default('default'),
        password: z.string().default(''),
        database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be a plain identifier').default('highway'),
        cluster: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, 'must be a plain identifier').optional(),
        retentionDays: z.number().int().min(1).max(3650).default(90),
      })
      .strict()
      .default({ dataDir: './data', user: 'default', password: '', database: 'highway', retentionDays: 90 }),
    ingest: z
      .object({
        maxBodyBytes: byteSize.default(32 * 1024 * 1024),
        /** Bytes of request bodies being read and parsed at once, all requests together; beyond it, 429. */
        maxInflightBodyBytes: byteSize.default(128 * 1024 * 1024),
        maxRecordsPerRequest: z.number().int().positive().default(10_000),
        /** When a 202 is sent: `logged` once the rows are fsynced to the local log (spool), `stored` once ClickHouse has them. */
        acknowledge: z.enum(['logged', 'stored']).default('logged'),
        maxBatchRows: z.number().int().positive().default(7_500),
        /** `acknowledge: logged`: logged bytes not yet in ClickHouse past which acknowledgements wait for inserts. */
        maxLagBytes: byteSize.default(64 * 1024 * 1024),
        maxPendingBytes: byteSize.default(256 * 1024 * 1024),
        spoolDir: z.string().min(1).optional(),
        spoolMaxBytes: byteSize.default(1024 * 1024 * 1024),
        insertTimeoutMs: z.number().int().positive().default(15_000),
      })
      .strict()
      .default({
        maxBodyBytes: 32 * 1024 * 1024,
        maxInflightBodyBytes: 128 * 1024 * 1024,
        maxRecordsPerRequest: 10_000,
        acknowledge: 'logged',
        maxBatchRows: 7_500,
        maxLagBytes: 64 * 1024 * 1024,
        maxPendingBytes: 256 * 1024 * 1024,
        spoolMaxBytes: 1024 * 1024 * 1024,
        insertTimeoutMs: 15_000,
      }),
  })
  .strict()
  .superRefine((config, ctx) => {
    const names = new Set<string>()
    config.models.forEach((m, i) => {
      if (names.has(m.name)) ctx.addIssue({ code: 'custom', path: ['models', i, 'name'], message: `duplicate model name "${m.name}"` })
      names.add(m.name)
    })
    const ids = new Set<string>()
    config.auth.keys.forEach((k, i) => {
      if (ids.has(k.id)) ctx.addIssue({ code: 'custom', path: ['auth', 'keys', i, 'id'], message: `duplicate key id "${k.id}"` })
      ids.add(k.id)
      for (const [j, m] of (k.models ?? []).entries()) {
        if (!names.has(m)) ctx.addIssue({ code: 'custom', path: ['auth', 'keys', i, 'models', j], message: `names no configured model (have: ${[...names].join(', ') || 'none'})` })
      }
    })
    config.faro.apps.forEach((a, i) => {
      a.models.forEach((m, j) => {
        if (!names.has(m)) ctx.addIssue({ code: 'custom', path: ['faro', 'apps', i, 'models', j], message: `"${m}" names no configured model (have: ${[...names].join(', ') || 'none'})` })
      })
    })
    config.alerting.rules.forEach((r, i) => {
      if (!names.has(r.model)) ctx.addIssue({ code: 'custom', path: ['alerting', 'rules', i, 'model'], message: `"${r.model}" names no configured model (have: ${[...names].join(', ') || 'none'})` })
    })
  })

/** Validated configuration. */
export type Config = z.infer<typeof configSchema>
/** One model's validated schema. */
export type ModelSpec = z.infer<typeof modelSpecSchema>
/** One feature's validated spec. */
export type FeatureSpec = z.infer<typeof featureSpecSchema>
/** A key scope. */
export type Scope = z.infer<typeof scopeSchema>
/** A configured API key (secret stored as sha256 only). */
export type ApiKey = z.infer<typeof apiKeySchema>
/** A drift test name. */
export type DriftTest = z.infer<typeof driftTestSchema>
/** How binned drift tests bin numeric features. */
export type DriftBinning = z.infer<typeof driftBinningSchema>
/** A model's training block as validated (task-dependent defaults still unfilled). */
export type TrainingSpec = z.infer<typeof trainingSchema>
/** A model task. */
export type Task = z.infer<typeof taskSchema>
