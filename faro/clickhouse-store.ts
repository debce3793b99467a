import { tableName, toStoreError, type Store } from '../store/index.ts'
import type { FaroEventStore } from './ports.ts'
import type { FaroEventRow } from './rows.ts'

// The Faro intake's ClickHouse adapter over `faro_events` (migration 14). Values go in as JSONEachRow data, never
// as SQL text; times as ISO-8601, read with best_effort.

const iso = (ms: number): string => new Date(ms).toISOString()

function toColumns(r: FaroEventRow): Record<string, unknown> {
  return {
    app: r.app,
    app_version: r.appVersion,
    environment: r.environment,
    kind: r.kind,
    name: r.name,
    ts: iso(r.tsMs),
    received_at: iso(r.receivedAtMs),
    session_id: r.sessionId,
    user_id: r.userId,
    page_url: r.pageUrl,
    page_id: r.pageId,
    browser_name: r.browserName,
    browser_version: r.browserVersion,
    browser_os: r.browserOs,
    browser_mobile: r.browserMobile ? 1 : 0,
    view: r.view,
    message: r.message,
    stacktrace: r.stacktrace,
    attributes: r.attributes,
    values: r.values,
    trace_id: r.traceId,
    span_id: r.spanId,
    model: r.model,
    prediction_id: r.predictionId,
    label_outcome: r.labelOutcome,
    label_error: r.labelError,
    idempotency_key: r.idempotencyKey,
  }
}

/** The Faro event store over ClickHouse (embedded chDB or a server: the same SQL). */
export function createClickHouseFaroStore(store: Store): FaroEventStore {
  return {
    async insertEvents(rows, dedupToken) {
      if (rows.length === 0) return
      try {
        await store.client.insert({
          table: tableName(store.ctx, 'faro_events'),
          values: rows.map(toColumns),
          format: 'JSONEachRow',
          // One insert is one block: with the batch's token, a retry of it is dropped by ClickHouse (migration 14's window).
          clickhouse_settings: { date_time_input_format: 'best_effort', ...(dedupToken ? { insert_deduplicate: 1, insert_deduplication_token: dedupToken } : {}) },
        })
      } catch (err) {
        throw toStoreError(err, 'insert faro_events')
      }
    },
  }
}
