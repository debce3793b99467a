import { clickhouseCount, readRollups, savedResultsEndingIn, } from "../store/index.js";
import { alertWindows, burnRate, currentBurnWindowSeconds, DEFAULT_ALERT_TIERS, errorBudget, evaluateAlerts, formatPromDuration, periodBounds, sliWindows, timeToExhaustionSeconds, } from "./burn-rate/index.js";
import { completeSlices, countValues, measureJob, measureValue, sliceWindow } from "./timeslices/index.js";
/** The model an SLO guards: its `type: highway` SLI's model, else its `model` label, else ''. */
export function sloModel(slo) {
    const sli = slo.sli;
    const query = sli.kind === 'ratio' ? sli.total : sli.measure;
    if (query.type === 'highway')
        return query.model;
    return slo.labels.model?.[0] ?? '';
}
/** The rollup selection of a `type: highway` event query, in its role in the ratio. */
function selectionOf(q, role, numerator) {
    switch (q.select) {
        case 'latency_below':
            return { select: 'latency_below', thresholdMs: q.thresholdMs };
        case 'correct':
            return q.tolerance === undefined ? { select: 'correct' } : { select: 'correct', tolerance: q.tolerance };
        case 'not_quarantined':
            return { select: 'all' };
        case 'labelled':
            return { select: 'labelled' };
        case 'all':
        case 'ok':
            // The denominator of latency and quarantine SLIs: requests that report a latency, or every record received.
            if (role === 'total' && numerator.type === 'highway' && numerator.select === 'latency_below')
                return { select: 'latency_total' };
            if (role === 'total' && numerator.type === 'highway' && numerator.select === 'not_quarantined')
                return { select: 'not_quarantined_total' };
            return { select: q.select };
    }
}
/** Most slices an SLO's own SQL is run for (one query each); more is refused rather than slow. */
const MAX_SQL_SLICES = 1_440;
const targetOf = (q) => (q.version === undefined ? { model: q.model } : { model: q.model, version: q.version });
const gridOf = (g) => ({ startMs: g.startMs, stepMs: g.sliceSeconds * 1000, count: g.count });
const firstError = (answers) => answers.find((a) => !a.ok)?.error;
const countsOf = (a) => (a?.ok ? a.values.map((v) => v ?? 0) : []);
/** Evaluates one SLO as of `nowMs` (a tick of one): SLI over the period, budget, burn rates per window, alerts. */
export async function evaluateSlo(store, slo, nowMs, read) {
    const [outcome] = await evaluateSlos(store, [slo], nowMs, read);
    if (!outcome?.ok)
        throw outcome?.error ?? new Error(`SLO ${slo.name} was not evaluated`);
    return outcome.status;
}
/**
 * Evaluates every SLO of a tick as of `nowMs`. All their rollup figures (every window and slice of every SLO) are
 * read together, in one query per rollup table (`readRollups`), then each SLO is finished in TypeScript; only SLIs
 * with their own SQL or analyzer results add queries of their own. A failing shared read rejects the whole tick;
 * an SLO whose own SQL fails gets `{ ok: false }` and the others are still answered.
 */
