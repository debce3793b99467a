import { DRIFT_TESTS } from "../config/index.js";
import { adjustedPValues, breachesThreshold, chunkThreshold, reconstructionError } from "./multivariate/index.js";
import { alignCounts } from "./profile.js";
import { binCounts, fromSample, fromSketch, sketchKey, sketchOf, sketchValue, wasserstein } from "./sketch.js";
import { CATEGORICAL_TEST_DEFAULTS, defaultTest, EVIDENTLY_BINNED_MIN_UNIQUE, isBinnedTest, isDrifted, NUMERICAL_TEST_DEFAULTS, runBinnedDistance, runCategoricalTest, runEvidentlyBinned, runNumericalTest, sortSample, WASSERSTEIN_STD_FLOOR, weighSorted, } from "./stats/index.js";
// Tests with no sketch form: on large windows they run on a sample of `analysis.exactMaxRows` rows.
const SAMPLE_TESTS = new Set(['ks', 'anderson', 'cramer_von_mises', 'energy', 't_test', 'mannw', 'epps_singleton', 'empirical_mmd']);
/** Whether a test takes counts per category only (Evidently's `allowed_feature_types: [Categorical]`). */
export function isCategoricalOnlyTest(test) {
    return DRIFT_TESTS[test] === 'categorical';
}
/** Whether a numeric test needs raw values even on a large window (it has no sketch form). */
export function needsRawValues(test) {
    return SAMPLE_TESTS.has(test);
}
function ruleOf(test, input) {
    if (input === 'categorical' && test in CATEGORICAL_TEST_DEFAULTS)
        return CATEGORICAL_TEST_DEFAULTS[test];
    return NUMERICAL_TEST_DEFAULTS[test];
}
/**
 * Distinct values of reference ∪ current, as Evidently counts them for its default test
 * (`pd.concat([reference, current]).nunique()`). Numeric columns: the reference's exact distinct count plus
 * the current window's sketch keys that no reference value falls in (exact for few-valued columns, which is
 * where the count decides anything: above 5 the reference alone settles it).
 */
export function uniqueValuesOf(reference, current) {
    if (reference.kind === 'categorical') {
        const seen = new Set(Object.entries(reference.counts).filter(([, n]) => n > 0).map(([k]) => k));
        if (current && !('sketch' in current))
            for (const [k, n] of current)
                if (n > 0)
                    seen.add(k);
        return seen.size;
    }
    const known = reference.values ?? reference.sketch;
    let added = 0;
    if (current && 'sketch' in current) {
        for (const [k, n] of Object.entries(current.sketch))
            if (n > 0 && !(known[k] > 0))
                added++;
    }
    return reference.unique + added;
}
/**
 * Picks the test for a column: configured, else Evidently's default (`_get_default_stattest`) for the
 * reference's non-missing rows and the distinct values of reference ∪ current.
 */
