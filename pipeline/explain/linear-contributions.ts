import type { ModelParams } from '../../contract/index.ts'

/** Options of explainLinear. */
export interface LinearExplanationOptions {
  /** A linear or logistic model (contract/signature.ts); an MLP has no additive explanation. */
  readonly params: ModelParams
  /** One preprocessed input vector (the model's input columns). */
  readonly vector: ArrayLike<number>
  /** The raw feature each column came from (one-hot and text columns share their feature), as long as `vector`. */
  readonly columnFeatures: readonly string[]
  /** Logistic only: the class whose logit to explain; binary 1 (the positive class), multinomial the argmax. */
  readonly classIndex?: number
  /**
   * A reference vector (typically the training mean of each column). With it, contributions are wⱼ(xⱼ − refⱼ) and
   * the baseline is the output at the reference: the exact SHAP values of a linear model with independent features
   * (Lundberg & Lee 2017, "A Unified Approach to Interpreting Model Predictions", corollary 1). Without it the
   * baseline is the intercept and contributions are wⱼxⱼ.
   */
  readonly reference?: ArrayLike<number>
}

/** Additive explanation: baseline + Σ contributions = output. */
export interface LinearExplanation {
  /** `prediction` for linear models (target scaling undone), `logit` for logistic ones. */
  readonly scale: 'prediction' | 'logit'
  /** The explained class (logistic), else null. */
  readonly classIndex: number | null
  readonly output: number
  readonly baseline: number
  /** Per raw feature: the sum of its columns' contributions, in order of first appearance. */
  readonly contributions: Readonly<Record<string, number>>
  /** Per input column. */
  readonly columnContributions: readonly number[]
}

/**
 * Per-prediction contributions of a linear or logistic model: weight × value per preprocessed column, summed back
 * to raw features through `columnFeatures`, plus the baseline, so that baseline + Σ contributions equals the
 * model's prediction (linear) or logit (logistic: the binary log-odds of classes[1], or a multinomial class's
 * softmax input).
 */
export function explainLinear(options: LinearExplanationOptions): LinearExplanation {
  const { params, vector, columnFeatures, reference } = options
  if (params.kind === 'mlp') throw new RangeError('explainLinear: an mlp has no additive per-feature decomposition; use permutationImportance')
  if (columnFeatures.length !== vector.length) throw new RangeError(`columnFeatures has ${columnFeatures.length} names but the vector has ${vector.length} columns`)
  if (reference && reference.length !== vector.length) throw new RangeError(`reference has ${reference.length} columns but the vector has ${vector.length}`)
  let weights: readonly number[]
  let bias: number
  let multiplier = 1
  let offset = 0
  let classIndex: number | null = null
  if (params.kind === 'linear') {
    weights = params.weights
    bias = params.bias
    if (params.target) {
      multiplier = params.target.scale
      offset = params.target.mean
    }
  } else {
    const K = params.weights.length
    if (K === 1) {
      classIndex = options.classIndex ?? 1
      if (classIndex !== 1) throw new RangeError(`classIndex ${classIndex}: a binary logistic model explains the log-odds of class 1 only`)
      weights = params.weights[0] as number[]
      bias = params.bias[0] as number
    } else {
      if (options.classIndex === undefined) {
        // Default to the predicted class: the largest logit is the largest softmax probability.
        let best = 0
        let bestZ = Number.NEGATIVE_INFINITY
        for (let k = 0; k < K; k++) {
          let z = params.bias[k] as number
          const w = params.weights[k] as number[]
          for (let j = 0; j < vector.length; j++) z += (w[j] as number) * (vector[j] as number)
          if (z > bestZ) {
            bestZ = z
            best = k
          }
        }
        classIndex = best
      } else classIndex = options.classIndex
      if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= K) throw new RangeError(`classIndex must be an integer in [0, ${K}), got ${classIndex}`)
      weights = params.weights[classIndex] as number[]
      bias = params.bias[classIndex] as number
    }
  }
  if (weights.length !== vector.length) throw new RangeError(`the model has ${weights.length} weights but the vector has ${vector.length} columns`)
  let baseline = bias
  let output = bias
  const columnContributions: number[] = []
  const contributions: Record<string, number> = {}
  for (let j = 0; j < vector.length; j++) {
    const w = weights[j] as number
    const x = vector[j] as number
    const ref = reference ? (reference[j] as number) : 0
    const c = w * (x - ref) * multiplier
    baseline += w * ref
    output += w * x
    columnContributions.push(c)
    const feature = columnFeatures[j] as string
    contributions[feature] = (contributions[feature] ?? 0) + c
  }
  return {
    scale: params.kind === 'linear' ? 'prediction' : 'logit',
    classIndex,
    output: output * multiplier + offset,
    baseline: baseline * multiplier + offset,
    contributions,
    columnContributions,
  }
}
