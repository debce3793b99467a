import { randomUUID } from 'node:crypto'
import { tableName, toStoreError, type Store } from '../store/index.ts'

// The audit trail over the append-only `audit_log` table (migration 5; `request_id` and `status` added by
// migration 12 with defaults, so rows written before read back with '' and 0). Every value goes in as a query
// parameter or a JSONEachRow value, never by string building.

/** How an audited action ended. */
export type AuditOutcome = 'done' | 'noop' | 'refused' | 'failed'

/** One audited action, as components report it. */
export interface AuditEntry {
  /** Who: the API key's id (or the process, for scheduled work). */
  readonly actor: string
  readonly component: string
  readonly action: string
  readonly model?: string
  readonly target?: string
  readonly outcome: AuditOutcome
  readonly before?: unknown
  readonly after?: unknown
  readonly reason?: string
  /** The HTTP request that caused it (`X-Request-Id`), when one did. */
  readonly requestId?: string
  /** The HTTP status the request was answered with (request entries of the shell's hook); 0 for others. */
  readonly status?: number
  /** When, in epoch ms; `now()` of the log when absent. */
  readonly atMs?: number
}

/** An audit entry as read back. */
export interface AuditRecord {
  readonly id: string
  readonly atMs: number
  readonly actor: string
  readonly component: string
  readonly action: string
  readonly model: string
  readonly target: string
  readonly outcome: AuditOutcome
  readonly before: unknown
  readonly after: unknown
  readonly reason: string
  readonly requestId: string
  readonly status: number
}

/** Filters of a read; `from`/`to` in epoch ms, `to` exclusive. */
export interface AuditQuery {
  readonly component?: string
  readonly model?: string
  /** Only entries of these models (a model-limited key, an incident's models). */
  readonly models?: readonly string[]
  readonly action?: string
  readonly actor?: string
  readonly from?: number
  readonly to?: number
  readonly limit?: number
}

/** The audit log: append and read. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>
  /** Appends several entries in one insert (the request hook's batches). */
  recordMany(entries: readonly AuditEntry[]): Promise<void>
  /** Newest first. */
  read(q?: AuditQuery): Promise<AuditRecord[]>
}

const parse = (s: string): unknown => {
  if (s === '') return null
  try {
    return JSON.parse(s) as unknown
  } catch {
    // Written by hand or truncated: show it as text rather than failing the whole read.
    return s
  }
}

/** The audit log over the `audit_log` table. */
export function createAuditLog(store: Store, now: () => number = Date.now): AuditLog {
  const table = tableName(store.ctx, 'audit_log')
  const row = (e: AuditEntry) => ({
    id: randomUUID(),
    at: new Date(e.atMs ?? now()).toISOString(),
    actor: e.actor,
    component: e.component,
    action: e.action,
    model: e.model ?? '',
    target: e.target ?? '',
    outcome: e.outcome,
    before: e.before === undefined ? '' : JSON.stringify(e.before),
    after: e.after === undefined ? '' : JSON.stringify(e.after),
    reason: e.reason ?? '',
    request_id: e.requestId ?? '',
    status: e.status ?? 0,
  })
  const recordMany = async (entries: readonly AuditEntry[]): Promise<void> => {
    if (entries.length === 0) return
    try {
      await store.client.insert({ table, values: entries.map(row), format: 'JSONEachRow', clickhouse_settings: { date_time_input_format: 'best_effort' } })
    } catch (err) {
      throw toStoreError(err, 'insert audit_log')
    }
  }
  return {
    record: (e) => recordMany([e]),
    recordMany,
    async read(q = {}) {
      const rows = await store.queryRows<{ id: string; at_ms: number; actor: string; component: string; action: string; model: string; target: string; outcome: string; before: string; after: string; reason: string; request_id: string; status: number }>(
        `SELECT id, toUnixTimestamp64Milli(at) AS at_ms, actor, component, action, model, target, outcome, before, after, reason, request_id, status FROM ${table}
         WHERE ({component:String} = '' OR component = {component:String}) AND ({model:String} = '' OR model = {model:String}) AND ({action:String} = '' OR action = {action:String})
           AND ({actor:String} = '' OR actor = {actor:String}) AND ({any_model:Bool} OR has({models:Array(String)}, model))
           AND at >= fromUnixTimestamp64Milli({from:Int64}) AND at < fromUnixTimestamp64Milli({to:Int64})
         ORDER BY at DESC, id DESC LIMIT {limit:UInt32}`,
        {
          component: q.component ?? '',
          model: q.model ?? '',
          action: q.action ?? '',
          actor: q.actor ?? '',
          any_model: q.models === undefined,
          models: q.models ?? [],
          from: q.from ?? 0,
          // DateTime64(3) holds dates up to 2299; the bound only has to lie past every entry.
          to: q.to ?? 9_000_000_000_000,
          limit: q.limit ?? 1000,
        },
      )
      return rows.map((r) => ({
        id: r.id,
        atMs: Number(r.at_ms),
        actor: r.actor,
        component: r.component,
        action: r.action,
        model: r.model,
        target: r.target,
        outcome: r.outcome as AuditOutcome,
        before: parse(r.before),
        after: parse(r.after),
        reason: r.reason,
        requestId: r.request_id,
        status: Number(r.status),
      }))
    },
  }
}
