import { insertColumns } from "./rows.js";
import { tableName } from "./ddl.js";
import { StoreError } from "./errors.js";
import { predictionLinesToRowBinary, RowBinaryEncodeError } from "./row-binary.js";
import { predictionsTable } from "./schema.js";
/** RowBinary of predictions lines; a line that cannot be encoded is refused as ClickHouse would refuse it. */
async function toRowBinary(payload) {
    try {
        return await predictionLinesToRowBinary(payload);
    }
    catch (err) {
        if (err instanceof RowBinaryEncodeError)
            throw new StoreError('rejected', 'insert into predictions', err.message, { cause: err });
        throw err;
    }
}
/** Creates the ClickHouse side of ingest. */
export function createIngestWriter(store, options) {
    let purging = false;
    // `file()` reads the RowBinary with the table's column types, in the encoder's column order, LowCardinality
    // left out: reading into plain String and casting on insert measured 14-16 ClickHouse CPU-µs per row, reading
    // into LowCardinality 21 (bench/RESULTS.md, run 22).
    const types = new Map(predictionsTable.spec(store.ctx).columns.map((c) => [c.slice(0, c.indexOf(' ')), c.replace(/LowCardinality\((\w+)\)/g, '$1')]));
    const structure = insertColumns('predictions').map((name) => types.get(name)).join(', ');
    // Embedded, predictions go as RowBinary: ClickHouse parses it at half the CPU of JSON (store/row-binary.ts).
    const prepare = async (table, payload) => table === 'predictions' && store.mode === 'embedded' ? toRowBinary(payload) : undefined;
    return {
        prepare,
        async insert(table, payload, token, prepared) {
            const settings = table === 'predictions' ? { ...ingestSettings(store, token), ...PREDICTION_VIEW_SETTINGS } : ingestSettings(store, token);
            const binary = prepared ?? (await prepare(table, payload));
            await store.insertEncoded({
                table,
                columns: insertColumns(table),
                ...(binary
                    ? { format: 'RowBinary', payload: Buffer.from(binary.buffer, binary.byteOffset, binary.byteLength), structure }
                    : { format: 'JSONCompactEachRow', payload: Buffer.from(payload) }),
                settings,
                timeoutMs: options.timeoutMs,
            });
            // Embedded, chDB's jemalloc shares this process and keeps the pages an insert freed for seconds (about 90 MB
            // after a run of 10,000-row inserts: docs/storage.md, "Acknowledged once logged"). Hand them back after every
            // insert (one purge at a time), without waiting: the purge overlaps the next insert instead of delaying it.
            // Measured against once a second: peak RSS 568-587 against 592-601 MB, rate within the noise. A purge that
            // fails costs memory, never rows.
            if (store.mode === 'embedded' && !purging) {
                purging = true;
                void store
                    .command('SYSTEM JEMALLOC PURGE')
                    .catch(() => undefined)
                    .finally(() => (purging = false));
            }
        },
    };
}
// The three views on predictions are half an insert's CPU (measured: docs/storage.md, "The insert path"). They run side by side
// rather than one after another, and their blocks go to the rollups as they are: each view groups by its target's
// whole sorting key, so the block has one row per key and the merge on insert (optimize_on_insert) would find
// nothing to merge. About 10% off a 1,000-row insert's wall time. Labels keep the defaults: their views
// (migration 4) read each other's table.
const PREDICTION_VIEW_SETTINGS = { parallel_view_processing: 1, optimize_on_insert: 0 };
/** The settings of every ingest insert: idempotent per token, in the raw table and in the views' rollups. */
function ingestSettings(store, token) {
    return {
        insert_deduplicate: 1,
        insert_deduplication_token: token,
        deduplicate_blocks_in_dependent_materialized_views: 1,
        // Validation bounds ts to the retention window, so a block spans at most retentionDays + 2 partitions.
        max_partitions_per_insert_block: store.ctx.retentionDays + 2,
    };
}
/** Reads per-model counts from the rollup (predictions) and the raw label and quarantine tables. */
export async function readModelCounts(store, models) {
    const t = (name) => tableName(store.ctx, name);
    const params = { models };
    const [preds, labels, quarantined] = await Promise.all([
        store.queryRows(`SELECT model, sum(predictions) AS n, toUnixTimestamp64Milli(max(last_ts)) AS last FROM ${t('prediction_rollup_1m')} WHERE model IN {models:Array(String)} GROUP BY model`, params),
        store.queryRows(`SELECT model, uniqExact(id) AS n FROM ${t('labels')} WHERE model IN {models:Array(String)} GROUP BY model`, params),
        store.queryRows(`SELECT model, count() AS n FROM ${t('quarantine')} WHERE model IN {models:Array(String)} GROUP BY model`, params),
    ]);
    const out = new Map();
    for (const m of models)
        out.set(m, { predictions: 0, labels: 0, quarantined: 0, lastPredictionAtMs: null });
    const patch = (model, p) => {
        const cur = out.get(model);
        if (cur)
            out.set(model, { ...cur, ...p });
    };
    for (const r of preds)
        patch(r.model, { predictions: Number(r.n), lastPredictionAtMs: r.last === null ? null : Number(r.last) });
    for (const r of labels)
        patch(r.model, { labels: Number(r.n) });
    for (const r of quarantined)
        patch(r.model, { quarantined: Number(r.n) });
    return out;
}
/** Which of these prediction ids (and quarantine record hashes) a model already has: replays of retried requests. */
export async function findStoredRecords(store, query) {
    const t = (name) => tableName(store.ctx, name);
    const bounded = query.fromMs !== undefined && query.toMs !== undefined;
    const [ids, hashes] = await Promise.all([
        query.ids.length === 0
            ? Promise.resolve([])
            : store.queryRows(`SELECT DISTINCT id FROM ${t('predictions')} WHERE model = {model:String} AND id IN {ids:Array(String)}` +
                (bounded ? ' AND ts BETWEEN fromUnixTimestamp64Milli({from:Int64}) AND fromUnixTimestamp64Milli({to:Int64})' : ''), { model: query.model, ids: query.ids, ...(bounded ? { from: query.fromMs, to: query.toMs } : {}) }),
        query.hashes.length === 0
            ? Promise.resolve([])
            : store.queryRows(`SELECT DISTINCT record_hash AS h FROM ${t('quarantine')} WHERE model = {model:String} AND record_hash IN {hashes:Array(String)}`, { model: query.model, hashes: query.hashes }),
    ]);
    return { ids: new Set(ids.map((r) => r.id)), hashes: new Set(hashes.map((r) => r.h)) };
}
//# sourceMappingURL=ingest-writer.js.map