import * as ort from 'onnxruntime-node'
import { gauss, mulberry32 } from '../../random/index.ts'
import type { DenseLayer, ModelParams, ModelSignature, Preprocessor, SignatureInput } from '../../contract/index.ts'
import type { FeatureRecord } from '../data/index.ts'
import { featurizeText, fitTextTransform, vectorWidth } from '../featurize/index.ts'
import { graphInputName } from './preprocess-nodes.ts'

/*
 * Seeded random preprocessors, rows and parameters for the export tests (test code, not exported by index.ts): every
 * transform kind, missing values, unseen and empty categories, and every model kind the contract allows.
 */

/** The model variants the exporter must cover, each with the task it serves. */
export const MODEL_VARIANTS = [
  { id: 'linear', task: 'regression' },
  { id: 'linear with target scaling', task: 'regression' },
  { id: 'binary logistic', task: 'binary_classification' },
  { id: 'multinomial logistic', task: 'multiclass_classification' },
  { id: 'MLP regression', task: 'regression' },
  { id: 'MLP binary', task: 'binary_classification' },
  { id: 'MLP multiclass', task: 'multiclass_classification' },
] as const

/** One model variant's id. */
export type ModelVariant = (typeof MODEL_VARIANTS)[number]['id']

const WORDS = ['pain', 'fever', 'cough', 'rash', 'mild', 'severe', 'since', 'yesterday', 'child', 'adult', 'night', 'again', 'better', 'worse']
const CITIES = ['paris', 'lyon', 'nice', 'lille', 'brest', 'metz']

function sentence(random: () => number, unknownShare: number): string {
  const length = 1 + Math.floor(random() * 7)
  const words = Array.from({ length }, () => (random() < unknownShare ? `zz${Math.floor(random() * 100)}` : (WORDS[Math.floor(random() * WORDS.length)] as string)))
  // Mixed case and punctuation, which the shared tokenizer normalises.
  return words.map((w) => (random() < 0.2 ? w.toUpperCase() : w)).join(random() < 0.5 ? ' ' : ', ')
}

/** A random fitted preprocessor over age, income (numbers), insured (boolean), city (category) and notes (text). */
export function randomPreprocessor(seed: number): Preprocessor {
  const random = mulberry32(seed)
  const categories = [...CITIES].sort(() => random() - 0.5).slice(0, 3 + Math.floor(random() * 3))
  const corpus = Array.from({ length: 30 }, () => sentence(random, 0))
  const notes = fitTextTransform('notes', corpus, { ngrams: random() < 0.5 ? 1 : 2, sublinearTf: random() < 0.5 })
  return {
    features: [
      { kind: 'numeric', name: 'age', impute: 30 + 20 * random(), mean: 40 + 5 * gauss(random), scale: 5 + 10 * random() },
      { kind: 'numeric', name: 'income', impute: 1000 * random(), mean: 900 + 100 * gauss(random), scale: 200 + 300 * random() },
      { kind: 'boolean', name: 'insured', impute: random() },
      { kind: 'onehot', name: 'city', categories },
      notes,
    ],
  }
}

/** Random raw rows: ~20% missing numbers and booleans, seen, unseen ("atlantis"), empty and missing categories. */
export function randomRows(seed: number, count: number): FeatureRecord[] {
  const random = mulberry32(seed)
  const maybe = <T>(value: T, missingShare = 0.2): T | null => (random() < missingShare ? null : value)
  return Array.from({ length: count }, () => {
    const u = random()
    const city = u < 0.6 ? (CITIES[Math.floor(random() * CITIES.length)] as string) : u < 0.75 ? 'atlantis' : u < 0.85 ? '' : null
    return {
      age: maybe(Math.round(40 + 15 * gauss(random))),
      income: maybe(900 + 400 * gauss(random)),
      insured: maybe(random() < 0.5),
      city,
      notes: maybe(sentence(random, 0.2), 0.1),
    }
  })
}

