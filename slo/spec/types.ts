import type { CbpeMetric } from '../../model-metrics/index.ts'
import type { ClassificationMetric, MulticlassMetric, RegressionMetric } from '../../model-metrics/index.ts'
import type { Task } from '../../config/index.ts'

/** OpenSLO v1 kinds Highway reads. */
export type SpecKind = 'SLO' | 'SLI' | 'DataSource' | 'Service' | 'AlertPolicy' | 'AlertCondition' | 'AlertNotificationTarget'

/** How an SLO spends its error budget (OpenSLO `spec.budgetingMethod`). */
export type BudgetingMethod = 'Occurrences' | 'Timeslices' | 'RatioTimeslices'

/** Comparison operator of a threshold objective or a burn-rate condition. */
export type Operator = 'lte' | 'gte' | 'lt' | 'gt'

/** Where an SLI's numbers come from. */
export type SourceType = 'highway' | 'clickhouse' | 'prometheus'

/** Which predictions a `type: highway` ratio metric counts. */
export type HighwaySelect = 'all' | 'ok' | 'latency_below' | 'labelled' | 'correct' | 'not_quarantined'

/** Measures of a `type: highway` threshold metric, without their parameter. */
export type HighwayMeasureName = 'dataset_drift_share' | 'feature_drift' | 'performance' | 'estimated_performance' | 'freshness_seconds' | 'label_coverage'

/** A performance metric the analyzer computes for some task. */
export type PerformanceMetric = ClassificationMetric | MulticlassMetric | RegressionMetric

/** Alert tiers Highway routes: pages wake someone, tickets wait for office hours. */
export type AlertSeverity = 'page' | 'ticket'

/** The class of a spec problem; stable, for tooling and tests. */
export type SpecRule =
  | 'unreadable'
  | 'yaml_syntax'
  | 'api_version'
  | 'unknown_kind'
  | 'required'
  | 'type'
  | 'enum'
  | 'range'
  | 'format'
  | 'unknown_field'
  | 'exclusive'
  | 'forbidden'
  | 'duplicate_name'
  | 'unresolved_reference'
  | 'inconsistent'
  | 'query'
  | 'time_zone'
  | 'unreachable'
  | 'unsupported'
  | 'invalid'

/** One problem in a spec directory: the file, where in it, which rule, and a sentence naming the value and what was expected. */
export interface SpecError {
  readonly file: string
  /** Path inside the file, e.g. `documents[1].spec.objectives[0].target`; empty for a whole file. */
  readonly path: string
  readonly rule: SpecRule
  readonly message: string
  /** 1-based line of the value (or of the nearest enclosing one) when known. */
  readonly line?: number
}

/** A model as the spec checker needs it; `config.models` can be passed as is. */
export interface SpecModel {
  readonly name: string
  readonly task: Task
  readonly features: Readonly<Record<string, unknown>>
}

/** Options of `loadSloDirectory` and `parseSloSources`. */
export interface LoadSloOptions {
  /** Configured models: with them, model names, features, tasks and metrics are checked too. */
  readonly models?: readonly SpecModel[]
}

/** One YAML file's text, named as errors should name it. */
export interface SloSourceFile {
  readonly file: string
  readonly text: string
}

/** Outcome of loading a spec directory: every SLO resolved, or every problem found. */
export type LoadSloResult = { readonly ok: true; readonly specs: readonly ResolvedSlo[] } | { readonly ok: false; readonly errors: readonly SpecError[] }

/** A DataSource an SLI names through `metricSourceRef`. */
export interface ResolvedDataSource {
  readonly name: string
  /** As written; may hold credentials, so never print it. */
  readonly connectionDetails: unknown
}

/** The source of an SLI's queries: its type and, when referenced, the DataSource. */
export interface ResolvedSource {
  readonly type: SourceType
  readonly dataSource?: ResolvedDataSource
}

/** The event selection of a `type: highway` query; `thresholdMs` and `tolerance` only where they mean something. */
export type HighwayEventSelection =
  | { readonly select: 'all' | 'ok' | 'labelled' | 'not_quarantined' }
  | { readonly select: 'latency_below'; readonly thresholdMs: number }
  | { readonly select: 'correct'; readonly tolerance?: number }

/** Counts predictions of one model (and version) that match a selection. */
export type HighwayEventQuery = { readonly type: 'highway'; readonly model: string; readonly version?: string } & HighwayEventSelection

/** ClickHouse SQL binding `{from:DateTime64(3)}` and `{to:DateTime64(3)}`, returning one number. */
export interface ClickHouseQuery {
  readonly type: 'clickhouse'
  readonly query: string
}

/** PromQL; ratio queries carry `{{.window}}` for the rule generator to fill in. */
export interface PrometheusQuery {
  readonly type: 'prometheus'
  readonly query: string
}

/** A query that counts events, for a ratio SLI. */
export type EventQuery = HighwayEventQuery | ClickHouseQuery | PrometheusQuery

/** The measure of a `type: highway` threshold SLI, with its parameter. */
export type HighwayMeasure =
  | { readonly measure: 'dataset_drift_share' | 'freshness_seconds' | 'label_coverage' }
  | { readonly measure: 'feature_drift'; readonly feature: string }
  | { readonly measure: 'performance'; readonly metric: PerformanceMetric }
  | { readonly measure: 'estimated_performance'; readonly metric: CbpeMetric }

