// The in-process half of the ingest benchmark: this process opens its own embedded store (chDB binds one data
// directory per process; the service child has the other) and times, on the same rows the service received,
// each stage of ingest alone and the engine's ceiling: all the rows inserted as one payload.
import { Readable } from 'node:stream'
import type { ClickHouseSettings } from '@clickhouse/client'
import { parseConfig } from '../config/index.ts'
import { createRecordValidator } from '../collector/index.ts'
import { createIngestWriter, encodePrediction, openStore, tableName, type EncodedInsert, type PredictionRow, type Store } from '../store/index.ts'
import { BATCH_RECORDS, benchModelConfig } from './ingest-workload.ts'
import { startPhaseLoad, type PhaseLoad } from './machine-load.ts'

/** How the service inserts predictions, as createIngestWriter sends it. */
interface ProductionInsert {
  /** Table name inside the database, and fully qualified for SQL. */
  readonly table: string
  readonly qualified: string
  /** Column names in the positional order of encodePrediction's JSONCompactEachRow lines. */
  readonly columns: readonly string[]
  /** Settings without the per-insert deduplication token. */
  readonly settings: Readonly<Record<string, string | number>>
}

/**
 * Asks createIngestWriter for the table, columns and settings it sends, by handing it a store that records instead
 * of inserting. The ceiling then uses the service's own table, column order and settings, and follows them when
 * store/ changes (a new column, a new setting) instead of drifting from them.
 */
async function probeProductionInsert(store: Store): Promise<ProductionInsert> {
  let recorded: EncodedInsert | undefined
  // As in server mode, where predictions stay JSONCompactEachRow lines; embedded, the service re-encodes the same
  // lines as RowBinary for the same table, columns and settings.
  const recorder: Store = { ...store, mode: 'server', insertEncoded: async (insert) => void (recorded = insert) }
  await createIngestWriter(recorder, { timeoutMs: 1_000 }).insert('predictions', '[]', 'bench-probe')
  if (!recorded || recorded.format !== 'JSONCompactEachRow') {
    throw new Error(`bench: createIngestWriter no longer inserts JSONCompactEachRow through store.insertEncoded (got ${JSON.stringify(recorded?.format)}); update bench/ingest-engine.ts`)
  }
  const settings = { ...recorded.settings }
  delete settings.insert_deduplication_token
  return { table: recorded.table, qualified: tableName(store.ctx, recorded.table), columns: recorded.columns, settings }
}

/** Settings of the ceiling in every recorded run (bench/RESULTS.md), besides the per-insert deduplication token. */
const RECORDED_CEILING_SETTINGS = ['insert_deduplicate', 'deduplicate_blocks_in_dependent_materialized_views', 'max_partitions_per_insert_block'] as const

/** Time of one stage: wall clock, and CPU of this process (less sensitive than wall time to other processes). */
export interface StageTime {
  readonly wallSeconds: number
  readonly cpuSeconds: number
}

/** Per-stage time of ingest on one thread, over `records` records. */
export interface StageFigures {
  readonly records: number
  readonly parse: StageTime
  readonly validate: StageTime
  readonly encode: StageTime
}

/**
 * How an insert is sent. `each-row` is the ceiling: JSONEachRow through the client's `exec`, the settings sent as
 * the chDB connection sends `clickhouse_settings` (SET statements before the INSERT), as in every recorded run.
 * `compact` is the service's own path (createIngestWriter: chDB's raw insert, settings in the INSERT's SETTINGS
 * clause). The others are what-ifs on the same rows and settings: the service's path before issue 2
 * (JSONCompactEachRow through `exec` and SET statements), JSONEachRow through the raw insert (the fastest
 * in-process JSONEachRow path), and the service's path into a copy of the table that feeds no views.
 */
export type InsertPath = 'each-row' | 'compact' | 'compact-set-statements' | 'each-row-raw' | 'compact-no-views'

/** Inserts of one group size, one at a time as the service's group commit does them. */
export interface InsertCost {
  readonly path: InsertPath
  readonly groupRows: number
  readonly inserts: number
  /** Time to build the payloads (join of encoded lines), as the durable writer does before each insert. */
  readonly joinSeconds: number
  readonly load: PhaseLoad
}

/** One ceiling insert: all sample rows as one payload. */
export interface CeilingRun {
  readonly path: InsertPath
  readonly bytes: number
  readonly load: PhaseLoad
}

/** What the in-process phase measured. */
export interface EngineFigures {
  readonly stages: StageFigures
  readonly insertCosts: readonly InsertCost[]
  readonly ceiling: readonly CeilingRun[]
  readonly insert: ProductionInsert
  /** Materialized views the migrations attach (each insert into predictions feeds them). */
  readonly views: readonly string[]
}

/** Empties every table of the bench database but the migrations ledger, so each insert meets the same state. */
async function truncateAll(store: Store): Promise<void> {
  const tables = await store.queryRows<{ name: string }>(
    `SELECT name FROM system.tables WHERE database = {db:String} AND engine NOT LIKE '%View' AND name != 'schema_migrations'`,
    { db: store.ctx.database },
  )
  for (const { name } of tables) await store.command(`TRUNCATE TABLE \`${store.ctx.database}\`.\`${name}\``)
}

