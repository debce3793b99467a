import type { MeasureSpec } from './spec.ts'

// The runbooks component's ports: it owns them (STYLE rule 3); the composition root (cli/runbook-ports.ts) passes
// the release controller, the pipeline, the budget policy, the alerts receivers and the store behind them.

/** The audit log as runbooks write to it (the real AuditLog fits; see CONTRACTS.md). */
export interface RunbookAudit {
  record(e: {
    actor: string
    component: string
    action: string
    model?: string
    target?: string
    outcome: 'done' | 'noop' | 'refused' | 'failed'
    before?: unknown
    after?: unknown
    reason?: string
    requestId?: string
  }): Promise<void>
}

/** A port's refusal: an expected "no" with its reason (nothing to roll back to, too few labels, frozen). */
export class RunbookRefusal extends Error {
  override readonly name = 'RunbookRefusal'
}

/** Whether an error from a port is a refusal: a RunbookRefusal, or an AppError `conflict` (the release controller's). */
export function isRefusal(err: unknown): boolean {
  return err instanceof RunbookRefusal || (err instanceof Error && (err as { code?: unknown }).code === 'conflict')
}

/** The release controller's rollback (throws a refusal when there is nothing to roll back to). */
export interface RollbackPort {
  rollback(model: string, o: { to?: number; actor: string; reason: string }): Promise<{ outcome: 'done' | 'noop'; from: number; to: number; message: string }>
}

/** What a retrain produced. */
export interface RetrainResult {
  readonly version: number
  /** Every release gate passed, the champion comparison (same holdout) included. */
  readonly eligible: boolean
  readonly gates: ReadonlyArray<{ readonly gate: string; readonly passed: boolean; readonly reason?: string }>
  readonly champion: number | null
  readonly metrics: Readonly<Record<string, unknown>>
}

/** The model pipeline on stored, labelled data (pipeline/train `trainModel` on a `clickhouse:` window). */
export interface RetrainPort {
  /** Labelled predictions of the model in the window (the `minLabels` check). */
  labelCount(model: string, window: { fromMs: number; toMs: number }): Promise<number>
  /** Trains, gates, compares with the champion and registers; `reason` goes on the version's lineage. */
  retrain(o: { model: string; window: { fromMs: number; toMs: number }; reason: string; actor: string }): Promise<RetrainResult>
}

/** Final and running states of a release, as the release controller records them. */
export type ReleaseOutcome = 'running' | 'promoted' | 'rolled_back' | 'failed' | 'unknown'

/** The release controller: a canary (or shadow) that its analysis promotes or rolls back. */
export interface ReleasePort {
  start(model: string, o: { version: number; strategy: 'canary' | 'shadow'; steps?: readonly number[]; intervalSeconds?: number; note: string }, actor: string): Promise<{ releaseId: string }>
  state(model: string, releaseId: string): Promise<ReleaseOutcome>
}

/** The release policy: the budget policy's freezes, and a manual freeze the release controller honours too. */
export interface FreezePort {
  isFrozen(model: string): Promise<{ frozen: boolean; reason?: string }>
  freeze(model: string, reason: string, atMs: number): Promise<void>
  unfreeze(model: string, reason: string, atMs: number): Promise<void>
}

/** A notification: to an alerts receiver by name or to a webhook URL. Throws when it was not delivered. */
export interface NotifyPort {
  notify(o: { receiver?: string; webhook?: string; message: string; model: string; runbook: string; runId: string }): Promise<void>
}

/** Reads an SLI, a burn rate or a saved analyzer measure at `nowMs`; null when there is no data yet. */
export interface MeasurePort {
  read(model: string, measure: MeasureSpec, nowMs: number): Promise<number | null>
}

/** The analyzer's saved results a scheduled runbook's condition reads. */
export interface ConditionPort {
  /** Whether dataset drift was detected in each of the model's newest `n` saved drift results (newest first). */
  driftResults(model: string, n: number, nowMs: number): Promise<boolean[]>
  /** A performance measure from the newest saved result (realised, else estimated); null without one. */
  performance(model: string, metric: string, nowMs: number): Promise<{ value: number; estimated: boolean } | null>
  /** Labels that arrived after the champion's training data ends; null without a champion. */
  labelsSinceTraining(model: string, nowMs: number): Promise<number | null>
}

/** Every run state. `planned` is a dry run; `skipped` a scheduled slot whose condition did not hold. */
export type RunStatus = 'running' | 'waiting' | 'succeeded' | 'failed' | 'refused' | 'aborted' | 'cancelled' | 'planned' | 'skipped'
/** Every step state. */
export type StepStatus = 'running' | 'waiting' | 'succeeded' | 'failed' | 'refused' | 'skipped' | 'cancelled' | 'aborted'

/** What started a run. */
export interface RunTrigger {
  readonly kind: 'alert' | 'schedule' | 'manual'
  readonly actor: string
  readonly fingerprint?: string
  readonly alertname?: string
  readonly startsAtMs?: number
  readonly labels?: Readonly<Record<string, string>>
  readonly slotMs?: number
  readonly reason?: string
  readonly requestId?: string
}

/** A run's state as stored: each change is a new row with the next `seq`. */
export interface RunRecord {
  readonly id: string
  readonly runbook: string
  readonly model: string
  readonly status: RunStatus
  readonly dryRun: boolean
  readonly trigger: RunTrigger
  /** Why it was refused, failed, aborted, cancelled or skipped; the condition's reason for a scheduled run. */
  readonly reason: string
  /** Index of the current (or last) step. */
  readonly step: number
  /** Steps approved through the API (dangerous steps and `approve` steps). */
  readonly approved: readonly number[]
  /** What the plan or the steps computed (dry-run plan, window, versions). */
  readonly detail: Readonly<Record<string, unknown>>
  readonly owner: string
  readonly seq: number
  readonly createdAtMs: number
  readonly updatedAtMs: number
  readonly finishedAtMs: number | null
}

/** One step's state as stored (the newest row per run and index wins). */
export interface StepRecord {
  readonly runId: string
  readonly index: number
  readonly action: string
  readonly name: string
  readonly status: StepStatus
  readonly input: Readonly<Record<string, unknown>>
  readonly output: Readonly<Record<string, unknown>>
  readonly error: string
  readonly startedAtMs: number
  readonly finishedAtMs: number | null
  readonly seq: number
}

/** Filters of the run list. */
export interface RunFilter {
  readonly model?: string
  readonly runbook?: string
  readonly statuses?: readonly RunStatus[]
  readonly models?: readonly string[]
  readonly limit?: number
}

/** Where runs and steps are kept (ClickHouse: clickhouse-store.ts, migration 13). */
export interface RunbookStore {
  /**
   * Writes the run's row for its `seq`, insert-once: of several writers of one (id, seq) — the same alert three
   * times, two processes — one row is kept. Answers whether this writer's row is the one kept (its `owner`).
   */
  claim(run: RunRecord): Promise<boolean>
  saveStep(step: StepRecord): Promise<void>
  getRun(id: string): Promise<RunRecord | undefined>
  listRuns(filter: RunFilter): Promise<RunRecord[]>
  steps(runId: string): Promise<StepRecord[]>
}
