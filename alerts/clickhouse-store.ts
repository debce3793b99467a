import { createHash } from 'node:crypto'
import { tableName, toStoreError, type Store } from '../store/index.ts'
import type { AlertEvent, AlertFilter, AlertSource, AlertStore, Delivery, HistoryFilter, StoredAlert } from './ports.ts'
import type { AlertState } from './state.ts'
import type { Matcher, Silence } from './silences.ts'

// The alerts component's ClickHouse adapter over the tables of migration 11. Every value goes in as a query
// parameter; times as epoch milliseconds.

type Row = Record<string, unknown>
/** Epoch ms as ClickHouse's DateTime64(3) text (UTC); ISO-8601 with `Z` parses with best_effort input. */
const iso = (v: number): string => new Date(v).toISOString()
const isoOrNull = (v: number | null): string | null => (v === null ? null : iso(v))
const ms = (v: unknown): number => Number(v)
const msOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))
const map = (v: unknown): Record<string, string> => (v && typeof v === 'object' ? (v as Record<string, string>) : {})

const label = (labels: Readonly<Record<string, string>>, name: string): string => labels[name] ?? ''

function stateRow(s: StoredAlert): Row {
  return {
    fingerprint: s.fingerprint,
    source: s.source,
    alertname: label(s.labels, 'alertname'),
    severity: label(s.labels, 'severity'),
    model: label(s.labels, 'model'),
    slo: label(s.labels, 'slo'),
    state: s.state,
    active_at: iso(s.activeAtMs),
    fired_at: isoOrNull(s.firedAtMs),
    resolved_at: isoOrNull(s.resolvedAtMs),
    last_true_at: iso(s.lastTrueAtMs),
    value: s.value !== null && Number.isFinite(s.value) ? s.value : null,
    labels: s.labels,
    annotations: s.annotations,
    silenced_by: s.silencedBy,
    generator_url: s.generatorUrl,
    updated_at: iso(s.updatedAtMs),
  }
}

function eventRow(e: AlertEvent): Row {
  return {
    event_id: e.eventId,
    kind: e.kind,
    source: e.source,
    fingerprint: e.fingerprint,
    alertname: label(e.labels, 'alertname'),
    severity: label(e.labels, 'severity'),
    model: label(e.labels, 'model'),
    slo: label(e.labels, 'slo'),
    from_state: e.from,
    to_state: e.to,
    at: iso(e.atMs),
    active_at: iso(e.activeAtMs),
    value: e.value !== null && Number.isFinite(e.value) ? e.value : null,
    silenced_by: e.silencedBy,
    labels: e.labels,
    annotations: e.annotations,
    actor: e.actor,
    detail: e.detail,
  }
}

// Aliases differ from the columns: ClickHouse would otherwise read the column names in WHERE as the aliases.
const STATE_COLUMNS = `fingerprint, source, state, labels, annotations, toUnixTimestamp64Milli(active_at) AS active_ms, toUnixTimestamp64Milli(fired_at) AS fired_ms,
  toUnixTimestamp64Milli(resolved_at) AS resolved_ms, toUnixTimestamp64Milli(last_true_at) AS last_true_ms, value, silenced_by, generator_url, toUnixTimestamp64Milli(updated_at) AS updated_ms`

function toStoredAlert(r: Row): StoredAlert {
  return {
    fingerprint: String(r.fingerprint),
    source: r.source as AlertSource,
    state: r.state as AlertState,
    labels: map(r.labels),
    annotations: map(r.annotations),
    activeAtMs: ms(r.active_ms),
    firedAtMs: msOrNull(r.fired_ms),
    resolvedAtMs: msOrNull(r.resolved_ms),
    lastTrueAtMs: ms(r.last_true_ms),
    value: numOrNull(r.value),
    silencedBy: (r.silenced_by as string[] | undefined) ?? [],
    generatorUrl: String(r.generator_url ?? ''),
    updatedAtMs: ms(r.updated_ms),
  }
}

