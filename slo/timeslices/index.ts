export { completeSlices, compare, judgeValues, sliceWindow } from './slices.ts'
export type { Grid, Slice, SliceMethod, SliceWindow } from './slices.ts'
export { measureJob, measureValue } from './measures.ts'
