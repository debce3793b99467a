import type { AlertMetrics } from './metrics.ts'
import type { NotifiableAlert, Notifier } from './evaluator.ts'
import type { AlertStore } from './ports.ts'

/** Options of the Alertmanager push. */
export interface AlertmanagerPushOptions {
  /** Alertmanager's base URL; alerts go to `${url}/api/v2/alerts`. */
  readonly url: string
  readonly resendSeconds: number
  readonly timeoutSeconds: number
  readonly metrics: AlertMetrics
  readonly store: AlertStore
  readonly onError: (error: unknown) => void
}

/** Alertmanager's `postableAlert`. */
export interface PostableAlert {
  readonly labels: Record<string, string>
  readonly annotations: Record<string, string>
  readonly startsAt: string
  readonly endsAt?: string
  readonly generatorURL: string
}

/**
 * The body Prometheus would send for these alerts (notifier.go): a firing alert's `endsAt` is now + 4 resend
 * intervals, so Alertmanager resolves it by itself if Highway stops re-sending; a resolved one carries its end.
 */
export function postableAlerts(alerts: readonly NotifiableAlert[], nowMs: number, resendSeconds: number): PostableAlert[] {
  return alerts.map((a) => ({
    labels: { ...a.labels },
    annotations: { ...a.annotations },
    startsAt: new Date(a.startsAtMs).toISOString(),
    endsAt: new Date(a.state === 'resolved' && a.endsAtMs !== null ? a.endsAtMs : nowMs + 4 * resendSeconds * 1000).toISOString(),
    generatorURL: a.generatorUrl,
  }))
}

/**
 * Pushes firing alerts to Alertmanager when they start firing and then every `resendSeconds`, and resolved ones
 * once with their `endsAt`. The push runs in the background: a slow or absent Alertmanager never holds up a tick.
 */
export function createAlertmanagerPush(options: AlertmanagerPushOptions): Notifier & { flush(): Promise<void> } {
  const lastSent = new Map<string, number>()
  let inflight: Promise<void> = Promise.resolve()
  const send = async (batch: PostableAlert[], nowMs: number): Promise<void> => {
    options.metrics.notificationAttempts.inc({ receiver: 'alertmanager' })
    let status = 0
    let error = ''
    try {
      const res = await fetch(new URL('api/v2/alerts', options.url.endsWith('/') ? options.url : `${options.url}/`), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch),
        signal: AbortSignal.timeout(options.timeoutSeconds * 1000),
      })
      status = res.status
      if (!res.ok) error = (await res.text()).slice(0, 512)
    } catch (err) {
      error = err instanceof Error ? err.message : String(err)
    }
    if (error) options.metrics.notificationFailures.inc({ receiver: 'alertmanager' })
    await options.store.recordDeliveries([{ receiver: 'alertmanager', groupKey: '', attempt: 1, ok: !error, status, error, alerts: batch.length, atMs: nowMs }])
    if (error) throw new Error(`Alertmanager push failed (${status || 'no answer'}): ${error}`)
  }
  return {
    offer(alerts, nowMs) {
      const due = alerts.filter((a) => a.state === 'resolved' || nowMs - (lastSent.get(a.fingerprint) ?? -Infinity) >= options.resendSeconds * 1000)
      for (const a of due) {
        if (a.state === 'resolved') lastSent.delete(a.fingerprint)
        else lastSent.set(a.fingerprint, nowMs)
      }
      if (due.length === 0) return
      const batch = postableAlerts(due, nowMs, options.resendSeconds)
      inflight = inflight.then(() => send(batch, nowMs)).catch((err: unknown) => {
        // A failed push is tried again at the next tick rather than waiting a whole resend interval.
        for (const a of due) if (a.state === 'firing') lastSent.delete(a.fingerprint)
        options.onError(err)
      })
    },
    flush: () => inflight,
  }
}