function toEvent(r: Row): AlertEvent {
  return {
    eventId: String(r.event_id),
    kind: r.kind as AlertEvent['kind'],
    source: r.source as AlertSource,
    fingerprint: String(r.fingerprint),
    from: r.from_state as AlertState | '',
    to: r.to_state as AlertState | '',
    atMs: ms(r.at_ms),
    activeAtMs: ms(r.active_ms),
    value: numOrNull(r.value),
    silencedBy: (r.silenced_by as string[] | undefined) ?? [],
    labels: map(r.labels),
    annotations: map(r.annotations),
    actor: String(r.actor ?? ''),
    detail: String(r.detail ?? ''),
  }
}

/** The alerts store over ClickHouse (embedded chDB or a server: the same SQL). */
export function createClickHouseAlertStore(store: Store): AlertStore {
  const t = (name: string): string => tableName(store.ctx, name)
    const insertRows = async (table: string, rows: readonly Row[], token?: string): Promise<void> => {
    if (rows.length === 0) return
    try {
      await store.client.insert({
        table: t(table),
        values: rows as Row[],
        format: 'JSONEachRow',
        clickhouse_settings: { date_time_input_format: 'best_effort', ...(token ? { insert_deduplicate: 1, insert_deduplication_token: token } : {}) },
      })
    } catch (err) {
      throw toStoreError(err, `insert ${table}`)
    }
  }
  return {
    async appendEvents(events) {
      // One insert per call (an insert per event made the intake ~30× slower than an empty payload: bench/RESULTS.md,
      // alerts). The block's token is its sorted event ids, so the same batch again (a webhook redelivered, even
      // concurrently) is dropped by ClickHouse; a batch that only overlaps an earlier one stores the overlap twice,
      // which readers collapse by event id (LIMIT 1 BY event_id) and listeners ignore (idempotent on eventId).
      const unique = [...new Map(events.map((e) => [e.eventId, e])).values()]
      if (unique.length === 0) return
      const token = `alert-events/${createHash('sha256').update(unique.map((e) => e.eventId).sort().join('\n')).digest('hex')}`
      await insertRows('alert_events', unique.map(eventRow), token)
    },
    async saveStates(states) {
      await insertRows('alert_state', states.map(stateRow))
    },
    async listStates(f: AlertFilter) {
      const rows = await store.queryRows<Row>(
        `SELECT ${STATE_COLUMNS} FROM ${t('alert_state')} FINAL
         WHERE (length({states:Array(String)}) = 0 OR state IN {states:Array(String)})
           AND ({severity:String} = '' OR severity = {severity:String})
           AND ({model:String} = '' OR model = {model:String})
           AND ({slo:String} = '' OR slo = {slo:String})
           AND ({alertname:String} = '' OR alertname = {alertname:String})
           AND ({fingerprint:String} = '' OR fingerprint = {fingerprint:String})
           AND ({limited:UInt8} = 0 OR model IN {models:Array(String)})
         ORDER BY active_ms DESC, fingerprint
         LIMIT 10000`,
        {
          states: f.states ?? [],
          severity: f.severity ?? '',
          model: f.model ?? '',
          slo: f.slo ?? '',
          alertname: f.alertname ?? '',
          fingerprint: f.fingerprint ?? '',
          limited: f.models ? 1 : 0,
          models: f.models ?? [],
        },
      )
      return rows.map(toStoredAlert)
    },
    async history(f: HistoryFilter) {
      const rows = await store.queryRows<Row>(
        `SELECT event_id, kind, source, fingerprint, from_state, to_state, toUnixTimestamp64Milli(at) AS at_ms, toUnixTimestamp64Milli(active_at) AS active_ms,
                value, silenced_by, labels, annotations, actor, detail
         FROM ${t('alert_events')}
         WHERE at >= fromUnixTimestamp64Milli({from:Int64}) AND at < fromUnixTimestamp64Milli({to:Int64})
           AND ({fingerprint:String} = '' OR fingerprint = {fingerprint:String})
           AND ({model:String} = '' OR model = {model:String})
           AND ({slo:String} = '' OR slo = {slo:String})
           AND ({alertname:String} = '' OR alertname = {alertname:String})
           AND ({limited:UInt8} = 0 OR model IN {models:Array(String)})
         ORDER BY at_ms, event_id
         LIMIT 1 BY event_id
         LIMIT {limit:UInt32}`,
        {
          from: f.fromMs,
          to: f.toMs,
          fingerprint: f.fingerprint ?? '',
          model: f.model ?? '',
          slo: f.slo ?? '',
          alertname: f.alertname ?? '',
          limited: f.models ? 1 : 0,
          models: f.models ?? [],
          limit: f.limit,
        },
      )
      return rows.map(toEvent)
    },
    async latestAcks(fingerprints) {
      if (fingerprints.length === 0) return new Map()
      const rows = await store.queryRows<Row>(
        `SELECT fingerprint, argMax(actor, at) AS who, toUnixTimestamp64Milli(max(at)) AS at_ms FROM ${t('alert_events')}
         WHERE kind = 'ack' AND fingerprint IN {fps:Array(String)} GROUP BY fingerprint`,
        { fps: fingerprints },
      )
      return new Map(rows.map((r) => [String(r.fingerprint), { actor: String(r.who), atMs: ms(r.at_ms) }]))
    },
    async saveSilence(s: Silence) {
      await insertRows('alert_silences', [
        { id: s.id, matchers: JSON.stringify(s.matchers), starts_at: iso(s.startsAtMs), ends_at: iso(s.endsAtMs), created_by: s.createdBy, comment: s.comment, updated_at: iso(s.updatedAtMs) },
      ])
    },
    async listSilences() {
      const rows = await store.queryRows<Row>(
        `SELECT id, matchers, toUnixTimestamp64Milli(starts_at) AS s, toUnixTimestamp64Milli(ends_at) AS e, created_by, comment, toUnixTimestamp64Milli(updated_at) AS u
         FROM ${t('alert_silences')} FINAL ORDER BY s DESC, id LIMIT 10000`,
      )
      return rows.map((r) => ({
        id: String(r.id),
        matchers: JSON.parse(String(r.matchers)) as Matcher[],
        startsAtMs: ms(r.s),
        endsAtMs: ms(r.e),
        createdBy: String(r.created_by),
        comment: String(r.comment),
        updatedAtMs: ms(r.u),
      }))
    },
    async recordDeliveries(d: readonly Delivery[]) {
      await insertRows(
        'alert_deliveries',
        d.map((x) => ({ receiver: x.receiver, group_key: x.groupKey, attempt: x.attempt, ok: x.ok ? 1 : 0, status: x.status, error: x.error.slice(0, 1024), alerts: x.alerts, at: iso(x.atMs) })),
      )
    },
    async deliveries(receiver: string, limit: number) {
      const rows = await store.queryRows<Row>(
        `SELECT receiver, group_key, attempt, ok, status, error, alerts, toUnixTimestamp64Milli(at) AS at_ms FROM ${t('alert_deliveries')}
         WHERE receiver = {receiver:String} ORDER BY at_ms, attempt LIMIT {limit:UInt32}`,
        { receiver, limit },
      )
      return rows.map((r) => ({ receiver: String(r.receiver), groupKey: String(r.group_key), attempt: Number(r.attempt), ok: Number(r.ok) === 1, status: Number(r.status), error: String(r.error), alerts: Number(r.alerts), atMs: ms(r.at_ms) }))
    },
  }
}

