import { assertNonNegative } from "./errors.js";
/**
 * Multiwindow, multi-burn-rate verdicts, one per tier (SRE Workbook, "Alerting on SLOs", section 6;
 * Sloth's alert expression): a tier fires when the burn rate over both its long and its short window
 * is strictly above its factor.
 *
 * Low-traffic guard: a tier does not fire while its long window holds fewer than `minEvents` events.
 * The long window is the one that decides how much budget was spent, so it is the one that must carry
 * enough evidence; at 3 requests an hour one failure is a 33 % error ratio and a burn rate of 333 on a
 * 99.9 % SLO, which says nothing about the service. The short window only confirms the burn is still
 * going on and is not guarded.
 */
export function evaluateAlerts(input) {
    const { tiers, burnRates, events, minEvents } = input;
    assertNonNegative(minEvents, 'minEvents');
    return tiers.map((tier) => {
        const longBurnRate = burnRates[tier.longWindow] ?? null;
        const shortBurnRate = burnRates[tier.shortWindow] ?? null;
        const verdict = (firing, reason) => ({
            name: tier.name,
            severity: tier.severity,
            longWindow: tier.longWindow,
            shortWindow: tier.shortWindow,
            factor: tier.factor,
            firing,
            reason,
            longBurnRate,
            shortBurnRate,
        });
        if (longBurnRate === null || shortBurnRate === null)
            return verdict(false, 'no-data');
        if ((events[tier.longWindow] ?? 0) < minEvents)
            return verdict(false, 'too-few-events');
        if (longBurnRate > tier.factor && shortBurnRate > tier.factor)
            return verdict(true, 'burning');
        return verdict(false, 'below-factor');
    });
}
//# sourceMappingURL=alerts.js.map