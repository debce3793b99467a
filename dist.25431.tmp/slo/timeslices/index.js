export { completeSlices, compare, countValues, sliceWindow } from "./slices.js";
export { measureJob, measureValue } from "./measures.js";
//# sourceMappingURL=index.js.map