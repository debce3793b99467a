import { MIN_OBSERVATIONS } from "./const.js";
/** Builds the explicit "not enough data" outcome. */
export function notEnoughData(detail) {
    return { ok: false, reason: 'not_enough_data', detail };
}
/** Copies the finite values of a sample into a new ascending Float64Array; sort a window once with it and pass the result to several tests (sorted input is only checked, O(n)). */
export function sortSample(values) {
    let finite = 0;
    for (let i = 0; i < values.length; i++)
        if (Number.isFinite(values[i]))
            finite++;
    const out = new Float64Array(finite);
    let j = 0;
    let sorted = true;
    for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (!Number.isFinite(v))
            continue;
        if (j > 0 && v < out[j - 1])
            sorted = false;
        out[j++] = v;
    }
    // Skipping the sort keeps already-sorted windows O(n): sort once, reuse for several tests.
    if (!sorted)
        sortFloat64InPlace(out);
    return out;
}
// Word order of a double in a Uint32Array view: [low, high] on little-endian platforms.
const HIGH_WORD = new Uint32Array(new Float64Array([1]).buffer)[1] === 0x3ff00000 ? 1 : 0;
const LOW_WORD = 1 - HIGH_WORD;
const RADIX_MIN_LENGTH = 4096;
// Six digits of at most 11 bits (2048 buckets stay in cache), each inside one 32-bit word.
const DIGITS = [
    { word: LOW_WORD, shift: 0, mask: 0x7ff },
    { word: LOW_WORD, shift: 11, mask: 0x7ff },
    { word: LOW_WORD, shift: 22, mask: 0x3ff },
    { word: HIGH_WORD, shift: 0, mask: 0x7ff },
    { word: HIGH_WORD, shift: 11, mask: 0x7ff },
    { word: HIGH_WORD, shift: 22, mask: 0x3ff },
];
/** Adds one word's three digits (11, 11 and 10 bits) to the histograms starting at `base`. */
function countDigits(counts, word, base) {
    const d0 = base + (word & 0x7ff);
    const d1 = base + 2048 + ((word >>> 11) & 0x7ff);
    const d2 = base + 4096 + (word >>> 22);
    counts[d0] = counts[d0] + 1;
    counts[d1] = counts[d1] + 1;
    counts[d2] = counts[d2] + 1;
}
/**
 * Sorts finite doubles ascending in place. Large arrays use an LSD radix sort on the IEEE 754 bit
 * patterns (negative numbers have all bits flipped, positive ones the sign bit, which makes the
 * unsigned order the numeric order, −0 before +0 — Knuth, TAOCP vol. 3 §5.2.5; Herf 2001,
 * "Radix tricks"), with all digit histograms counted in one pass.
 */
export function sortFloat64InPlace(values) {
    const n = values.length;
    if (n < RADIX_MIN_LENGTH) {
        values.sort();
        return;
    }
    const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
    const counts = new Uint32Array(DIGITS.length * 2048);
    for (let i = 0; i < n; i++) {
        let hi = words[2 * i + HIGH_WORD];
        let lo = words[2 * i + LOW_WORD];
        if (hi >= 0x80000000) {
            hi = ~hi >>> 0;
            lo = ~lo >>> 0;
            words[2 * i + LOW_WORD] = lo;
        }
        else {
            hi = (hi | 0x80000000) >>> 0;
        }
        words[2 * i + HIGH_WORD] = hi;
        countDigits(counts, lo, 0);
        countDigits(counts, hi, 3 * 2048);
    }
    let source = words;
    let target = new Uint32Array(2 * n);
    for (let pass = 0; pass < DIGITS.length; pass++) {
        const { word, shift, mask } = DIGITS[pass];
        const base = pass * 2048;
        if (counts[base + ((source[word] >>> shift) & mask)] === n)
            continue; // one digit value: nothing moves
        let offset = 0;
        for (let d = 0; d <= mask; d++) {
            const c = counts[base + d];
            counts[base + d] = offset;
            offset += c;
        }
        for (let i = 0; i < n; i++) {
            const slot = base + ((source[2 * i + word] >>> shift) & mask);
            const position = counts[slot];
            counts[slot] = position + 1;
            target[2 * position] = source[2 * i];
            target[2 * position + 1] = source[2 * i + 1];
        }
        const swap = source;
        source = target;
        target = swap;
    }
    if (source !== words)
        words.set(source);
    for (let i = 0; i < n; i++) {
        const hi = words[2 * i + HIGH_WORD];
        if (hi >= 0x80000000) {
            words[2 * i + HIGH_WORD] = hi & 0x7fffffff;
        }
        else {
            words[2 * i + HIGH_WORD] = ~hi;
            words[2 * i + LOW_WORD] = ~words[2 * i + LOW_WORD];
        }
    }
}
/** Checks both sorted samples against {@link MIN_OBSERVATIONS}; returns the refusal or null. */
export function checkSampleSizes(reference, current) {
    if (reference.length < MIN_OBSERVATIONS || current.length < MIN_OBSERVATIONS) {
        return notEnoughData(`needs at least ${MIN_OBSERVATIONS} finite values in each window, got reference=${reference.length}, current=${current.length}`);
    }
    return null;
}
/** Sums counts after checking they are finite and non-negative; throws on a caller bug. */
export function totalCount(counts, name) {
    let total = 0;
    for (let i = 0; i < counts.length; i++) {
        const c = counts[i];
        if (!(c >= 0) || !Number.isFinite(c))
            throw new RangeError(`${name}[${i}] must be a finite count ≥ 0, got ${c}`);
        total += c;
    }
    return total;
}
/** Checks aligned count vectors and their totals; returns the refusal or the totals. */
export function checkCounts(reference, current) {
    if (reference.length !== current.length) {
        throw new RangeError(`reference and current counts must be aligned, got lengths ${reference.length} and ${current.length}`);
    }
    const referenceTotal = totalCount(reference, 'reference');
    const currentTotal = totalCount(current, 'current');
    if (referenceTotal < MIN_OBSERVATIONS || currentTotal < MIN_OBSERVATIONS) {
        return notEnoughData(`needs at least ${MIN_OBSERVATIONS} observations in each window, got reference=${referenceTotal}, current=${currentTotal}`);
    }
    return { ok: true, referenceTotal, currentTotal };
}
/**
 * Neumaier's compensated sum (Neumaier 1974, "Rundungsfehleranalyse einiger Verfahren zur
 * Summation endlicher Summen"): long sums over 1M-row windows stay within a few ulps, at least as
 * accurate as NumPy's pairwise `np.sum`.
 */
export class CompensatedSum {
    sum = 0;
    compensation = 0;
    /** Adds one term. */
    add(value) {
        const t = this.sum + value;
        if (Math.abs(this.sum) >= Math.abs(value))
            this.compensation += this.sum - t + value;
        else
            this.compensation += value - t + this.sum;
        this.sum = t;
    }
    /** The compensated total. */
    value() {
        return this.sum + this.compensation;
    }
}
//# sourceMappingURL=sample.js.map