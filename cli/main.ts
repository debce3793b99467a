import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { setFlagsFromString } from 'node:v8'
import { ConfigError, loadConfig, readEnv, type Config } from '../config/index.ts'
import { allStatements, openStore } from '../store/index.ts'
import { createLogger } from './logger.ts'
import { COMPONENTS, startService, type Component } from './service.ts'
import { runDemo } from './demo.ts'
import { runAnalysisCommand } from './analysis-commands.ts'
import { connect } from './remote.ts'
import { loadSloDirectory, ruleSlosFromSpecs, validateSloCommand, writeRuleFiles, type SloStatus } from '../slo/index.ts'
import { renderSlos } from './slo-commands.ts'
import { connectModelRemote, parseSteps, runModelsCommand, runReleaseCommand, runRollbackCommand } from './model-commands.ts'
import { DEFAULT_REPORT_BUCKETS, MAX_REPORT_BUCKETS, parseBucketCount, runReportCommand } from './report-command.ts'
import { runTrainCommand } from './train-command.ts'

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

const COMMON = `Common options:
  --config F      YAML config file (or HIGHWAY_CONFIG)
  --data-dir D    embedded ClickHouse data directory (default ./data, or HIGHWAY_DATA_DIR)
  --json          print one JSON document instead of text
  -h, --help      this help`

const ANALYSIS_HELP = (command: string, what: string): string => `Usage: highway ${command} --model M [--from T] [--to T] [--version V] [--url U] [--api-key K] [--json]

Asks a running Highway for ${what}.
  --model M       model name (required)
  --from T, --to T  window as ISO-8601 or epoch ms (default: the model's analysis.window ending now)
  --version V     one model version (default: all)
  --url U         service URL (default HIGHWAY_URL or http://127.0.0.1:8080)
  --api-key K     bearer key with the read scope (default HIGHWAY_API_KEY)
  --json          print the API's JSON document
  -h, --help      this help`

