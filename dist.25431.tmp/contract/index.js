// The model contract shared by training (pipeline/), export (pipeline/onnx/) and serving (serving/): the signature
// and its schemas, how raw records become graph feeds, the text featuriser, and how outputs are read back.
export { featureTransformSchema, preprocessorSchema, modelParamsSchema, signatureInputSchema, modelSignatureSchema, TEXT_VECTOR_SUFFIX, } from "./signature.js";
export { buildFeeds, checkFeatures, outputNameOf, readOutputRows } from "./feeds.js";
export { featurizeText } from "./text-featurizer.js";
export { normalizeText, tokenize } from "./tokenize.js";
export { FeaturizeError } from "./errors.js";
//# sourceMappingURL=index.js.map