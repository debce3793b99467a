// Volume is anomalous when the window's count is outside mean ± 3 std of the previous windows (the same
// NannyML-style band as drift thresholds), and there are at least 3 previous windows to learn from.
const VOLUME_STD_MULTIPLIER = 3;
const MIN_VOLUME_HISTORY = 3;
/** Computes data quality from gathered facts; `now` comes in (freshness is relative to it). */
export function computeQuality(input) {
    const received = input.rows + input.quarantined;
    const share = (n) => (received === 0 ? 0 : n / received);
    const ruleCount = (feature, rule) => input.byFieldRule.filter((r) => (r.field === `features.${feature}` || r.field === feature) && r.rule === rule).reduce((s, r) => s + r.n, 0);
    const features = Object.keys(input.model.features).map((feature) => {
        const facts = input.features.find((f) => f.feature === feature);
        const present = facts?.present ?? 0;
        const unseen = facts?.unseenCategories ?? [];
        return {
            feature,
            missing_share: share(input.rows - present + ruleCount(feature, 'required')),
            out_of_range_share: share(ruleCount(feature, 'range') + ruleCount(feature, 'length')),
            type_error_share: share(ruleCount(feature, 'type')),
            unseen_category_share: share(ruleCount(feature, 'category') + unseen.reduce((s, u) => s + u.n, 0)),
            unseen_categories: unseen.map((u) => u.value).slice(0, 50),
            constant: present > 1 && (facts?.distinct ?? 0) <= 1 && (facts?.minEqualsMax ?? true),
        };
    });
    const history = input.previousCounts.filter((n) => n > 0);
    let expected = null;
    let anomalous = false;
    if (history.length >= MIN_VOLUME_HISTORY) {
        expected = history.reduce((s, n) => s + n, 0) / history.length;
        const std = Math.sqrt(history.reduce((s, n) => s + (n - expected) ** 2, 0) / history.length);
        anomalous = Math.abs(input.rows - expected) > VOLUME_STD_MULTIPLIER * Math.max(std, Math.sqrt(expected));
    }
    const delays = Float64Array.from(input.labelDelaysSeconds).sort();
    const q = (p) => (delays.length === 0 ? null : delays[Math.min(delays.length - 1, Math.floor(p * delays.length))]);
    return {
        model: input.model.name,
        from: new Date(input.fromMs).toISOString(),
        to: new Date(input.toMs).toISOString(),
        status: received === 0 ? 'not_enough_data' : 'ok',
        rows: input.rows,
        quarantined: input.quarantined,
        features,
        volume: { rows: input.rows, expected, ratio: expected ? input.rows / expected : null, anomalous },
        freshness: {
            prediction_seconds: input.lastPredictionMs === null ? null : Math.max(0, (input.nowMs - input.lastPredictionMs) / 1000),
            label_seconds: input.lastLabelMs === null ? null : Math.max(0, (input.nowMs - input.lastLabelMs) / 1000),
        },
        label_coverage: input.rows === 0 ? null : input.labelled / input.rows,
        label_delay_seconds: { p50: q(0.5), p95: q(0.95) },
        duplicate_ids: input.duplicateIds,
    };
}
//# sourceMappingURL=quality.js.map