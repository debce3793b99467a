import { z } from 'zod';
import { formatPromDuration, parsePromDuration } from "./duration.js";
import { BurnRateInputError } from "./errors.js";
const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/**
 * Default multiwindow, multi-burn-rate tiers.
 *
 * Sources:
 * - Google SRE Workbook, chapter "Alerting on SLOs", recommended parameters for an SLO-based alerting
 *   configuration (https://sre.google/workbook/alerting-on-slos/#recommended_parameters_for_an_slo_based_a):
 *   page when 2 % of a 30-day budget burns in 1 h or 5 % in 6 h; ticket when 10 % burns in 3 d. The
 *   Workbook's short windows are 1/12 of the long ones (5 m, 30 m, 6 h).
 * - Sloth (slok/sloth, `internal/alert/windows/google-30d.yaml` and `google-28d.yaml`) uses the same
 *   numbers and adds a second ticket tier, 10 % in 1 d confirmed over 2 h, so that a steady 3× burn
 *   opens a ticket within a day instead of three. The same shares serve its 28-day period.
 *
 * The shares are periodless: {@link alertWindows} turns them into burn-rate factors for any period.
 */
export const DEFAULT_ALERT_TIERS = [
    { name: 'page-quick', severity: 'page', longWindowSeconds: 1 * HOUR, shortWindowSeconds: 5 * MINUTE, budgetPercent: 2 },
    { name: 'page-slow', severity: 'page', longWindowSeconds: 6 * HOUR, shortWindowSeconds: 30 * MINUTE, budgetPercent: 5 },
    { name: 'ticket-quick', severity: 'ticket', longWindowSeconds: 1 * DAY, shortWindowSeconds: 2 * HOUR, budgetPercent: 10 },
    { name: 'ticket-slow', severity: 'ticket', longWindowSeconds: 3 * DAY, shortWindowSeconds: 6 * HOUR, budgetPercent: 10 },
];
/**
 * Scales alert tiers to an SLO period: factor = budgetPercent / 100 × period / long window.
 * 30 d gives 14.4, 6, 3 and 1; 28 d gives 13.44, 5.6, 2.8 and 0.933…
 *
 * The arithmetic runs in hours and in Sloth's order (percent × period hours / 100 / window hours,
 * `getBurnRateFactor` in slok/sloth `internal/alert/window.go`) so that factors are the same
 * IEEE doubles Sloth prints. Throws {@link BurnRateInputError} when a tier breaks an invariant:
 * 0 < short window < long window < period, 0 < budgetPercent ≤ 100, unique names.
 */
export function alertWindows(periodSeconds, tiers = DEFAULT_ALERT_TIERS) {
    if (!(Number.isFinite(periodSeconds) && periodSeconds > 0)) {
        throw new BurnRateInputError('periodSeconds', periodSeconds, 'a positive number of seconds');
    }
    if (tiers.length === 0)
        throw new BurnRateInputError('tiers', tiers, 'at least one alert tier');
    const names = new Set();
    return tiers.map((tier, index) => {
        const key = `tiers[${index}]`;
        if (tier.name === '' || names.has(tier.name))
            throw new BurnRateInputError(`${key}.name`, tier.name, 'a non-empty name unique among the tiers');
        names.add(tier.name);
        if (!(Number.isFinite(tier.shortWindowSeconds) && tier.shortWindowSeconds > 0)) {
            throw new BurnRateInputError(`${key}.shortWindowSeconds`, tier.shortWindowSeconds, 'a positive number of seconds');
        }
        if (!(tier.longWindowSeconds > tier.shortWindowSeconds)) {
            throw new BurnRateInputError(`${key}.longWindowSeconds`, tier.longWindowSeconds, `a window longer than the short window (${tier.shortWindowSeconds} s)`);
        }
        if (!(tier.longWindowSeconds < periodSeconds)) {
            throw new BurnRateInputError(`${key}.longWindowSeconds`, tier.longWindowSeconds, `a window shorter than the period (${periodSeconds} s)`);
        }
        if (!(Number.isFinite(tier.budgetPercent) && tier.budgetPercent > 0 && tier.budgetPercent <= 100)) {
            throw new BurnRateInputError(`${key}.budgetPercent`, tier.budgetPercent, 'a share of the budget in percent, > 0 and ≤ 100');
        }
        const periodHours = periodSeconds / HOUR;
        const longHours = tier.longWindowSeconds / HOUR;
        const factor = (tier.budgetPercent * periodHours) / 100 / longHours;
        return {
            ...tier,
            factor,
            longWindow: formatPromDuration(tier.longWindowSeconds),
            shortWindow: formatPromDuration(tier.shortWindowSeconds),
        };
    });
}
/**
 * Windows over which an SLO's error ratio is recorded, shortest first: every tier window once, then
 * the period (Sloth's list for 30 d: 5m, 30m, 1h, 2h, 6h, 1d, 3d, 30d), in seconds.
 */
export function sliWindows(periodSeconds, tiers = DEFAULT_ALERT_TIERS) {
    const windows = new Set();
    for (const tier of tiers) {
        windows.add(tier.shortWindowSeconds);
        windows.add(tier.longWindowSeconds);
    }
    windows.delete(periodSeconds);
    return [...[...windows].sort((a, b) => a - b), periodSeconds];
}
/** Shortest short window among the tiers: the "current" burn rate (Sloth uses the page-quick short window, 5 m). */
export function currentBurnWindowSeconds(tiers = DEFAULT_ALERT_TIERS) {
    if (tiers.length === 0)
        throw new BurnRateInputError('tiers', tiers, 'at least one alert tier');
    return Math.min(...tiers.map((tier) => tier.shortWindowSeconds));
}
const promDurationSchema = z.string().transform((text, ctx) => {
    try {
        return parsePromDuration(text);
    }
    catch {
        ctx.addIssue({ code: 'custom', message: `expected a Prometheus duration such as 5m or 1h, got ${JSON.stringify(text)}` });
        return z.NEVER;
    }
});
/** Zod schema of configured tiers, durations written as Prometheus durations (`longWindow: 1h`). Invariants are checked by {@link alertWindows}. */
export const alertTiersSchema = z
    .array(z.strictObject({
    name: z.string().min(1),
    severity: z.enum(['page', 'ticket']),
    longWindow: promDurationSchema,
    shortWindow: promDurationSchema,
    budgetPercent: z.number().positive().max(100),
}))
    .min(1)
    .transform((tiers) => tiers.map((tier) => ({
    name: tier.name,
    severity: tier.severity,
    longWindowSeconds: tier.longWindow,
    shortWindowSeconds: tier.shortWindow,
    budgetPercent: tier.budgetPercent,
})));
//# sourceMappingURL=windows.js.map