export function planColumn(model, feature, reference, current) {
    const configured = model.drift.features[feature];
    const binning = configured?.binning ?? model.drift.binning;
    if (configured) {
        const input = reference.kind === 'categorical' || isCategoricalOnlyTest(configured.test) ? 'categorical' : 'numerical';
        const rule = ruleOf(configured.test, input);
        return { test: configured.test, input, threshold: configured.threshold ?? rule.threshold, direction: rule.direction, source: configured.threshold === undefined ? 'test' : 'config', binning };
    }
    // Evidently drops missing (and infinite) values before choosing: reference rows are the feature's values.
    const choice = defaultTest(reference.kind, reference.n, uniqueValuesOf(reference, current));
    return { test: choice.test, input: choice.kind, threshold: choice.threshold, direction: choice.direction, source: 'test', binning };
}
/** Values the reference never saw, for the result's detail (at most five named). */
function unseenDetail(unseen) {
    if (unseen.length === 0)
        return undefined;
    const named = unseen.slice(0, 5).map((v) => JSON.stringify(v)).join(', ');
    return `the current window holds ${unseen.length} value${unseen.length === 1 ? '' : 's'} the reference never saw: ${named}${unseen.length > 5 ? ', …' : ''}`;
}
function column(feature, kind, plan, outcome, method, nRef, nCur, note) {
    if (!outcome.ok) {
        return { feature, kind, test: plan.test, statistic: null, p_value: null, threshold: plan.threshold, threshold_source: plan.source, drifted: false, method, n_reference: nRef, n_current: nCur, status: 'not_enough_data', detail: outcome.detail };
    }
    // JSON has no infinity (JSON.stringify writes null): say so rather than leave a bare null beside status ok.
    const infinite = Number.isFinite(outcome.statistic) ? undefined : `the statistic is ${outcome.statistic > 0 ? '+' : '-'}Infinity (reported as null)`;
    const detail = [note, infinite].filter((d) => d !== undefined).join('; ');
    return {
        feature,
        kind,
        test: plan.test,
        statistic: infinite ? null : outcome.statistic,
        p_value: outcome.pValue,
        threshold: plan.threshold,
        threshold_source: plan.source,
        drifted: isDrifted(outcome, plan.threshold, plan.direction) ?? false,
        method,
        n_reference: nRef,
        n_current: nCur,
        status: 'ok',
        ...(detail ? { detail } : {}),
    };
}
const notEnough = (detail) => ({ ok: false, reason: 'not_enough_data', detail });
/** Current values the reference never saw, by count key (few-valued numeric columns and categories). */
function unseenKeys(reference, current) {
    const entries = current instanceof Map ? [...current.entries()] : Object.entries(current);
    return entries.filter(([k, n]) => n > 0 && !(reference[k] > 0)).map(([k]) => k).sort();
}
/** A sketch (key → count) as ascending representative values with counts. */
function weighted(sketch) {
    const w = fromSketch(sketch);
    return { values: w.values, counts: w.counts };
}
/** Binned test on the sketch path: Evidently's binning over both sketches (exact ranges from the rollups), or the reference deciles. */
function sketchBinned(test, plan, ref, refValues, cur) {
    const current = fromSketch(cur.sketch);
    if (plan.binning === 'deciles')
        return runBinnedDistance(test, ref.counts, binCounts(current, ref.edges));
    const curMin = cur.min ?? current.values[0] ?? ref.min;
    const curMax = cur.max ?? current.values[current.values.length - 1] ?? ref.max;
    // Hellinger's Sturges count is over distinct values; a reference at the distinct-value cap is continuous, where
    // rows and distinct values coincide, so the rows stand in for the distinct values there.
    const continuous = ref.unique >= PROFILE_UNIQUE_CAP;
    const unionUnique = continuous ? ref.n + cur.n : uniqueValuesOf(ref, cur);
    // The reference side is exact when its raw values were loaded (for other tests); else its sketch, like the window's.
    // Value counts (≤ 20 reference values) are keyed by bucket on both sides, so they always use the sketches.
    const referenceSide = refValues !== undefined && ref.unique >= EVIDENTLY_BINNED_MIN_UNIQUE && test !== 'hellinger' ? weighSorted(sortSample(refValues)) : weighted(ref.sketch);
    return runEvidentlyBinned(test, referenceSide, weighted(cur.sketch), { referenceUnique: ref.unique, min: Math.min(ref.min, curMin), max: Math.max(ref.max, curMax), unionUnique });
}
/** Distinct values at which profiles stop counting (profile.ts UNIQUE_CAP). */
const PROFILE_UNIQUE_CAP = 1000;
/** Drift of one numeric column: exact on raw values when the runner fetched the whole window, else sketch or sample. */
export function numericColumnDrift(feature, kind, plan, ref, refValues, cur, curValues, minRows, integer = false) {
    const nCur = cur?.n ?? curValues?.length ?? 0;
    if (nCur < minRows || ref.n < minRows)
        return column(feature, kind, plan, notEnough(`needs at least ${minRows} values on each side (reference ${ref.n}, current ${nCur})`), 'exact', ref.n, nCur);
    const wholeWindow = curValues !== undefined && curValues.length === nCur;
    if (plan.input === 'categorical') {
        // Few-valued numeric columns are compared on their value counts (keyed by sketch bucket: exact per value).
        const refCounts = ref.values ?? ref.sketch;
        const curCounts = wholeWindow ? sketchOf(curValues) : (cur?.sketch ?? {});
        // Name unseen values exactly when the window's raw values are at hand, else by their sketch bucket (≈).
        const exact = new Map();
        if (wholeWindow)
            for (const v of curValues)
                if (Number.isFinite(v))
                    exact.set(String(sketchKey(v)), v);
        const label = (k) => {
            const known = exact.get(k);
            if (known !== undefined)
                return String(known);
            const value = sketchValue(Number(k));
            // An integer feature's bucket holds one integer while |x| < 1/α (250): name it.
            if (integer && sketchKey(Math.round(value)) === Number(k))
                return String(Math.round(value));
            return `≈${Number(value.toPrecision(4))}`;
        };
        const unseen = unseenKeys(refCounts, curCounts).map(label);
        return column(feature, kind, plan, runCategoricalTest(plan.test, ...alignCounts(refCounts, curCounts)), 'counts', ref.n, nCur, unseenDetail(unseen));
    }
    const test = plan.test;
    if (curValues !== undefined && refValues !== undefined && (wholeWindow || needsRawValues(test))) {
        return column(feature, kind, plan, runNumericalTest(test, refValues, curValues, { binning: plan.binning }), wholeWindow ? 'exact' : 'sample', ref.n, curValues.length);
    }
    if (cur === undefined)
        return column(feature, kind, plan, notEnough('no current values'), 'sketch', ref.n, 0);
    if (test === 'wasserstein') {
        return column(feature, kind, plan, { ok: true, statistic: wasserstein(fromSketch(ref.sketch), fromSketch(cur.sketch)) / Math.max(ref.std, WASSERSTEIN_STD_FLOOR), pValue: null }, 'sketch', ref.n, nCur);
    }
    if (isBinnedTest(test))
        return column(feature, kind, plan, sketchBinned(test, plan, ref, refValues, cur), 'sketch', ref.n, nCur);
    return column(feature, kind, plan, notEnough(`${test} needs raw values, which were not fetched`), 'sample', ref.n, nCur);
}
/** Drift of one categorical column from exact counts. */
export function categoricalColumnDrift(feature, plan, ref, cur, minRows) {
    const nCur = cur ? [...cur.values()].reduce((s, n) => s + n, 0) : 0;
    if (nCur < minRows || ref.n < minRows)
        return column(feature, 'categorical', plan, notEnough(`needs at least ${minRows} values on each side (reference ${ref.n}, current ${nCur})`), 'counts', ref.n, nCur);
    const counts = cur ?? new Map();
    return column(feature, 'categorical', plan, runCategoricalTest(plan.test, ...alignCounts(ref.counts, counts)), 'counts', ref.n, nCur, unseenDetail(unseenKeys(ref.counts, counts)));
}
/** Bin labels for edges e0 < e1 < …: (−∞, e0), [e0, e1), …, [e_last, +∞) — stats' histogram rule. */
function binLabels(edges) {
    const f = (x) => Number(x.toPrecision(4)).toString();
    return Array.from({ length: edges.length + 1 }, (_, i) => (i === 0 ? `< ${f(edges[0] ?? 0)}` : i === edges.length ? `≥ ${f(edges[i - 1])}` : `${f(edges[i - 1])}–${f(edges[i])}`));
}
/** Attaches reference-vs-current histograms to numeric and categorical results. */
function withHistogram(r, ref, cur, curValues) {
    if (ref.kind === 'categorical') {
        const counts = cur instanceof Map ? cur : new Map();
        const [reference, current] = alignCounts(ref.counts, counts);
        return { ...r, histogram: { bins: [...new Set([...Object.keys(ref.counts), ...counts.keys()])].sort(), reference, current } };
    }
    if (ref.values) {
        // Few distinct values (booleans, small integers): one bar per value, keyed like the counts the test used.
        const curCounts = curValues && curValues.length > 0 ? sketchOf(curValues) : cur && 'sketch' in cur ? cur.sketch : {};
        const keys = [...new Set([...Object.keys(ref.values), ...Object.keys(curCounts)])].sort((a, b) => sketchValue(Number(a)) - sketchValue(Number(b)));
        const label = (k) => String(ref.exactValues?.[k] ?? Number(sketchValue(Number(k)).toPrecision(3)));
        return { ...r, histogram: { bins: keys.map(label), reference: keys.map((k) => ref.values[k] ?? 0), current: keys.map((k) => curCounts[k] ?? 0) } };
    }
    const current = curValues && curValues.length > 0 ? binCounts(fromSample(curValues), ref.edges) : cur && 'sketch' in cur ? binCounts(fromSketch(cur.sketch), ref.edges) : ref.counts.map(() => 0);
    return { ...r, histogram: { bins: binLabels(ref.edges), reference: ref.counts, current } };
}
/** Computes a window's drift from the reference profile and the gathered window data. Pure. */
export function computeDrift(input) {
    const { model, current, minRows } = input;
    const profile = input.reference.profile;
    const results = [];
    // Text features count once in the drift share: drifted when any descriptor drifted.
    const textGroups = new Map();
    for (const [feature, ref] of Object.entries(profile.features)) {
        if (ref.kind === 'numerical') {
            const plan = planColumn(model, feature, ref, current.samples.has(feature) && current.samples.get(feature).length === current.numeric.get(feature)?.n ? { sketch: sketchOf(current.samples.get(feature)) } : current.numeric.get(feature));
            const spec = model.features[feature];
            const integer = spec?.type === 'boolean' || (spec?.type === 'number' && spec.integer);
            const r = numericColumnDrift(feature, 'numerical', plan, ref, input.reference.values.numeric.get(feature), current.numeric.get(feature), current.samples.get(feature), minRows, integer);
            results.push(withHistogram(r, ref, current.numeric.get(feature), current.samples.get(feature)));
        }
        else if (ref.kind === 'categorical') {
            const r = categoricalColumnDrift(feature, planColumn(model, feature, ref, current.categories.get(feature)), ref, current.categories.get(feature), minRows);
            results.push(withHistogram(r, ref, current.categories.get(feature)));
        }
        else {
            const group = [];
            const cur = current.textDescriptors.get(feature);
            const refValues = input.reference.values.textDescriptors.get(feature);
            for (const descriptor of ['length', 'tokens', 'oov_share']) {
                const name = `${feature}.${descriptor}`;
                const refProfile = ref.descriptors[descriptor];
                const values = cur?.[descriptor];
                const plan = planColumn(model, feature, refProfile, values ? { sketch: sketchOf(values) } : undefined);
                group.push(numericColumnDrift(name, 'text', plan, refProfile, refValues?.[descriptor], values ? { n: values.length, sketch: sketchOf(values) } : undefined, values, minRows));
            }
            textGroups.set(feature, group);
            results.push(...group);
        }
    }
    const correction = model.drift.correction;
    if (correction !== 'none') {
        const tested = results.filter((r) => r.status === 'ok' && r.p_value !== null);
        const adjusted = adjustedPValues(tested.map((r) => r.p_value), correction === 'bh' ? 'benjamini-hochberg' : 'bonferroni');
        tested.forEach((r, i) => {
            r.p_value_adjusted = adjusted[i];
            const rule = ruleOf(r.test, r.kind === 'categorical' || isCategoricalOnlyTest(r.test) ? 'categorical' : 'numerical');
            r.drifted = isDrifted({ ok: true, statistic: r.statistic ?? Infinity, pValue: adjusted[i] }, r.threshold, rule.direction) ?? false;
        });
    }
    if (model.drift.thresholds === 'chunks') {
        for (const r of results) {
            const stats = profile.chunkStatistics[r.feature];
            if (r.status !== 'ok' || r.statistic === null || !stats || stats.length < 2)
                continue;
            const band = chunkThreshold(stats, { stdMultiplier: 3, lowerBound: 0 });
            // Only an upper breach means drift: a statistic smaller than usual is a window closer to the reference.
            r.threshold = band.upper ?? r.threshold;
            r.threshold_source = 'chunks';
            r.drifted = band.upper !== null && r.statistic > band.upper;
        }
    }
    const byFeature = Object.keys(profile.features).map((f) => {
        const group = textGroups.get(f);
        if (group)
            return group.some((r) => r.drifted);
        return results.find((r) => r.feature === f)?.drifted ?? false;
    });
    const drifted = byFeature.filter(Boolean).length;
    const share = byFeature.length === 0 ? 0 : drifted / byFeature.length;
    return {
        model: model.name,
        version: input.version,
        from: new Date(input.fromMs).toISOString(),
        to: new Date(input.toMs).toISOString(),
        reference: { n: profile.rows, id: input.reference.id, source: input.reference.source },
        current: { n: current.rows },
        dataset: { drift_share: share, drifted: current.rows >= minRows && share >= model.drift.shareThreshold, share_threshold: model.drift.shareThreshold, features: byFeature.length, drifted_features: drifted },
        features: results,
        prediction: predictionDrift(model, profile, input.reference.values, current, minRows),
        label: labelDrift(model, profile, input.reference.values, current, minRows),
        multivariate: multivariateDrift(profile, current, minRows),
        correction,
    };
}
function predictionDrift(model, profile, refValues, current, minRows) {
    const ref = profile.prediction;
    if (!ref)
        return null;
    const feature = ref.kind === 'numerical' ? '__prediction' : '__prediction_class';
    const plan = planColumn(model, feature, ref, ref.kind === 'categorical' ? current.categories.get(feature) : current.numeric.get(feature));
    if (ref.kind === 'categorical')
        return { ...categoricalColumnDrift(feature, plan, ref, current.categories.get(feature), minRows), feature: 'prediction' };
    return { ...numericColumnDrift(feature, 'numerical', plan, ref, refValues.numeric.get(feature), current.numeric.get(feature), current.samples.get(feature), minRows), feature: 'prediction' };
}
function labelDrift(model, profile, refValues, current, minRows) {
    const ref = profile.label;
    if (!ref || ref.kind !== 'numerical' || !current.labels)
        return null;
    const labels = current.labels.filter(Number.isFinite);
    const plan = planColumn(model, '__label', ref, { sketch: sketchOf(labels) });
    return { ...numericColumnDrift('__label', 'numerical', plan, ref, refValues.labels, { n: labels.length, sketch: sketchOf(labels) }, labels, minRows), feature: 'label' };
}
function multivariateDrift(profile, current, minRows) {
    const r = profile.reconstruction;
    if (!r)
        return null;
    const rows = current.matrix ?? [];
    if (rows.length < minRows)
        return { method: 'pca_reconstruction', statistic: null, lower: r.lower, upper: r.upper, drifted: false, n_current: rows.length };
    const statistic = reconstructionError(r.model, rows);
    return { method: 'pca_reconstruction', statistic, lower: r.lower, upper: r.upper, drifted: breachesThreshold({ lower: r.lower, upper: r.upper }, statistic), n_current: rows.length };
}
//# sourceMappingURL=drift.js.map