const HELP: Record<string, string> = {
  main: `highway ${VERSION} — observability and SRE for machine-learning systems

Usage: highway <command> [options]

Commands:
  start [component…]  run the service (components: ${COMPONENTS.join(', ')}; default all)
  migrate             apply storage migrations (--print shows the DDL, --cluster NAME for a cluster)
  demo                run the end-to-end demo on the embedded store and print what it saw
  slo validate DIR    check OpenSLO v1 specs (default: the config's slos: directory)
  rules --out DIR     write Sloth-style Prometheus rules for Prometheus-sourced SLOs (see rules --help)
  drift               drift of a model's window against its reference (from a running service)
  quality             data quality of a window (from a running service)
  performance         realised and estimated performance of a window (from a running service)
  report              one self-contained HTML page: drift, histograms, quality and performance over time
  train               train, check and register a model version (--reproduce M V retrains a recorded one)
  models [list|show M]  registered versions, aliases and releases (from a running service)
  release             start a canary, shadow or blue/green release of a registered version
  rollback            move a model's champion back to the previous good version

Storage is embedded ClickHouse (chDB) under --data-dir unless CLICKHOUSE_URL is set
(with CLICKHOUSE_USER, CLICKHOUSE_PASSWORD, CLICKHOUSE_DATABASE).

${COMMON}`,
  start: `Usage: highway start [component…] [--config F] [--data-dir D] [--host H] [--port P]

Runs the given components in one process (default: all of ${COMPONENTS.join(', ')}).
Without API keys in the config it listens on loopback only.

  --host H        bind address (default 127.0.0.1, or HIGHWAY_HOST)
  --port P        port (default 8080, or HIGHWAY_PORT; 0 picks a free one)
${COMMON}`,
  migrate: `Usage: highway migrate [--print] [--cluster NAME] [--config F] [--data-dir D]

Applies pending numbered migrations and records them in schema_migrations.
  --print         print the DDL instead of applying it
  --cluster NAME  generate ON CLUSTER DDL with Replicated and Distributed tables
${COMMON}`,
  slo: `Usage: highway slo validate [DIR] [--config F] [--json]
       highway slo list | show NAME [--url U] [--api-key K] [--json]

list/show ask a running Highway for each SLO's SLI, error budget, burn rates and alerts.

Checks every OpenSLO v1 document (SLO, SLI, AlertPolicy, AlertCondition, Service, DataSource) under DIR
(default: the config's slos: directory), resolves references, and with --config also checks models,
features and metrics. Exit code 1 when a spec is invalid; each error names the file, the path and the rule.
  --json          print one JSON document
  -h, --help      this help`,
  rules: `Usage: highway rules --out DIR [--slos DIR] [--period-sli exact|sloth-optimized] [--config F] [--json]

Writes one Prometheus rule file per objective of each Prometheus-sourced SLO (ratio SLI, rolling window) into
DIR: the 8 SLI and 7 meta recording rules as Sloth generates them (sloth_id <service>-<slo>-<objective index>),
and one multiwindow multi-burn-rate alert per AlertPolicy (its name, labels, annotations, alertAfter as for:),
or Sloth's default page and ticket alerts without policies. Other SLOs are listed as skipped: Highway evaluates them.
  --out DIR       where to write (created when missing)
  --slos DIR      OpenSLO directory (default: the config's slos:)
  --period-sli M  exact (default): the period SLI is errors over events of the whole period (a ratio of
                  sums, what the budget means); sloth-optimized: the mean of the 5m ratios, as Sloth writes it
                  (cheaper for Prometheus, but a quiet 5 minutes weighs as much as a busy one)
  --json          print {files, skipped}
  -h, --help      this help`,
  drift: ANALYSIS_HELP('drift', 'per-feature drift tests, dataset drift share, prediction and multivariate drift'),
  quality: ANALYSIS_HELP('quality', 'missing, out-of-range, type errors, unseen categories, volume, freshness, label coverage'),
  performance: ANALYSIS_HELP('performance', 'realised metrics on labelled rows and CBPE estimates until labels arrive'),
  report: `Usage: highway report --model M [--from T] [--to T] [--version V] [--buckets N] [--out F] [--url U] [--api-key K] [--json]

Asks a running Highway for a window's drift, and for data quality and performance per bucket of it,
and writes one self-contained HTML page (inline CSS and SVG: no script, no CDN, opens offline).
  --model M       model name (required)
  --from T, --to T  window as ISO-8601 or epoch ms (default: the model's analysis.window ending now)
  --version V     one model version (default: all)
  --buckets N     buckets of the "over time" charts, 1 to ${MAX_REPORT_BUCKETS} (default ${DEFAULT_REPORT_BUCKETS})
  --out F         file to write (default report-<model>.html)
  --url U         service URL (default HIGHWAY_URL or http://127.0.0.1:8080)
  --api-key K     bearer key with the read scope (default HIGHWAY_API_KEY)
  --json          print a JSON document (path, window, drift verdict) instead of the path
  -h, --help      this help`,
  models: `Usage: highway models [list] [--json]
       highway models show M [--json]

list: every configured model with its registered versions, newest version and champion.
show: a model's versions (aliases, lineage, gates, metrics) and its recent releases.
  --url U         service URL (default HIGHWAY_URL or http://127.0.0.1:8080)
  --api-key K     bearer key (default HIGHWAY_API_KEY) with the read scope
  --json          print the API's JSON document
  -h, --help      this help`,
  release: `Usage: highway release --model M --version V --strategy canary|shadow|bluegreen [--fix] [--steps 5,25,50,100] [--interval S] [--json]

Starts a release of a registered version on a running Highway:
  canary     traffic weights step up (default 5, 25, 50, 100%), each judged against the champion (errors,
             p99 latency, prediction drift, accuracy when labelled); failures roll back, success promotes
  shadow     a share of requests is mirrored to the version (responses never change); success makes it the challenger
  bluegreen  the champion switches at once; the old version stays loaded for an instant rollback
Refused (409) while the model's error budget policy freezes releases, unless --fix.
  --model M, --version V, --strategy S   required
  --fix           the release is a fix: allowed while frozen
  --steps LIST    canary weights or shadow shares in percent
  --interval S    seconds between analyses (default 60)
  --url U         service URL (default HIGHWAY_URL or http://127.0.0.1:8080)
  --api-key K     bearer key (default HIGHWAY_API_KEY) with the operate scope
  --json          print the API's JSON document
  -h, --help      this help`,
  rollback: `Usage: highway rollback --model M [--to V] [--json]

Moves the model's champion back to the previous good version (or to V), stopping a running canary or shadow
first. Repeating it is a no-op that says so; with nothing to roll back to it is refused (409). Audited.
  --model M       model name (required)
  --to V          the version to go back to (default: the previous good champion)
  --url U         service URL (default HIGHWAY_URL or http://127.0.0.1:8080)
  --api-key K     bearer key (default HIGHWAY_API_KEY) with the operate scope
  --json          print the API's JSON document
  -h, --help      this help`,
  train: `Usage: highway train --model M [--data F] [--target COL] [--config C] [--data-dir D] [--json]
       highway train --reproduce M V [--config C] [--data-dir D] [--json]

Trains model M as its config's training block says (examples/highway.yaml): load and validate the data, data
quality gates (shift against the champion's training set), split, search, refit, holdout metrics, ONNX export
checked against the TypeScript forward pass, latency, release gates, permutation importance, and registers the
version in the store (embedded under --data-dir, or CLICKHOUSE_URL) with its lineage and the analyzer's
reference set. A version that fails a release gate is registered but not eligible for release.
  --model M       model name in the config (required)
  --data F        CSV/TSV/NDJSON file (default training.data.path), or stored, labelled predictions:
                  clickhouse:30d (last 30 days; m h d w) or clickhouse:FROM..TO (ISO-8601 or epoch ms),
                  optionally ending in @VERSION for one served version
  --target COL    target column (overrides training.target)
  --reproduce M V retrain version V of model M from its lineage (same data, hashed again; same parameters
                  and seed) and report per metric whether it matches
Exit code 0: registered and eligible (or reproduced); 1: a gate failed, the run stopped, or the
reproduction differs; 2: bad usage or config. A terminal shows progress; --json prints one JSON document.
${COMMON}`,
  demo: `Usage: highway demo [--data-dir D] [--rows N] [--json]

Starts Highway on a free loopback port with embedded storage, ships a day-by-day replay of the
UCI bike-sharing data (predictions from a naive forecaster, labels a day late, a few bad records),
and prints what Highway stored and quarantined.
  --rows N        how many hourly records to replay (default all 17379)
${COMMON}`,
}

