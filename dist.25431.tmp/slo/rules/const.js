// Metric and label names of Sloth's conventions (slok/sloth internal/prometheus/conventions.go and
// recording_rules.go), kept so that Sloth's dashboards and queries read Highway's series unchanged.
/** Record name of the error ratio over a window: `slo:sli_error:ratio_rate5m`. */
export const sliErrorMetric = (window) => `slo:sli_error:ratio_rate${window}`;
/** Record names of Sloth's seven meta recording rules. */
export const META_METRICS = {
    objective: 'slo:objective:ratio',
    errorBudget: 'slo:error_budget:ratio',
    timePeriodDays: 'slo:time_period:days',
    currentBurnRate: 'slo:current_burn_rate:ratio',
    periodBurnRate: 'slo:period_burn_rate:ratio',
    periodBudgetRemaining: 'slo:period_error_budget_remaining:ratio',
    info: 'sloth_slo_info',
};
/** Label names Sloth puts on SLO series. */
export const LABELS = {
    id: 'sloth_id',
    service: 'sloth_service',
    slo: 'sloth_slo',
    window: 'sloth_window',
    severity: 'sloth_severity',
    version: 'sloth_version',
    mode: 'sloth_mode',
    spec: 'sloth_spec',
    objective: 'sloth_objective',
};
/** Rule group names per SLO (Sloth's `sloth-slo-<kind>-<id>`). */
export const GROUP_NAMES = {
    sli: (id) => `sloth-slo-sli-recordings-${id}`,
    meta: (id) => `sloth-slo-meta-recordings-${id}`,
    alerts: (id) => `sloth-slo-alerts-${id}`,
};
/** Alert name when an SLO names none. */
export const DEFAULT_ALERT_NAME = 'SLOErrorBudgetBurnRate';
/** Default `sloth_slo_info` labels for rules Highway generates from OpenSLO: Sloth's values for OpenSLO input (`sloth generate` on an openslo/v1 file). */
export const DEFAULT_GENERATOR_INFO = { version: 'dev', mode: 'cli-gen-openslo', spec: 'openslo/v1' };
//# sourceMappingURL=const.js.map