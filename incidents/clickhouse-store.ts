import { tableName, toStoreError, type Store } from '../store/index.ts'
import type { Incident, IncidentAlert, IncidentEvent, IncidentStatus } from './types.ts'

// The incidents component's ClickHouse adapter over the tables of migration 12. Every value goes in as a query
// parameter or a JSONEachRow value; times as epoch milliseconds.

/** Filters of the incident list. */
export interface IncidentFilter {
  readonly statuses?: readonly IncidentStatus[]
  readonly severity?: string
  readonly model?: string
  readonly slo?: string
  /** Incidents active at some point in [fromMs, toMs). */
  readonly fromMs?: number
  readonly toMs?: number
  /** Only incidents touching one of these models (a model-limited key). */
  readonly models?: readonly string[]
  readonly limit?: number
}

/** What the incidents component stores. */
export interface IncidentStore {
  /** The group's incident that is not resolved, if any. */
  /** The open incident of each of these groups (the newest opened, should two be open); groups without one are absent. */
  openIncidents(groupKeys: readonly string[]): Promise<Map<string, Incident>>
  get(id: string): Promise<Incident | null>
  list(filter: IncidentFilter): Promise<Incident[]>
  /** Writes a new revision. */
  save(incident: Incident): Promise<void>
  /** Appends timeline entries; each event id is stored once however often it is written. */
  appendEvents(events: readonly IncidentEvent[]): Promise<void>
  events(incidentId: string): Promise<IncidentEvent[]>
  /** Which of these alert keys some incident's timeline already holds. */
  seenAlertKeys(keys: readonly string[]): Promise<Set<string>>
  /** Open (not resolved) incidents by severity. */
  openBySeverity(): Promise<Map<string, number>>
}

type Row = Record<string, unknown>
const KIND_RANK: Readonly<Record<IncidentEvent['kind'], number>> = { opened: 0, alert_firing: 1, status: 2, assignee: 2, note: 2, alert_resolved: 3, resolved: 4 }
const iso = (v: number): string => new Date(v).toISOString()

const COLUMNS = `id, group_key, status, severity, title, models, slos, toUnixTimestamp64Milli(onset_at) AS onset_ms, toUnixTimestamp64Milli(opened_at) AS opened_ms,
  toUnixTimestamp64Milli(resolved_at) AS resolved_ms, toUnixTimestamp64Milli(updated_at) AS updated_ms, assignee, alerts, revision`

function toIncident(r: Row): Incident {
  let alerts: IncidentAlert[] = []
  try {
    alerts = JSON.parse(String(r.alerts ?? '[]')) as IncidentAlert[]
  } catch {
    alerts = []
  }
  return {
    id: String(r.id),
    groupKey: String(r.group_key),
    status: r.status as IncidentStatus,
    severity: String(r.severity),
    title: String(r.title),
    models: (r.models as string[] | undefined) ?? [],
    slos: (r.slos as string[] | undefined) ?? [],
    onsetAtMs: Number(r.onset_ms),
    openedAtMs: Number(r.opened_ms),
    resolvedAtMs: r.resolved_ms === null || r.resolved_ms === undefined ? null : Number(r.resolved_ms),
    updatedAtMs: Number(r.updated_ms),
    assignee: String(r.assignee ?? ''),
    alerts,
    revision: Number(r.revision),
  }
}

function toEvent(r: Row): IncidentEvent {
  return {
    incidentId: String(r.incident_id),
    eventId: String(r.event_id),
    alertKey: String(r.alert_key),
    kind: r.kind as IncidentEvent['kind'],
    atMs: Number(r.at_ms),
    actor: String(r.actor),
    fingerprint: String(r.fingerprint),
    alertname: String(r.alertname),
    severity: String(r.severity),
    fromStatus: r.from_status as IncidentEvent['fromStatus'],
    toStatus: r.to_status as IncidentEvent['toStatus'],
    note: String(r.note),
    requestId: String(r.request_id),
  }
}

