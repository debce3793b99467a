import type { Config } from '../config/index.ts'
import { latestAnalysisResult, savedResultsEndingIn, tableName, type Store } from '../store/index.ts'
import type { Registry } from '../registry/index.ts'
import { releaseRequestSchema, type ReleaseController } from '../serving/releases/index.ts'
import { createFreezeCheck, createManualFreeze, type SloStatus } from '../slo/index.ts'
import { resolveTraining, trainModel, type TrainingRegistry } from '../pipeline/train/index.ts'
import { signBody } from '../alerts/index.ts'
import { RunbookRefusal, type ConditionPort, type FreezePort, type MeasurePort, type NotifyPort, type ReleasePort, type RetrainPort, type RollbackPort } from '../runbooks/index.ts'

// The runbooks component's ports over the real components, built in the composition root (cli/service.ts): the
// release controller (rollback, canary), the model pipeline (trainModel on a stored window), the release policy
// (budget freezes and the manual freeze), the alerting receivers, the SLO evaluation and the analyzer's results.

/** Everything the adapters read. */
export interface RunbookPortDeps {
  readonly config: Config
  readonly store: Store
  readonly registry: Registry
  readonly releases: ReleaseController
  readonly now: () => number
  /** The SLO statuses at `nowMs` (absent without SLOs). */
  readonly sloStatuses?: (nowMs: number) => Promise<readonly SloStatus[]>
}

const count = async (store: Store, sql: string, params: Record<string, unknown>): Promise<number> => Number((await store.queryRows<{ n: number }>(sql, params))[0]?.n ?? 0)

/** A dotted path into a saved result: `dataset.drift_share`, `realised.mae`, `estimated.mae.value`. */
function pick(value: unknown, path: string): number | null {
  let node = value
  for (const k of path.split('.')) {
    if (node === null || typeof node !== 'object') return null
    node = (node as Record<string, unknown>)[k]
  }
  return typeof node === 'number' && Number.isFinite(node) ? node : null
}

