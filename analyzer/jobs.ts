import cron from 'node-cron'
import type { ModelSpec } from '../config/index.ts'
import type { Analyzer } from './analyzer.ts'
import type { AnalyzerMetrics } from './metrics.ts'

/** Where scheduled runs report. */
export interface JobLogger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
}

/**
 * The window a scheduled run analyses: the last whole window before `now`, aligned to multiples of its length
 * since the epoch. Aligned windows make runs idempotent: a rerun, or a second replica ticking at the same time,
 * computes the same (model, window) key and replaces rather than adds.
 */
export function scheduledWindow(nowMs: number, windowSeconds: number): { fromMs: number; toMs: number } {
  const span = windowSeconds * 1000
  const toMs = Math.floor(nowMs / span) * span
  return { fromMs: toMs - span, toMs }
}

/**
 * Runs `run` whenever a cron expression matches, until the returned stop is called; default node-cron on the wall
 * clock (the composition root passes its clock's, so the demo's simulated time drives the schedule).
 */
export type CronScheduler = (expression: string, run: () => Promise<void>) => () => void

const nodeCronScheduler: CronScheduler = (expression, run) => {
  const task = cron.schedule(expression, run)
  return () => void task.stop()
}

/** Schedules each model's analysis (models without `analysis.schedule` get none); returns a stop function. */
export function scheduleAnalysis(deps: { analyzer: Analyzer; models: readonly ModelSpec[]; metrics: AnalyzerMetrics; logger: JobLogger; now?: () => number; cron?: CronScheduler }): () => void {
  const now = deps.now ?? Date.now
  const scheduleCron = deps.cron ?? nodeCronScheduler
  const tasks = deps.models.flatMap((model) => {
    const expression = model.analysis.schedule
    if (!expression) return []
    if (!cron.validate(expression)) throw new Error(`models[${model.name}].analysis.schedule: "${expression}" is not a valid cron expression`)
    let running = false
    return [
      scheduleCron(expression, async () => {
        // One run per model at a time: a slow run is not stacked on by the next tick.
        if (running) return
        running = true
        const w = scheduledWindow(now(), model.analysis.window)
        try {
          const out = await deps.analyzer.run(model, { ...w, version: '' })
          deps.metrics.run(out)
          deps.logger.info('analysis run', { model: model.name, from: new Date(w.fromMs).toISOString(), to: new Date(w.toMs).toISOString(), drifted: out.drift?.dataset.drifted ?? null })
        } catch (err) {
          deps.logger.warn('analysis run failed', { model: model.name, error: err instanceof Error ? err.message : String(err) })
        } finally {
          running = false
        }
      }),
    ]
  })
  return () => {
    for (const stop of tasks) stop()
  }
}
