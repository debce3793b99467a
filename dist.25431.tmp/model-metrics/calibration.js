import { DEFAULT_ECE_BINS } from "./const.js";
import { assertBinaryLabels, assertSameLength } from "./outcome.js";
/**
 * The equal-width bin of a probability among `bins` bins of [0, 1]: min(⌊score·bins⌋, bins − 1), so a score on an
 * inner edge goes to the upper bin and 1 to the last one (sklearn's `calibration_curve` agrees off the edges).
 */
export function calibrationBin(score, bins) {
    return Math.min(Math.floor(score * bins), bins - 1);
}
/**
 * Expected calibration error from per-bin sums: Σ_b (n_b / n)·|mean label_b − mean score_b| over non-empty bins
 * (Naeini et al. 2015; Guo et al. 2017, eq. 3).
 */
export function eceOfBins(count, labelSum, scoreSum, rows) {
    let ece = 0;
    for (let b = 0; b < count.length; b++) {
        const c = count[b];
        if (c > 0)
            ece += (c / rows) * Math.abs(labelSum[b] / c - scoreSum[b] / c);
    }
    return ece;
}
/**
 * Reliability diagram over `bins` equal-width bins of [0, 1] (10 by default, as sklearn's `calibration_curve`),
 * binned by calibrationBin. Every bin is listed, empty ones with count 0. Throws RangeError on misaligned columns,
 * labels other than 0/1 or a score outside [0, 1].
 */
export function reliabilityBins(labels, scores, bins = DEFAULT_ECE_BINS) {
    const WHAT = 'reliabilityBins';
    assertSameLength(WHAT, labels, scores, 'labels', 'scores');
    assertBinaryLabels(WHAT, labels);
    if (!Number.isInteger(bins) || bins < 1)
        throw new RangeError(`${WHAT}: bins must be a positive integer, got ${String(bins)}`);
    const count = new Float64Array(bins);
    const scoreSum = new Float64Array(bins);
    const positiveSum = new Float64Array(bins);
    for (let i = 0; i < scores.length; i++) {
        const s = scores[i];
        if (!(s >= 0 && s <= 1))
            throw new RangeError(`${WHAT}: scores[${i}] is ${String(s)}; calibration needs probabilities in [0, 1]`);
        const b = calibrationBin(s, bins);
        count[b] += 1;
        scoreSum[b] += s;
        positiveSum[b] += labels[i];
    }
    return Array.from(count, (c, b) => ({
        lower: b / bins,
        upper: (b + 1) / bins,
        count: c,
        meanScore: c > 0 ? scoreSum[b] / c : null,
        fractionPositive: c > 0 ? positiveSum[b] / c : null,
    }));
}
//# sourceMappingURL=calibration.js.map