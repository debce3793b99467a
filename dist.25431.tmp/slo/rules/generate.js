import { alertWindows, BurnRateInputError, currentBurnWindowSeconds, DEFAULT_ALERT_TIERS, formatPromDuration, sliWindows } from "../burn-rate/index.js";
import { DEFAULT_ALERT_NAME, DEFAULT_GENERATOR_INFO, GROUP_NAMES, LABELS, META_METRICS, sliErrorMetric } from "./const.js";
import { RuleSloError } from "./errors.js";
import { labelFilter, promNumber, renderWindow } from "./promql.js";
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SECONDS_PER_DAY = 86_400;
/** Labels of later maps win, as Sloth's `mergeLabels`; keys come out sorted so files are stable. */
function mergeLabels(...maps) {
    const merged = {};
    for (const map of maps)
        Object.assign(merged, map);
    return Object.fromEntries(Object.keys(merged).sort().map((name) => [name, merged[name] ?? '']));
}
function checkLabels(labels, key) {
    for (const name of Object.keys(labels ?? {})) {
        if (!LABEL_NAME.test(name) || name.startsWith('__')) {
            throw new RuleSloError(`${key}.${name}`, name, 'a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)');
        }
        if (name.startsWith('sloth_')) {
            throw new RuleSloError(`${key}.${name}`, name, 'a label name outside the sloth_ prefix, which the generated filters rely on');
        }
    }
}
/** Checks one SLO and scales its tiers; throws {@link RuleSloError} naming the field. */
function prepare(slo, key) {
    for (const field of ['id', 'service', 'name']) {
        if (typeof slo[field] !== 'string' || slo[field].trim() === '')
            throw new RuleSloError(`${key}.${field}`, slo[field], 'a non-empty string');
    }
    if (!(Number.isFinite(slo.objectivePercent) && slo.objectivePercent > 0 && slo.objectivePercent < 100)) {
        throw new RuleSloError(`${key}.objectivePercent`, slo.objectivePercent, 'a percentage strictly between 0 and 100 (99.9)');
    }
    if (!(Number.isInteger(slo.periodSeconds) && slo.periodSeconds > 0)) {
        throw new RuleSloError(`${key}.periodSeconds`, slo.periodSeconds, 'a positive whole number of seconds (2592000 for 30d)');
    }
    checkLabels(slo.labels, `${key}.labels`);
    for (const kind of ['pageAlert', 'ticketAlert']) {
        const meta = slo[kind];
        if (meta?.name !== undefined && !METRIC_NAME.test(meta.name)) {
            throw new RuleSloError(`${key}.${kind}.name`, meta.name, 'an alert name ([a-zA-Z_:][a-zA-Z0-9_:]*)');
        }
        if (meta?.forSeconds !== undefined && !(Number.isInteger(meta.forSeconds) && meta.forSeconds > 0)) {
            throw new RuleSloError(`${key}.${kind}.forSeconds`, meta.forSeconds, 'a positive whole number of seconds');
        }
        checkLabels(meta?.labels, `${key}.${kind}.labels`);
    }
    const tierNames = new Set((slo.tiers ?? DEFAULT_ALERT_TIERS).map((t) => t.name));
    const alertNames = new Set();
    slo.alerts?.forEach((alert, i) => {
        const at = `${key}.alerts[${i}]`;
        if (!METRIC_NAME.test(alert.name))
            throw new RuleSloError(`${at}.name`, alert.name, 'an alert name ([a-zA-Z_:][a-zA-Z0-9_:]*)');
        const identity = `${alert.name}/${alert.severity}`;
        if (alertNames.has(identity))
            throw new RuleSloError(`${at}.name`, alert.name, 'a name no other alert of this severity has');
        alertNames.add(identity);
        if (alert.forSeconds !== undefined && !(Number.isInteger(alert.forSeconds) && alert.forSeconds > 0)) {
            throw new RuleSloError(`${at}.forSeconds`, alert.forSeconds, 'a positive whole number of seconds');
        }
        if (alert.tiers.length === 0)
            throw new RuleSloError(`${at}.tiers`, alert.tiers, 'at least one tier name');
        for (const name of alert.tiers)
            if (!tierNames.has(name))
                throw new RuleSloError(`${at}.tiers`, name, `a tier of the SLO (${[...tierNames].join(', ')})`);
        checkLabels(alert.labels, `${at}.labels`);
    });
    try {
        return alertWindows(slo.periodSeconds, slo.tiers ?? DEFAULT_ALERT_TIERS);
    }
    catch (error) {
        if (error instanceof BurnRateInputError)
            throw new RuleSloError(`${key}.${error.key}`, error.value, error.expected, { cause: error });
        throw error;
    }
}
/** The error-ratio expression of an SLO over one window. */
function sliExpression(slo, window, key) {
    const { sli } = slo;
    if ('errorRatioQuery' in sli)
        return `(${renderWindow(sli.errorRatioQuery, window, `${key}.sli.errorRatioQuery`)})`;
    const total = renderWindow(sli.totalQuery, window, `${key}.sli.totalQuery`);
    if ('errorQuery' in sli)
        return `(${renderWindow(sli.errorQuery, window, `${key}.sli.errorQuery`)})\n/\n(${total})\n`;
    return `1 - (\n  (${renderWindow(sli.goodQuery, window, `${key}.sli.goodQuery`)})\n  /\n  (${total})\n)\n`;
}
function idLabels(slo) {
    return { [LABELS.id]: slo.id, [LABELS.service]: slo.service, [LABELS.slo]: slo.name };
}
/**
 * The period SLI rule, `slo:sli_error:ratio_rate<period>`.
 *
 * Highway's `exact` rule asks the SLI query itself for the period (`rate(errors[30d])` over
 * `rate(total[30d])` for an events SLI): errors of the period over events of the period, a ratio of
 * sums, which is what the OpenSLO Occurrences method and Highway's own budget maths compute.
 *
 * Sloth's optimized rule (`optimizedSLIRecordGenerator` in slok/sloth internal/prometheus/recording_rules.go)
 * instead averages the recorded 5m ratios: sum_over_time(ratio_rate5m[30d]) / count_over_time(...). That
 * is much cheaper for Prometheus but it is a mean of ratios: a quiet 5m with 1 failure in 2 requests
 * weighs as much as a busy 5m with 10 000 requests, and a single 5m with no traffic records 0/0 = NaN,
 * which poisons the 30-day sum until it ages out. The price of the exact rule is a range query over the
 * raw counters of the whole period at every evaluation. For a raw `errorRatioQuery` SLI the exact rule
 * is the query over the period, as exact as that query is.
 */
