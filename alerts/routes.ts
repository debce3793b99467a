import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { AppError, defineRoute, type Principal, type Route } from '../server/index.ts'
import { intakeRecords, webhookPayloadSchema } from './intake.ts'
import type { AlertMetrics } from './metrics.ts'
import type { AlertActivity, AlertListener, AlertStore, StoredAlert } from './ports.ts'
import { createCoalescingWriter } from './coalescing-writer.ts'
import { checkSilence, postableSilenceSchema, silenceState, type Silence } from './silences.ts'

/** What the alert routes need. */
export interface AlertRoutesOptions {
  readonly store: AlertStore
  readonly metrics: AlertMetrics
  readonly now: () => number
  /** Whether an error is a transient storage failure (Alertmanager retries 5xx, so only those may be 5xx). */
  readonly isTransient: (err: unknown) => boolean
  /** Told of each intake's firing and resolved alerts once stored (echoes of Highway's own alerts left out). */
  readonly listeners?: readonly AlertListener[]
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())
const stateEnum = z.enum(['inactive', 'pending', 'firing', 'resolved'])
const stringMap = z.record(z.string(), z.string())

const alertView = z.object({
  fingerprint: z.string(),
  source: z.enum(['highway', 'alertmanager']),
  state: stateEnum,
  labels: stringMap,
  annotations: stringMap,
  activeAt: z.string(),
  firedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  value: z.number().nullable(),
  silenced: z.boolean(),
  silencedBy: z.array(z.string()),
  acknowledged: z.object({ by: z.string(), at: z.string() }).nullable(),
  generatorURL: z.string(),
  updatedAt: z.string(),
})
const eventView = z.object({
  kind: z.enum(['transition', 'ack', 'intake']),
  from: z.string(),
  to: z.string(),
  at: z.string(),
  value: z.number().nullable(),
  silencedBy: z.array(z.string()),
  actor: z.string(),
  detail: z.string(),
})
const silenceView = z.object({
  id: z.string(),
  status: z.object({ state: z.enum(['pending', 'active', 'expired']) }),
  updatedAt: z.string(),
  matchers: z.array(z.object({ name: z.string(), value: z.string(), isRegex: z.boolean(), isEqual: z.boolean() })),
  startsAt: z.string(),
  endsAt: z.string(),
  createdBy: z.string(),
  comment: z.string(),
})

