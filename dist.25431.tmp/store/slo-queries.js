import { tableName } from "./ddl.js";
import { sketchKeyExpr } from "./analysis-schema.js";
import { LATENCY_BUCKETS_MS } from "./schema.js";
/** A selection the rollup cannot answer (a latency threshold between its buckets). */
export class UnsupportedSelectionError extends Error {
    name = 'UnsupportedSelectionError';
}
/** The aggregates a selection sums, and with what sign; throws UnsupportedSelectionError for one the rollup cannot answer. */
function termsOf(sel, grid) {
    const p = (key, sql, sign = 1) => ({ table: 'prediction_rollup_1m', aggregate: { key, sql: () => sql }, sign, grid });
    const l = (key, sql) => ({ table: 'label_rollup_1m', aggregate: { key, sql }, sign: 1, grid });
    const predictions = p('n', 'sum(predictions)');
    switch (sel.select) {
        case 'latency_below': {
            const b = LATENCY_BUCKETS_MS.indexOf(sel.thresholdMs);
            if (b < 0)
                throw new UnsupportedSelectionError(`thresholdMs must be one of the rollup's latency buckets (${LATENCY_BUCKETS_MS.join(', ')} ms), got ${sel.thresholdMs}`);
            return [{ table: 'prediction_rollup_1m', aggregate: { key: `le${b}`, sql: () => `le_state[${b + 1}]`, latency: true }, sign: 1, grid }];
        }
        case 'ok':
            return [predictions, p('e', 'sum(errors)', -1)];
        case 'latency_total':
            return [p('lc', 'sum(latency_count)')];
        case 'all':
            return [predictions];
        case 'not_quarantined_total':
            // Every record received: stored predictions plus those the schema rejected (the quarantine holds only those).
            return [predictions, { table: 'quarantine', aggregate: { key: 'q', sql: () => 'count()' }, sign: 1, grid }];
        case 'labelled':
            return [l('lab', () => 'sum(labelled)')];
        case 'correct': {
            if (sel.tolerance === undefined)
                return [l('cor', () => 'sum(correct)')];
            if (!Number.isFinite(sel.tolerance) || sel.tolerance < 0)
                throw new UnsupportedSelectionError(`tolerance must be a finite number ≥ 0, got ${sel.tolerance}`);
            // Errors are kept as DDSketch keys (relative accuracy 0.2 %, store/analysis-schema.ts): the bucket that holds
            // the tolerance counts as within it, so an error up to 0.4 % above the tolerance may count as correct. The
            // tolerance is a checked finite number, written as a literal (String(number) cannot carry SQL).
            const key = sketchKeyExpr(`toFloat64(${String(sel.tolerance)})`);
            return [l(`tol${String(sel.tolerance)}`, (needed) => `sumIf(arraySum(mapValues(mapFilter((k, v) -> k >= 0 AND k <= ${key}, abs_error))), ${needed})`)];
        }
    }
}
/** A grid in whole seconds as the minute rollups read it: minutes in [fromS, fromS + stepS·count), slice k = ⌊(minute − fromS) / stepS⌋. */
function secondsGrid(g) {
    const fromS = Math.floor(g.startMs / 1000);
    const stepS = g.count === 1 ? Math.floor((g.startMs + g.stepMs) / 1000) - fromS : g.stepMs / 1000;
    return { fromS, stepS, count: g.count };
}
const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));
/**
 * The coarsest buckets [offsetS + j·bucketS, offsetS + (j+1)·bucketS) that no grid boundary cuts: every whole
 * minute of one bucket then falls in the same slice of every grid, so a grid can read bucket starts instead of
 * minutes. Boundaries are rounded up to the minute (a minute is in [from, end) iff it is ≥ ⌈from⌉ and < ⌈end⌉);
 * a step that is not whole minutes keeps one-minute buckets. A lower bound of 0 ("everything before") cuts nothing.
 */
function fineBuckets(grids) {
    const up = (s) => Math.ceil(s / 60) * 60;
    const edges = grids.flatMap((g) => [g.from, g.end]).filter((s) => s > 0).map(up);
    const offsetS = edges[0] ?? 0;
    let bucketS = 0;
    for (const e of edges)
        bucketS = gcd(bucketS, Math.abs(e - offsetS));
    for (const g of grids)
        if (g.end - g.from > g.step)
            bucketS = g.step % 60 === 0 ? gcd(bucketS, g.step) : 60;
    return { offsetS, bucketS: bucketS === 0 ? 60 : Math.max(60, bucketS) };
}
/**
 * One query over `table` for every grid and aggregate of the tick: each rollup row is sent (ARRAY JOIN) to every
 * grid whose range holds it, then summed per (model, version, grid, slice). Grids shared by many SLOs (the same
 * windows, the same slices) are computed once. Versions are kept apart only for models an SLO asks by version.
 */
