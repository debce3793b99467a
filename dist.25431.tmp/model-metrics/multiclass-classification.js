import { FLOAT64_EPS, MULTICLASS_METRICS, PROBABILITY_SUM_TOLERANCE } from "./const.js";
import { assertSameLength, fillOutcomes, metricValue, notEnoughData, resolveMinRows, undefinedMetric } from "./outcome.js";
import { rankingFigures } from "./ranking.js";
const WHAT = 'multiclassClassificationMetrics';
/** Sorted distinct values (UTF-16 order, as JavaScript sorts; NumPy sorts the same for BMP text). */
function sortedUnique(values) {
    return [...new Set(values)].sort();
}
/**
 * Accuracy and macro precision, recall and F1 from class indices in [0, classCount), at least one row. The macro
 * averages run over the classes present in labels or predictions (sklearn `average='macro'`), with
 * `zero_division=0` per class; per-class F1 = 2PR / (P + R), 0 when P + R = 0.
 */
function classOutcomes(labels, predicted, classCount) {
    const n = labels.length;
    const truePositives = new Float64Array(classCount);
    const predictedCount = new Float64Array(classCount);
    const labelCount = new Float64Array(classCount);
    let correct = 0;
    for (let i = 0; i < n; i++) {
        const y = labels[i];
        const p = predicted[i];
        labelCount[y] += 1;
        predictedCount[p] += 1;
        if (y === p) {
            truePositives[y] += 1;
            correct++;
        }
    }
    let present = 0;
    let precision = 0;
    let recall = 0;
    let f1 = 0;
    for (let c = 0; c < classCount; c++) {
        const predictedC = predictedCount[c];
        const labelC = labelCount[c];
        if (predictedC === 0 && labelC === 0)
            continue;
        present++;
        const tp = truePositives[c];
        const pc = predictedC > 0 ? tp / predictedC : 0;
        const rc = labelC > 0 ? tp / labelC : 0;
        precision += pc;
        recall += rc;
        f1 += pc + rc === 0 ? 0 : (2 * pc * rc) / (pc + rc);
    }
    return {
        accuracy: metricValue(correct / n),
        precision: metricValue(precision / present),
        recall: metricValue(recall / present),
        f1: metricValue(f1 / present),
    };
}
/**
 * Log loss, one-vs-rest macro ROC AUC and the multiclass Brier score from class indices and a row-major matrix
 * whose column c is the probability of `classes[c]` (at least one row):
 * - log_loss: sklearn `log_loss(labels=classes)`, each probability clipped to [eps, 1 − eps] (eps = 2^-52), rows
 *   renormalised;
 * - roc_auc: sklearn `roc_auc_score(multi_class='ovr', average='macro')`; undefined when a class never occurs (or
 *   is the only one) or when rows do not sum to 1 within `np.allclose` tolerance, as sklearn refuses;
 * - brier: Σ_k (p_k − 1[y = k])² averaged over rows (Brier 1950; sklearn 1.2 has no multiclass Brier).
 * All three need every probability in [0, 1], and at least two classes.
 */
