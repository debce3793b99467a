import { tableName } from "./ddl.js";
/**
 * Stored predictions of a window joined to their labels (the newest label per id, as `labelledWindow` joins them),
 * ordered by time then id: the rows a model is retrained on. A prediction id stored more than once counts once
 * (its latest receipt).
 */
export async function labelledTrainingRows(store, q) {
    const t = (n) => tableName(store.ctx, n);
    const rows = await store.queryRows(`WITH l AS (
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
     LIMIT {limit:UInt64}`, { model: q.model, version: q.version ?? '', from: q.fromMs, to: q.toMs, until: q.labelsUntilMs ?? -1, limit: q.limit ?? Number.MAX_SAFE_INTEGER });
    return rows.map((r) => ({
        id: r.id,
        version: r.version,
        tsMs: Number(r.ts_ms),
        numFeatures: r.num_features,
        strFeatures: r.str_features,
        textFeatures: r.text_features,
        label: r.label === null ? null : Number(r.label),
        labelClass: r.label_class,
    }));
}
//# sourceMappingURL=training-queries.js.map