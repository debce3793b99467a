const percent = (share) => `${Number((share * 100).toFixed(2))}%`;
/**
 * The budget policy as a state machine with hysteresis (Google SRE workbook, "Example Error Budget Policy":
 * releases halt once the budget is spent, until the service is back within its objective): freeze when the budget
 * left falls to 0 or below; thaw only once it is back at or above `unfreezeAbove`, so a budget hovering at the
 * edge does not flap. Returns the next state and whether it changed (a change is audited). Pure.
 */
export function nextFreezeState(previous, o) {
    const current = previous ?? { frozen: false, reason: 'no evaluation yet', sinceMs: o.nowMs };
    if (o.status !== 'ok')
        return { state: current, changed: false };
    if (!current.frozen && o.remaining <= 0) {
        return { state: { frozen: true, reason: `error budget exhausted: ${percent(o.remaining)} left`, sinceMs: o.nowMs }, changed: true };
    }
    if (current.frozen && o.remaining >= o.unfreezeAbove) {
        return {
            state: { frozen: false, reason: `error budget recovered: ${percent(o.remaining)} left, at least ${percent(o.unfreezeAbove)} required`, sinceMs: o.nowMs },
            changed: true,
        };
    }
    return { state: current, changed: false };
}
/** Whether a release may go ahead given the model's freeze (the same workbook policy's exceptions). Pure. */
export function releaseDecision(freeze, intent) {
    if (!freeze.frozen)
        return { allowed: true, reason: 'no release freeze' };
    if (intent.rollback === true)
        return { allowed: true, reason: `rollback allowed during a release freeze (${freeze.reason ?? 'error budget exhausted'})` };
    if (intent.fix === true)
        return { allowed: true, reason: `fix release allowed during a release freeze (${freeze.reason ?? 'error budget exhausted'})` };
    return { allowed: false, reason: `releases are frozen: ${freeze.reason ?? 'error budget exhausted'}; only rollbacks and releases marked as fixes may go ahead` };
}
//# sourceMappingURL=decide.js.map