function probabilityOutcomes(labels, matrix, classes) {
    const n = matrix.rows;
    const k = matrix.cols;
    const data = matrix.data;
    if (k < 2) {
        const one = undefinedMetric(`needs at least two classes, found only ${JSON.stringify(classes[0])}`);
        return { log_loss: one, roc_auc: one, brier: one };
    }
    let probabilities = true;
    let rowsSumToOne = true;
    const { atol, rtol } = PROBABILITY_SUM_TOLERANCE;
    for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let c = 0; c < k; c++) {
            const v = data[i * k + c];
            if (v < 0 || v > 1)
                probabilities = false;
            sum += v;
        }
        if (Math.abs(1 - sum) > atol + rtol * Math.abs(sum))
            rowsSumToOne = false;
    }
    if (!probabilities) {
        const bad = undefinedMetric('scores must be probabilities in [0, 1]');
        return { log_loss: bad, roc_auc: bad, brier: bad };
    }
    const eps = FLOAT64_EPS;
    const oneMinusEps = 1 - eps;
    let loss = 0;
    let brier = 0;
    for (let i = 0; i < n; i++) {
        let sum = 0;
        let own = 0;
        const y = labels[i];
        for (let c = 0; c < k; c++) {
            const raw = data[i * k + c];
            const q = raw < eps ? eps : raw > oneMinusEps ? oneMinusEps : raw;
            sum += q;
            if (c === y)
                own = q;
            brier += (raw - (c === y ? 1 : 0)) ** 2;
        }
        loss -= Math.log(own / sum);
    }
    const logLoss = metricValue(loss / n);
    const brierScore = metricValue(brier / n);
    if (!rowsSumToOne)
        return { log_loss: logLoss, roc_auc: undefinedMetric('one-vs-rest ROC AUC needs scores that sum to 1 in every row (as sklearn requires)'), brier: brierScore };
    let aucSum = 0;
    for (let c = 0; c < k; c++) {
        let p = 0;
        for (let i = 0; i < n; i++)
            if (labels[i] === c)
                p++;
        if (p === 0 || p === n) {
            return { log_loss: logLoss, roc_auc: undefinedMetric(`one-vs-rest ROC AUC for class ${JSON.stringify(classes[c])} needs rows of it and of other classes; it has ${p} of ${n}`), brier: brierScore };
        }
        const positives = new Float64Array(p);
        const negatives = new Float64Array(n - p);
        let ip = 0;
        let ineg = 0;
        for (let i = 0; i < n; i++) {
            const v = data[i * k + c];
            if (labels[i] === c)
                positives[ip++] = v;
            else
                negatives[ineg++] = v;
        }
        positives.sort();
        negatives.sort();
        aucSum += rankingFigures(positives, negatives).rocAuc;
    }
    return { log_loss: logLoss, roc_auc: metricValue(aucSum / k), brier: brierScore };
}
export function multiclassClassificationMetrics(input) {
    const { labels, predicted, scores } = input;
    const minRows = resolveMinRows(WHAT, input.minRows);
    assertSameLength(WHAT, labels, predicted, 'labels', 'predicted');
    if (scores !== undefined) {
        assertSameLength(WHAT, labels, scores, 'labels', 'scores');
        scores.forEach((row, i) => {
            for (const [k, v] of Object.entries(row)) {
                if (!Number.isFinite(v))
                    throw new RangeError(`${WHAT}: scores[${i}].${k} must be a finite number, got ${String(v)}`);
            }
        });
    }
    const n = labels.length;
    const metrics = scores === undefined ? MULTICLASS_METRICS.filter((m) => m !== 'log_loss' && m !== 'roc_auc') : MULTICLASS_METRICS;
    if (n < minRows) {
        return fillOutcomes(metrics, notEnoughData(n === 0 ? 'the window has no rows' : `the window has ${n} rows, fewer than the ${minRows} required`));
    }
    // Macro figures over the sorted union of labels and predictions.
    const classes = sortedUnique([...labels, ...predicted]);
    const index = new Map(classes.map((c, i) => [c, i]));
    const labelIndex = Int32Array.from(labels, (c) => index.get(c));
    const predictedIndex = Int32Array.from(predicted, (c) => index.get(c));
    const result = { ...classOutcomes(labelIndex, predictedIndex, classes.length) };
    if (scores !== undefined) {
        // Probabilistic figures over the sorted union of labels and score keys, a missing key counting 0.
        const keys = [];
        for (const row of scores)
            keys.push(...Object.keys(row));
        const scored = sortedUnique([...labels, ...keys]);
        const k = scored.length;
        const data = new Float64Array(n * k);
        for (let i = 0; i < n; i++) {
            const row = scores[i];
            for (let c = 0; c < k; c++)
                data[i * k + c] = Object.hasOwn(row, scored[c]) ? row[scored[c]] : 0;
        }
        const scoredIndex = new Map(scored.map((c, i) => [c, i]));
        const probabilistic = probabilityOutcomes(Int32Array.from(labels, (c) => scoredIndex.get(c)), { data, rows: n, cols: k }, scored);
        result.log_loss = probabilistic.log_loss;
        result.roc_auc = probabilistic.roc_auc;
    }
    return result;
}
/**
 * Multiclass metrics as training reports them, from class indices and the model's probabilities: the predicted
 * class is the argmax (first class on ties, as `np.argmax`), then accuracy, macro precision/recall/F1, log loss,
 * one-vs-rest macro ROC AUC and Brier by the same functions as multiclassClassificationMetrics, as `number | null`
 * after the row count. Throws RangeError on misaligned input, a label outside [0, classes) or a non-finite
 * probability.
 */
export function multiclassMetricValues(input) {
    const WHAT_VALUES = 'multiclassMetricValues';
    const { labels, probabilities } = input;
    const n = probabilities.rows;
    const K = probabilities.cols;
    if (labels.length !== n)
        throw new RangeError(`${WHAT_VALUES}: labels has ${labels.length} rows but probabilities has ${n}; they must be aligned row by row`);
    const p = probabilities.data;
    const predicted = new Int32Array(n);
    for (let i = 0; i < n; i++) {
        const y = labels[i];
        if (!Number.isInteger(y) || y < 0 || y >= K)
            throw new RangeError(`${WHAT_VALUES}: labels[${i}] is ${y}; labels must be class indices in [0, ${K})`);
        let arg = 0;
        for (let c = 0; c < K; c++) {
            const v = p[i * K + c];
            if (!Number.isFinite(v))
                throw new RangeError(`${WHAT_VALUES}: probabilities row ${i}, class ${c} must be a finite number, got ${String(v)}`);
            if (v > p[i * K + arg])
                arg = c;
        }
        predicted[i] = arg;
    }
    if (n === 0)
        return { rows: 0, accuracy: null, precision: null, recall: null, f1: null, roc_auc: null, log_loss: null, brier: null };
    const value = (o) => (o.ok ? o.value : null);
    const c = classOutcomes(labels, predicted, K);
    const q = probabilityOutcomes(labels, probabilities, Array.from({ length: K }, (_, k) => String(k)));
    return { rows: n, accuracy: value(c.accuracy), precision: value(c.precision), recall: value(c.recall), f1: value(c.f1), roc_auc: value(q.roc_auc), log_loss: value(q.log_loss), brier: value(q.brier) };
}
//# sourceMappingURL=multiclass-classification.js.map