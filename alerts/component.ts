import type { Registry } from 'prom-client'
import type { SloStatus } from '../slo/index.ts'
import type { Route } from '../server/index.ts'
import type { AlertingConfig } from '../config/index.ts'
import { createAlertmanagerPush } from './alertmanager-push.ts'
import { createEvaluator, type Evaluator, type Notifier, type TickResult } from './evaluator.ts'
import type { LeasePort } from './lease.ts'
import { AlertMetrics } from './metrics.ts'
import type { AlertListener, AlertStore } from './ports.ts'
import { alertRoutes } from './routes.ts'
import { createWebhookReceiver } from './webhook.ts'
import { jobOf, modelRuleObservations, sloObservations, type AnalysisResultsPort, type RuleObservation, type SavedAnalysis } from './sources.ts'

/** What the alerts component needs from the composition root. */
export interface AlertingOptions {
  readonly config: AlertingConfig
  readonly store: AlertStore
  readonly lease: LeasePort
  readonly holder: string
  /**
   * The SLO statuses at the tick `nowMs`: the slo component's snapshot, which may be up to one evaluation interval
   * older (the SLO windows are minutes to days long, so this shifts an alert by at most one tick); absent without SLOs.
   */
  readonly sloStatuses?: (nowMs: number) => Promise<readonly SloStatus[]>
  readonly analysis: AnalysisResultsPort
  readonly registry: Registry
  readonly now: () => number
  readonly isTransient: (err: unknown) => boolean
  readonly onError: (what: string, error: unknown) => void
  /** This Highway's base URL, for `generatorURL` when `alerting.externalUrl` is unset. */
  readonly baseUrl: () => string
  /** Extra notifiers (webhook receivers). */
  readonly notifiers?: readonly Notifier[]
  /** Told of alerts that fire or resolve, from the evaluator and the Alertmanager intake (incidents, runbooks). */
  readonly listeners?: readonly AlertListener[]
}

/** The alerts component: its routes, its evaluator and the schedule that ticks it. */
export interface Alerting {
  readonly routes: readonly Route[]
  readonly evaluator: Evaluator
  readonly metrics: AlertMetrics
  tick(nowMs?: number): Promise<TickResult>
  /** Ticks every `evaluationInterval` (a tick still running is not doubled); returns the stop function. */
  start(): () => void
  /** Waits for background notifications in flight. */
  flush(): Promise<void>
}

/** Builds the alerts component. */
export function createAlerting(options: AlertingOptions): Alerting {
  const { config } = options
  const metrics = new AlertMetrics(options.registry)
  const push = config.alertmanager
    ? createAlertmanagerPush({ url: config.alertmanager.url, resendSeconds: config.alertmanager.resendInterval, timeoutSeconds: config.alertmanager.timeout, metrics, store: options.store, onError: (e) => options.onError('alertmanager push', e) })
    : undefined
  const receivers = config.receivers.map((receiver) => createWebhookReceiver({ receiver, grouping: config.route, metrics, store: options.store, onError: (e) => options.onError(`webhook ${receiver.name}`, e) }))
  const generatorUrl = (fp: string): string => `${(config.externalUrl ?? options.baseUrl()).replace(/\/$/, '')}/v1/alerts/${fp}`
  const collect = async (nowMs: number): Promise<RuleObservation[]> => {
    // Rules of one model and job read one saved result: one query per (job, model) a tick, not one per rule.
    const reads = new Map<string, Promise<SavedAnalysis | null>>()
    const latest = (job: ReturnType<typeof jobOf>, model: string): Promise<SavedAnalysis | null> => {
      const key = `${job}\u0000${model}`
      let read = reads.get(key)
      if (!read) reads.set(key, (read = options.analysis.latest(job, model, nowMs)))
      return read
    }
    const [slo, models] = await Promise.all([
      options.sloStatuses ? options.sloStatuses(nowMs).then((s) => sloObservations(s, config.sloFor)) : Promise.resolve([]),
      Promise.all(config.rules.map(async (rule) => modelRuleObservations(rule, await latest(jobOf(rule.condition), rule.model)))),
    ])
    return [...slo, ...models.flat()]
  }
  const evaluator = createEvaluator({ store: options.store, lease: options.lease, holder: options.holder, collect, generatorUrl, notifiers: [...(push ? [push] : []), ...receivers, ...(options.notifiers ?? [])], listeners: options.listeners ?? [], onListenerError: (e) => options.onError('alert listener', e) })
  const tick = async (nowMs = options.now()): Promise<TickResult> => {
    const r = await evaluator.tick(nowMs)
    if (r.leader && r.ok) metrics.publish(r.alerts)
    if (r.leader && !r.ok) options.onError('alert evaluation', r.error)
    return r
  }
  return {
    routes: alertRoutes({ store: options.store, metrics, now: options.now, isTransient: options.isTransient, listeners: options.listeners ?? [] }),
    evaluator,
    metrics,
    tick,
    start() {
      let ticking = false
      const timer = setInterval(() => {
        if (ticking) return
        ticking = true
        void tick().finally(() => (ticking = false))
      }, config.evaluationInterval * 1000)
      timer.unref()
      return () => clearInterval(timer)
    },
    flush: async () => {
      await Promise.all([push?.flush(), ...receivers.map((r) => r.flush())])
    },
  }
}
