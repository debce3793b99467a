export { createSeededRandom, gauss, mulberry32, sampleInPlace, shuffleInPlace } from './seeded-random.ts'
export type { SeededRandom } from './seeded-random.ts'