async function countRows(store: Store, table: string): Promise<number> {
  const [row] = await store.queryRows<{ n: number }>(`SELECT count() AS n FROM ${table}`)
  return Number(row?.n ?? 0)
}

/**
 * Times the stages and the ceiling on `sampleBodies`. `costs` are the insert sizes and paths to cost (the
 * service's mean group, one request, ten requests). Correctness problems are returned, not thrown.
 */
export async function measureEngine(options: {
  dataDir: string
  sampleBodies: readonly Buffer[]
  costs: ReadonlyArray<{ readonly path: InsertPath; readonly groupRows: number }>
  ceilingRepeats: number
  log: (line: string) => void
}): Promise<{ engine: EngineFigures; failures: string[] }> {
  const { log } = options
  const failures: string[] = []
  const config = parseConfig({ models: [benchModelConfig()] }, { source: 'bench model' })
  const validator = createRecordValidator(config.models[0]!, { retentionDays: config.storage.retentionDays })
  const store = await openStore({ mode: 'embedded', dataDir: options.dataDir, database: config.storage.database, retentionDays: config.storage.retentionDays })
  try {
    // Stages, body by body as the service meets them (so the heap holds what a request holds); the first pass
    // warms the JIT, the second is kept.
    let rows: PredictionRow[] = []
    let lines: string[] = []
    let stages: StageFigures | undefined
    const cpuNow = () => {
      const u = process.cpuUsage()
      return (u.user + u.system) / 1e6
    }
    for (let pass = 0; pass < 2; pass++) {
      rows = []
      lines = []
      const parse = { wallSeconds: 0, cpuSeconds: 0 }
      const validate = { wallSeconds: 0, cpuSeconds: 0 }
      const encode = { wallSeconds: 0, cpuSeconds: 0 }
      let wall = performance.now()
      let cpu = cpuNow()
      const lap = (stage: { wallSeconds: number; cpuSeconds: number }) => {
        const w = performance.now()
        const c = cpuNow()
        stage.wallSeconds += (w - wall) / 1000
        stage.cpuSeconds += c - cpu
        wall = w
        cpu = c
      }
      const nowMs = Date.now()
      for (const body of options.sampleBodies) {
        lap({ wallSeconds: 0, cpuSeconds: 0 }) // restart the clocks: the bookkeeping below is no stage
        const doc = JSON.parse(body.toString('utf8')) as { records: unknown[] }
        lap(parse)
        const valid: PredictionRow[] = []
        for (const record of doc.records) {
          const checked = validator.prediction(record, nowMs)
          if (!checked.ok) throw new Error(`bench record rejected: ${checked.errors.join('; ')}`)
          valid.push(checked.row)
        }
        lap(validate)
        for (const row of valid) lines.push(encodePrediction(row))
        lap(encode)
        for (const row of valid) rows.push(row)
      }
      stages = { records: rows.length, parse, validate, encode }
    }
    const records = rows.length

    const insert = await probeProductionInsert(store)
    const writer = createIngestWriter(store, { timeoutMs: 300_000 })
    // Same columns, engine, keys and settings; materialized views hang off the original, so none feed from this.
    const noViews = 'bench_predictions_no_views'
    await store.command(`CREATE TABLE ${tableName(store.ctx, noViews)} AS ${insert.qualified}`)
    const tableOf = (path: InsertPath): string => tableName(store.ctx, path === 'compact-no-views' ? noViews : insert.table)
    const toEachRow = (compactLines: string): string =>
      compactLines
        .split('\n')
        .map((line) => {
          const values = JSON.parse(line) as unknown[]
          const named: Record<string, unknown> = {}
          insert.columns.forEach((column, i) => (named[column] = values[i]))
          return JSON.stringify(named)
        })
        .join('\n')
    const raw = (table: string, format: 'JSONCompactEachRow' | 'JSONEachRow', payload: string | Buffer, token: string, columns?: readonly string[]) =>
      store.insertEncoded({
        table,
        columns: columns ?? insert.columns,
        format,
        payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload),
        settings: { ...insert.settings, insert_deduplication_token: token },
        timeoutMs: 300_000,
      })
    // The ceiling and the old service path keep the settings of every recorded run (idempotency and the partition
    // bound). Through exec each setting is one more SET statement run before the INSERT, which costs more the
    // larger the payload; the service's later additions (parallel views) would slow this ceiling down, not up.
    const execSettings = (token: string): ClickHouseSettings => {
      const settings: Record<string, string | number> = { insert_deduplication_token: token }
      for (const name of RECORDED_CEILING_SETTINGS) {
        const value = insert.settings[name]
        if (value !== undefined) settings[name] = value
      }
      return settings as ClickHouseSettings
    }
    // Each path takes its payload as built for it: JSONEachRow or JSONCompactEachRow text.
    const send: Record<InsertPath, (payload: string | Buffer, token: string) => Promise<unknown>> = {
      'each-row': (payload, token) =>
        store.client.exec({ query: `INSERT INTO ${insert.qualified} FORMAT JSONEachRow`, values: Readable.from([payload]), clickhouse_settings: execSettings(token) }),
      compact: (payload, token) => writer.insert('predictions', String(payload), token),
      'compact-set-statements': (payload, token) =>
        store.client.exec({ query: `INSERT INTO ${insert.qualified} (${insert.columns.join(', ')}) FORMAT JSONCompactEachRow`, values: Readable.from([payload]), clickhouse_settings: execSettings(token) }),
      'each-row-raw': (payload, token) => raw(insert.table, 'JSONEachRow', payload, token),
      'compact-no-views': (payload, token) => raw(noViews, 'JSONCompactEachRow', payload, token),
    }
    let token = 0
    for (const path of Object.keys(send) as InsertPath[]) {
      const warmUp = lines.slice(0, BATCH_RECORDS).join('\n')
      await send[path](path.startsWith('each-row') ? toEachRow(warmUp) : warmUp, `bench-warm-up-${token++}`)
    }

    // Insert cost by group size and path: up to 20 groups (or the whole sample) each. Payloads are built
    // outside the timing, as the durable writer builds them before it inserts (their join counts as serialising).
    const insertCosts: InsertCost[] = []
    for (const { path, groupRows } of options.costs) {
      await truncateAll(store)
      const joinStarted = performance.now()
      const payloads: Array<string | Buffer> = []
      for (let i = 0; i + groupRows <= records && payloads.length < 20; i += groupRows) payloads.push(lines.slice(i, i + groupRows).join('\n'))
      const joinSeconds = (performance.now() - joinStarted) / 1000
      for (const [i, p] of payloads.entries()) payloads[i] = path.startsWith('each-row') ? toEachRow(String(p)) : p
      const stop = startPhaseLoad()
      for (const payload of payloads) await send[path](payload, `bench-cost-${token++}`)
      const load = stop()
      insertCosts.push({ path, groupRows, inserts: payloads.length, joinSeconds, load })
      const stored = await countRows(store, tableOf(path))
      if (stored !== payloads.length * groupRows) failures.push(`inserts of ${groupRows} rows (${path}) stored ${stored} rows, expected ${payloads.length * groupRows}`)
      log(`insert cost (${path}): ${payloads.length} × ${groupRows} rows, ${((load.wallSeconds / payloads.length) * 1000).toFixed(1)} ms each`)
    }

    // Ceiling: every sample row as ONE payload, per path, into empty tables; the caller keeps the best of each.
    const compact = lines.join('\n')
    const eachRow = toEachRow(compact)
    const payloadOf: Record<InsertPath, string | Buffer> = {
      'each-row': eachRow,
      compact,
      'compact-set-statements': compact,
      'each-row-raw': Buffer.from(eachRow),
      'compact-no-views': compact,
    }
    const sent = { lo: Infinity, hi: -Infinity }
    for (const r of rows) {
      sent.lo = Math.min(sent.lo, r.tsMs)
      sent.hi = Math.max(sent.hi, r.tsMs)
    }
    const ceiling: CeilingRun[] = []
    for (let repeat = 0; repeat < options.ceilingRepeats; repeat++) {
      for (const path of Object.keys(send) as InsertPath[]) {
        await truncateAll(store)
        const stop = startPhaseLoad()
        await send[path](payloadOf[path], `bench-ceiling-${token++}`)
        const load = stop()
        ceiling.push({ path, bytes: Buffer.byteLength(payloadOf[path]), load })
        const stored = await countRows(store, tableOf(path))
        if (stored !== records) failures.push(`ceiling insert (${path}) stored ${stored} rows, expected ${records}`)
        if (repeat === 0) {
          // The stored instants must be the ones sent: DateTime64(3) read from epoch milliseconds in every format.
          const [span] = await store.queryRows<{ lo: number; hi: number }>(`SELECT toUnixTimestamp64Milli(min(ts)) AS lo, toUnixTimestamp64Milli(max(ts)) AS hi FROM ${tableOf(path)}`)
          if (Number(span?.lo) !== sent.lo || Number(span?.hi) !== sent.hi) failures.push(`ceiling insert (${path}) stored ts from ${span?.lo} to ${span?.hi}, sent ${sent.lo} to ${sent.hi}`)
        }
        log(`ceiling ${path} #${repeat + 1}: ${Math.round(records / load.wallSeconds)} rows/s (other processes: ${load.otherCores.toFixed(2)} cores)`)
      }
    }
    const [source] = await store.queryRows<{ views: string[] }>(`SELECT dependencies_table AS views FROM system.tables WHERE database = {db:String} AND name = {name:String}`, {
      db: store.ctx.database,
      name: insert.table,
    })
    return { engine: { stages: stages!, insertCosts, ceiling, insert, views: [...(source?.views ?? [])].sort() }, failures }
  } finally {
    await store.close()
  }
}
