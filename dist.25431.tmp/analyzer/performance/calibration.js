import { NEEDS_CALIBRATION } from "./const.js";
import { applyIsotonic, fitIsotonicGroups } from "./isotonic.js";
import { assertBinaryLabels, assertFinite, assertSameLength, rankingFigures, splitSortedByLabel } from "../../model-metrics/index.js";
import { createSeededRandom, sampleInPlace } from "../../random/index.js";
/**
 * Fits an isotonic map on scores already split by class and sorted ascending, skipping rows whose
 * mark is set: one merge walk builds the distinct scores with their row and positive counts.
 */
export function fitIsotonicOnSorted(positives, negatives, skipPositive, skipNegative) {
    const nPos = positives.length;
    const nNeg = negatives.length;
    const skipPos = skipPositive ?? new Uint8Array(nPos);
    const skipNeg = skipNegative ?? new Uint8Array(nNeg);
    const x = new Float64Array(nPos + nNeg);
    const weight = new Float64Array(nPos + nNeg);
    const weightedY = new Float64Array(nPos + nNeg);
    let groups = 0;
    let i = 0;
    let j = 0;
    while (true) {
        while (i < nPos && skipPos[i] === 1)
            i++;
        while (j < nNeg && skipNeg[j] === 1)
            j++;
        if (i >= nPos && j >= nNeg)
            break;
        const p = i < nPos ? positives[i] : Infinity;
        const q = j < nNeg ? negatives[j] : Infinity;
        const t = p < q ? p : q;
        let pos = 0;
        let all = 0;
        for (; i < nPos && positives[i] === t; i++) {
            if (skipPos[i] === 0)
                pos++;
        }
        all += pos;
        for (; j < nNeg && negatives[j] === t; j++) {
            if (skipNeg[j] === 0)
                all++;
        }
        x[groups] = t;
        weight[groups] = all;
        weightedY[groups++] = pos;
    }
    return fitIsotonicGroups({ x, weight, weightedY, length: groups });
}
/**
 * NannyML's ECE for `needs_calibration` (nannyml/calibration.py `_get_bin_index_edges`,
 * `_calculate_expected_calibration_error`): rows sorted by probability, equal-count bins of
 * ⌊m / bins⌋ rows with the remainder added to the last, ECE = Σ (rows_b / m)·|mean p_b − mean y_b|.
 * Ties are ordered negatives first (NumPy's unstable argsort leaves them in no set order).
 * Returns null below 4 rows, where NannyML cannot form two bins.
 */
function equalCountEce(positives, negatives, bins) {
    const m = positives.length + negatives.length;
    let binCount = bins;
    if (m <= 2 * binCount) {
        binCount = Math.floor(m / 2);
        if (binCount < 2)
            return null;
    }
    // Bin edges 0, w, 2w, … ≤ m with the last one moved to m (NumPy `range(0, m + 1, w)`, `edges[-1] = m`).
    const width = Math.floor(m / binCount);
    const edges = [];
    for (let e = 0; e <= m; e += width)
        edges.push(e);
    edges[edges.length - 1] = m;
    positives.sort();
    negatives.sort();
    let i = 0;
    let j = 0;
    let ece = 0;
    let bin = 1;
    let binRows = 0;
    let binP = 0;
    let binY = 0;
    for (let r = 0; r < m; r++) {
        const takeNegative = j < negatives.length && (i >= positives.length || negatives[j] <= positives[i]);
        if (takeNegative)
            binP += negatives[j++];
        else {
            binP += positives[i++];
            binY += 1;
        }
        binRows++;
        if (r + 1 === edges[bin]) {
            ece += (binRows / m) * Math.abs(binP / binRows - binY / binRows);
            bin++;
            binRows = 0;
            binP = 0;
            binY = 0;
        }
    }
    return ece;
}
/**
 * NannyML `needs_calibration` (nannyml/calibration.py) on scores split by class and sorted: false
 * with one class or ROC AUC above 0.999; otherwise 10 stratified shuffle splits (10% test) fit an
 * isotonic calibrator on each train part and calibrate its test part, and calibration is needed when
 * the equal-count ECE of the pooled test parts is lower after calibration than before.
 * Deviation: the splits come from a seeded Mulberry32 stream (seed 42), not NumPy's, so the test
 * rows differ from NannyML's and a borderline case may be decided the other way.
 */
export function needsCalibrationSorted(positives, negatives) {
    const nPos = positives.length;
    const nNeg = negatives.length;
    if (nPos === 0 || nNeg === 0)
        return false;
    const auc = rankingFigures(positives, negatives).rocAuc;
    if (auc > NEEDS_CALIBRATION.aucCeiling)
        return false;
    const n = nPos + nNeg;
    const testTotal = Math.ceil(NEEDS_CALIBRATION.testFraction * n);
    const testPos = Math.min(nPos, Math.max(0, Math.round((testTotal * nPos) / n)));
    const testNeg = Math.min(nNeg, testTotal - testPos);
    const random = createSeededRandom(NEEDS_CALIBRATION.seed);
    const permPos = Int32Array.from({ length: nPos }, (_, k) => k);
    const permNeg = Int32Array.from({ length: nNeg }, (_, k) => k);
    const markPos = new Uint8Array(nPos);
    const markNeg = new Uint8Array(nNeg);
    const splits = NEEDS_CALIBRATION.splits;
    const rawPos = new Float64Array(splits * testPos);
    const calPos = new Float64Array(splits * testPos);
    const rawNeg = new Float64Array(splits * testNeg);
    const calNeg = new Float64Array(splits * testNeg);
    let outPos = 0;
    let outNeg = 0;
    const pick = (perm, count, mark) => {
        mark.fill(0);
        sampleInPlace(perm, count, random);
        for (let k = 0; k < count; k++)
            mark[perm[k]] = 1;
    };
    for (let s = 0; s < splits; s++) {
        pick(permPos, testPos, markPos);
        pick(permNeg, testNeg, markNeg);
        const map = fitIsotonicOnSorted(positives, negatives, markPos, markNeg);
        for (let k = 0; k < nPos; k++) {
            if (markPos[k] === 1) {
                rawPos[outPos] = positives[k];
                calPos[outPos++] = applyIsotonic(map, positives[k]);
            }
        }
        for (let k = 0; k < nNeg; k++) {
            if (markNeg[k] === 1) {
                rawNeg[outNeg] = negatives[k];
                calNeg[outNeg++] = applyIsotonic(map, negatives[k]);
            }
        }
    }
    const before = equalCountEce(rawPos, rawNeg, NEEDS_CALIBRATION.bins);
    const after = equalCountEce(calPos, calNeg, NEEDS_CALIBRATION.bins);
    if (before === null || after === null)
        return false;
    return before > after;
}
/** NannyML `needs_calibration` on a labelled reference: does isotonic calibration lower the ECE on held-out rows? */
export function needsCalibration(labels, scores) {
    assertSameLength('needsCalibration', labels, scores, 'labels', 'scores');
    assertBinaryLabels('needsCalibration', labels);
    assertFinite('needsCalibration', 'scores', scores);
    const { positives, negatives } = splitSortedByLabel(labels, scores);
    return needsCalibrationSorted(positives, negatives);
}
//# sourceMappingURL=calibration.js.map