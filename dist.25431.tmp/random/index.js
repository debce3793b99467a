export { createSeededRandom, gauss, mulberry32, sampleInPlace, shuffleInPlace } from "./seeded-random.js";
//# sourceMappingURL=index.js.map