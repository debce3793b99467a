import { FeaturizeError, tokenize, type TextTransform } from '../../contract/index.ts'

/** How a text feature's TF-IDF vocabulary is learnt. */
export interface TextOptions {
  /** 1: unigrams; 2: unigrams and bigrams. Default 1. */
  readonly ngrams?: 1 | 2
  /**
   * Minimum document frequency, as scikit-learn's `min_df`: a number ≥ 1 is a count of documents (must be an
   * integer), a number in (0, 1) a share of documents. Default 1.
   */
  readonly minDf?: number
  /** Keep at most this many terms: the highest document frequency first, ties by term (code-point order). */
  readonly maxFeatures?: number
  /** tf → 1 + ln(tf), as scikit-learn's `sublinear_tf`. Default false. */
  readonly sublinearTf?: boolean
}

const compareTerms = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Learns a text feature's vocabulary and smoothed idf from training documents (null = an empty document; it
 * still counts in n). idf = ln((1 + n) / (1 + df)) + 1 (scikit-learn `TfidfVectorizer(smooth_idf=True)`).
 * The vocabulary is sorted by term, as scikit-learn sorts it. Unlike scikit-learn, `maxFeatures` ranks terms by
 * document frequency (scikit-learn ranks by total term count): df is what min_df already filters on, and it is
 * not dominated by a few long documents repeating one word.
 */
export function fitTextTransform(name: string, texts: readonly (string | null | undefined)[], options: TextOptions = {}): TextTransform {
  const ngrams = options.ngrams ?? 1
  const sublinearTf = options.sublinearTf ?? false
  const n = texts.length
  const minDf = options.minDf ?? 1
  if (!(minDf > 0) || (minDf >= 1 && !Number.isInteger(minDf))) {
    throw new FeaturizeError(name, `text option minDf must be an integer count ≥ 1 or a share in (0, 1), got ${minDf}`)
  }
  if (options.maxFeatures !== undefined && !(Number.isInteger(options.maxFeatures) && options.maxFeatures >= 1)) {
    throw new FeaturizeError(name, `text option maxFeatures must be an integer ≥ 1, got ${options.maxFeatures}`)
  }
  if (n === 0) throw new FeaturizeError(name, 'needs at least one training document to learn a vocabulary, got 0 rows')

  const df = new Map<string, number>()
  for (const text of texts) {
    for (const term of new Set(tokenize(text ?? '', ngrams))) df.set(term, (df.get(term) ?? 0) + 1)
  }
  const minCount = minDf >= 1 ? minDf : minDf * n
  let terms = [...df.keys()].filter((t) => df.get(t)! >= minCount)
  if (options.maxFeatures !== undefined && terms.length > options.maxFeatures) {
    terms.sort((a, b) => df.get(b)! - df.get(a)! || compareTerms(a, b))
    terms = terms.slice(0, options.maxFeatures)
  }
  terms.sort(compareTerms)
  if (terms.length === 0) {
    throw new FeaturizeError(name, `no term occurs in at least ${minDf >= 1 ? `${minDf} documents` : `${minDf} of the documents`} (of ${n}): lower minDf or add text`)
  }
  const idf = terms.map((t) => Math.log((1 + n) / (1 + df.get(t)!)) + 1)
  return { kind: 'text', name, ngrams, vocabulary: terms, idf, sublinearTf }
}
