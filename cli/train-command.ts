import type { Config } from '../config/index.ts'
import { DataSourceError, parseDataArgument, reproduceVersion, resolveTraining, trainModel, TrainingConfigError, TrainingError, type TrainingEvent } from '../pipeline/train/index.ts'
import { createRegistry, RegistryError } from '../registry/index.ts'
import { openStore, type Store } from '../store/index.ts'
import { createProgressBar, type ProgressSink } from './progress.ts'

/** What `highway train` was asked to do. */
export type TrainCommand =
  | { readonly kind: 'train'; readonly model: string; readonly data?: string; readonly target?: string; readonly json: boolean }
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
export async function runTrainCommand(config: Config, command: TrainCommand, io: { progress: ProgressSink; cwd?: string; now?: () => number }): Promise<CommandResult> {
  const model = config.models.find((m) => m.name === command.model)
  if (!model) return { exitCode: 2, output: `no model "${command.model}" in the config (models: ${config.models.map((m) => m.name).join(', ') || 'none'})` }
  const now = io.now ?? Date.now
  let store: Store | undefined
  try {
    if (command.kind === 'reproduce') {
      const version = Number(command.version)
      if (!Number.isInteger(version) || version < 1) return { exitCode: 2, output: `--reproduce ${command.model} VERSION: the version must be a positive integer, got ${JSON.stringify(command.version)}` }
      store = await openConfiguredStore(config)
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
    store = await openConfiguredStore(config)
    const registry = createRegistry({ store, artifactsDir: config.registry.artifactsDir })
    const progress = progressHandler(io.progress)
    let report
    try {
      report = await trainModel({ model, training, source, store, registry, now, retentionDays: config.storage.retentionDays, onProgress: progress.onProgress })
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
