import { binaryClassificationMetrics, metricsBySlice, multiclassClassificationMetrics, regressionMetrics } from "../model-metrics/index.js";
import { estimateCbpe } from "./performance/index.js";
/** Metric values with null for failures; each failure's reason goes to `notes` (when given). */
function flatten(metrics, notes) {
    const out = {};
    for (const [k, v] of Object.entries(metrics)) {
        out[k] = v.ok ? v.value : null;
        if (!v.ok && notes)
            notes[k] = `${v.reason}: ${v.detail}`;
    }
    return out;
}
/** Realised metrics on labelled rows (and per slice), CBPE estimates on all scores. Pure. */
export function computePerformance(input) {
    const { model, labelled } = input;
    const notes = {};
    let realised = {};
    const slices = {};
    const n = labelled.labelled;
    const task = model.task;
    const scoresAreProbabilities = labelled.scores.every((s) => s >= 0 && s <= 1);
    if (n > 0) {
        if (task === 'regression') {
            const input2 = { labels: labelled.labels, predictions: labelled.scores, minRows: input.minRows };
            realised = flatten(regressionMetrics(input2), notes);
            for (const [f, values] of Object.entries(labelled.slices)) {
                slices[f] = metricsBySlice(values, input2).map((s) => ({ value: s.value, n: s.n, metrics: flatten(s.metrics) }));
            }
        }
        else if (task === 'binary_classification' && scoresAreProbabilities && labelled.labels.every((l) => l === 0 || l === 1)) {
            const input2 = { labels: labelled.labels, scores: labelled.scores, minRows: input.minRows };
            realised = flatten(binaryClassificationMetrics(input2), notes);
            for (const [f, values] of Object.entries(labelled.slices)) {
                slices[f] = metricsBySlice(values, input2).map((s) => ({ value: s.value, n: s.n, metrics: flatten(s.metrics) }));
            }
        }
        else {
            // Class predictions (multiclass, or binary models that log classes): compare predicted and true classes.
            const predicted = labelled.predictedClasses.map((c, i) => c || String(labelled.scores[i]));
            const truth = labelled.labelClasses.map((c, i) => c || String(labelled.labels[i]));
            realised = flatten(multiclassClassificationMetrics({ labels: truth, predicted, minRows: input.minRows }), notes);
        }
    }
    const estimated = {};
    const comparison = {};
    if (task === 'binary_classification' && input.cbpe && input.allScores && input.allScores.length > 0 && input.allScores.every((s) => s >= 0 && s <= 1)) {
        for (const [k, v] of Object.entries(estimateCbpe(input.cbpe, { scores: input.allScores }))) {
            estimated[k] = v.ok ? { value: v.value, lower: v.lower, upper: v.upper } : null;
            if (!v.ok)
                notes[`estimated.${k}`] = `${v.reason}: ${v.detail}`;
            const r = realised[k];
            if (v.ok && typeof r === 'number')
                comparison[k] = r - v.value;
        }
    }
    const coverage = labelled.predictions === 0 ? null : n / labelled.predictions;
    const source = coverage !== null && coverage >= input.minLabelCoverage && n > 0 ? 'realised' : Object.keys(estimated).length > 0 ? 'estimated' : n > 0 ? 'realised' : 'none';
    return {
        model: model.name,
        version: input.version,
        from: new Date(input.fromMs).toISOString(),
        to: new Date(input.toMs).toISOString(),
        n_predictions: labelled.predictions,
        n_labeled: n,
        label_coverage: coverage,
        source,
        realised,
        estimated,
        notes,
        comparison,
        slices,
    };
}
//# sourceMappingURL=performance-report.js.map