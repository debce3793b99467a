import { z } from 'zod'
import type { ModelSignature } from '../../contract/index.ts'

/** A version the server can load (structurally the server's `LoadableVersion`). */
export interface ServableVersion {
  readonly model: string
  readonly version: number
  readonly onnx: Uint8Array
  readonly signature: ModelSignature
  /** Per-prediction contributions (linear and logistic versions), for `predict` with `explain: true`. */
  readonly explain?: (records: Array<Readonly<Record<string, number | string | boolean | null>>>) => Array<Record<string, number>>
}

/** How a model's traffic is split (structurally the server's `Routing`). */
export interface ReleaseRouting {
  readonly stable: number
  readonly canary?: { readonly version: number; readonly weightPercent: number }
  readonly shadow?: { readonly version: number; readonly sharePercent: number }
}

/** The port releases drive: the model server's load, unload and routing (the consumer owns the port). */
export interface ServingControl {
  load(v: ServableVersion): Promise<void>
  unload(model: string, version: number): Promise<void>
  /** Loaded version numbers of a model. */
  loaded(model: string): number[]
  setRouting(model: string, routing: ReleaseRouting): void
  routing(model: string): ReleaseRouting | undefined
}

/**
 * Runs `run` once at `dueMs` on the controller's clock and returns a cancel function (the composition root passes
 * its clock's `at`, so analyses follow simulated time in the demo). Default: Node's setTimeout against `now`.
 */
export type ReleaseTimer = (dueMs: number, run: () => Promise<void>) => () => void

/** The error-budget policy port: is the model's release train frozen, and why. */
export type FreezeCheck = (model: string) => Promise<{ frozen: boolean; reason?: string }>

/** Release strategies. */
export const STRATEGIES = ['canary', 'shadow', 'bluegreen'] as const
/** One release strategy. */
export type Strategy = (typeof STRATEGIES)[number]

/**
 * Bounds of the automated canary analysis. Defaults follow common practice for canary judges (Kayenta, Argo
 * Rollouts, Flagger): a small absolute error-rate margin, latency as a ratio of the stable version's, drift by the
 * analyzer's default test (Evidently's rule), accuracy only once enough labels are in.
 */
export const analysisPolicySchema = z
  .object({
    /** Canary error rate may exceed the stable one by at most this (absolute share, 0.01 = 1 point). */
    maxErrorRateIncrease: z.number().min(0).max(1).default(0.01),
    /** Canary p99 latency ≤ stable p99 × ratio + slack. */
    maxLatencyP99Ratio: z.number().min(1).default(2),
    /** Absolute slack so sub-millisecond jitter does not flap the check; 0 for models answering in microseconds. */
    latencyP99SlackMs: z.number().min(0).default(5),
    /**
     * Prediction drift between canary and stable; `false` turns the check off. Default: Wasserstein distance
     * normed by the stable spread ≥ 0.1 (Evidently's large-sample default) on numeric predictions, Jensen–Shannon
     * ≥ 0.1 on classes: effect sizes, because with canary traffic a p-value flags trivial differences (and 5% of
     * identical versions) — and, since an effect size alone flags small samples by chance, a drift must also be
     * significant (KS or chi-square p < 0.01). Judged from `minDriftSamples` predictions per version; fewer leave
     * the check skipped.
     */
    drift: z
      .union([
        z.literal(false),
        z
          .object({
            test: z.enum(['ks', 'wasserstein', 'psi', 'jensenshannon', 'kl', 'hellinger', 'anderson', 'cramer_von_mises', 'energy', 'chisquare', 'ztest', 'tvd']).optional(),
            threshold: z.number().positive().optional(),
          })
          .strict(),
      ])
      .default({}),
    minDriftSamples: z.number().int().min(2).default(100),
    /** Classification: canary accuracy may be at most this much lower (absolute). */
    maxAccuracyDrop: z.number().min(0).max(1).default(0.05),
    /** Regression: canary MAE may be at most this share higher. */
    maxMaeIncrease: z.number().min(0).default(0.1),
    /** Labelled predictions needed, per version, before accuracy is judged. */
    minLabels: z.number().int().min(1).default(30),
    /**
     * Canary predictions needed before an analysis judges at all; 0 = not configured, and then a check with no
     * data fails. With a minimum, a quieter window is inconclusive: the step waits.
     */
    minRequests: z.number().int().min(0).default(0),
    /** The stable baseline is read from this long before the step began (so a 100% canary still has one). */
    baselineSeconds: z.number().positive().max(86_400 * 7).default(600),
    /** Predictions per version sampled for the drift test. */
    sampleSize: z.number().int().min(10).max(100_000).default(5000),
  })
  .strict()

/** Analysis bounds after defaults. */
export type AnalysisPolicy = z.infer<typeof analysisPolicySchema>

const percent = z.number().gt(0).max(100)

/** `POST /v1/models/{m}/releases` body. */
export const releaseRequestSchema = z
  .object({
    version: z.number().int().positive(),
    strategy: z.enum(STRATEGIES),
    /** A fix may ship while the error budget is exhausted. */
    fix: z.boolean().default(false),
    /** Canary weights (default 5, 25, 50, 100) or shadow shares (default 100), in percent, increasing. */
    steps: z
      .array(percent)
      .min(1)
      .max(20)
      .refine((s) => s.every((w, i) => i === 0 || w > s[i - 1]!), 'must increase strictly')
      .optional(),
    /** Seconds between analyses (default 60). */
    intervalSeconds: z.number().min(0.1).max(86_400).default(60),
    /** Failed analyses that roll the release back (default 2). */
    failureThreshold: z.number().int().min(1).max(100).default(2),
    /** A step still inconclusive (too little traffic) after this many intervals counts as a failed analysis. */
    stepTimeoutIntervals: z.number().int().min(1).max(10_000).default(10),
    analysis: analysisPolicySchema.default(analysisPolicySchema.parse({})),
    note: z.string().max(2000).default(''),
  })
  .strict()

/** A release request after defaults. */
export type ReleaseRequest = z.infer<typeof releaseRequestSchema>

/** Default canary weights in percent. */
export const DEFAULT_CANARY_STEPS: readonly number[] = [5, 25, 50, 100]
/** Default shadow shares in percent. */
export const DEFAULT_SHADOW_STEPS: readonly number[] = [100]

/** States of a release; all but `running` are final. */
export type ReleaseState = 'running' | 'promoted' | 'passed' | 'rolled_back' | 'aborted'
/** The final states. */
export const FINAL_STATES: readonly ReleaseState[] = ['promoted', 'passed', 'rolled_back', 'aborted']