/** Reads one analyzer figure of one model (and version) per time slice. */
export type HighwayMeasureQuery = { readonly type: 'highway'; readonly model: string; readonly version?: string } & HighwayMeasure

/** A query that yields one value per time slice, for a threshold SLI. */
export type MeasureQuery = HighwayMeasureQuery | ClickHouseQuery | PrometheusQuery

/** A ratio SLI: good (or bad) events over total events; exactly one of `good` and `bad` is set. */
export type RatioSli = {
  readonly kind: 'ratio'
  /** The SLI's `metadata.name` (inline indicators have one too). */
  readonly name: string
  readonly total: EventQuery
  readonly source: ResolvedSource
} & ({ readonly good: EventQuery; readonly bad?: undefined } | { readonly bad: EventQuery; readonly good?: undefined })

/** A threshold SLI: one value per time slice, held against the objective's `op` and `value`. */
export interface ThresholdSli {
  readonly kind: 'threshold'
  readonly name: string
  readonly measure: MeasureQuery
  readonly source: ResolvedSource
}

/** The indicator of a resolved SLO. */
export type ResolvedSli = RatioSli | ThresholdSli

/** One objective of an SLO, with its target as a ratio. */
export interface ResolvedObjective {
  /** Slug of `displayName`, or `objective-<index>` without one; unique within the SLO. */
  readonly name: string
  readonly displayName: string
  /** Share of good events (Occurrences), good slices (Timeslices) or mean slice ratio (RatioTimeslices), in (0, 1). */
  readonly target: number
  /** Threshold SLIs only: a slice is good when `measure op value`. */
  readonly op?: Operator
  readonly value?: number
  /** Timeslices only: a slice is good when its good/total ratio reaches this, in (0, 1]. */
  readonly timeSliceTarget?: number
  /** Timeslices and RatioTimeslices only. */
  readonly timeSliceWindowSeconds?: number
}

/** The SLO's compliance window. */
export type ResolvedWindow =
  | { readonly kind: 'rolling'; readonly seconds: number }
  | {
      readonly kind: 'calendar'
      readonly unit: 'day' | 'week' | 'month'
      /** IANA name; days start at 00:00, weeks on Monday 00:00 and months on the 1st at 00:00 in this zone. */
      readonly timeZone: string
      /** `YYYY-MM-DD HH:MM:SS` in `timeZone`, as written, when given. */
      readonly startTime?: string
    }

/** One burn-rate alert tier, from one AlertPolicy and its AlertCondition. */
export interface BurnRateTier {
  readonly policy: string
  readonly condition: string
  readonly severity: AlertSeverity
  /** `gt` or `gte`: the alert fires when the burn rate rises above `burnRate`. */
  readonly op: 'gt' | 'gte'
  readonly burnRate: number
  /** OpenSLO `lookbackWindow`. */
  readonly longWindowSeconds: number
  /** `highway.dev/short-window`, or the long window / 12. */
  readonly shortWindowSeconds: number
  /** OpenSLO `alertAfter`: how long the condition must hold; 0 by default. */
  readonly alertAfterSeconds: number
  readonly alertWhenBreaching: boolean
  readonly alertWhenResolved: boolean
  readonly alertWhenNoData: boolean
  /** Names of the notification targets, as routing labels. */
  readonly notificationTargets: readonly string[]
  /** The AlertPolicy's `metadata.displayName`, when given (the rule generator's alert name). */
  readonly policyDisplayName?: string
  /** The AlertPolicy's labels (first value of each), refined by the AlertCondition's: labels of the alert. */
  readonly alertLabels: Readonly<Record<string, string>>
  /** The AlertPolicy's annotations (and `spec.description` as `description`), refined by the AlertCondition's; `highway.dev/` keys left out. */
  readonly alertAnnotations: Readonly<Record<string, string>>
}

/** Alerting of an SLO: a severity without tiers (absent) falls back to the rule generator's default window set. */
export interface ResolvedAlerting {
  readonly pageTiers?: readonly BurnRateTier[]
  readonly ticketTiers?: readonly BurnRateTier[]
}

/** One SLO, validated and with every reference resolved: what the evaluator and the rule generator consume. Plain JSON. */
export interface ResolvedSlo {
  readonly name: string
  readonly displayName: string
  readonly service: string
  /** The Service's `displayName` when it is declared, else its name. */
  readonly serviceDisplayName: string
  readonly description: string
  /** `metadata.labels`, every value as a list. */
  readonly labels: Readonly<Record<string, readonly string[]>>
  readonly objectives: readonly ResolvedObjective[]
  readonly window: ResolvedWindow
  readonly budgeting: BudgetingMethod
  readonly sli: ResolvedSli
  /** Windows (or slices) ending less than this long ago are not judged yet: labels are still arriving. */
  readonly evaluationDelaySeconds: number
  /** Windows (or slices) with fewer events are not judged. */
  readonly minEvents: number
  /** When set, a ratio is judged on its Wilson score lower bound at this confidence. */
  readonly wilson?: { readonly confidence: number }
  readonly alerting: ResolvedAlerting
  /** `highway.dev/unfreeze-above`: share of the budget left at which a release freeze ends (default 0.1). */
  readonly unfreezeAbove?: number
  /** File that declares the SLO. */
  readonly file: string
}