/** The incidents store over ClickHouse (embedded chDB or a server: the same SQL). */
export function createClickHouseIncidentStore(store: Store): IncidentStore {
  const incidents = tableName(store.ctx, 'incidents')
  const events = tableName(store.ctx, 'incident_events')
  // The newest revision of each incident (ReplacingMergeTree merges eventually; reads must not wait for it).
  const current = `(SELECT ${COLUMNS} FROM ${incidents} ORDER BY revision DESC LIMIT 1 BY id)`
  const insert = async (table: string, values: Row[], token?: string): Promise<void> => {
    try {
      await store.client.insert({ table, values, format: 'JSONEachRow', clickhouse_settings: { date_time_input_format: 'best_effort', ...(token ? { insert_deduplicate: 1, insert_deduplication_token: token } : {}) } })
    } catch (err) {
      throw toStoreError(err, `insert ${table}`)
    }
  }
  return {
    async openIncidents(groupKeys) {
      // One read for every group of a delivery: a read per group was most of an intake's cost (bench/RESULTS.md, alerts).
      if (groupKeys.length === 0) return new Map()
      const rows = await store.queryRows<Row>(
        `SELECT * FROM (SELECT ${COLUMNS} FROM ${incidents} WHERE group_key IN {keys:Array(String)} ORDER BY revision DESC LIMIT 1 BY id)
         WHERE status != 'resolved' ORDER BY opened_ms DESC, id LIMIT 1 BY group_key`,
        { keys: groupKeys },
      )
      return new Map(rows.map((r) => [String(r.group_key), toIncident(r)]))
    },
    async get(id) {
      const rows = await store.queryRows<Row>(`SELECT ${COLUMNS} FROM ${incidents} WHERE id = {id:String} ORDER BY revision DESC LIMIT 1`, { id })
      return rows[0] ? toIncident(rows[0]) : null
    },
    async list(f) {
      const rows = await store.queryRows<Row>(
        `SELECT * FROM ${current}
         WHERE ({any_status:Bool} OR has({statuses:Array(String)}, status)) AND ({severity:String} = '' OR severity = {severity:String})
           AND ({model:String} = '' OR has(models, {model:String})) AND ({slo:String} = '' OR has(slos, {slo:String}))
           AND ({any_model:Bool} OR hasAny(models, {models:Array(String)}))
           AND opened_ms < {to:Int64} AND (resolved_ms IS NULL OR resolved_ms >= {from:Int64})
         ORDER BY opened_ms DESC, id LIMIT {limit:UInt32}`,
        {
          any_status: f.statuses === undefined || f.statuses.length === 0,
          statuses: f.statuses ?? [],
          severity: f.severity ?? '',
          model: f.model ?? '',
          slo: f.slo ?? '',
          any_model: f.models === undefined,
          models: f.models ?? [],
          from: f.fromMs ?? 0,
          to: f.toMs ?? 9_000_000_000_000,
          limit: f.limit ?? 500,
        },
      )
      return rows.map(toIncident)
    },
    async save(i) {
      await insert(
        incidents,
        [
          {
            id: i.id,
            group_key: i.groupKey,
            status: i.status,
            severity: i.severity,
            title: i.title,
            models: i.models,
            slos: i.slos,
            onset_at: iso(i.onsetAtMs),
            opened_at: iso(i.openedAtMs),
            resolved_at: i.resolvedAtMs === null ? null : iso(i.resolvedAtMs),
            updated_at: iso(i.updatedAtMs),
            assignee: i.assignee,
            alerts: JSON.stringify(i.alerts),
            revision: i.revision,
          },
        ],
        // The same revision of the same incident, written twice (a retried delivery on another replica), is stored once.
        `incident/${i.id}/${i.revision}`,
      )
    },
    async appendEvents(list) {
      // One insert per entry, each deduplicated on its own id (a block token would dedupe the batch as one); the
      // table's ReplacingMergeTree key and the reads' LIMIT 1 BY keep one entry even past the dedup window.
      await Promise.all(
        list.map((e) =>
          insert(
            events,
            [
              {
                incident_id: e.incidentId,
                event_id: e.eventId,
                alert_key: e.alertKey,
                kind: e.kind,
                at: iso(e.atMs),
                actor: e.actor,
                fingerprint: e.fingerprint,
                alertname: e.alertname,
                severity: e.severity,
                from_status: e.fromStatus,
                to_status: e.toStatus,
                note: e.note,
                request_id: e.requestId,
              },
            ],
            `incident-event/${e.eventId}`,
          ),
        ),
      )
    },
    async events(incidentId) {
      const rows = await store.queryRows<Row>(
        `SELECT incident_id, event_id, alert_key, kind, toUnixTimestamp64Milli(at) AS at_ms, actor, fingerprint, alertname, severity, from_status, to_status, note, request_id
         FROM ${events} WHERE incident_id = {id:String} ORDER BY at_ms, event_id LIMIT 1 BY event_id`,
        { id: incidentId },
      )
      // Entries of one instant in the order they happen: opened, alerts firing, changes, alerts resolving, resolved.
      return rows.map(toEvent).sort((a, b) => a.atMs - b.atMs || KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.eventId.localeCompare(b.eventId))
    },
    async seenAlertKeys(keys) {
      if (keys.length === 0) return new Set()
      const rows = await store.queryRows<{ alert_key: string }>(`SELECT DISTINCT alert_key FROM ${events} WHERE has({keys:Array(String)}, alert_key)`, { keys })
      return new Set(rows.map((r) => r.alert_key))
    },
    async openBySeverity() {
      const rows = await store.queryRows<{ severity: string; n: number }>(`SELECT severity, count() AS n FROM ${current} WHERE status != 'resolved' GROUP BY severity`)
      return new Map(rows.map((r) => [r.severity, Number(r.n)]))
    },
  }
}
