import type { Store } from './client.ts'
import { tableName } from './ddl.ts'

/** Which labelled predictions a training set takes: a model, optionally one version, a time window [fromMs, toMs). */
export interface TrainingRowsQuery {
  readonly model: string
  /** Empty string or absent: every version. */
  readonly version?: string
  readonly fromMs: number
  readonly toMs: number
  /** Labels received after this time (epoch ms) are ignored, so a training set can be rebuilt as of a moment. */
  readonly labelsUntilMs?: number
  /** At most this many rows (the earliest). */
  readonly limit?: number
}

/** One stored prediction joined to its newest label. */
export interface StoredLabelledRow {
  readonly id: string
  readonly version: string
  readonly tsMs: number
  readonly numFeatures: Record<string, number>
  readonly strFeatures: Record<string, string>
  readonly textFeatures: Record<string, string>
  /** Numeric label (0/1 for binary, the value for regression), or null when the label is a class name. */
  readonly label: number | null
  readonly labelClass: string
}

/**
 * Stored predictions of a window joined to their labels (the newest label per id, as `labelledWindow` joins them),
 * ordered by time then id: the rows a model is retrained on. A prediction id stored more than once counts once
 * (its latest receipt).
 */
export async function labelledTrainingRows(store: Store, q: TrainingRowsQuery): Promise<StoredLabelledRow[]> {
  const t = (n: string) => tableName(store.ctx, n)
  const rows = await store.queryRows<{
    id: string
    version: string
    ts_ms: number
    num_features: Record<string, number>
    str_features: Record<string, string>
    text_features: Record<string, string>
    label: number | null
    label_class: string
  }>(
    `WITH l AS (
       SELECT id, argMax(label, received_at) AS label, argMax(label_class, received_at) AS label_class
       FROM ${t('labels')}
       WHERE model = {model:String} AND ({until:Int64} < 0 OR received_at <= fromUnixTimestamp64Milli({until:Int64}))
       GROUP BY id
     ),
     p AS (
       SELECT id, version, ts, num_features, str_features, text_features
       FROM ${t('predictions')}
       WHERE model = {model:String} AND ({version:String} = '' OR version = {version:String})
         AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64})
       ORDER BY id, received_at DESC
       LIMIT 1 BY id
     )
     SELECT p.id AS id, p.version AS version, toUnixTimestamp64Milli(p.ts) AS ts_ms, p.num_features AS num_features,
       p.str_features AS str_features, p.text_features AS text_features, l.label AS label, l.label_class AS label_class
     FROM p INNER JOIN l ON p.id = l.id
     ORDER BY p.ts, p.id
     LIMIT {limit:UInt64}`,
    { model: q.model, version: q.version ?? '', from: q.fromMs, to: q.toMs, until: q.labelsUntilMs ?? -1, limit: q.limit ?? Number.MAX_SAFE_INTEGER },
  )
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    tsMs: Number(r.ts_ms),
    numFeatures: r.num_features,
    strFeatures: r.str_features,
    textFeatures: r.text_features,
    label: r.label === null ? null : Number(r.label),
    labelClass: r.label_class,
  }))
}
