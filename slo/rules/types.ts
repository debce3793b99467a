import type { AlertTierSpec } from '../burn-rate/index.ts'

/**
 * How an SLO's error ratio is read from Prometheus; every query carries `{{.window}}` where the range goes
 * (`rate(http_requests_total{code=~"5.."}[{{.window}}])`), as in Sloth's specs.
 * - `errorRatioQuery`: one query that already is the error ratio (Sloth's `raw.error_ratio_query`);
 * - `errorQuery` + `totalQuery`: bad and total events (Sloth's `events`, OpenSLO `bad` / `total`);
 * - `goodQuery` + `totalQuery`: good and total events (OpenSLO `good` / `total`).
 */
export type RuleSli =
  | { readonly errorRatioQuery: string }
  | { readonly errorQuery: string; readonly totalQuery: string }
  | { readonly goodQuery: string; readonly totalQuery: string }

/** Name, labels and annotations of the page or the ticket alert of an SLO. */
export interface RuleAlertMeta {
  /** Leave this alert out. */
  readonly disabled?: boolean
  /** Alert name; defaults to {@link DEFAULT_ALERT_NAME}. Page and ticket may share it, `sloth_severity` tells them apart. */
  readonly name?: string
  /** How long the condition must hold before the alert fires (Prometheus `for`); none by default, as in Sloth. */
  readonly forSeconds?: number
  readonly labels?: Readonly<Record<string, string>>
  readonly annotations?: Readonly<Record<string, string>>
}

/**
 * One alert rule over some of an SLO's tiers (an OpenSLO AlertPolicy): its name, severity, comparison, `for`,
 * labels and annotations. When an SLO lists these, they replace the default page and ticket alerts.
 */
export interface RuleAlert extends RuleAlertMeta {
  readonly name: string
  readonly severity: 'page' | 'ticket'
  /** Names of the tiers (`RuleSlo.tiers[].name`) this alert combines with `or`. */
  readonly tiers: readonly string[]
  /** `gt` (the default, as Sloth) writes `>`; `gte` writes `>=`. */
  readonly op?: 'gt' | 'gte'
}

/** One Prometheus-sourced SLO, as the rule generator needs it. */
export interface RuleSlo {
  /** Unique id, the `sloth_id` label (Sloth builds it as `<service>-<name>`). */
  readonly id: string
  readonly service: string
  readonly name: string
  /** Objective in percent (99.9). */
  readonly objectivePercent: number
  /** Rolling period in seconds (2 592 000 for 30 d); Prometheus rules cannot follow calendar periods. */
  readonly periodSeconds: number
  readonly sli: RuleSli
  /** Extra labels on every recording rule (`owner`, `tier`). */
  readonly labels?: Readonly<Record<string, string>>
  readonly pageAlert?: RuleAlertMeta
  readonly ticketAlert?: RuleAlertMeta
  /** Alerts per policy; when given, `pageAlert` and `ticketAlert` are not used. */
  readonly alerts?: readonly RuleAlert[]
  /** Alert tiers; defaults to the Workbook tiers (burn-rate `DEFAULT_ALERT_TIERS`). */
  readonly tiers?: readonly AlertTierSpec[]
}

/** A Prometheus recording rule. */
export interface PromRecordingRule {
  readonly record: string
  readonly expr: string
  readonly labels?: Readonly<Record<string, string>>
}

/** A Prometheus alerting rule. */
export interface PromAlertingRule {
  readonly alert: string
  readonly expr: string
  readonly for?: string
  readonly labels?: Readonly<Record<string, string>>
  readonly annotations?: Readonly<Record<string, string>>
}

/** One rule of a Prometheus rule group. */
export type PromRule = PromRecordingRule | PromAlertingRule

/** A Prometheus rule group (`groups[]` of a rule file). */
export interface PromRuleGroup {
  readonly name: string
  readonly rules: readonly PromRule[]
}

/** What `sloth_slo_info` says about the generator. */
export interface GeneratorInfo {
  readonly version: string
  readonly mode: string
  readonly spec: string
}

/**
 * How the period SLI (`slo:sli_error:ratio_rate<period>`) is computed:
 * - `exact`: errors over the period / events over the period (ratio of sums), Highway's default;
 * - `sloth-optimized`: the mean of the 5m ratios over the period, byte-for-byte what Sloth generates.
 */
export type PeriodSliMethod = 'exact' | 'sloth-optimized'

/** Options of {@link generateRules}. */
export interface GenerateRulesOptions {
  readonly periodSli?: PeriodSliMethod
  readonly info?: GeneratorInfo
}