/** `3600` → `1h`: the key of an SLO status' `burn_rates`. */
const windowKey = (seconds: number): string => (seconds % 86_400 === 0 ? `${seconds / 86_400}d` : seconds % 3600 === 0 ? `${seconds / 3600}h` : seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`)

/** The step ports of the runbooks component over this process's components. */
export function createRunbookPorts(d: RunbookPortDeps): { rollback: RollbackPort; release: ReleasePort; retrain: RetrainPort; freeze: FreezePort; notify: NotifyPort; measure: MeasurePort; conditions: ConditionPort } {
  const { store, registry, releases, config } = d
  const t = (n: string): string => tableName(store.ctx, n)
  const manual = createManualFreeze(store)
  const labelledInWindow = (model: string, w: { fromMs: number; toMs: number }): Promise<number> =>
    count(
      store,
      `SELECT count() AS n FROM (SELECT DISTINCT id FROM ${t('predictions')} WHERE model = {model:String} AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64}))
       WHERE id IN (SELECT id FROM ${t('labels')} WHERE model = {model:String})`,
      { model, from: w.fromMs, to: w.toMs },
    )
  return {
    rollback: { rollback: (model, o) => releases.rollback(model, o) },
    release: {
      async start(model, o, actor) {
        const req = releaseRequestSchema.parse({ version: o.version, strategy: o.strategy, note: o.note, ...(o.steps ? { steps: o.steps } : {}), ...(o.intervalSeconds ? { intervalSeconds: o.intervalSeconds } : {}) })
        return { releaseId: (await releases.start(model, req, actor)).id }
      },
      async state(model, id) {
        const r = await releases.get(model, id)
        if (!r) return 'unknown'
        return r.state === 'promoted' || r.state === 'passed' ? 'promoted' : r.state === 'rolled_back' ? 'rolled_back' : r.state === 'aborted' ? 'failed' : 'running'
      },
    },
    retrain: {
      labelCount: labelledInWindow,
      async retrain(o) {
        const model = config.models.find((m) => m.name === o.model)
        if (!model) throw new RunbookRefusal(`model "${o.model}" is not configured`)
        // The reason goes on the version's lineage (its registry description), next to what trainModel writes.
        const training: TrainingRegistry = {
          ...registry,
          registerVersion: (name, onnx, metadata, options) => registry.registerVersion(name, onnx, { ...metadata, description: `${metadata.description ?? ''}; ${o.reason}`.slice(0, 2000) }, options),
        }
        const report = await trainModel({
          model,
          training: resolveTraining(model, {}),
          source: { kind: 'clickhouse', fromMs: o.window.fromMs, toMs: o.window.toMs, labelsUntilMs: d.now() },
          store,
          registry: training,
          now: d.now,
          actor: o.actor,
          retentionDays: config.storage.retentionDays,
        })
        return { version: report.version, eligible: report.eligible, gates: report.gates.map((g) => ({ gate: g.gate, passed: g.passed, reason: g.reason })), champion: report.champion?.version ?? null, metrics: { ...report.metrics } }
      },
    },
    freeze: { isFrozen: createFreezeCheck(store), freeze: (m, r, at) => manual.freeze(m, r, at), unfreeze: (m, r, at) => manual.unfreeze(m, r, at) },
    notify: {
      async notify(n) {
        const receiver = n.receiver === undefined ? undefined : config.alerting.receivers.find((r) => r.name === n.receiver)
        const url = n.webhook ?? receiver?.url
        if (!url) throw new RunbookRefusal(`no alerting receiver named "${n.receiver ?? ''}" (config alerting.receivers)`)
        const body = JSON.stringify({ kind: 'runbook', runbook: n.runbook, run: n.runId, model: n.model, message: n.message })
        // Signed as the alerts receivers' own posts are, so the receiving end checks one signature.
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(receiver?.secret ? { 'x-highway-signature': signBody(body, receiver.secret) } : {}) },
          body,
          signal: AbortSignal.timeout(10_000),
        })
        if (!res.ok) throw new Error(`${n.receiver ?? url} answered ${res.status}`)
      },
    },
    measure: {
      async read(model, m, nowMs) {
        if (m.kind === 'analyzer') return pick((await latestAnalysisResult(store, { job: m.job!, model, version: '' }))?.result, m.measure!)
        const status = (await d.sloStatuses?.(nowMs))?.find((s) => s.name === m.slo)
        if (!status) return null
        if (m.kind === 'sli') return status.sli.ratio
        if (m.window !== undefined) return status.burn_rates[windowKey(m.window)] ?? null
        const rates = Object.values(status.burn_rates).filter((v): v is number => v !== null)
        return rates.length === 0 ? null : Math.max(...rates)
      },
    },
    conditions: {
      async driftResults(model, n, nowMs) {
        const saved = await savedResultsEndingIn(store, { job: 'drift', model, version: '', fromMs: 0, toMs: nowMs })
        return saved.slice(-n).reverse().map((s) => (s.result as { dataset?: { drifted?: boolean } } | null)?.dataset?.drifted === true)
      },
      async performance(model, metric) {
        const r = (await latestAnalysisResult(store, { job: 'performance', model, version: '' }))?.result
        const realised = pick(r, `realised.${metric}`)
        if (realised !== null) return { value: realised, estimated: false }
        const estimated = pick(r, `estimated.${metric}.value`)
        return estimated === null ? null : { value: estimated, estimated: true }
      },
      async labelsSinceTraining(model) {
        const champion = await registry.resolveAlias(model, 'champion')
        if (champion === undefined) return null
        const v = await registry.requireVersion(model, champion)
        const source = (v.parameters as { source?: { kind?: string; toMs?: number } }).source
        const endMs = source?.kind === 'clickhouse' && typeof source.toMs === 'number' ? source.toMs : v.createdAtMs
        return count(store, `SELECT count() AS n FROM ${t('labels')} WHERE model = {model:String} AND received_at > fromUnixTimestamp64Milli({end:Int64})`, { model, end: endMs })
      },
    },
  }
}