const boolParam = z.enum(['true', 'false']).transform((v) => v === 'true')
const fingerprintParams = z.object({ fingerprint: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lower-case hex digits') })
const allowedModels = (p: Principal): readonly string[] | undefined => (p.models ? [...p.models] : undefined)

/** An intake's alerts as activity; Highway's own alerts coming back through Alertmanager are its evaluator's. */
function intakeActivity(events: ReturnType<typeof intakeRecords>['events']): AlertActivity[] {
  return events.flatMap((e) =>
    e.labels.source === 'highway' || (e.to !== 'firing' && e.to !== 'resolved')
      ? []
      : [{ eventId: e.eventId, source: e.source, fingerprint: e.fingerprint, status: e.to, labels: e.labels, annotations: e.annotations, startsAtMs: e.activeAtMs, atMs: e.atMs, silenced: false }],
  )
}

/** The routes of alerts, silences and the Alertmanager intake. */
export function alertRoutes(options: AlertRoutesOptions): Route[] {
  const { store, now } = options
  // Concurrent intakes share their inserts and their listener calls: one batch's events, then its states, then the
  // listeners told of all its activity (stored before told, as for one payload). A failure fails every request of
  // the batch, which Alertmanager retries; event ids keep the retry from storing anything twice.
  const intake = createCoalescingWriter<ReturnType<typeof intakeRecords>>(async (batch) => {
    const events = batch.flatMap((r) => r.events)
    await store.appendEvents(events)
    await store.saveStates(batch.flatMap((r) => r.states))
    const activity = intakeActivity(events)
    if (activity.length > 0) for (const listen of options.listeners ?? []) await listen(activity)
  })
  const view = (a: StoredAlert, acks: Map<string, { actor: string; atMs: number }>): z.output<typeof alertView> => {
    const ack = acks.get(a.fingerprint)
    // An acknowledgement covers the activation it was made in; a new pending period needs a new one.
    const acknowledged = ack && ack.atMs >= a.activeAtMs ? { by: ack.actor, at: iso(ack.atMs)! } : null
    return {
      fingerprint: a.fingerprint,
      source: a.source,
      state: a.state,
      labels: { ...a.labels },
      annotations: { ...a.annotations },
      activeAt: iso(a.activeAtMs)!,
      firedAt: iso(a.firedAtMs),
      resolvedAt: iso(a.resolvedAtMs),
      value: a.value,
      silenced: a.silencedBy.length > 0,
      silencedBy: [...a.silencedBy],
      acknowledged,
      generatorURL: a.generatorUrl,
      updatedAt: iso(a.updatedAtMs)!,
    }
  }
  const findAlert = async (fingerprint: string, principal: Principal): Promise<StoredAlert> => {
    const [found] = await store.listStates({ fingerprint, ...(principal.models ? { models: [...principal.models] } : {}) })
    // Another model's alert is answered like a missing one: a 404 does not confirm it exists.
    if (!found) throw new AppError('not_found', `no alert with fingerprint "${fingerprint}"`)
    return found
  }
  const silenceOut = (s: Silence, nowMs: number): z.output<typeof silenceView> => ({
    id: s.id,
    status: { state: silenceState(s, nowMs) },
    updatedAt: iso(s.updatedAtMs)!,
    matchers: s.matchers.map((m) => ({ ...m })),
    startsAt: iso(s.startsAtMs)!,
    endsAt: iso(s.endsAtMs)!,
    createdBy: s.createdBy,
    comment: s.comment,
  })
  // A model-limited key may only silence alerts of its models: one matcher must pin `model` to one of them.
  const assertSilenceAllowed = (principal: Principal, s: Pick<Silence, 'matchers'>): void => {
    if (!principal.models) return
    const pinned = s.matchers.some((m) => m.name === 'model' && !m.isRegex && m.isEqual && principal.models!.has(m.value))
    if (!pinned) throw new AppError('forbidden', `key "${principal.id}" may only silence its own models: add a matcher model="<one of its models>"`)
  }

  return [
    defineRoute({
      method: 'get',
      path: '/v1/alerts',
      scope: 'read',
      tags: ['alerts'],
      summary: 'Current alerts (Highway’s own and those Alertmanager sent in)',
      query: z.object({
        state: stateEnum.optional(),
        severity: z.string().max(64).optional(),
        model: z.string().max(128).optional(),
        slo: z.string().max(256).optional(),
        silenced: boolParam.optional(),
      }),
      responses: { 200: { description: 'Alerts, newest activation first. Without `state`, inactive ones are left out.', schema: z.object({ alerts: z.array(alertView) }) } },
      handle: async ({ query, principal }) => {
        const models = allowedModels(principal)
        const states = await store.listStates({
          states: query.state ? [query.state] : ['pending', 'firing', 'resolved'],
          ...(query.severity ? { severity: query.severity } : {}),
          ...(query.model ? { model: query.model } : {}),
          ...(query.slo ? { slo: query.slo } : {}),
          ...(models ? { models } : {}),
        })
        const picked = query.silenced === undefined ? states : states.filter((s) => s.silencedBy.length > 0 === query.silenced)
        const acks = await store.latestAcks(picked.map((s) => s.fingerprint))
        return { json: { alerts: picked.map((a) => view(a, acks)) } }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/alerts/{fingerprint}',
      scope: 'read',
      tags: ['alerts'],
      summary: 'One alert with its history (transitions, acknowledgements, intakes)',
      params: fingerprintParams,
      query: z.object({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional(), limit: z.coerce.number().int().min(1).max(10_000).default(1000) }),
      responses: { 200: { description: 'The alert and its events, oldest first.', schema: z.object({ alert: alertView, history: z.array(eventView) }) }, 404: { description: 'No such alert (or not one of the key’s models).' } },
      handle: async ({ params, query, principal }) => {
        const alert = await findAlert(params.fingerprint, principal)
        const toMs = query.to ? Date.parse(query.to) : now() + 1
        const fromMs = query.from ? Date.parse(query.from) : 0
        if (fromMs >= toMs) throw new AppError('bad_request', `from: must be before to (${query.to ?? 'now'}): "${query.from}"`)
        const models = allowedModels(principal)
        const history = await store.history({ fingerprint: params.fingerprint, fromMs, toMs, limit: query.limit, ...(models ? { models } : {}) })
        const acks = await store.latestAcks([alert.fingerprint])
        return {
          json: {
            alert: view(alert, acks),
            history: history.map((e) => ({ kind: e.kind, from: e.from, to: e.to, at: iso(e.atMs)!, value: e.value, silencedBy: [...e.silencedBy], actor: e.actor, detail: e.detail })),
          },
        }
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/alerts/{fingerprint}/ack',
      scope: 'operate',
      tags: ['alerts'],
      summary: 'Acknowledge an alert (recorded in its history; notifications continue unless silenced)',
      params: fingerprintParams,
      body: z.object({ comment: z.string().max(4096).default('') }).strict().default({ comment: '' }),
      maxBodyBytes: 16 * 1024,
      responses: { 200: { description: 'Acknowledged.', schema: z.object({ fingerprint: z.string(), acknowledged: z.object({ by: z.string(), at: z.string() }) }) }, 404: { description: 'No such alert.' } },
      handle: async ({ params, body, principal, requestId }) => {
        const alert = await findAlert(params.fingerprint, principal)
        const atMs = now()
        await store.appendEvents([
          {
            eventId: `ack/${requestId}/${randomUUID()}`,
            kind: 'ack',
            source: alert.source,
            fingerprint: alert.fingerprint,
            from: alert.state,
            to: alert.state,
            atMs,
            activeAtMs: alert.activeAtMs,
            value: alert.value,
            silencedBy: alert.silencedBy,
            labels: alert.labels,
            annotations: alert.annotations,
            actor: principal.id,
            detail: body.comment,
          },
        ])
        return { json: { fingerprint: alert.fingerprint, acknowledged: { by: principal.id, at: iso(atMs)! } } }
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/silences',
      scope: 'operate',
      tags: ['alerts'],
      summary: 'Create or update a silence (Alertmanager’s postableSilence body)',
      body: postableSilenceSchema,
      maxBodyBytes: 64 * 1024,
      responses: { 200: { description: 'Stored.', schema: z.object({ silenceID: z.string() }) }, 404: { description: '`id` names no silence.' } },
      handle: async ({ body, principal }) => {
        const problem = checkSilence(body)
        if (problem) throw new AppError('bad_request', `${problem.field}: ${problem.message}`)
        assertSilenceAllowed(principal, body)
        const nowMs = now()
        if (body.id) {
          const existing = (await store.listSilences()).find((s) => s.id === body.id)
          if (!existing) throw new AppError('not_found', `id: no silence "${body.id.slice(0, 128)}"`)
          assertSilenceAllowed(principal, existing)
        }
        const id = body.id ?? randomUUID()
        await store.saveSilence({ id, matchers: body.matchers, startsAtMs: Date.parse(body.startsAt), endsAtMs: Date.parse(body.endsAt), createdBy: body.createdBy, comment: body.comment, updatedAtMs: nowMs })
        return { json: { silenceID: id } }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/silences',
      scope: 'read',
      tags: ['alerts'],
      summary: 'Silences (Alertmanager’s gettableSilences: a plain array)',
      responses: { 200: { description: 'Every silence with its state now.', schema: z.array(silenceView) } },
      handle: async ({ principal }) => {
        const nowMs = now()
        const all = await store.listSilences()
        const visible = principal.models ? all.filter((s) => s.matchers.some((m) => m.name === 'model' && !m.isRegex && m.isEqual && principal.models!.has(m.value))) : all
        return { json: visible.map((s) => silenceOut(s, nowMs)) }
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/silences/{id}',
      scope: 'operate',
      tags: ['alerts'],
      summary: 'Expire a silence (its end moves to now; it stays listed as expired)',
      params: z.object({ id: z.string().min(1).max(128) }),
      responses: { 200: { description: 'Expired.', schema: silenceView }, 404: { description: 'No such silence.' } },
      handle: async ({ params, principal }) => {
        const nowMs = now()
        const s = (await store.listSilences()).find((x) => x.id === params.id)
        if (!s || (principal.models && !s.matchers.some((m) => m.name === 'model' && !m.isRegex && m.isEqual && principal.models!.has(m.value)))) throw new AppError('not_found', `no silence "${params.id}"`)
        const expired: Silence = silenceState(s, nowMs) === 'expired' ? s : { ...s, endsAtMs: Math.max(nowMs, s.startsAtMs), updatedAtMs: nowMs }
        if (expired !== s) await store.saveSilence(expired)
        return { json: silenceOut(expired, nowMs) }
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/alertmanager',
      scope: 'operate',
      tags: ['alerts'],
      summary: 'Alertmanager webhook intake (payload version 4); idempotent per groupKey + fingerprint + status + startsAt',
      description: 'Point an Alertmanager `webhook_configs` receiver here. 200 once stored; 400 names the bad field (Alertmanager does not retry 4xx); 503 only when storage is briefly unavailable (it retries 5xx).',
      body: webhookPayloadSchema,
      maxBodyBytes: 4 * 1024 * 1024,
      // The shell validates the body before the handler runs: a refused payload is counted here (429 is the
      // shared body budget, not the payload's fault).
      onRejected: (error) => options.metrics.intakePayloads.inc({ outcome: error.code === 'overloaded' ? 'unavailable' : 'invalid' }),
      responses: { 200: { description: 'Stored (or already stored).', schema: z.object({ stored: z.number().int(), alerts: z.number().int() }) } },
      handle: async ({ body, principal }) => {
        const records = intakeRecords(body)
        const { events, states } = records
        if (principal.models) {
          const outside = states.find((s) => !principal.models!.has(s.labels.model ?? ''))
          if (outside) throw new AppError('forbidden', `key "${principal.id}" may not send alerts of model "${outside.labels.model ?? ''}"`)
        }
        try {
          // An empty payload stores nothing and tells no one: it need not wait for a batch.
          if (events.length > 0 || states.length > 0) await intake.write(records)
        } catch (err) {
          options.metrics.intakePayloads.inc({ outcome: options.isTransient(err) ? 'unavailable' : 'failed' })
          throw err
        }
        options.metrics.intakePayloads.inc({ outcome: 'stored' })
        return { json: { stored: events.length, alerts: body.alerts.length } }
      },
    }),
  ]
}
