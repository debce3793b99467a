import type { AlertState } from './state.ts'
import type { Silence } from './silences.ts'

/** Where an alert came from: Highway's own rules, or Alertmanager's webhook. */
export type AlertSource = 'highway' | 'alertmanager'

/** An alert's current state, as stored and served. */
export interface StoredAlert {
  readonly fingerprint: string
  readonly source: AlertSource
  readonly state: AlertState
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  readonly activeAtMs: number
  readonly firedAtMs: number | null
  readonly resolvedAtMs: number | null
  readonly lastTrueAtMs: number
  readonly value: number | null
  readonly silencedBy: readonly string[]
  readonly generatorUrl: string
  readonly updatedAtMs: number
}

/** One stored event: a transition, an acknowledgement or an intake of Alertmanager's. */
export interface AlertEvent {
  readonly eventId: string
  readonly kind: 'transition' | 'ack' | 'intake'
  readonly source: AlertSource
  readonly fingerprint: string
  readonly from: AlertState | ''
  readonly to: AlertState | ''
  readonly atMs: number
  readonly activeAtMs: number
  readonly value: number | null
  readonly silencedBy: readonly string[]
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  readonly actor: string
  readonly detail: string
}

/**
 * An alert that started firing or resolved, once stored: what incidents and runbooks react to. Highway's own
 * transitions and Alertmanager's intake both produce it (an intake echo of Highway's own alert does not). The
 * `eventId` is deterministic (the same webhook delivered again, or a retried tick, carries the same id), so a
 * listener can be idempotent on it.
 */
export interface AlertActivity {
  readonly eventId: string
  readonly source: AlertSource
  readonly fingerprint: string
  readonly status: 'firing' | 'resolved'
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  /** When the alert became active (Prometheus' activeAt; Alertmanager's startsAt). */
  readonly startsAtMs: number
  /** When it fired or resolved. */
  readonly atMs: number
  /** Muted by a Highway silence (notifications are not sent; history is kept). */
  readonly silenced: boolean
}

/**
 * Told of alert activity after it is stored. It may be called again with the same events (retries, concurrent
 * deliveries), and must be idempotent on `eventId`. A throw fails the intake request (Alertmanager retries on
 * 5xx); during evaluation it is reported and the tick goes on.
 */
export type AlertListener = (activity: readonly AlertActivity[]) => Promise<void>

/** Filters of the current-state list. */
export interface AlertFilter {
  readonly states?: readonly AlertState[]
  readonly severity?: string
  readonly model?: string
  readonly slo?: string
  readonly alertname?: string
  readonly fingerprint?: string
  /** Only these models (a model-limited key). */
  readonly models?: readonly string[]
}

/** Filters of the event history. */
export interface HistoryFilter {
  readonly fromMs: number
  readonly toMs: number
  readonly fingerprint?: string
  readonly model?: string
  readonly slo?: string
  readonly alertname?: string
  readonly models?: readonly string[]
  readonly limit: number
}

/** A notification attempt, for the delivery log. */
export interface Delivery {
  readonly receiver: string
  readonly groupKey: string
  readonly attempt: number
  readonly ok: boolean
  readonly status: number
  readonly error: string
  readonly alerts: number
  readonly atMs: number
}

/** What the alerts component stores; implemented over ClickHouse in clickhouse-store.ts. */
export interface AlertStore {
  /**
   * Appends events. Each event id is its deduplication token: the same event written twice (a retried tick, the
   * same webhook three times, concurrently) is stored once.
   */
  appendEvents(events: readonly AlertEvent[]): Promise<void>
  saveStates(states: readonly StoredAlert[]): Promise<void>
  listStates(filter: AlertFilter): Promise<StoredAlert[]>
  history(filter: HistoryFilter): Promise<AlertEvent[]>
  /** The newest acknowledgement of each fingerprint (an `ack` event): who and when. */
  latestAcks(fingerprints: readonly string[]): Promise<Map<string, { actor: string; atMs: number }>>
  saveSilence(s: Silence): Promise<void>
  listSilences(): Promise<Silence[]>
  recordDeliveries(d: readonly Delivery[]): Promise<void>
  deliveries(receiver: string, limit: number): Promise<Delivery[]>
}