/** The ONNX feeds for raw rows, as the server builds them: double [N, 1] (NaN = missing), string [N, 1], text vectors. */
export function onnxFeeds(preprocessor: Preprocessor, rows: readonly FeatureRecord[]): Record<string, ort.Tensor> {
  const n = rows.length
  const feeds: Record<string, ort.Tensor> = {}
  for (const feature of preprocessor.features) {
    const values = rows.map((row) => row[feature.name] ?? null)
    const name = graphInputName(feature)
    switch (feature.kind) {
      case 'numeric':
      case 'boolean':
        feeds[name] = new ort.Tensor('float64', Float64Array.from(values, (v) => (v === null ? Number.NaN : Number(v))), [n, 1])
        break
      case 'onehot':
        feeds[name] = new ort.Tensor('string', values.map((v) => (v === null ? '' : String(v))), [n, 1])
        break
      case 'text':
        feeds[name] = new ort.Tensor('float64', featurizeText(feature, values.map((v) => (v === null ? null : String(v)))), [n, feature.vocabulary.length])
        break
    }
  }
  return feeds
}

function dense(random: () => number, inputs: number, outputs: number, activation: DenseLayer['activation'], spread: number): DenseLayer {
  return {
    weights: Array.from({ length: outputs }, () => Array.from({ length: inputs }, () => (spread * gauss(random)) / Math.sqrt(inputs))),
    bias: Array.from({ length: outputs }, () => 0.5 * gauss(random)),
    activation,
  }
}

/** Random parameters of one variant over a `width`-column vector; weights large enough to reach tiny probabilities. */
export function randomParams(variant: ModelVariant, width: number, seed: number): ModelParams {
  const random = mulberry32(seed)
  const vector = (spread: number): number[] => Array.from({ length: width }, () => spread * gauss(random))
  switch (variant) {
    case 'linear':
      return { kind: 'linear', weights: vector(2), bias: gauss(random) }
    case 'linear with target scaling':
      return { kind: 'linear', weights: vector(0.5), bias: gauss(random), target: { mean: 250 + 50 * gauss(random), scale: 30 + 10 * random() } }
    case 'binary logistic':
      return { kind: 'logistic', weights: [vector(3)], bias: [gauss(random)] }
    case 'multinomial logistic':
      return { kind: 'logistic', weights: [vector(3), vector(3), vector(3), vector(3)], bias: [gauss(random), gauss(random), gauss(random), gauss(random)] }
    case 'MLP regression':
      return { kind: 'mlp', layers: [dense(random, width, 8, 'relu', 2), dense(random, 8, 6, 'tanh', 2), dense(random, 6, 1, 'identity', 2)], target: { mean: 12, scale: 4 } }
    case 'MLP binary':
      return { kind: 'mlp', layers: [dense(random, width, 8, 'sigmoid', 3), dense(random, 8, 1, 'sigmoid', 12)] }
    case 'MLP multiclass':
      return { kind: 'mlp', layers: [dense(random, width, 8, 'relu', 3), dense(random, 8, 5, 'softmax', 3), dense(random, 5, 3, 'softmax', 20)] }
  }
}

/** The signature served with a preprocessor and a variant. */
export function signatureFor(preprocessor: Preprocessor, task: ModelSignature['task'], classCount: number): ModelSignature {
  const type = { numeric: 'number', boolean: 'boolean', onehot: 'category', text: 'text' } as const
  const inputs: SignatureInput[] = preprocessor.features.map((f) => ({ name: f.name, type: type[f.kind] }))
  const text = preprocessor.features.filter((f) => f.kind === 'text')
  if (task === 'regression') return { task, inputs, text }
  return { task, inputs, text, classes: Array.from({ length: classCount }, (_, i) => `class_${i}`) }
}

/** One exportable model: a random preprocessor, a variant's parameters over its vector, and the matching signature. */
export function randomModel(variant: ModelVariant, seed: number): { preprocessor: Preprocessor; params: ModelParams; signature: ModelSignature } {
  const preprocessor = randomPreprocessor(seed)
  const params = randomParams(variant, vectorWidth(preprocessor), seed + 1)
  const task = MODEL_VARIANTS.find((v) => v.id === variant)?.task ?? 'regression'
  const classes = variant === 'multinomial logistic' ? 4 : variant === 'MLP multiclass' ? 3 : 2
  return { preprocessor, params, signature: signatureFor(preprocessor, task, classes) }
}
