import type { ModelParams } from '../../contract/index.ts'

/** A dense row-major matrix: entry (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  readonly data: Float64Array
  readonly rows: number
  readonly cols: number
}

/** What a trainer reports after each epoch (or solver iteration); the CLI draws a progress bar from it. */
export interface TrainingProgress {
  readonly epoch: number
  readonly epochs: number
  readonly loss: number
  readonly valLoss?: number
}

/** Called once per epoch with the latest figures. */
export type ProgressCallback = (progress: TrainingProgress) => void

/** One line of a training history: the training objective and, when there is one, the validation loss. */
export interface EpochRecord {
  readonly epoch: number
  readonly loss: number
  readonly valLoss?: number
}

/** A trained model: contract parameters plus how training went. */
export interface TrainedModel {
  readonly params: ModelParams
  readonly history: readonly EpochRecord[]
  /** True when the solver met its tolerance (closed forms always do); false when it hit its iteration cap. */
  readonly converged: boolean
  /** Epochs (MLP), solver iterations (logistic) or 1 (closed form). */
  readonly epochs: number
}