/**
 * Claims `term` of lease `name` for `holder` and answers who holds it. Of concurrent claims of one term ClickHouse
 * keeps the first block and drops the rest (the insert deduplication token is the term: non-replicated
 * deduplication window on one server, Keeper on a Replicated cluster), so every claimant reads back one holder.
 */
export async function claimLeaseTerm(store: Store, claim: { name: string; term: number; holder: string; atMs: number }): Promise<string> {
  const table = tableName(store.ctx, 'alert_lease_claims')
  try {
    await store.client.command({
      query: `INSERT INTO ${table} (name, term, holder, claimed_at) VALUES ({name:String}, {term:UInt64}, {holder:String}, fromUnixTimestamp64Milli({at:Int64}))`,
      query_params: { name: claim.name, term: claim.term, holder: claim.holder, at: claim.atMs },
      clickhouse_settings: { insert_deduplicate: 1, insert_deduplication_token: `lease/${claim.name}/${claim.term}` },
    })
  } catch (err) {
    throw toStoreError(err, 'claim alert lease')
  }
  const [owner] = await store.queryRows<{ holder: string }>(
    `SELECT holder FROM ${table} WHERE name = {name:String} AND term = {term:UInt64} ORDER BY claimed_at, holder LIMIT 1`,
    { name: claim.name, term: claim.term },
  )
  return owner?.holder ?? ''
}
