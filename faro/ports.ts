import type { FaroEventRow } from './rows.ts'

/** Where Faro rows go (`faro_events`); `dedupToken` makes a repeated insert of the same batch a no-op. */
export interface FaroEventStore {
  insertEvents(rows: readonly FaroEventRow[], dedupToken: string | undefined): Promise<void>
}

/** One label record as the collector's `/v1/labels` takes it. */
export interface FaroLabelRecord {
  readonly id: string
  readonly label: string | number | boolean
  readonly ts: number
}

/** The collector's label path: validation, quarantine of bad records with their reason, durable write. */
export interface FaroLabelSink {
  submitLabels(model: string, records: readonly FaroLabelRecord[], nowMs: number): Promise<{ accepted: number; rejected: ReadonlyArray<{ index: number; errors: readonly string[] }> }>
}
