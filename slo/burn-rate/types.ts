/** How loudly a tier alerts: `page` wakes someone up, `ticket` waits for working hours. */
export type Severity = 'page' | 'ticket'

/**
 * One multiwindow alert tier, as data: alert when more than `budgetPercent` % of the period's error
 * budget would burn within `longWindowSeconds`, confirmed by the same burn rate over the short window.
 */
export interface AlertTierSpec {
  /** Stable name, e.g. `page-quick`. */
  readonly name: string
  readonly severity: Severity
  /** Window whose burn must exceed the factor; it sets the detection time. */
  readonly longWindowSeconds: number
  /** Window that must also exceed the factor; it sets the reset time (the Workbook uses 1/12 of the long window). */
  readonly shortWindowSeconds: number
  /** Share of the whole period's error budget, in percent, that may burn within the long window (2 = 2 %). */
  readonly budgetPercent: number
}

/** A tier scaled to one SLO period: `factor` is the burn rate both windows must exceed. */
export interface AlertTier extends AlertTierSpec {
  /** budgetPercent / 100 × period / long window (14.4 for 2 % in 1 h of 30 d). */
  readonly factor: number
  /** Long window as a Prometheus duration (`1h`), the key used for window-indexed inputs. */
  readonly longWindow: string
  /** Short window as a Prometheus duration (`5m`). */
  readonly shortWindow: string
}

/** An error budget as fractions of itself. */
export interface ErrorBudget {
  /** The whole budget as a fraction of itself: always 1, so that consumed + remaining = total. */
  readonly total: number
  /** Share of the budget spent; above 1 once the SLO is breached. Equals the burn rate over the observed period. */
  readonly consumed: number
  /** 1 − consumed; goes below zero once the budget is overspent. */
  readonly remaining: number
  /** Error ratio the budget was judged on (per event, per slice, or mean of slice ratios). */
  readonly errorRatio: number
}

/** Good and bad event counts of one time slice. */
export interface SliceCounts {
  readonly good: number
  readonly bad: number
}

/** Budgeting methods of OpenSLO v1 (`spec.budgetingMethod`). */
export type BudgetingMethod = 'Occurrences' | 'Timeslices' | 'RatioTimeslices'

/** A time-slice error budget, with the method it was computed by and the slices that carried data. */
export interface TimesliceBudget extends ErrorBudget {
  readonly method: 'Timeslices' | 'RatioTimeslices'
  /** Slices that carried data; `null` slices and slices with no events are left out. */
  readonly slicesCounted: number
}

/** An SLO period: rolling (the last N seconds) or a calendar week or month in a time zone. */
export type PeriodWindow =
  | { readonly kind: 'rolling'; readonly seconds: number }
  | { readonly kind: 'calendar'; readonly unit: 'day' | 'week' | 'month'; readonly timeZone: string }

/** A half-open interval [startMs, endMs) of Unix epoch milliseconds. */
export interface PeriodBounds {
  readonly startMs: number
  readonly endMs: number
}

/** Why a tier fires or not, so that a verdict explains itself. */
export type AlertReason = 'burning' | 'below-factor' | 'too-few-events' | 'no-data'

/** Verdict of one tier at one instant. */
export interface AlertEvaluation {
  readonly name: string
  readonly severity: Severity
  readonly longWindow: string
  readonly shortWindow: string
  readonly factor: number
  readonly firing: boolean
  readonly reason: AlertReason
  readonly longBurnRate: number | null
  readonly shortBurnRate: number | null
}
