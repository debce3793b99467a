/**
 * Alert thresholds learnt from reference chunks, as NannyML's StandardDeviationThreshold
 * (nannyml/thresholds.py): a statistic is computed on each chunk of the reference period and the band is
 * mean ± k · std of those values, with `np.std`'s default ddof = 0 (population standard deviation), then
 * clipped to the metric's possible range as `calculate_threshold_values` does. In a large window every
 * p-value is tiny; comparing the statistic with its own chunk-to-chunk spread in the reference asks instead
 * whether the change is larger than what the reference period itself shows.
 */
import { DEFAULT_STD_MULTIPLIER } from "./const.js";
import { requireFinite, requireInteger } from "./validate.js";
/**
 * Splits `rowCount` rows into consecutive chunks of `chunkSize` rows (NannyML SizeBasedChunker). The rows
 * left over form a smaller last chunk (`'keep'`, NannyML's default), are dropped, or are appended to the last
 * full chunk. With fewer rows than one chunk, `'append'` keeps them as one chunk (NannyML would fail there).
 */
export function splitChunks(rowCount, chunkSize, incomplete = 'keep') {
    requireInteger('rowCount', rowCount, 0);
    requireInteger('chunkSize', chunkSize, 1);
    const fullCount = Math.floor(rowCount / chunkSize);
    const chunks = [];
    for (let i = 0; i < fullCount; i++)
        chunks.push({ start: i * chunkSize, end: (i + 1) * chunkSize });
    const leftoverStart = fullCount * chunkSize;
    if (leftoverStart === rowCount)
        return chunks;
    const last = chunks[chunks.length - 1];
    if (incomplete === 'keep' || (incomplete === 'append' && last === undefined))
        chunks.push({ start: leftoverStart, end: rowCount });
    else if (incomplete === 'append' && last !== undefined)
        chunks[chunks.length - 1] = { start: last.start, end: rowCount };
    return chunks;
}
/** Band mean ± stdMultiplier · std (ddof 0) of per-reference-chunk values, bounded as NannyML's `calculate_threshold_values`. */
export function chunkThreshold(values, options = {}) {
    const { stdMultiplier = DEFAULT_STD_MULTIPLIER, lowerBound, upperBound, outOfBounds = 'clip' } = options;
    if (values.length === 0)
        throw new RangeError('values = []: expected the statistic of at least one reference chunk');
    if (!(stdMultiplier >= 0) || !Number.isFinite(stdMultiplier))
        throw new RangeError(`stdMultiplier = ${stdMultiplier}: expected a finite number ≥ 0`);
    values.forEach((v, i) => requireFinite(`values[${i}]`, v));
    if (lowerBound !== undefined && upperBound !== undefined && !(lowerBound < upperBound)) {
        throw new RangeError(`lowerBound = ${lowerBound}, upperBound = ${upperBound}: expected lowerBound < upperBound`);
    }
    const mean = meanOf(values);
    // Two-pass population variance: the centred pass avoids the cancellation of E[x²] − E[x]².
    let squares = 0;
    for (const v of values)
        squares += (v - mean) ** 2;
    const std = Math.sqrt(squares / values.length);
    let lower = mean - std * stdMultiplier;
    let upper = mean + std * stdMultiplier;
    if (lowerBound !== undefined && lower < lowerBound)
        lower = outOfBounds === 'clip' ? lowerBound : null;
    if (upperBound !== undefined && upper > upperBound)
        upper = outOfBounds === 'clip' ? upperBound : null;
    return { lower, upper };
}
/** Whether a value alerts: NannyML's rule `not (lower < value < upper)`, so a value on a bound, or NaN, alerts. */
export function breachesThreshold(band, value) {
    const lower = band.lower ?? Number.NEGATIVE_INFINITY;
    const upper = band.upper ?? Number.POSITIVE_INFINITY;
    return !(lower < value && value < upper);
}
// numpy's mean is a pairwise sum; a plain sum differs in the last bits only, well inside the 1e-12 tests.
function meanOf(values) {
    let sum = 0;
    for (const v of values)
        sum += v;
    return sum / values.length;
}
//# sourceMappingURL=chunk-threshold.js.map