function periodSliRule(slo, method, period, currentWindow, key) {
    if (method === 'exact') {
        return { record: sliErrorMetric(period), expr: sliExpression(slo, period, key), labels: mergeLabels(idLabels(slo), { [LABELS.window]: period }, slo.labels) };
    }
    const source = `${sliErrorMetric(currentWindow)}${labelFilter(idLabels(slo))}`;
    return {
        record: sliErrorMetric(period),
        expr: `sum_over_time(${source}[${period}])\n/ ignoring (${LABELS.window})\ncount_over_time(${source}[${period}])\n`,
        // The SLO labels too, as Sloth v0.11.0 writes them: a series without them could not be joined on owner, tier…
        labels: mergeLabels(idLabels(slo), { [LABELS.window]: period }, slo.labels),
    };
}
function sliRules(slo, tiers, method, key) {
    const windows = sliWindows(slo.periodSeconds, tiers).map(formatPromDuration);
    const period = windows.pop() ?? formatPromDuration(slo.periodSeconds);
    const rules = windows.map((window) => ({
        record: sliErrorMetric(window),
        expr: sliExpression(slo, window, key),
        labels: mergeLabels(idLabels(slo), { [LABELS.window]: window }, slo.labels),
    }));
    rules.push(periodSliRule(slo, method, period, formatPromDuration(currentBurnWindowSeconds(tiers)), key));
    return rules;
}
function burnRateExpression(sliMetric, filter) {
    return `${sliMetric}${filter}\n/ on(${LABELS.id}, ${LABELS.slo}, ${LABELS.service}) group_left\n${META_METRICS.errorBudget}${filter}\n`;
}
function metaRules(slo, tiers, info) {
    const labels = mergeLabels(idLabels(slo), slo.labels);
    const filter = labelFilter(idLabels(slo));
    // Sloth's arithmetic, so the doubles match its output: 99.9 / 100 = 0.9990000000000001.
    const objectiveRatio = slo.objectivePercent / 100;
    return [
        { record: META_METRICS.objective, expr: `vector(${promNumber(objectiveRatio)})`, labels },
        { record: META_METRICS.errorBudget, expr: `vector(1-${promNumber(objectiveRatio)})`, labels },
        { record: META_METRICS.timePeriodDays, expr: `vector(${promNumber(slo.periodSeconds / SECONDS_PER_DAY)})`, labels },
        { record: META_METRICS.currentBurnRate, expr: burnRateExpression(sliErrorMetric(formatPromDuration(currentBurnWindowSeconds(tiers))), filter), labels },
        { record: META_METRICS.periodBurnRate, expr: burnRateExpression(sliErrorMetric(formatPromDuration(slo.periodSeconds)), filter), labels },
        { record: META_METRICS.periodBudgetRemaining, expr: `1 - ${META_METRICS.periodBurnRate}${filter}`, labels },
        {
            record: META_METRICS.info,
            expr: 'vector(1)',
            labels: mergeLabels(labels, {
                [LABELS.version]: info.version,
                [LABELS.mode]: info.mode,
                [LABELS.spec]: info.spec,
                [LABELS.objective]: String(slo.objectivePercent),
            }),
        },
    ];
}
/**
 * The multiwindow, multi-burn-rate alert over some tiers: for each tier, both windows above factor × error budget,
 * tiers joined by `or`. Each side is `max(…) without (sloth_window)`: the two windows are recorded with different
 * `sloth_window` labels, and with `A and ignoring (sloth_window) B or …` the alert's labels came from whichever
 * tier matched first, so `sloth_window` flipped mid-incident and Alertmanager saw a new alert (Sloth issue #240,
 * fixed the same way in Sloth's `mwmbAlertTpl`, internal/prometheus/alert_rules.go).
 */