/** Parses argv and runs a command; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(`${HELP.main}\n`)
    return command === undefined ? 1 : 0
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`)
    return 0
  }
  const help = HELP[command]
  if (help === undefined || command === 'main') {
    process.stderr.write(`highway: unknown command "${command}"\n\n${HELP.main}\n`)
    return 2
  }
  let args: ReturnType<typeof parse>
  try {
    args = parse(rest)
  } catch (err) {
    process.stderr.write(`highway ${command}: ${(err as Error).message}\n\n${help}\n`)
    return 2
  }
  if (args.values.help) {
    process.stdout.write(`${help}\n`)
    return 0
  }
  const port = args.values.port === undefined ? undefined : Number(args.values.port)
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    process.stderr.write(`highway ${command}: --port must be an integer from 0 to 65535, got "${args.values.port}"\n`)
    return 2
  }
  try {
    switch (command) {
      case 'start':
        return await start(args, port)
      case 'migrate':
        return await migrate(args)
      case 'slo': {
        const [sub, dirArg] = args.positionals
        if (sub === 'list' || sub === 'show') {
          if (sub === 'show' && !dirArg) {
            process.stderr.write(`highway slo show: give the SLO's name\n`)
            return 2
          }
          const remote = connect({ env: readEnv(), ...(args.values.url ? { url: args.values.url } : {}), ...(args.values['api-key'] ? { apiKey: args.values['api-key'] } : {}) })
          const body = await remote.get(sub === 'list' ? '/v1/slos' : `/v1/slos/${encodeURIComponent(dirArg!)}`)
          process.stdout.write(`${args.values.json ? JSON.stringify(body) : renderSlos(sub === 'list' ? (body as { slos: SloStatus[] }).slos : [body as SloStatus])}\n`)
          return 0
        }
        if (sub !== 'validate') {
          process.stderr.write(`highway slo: unknown subcommand ${JSON.stringify(sub ?? '')}\n\n${help}\n`)
          return 2
        }
        const config = args.values.config || readEnv().HIGHWAY_CONFIG ? await configFrom(args) : undefined
        const dir = dirArg ?? config?.slos
        if (!dir) {
          process.stderr.write(`highway slo validate: give a directory, or set slos: in the config\n`)
          return 2
        }
        const result = await validateSloCommand(dir, { json: args.values.json ?? false, ...(config ? { models: config.models } : {}) })
        process.stdout.write(`${result.output}\n`)
        return result.exitCode
      }
      case 'rules': {
        const config = args.values.config || readEnv().HIGHWAY_CONFIG ? await configFrom(args) : undefined
        const dir = args.values.slos ?? config?.slos
        if (!dir || !args.values.out) {
          process.stderr.write(`highway rules: --out DIR and an SLO directory (--slos DIR or slos: in the config) are required\n\n${help}\n`)
          return 2
        }
        const loaded = await loadSloDirectory(dir, config ? { models: config.models } : {})
        if (!loaded.ok) {
          process.stderr.write(`highway rules: ${dir} has invalid SLOs; run \`highway slo validate ${dir}\`\n`)
          return 1
        }
        const periodSli = args.values['period-sli'] ?? 'exact'
        if (periodSli !== 'exact' && periodSli !== 'sloth-optimized') {
          process.stderr.write(`highway rules: --period-sli must be exact or sloth-optimized, got ${JSON.stringify(periodSli)}\n`)
          return 2
        }
        const { slos, skipped } = ruleSlosFromSpecs(loaded.specs)
        const written = await writeRuleFiles({ outDir: args.values.out, slos, periodSli })
        if (!written.ok) {
          process.stderr.write(`highway rules: ${written.error.message}\n`)
          return 1
        }
        process.stdout.write(
          args.values.json
            ? `${JSON.stringify({ files: written.files, skipped })}\n`
            : `${[...written.files.map((f) => `wrote ${f}`), ...skipped.map((s) => `skipped ${s.name}: ${s.reason}`)].join('\n')}\n`,
        )
        return 0
      }
      case 'drift':
      case 'quality':
      case 'performance': {
        if (!args.values.model) {
          process.stderr.write(`highway ${command}: --model is required\n\n${help}\n`)
          return 2
        }
        const remote = connect({ env: readEnv(), ...(args.values.url ? { url: args.values.url } : {}), ...(args.values['api-key'] ? { apiKey: args.values['api-key'] } : {}) })
        const out = await runAnalysisCommand(command, remote, {
          model: args.values.model,
          json: args.values.json ?? false,
          ...(args.values.from ? { from: args.values.from } : {}),
          ...(args.values.to ? { to: args.values.to } : {}),
          ...(args.values.version ? { version: args.values.version } : {}),
        })
        process.stdout.write(`${out}\n`)
        return 0
      }
      case 'report': {
        if (!args.values.model) {
          process.stderr.write(`highway report: --model is required\n\n${help}\n`)
          return 2
        }
        const buckets = parseBucketCount(args.values.buckets)
        if (!buckets.ok) {
          process.stderr.write(`highway report: ${buckets.error}\n`)
          return 2
        }
        const remote = connect({ env: readEnv(), ...(args.values.url ? { url: args.values.url } : {}), ...(args.values['api-key'] ? { apiKey: args.values['api-key'] } : {}) })
        const out = await runReportCommand(remote, {
          model: args.values.model,
          json: args.values.json ?? false,
          buckets: buckets.value,
          progress: process.stderr,
          ...(args.values.from ? { from: args.values.from } : {}),
          ...(args.values.to ? { to: args.values.to } : {}),
          ...(args.values.version ? { version: args.values.version } : {}),
          ...(args.values.out ? { out: args.values.out } : {}),
        })
        process.stdout.write(`${out}\n`)
        return 0
      }
      case 'models':
      case 'release':
      case 'rollback':
        return await modelCommand(command, args)
      case 'train': {
        const json = args.values.json ?? false
        const reproduce = args.values.reproduce
        if (reproduce !== undefined ? args.positionals.length !== 1 || args.values.model !== undefined : !args.values.model || args.positionals.length > 0) {
          process.stderr.write(`highway train: give --model M, or --reproduce M V\n\n${help}\n`)
          return 2
        }
        const config = await configFrom(args)
        const result = await runTrainCommand(
          config,
          reproduce !== undefined
            ? { kind: 'reproduce', model: reproduce, version: args.positionals[0]!, json }
            : { kind: 'train', model: args.values.model!, json, ...(args.values.data ? { data: args.values.data } : {}), ...(args.values.target ? { target: args.values.target } : {}) },
          { progress: process.stderr },
        )
        ;(result.exitCode === 2 ? process.stderr : process.stdout).write(`${result.output}\n`)
        return result.exitCode
      }
      case 'demo':
        return await runDemo({ dataDir: args.values['data-dir'], rows: args.values.rows === undefined ? undefined : Number(args.values.rows), json: args.values.json ?? false, version: VERSION })
    }
    return 2
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`highway ${command}: ${err.message}\n`)
      return 2
    }
    process.stderr.write(`highway ${command}: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      json: { type: 'boolean' },
      print: { type: 'boolean' },
      cluster: { type: 'string' },
      rows: { type: 'string' },
      model: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      version: { type: 'string' },
      url: { type: 'string' },
      'api-key': { type: 'string' },
      out: { type: 'string' },
      slos: { type: 'string' },
      'period-sli': { type: 'string' },
      buckets: { type: 'string' },
      data: { type: 'string' },
      target: { type: 'string' },
      reproduce: { type: 'string' },
      strategy: { type: 'string' },
      fix: { type: 'boolean' },
      steps: { type: 'string' },
      interval: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

async function configFrom(args: ReturnType<typeof parse>, port?: number): Promise<Config> {
  return loadConfig({
    ...(args.values.config ? { file: args.values.config } : {}),
    env: readEnv(),
    overrides: {
      ...(args.values.host ? { host: args.values.host } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(args.values['data-dir'] ? { dataDir: args.values['data-dir'] } : {}),
    },
  })
}

async function start(args: ReturnType<typeof parse>, port: number | undefined): Promise<number> {
  const unknown = args.positionals.filter((c) => !(COMPONENTS as readonly string[]).includes(c))
  if (unknown.length > 0) {
    process.stderr.write(`highway start: unknown component(s) ${unknown.join(', ')}; available: ${COMPONENTS.join(', ')}\n`)
    return 2
  }
  const components = (args.positionals.length ? args.positionals : COMPONENTS) as Component[]
  const config = await configFrom(args, port)
  const logger = createLogger()
  // V8 lets the old generation grow up to 4x its live size before a full GC; under ingest that is ~70 MB of
  // request garbage the process holds for nothing. At 1.5x the collector's peak RSS drops by ~45-55 MB for ~2%
  // more CPU per record (measured: bench/RESULTS.md, ingest). Set here, at the start of the long-running service.
  setFlagsFromString('--heap-growing-percent=50')
  const service = await startService({ config, components, logger, version: VERSION })
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info('stopping', { signal })
      resolve()
    }
    process.once('SIGINT', () => stop('SIGINT'))
    process.once('SIGTERM', () => stop('SIGTERM'))
  })
  await service.close()
  return 0
}

async function migrate(args: ReturnType<typeof parse>): Promise<number> {
  const config = await configFrom(args)
  const cluster = args.values.cluster ?? config.storage.cluster
  const ctx = { database: config.storage.database, retentionDays: config.storage.retentionDays, ...(cluster ? { cluster } : {}) }
  if (args.values.print) {
    const statements = allStatements(ctx)
    process.stdout.write(args.values.json ? `${JSON.stringify({ statements })}\n` : `${statements.join(';\n\n')};\n`)
    return 0
  }
  const store = await openStore(
    config.storage.url
      ? { mode: 'server', url: config.storage.url, user: config.storage.user, password: config.storage.password, ...ctx }
      : { mode: 'embedded', dataDir: config.storage.dataDir, ...ctx },
  )
  const rows = await store.queryRows<{ version: number; name: string }>(`SELECT version, name FROM \`${ctx.database}\`.schema_migrations FINAL ORDER BY version`)
  await store.close()
  process.stdout.write(args.values.json ? `${JSON.stringify({ location: store.location, migrations: rows })}\n` : `${store.location}: ${rows.map((r) => `${r.version} ${r.name}`).join('\n')}\n`)
  return 0
}

async function modelCommand(command: 'models' | 'release' | 'rollback', args: ReturnType<typeof parse>): Promise<number> {
  const fail = (message: string): number => {
    process.stderr.write(`highway ${command}: ${message}\n\n${HELP[command]}\n`)
    return 2
  }
  const remote = connectModelRemote({ env: readEnv(), ...(args.values.url ? { url: args.values.url } : {}), ...(args.values['api-key'] ? { apiKey: args.values['api-key'] } : {}) })
  const json = args.values.json ?? false
  const positiveInt = (raw: string | undefined): number | undefined => {
    const n = Number(raw)
    return raw !== undefined && /^\d+$/.test(raw) && n > 0 ? n : undefined
  }
  let out: string
  if (command === 'models') {
    const [sub = 'list', model] = args.positionals
    if (sub !== 'list' && sub !== 'show') return fail(`unknown subcommand ${JSON.stringify(sub)}`)
    if (sub === 'show' && !model) return fail('give the model: highway models show M')
    out = await runModelsCommand(remote, { sub, ...(model ? { model } : {}), json })
  } else if (command === 'release') {
    const version = positiveInt(args.values.version)
    if (!args.values.model || version === undefined) return fail('--model and --version (a positive integer) are required')
    if (!['canary', 'shadow', 'bluegreen'].includes(args.values.strategy ?? '')) return fail(`--strategy must be canary, shadow or bluegreen, got ${JSON.stringify(args.values.strategy ?? '')}`)
    const steps = parseSteps(args.values.steps)
    if (!steps.ok) return fail(steps.error)
    const interval = args.values.interval === undefined ? undefined : Number(args.values.interval)
    if (interval !== undefined && !(interval > 0)) return fail(`--interval must be a positive number of seconds, got "${args.values.interval}"`)
    out = await runReleaseCommand(remote, { model: args.values.model, version, strategy: args.values.strategy!, fix: args.values.fix ?? false, json, ...(steps.value ? { steps: steps.value } : {}), ...(interval !== undefined ? { intervalSeconds: interval } : {}) })
  } else {
    if (!args.values.model) return fail('--model is required')
    const to = args.values.to === undefined ? undefined : positiveInt(args.values.to)
    if (args.values.to !== undefined && to === undefined) return fail(`--to must be a positive integer, got "${args.values.to}"`)
    out = await runRollbackCommand(remote, { model: args.values.model, json, ...(to !== undefined ? { to } : {}) })
  }
  process.stdout.write(`${out}\n`)
  return 0
}
