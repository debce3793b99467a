import type { Config, HighwayEnv } from '../config/index.ts'
import { DataSourceError, parseDataArgument, reproduceVersion, resolveTraining, trainModel, TrainingConfigError, TrainingError, type TrainingEvent, type TrainingRegistry } from '../pipeline/train/index.ts'
import { createRegistry, RegistryError, type Registry } from '../registry/index.ts'
import { openStore, type Store } from '../store/index.ts'
import type { Command } from './command-context.ts'
import { createProgressBar, type ProgressSink } from './progress.ts'
import { createRemoteTrainingRegistry } from './remote-registry.ts'

/** What `highway train` was asked to do. */
export type TrainCommand =
  | {
      readonly kind: 'train'
      readonly model: string
      readonly data?: string
      readonly target?: string
      readonly json: boolean
      /** Register through the service at this URL instead of opening the data directory. */
      readonly url?: string
      readonly apiKey?: string
    }
  | { readonly kind: 'reproduce'; readonly model: string; readonly version: string; readonly json: boolean }

/** Output and exit code of a train command. */
export interface CommandResult {
  readonly exitCode: number
  readonly output: string
}

const round = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : String(Number(v.toPrecision(5))))

/** Opens the configured store as `highway migrate` does: embedded under storage.dataDir, or CLICKHOUSE_URL. */
function openConfiguredStore(config: Config): Promise<Store> {
  const s = config.storage
  return openStore(
    s.url
      ? { mode: 'server', url: s.url, user: s.user, password: s.password, database: s.database, retentionDays: s.retentionDays, ...(s.cluster ? { cluster: s.cluster } : {}) }
      : { mode: 'embedded', dataDir: s.dataDir, database: s.database, retentionDays: s.retentionDays },
  )
}

/** Whether opening the store failed because another process (a running `highway start`) holds chDB's lock. */
export function isDataDirLocked(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown } | null
  if (!e || typeof e !== 'object') return false
  if (e.code === 'CHDB_CONNECTION' || (typeof e.message === 'string' && /Cannot lock file|Failed to create connection for path/.test(e.message))) return true
  return e.cause !== undefined && e.cause !== err && isDataDirLocked(e.cause)
}

/** The message for a locked data directory, naming the way out. */
function lockedMessage(config: Config): string {
  return `the data directory ${config.storage.dataDir} is in use by another process (chDB locks it: is \`highway start\` running on it?). Train beside the running service with --url http://HOST:PORT (or HIGHWAY_URL) and an operate key (--api-key or HIGHWAY_API_KEY); the service registers the version.`
}

/** Marks what killed runs left behind failed (burnt version numbers, runs without an outcome) and says so. */
async function recoverBeforeTraining(registry: Registry, progress: ProgressSink): Promise<void> {
  const found = await registry.recoverAbandoned()
  for (const c of found.claims) progress.write(`marked failed: ${c.model} ${c.reason}\n`)
  for (const r of found.runs) progress.write(`marked failed: ${r.model} training run ${r.runId}: ${r.reason}\n`)
}

function progressHandler(sink: ProgressSink): { onProgress: (e: TrainingEvent) => void; finish: () => void } {
  const bar = createProgressBar(sink)
  let stage = ''
  return {
    onProgress: (e) => {
      if (e.stage === 'search') {
        stage = 'search'
        bar.update({ done: e.done, total: e.total, label: 'trials', figures: e.best === null ? {} : { best: e.best } })
      } else if (e.stage === 'fit') {
        stage = 'fit'
        bar.update({ done: e.epoch, total: Math.max(e.epoch, e.epochs), label: 'refit', figures: { loss: e.loss } })
      } else {
        if (stage === 'search' || stage === 'fit') bar.finish()
        stage = e.stage
        if (sink.isTTY) sink.write(`${e.stage}: ${e.detail}\n`)
      }
    },
    finish: () => bar.finish(),
  }
}

