import type { ClassificationMetric, MetricFailure, MetricOutcome } from '../../model-metrics/index.ts'

/** Metrics CBPE estimates without labels (NannyML's binary CBPE set, less specificity and average precision). */
import type { CbpeMetric } from '../../model-metrics/index.ts'
export type { CbpeMetric }

/** A monotone piecewise-linear map from score to probability: sklearn's `X_thresholds_`/`y_thresholds_`. */
export interface IsotonicMap {
  readonly x: readonly number[]
  readonly y: readonly number[]
}

/** How fitCbpe chose its calibration: NannyML's `needs_calibration` test, or forced by the caller. */
export type CalibrationDecision = 'needed' | 'not_needed' | 'forced_on' | 'forced_off'

/** Figures of the labelled reference that the sampling error is built from. */
export interface CbpeReference {
  readonly rows: number
  readonly positiveRate: number
  readonly chunkSize: number
  readonly chunkCount: number
  /** Realised metric per complete reference chunk (chunks where it is undefined are left out). */
  readonly chunkValues: Readonly<Record<CbpeMetric, readonly number[]>>
  /** Population standard deviation (ddof 0, as NannyML) of `chunkValues`. */
  readonly chunkStd: Readonly<Record<CbpeMetric, number>>
}

/** A fitted CBPE estimator: plain JSON, safe to store and reload. */
export interface CbpeModel {
  readonly kind: 'cbpe_binary'
  readonly version: 1
  readonly threshold: number
  readonly calibrationDecision: CalibrationDecision
  /** Isotonic calibration map, or null when scores are used as they are. */
  readonly calibration: IsotonicMap | null
  readonly reference: CbpeReference
}

/** An estimated metric with its confidence band: value ± 3 sampling errors, clipped to [0, 1]. */
export interface CbpeEstimate {
  readonly ok: true
  readonly value: number
  readonly lower: number
  readonly upper: number
  readonly samplingError: number
}

/** An estimate, or the reason there is none. */
export type CbpeOutcome = CbpeEstimate | MetricFailure

/** Options of fitCbpe. */
export interface CbpeFitInput {
  readonly scores: ArrayLike<number>
  readonly labels: ArrayLike<number>
  /** 0.5 by default. */
  readonly threshold?: number
  /** Rows per reference chunk for the sampling error; by default the reference is cut into 10 chunks. */
  readonly chunkSize?: number
  /** `auto` (default) asks NannyML's `needs_calibration`; `isotonic` and `none` force the choice. */
  readonly calibration?: 'auto' | 'isotonic' | 'none'
}

/** One estimated metric set against its realised value once labels arrived. */
export interface CbpeComparison {
  readonly estimated: number
  readonly realised: number
  /** realised − estimated. */
  readonly difference: number
  readonly withinBand: boolean
}

/** Performance of one window: the estimate, and the realised figures once label coverage allows. */
export interface WindowPerformance {
  readonly rows: number
  readonly labelledRows: number
  /** labelledRows / rows, 0 for an empty window. */
  readonly labelCoverage: number
  /** Which figure to report: the estimate until coverage reaches the set level, then the realised one. */
  readonly source: 'estimated' | 'realised'
  readonly estimated: Record<CbpeMetric, CbpeOutcome>
  readonly realised: Record<ClassificationMetric, MetricOutcome> | null
  readonly comparison: Record<CbpeMetric, CbpeComparison | MetricFailure> | null
}
