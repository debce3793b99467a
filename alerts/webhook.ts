import { createHmac } from 'node:crypto'
import type { ReceiverConfig } from '../config/index.ts'
import type { NotifiableAlert, Notifier } from './evaluator.ts'
import type { AlertMetrics } from './metrics.ts'
import type { AlertStore, Delivery } from './ports.ts'

/** Grouping of webhook notifications: Alertmanager's route timers, in seconds. */
export interface GroupingOptions {
  readonly groupBy: readonly string[]
  readonly groupWait: number
  readonly groupInterval: number
  readonly repeatInterval: number
}

/** A webhook body: one group of alerts (the shape of Alertmanager's webhook, `version: "4"`). */
export interface WebhookBody {
  readonly version: '4'
  readonly groupKey: string
  readonly status: 'firing' | 'resolved'
  readonly receiver: string
  readonly groupLabels: Record<string, string>
  readonly alerts: Array<{ status: 'firing' | 'resolved'; labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string; generatorURL: string; fingerprint: string }>
}

/** `X-Highway-Signature`: `sha256=<hex HMAC-SHA256 of the exact body bytes>`, as GitHub signs webhooks. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

interface GroupState {
  firstSeenMs: number
  lastSentMs: number | null
  lastSentKey: string
}

/**
 * Which groups are due at `nowMs`, by Alertmanager's rules (dispatch.go): a new group waits `groupWait`; after a
 * send, a changed group waits `groupInterval`; an unchanged firing group is re-sent every `repeatInterval`.
 * Pure over the state map it updates.
 */
export function dueGroups(alerts: readonly NotifiableAlert[], grouping: GroupingOptions, groups: Map<string, GroupState>, nowMs: number): Array<{ key: string; labels: Record<string, string>; alerts: NotifiableAlert[] }> {
  const byKey = new Map<string, { labels: Record<string, string>; alerts: NotifiableAlert[] }>()
  for (const a of alerts) {
    const labels = Object.fromEntries(grouping.groupBy.map((n) => [n, a.labels[n] ?? '']))
    const key = JSON.stringify(labels)
    const g = byKey.get(key) ?? { labels, alerts: [] }
    g.alerts.push(a)
    byKey.set(key, g)
  }
  const due: Array<{ key: string; labels: Record<string, string>; alerts: NotifiableAlert[] }> = []
  for (const [key, g] of byKey) {
    const state = groups.get(key) ?? { firstSeenMs: nowMs, lastSentMs: null, lastSentKey: '' }
    groups.set(key, state)
    const content = g.alerts.map((a) => `${a.fingerprint}:${a.state}`).sort().join(',')
    const elapsed = state.lastSentMs === null ? Infinity : nowMs - state.lastSentMs
    const isDue =
      state.lastSentMs === null
        ? nowMs - state.firstSeenMs >= grouping.groupWait * 1000
        : content !== state.lastSentKey
          ? elapsed >= grouping.groupInterval * 1000
          : g.alerts.some((a) => a.state === 'firing') && elapsed >= grouping.repeatInterval * 1000
    if (!isDue) continue
    state.lastSentMs = nowMs
    state.lastSentKey = content
    due.push({ key, ...g })
  }
  for (const key of groups.keys()) if (!byKey.has(key)) groups.delete(key)
  return due
}

/** Options of one webhook receiver. */
export interface WebhookReceiverOptions {
  readonly receiver: ReceiverConfig
  readonly grouping: GroupingOptions
  readonly metrics: AlertMetrics
  readonly store: AlertStore
  readonly onError: (error: unknown) => void
  /** First retry delay (doubles each attempt, full jitter); default 1000 ms. */
  readonly retryBaseMs?: number
  readonly random?: () => number
}

/**
 * A webhook receiver: groups alerts, posts each due group as JSON signed with `X-Highway-Signature`, retries
 * failures (network errors, 5xx, 429) with exponential backoff and full jitter up to `maxAttempts`, within a
 * timeout per attempt, and logs every attempt. Sends run in the background, one at a time per receiver: a receiver
 * that is down never holds up evaluation.
 */
export function createWebhookReceiver(options: WebhookReceiverOptions): Notifier & { flush(): Promise<void> } {
  const { receiver } = options
  const groups = new Map<string, GroupState>()
  const base = options.retryBaseMs ?? 1000
  const random = options.random ?? Math.random
  let chain: Promise<void> = Promise.resolve()
  const post = async (group: { key: string; labels: Record<string, string>; alerts: NotifiableAlert[] }, nowMs: number): Promise<void> => {
    const body: WebhookBody = {
      version: '4',
      groupKey: group.key,
      status: group.alerts.some((a) => a.state === 'firing') ? 'firing' : 'resolved',
      receiver: receiver.name,
      groupLabels: group.labels,
      alerts: group.alerts.map((a) => ({
        status: a.state,
        labels: { ...a.labels },
        annotations: { ...a.annotations },
        startsAt: new Date(a.startsAtMs).toISOString(),
        endsAt: a.endsAtMs === null ? '0001-01-01T00:00:00Z' : new Date(a.endsAtMs).toISOString(),
        generatorURL: a.generatorUrl,
        fingerprint: a.fingerprint,
      })),
    }
    const text = JSON.stringify(body)
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(receiver.secret ? { 'x-highway-signature': signBody(text, receiver.secret) } : {}) }
    const log: Delivery[] = []
    for (let attempt = 1; attempt <= receiver.maxAttempts; attempt++) {
      options.metrics.notificationAttempts.inc({ receiver: receiver.name })
      let status = 0
      let error = ''
      try {
        const res = await fetch(receiver.url, { method: 'POST', headers, body: text, signal: AbortSignal.timeout(receiver.timeout * 1000) })
        status = res.status
        await res.arrayBuffer()
        if (!res.ok) error = `HTTP ${status}`
      } catch (err) {
        error = err instanceof Error ? err.message : String(err)
      }
      log.push({ receiver: receiver.name, groupKey: group.key, attempt, ok: !error, status, error, alerts: body.alerts.length, atMs: nowMs })
      if (!error) break
      options.metrics.notificationFailures.inc({ receiver: receiver.name })
      // 4xx other than 429 will not get better by retrying.
      if (status >= 400 && status < 500 && status !== 429) break
      if (attempt < receiver.maxAttempts) await new Promise((r) => setTimeout(r, random() * base * 2 ** (attempt - 1)))
    }
    await options.store.recordDeliveries(log)
    const last = log.at(-1)
    if (last && !last.ok) throw new Error(`webhook ${receiver.name}: gave up after ${log.length} attempt(s): ${last.error}`)
  }
  return {
    offer(alerts, nowMs) {
      const mine = alerts.filter((a) => receiver.severities.includes((a.labels.severity ?? '') as ReceiverConfig['severities'][number]))
      for (const g of dueGroups(mine, options.grouping, groups, nowMs)) chain = chain.then(() => post(g, nowMs)).catch(options.onError)
    },
    flush: () => chain,
  }
}
