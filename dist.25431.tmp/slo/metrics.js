import { Gauge } from 'prom-client';
/**
 * Sloth-compatible series (`slo:*` with `sloth_id`, `sloth_service`, `sloth_slo`, `sloth_window`), so existing Sloth
 * dashboards work on Highway's own evaluation, plus `highway_slo_*` for what Sloth lacks.
 */
export class SloMetrics {
    #sliError;
    #objective;
    #errorBudget;
    #currentBurn;
    #periodBurn;
    #remaining;
    #exhaustion;
    #frozen;
    #alert;
    constructor(registry) {
        const registers = [registry];
        const sloth = ['sloth_id', 'sloth_service', 'sloth_slo'];
        this.#sliError = new Gauge({ name: 'slo:sli_error:ratio_rate', help: 'Error ratio of the SLI over sloth_window.', labelNames: [...sloth, 'sloth_window'], registers });
        this.#objective = new Gauge({ name: 'slo:objective:ratio', help: 'SLO target as a ratio.', labelNames: sloth, registers });
        this.#errorBudget = new Gauge({ name: 'slo:error_budget:ratio', help: 'Error budget as a ratio (1 - target).', labelNames: sloth, registers });
        this.#currentBurn = new Gauge({ name: 'slo:current_burn_rate:ratio', help: 'Burn rate over the shortest alert window.', labelNames: sloth, registers });
        this.#periodBurn = new Gauge({ name: 'slo:period_burn_rate:ratio', help: 'Burn rate over the whole period.', labelNames: sloth, registers });
        this.#remaining = new Gauge({ name: 'slo:period_error_budget_remaining:ratio', help: 'Share of the period budget left (may go below 0).', labelNames: sloth, registers });
        this.#exhaustion = new Gauge({ name: 'highway_slo_time_to_exhaustion_seconds', help: 'Seconds until the budget is spent at the current burn (absent when not burning).', labelNames: sloth, registers });
        this.#frozen = new Gauge({ name: 'highway_slo_frozen', help: '1 while the budget policy freezes releases.', labelNames: sloth, registers });
        this.#alert = new Gauge({ name: 'highway_slo_alert_firing', help: '1 while a burn-rate alert tier fires.', labelNames: [...sloth, 'severity', 'long_window', 'short_window'], registers });
    }
    /** Publishes one evaluation. */
    publish(s) {
        const labels = { sloth_id: `${s.service}-${s.name}`, sloth_service: s.service, sloth_slo: s.name };
        this.#objective.set(labels, s.target);
        this.#errorBudget.set(labels, 1 - s.target);
        // The freeze is state, not a reading: it holds while the budget has no fresh data too.
        this.#frozen.set(labels, s.policy.frozen ? 1 : 0);
        if (s.status !== 'ok')
            return;
        const budget = 1 - s.target;
        for (const [window, burn] of Object.entries(s.burn_rates)) {
            if (burn !== null)
                this.#sliError.set({ ...labels, sloth_window: window === 'period' ? s.window.duration : window }, burn * budget);
        }
        const current = s.burn_rates['5m'];
        if (current !== null && current !== undefined)
            this.#currentBurn.set(labels, current);
        if (s.burn_rates.period !== null && s.burn_rates.period !== undefined)
            this.#periodBurn.set(labels, s.burn_rates.period);
        this.#remaining.set(labels, s.error_budget.remaining);
        if (s.time_to_exhaustion_s === null)
            this.#exhaustion.remove(labels);
        else
            this.#exhaustion.set(labels, s.time_to_exhaustion_s);
        for (const a of s.alerts)
            this.#alert.set({ ...labels, severity: a.severity, long_window: a.long_window, short_window: a.short_window }, a.firing ? 1 : 0);
    }
}
//# sourceMappingURL=metrics.js.map