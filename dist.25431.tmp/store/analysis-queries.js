import { tableName } from "./ddl.js";
import { PREDICTION_CLASS_FEATURE, PREDICTION_FEATURE, sketchKeyExpr } from "./analysis-schema.js";
const HOUR_MS = 3_600_000;
/** Splits a window into whole hours (read from rollups) and the partial hours at its edges (read raw). */
export function splitWindow(fromMs, toMs) {
    const hoursFromMs = Math.ceil(fromMs / HOUR_MS) * HOUR_MS;
    const hoursToMs = Math.floor(toMs / HOUR_MS) * HOUR_MS;
    return hoursFromMs < hoursToMs ? { hoursFromMs, hoursToMs } : { hoursFromMs: toMs, hoursToMs: toMs };
}
function params(w) {
    const { hoursFromMs, hoursToMs } = splitWindow(w.fromMs, w.toMs);
    return { model: w.model, version: w.version, from: w.fromMs, to: w.toMs, hfrom: hoursFromMs, hto: hoursToMs };
}
const VERSION = "({version:String} = '' OR version = {version:String})";
const RAW_EDGES = 'ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64}) AND NOT (ts >= fromUnixTimestamp64Milli({hfrom:Int64}) AND ts < fromUnixTimestamp64Milli({hto:Int64}))';
const HOURS = 'hour >= toDateTime(intDiv({hfrom:Int64}, 1000)) AND hour < toDateTime(intDiv({hto:Int64}, 1000))';
const RAW_WINDOW = 'ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64})';
/** Rows (predictions) in a window. */
export async function countWindow(store, w) {
    const [r] = await store.queryRows(`SELECT count() AS n FROM ${tableName(store.ctx, 'predictions')} WHERE model = {model:String} AND ${VERSION} AND ${RAW_WINDOW}`, params(w));
    return Number(r?.n ?? 0);
}
/** Per numeric feature (and `__prediction`): count, moments, extremes and merged sketch over the window. */
export async function numericProfiles(store, w) {
    const rows = await store.queryRows(`SELECT feature, sum(n) AS n, sum(s) AS s, sum(ss) AS ss, min(mn) AS mn, max(mx) AS mx, sumMap(sk) AS sketch FROM (
       SELECT feature, n, sum AS s, sum_sq AS ss, min AS mn, max AS mx, sketch AS sk
       FROM ${tableName(store.ctx, 'feature_numeric_rollup_1h')} WHERE model = {model:String} AND ${VERSION} AND ${HOURS}
       UNION ALL
       SELECT k AS feature, count() AS n, sum(v) AS s, sum(v * v) AS ss, min(v) AS mn, max(v) AS mx, sumMap(map(${sketchKeyExpr('v')}, toUInt64(1))) AS sk
       FROM ${tableName(store.ctx, 'predictions')}
       ARRAY JOIN
         arrayConcat(mapKeys(num_features), if(isNull(prediction), [], ['${PREDICTION_FEATURE}'])) AS k,
         arrayConcat(mapValues(num_features), if(isNull(prediction), [], [assumeNotNull(prediction)])) AS v
       WHERE model = {model:String} AND ${VERSION} AND ${RAW_EDGES}
       GROUP BY feature
     ) GROUP BY feature ORDER BY feature`, params(w));
    return rows.map((r) => ({ feature: r.feature, n: Number(r.n), sum: r.s, sumSq: r.ss, min: r.mn, max: r.mx, sketch: r.sketch }));
}
/** Per categorical feature (and `__prediction_class`): counts per value over the window. */
export async function categoryCounts(store, w) {
    const rows = await store.queryRows(`SELECT feature, value, sum(n) AS n FROM (
       SELECT feature, value, n FROM ${tableName(store.ctx, 'feature_category_rollup_1h')} WHERE model = {model:String} AND ${VERSION} AND ${HOURS}
       UNION ALL
       SELECT k AS feature, v AS value, count() AS n FROM ${tableName(store.ctx, 'predictions')}
       ARRAY JOIN
         arrayConcat(mapKeys(str_features), if(prediction_class = '', [], ['${PREDICTION_CLASS_FEATURE}'])) AS k,
         arrayConcat(mapValues(str_features), if(prediction_class = '', [], [prediction_class])) AS v
       WHERE model = {model:String} AND ${VERSION} AND ${RAW_EDGES}
       GROUP BY feature, value
     ) GROUP BY feature, value`, params(w));
    const out = new Map();
    for (const r of rows) {
        let m = out.get(r.feature);
        if (!m)
            out.set(r.feature, (m = new Map()));
        m.set(r.value, Number(r.n));
    }
    return out;
}
/** A deterministic sample (by id hash) of one numeric feature's values in a window, for tests that need raw values. */
export async function sampleNumeric(store, w, feature, limit) {
    const value = feature === PREDICTION_FEATURE ? 'assumeNotNull(prediction)' : 'num_features[{feature:String}]';
    const present = feature === PREDICTION_FEATURE ? 'isNotNull(prediction)' : 'mapContains(num_features, {feature:String})';
    const rows = await store.queryRows(`SELECT groupArray(v) AS v FROM (SELECT ${value} AS v FROM ${tableName(store.ctx, 'predictions')}
     WHERE model = {model:String} AND ${VERSION} AND ${RAW_WINDOW} AND ${present} ORDER BY cityHash64(id) LIMIT {limit:UInt32})`, { ...params(w), feature, limit });
    return Float64Array.from(rows[0]?.v ?? []);
}
/** A deterministic sample of rows in a window, as the given numeric features (NaN where missing), for multivariate drift. */
export async function sampleNumericRows(store, w, features, limit) {
    // One expression per feature: a lambda over the list would copy the whole map for every feature of every row
    // (measured: 3 s against 0.5 s for 50k rows × 20 features).
    const keys = {};
    const columns = features.map((f, i) => {
        keys[`f${i}`] = f;
        return `if(mapContains(num_features, {f${i}:String}), num_features[{f${i}:String}], nan)`;
    });
    const rows = await store.queryRows(`SELECT groupArray(r) AS v FROM (SELECT [${columns.join(', ')}] AS r
     FROM ${tableName(store.ctx, 'predictions')} WHERE model = {model:String} AND ${VERSION} AND ${RAW_WINDOW} ORDER BY cityHash64(id) LIMIT {limit:UInt32})
     SETTINGS output_format_json_quote_denormals = 1`, { ...params(w), ...keys, limit });
    return (rows[0]?.v ?? []).map((r) => r.map(Number));
}
/** How many rows of a window carry each text feature (reads only the map's keys subcolumn, not the texts). */
export async function textPresence(store, w) {
    const rows = await store.queryRows(`SELECT arrayJoin(text_features.keys) AS f, count() AS n FROM ${tableName(store.ctx, 'predictions')} WHERE model = {model:String} AND ${VERSION} AND ${RAW_WINDOW} GROUP BY f`, params(w));
    return new Map(rows.map((r) => [r.f, Number(r.n)]));
}
/** A deterministic sample of one text feature's values in a window. */
export async function sampleText(store, w, feature, limit) {
    const rows = await store.queryRows(`SELECT groupArray(v) AS v FROM (SELECT text_features[{feature:String}] AS v FROM ${tableName(store.ctx, 'predictions')}
     WHERE model = {model:String} AND ${VERSION} AND ${RAW_WINDOW} AND mapContains(text_features, {feature:String}) ORDER BY cityHash64(id) LIMIT {limit:UInt32})`, { ...params(w), feature, limit });
    return rows[0]?.v ?? [];
}
/** Reads predictions with their labels for realised performance, label coverage and delay. */
export async function labelledWindow(store, w, options) {
    const t = (n) => tableName(store.ctx, n);
    // NaN travels as the string "nan" (output_format_json_quote_denormals); groupArray would skip NULLs and misalign.
    const rows = await store.queryRows(`WITH l AS (
       SELECT id, argMax(label, received_at) AS label, argMax(label_class, received_at) AS label_class, max(received_at) AS label_received_at
       FROM ${t('labels')} WHERE model = {model:String} AND received_at <= fromUnixTimestamp64Milli({until:Int64}) GROUP BY id
     )
     SELECT
       (SELECT count() FROM ${t('predictions')} WHERE model = {model:String} AND ${VERSION} AND ${RAW_WINDOW}) AS total,
       count() AS labelled,
       groupArray(ifNull(p.prediction, nan)) AS scores,
       groupArray(p.prediction_class) AS classes,
       groupArray(ifNull(l.label, nan)) AS labels,
       groupArray(l.label_class) AS label_classes,
       groupArray((toUnixTimestamp64Milli(l.label_received_at) - toUnixTimestamp64Milli(p.ts)) / 1000) AS delays,
       groupArray(arrayMap(f -> p.str_features[f], {slices:Array(String)})) AS slices
     FROM ${t('predictions')} AS p INNER JOIN l ON p.id = l.id
     WHERE p.model = {model:String} AND ({version:String} = '' OR p.version = {version:String})
       AND p.ts >= fromUnixTimestamp64Milli({from:Int64}) AND p.ts < fromUnixTimestamp64Milli({to:Int64})
     SETTINGS output_format_json_quote_denormals = 1`, { ...params(w), slices: options.sliceFeatures, until: options.labelsUntilMs });
    const r = rows[0];
    const slices = {};
    options.sliceFeatures.forEach((f, i) => (slices[f] = r.slices.map((s) => s[i] ?? '')));
    return {
        predictions: Number(r.total),
        labelled: Number(r.labelled),
        scores: Float64Array.from(r.scores, Number),
        predictedClasses: r.classes,
        labels: Float64Array.from(r.labels, Number),
        labelClasses: r.label_classes,
        slices,
        delaysSeconds: Float64Array.from(r.delays, Number),
    };
}
/** Copies a deterministic sample (lowest id hashes) of a stored window, with labels, into a new reference. */
export async function copyWindowToReference(store, w, target) {
    const t = (n) => tableName(store.ctx, n);
    const total = await countWindow(store, w);
    await store.command(`INSERT INTO ${t('reference_samples')} (model, version, reference_id, id, ts, num_features, str_features, text_features, prediction, prediction_class, label, label_class)
     SELECT p.model, {target_version:String}, {reference_id:String}, p.id, p.ts, p.num_features, p.str_features, p.text_features, p.prediction, p.prediction_class, l.label, l.label_class
     FROM (SELECT * FROM ${t('predictions')} WHERE model = {model:String} AND ${VERSION} AND ${RAW_WINDOW} ORDER BY cityHash64(id) LIMIT {limit:UInt32}) AS p
     LEFT JOIN (SELECT id, argMax(label, received_at) AS label, argMax(label_class, received_at) AS label_class FROM ${t('labels')} WHERE model = {model:String} GROUP BY id) AS l ON p.id = l.id
     SETTINGS join_use_nulls = 1`, { ...params(w), target_version: target.version, reference_id: target.referenceId, limit: target.limit });
    return { rows: total, sampled: Math.min(total, target.limit) };
}
/** Inserts reference rows (encoded here as JSONCompactEachRow in `reference_samples` column order). */
export async function insertReferenceRows(store, rows) {
    if (rows.length === 0)
        return;
    const lines = rows.map(({ model, version, referenceId, row, label, labelClass }) => JSON.stringify([model, version, referenceId, row.id, row.tsMs, row.numFeatures, row.strFeatures, row.textFeatures, row.prediction, row.predictionClass, label, labelClass]));
    await store.command(`INSERT INTO ${tableName(store.ctx, 'reference_samples')} (model, version, reference_id, id, ts, num_features, str_features, text_features, prediction, prediction_class, label, label_class) FORMAT JSONCompactEachRow\n${lines.join('\n')}`);
}
/** Reads a reference's sample back, per feature. */
export async function readReferenceSample(store, ref) {
    const rows = await store.queryRows(`SELECT num_features AS num, str_features AS str, text_features AS text, prediction AS p, label AS l FROM ${tableName(store.ctx, 'reference_samples')}
     WHERE model = {model:String} AND version = {version:String} AND reference_id = {reference_id:String} ORDER BY cityHash64(id)`, { model: ref.model, version: ref.version, reference_id: ref.referenceId });
    const numeric = new Map();
    const categorical = new Map();
    const text = new Map();
    const push = (m, k, v) => {
        const arr = m.get(k);
        if (arr)
            arr.push(v);
        else
            m.set(k, [v]);
    };
    const scores = [];
    const labels = [];
    const features = [...new Set(rows.flatMap((r) => Object.keys(r.num)))].sort();
    const matrix = rows.map((r) => Float64Array.from(features, (f) => (f in r.num ? r.num[f] : NaN)));
    for (const r of rows) {
        for (const [k, v] of Object.entries(r.num))
            push(numeric, k, v);
        for (const [k, v] of Object.entries(r.str))
            push(categorical, k, v);
        for (const [k, v] of Object.entries(r.text))
            push(text, k, v);
        if (r.p !== null)
            push(numeric, PREDICTION_FEATURE, Number(r.p));
        if (r.p !== null && r.l !== null) {
            scores.push(Number(r.p));
            labels.push(Number(r.l));
        }
    }
    return {
        rows: rows.length,
        numeric: new Map([...numeric].map(([k, v]) => [k, Float64Array.from(v)])),
        categorical,
        text,
        scores: Float64Array.from(scores),
        labels: Float64Array.from(labels),
        matrix: { features, rows: matrix },
    };
}
/** Records a reference set (the newest per model and version is in force). */
export async function saveReferenceSet(store, set) {
    await store.command(`INSERT INTO ${tableName(store.ctx, 'reference_sets')} (model, version, reference_id, source, created_at, rows, sampled_rows, profile)
     VALUES ({model:String}, {version:String}, {reference_id:String}, {source:String}, fromUnixTimestamp64Milli({created:Int64}), {rows:UInt64}, {sampled:UInt64}, {profile:String})`, { model: set.model, version: set.version, reference_id: set.referenceId, source: set.source, created: set.createdAtMs, rows: set.rows, sampled: set.sampledRows, profile: set.profile });
}
/** The reference in force for a model version, falling back to the model-wide one (version ''). */
export async function latestReference(store, model, version) {
    const rows = await store.queryRows(`SELECT model, version, reference_id, source, toUnixTimestamp64Milli(created_at) AS created, rows, sampled_rows, profile
     FROM ${tableName(store.ctx, 'reference_sets')} FINAL WHERE model = {model:String} AND version IN ({version:String}, '')
     ORDER BY version = {version:String} DESC, created_at DESC LIMIT 1`, { model, version });
    const r = rows[0];
    return r && { model: r.model, version: r.version, referenceId: r.reference_id, source: r.source, createdAtMs: Number(r.created), rows: Number(r.rows), sampledRows: Number(r.sampled_rows), profile: r.profile };
}
/** Reads what data quality needs beyond the feature profiles. */
export async function qualityFacts(store, w, options) {
    const t = (n) => tableName(store.ctx, n);
    const p = params(w);
    const span = w.toMs - w.fromMs;
    const [q, byField, dup, fresh, history] = await Promise.all([
        store.queryRows(`SELECT count() AS n FROM ${t('quarantine')} WHERE model = {model:String} AND kind = 'prediction' AND ${RAW_WINDOW}`, p),
        store.queryRows(`SELECT field, rule, count() AS n FROM ${t('quarantine')} ARRAY JOIN fields AS field, rules AS rule
       WHERE model = {model:String} AND kind = 'prediction' AND ${RAW_WINDOW}
       GROUP BY field, rule ORDER BY field, rule`, p),
        store.queryRows(`SELECT count() - uniqExact(cityHash64(id)) AS n FROM ${t('predictions')} WHERE model = {model:String} AND ${VERSION} AND ${RAW_WINDOW}`, p),
        store.queryRows(`SELECT (SELECT toUnixTimestamp64Milli(max(last_ts)) FROM ${t('prediction_rollup_1m')} WHERE model = {model:String} AND minute < toDateTime(intDiv({to:Int64}, 1000) + 60)) AS lp,
              (SELECT if(count() = 0, NULL, toUnixTimestamp64Milli(max(received_at))) FROM ${t('labels')} WHERE model = {model:String} AND received_at < fromUnixTimestamp64Milli({to:Int64})) AS ll`, p),
        store.queryRows(`SELECT intDiv(toUnixTimestamp(minute) * 1000 - ({from:Int64} - {span:Int64} * {k:UInt32}), {span:Int64}) AS i, sum(predictions) AS n
       FROM ${t('prediction_rollup_1m')} WHERE model = {model:String} AND ${VERSION}
         AND minute >= toDateTime(intDiv({from:Int64} - {span:Int64} * {k:UInt32}, 1000)) AND minute < toDateTime(intDiv({from:Int64}, 1000))
       GROUP BY i ORDER BY i`, { ...p, span, k: options.previousWindows }),
    ]);
    const previousCounts = new Array(options.previousWindows).fill(0);
    for (const h of history)
        if (h.i >= 0 && h.i < options.previousWindows)
            previousCounts[h.i] = Number(h.n);
    const f = fresh[0];
    return {
        quarantined: Number(q[0]?.n ?? 0),
        byFieldRule: byField.map((r) => ({ field: r.field, rule: r.rule, n: Number(r.n) })),
        duplicateIds: Number(dup[0]?.n ?? 0),
        lastPredictionMs: f?.lp === null || f?.lp === undefined || Number(f.lp) <= 0 ? null : Number(f.lp),
        lastLabelMs: f?.ll === null || f?.ll === undefined ? null : Number(f.ll),
        previousCounts,
    };
}
/** Stores a job result; the (job, model, version, window) key makes a rerun replace it. */
export async function saveAnalysisResult(store, r) {
    await store.command(`INSERT INTO ${tableName(store.ctx, 'analysis_results')} (job, model, version, window_from, window_to, computed_at, result)
     VALUES ({job:String}, {model:String}, {version:String}, fromUnixTimestamp64Milli({from:Int64}), fromUnixTimestamp64Milli({to:Int64}), fromUnixTimestamp64Milli({at:Int64}), {result:String})`, { job: r.job, model: r.model, version: r.version, from: r.fromMs, to: r.toMs, at: r.computedAtMs, result: JSON.stringify(r.result) });
}
/**
 * The newest stored result of a job for (model, version): the latest window end, and of reruns of that window the
 * latest computation. No FINAL: the ORDER BY picks what the replacing merge would keep, without merging at read.
 */
