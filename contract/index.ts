// The model contract shared by training (pipeline/), export (pipeline/onnx/) and serving (serving/): the signature
// and its schemas, how raw records become graph feeds, the text featuriser, and how outputs are read back.
export {
  featureTransformSchema,
  preprocessorSchema,
  modelParamsSchema,
  signatureInputSchema,
  modelSignatureSchema,
  TEXT_VECTOR_SUFFIX,
} from './signature.ts'
export type { FeatureTransform, TextTransform, Preprocessor, ModelParams, DenseLayer, ModelSignature, SignatureInput } from './signature.ts'
export { buildFeeds, checkFeatures, outputNameOf, readOutputRows } from './feeds.ts'
export type { OutputRow, TextFeaturizer } from './feeds.ts'
export { featurizeText } from './text-featurizer.ts'
export { normalizeText, tokenize } from './tokenize.ts'
export { FeaturizeError } from './errors.ts'
export type { ElementType, FeatureRecord, HostTensor, PredictionValue, TensorData, TensorMeta } from './tensor.ts'
