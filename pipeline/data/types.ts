/** One raw feature value as the pipeline carries it: typed by the model's schema; null is missing. */
export type FeatureValue = number | string | boolean | null

/** Raw features of one row, by feature name. */
export type FeatureRecord = Record<string, FeatureValue>

/**
 * The training target: a class name for classification (labels 0/1/true are carried as "0"/"1"), a number for
 * regression.
 */
export type TargetValue = number | string

/** One training row: typed features, its target, and its time (epoch ms) when the source has one. */
export interface DataRow {
  readonly features: FeatureRecord
  readonly target: TargetValue
  readonly ts: number | null
}

/** Why a row was refused, one entry per broken rule: which row (1-based data row or source line), field, rule and value. */
export interface InvalidRow {
  /** 1-based row number in the source (data rows, not counting a header line). */
  readonly row: number
  readonly field: string
  readonly rule: InvalidRule
  /** The offending value, shortened for display. */
  readonly value: string
  readonly message: string
}

/** The closed set of reasons a row is refused: the collector's rules plus `parse` for a line that is not a row. */
export type InvalidRule = 'required' | 'type' | 'range' | 'category' | 'length' | 'time' | 'parse'
