import { tableName, toStoreError, type Store } from '../store/index.ts'
import type { RunFilter, RunRecord, RunStatus, RunTrigger, RunbookStore, StepRecord, StepStatus } from './ports.ts'

// The runbooks component's ClickHouse adapter over the tables of migration 13. Values go in as parameters or
// JSONEachRow; times as epoch ms. The newest row per run (highest seq; of a duplicated seq the first inserted) wins.

type Row = Record<string, unknown>
const iso = (v: number): string => new Date(v).toISOString()
const json = (v: unknown): string => JSON.stringify(v ?? {})
const parse = <T>(v: unknown, fallback: T): T => {
  try {
    return JSON.parse(String(v)) as T
  } catch {
    return fallback
  }
}

const RUN_COLUMNS = `id, seq, runbook, model, status, dry_run, trigger, reason, step, approved, detail, owner,
  toUnixTimestamp64Milli(created_at) AS created_ms, toUnixTimestamp64Milli(updated_at) AS updated_ms, toUnixTimestamp64Milli(finished_at) AS finished_ms`

function toRun(r: Row): RunRecord {
  return {
    id: String(r.id),
    seq: Number(r.seq),
    runbook: String(r.runbook),
    model: String(r.model),
    status: String(r.status) as RunStatus,
    dryRun: Number(r.dry_run) === 1,
    trigger: parse<RunTrigger>(r.trigger, { kind: 'manual', actor: '' }),
    reason: String(r.reason),
    step: Number(r.step),
    approved: ((r.approved as unknown[] | undefined) ?? []).map(Number),
    detail: parse<Record<string, unknown>>(r.detail, {}),
    owner: String(r.owner),
    createdAtMs: Number(r.created_ms),
    updatedAtMs: Number(r.updated_ms),
    finishedAtMs: r.finished_ms === null || r.finished_ms === undefined ? null : Number(r.finished_ms),
  }
}

function toStep(r: Row): StepRecord {
  return {
    runId: String(r.run_id),
    index: Number(r.idx),
    seq: Number(r.seq),
    action: String(r.action),
    name: String(r.name),
    status: String(r.status) as StepStatus,
    input: parse<Record<string, unknown>>(r.input, {}),
    output: parse<Record<string, unknown>>(r.output, {}),
    error: String(r.error),
    startedAtMs: Number(r.started_ms),
    finishedAtMs: r.finished_ms === null || r.finished_ms === undefined ? null : Number(r.finished_ms),
  }
}

/** The runbook store over ClickHouse (embedded chDB or a server: the same SQL). */
export function createClickHouseRunbookStore(store: Store): RunbookStore {
  const runs = tableName(store.ctx, 'runbook_runs')
  const steps = tableName(store.ctx, 'runbook_steps')
  const insert = async (table: string, row: Row, token: string): Promise<void> => {
    try {
      await store.client.insert({ table, values: [row], format: 'JSONEachRow', clickhouse_settings: { date_time_input_format: 'best_effort', insert_deduplicate: 1, insert_deduplication_token: token } })
    } catch (err) {
      throw toStoreError(err, `insert ${table}`)
    }
  }
  return {
    async claim(run) {
      await insert(
        runs,
        {
          id: run.id,
          seq: run.seq,
          runbook: run.runbook,
          model: run.model,
          status: run.status,
          dry_run: run.dryRun ? 1 : 0,
          trigger: json(run.trigger),
          reason: run.reason,
          step: run.step,
          approved: run.approved,
          detail: json(run.detail),
          owner: run.owner,
          created_at: iso(run.createdAtMs),
          updated_at: iso(run.updatedAtMs),
          finished_at: run.finishedAtMs === null ? null : iso(run.finishedAtMs),
        },
        `runbook-run/${run.id}/${run.seq}`,
      )
      const [kept] = await store.queryRows<{ owner: string }>(`SELECT owner FROM ${runs} WHERE id = {id:String} AND seq = {seq:UInt32} ORDER BY inserted_at, owner LIMIT 1`, { id: run.id, seq: run.seq })
      return kept?.owner === run.owner
    },
    async saveStep(s) {
      await insert(
        steps,
        {
          run_id: s.runId,
          idx: s.index,
          seq: s.seq,
          action: s.action,
          name: s.name,
          status: s.status,
          input: json(s.input),
          output: json(s.output),
          error: s.error.slice(0, 4000),
          started_at: iso(s.startedAtMs),
          finished_at: s.finishedAtMs === null ? null : iso(s.finishedAtMs),
        },
        `runbook-step/${s.runId}/${s.index}/${s.seq}`,
      )
    },
    async getRun(id) {
      const [row] = await store.queryRows<Row>(`SELECT ${RUN_COLUMNS} FROM ${runs} WHERE id = {id:String} ORDER BY seq DESC, inserted_at ASC LIMIT 1`, { id })
      return row ? toRun(row) : undefined
    },
    async listRuns(f: RunFilter) {
      const rows = await store.queryRows<Row>(
        `SELECT * FROM (
           SELECT ${RUN_COLUMNS} FROM ${runs}
           WHERE ({model:String} = '' OR model = {model:String})
             AND ({runbook:String} = '' OR runbook = {runbook:String})
             AND ({limited:UInt8} = 0 OR model IN {models:Array(String)})
           ORDER BY id, seq DESC, inserted_at ASC LIMIT 1 BY id)
         WHERE length({statuses:Array(String)}) = 0 OR status IN {statuses:Array(String)}
         ORDER BY created_ms DESC, id
         LIMIT {limit:UInt32}`,
        { model: f.model ?? '', runbook: f.runbook ?? '', limited: f.models ? 1 : 0, models: f.models ?? [], statuses: f.statuses ?? [], limit: f.limit ?? 1000 },
      )
      return rows.map(toRun)
    },
    async steps(runId) {
      const rows = await store.queryRows<Row>(
        `SELECT run_id, idx, seq, action, name, status, input, output, error, toUnixTimestamp64Milli(started_at) AS started_ms, toUnixTimestamp64Milli(finished_at) AS finished_ms
         FROM ${steps} WHERE run_id = {run:String} ORDER BY idx, seq DESC, inserted_at ASC LIMIT 1 BY idx`,
        { run: runId },
      )
      return rows.map(toStep)
    },
  }
}
