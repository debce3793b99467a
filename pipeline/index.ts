// What other components use of the pipeline; the CLI (the composition root) reaches the training run through
// pipeline/train/index.ts directly, so `highway --help` does not load the pipeline.
export { linearExplainer } from './explain/index.ts'