export async function latestAnalysisResult(store, q) {
    const rows = await store.queryRows(`SELECT toUnixTimestamp64Milli(window_from) AS f, toUnixTimestamp64Milli(window_to) AS t, toUnixTimestamp64Milli(computed_at) AS c, result
     FROM ${tableName(store.ctx, 'analysis_results')}
     WHERE job = {job:String} AND model = {model:String} AND version = {version:String}
     ORDER BY window_to DESC, computed_at DESC LIMIT 1`, { job: q.job, model: q.model, version: q.version });
    const r = rows[0];
    return r && { job: q.job, model: q.model, version: q.version, fromMs: Number(r.f), toMs: Number(r.t), computedAtMs: Number(r.c), result: JSON.parse(r.result) };
}
/**
 * The analyzer's storage, as one object over a store: what `analyzer/` declares it needs (its `AnalysisStore`
 * port), so the analyzer imports no query function.
 */
export function createAnalysisStore(store) {
    return {
        countWindow: (w) => countWindow(store, w),
        numericProfiles: (w) => numericProfiles(store, w),
        categoryCounts: (w) => categoryCounts(store, w),
        sampleNumeric: (w, feature, limit) => sampleNumeric(store, w, feature, limit),
        sampleNumericRows: (w, features, limit) => sampleNumericRows(store, w, features, limit),
        sampleText: (w, feature, limit) => sampleText(store, w, feature, limit),
        textPresence: (w) => textPresence(store, w),
        labelledWindow: (w, options) => labelledWindow(store, w, options),
        qualityFacts: (w, options) => qualityFacts(store, w, options),
        copyWindowToReference: (w, target) => copyWindowToReference(store, w, target),
        insertReferenceRows: (rows) => insertReferenceRows(store, rows),
        readReferenceSample: (ref) => readReferenceSample(store, ref),
        saveReferenceSet: (set) => saveReferenceSet(store, set),
        latestReference: (model, version) => latestReference(store, model, version),
        saveAnalysisResult: (r) => saveAnalysisResult(store, r),
        latestAnalysisResult: (q) => latestAnalysisResult(store, q),
    };
}
//# sourceMappingURL=analysis-queries.js.map