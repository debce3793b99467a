/** Row indices ordered by decreasing score (ties in input order; tie order does not change the results). */
function byDecreasingScore(scores: ArrayLike<number>): Int32Array {
  const order = new Int32Array(scores.length).map((_, i) => i)
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number))
  return order
}

function checkBinary(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  if (labels.length !== scores.length) throw new RangeError(`labels has ${labels.length} values but scores has ${scores.length}`)
  let positives = 0
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number
    if (y !== 0 && y !== 1) throw new RangeError(`labels[${i}] is ${y}; binary labels must be 0 or 1`)
    if (!Number.isFinite(scores[i] as number)) throw new RangeError(`scores[${i}] is ${scores[i]}; scores must be finite`)
    positives += y
  }
  return positives
}

/**
 * Area under the ROC curve, as scikit-learn's `roc_auc_score`: the trapezoid over distinct thresholds, so a
 * positive and a negative with the same score count ½ (equivalently the Mann–Whitney U statistic / (P·N)).
 * Null when only one class is present.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number | null {
  const positives = checkBinary(labels, scores)
  const negatives = labels.length - positives
  if (positives === 0 || negatives === 0) return null
  const order = byDecreasingScore(scores)
  let tp = 0
  let area = 0
  let k = 0
  while (k < order.length) {
    const s = scores[order[k] as number] as number
    let groupTp = 0
    let groupFp = 0
    while (k < order.length && scores[order[k] as number] === s) {
      if (labels[order[k] as number] === 1) groupTp++
      else groupFp++
      k++
    }
    // Trapezoid of this threshold step: width groupFp, mean height tp + groupTp/2 (both in counts).
    area += groupFp * (tp + groupTp / 2)
    tp += groupTp
  }
  return area / (positives * negatives)
}

/**
 * Average precision, as scikit-learn's `average_precision_score`: Σₖ (Rₖ − Rₖ₋₁)·Pₖ over distinct thresholds
 * from the highest, without interpolation (sklearn user guide, "Precision, recall and F-measures"). This is the
 * "PR AUC" of this project; the trapezoidal area is optimistic (Davis & Goadrich 2006). Null without positives.
 */
export function averagePrecision(labels: ArrayLike<number>, scores: ArrayLike<number>): number | null {
  const positives = checkBinary(labels, scores)
  if (positives === 0) return null
  const order = byDecreasingScore(scores)
  let tp = 0
  let fp = 0
  let ap = 0
  let k = 0
  while (k < order.length) {
    const s = scores[order[k] as number] as number
    let groupTp = 0
    while (k < order.length && scores[order[k] as number] === s) {
      if (labels[order[k] as number] === 1) groupTp++
      else fp++
      k++
    }
    tp += groupTp
    // Recall rises by groupTp / P at this threshold; the precision there is tp / (tp + fp).
    if (groupTp > 0) ap += (groupTp / positives) * (tp / (tp + fp))
  }
  return ap
}
