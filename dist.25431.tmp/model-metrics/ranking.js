/** Splits scores by label into two sorted (ascending) typed arrays: native numeric sort, no comparator. */
export function splitSortedByLabel(labels, scores) {
    let p = 0;
    for (let i = 0; i < labels.length; i++)
        if (labels[i] === 1)
            p++;
    const positives = new Float64Array(p);
    const negatives = new Float64Array(labels.length - p);
    let ip = 0;
    let in_ = 0;
    for (let i = 0; i < labels.length; i++) {
        if (labels[i] === 1)
            positives[ip++] = scores[i];
        else
            negatives[in_++] = scores[i];
    }
    positives.sort();
    negatives.sort();
    return { positives, negatives };
}
/**
 * ROC AUC and average precision in one walk down the distinct scores (highest first), each distinct
 * score one threshold, as sklearn's `_binary_clf_curve`.
 *
 * ROC AUC: trapezoidal area under (FPR, TPR) — sklearn `roc_auc_score` → `auc(fpr, tpr)`; a tie
 * across classes is a diagonal step, i.e. counts ½ (the Mann–Whitney U with ties). Computed on
 * integer counts (exact below 2^53) and divided once.
 * Average precision: AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ over thresholds, no interpolation — sklearn
 * `average_precision_score` (1.2.1, `_binary_uninterpolated_average_precision`). This is what we
 * report as PR AUC: sklearn's trapezoidal `auc(recall, precision)` is optimistic on PR curves, so
 * sklearn recommends AP ("Average precision" in the sklearn user guide, Davis & Goadrich 2006).
 */
export function rankingFigures(positives, negatives) {
    const nPos = positives.length;
    const nNeg = negatives.length;
    if (nPos === 0)
        return { rocAuc: null, averagePrecision: null };
    let i = nPos - 1;
    let j = nNeg - 1;
    let tp = 0;
    let fp = 0;
    let twiceArea = 0; // 2·U, kept integral
    let ap = 0;
    while (i >= 0 || j >= 0) {
        const pTop = i >= 0 ? positives[i] : -Infinity;
        const nTop = j >= 0 ? negatives[j] : -Infinity;
        const t = pTop > nTop ? pTop : nTop;
        let dp = 0;
        let dn = 0;
        while (i >= 0 && positives[i] === t) {
            dp++;
            i--;
        }
        while (j >= 0 && negatives[j] === t) {
            dn++;
            j--;
        }
        twiceArea += dn * (2 * tp + dp);
        tp += dp;
        fp += dn;
        if (dp > 0)
            ap += dp * (tp / (tp + fp)); // Σ dp·P, divided by nPos once: a perfect ranking gives exactly 1
    }
    return { rocAuc: nNeg === 0 ? null : twiceArea / (2 * nPos * nNeg), averagePrecision: ap / nPos };
}
//# sourceMappingURL=ranking.js.map