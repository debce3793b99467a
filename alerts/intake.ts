import { createHash } from 'node:crypto'
import { z } from 'zod'
import { fingerprintOf } from './fingerprint.ts'
import type { AlertEvent, StoredAlert } from './ports.ts'

/**
 * Alertmanager's webhook payload, version 4 (docs: configuration `webhook_config`). Loose objects: fields later
 * versions add (`truncatedAlerts` was one, `notification_reason`, `routeLabels`) are accepted and ignored.
 */
const stringMap = z.record(z.string(), z.string())
const time = z.iso.datetime({ offset: true })
export const webhookAlertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: stringMap,
  annotations: stringMap.default({}),
  startsAt: time,
  // Alertmanager sends Go's zero time (0001-01-01T00:00:00Z) for "not ended".
  endsAt: time.optional(),
  generatorURL: z.string().default(''),
  fingerprint: z
    .string()
    .regex(/^[0-9a-f]{16}$/, 'must be 16 lower-case hex digits (Alertmanager fingerprint)')
    .optional(),
})
export const webhookPayloadSchema = z.looseObject({
  version: z.literal('4'),
  groupKey: z.string().min(1),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: stringMap.default({}),
  commonLabels: stringMap.default({}),
  commonAnnotations: stringMap.default({}),
  externalURL: z.string().default(''),
  alerts: z.array(webhookAlertSchema).max(10_000),
})

/** A validated webhook payload. */
export type WebhookPayload = z.output<typeof webhookPayloadSchema>

const ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z')

/**
 * The events and states one payload stores. Each alert's event id hashes groupKey + fingerprint + status +
 * startsAt, so the same webhook delivered again (Alertmanager retries on 5xx and re-sends every
 * `repeat_interval`) stores nothing new. Times come from the payload, not the clock, for the same reason.
 */
export function intakeRecords(p: WebhookPayload): { events: AlertEvent[]; states: StoredAlert[] } {
  const events: AlertEvent[] = []
  const states: StoredAlert[] = []
  for (const a of p.alerts) {
    const fingerprint = a.fingerprint ?? fingerprintOf(a.labels)
    const startsAtMs = Date.parse(a.startsAt)
    const endsRaw = a.endsAt ? Date.parse(a.endsAt) : NaN
    const endsAtMs = Number.isFinite(endsRaw) && endsRaw > ZERO_TIME_MS ? endsRaw : null
    const atMs = a.status === 'resolved' ? (endsAtMs ?? startsAtMs) : startsAtMs
    const eventId = `alertmanager/${createHash('sha256').update(JSON.stringify([p.groupKey, fingerprint, a.status, a.startsAt])).digest('hex')}`
    events.push({
      eventId,
      kind: 'intake',
      source: 'alertmanager',
      fingerprint,
      from: '',
      to: a.status,
      atMs,
      activeAtMs: startsAtMs,
      value: null,
      silencedBy: [],
      labels: a.labels,
      annotations: a.annotations,
      actor: p.receiver,
      detail: JSON.stringify({ groupKey: p.groupKey, generatorURL: a.generatorURL, externalURL: p.externalURL }),
    })
    // Highway's own alerts come back through Alertmanager too: their event is kept, but the current state stays
    // the evaluator's (one row per fingerprint; the echo must not overwrite it).
    if (a.labels.source === 'highway') continue
    states.push({
      fingerprint,
      source: 'alertmanager',
      state: a.status,
      labels: a.labels,
      annotations: a.annotations,
      activeAtMs: startsAtMs,
      firedAtMs: startsAtMs,
      resolvedAtMs: a.status === 'resolved' ? atMs : null,
      lastTrueAtMs: atMs,
      value: null,
      silencedBy: [],
      generatorUrl: a.generatorURL,
      updatedAtMs: atMs,
    })
  }
  return { events, states }
}