function alertRule(slo, severity, tiers, meta) {
    const filter = labelFilter(idLabels(slo));
    // Sloth's arithmetic again: (100 − 99.9) / 100 = 0.0009999999999999432.
    const errorBudgetRatio = promNumber((100 - slo.objectivePercent) / 100);
    const cmp = meta.op === 'gte' ? '>=' : '>';
    const above = (window, factor) => `max(${sliErrorMetric(window)}${filter} ${cmp} (${promNumber(factor)} * ${errorBudgetRatio})) without (${LABELS.window})`;
    const expr = tiers.map((tier) => `(\n    ${above(tier.shortWindow, tier.factor)}\n    and\n    ${above(tier.longWindow, tier.factor)}\n)`).join('\nor\n');
    const who = `{{$labels.${LABELS.service}}} {{$labels.${LABELS.slo}}}`;
    return {
        alert: meta.name ?? DEFAULT_ALERT_NAME,
        expr: `${expr}\n`,
        ...(meta.forSeconds === undefined ? {} : { for: formatPromDuration(meta.forSeconds) }),
        // SLO labels reach the alert from the SLI series; only the severity is added, as Sloth does.
        labels: mergeLabels({ [LABELS.severity]: severity }, meta.labels),
        annotations: mergeLabels({
            title: `(${severity}) ${who}: the error budget burns too fast.`,
            summary: `${who} is spending its error budget faster than its ${severity} tiers allow.`,
        }, meta.annotations),
    };
}
/** The alert rules of an SLO: one per `alerts` entry, or Sloth's page and ticket alerts over the tiers of each severity. */
function alertRules(slo, tiers) {
    if (slo.alerts !== undefined) {
        return slo.alerts.map((alert) => alertRule(slo, alert.severity, tiers.filter((t) => alert.tiers.includes(t.name)), alert));
    }
    return ['page', 'ticket'].flatMap((severity) => {
        const meta = severity === 'page' ? slo.pageAlert : slo.ticketAlert;
        const ofSeverity = tiers.filter((tier) => tier.severity === severity);
        return meta?.disabled === true || ofSeverity.length === 0 ? [] : [alertRule(slo, severity, ofSeverity, meta ?? {})];
    });
}
/**
 * Prometheus rules for SLOs, per SLO the three groups Sloth generates: 8 SLI recording rules
 * (`slo:sli_error:ratio_rate<window>` for 5m, 30m, 1h, 2h, 6h, 1d, 3d and the period), 7 meta recording
 * rules (objective, error budget, period in days, current and period burn rates, remaining budget,
 * `sloth_slo_info`) and the page and ticket alerts, with Sloth's `sloth_*` labels. The period SLI is
 * exact by default (see {@link periodSliRule}). Pure; throws {@link RuleSloError} on an invalid SLO.
 */
export function generateRules(slos, options = {}) {
    const method = options.periodSli ?? 'exact';
    const info = options.info ?? DEFAULT_GENERATOR_INFO;
    const ids = new Set();
    const groups = slos.flatMap((slo, index) => {
        const key = `slos[${index}]`;
        const tiers = prepare(slo, key);
        if (ids.has(slo.id))
            throw new RuleSloError(`${key}.id`, slo.id, 'an id no other SLO has');
        ids.add(slo.id);
        const alerts = alertRules(slo, tiers);
        return [
            { name: GROUP_NAMES.sli(slo.id), rules: sliRules(slo, tiers, method, key) },
            { name: GROUP_NAMES.meta(slo.id), rules: metaRules(slo, tiers, info) },
            ...(alerts.length > 0 ? [{ name: GROUP_NAMES.alerts(slo.id), rules: alerts }] : []),
        ];
    });
    return { groups };
}
//# sourceMappingURL=generate.js.map