export async function evaluateSlos(store, slos, nowMs, read = (needs) => readRollups(store, needs)) {
    // One plan per objective: an SLO with several objectives is judged against each (their needs mostly coincide,
    // and shared grids are summed once by readRollups).
    const plans = slos.map((slo) => slo.objectives.map((objective) => {
        try {
            return planSlo(store, slo, nowMs, objective);
        }
        catch (error) {
            return { needs: [], finish: () => Promise.reject(error) };
        }
    }));
    const needs = plans.flatMap((ps) => ps.flatMap((p) => p.needs));
    const answers = needs.length === 0 ? [] : await read(needs);
    let offset = 0;
    const sliced = plans.map((ps) => ps.map((p) => answers.slice(offset, (offset += p.needs.length))));
    return Promise.all(plans.map(async (ps, i) => {
        const slo = slos[i];
        try {
            const statuses = await Promise.all(ps.map((p, j) => p.finish(sliced[i][j])));
            return { ok: true, status: mergeObjectives(slo, statuses) };
        }
        catch (error) {
            return { ok: false, name: slo.name, error };
        }
    }));
}
/** The status of an SLO from its objectives' statuses: the first at the top level, every one under `objectives` when there are several. */
export function mergeObjectives(slo, statuses) {
    const first = statuses[0];
    if (statuses.length < 2)
        return first;
    return {
        ...first,
        objectives: statuses.map((s, index) => ({
            name: slo.objectives[index].name,
            display_name: slo.objectives[index].displayName,
            index,
            target: s.target,
            status: s.status,
            ...(s.detail === undefined ? {} : { detail: s.detail }),
            sli: s.sli,
            error_budget: s.error_budget,
            burn_rates: s.burn_rates,
            alerts: s.alerts,
            time_to_exhaustion_s: s.time_to_exhaustion_s,
        })),
    };
}
/** The alert tiers of an SLO as budget shares of its period: its AlertPolicies', or the default set that fits the period. */
export function planAlertTiers(slo, periodSeconds) {
    const declared = [...(slo.alerting.pageTiers ?? []), ...(slo.alerting.ticketTiers ?? [])].map((t) => ({
        name: `${t.severity}-${t.condition}`,
        severity: t.severity,
        longWindowSeconds: t.longWindowSeconds,
        shortWindowSeconds: t.shortWindowSeconds,
        budgetPercent: (t.burnRate * t.longWindowSeconds * 100) / periodSeconds,
    }));
    // The default tiers look back up to 3 days: a shorter SLO window keeps those that fit in it.
    return declared.length > 0 ? declared : DEFAULT_ALERT_TIERS.filter((t) => t.longWindowSeconds < periodSeconds);
}
/** Stage 1: the frame of one objective as of `nowMs` (pure). */
export function planFrame(slo, objective, nowMs) {
    // Quality SLIs are judged only on windows whose labels have matured: evaluate as of now − evaluationDelay.
    const asOf = nowMs - slo.evaluationDelaySeconds * 1000;
    const bounds = periodBounds(slo.window, asOf);
    const periodSeconds = (bounds.endMs - bounds.startMs) / 1000;
    const tierSpecs = planAlertTiers(slo, periodSeconds);
    const tiers = tierSpecs.length === 0 ? [] : alertWindows(periodSeconds, tierSpecs);
    const windows = sliWindows(periodSeconds, tierSpecs).map((s) => ({
        key: s === periodSeconds ? 'period' : formatPromDuration(s),
        fromMs: s === periodSeconds ? bounds.startMs : Math.max(bounds.startMs, asOf - s * 1000),
        seconds: s === periodSeconds ? undefined : s,
    }));
    return { slo, objective, asOf, bounds, periodSeconds, tiers, windows };
}
/** Stage 2: the status of a frame before any figure is read: no data, no alert firing (pure). */
export function baseStatus(frame) {
    const { slo, objective, bounds, asOf, tiers, windows } = frame;
    return {
        name: slo.name,
        service: slo.service,
        model: sloModel(slo),
        target: objective.target,
        window: {
            duration: slo.window.kind === 'rolling' ? formatPromDuration(slo.window.seconds) : `1${slo.window.unit === 'week' ? 'w' : slo.window.unit === 'day' ? 'd' : 'M'}`,
            rolling: slo.window.kind === 'rolling',
            from: new Date(bounds.startMs).toISOString(),
            to: new Date(asOf).toISOString(),
        },
        budgeting_method: slo.budgeting,
        status: 'ok',
        sli: { good: 0, total: 0, ratio: null },
        error_budget: { total: 1, consumed: 0, remaining: 1 },
        burn_rates: Object.fromEntries(windows.map((w) => [w.key, null])),
        alerts: tiers.map((t) => ({ severity: t.severity, long_window: t.longWindow, short_window: t.shortWindow, factor: t.factor, firing: false })),
        time_to_exhaustion_s: null,
        policy: { frozen: false },
    };
}
/** Stage 4: figures → status: alerts, time to exhaustion, the stateless freeze (pure). */
export function finishStatus(frame, s) {
    const { tiers, periodSeconds } = frame;
    const alerts = evaluateAlerts({ tiers, burnRates: s.burnRates, events: s.events, minEvents: s.minEvents });
    const current = tiers.length === 0 ? null : (s.burnRates[formatPromDuration(currentBurnWindowSeconds(tiers))] ?? null);
    const remaining = 1 - s.consumed;
    return {
        ...baseStatus(frame),
        status: s.total === 0 ? 'no_data' : 'ok',
        sli: { good: s.good, total: s.total, ratio: s.ratio },
        error_budget: { total: 1, consumed: s.consumed, remaining },
        burn_rates: s.burnRates,
        alerts: alerts.map((a) => ({ severity: a.severity, long_window: a.longWindow, short_window: a.shortWindow, factor: a.factor, firing: a.firing })),
        time_to_exhaustion_s: current === null ? null : timeToExhaustionSeconds({ remaining, burnRate: current, periodSeconds }),
        // Stateless default: spent means frozen. A BudgetPolicy replaces it with the persisted, hysteretic state.
        policy: { frozen: s.total > 0 && remaining <= 0 },
    };
}
/** Occurrences: numerator and total per window → figures (pure). */
export function occurrenceFigures(frame, c) {
    const { slo, objective } = frame;
    const isBad = slo.sli.kind === 'ratio' && slo.sli.bad !== undefined;
    const good = {};
    const burnRates = {};
    for (const { key: k } of frame.windows) {
        const t = c.total[k] ?? 0;
        const n = Math.min(Math.max(c.numerator[k] ?? 0, 0), t);
        good[k] = isBad ? t - n : n;
        burnRates[k] = t === 0 ? null : burnRate((t - good[k]) / t, objective.target);
    }
    const periodTotal = c.total.period ?? 0;
    const periodGood = good.period ?? 0;
    const budget = errorBudget({ target: objective.target, goodEvents: periodGood, totalEvents: periodTotal, ...(slo.wilson ? { wilsonConfidence: slo.wilson.confidence } : {}) });
    return { good: periodGood, total: periodTotal, ratio: periodTotal === 0 ? null : periodGood / periodTotal, consumed: budget.consumed, burnRates, events: c.total, minEvents: slo.minEvents };
}
/** Timeslices and RatioTimeslices: judged slices → figures per window and over the period (pure). */
export function sliceFigures(frame, grid, slices) {
    const { objective } = frame;
    const method = { target: objective.target, ...(objective.timeSliceTarget === undefined ? {} : { timeSliceTarget: objective.timeSliceTarget }) };
    const burnRates = {};
    const events = {};
    for (const w of frame.windows) {
        const figures = sliceWindow(slices, grid, w.seconds, method);
        burnRates[w.key] = figures.burnRate;
        events[w.key] = figures.judged;
    }
    const period = sliceWindow(slices, grid, undefined, method);
    return {
        good: period.good,
        total: period.judged,
        ratio: period.errorRatio === null ? null : 1 - period.errorRatio,
        consumed: period.burnRate ?? 0,
        burnRates,
        events,
        // The events guard is applied per slice (see planTimeslices); a window needs one judged slice.
        minEvents: 1,
    };
}
/** Stage 3, Occurrences: the rollup needs of every window, or the SLO's own SQL per window. */
function planOccurrences(store, frame) {
    const { slo, windows, asOf } = frame;
    const base = baseStatus(frame);
    const sli = slo.sli;
    if (sli.kind !== 'ratio')
        return unsupportedPlan(base, 'not a ratio SLI');
    const numerator = sli.good ?? sli.bad;
    const total = sli.total;
    if (numerator.type === 'highway' && total.type === 'highway') {
        // Each window [from, asOf) is a grid of one slice: the tick's SLOs sharing windows share their sums.
        const selections = [selectionOf(numerator, 'numerator', numerator), selectionOf(total, 'total', numerator)];
        const needs = selections.flatMap((selection) => windows.map((w) => ({ kind: 'count', target: targetOf(total), selection, grid: { startMs: w.fromMs, stepMs: asOf - w.fromMs, count: 1 } })));
        return {
            needs,
            finish: async (answers) => {
                const error = firstError(answers);
                if (error !== undefined)
                    return { ...base, status: 'unsupported', detail: error };
                const byWindow = (s) => Object.fromEntries(windows.map((w, j) => [w.key, countsOf(answers[s * windows.length + j])[0] ?? 0]));
                return finishStatus(frame, occurrenceFigures(frame, { numerator: byWindow(0), total: byWindow(1) }));
            },
        };
    }
    if (numerator.type === 'clickhouse' && total.type === 'clickhouse') {
        return {
            needs: [],
            finish: async () => {
                const run = async (sql) => {
                    const out = {};
                    for (const w of windows)
                        out[w.key] = await clickhouseCount(store, sql, w.fromMs, asOf);
                    return out;
                };
                return finishStatus(frame, occurrenceFigures(frame, { numerator: await run(numerator.query), total: await run(total.query) }));
            },
        };
    }
    return unsupportedPlan(base, `${numerator.type} SLIs are evaluated by Prometheus (highway rules), not by Highway`);
}
/** Stage 3, Timeslices and RatioTimeslices: slices of `timeSliceWindow` from the period's start, judged once elapsed. */
function planTimeslices(store, frame) {
    const { slo, objective, bounds, asOf } = frame;
    const base = baseStatus(frame);
    const sliceSeconds = objective.timeSliceWindowSeconds;
    if (sliceSeconds === undefined)
        return unsupportedPlan(base, `${slo.budgeting} budgeting needs timeSliceWindow`);
    const grid = completeSlices(bounds.startMs, asOf, sliceSeconds);
    if (slo.sli.kind === 'threshold') {
        const { op, value } = objective;
        if (op === undefined || value === undefined)
            return unsupportedPlan(base, 'a threshold SLI needs the objective op and value');
        const measured = planMeasure(store, slo, grid);
        if (typeof measured === 'string')
            return unsupportedPlan(base, measured);
        return {
            needs: measured.needs,
            finish: async (answers) => {
                const values = await measured.values(answers);
                if (typeof values === 'string')
                    return { ...base, status: 'unsupported', detail: values };
                return finishStatus(frame, sliceFigures(frame, grid, countValues(values, op, value)));
            },
        };
    }
    const counted = planRatioSlices(store, slo, grid);
    if (typeof counted === 'string')
        return unsupportedPlan(base, counted);
    const isBad = slo.sli.bad !== undefined;
    return {
        needs: counted.needs,
        finish: async (answers) => {
            const counts = await counted.counts(answers);
            if (typeof counts === 'string')
                return { ...base, status: 'unsupported', detail: counts };
            const slices = counts.total.map((t, k) => {
                if (t < slo.minEvents)
                    return null;
                const n = Math.min(Math.max(counts.numerator[k] ?? 0, 0), t);
                const good = isBad ? t - n : n;
                return { good, bad: t - good };
            });
            return finishStatus(frame, sliceFigures(frame, grid, slices));
        },
    };
}
function unsupportedPlan(base, detail) {
    return { needs: [], finish: async () => ({ ...base, status: 'unsupported', detail }) };
}
/** Plans one objective of an SLO as of `nowMs`: its frame (pure), then its reads by budgeting method. */
export function planSlo(store, slo, nowMs, objective = slo.objectives[0]) {
    const frame = planFrame(slo, objective, nowMs);
    return slo.budgeting === 'Occurrences' ? planOccurrences(store, frame) : planTimeslices(store, frame);
}
/** Per-slice numerator and total of a ratio SLI: rollup needs, or the SLO's own SQL once per slice. */
function planRatioSlices(store, slo, grid) {
    const sli = slo.sli;
    if (sli.kind !== 'ratio')
        return 'not a ratio SLI';
    const numerator = sli.good ?? sli.bad;
    const total = sli.total;
    if (grid.count === 0)
        return { needs: [], counts: async () => ({ numerator: [], total: [] }) };
    if (numerator.type === 'highway' && total.type === 'highway') {
        const selections = [selectionOf(numerator, 'numerator', numerator), selectionOf(total, 'total', numerator)];
        return {
            needs: selections.map((selection) => ({ kind: 'count', target: targetOf(total), selection, grid: gridOf(grid) })),
            counts: async (answers) => firstError(answers) ?? { numerator: countsOf(answers[0]), total: countsOf(answers[1]) },
        };
    }
    if (numerator.type === 'clickhouse' && total.type === 'clickhouse') {
        if (grid.count > MAX_SQL_SLICES)
            return `ClickHouse SQL SLIs are run once per slice, at most ${MAX_SQL_SLICES} slices; this SLO has ${grid.count}: use a longer timeSliceWindow`;
        return {
            needs: [],
            counts: async () => {
                const n = [];
                const t = [];
                for (let k = 0; k < grid.count; k++) {
                    const from = grid.startMs + k * grid.sliceSeconds * 1000;
                    const to = from + grid.sliceSeconds * 1000;
                    n.push(await clickhouseCount(store, numerator.query, from, to));
                    t.push(await clickhouseCount(store, total.query, from, to));
                }
                return { numerator: n, total: t };
            },
        };
    }
    return `${numerator.type} SLIs are evaluated by Prometheus (highway rules), not by Highway`;
}
/** One value list per slice of a threshold SLI: from the rollups, the analyzer's saved results, or the SLO's own SQL. */
function planMeasure(store, slo, grid) {
    const sli = slo.sli;
    if (sli.kind !== 'threshold')
        return 'not a threshold SLI';
    const m = sli.measure;
    const sliceMs = grid.sliceSeconds * 1000;
    const endOf = (k) => grid.startMs + (k + 1) * sliceMs;
    if (m.type === 'clickhouse') {
        if (grid.count > MAX_SQL_SLICES)
            return `ClickHouse SQL SLIs are run once per slice, at most ${MAX_SQL_SLICES} slices; this SLO has ${grid.count}: use a longer timeSliceWindow`;
        return {
            needs: [],
            values: async () => {
                const out = [];
                for (let k = 0; k < grid.count; k++)
                    out.push([await clickhouseCount(store, m.query, endOf(k) - sliceMs, endOf(k))]);
                return out;
            },
        };
    }
    if (m.type !== 'highway')
        return `${m.type} SLIs are evaluated by Prometheus (highway rules), not by Highway`;
    if (grid.count === 0)
        return { needs: [], values: async () => [] };
    const target = targetOf(m);
    if (m.measure === 'freshness_seconds') {
        return {
            needs: [{ kind: 'last', target, grid: gridOf(grid) }],
            values: async ([last]) => {
                if (!last?.ok)
                    return last?.error ?? 'no answer';
                return last.values.map((t, k) => (t === null ? [] : [Math.max(0, (endOf(k) - t) / 1000)]));
            },
        };
    }
    if (m.measure === 'label_coverage') {
        return {
            needs: [
                { kind: 'count', target, selection: { select: 'labelled' }, grid: gridOf(grid) },
                { kind: 'count', target, selection: { select: 'all' }, grid: gridOf(grid) },
            ],
            values: async (answers) => {
                const error = firstError(answers);
                if (error !== undefined)
                    return error;
                const labelled = countsOf(answers[0]);
                return countsOf(answers[1]).map((n, k) => (n === 0 ? [] : [(labelled[k] ?? 0) / n]));
            },
        };
    }
    const job = measureJob(m);
    if (job === undefined)
        return `measure ${m.measure} is not evaluated`;
    return {
        needs: [],
        values: async () => {
            // An analyzer window belongs to the slice its end falls in: the slice in which its verdict became known.
            const results = await savedResultsEndingIn(store, { job, model: m.model, version: m.version ?? '', fromMs: grid.startMs, toMs: endOf(grid.count - 1) });
            const out = Array.from({ length: grid.count }, () => []);
            for (const r of results) {
                const k = Math.ceil((r.toMs - grid.startMs) / sliceMs) - 1;
                const value = measureValue(m, r.result);
                if (k >= 0 && k < grid.count && value !== undefined)
                    out[k].push(value);
            }
            return out;
        },
    };
}
//# sourceMappingURL=evaluate.js.map