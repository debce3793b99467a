export { formatRunbookError, loadRunbookDirectory, parseRunbook } from './spec.ts'
export type { MeasureSpec, Runbook, RunbookCondition, RunbookSpecError, RunbookStep, StepAction } from './spec.ts'
export { latestSlot, matchesMinute, parseCron } from './schedule.ts'
export type { CronFields } from './schedule.ts'
export { isRefusal, RunbookRefusal } from './ports.ts'
export type {
  ConditionPort,
  FreezePort,
  MeasurePort,
  NotifyPort,
  ReleaseOutcome,
  ReleasePort,
  RetrainPort,
  RetrainResult,
  RollbackPort,
  RunbookAudit,
  RunbookStore,
  RunFilter,
  RunRecord,
  RunStatus,
  RunTrigger,
  StepRecord,
  StepStatus,
} from './ports.ts'
export { createClickHouseRunbookStore } from './clickhouse-store.ts'
export { createRunbooks, evaluateCondition, matchesAlert, renderTemplate, runIdOf } from './engine.ts'
export type { Runbooks, RunbooksOptions, RunbookSummary, RunView } from './engine.ts'
export { RunbookMetrics } from './metrics.ts'
export type { RunOutcome } from './metrics.ts'
export { runbookRoutes, runView, runViewSchema } from './routes.ts'
