export { fitIsotonic, applyIsotonic } from "./isotonic.js";
export { needsCalibration } from "./calibration.js";
export { fitCbpe, estimateCbpe } from "./cbpe.js";
export { assessWindow, joinLabelsById } from "./window.js";
export { CBPE_METRICS, DEFAULT_REFERENCE_CHUNKS, SAMPLING_ERROR_RANGE } from "./const.js";
//# sourceMappingURL=index.js.map