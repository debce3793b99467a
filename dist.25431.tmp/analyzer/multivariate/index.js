export { breachesThreshold, chunkThreshold, splitChunks } from "./chunk-threshold.js";
export { DEFAULT_ALPHA, DEFAULT_STD_MULTIPLIER, DEFAULT_VARIANCE_EXPLAINED, DEFAULT_VOCABULARY_MAX_SIZE, DEFAULT_VOCABULARY_MIN_COUNT, } from "./const.js";
export { adjustedPValues, benjaminiHochberg, bonferroni } from "./multiple-testing.js";
export { fitReconstruction, fitReconstructionThreshold, reconstructionError, reconstructionErrors } from "./reconstruction.js";
export { symmetricEigen } from "./symmetric-eigen.js";
export { buildVocabulary, textDescriptors, tokenize } from "./text-descriptors.js";
//# sourceMappingURL=index.js.map