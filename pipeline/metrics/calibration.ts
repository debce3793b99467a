import type { ReliabilityBin } from './types.ts'

function checkInputs(labels: ArrayLike<number>, scores: ArrayLike<number>, bins: number): void {
  if (labels.length !== scores.length) throw new RangeError(`labels has ${labels.length} values but scores has ${scores.length}`)
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`)
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number
    if (!(s >= 0 && s <= 1)) throw new RangeError(`scores[${i}] is ${s}; calibration needs probabilities in [0, 1]`)
  }
}

/**
 * Reliability diagram over `bins` equal-width bins of [0, 1] (10 by default, as sklearn's `calibration_curve`):
 * bin = min(⌊score·bins⌋, bins − 1), so a score on an inner edge goes to the upper bin and 1 to the last one.
 * Every bin is listed, empty ones with count 0.
 */
export function reliabilityBins(labels: ArrayLike<number>, scores: ArrayLike<number>, bins = 10): ReliabilityBin[] {
  checkInputs(labels, scores, bins)
  const count = new Float64Array(bins)
  const scoreSum = new Float64Array(bins)
  const positiveSum = new Float64Array(bins)
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number
    const b = Math.min(Math.floor(s * bins), bins - 1)
    count[b] = (count[b] as number) + 1
    scoreSum[b] = (scoreSum[b] as number) + s
    positiveSum[b] = (positiveSum[b] as number) + (labels[i] as number)
  }
  return Array.from(count, (c, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: c,
    meanScore: c > 0 ? (scoreSum[b] as number) / c : null,
    fractionPositive: c > 0 ? (positiveSum[b] as number) / c : null,
  }))
}

/**
 * Expected calibration error over the reliability bins: Σ_b (n_b / n)·|mean label_b − mean score_b| (Naeini et al.
 * 2015; Guo et al. 2017, eq. 3). Null for an empty set.
 */
export function expectedCalibrationError(labels: ArrayLike<number>, scores: ArrayLike<number>, bins = 10): number | null {
  if (scores.length === 0) return null
  let ece = 0
  for (const bin of reliabilityBins(labels, scores, bins)) {
    if (bin.count > 0) ece += (bin.count / scores.length) * Math.abs((bin.fractionPositive as number) - (bin.meanScore as number))
  }
  return ece
}