/**
 * Runs `highway train --model M [--data F] [--target COL]` or `highway train --reproduce M V` against the
 * configured store and artifact directory. Exit codes: 0 trained and eligible for release (or reproduced exactly);
 * 1 a gate failed, the run stopped (data, quality, search, parity) or the reproduction differs; 2 bad usage or
 * config.
 */
export async function runTrainCommand(config: Config, command: TrainCommand, io: { progress: ProgressSink; cwd?: string; now?: () => number; env?: HighwayEnv }): Promise<CommandResult> {
  const model = config.models.find((m) => m.name === command.model)
  if (!model) return { exitCode: 2, output: `no model "${command.model}" in the config (models: ${config.models.map((m) => m.name).join(', ') || 'none'})` }
  const now = io.now ?? Date.now
  let store: Store | undefined
  try {
    if (command.kind === 'reproduce') {
      const version = Number(command.version)
      if (!Number.isInteger(version) || version < 1) return { exitCode: 2, output: `--reproduce ${command.model} VERSION: the version must be a positive integer, got ${JSON.stringify(command.version)}` }
      try {
        store = await openConfiguredStore(config)
      } catch (err) {
        if (isDataDirLocked(err)) return { exitCode: 2, output: `--reproduce reads the recorded data through the store: ${lockedMessage(config)}`.replace(/ Train beside.*$/, ' Stop the service or use a ClickHouse server (CLICKHOUSE_URL).') }
        throw err
      }
      const registry = createRegistry({ store, artifactsDir: config.registry.artifactsDir })
      const report = await reproduceVersion({ registry, store, model: model.name, version })
      const text = [
        `${report.model} version ${report.version} from ${report.source}`,
        `dataset   ${report.dataset.matches ? 'matches' : 'DIFFERS'}  recorded ${report.dataset.recorded.slice(0, 12)}  now ${report.dataset.reproduced.slice(0, 12)}`,
        ...report.metrics.map((m) => `${m.metric.padEnd(9)} ${m.matches ? 'matches' : 'DIFFERS'}  recorded ${round(m.recorded)}  reproduced ${round(m.reproduced)}`),
        `artifact  ${report.artifact.matches ? 'identical bytes' : report.artifact.reproduced === null ? 'not rebuilt' : 'different bytes'}`,
        report.matches ? 'reproduced' : 'NOT reproduced',
      ].join('\n')
      return { exitCode: report.matches ? 0 : 1, output: command.json ? JSON.stringify(report) : text }
    }
    const training = resolveTraining(model, command.target !== undefined ? { target: command.target } : {})
    const dataArg = command.data ?? training.data.path
    if (dataArg === undefined) return { exitCode: 2, output: `--data is required (or set models.${model.name}.training.data.path)` }
    const source = parseDataArgument(dataArg, now(), io.cwd)
    let url = command.url
    if (url === undefined) {
      try {
        store = await openConfiguredStore(config)
      } catch (err) {
        if (!isDataDirLocked(err)) throw err
        url = io.env?.HIGHWAY_URL
        if (url === undefined) return { exitCode: 2, output: command.json ? JSON.stringify({ ok: false, stage: 'config', error: lockedMessage(config) }) : lockedMessage(config) }
        io.progress.write(`the data directory is in use; registering through ${url} (HIGHWAY_URL)\n`)
      }
    }
    if (url !== undefined && source.kind === 'clickhouse') {
      return { exitCode: 2, output: `--data ${dataArg}: a stored window is read through the store, which the service at ${url} holds; export the rows to a file, or train where the store opens (a ClickHouse server with CLICKHOUSE_URL)` }
    }
    let registry: TrainingRegistry
    if (store) {
      const local = createRegistry({ store, artifactsDir: config.registry.artifactsDir })
      await recoverBeforeTraining(local, io.progress)
      registry = local
    } else {
      const apiKey = command.apiKey ?? io.env?.HIGHWAY_API_KEY
      registry = createRemoteTrainingRegistry({ url: url!, ...(apiKey ? { apiKey } : {}) }, model.name)
    }
    const progress = progressHandler(io.progress)
    let report
    try {
      report = await trainModel({ model, training, source, ...(store ? { store } : {}), registry, now, retentionDays: config.storage.retentionDays, onProgress: progress.onProgress })
    } finally {
      progress.finish()
    }
    const failed = report.gates.filter((g) => !g.passed)
    const text = [
      `${report.model} version ${report.version} registered${report.eligible ? '' : ' — NOT eligible for release'} (${(report.timingsMs.total! / 1000).toFixed(1)} s)`,
      `data      ${report.dataset.source}: ${report.dataset.rows.valid} valid of ${report.dataset.rows.total} rows (train ${report.dataset.rows.train}, validation ${report.dataset.rows.validation}, holdout ${report.dataset.rows.holdout}); dataset ${report.dataset.version.slice(0, 12)}`,
      `search    ${report.search.trials.length} trial(s), best ${JSON.stringify(report.search.best.params)} ${report.search.metric} ${round(report.search.best.score)} on validation`,
      `holdout   ${Object.entries(report.metrics).filter(([k]) => k !== 'rows' && k !== 'positives').map(([k, v]) => `${k} ${round(v)}`).join('  ')}`,
      `onnx      parity max |Δ| ${report.parity.maxAbsDiff.toExponential(2)}; latency p50 ${round(report.latency.singleRow.p50Ms)} ms, p99 ${round(report.latency.singleRow.p99Ms)} ms, batch ${Math.round(report.latency.batch.rowsPerSecond)} rows/s`,
      ...report.gates.map((g) => `gate ${g.gate.padEnd(13)} ${g.passed ? 'passed' : 'FAILED'}  ${g.reason}`),
      ...(report.importance ? [`importance ${report.importance.slice(0, 5).map((i) => `${i.feature} ${round(i.mean)}`).join('  ')}`] : []),
    ].join('\n')
    const json = JSON.stringify({ ok: failed.length === 0, ...report })
    return { exitCode: report.eligible ? 0 : 1, output: command.json ? json : text }
  } catch (err) {
    if (err instanceof TrainingConfigError || err instanceof DataSourceError) return { exitCode: 2, output: command.json ? JSON.stringify({ ok: false, stage: 'config', error: err.message }) : err.message }
    if (err instanceof TrainingError) return { exitCode: 1, output: command.json ? JSON.stringify({ ok: false, stage: err.code, error: err.message, details: err.details }) : `training stopped (${err.code}): ${err.message}` }
    if (err instanceof RegistryError && err.code === 'not_found') return { exitCode: 1, output: command.json ? JSON.stringify({ ok: false, stage: 'registry', error: err.message }) : err.message }
    throw err
  } finally {
    await store?.close()
  }
}

/** `highway train --model M` or `highway train --reproduce M V`; exit 0 registered and eligible, 1 failed, 2 usage. */
export const trainCommand: Command = async ({ args, help, env, stdout, stderr, config: resolveConfig }) => {
  const json = args.values.json ?? false
  const reproduce = args.values.reproduce
  if (reproduce !== undefined ? args.positionals.length !== 1 || args.values.model !== undefined : !args.values.model || args.positionals.length > 0) {
    stderr.write(`highway train: give --model M, or --reproduce M V\n\n${help}\n`)
    return 2
  }
  const config = await resolveConfig()
  const result = await runTrainCommand(
    config,
    reproduce !== undefined
      ? { kind: 'reproduce', model: reproduce, version: args.positionals[0]!, json }
      : {
          kind: 'train',
          model: args.values.model!,
          json,
          ...(args.values.data ? { data: args.values.data } : {}),
          ...(args.values.target ? { target: args.values.target } : {}),
          ...(args.values.url ? { url: args.values.url } : {}),
          ...(args.values['api-key'] ? { apiKey: args.values['api-key'] } : {}),
        },
    { progress: stderr, env },
  )
  ;(result.exitCode === 2 ? stderr : stdout).write(`${result.output}\n`)
  return result.exitCode
}
