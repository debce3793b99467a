export { completeSlices, compare, countValues, sliceWindow } from './slices.ts'
export type { Grid, Slice, SliceMethod, SliceWindow } from './slices.ts'
export { measureJob, measureValue } from './measures.ts'