async function queryCells(store, table, terms, targets) {
    const ms = table === 'quarantine';
    const grids = new Map();
    const keyOf = (g) => {
        if (ms)
            return { from: g.startMs, step: g.stepMs, end: g.startMs + g.stepMs * g.count };
        const s = secondsGrid(g);
        return { from: s.fromS, step: s.stepS, end: s.fromS + s.stepS * s.count };
    };
    const id = (g) => {
        const k = keyOf(g);
        return `${k.from}/${k.step}/${k.end}`;
    };
    for (const t of terms)
        if (t.grid.count > 0 && keyOf(t.grid).step > 0)
            grids.set(id(t.grid), keyOf(t.grid));
    const ids = [...grids.keys()];
    const gridIndex = (g) => ids.indexOf(id(g)) + 1;
    const cells = new Map();
    if (ids.length === 0)
        return { cells, gridIndex };
    const list = [...grids.values()];
    const aggregates = new Map(terms.map((t) => [t.aggregate.key, t.aggregate]));
    const names = [...aggregates.keys()];
    // Which grids (1-based) need each aggregate, and the latency bucket merge.
    const neededBy = names.map((n) => [...new Set(terms.filter((t) => t.aggregate.key === n && t.grid.count > 0).map((t) => gridIndex(t.grid)).filter((g) => g > 0))]);
    const latencyGrids = [...new Set(terms.filter((t) => t.aggregate.latency).map((t) => gridIndex(t.grid)).filter((g) => g > 0))];
    const models = [...new Set(targets.map((t) => t.model))];
    const versioned = [...new Set(targets.filter((t) => t.version !== undefined && t.version !== '').map((t) => t.model))];
    const params = {
        models,
        versioned,
        gs: list.map((g) => g.from),
        gl: list.map((g) => g.step),
        ge: list.map((g) => g.end),
        ng: list.length,
        lo: Math.min(...list.map((g) => g.from)),
        hi: Math.max(...list.map((g) => g.end)),
        ple: latencyGrids,
        ...Object.fromEntries(neededBy.map((gs, i) => [`p${i}`, gs])),
    };
    const range = ms ? 'ts >= fromUnixTimestamp64Milli({lo:Int64}) AND ts < fromUnixTimestamp64Milli({hi:Int64})' : 'minute >= toDateTime({lo:Int64}) AND minute < toDateTime({hi:Int64})';
    const version = ms ? "''" : "if(has({versioned:Array(String)}, model), version, '')";
    const where = `model IN {models:Array(String)}${ms ? " AND kind = 'prediction'" : ''} AND ${range}`;
    let source;
    let time;
    if (ms) {
        // The quarantine holds only rejected records: few rows, read as they are, to the millisecond.
        source = `SELECT *, ${version} AS v FROM ${tableName(store.ctx, table)} WHERE ${where}`;
        time = 'toUnixTimestamp64Milli(ts)';
    }
    else {
        // First the rollup is summed into the coarsest buckets every grid boundary falls on (5 minutes when the tick
        // is on a 5-minute mark and the finest slice is 5 minutes; one minute at worst), so that fewer rows are then
        // sent to several grids each. Same column names, so the grid aggregates read either.
        const fine = fineBuckets(list);
        Object.assign(params, { o: fine.offsetS, q: fine.bucketS });
        const m = 'toInt64(toUnixTimestamp(minute))';
        const states = [
            'sum(predictions) AS predictions, sum(errors) AS errors, sum(latency_count) AS latency_count',
            ...(latencyGrids.length > 0 ? ['sumForEachMergeState(latency_le) AS latency_le'] : []),
            ...(names.includes('last') ? ['max(last_ts) AS last_ts'] : []),
        ];
        const labelStates = ['sum(labelled) AS labelled, sum(correct) AS correct', ...(names.some((n) => n.startsWith('tol')) ? ['sumMap(abs_error) AS abs_error'] : [])];
        source = `SELECT model, ${version} AS v, ${m} - positiveModulo(${m} - {o:Int64}, {q:Int64}) AS t, ${(table === 'label_rollup_1m' ? labelStates : states).join(', ')}
       FROM ${tableName(store.ctx, table)} WHERE ${where} GROUP BY model, v, t`;
        time = 't';
    }
    // Per (model, version, grid) one row of arrays: ~100k slices come back as a few hundred rows (JSON objects per
    // slice cost 3× the query itself, measured), as Float64 so that counts are not quoted as 64-bit strings.
    const rows = await store.queryRows(`SELECT model, v, g, groupArray(k) AS ks, ${names.map((_n, i) => `groupArrayIf(a${i}, has({p${i}:Array(UInt32)}, g)) AS a${i}`).join(', ')}
     FROM (
       SELECT model, v, gk.1 AS g, gk.2 AS k,
         ${latencyGrids.length > 0 ? 'sumForEachMergeIf(latency_le, has({ple:Array(UInt32)}, g)) AS le_state,' : ''}
         ${names.map((n, i) => `toFloat64(${aggregates.get(n).sql(`has({p${i}:Array(UInt32)}, g)`)}) AS a${i}`).join(', ')}
       FROM (${source})
       ARRAY JOIN arrayMap(i -> (i, intDiv(${time} - {gs:Array(Int64)}[i], {gl:Array(Int64)}[i])),
         arrayFilter(i -> ${time} >= {gs:Array(Int64)}[i] AND ${time} < {ge:Array(Int64)}[i], range(1, {ng:UInt32} + 1))) AS gk
       GROUP BY model, v, g, k
     )
     GROUP BY model, v, g`, params);
    for (const row of rows) {
        const key = `${String(row.model)}\u0000${Number(row.g)}`;
        // An aggregate that no need of this grid reads comes back empty, and is never read.
        const values = Object.fromEntries(names.map((n, i) => [n, row[`a${i}`].map(Number)]));
        let list = cells.get(key);
        if (list === undefined)
            cells.set(key, (list = []));
        list.push({ v: String(row.v), ks: row.ks.map(Number), values });
    }
    return { cells, gridIndex };
}
/**
 * Answers every rollup need of an evaluation tick with one query per table read (`prediction_rollup_1m`,
 * `label_rollup_1m`, and `quarantine` only when a `not_quarantined` SLI asks): each query returns, for every
 * model, every window and every slice the tick's SLOs need, the sums of the aggregates they read, finished per
 * need here. Never scans raw predictions. Label selections count predictions by the minute they were MADE, with
 * the newest label of each. A need the rollups cannot answer (a latency threshold between buckets) gets an error
 * answer; the others are still answered.
 */
