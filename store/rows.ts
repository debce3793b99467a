/** One prediction as stored; features split by type because ClickHouse maps are typed by value. */
export interface PredictionRow {
  readonly model: string
  readonly version: string
  readonly id: string
  readonly tsMs: number
  readonly receivedAtMs: number
  readonly numFeatures: Readonly<Record<string, number>>
  /** Categorical features. */
  readonly strFeatures: Readonly<Record<string, string>>
  /** Free-text features. */
  readonly textFeatures: Readonly<Record<string, string>>
  /** Score, probability or regressed value; null when the prediction is only a class. */
  readonly prediction: number | null
  /** Predicted class; empty when the prediction is only a number. */
  readonly predictionClass: string
  readonly predictionScores: Readonly<Record<string, number>>
  readonly latencyMs: number | null
  readonly status: string
}

/** One label for a prediction id; the newest one received wins. */
export interface LabelRow {
  readonly model: string
  readonly id: string
  readonly tsMs: number
  readonly receivedAtMs: number
  readonly label: number | null
  readonly labelClass: string
}

/** A record that broke its model's schema, kept with the reasons. */
export interface QuarantineRow {
  readonly model: string
  readonly kind: 'prediction' | 'label'
  readonly receivedAtMs: number
  /** The record's own time when it had a readable one, else the time of receipt: windows select on it. */
  readonly tsMs: number
  readonly recordId: string
  readonly recordHash: string
  readonly raw: string
  readonly reasons: readonly string[]
  readonly fields: readonly string[]
  readonly rules: readonly string[]
}

/** The raw tables ingest writes to. */
export type IngestTable = 'predictions' | 'labels' | 'quarantine'

// Column lists in the order the encoders below emit them; JSONCompactEachRow is positional (and ~1.8x faster
// to insert than JSONEachRow, measured: docs/storage.md).
const COLUMNS: Record<IngestTable, readonly string[]> = {
  predictions: ['model', 'version', 'id', 'ts', 'received_at', 'num_features', 'str_features', 'text_features', 'prediction', 'prediction_class', 'prediction_scores', 'latency_ms', 'status'],
  labels: ['model', 'id', 'ts', 'received_at', 'label', 'label_class'],
  quarantine: ['model', 'kind', 'received_at', 'ts', 'record_id', 'record_hash', 'raw', 'reasons', 'fields', 'rules'],
}

// JSON.stringify writes a lone UTF-16 surrogate (JSON can carry one as "\ud800") as a `\udXXX` escape, and
// ClickHouse refuses the whole insert over it ("missing second part of surrogate pair"): one such string would
// fail a group commit of innocent rows and, retried from the spool, bury them all in dead/. Paired surrogates
// come out as raw characters, so a `\udXXX` escape after an even run of backslashes is always a lone one; it
// becomes U+FFFD, as invalid UTF-8 in a request body already does.
const LONE_SURROGATE_ESCAPE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g

function rowLine(values: readonly unknown[]): string {
  const line = JSON.stringify(values)
  return line.includes('\\ud') ? line.replace(LONE_SURROGATE_ESCAPE, '$1\\ufffd') : line
}

/** Columns of a raw table in the positional order its encoder emits them (JSONCompactEachRow). */
export function insertColumns(table: IngestTable): readonly string[] {
  return COLUMNS[table]
}

/** One JSONCompactEachRow line for a prediction (DateTime64(3) columns take epoch milliseconds). */
export function encodePrediction(r: PredictionRow): string {
  return rowLine([r.model, r.version, r.id, r.tsMs, r.receivedAtMs, r.numFeatures, r.strFeatures, r.textFeatures, r.prediction, r.predictionClass, r.predictionScores, r.latencyMs, r.status])
}

/** One JSONCompactEachRow line for a label. */
export function encodeLabel(r: LabelRow): string {
  return rowLine([r.model, r.id, r.tsMs, r.receivedAtMs, r.label, r.labelClass])
}

/** One JSONCompactEachRow line for a quarantined record. */
export function encodeQuarantine(r: QuarantineRow): string {
  return rowLine([r.model, r.kind, r.receivedAtMs, r.tsMs, r.recordId, r.recordHash, r.raw, r.reasons, r.fields, r.rules])
}
