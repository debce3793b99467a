import { expectedCalibrationError } from './calibration.ts'
import { averagePrecision, rocAuc } from './ranking.ts'
import type { BinaryMetrics, MulticlassMetrics } from './types.ts'

/** sklearn 1.2 `log_loss(eps='auto')` clips probabilities to [ε, 1 − ε] with ε = float64 epsilon = 2⁻⁵². */
const LOG_LOSS_EPS = 2 ** -52

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null)

/** Options of binaryMetrics. */
export interface BinaryMetricsInput {
  /** 0 or 1 per row. */
  readonly labels: ArrayLike<number>
  /** P(class 1) per row. */
  readonly scores: ArrayLike<number>
  /** Predicted positive when score ≥ threshold; 0.5 by default. */
  readonly threshold?: number
  /** Bins of the expected calibration error; 10 by default. */
  readonly eceBins?: number
}

/**
 * Accuracy, precision, recall, F1, ROC AUC, PR AUC (average precision), log loss, Brier and ECE of a binary
 * classifier, with scikit-learn 1.2's definitions. Where sklearn warns and substitutes 0 (precision with no
 * predicted positive, recall with no positive, F1 with neither) the value is null. Log loss clips to [ε, 1 − ε]
 * and renormalises as sklearn; log loss, Brier and ECE are null if a score lies outside [0, 1].
 */
export function binaryMetrics(input: BinaryMetricsInput): BinaryMetrics {
  const { labels, scores } = input
  const threshold = input.threshold ?? 0.5
  if (labels.length !== scores.length) throw new RangeError(`labels has ${labels.length} values but scores has ${scores.length}`)
  const n = labels.length
  let tp = 0
  let fp = 0
  let fn = 0
  let tn = 0
  let logLoss = 0
  let brier = 0
  let probabilities = true
  for (let i = 0; i < n; i++) {
    const y = labels[i] as number
    const s = scores[i] as number
    if (y !== 0 && y !== 1) throw new RangeError(`labels[${i}] is ${y}; binary labels must be 0 or 1`)
    if (!Number.isFinite(s)) throw new RangeError(`scores[${i}] is ${s}; scores must be finite`)
    const predicted = s >= threshold ? 1 : 0
    if (predicted === 1) {
      if (y === 1) tp++
      else fp++
    } else if (y === 1) fn++
    else tn++
    if (s < 0 || s > 1) probabilities = false
    const p1 = Math.min(Math.max(s, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS)
    const p0 = Math.min(Math.max(1 - s, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS)
    logLoss -= Math.log((y === 1 ? p1 : p0) / (p0 + p1))
    brier += (s - y) ** 2
  }
  const positives = tp + fn
  return {
    rows: n,
    positives,
    accuracy: ratio(tp + tn, n),
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    f1: ratio(2 * tp, 2 * tp + fp + fn),
    roc_auc: rocAuc(labels, scores),
    pr_auc: averagePrecision(labels, scores),
    log_loss: probabilities && n > 0 ? logLoss / n : null,
    brier: probabilities && n > 0 ? brier / n : null,
    ece: probabilities ? expectedCalibrationError(labels, scores, input.eceBins ?? 10) : null,
  }
}

/** Options of multiclassMetrics. */
export interface MulticlassMetricsInput {
  /** Class index per row, in [0, classes). */
  readonly labels: ArrayLike<number>
  /** Row-major n × classes probabilities (pipeline/models `predictParams` output). */
  readonly probabilities: { readonly data: Float64Array; readonly rows: number; readonly cols: number }
}

/**
 * Accuracy (prediction = argmax, first class on ties, as `np.argmax`), macro precision/recall/F1 over the classes
 * present in labels or predictions with sklearn's zero_division = 0 per class, log loss over all columns (sklearn
 * `labels=range(K)`, clipped and renormalised), one-vs-rest macro ROC AUC (null unless every class occurs in the
 * labels, where sklearn raises) and the multiclass Brier score Σ_k (p_k − 1[y = k])² averaged over rows (Brier
 * 1950; sklearn 1.2 has no multiclass Brier).
 */
export function multiclassMetrics(input: MulticlassMetricsInput): MulticlassMetrics {
  const { labels, probabilities } = input
  const n = probabilities.rows
  const K = probabilities.cols
  if (labels.length !== n) throw new RangeError(`labels has ${labels.length} values but probabilities has ${n} rows`)
  const p = probabilities.data
  const tp = new Float64Array(K)
  const predictedCount = new Float64Array(K)
  const trueCount = new Float64Array(K)
  let correct = 0
  let logLoss = 0
  let brier = 0
  for (let i = 0; i < n; i++) {
    const y = labels[i] as number
    if (!Number.isInteger(y) || y < 0 || y >= K) throw new RangeError(`labels[${i}] is ${y}; labels must be class indices in [0, ${K})`)
    let arg = 0
    let rowSum = 0
    for (let k = 0; k < K; k++) {
      const v = p[i * K + k] as number
      if (!(v >= 0 && v <= 1)) throw new RangeError(`probabilities row ${i}, class ${k} is ${v}; probabilities must be in [0, 1]`)
      if (v > (p[i * K + arg] as number)) arg = k
      rowSum += Math.min(Math.max(v, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS)
      brier += (v - (k === y ? 1 : 0)) ** 2
    }
    logLoss -= Math.log(Math.min(Math.max(p[i * K + y] as number, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS) / rowSum)
    trueCount[y] = (trueCount[y] as number) + 1
    predictedCount[arg] = (predictedCount[arg] as number) + 1
    if (arg === y) {
      correct++
      tp[y] = (tp[y] as number) + 1
    }
  }
  let present = 0
  let precision = 0
  let recall = 0
  let f1 = 0
  let everyClassPresent = true
  for (let k = 0; k < K; k++) {
    const t = trueCount[k] as number
    const pc = predictedCount[k] as number
    if (t === 0) everyClassPresent = false
    if (t === 0 && pc === 0) continue
    present++
    const hit = tp[k] as number
    precision += pc > 0 ? hit / pc : 0
    recall += t > 0 ? hit / t : 0
    f1 += t + pc > 0 ? (2 * hit) / (t + pc) : 0
  }
  let auc: number | null = null
  if (everyClassPresent && n > 0) {
    const binary = new Uint8Array(n)
    const column = new Float64Array(n)
    let sum = 0
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < n; i++) {
        binary[i] = labels[i] === k ? 1 : 0
        column[i] = p[i * K + k] as number
      }
      sum += rocAuc(binary, column) as number
    }
    auc = sum / K
  }
  return {
    rows: n,
    accuracy: ratio(correct, n),
    precision: present > 0 ? precision / present : null,
    recall: present > 0 ? recall / present : null,
    f1: present > 0 ? f1 / present : null,
    roc_auc: auc,
    log_loss: n > 0 ? logLoss / n : null,
    brier: n > 0 ? brier / n : null,
  }
}