export async function readRollups(store, needs) {
    const termsByNeed = needs.map((need) => {
        try {
            if (need.kind === 'count')
                return termsOf(need.selection, need.grid);
            // Freshness: the newest prediction per slice, and before the grid (no lower bound) for the slices before the first one.
            const last = { key: 'last', sql: (needed) => `toUnixTimestamp64Milli(maxIf(last_ts, ${needed}))` };
            const before = { startMs: 0, stepMs: Math.floor(need.grid.startMs / 1000) * 1000, count: 1 };
            return [
                { table: 'prediction_rollup_1m', aggregate: last, sign: 1, grid: need.grid },
                { table: 'prediction_rollup_1m', aggregate: last, sign: 1, grid: before },
            ];
        }
        catch (err) {
            if (err instanceof UnsupportedSelectionError)
                return err.message;
            throw err;
        }
    });
    // The tables' queries run at once: chDB (and a server) answers them in parallel, off the event loop.
    const results = new Map();
    await Promise.all(['prediction_rollup_1m', 'label_rollup_1m', 'quarantine'].map(async (table) => {
        const terms = [];
        const targets = [];
        termsByNeed.forEach((ts, i) => {
            if (typeof ts === 'string')
                return;
            const mine = ts.filter((t) => t.table === table);
            terms.push(...mine);
            if (mine.length > 0)
                targets.push(needs[i].target);
        });
        if (terms.length > 0)
            results.set(table, await queryCells(store, table, terms, targets));
    }));
    const rowsOf = (t, target) => {
        const r = results.get(t.table);
        const g = r?.gridIndex(t.grid) ?? 0;
        const all = g === 0 ? [] : (r?.cells.get(`${target.model}\u0000${g}`) ?? []);
        return target.version === undefined || target.version === '' ? all : all.filter((c) => c.v === target.version);
    };
    return needs.map((need, i) => {
        const terms = termsByNeed[i];
        if (typeof terms === 'string')
            return { ok: false, error: terms };
        const n = need.grid.count;
        if (need.kind === 'count') {
            const out = new Array(n).fill(0);
            for (const t of terms) {
                for (const c of rowsOf(t, need.target)) {
                    const values = c.values[t.aggregate.key] ?? [];
                    c.ks.forEach((k, j) => {
                        if (k >= 0 && k < n)
                            out[k] += t.sign * (values[j] ?? 0);
                    });
                }
            }
            return { ok: true, values: out };
        }
        const newest = new Array(n).fill(null);
        for (const c of rowsOf(terms[0], need.target))
            c.ks.forEach((k, j) => k >= 0 && k < n && (newest[k] = Math.max(newest[k] ?? -Infinity, c.values.last?.[j] ?? -Infinity)));
        let last = null;
        for (const c of rowsOf(terms[1], need.target))
            for (const t of c.values.last ?? [])
                last = Math.max(last ?? -Infinity, t);
        const out = [];
        for (let k = 0; k < n; k++) {
            const here = newest[k];
            if (here !== null && here !== undefined)
                last = last === null ? here : Math.max(last, here);
            out.push(last);
        }
        return { ok: true, values: out };
    });
}
/** The analyzer's saved results of one job, model and version whose windows END in (fromMs, toMs], oldest first. */
export async function savedResultsEndingIn(store, q) {
    const rows = await store.queryRows(`SELECT toUnixTimestamp64Milli(window_from) AS f, toUnixTimestamp64Milli(window_to) AS t, argMax(result, computed_at) AS result
     FROM ${tableName(store.ctx, 'analysis_results')}
     WHERE job = {job:String} AND model = {model:String} AND version = {version:String}
       AND window_to > fromUnixTimestamp64Milli({from:Int64}) AND window_to <= fromUnixTimestamp64Milli({to:Int64})
     GROUP BY window_from, window_to ORDER BY t`, { job: q.job, model: q.model, version: q.version, from: q.fromMs, to: q.toMs });
    return rows.map((r) => ({ fromMs: Number(r.f), toMs: Number(r.t), result: JSON.parse(r.result) }));
}
/** Runs an SLO's own ClickHouse SQL for one window; it binds {from:DateTime64(3)} and {to:DateTime64(3)} and returns one number. */
export async function clickhouseCount(store, sql, fromMs, toMs) {
    const rows = await store.queryRows(sql, { from: new Date(fromMs).toISOString().replace('T', ' ').replace('Z', ''), to: new Date(toMs).toISOString().replace('T', ' ').replace('Z', '') });
    const first = rows[0] ? Object.values(rows[0])[0] : 0;
    return Number(first ?? 0);
}
/** Appends one freeze transition (the audit row, and the newest state of that SLO). */
export async function insertPolicyTransition(store, t) {
    await store.command(`INSERT INTO ${tableName(store.ctx, 'slo_policy_transitions')} (slo, model, frozen, reason, remaining, at)
     VALUES ({slo:String}, {model:String}, {frozen:UInt8}, {reason:String}, {remaining:Float64}, fromUnixTimestamp64Milli({at:Int64}))`, { slo: t.slo, model: t.model, frozen: t.frozen ? 1 : 0, reason: t.reason, remaining: Number.isFinite(t.remaining) ? t.remaining : 0, at: t.atMs });
}
/** The newest transition of each SLO (optionally only those of one model): the persisted freeze state. */
export async function latestPolicyStates(store, q = {}) {
    // Aliases differ from the columns: ClickHouse would otherwise read `at` inside argMax as the max(at) alias.
    const rows = await store.queryRows(`SELECT slo, argMax(model, at) AS m, argMax(frozen, at) AS f, argMax(reason, at) AS why, argMax(remaining, at) AS left, toUnixTimestamp64Milli(max(at)) AS t
     FROM ${tableName(store.ctx, 'slo_policy_transitions')}
     GROUP BY slo
     HAVING {model:String} = '' OR m = {model:String}
     ORDER BY slo`, { model: q.model ?? '' });
    return rows.map((r) => ({ slo: r.slo, model: r.m, frozen: Number(r.f) === 1, reason: r.why, remaining: Number(r.left), atMs: Number(r.t) }));
}
/** Every transition of one SLO, oldest first: its audit trail. */
export async function policyTransitions(store, slo) {
    const rows = await store.queryRows(`SELECT slo, model, frozen, reason, remaining, toUnixTimestamp64Milli(at) AS at FROM ${tableName(store.ctx, 'slo_policy_transitions')} WHERE slo = {slo:String} ORDER BY at`, { slo });
    return rows.map((r) => ({ slo: r.slo, model: r.model, frozen: Number(r.frozen) === 1, reason: r.reason, remaining: Number(r.remaining), atMs: Number(r.at) }));
}
//# sourceMappingURL=slo-queries.js.map