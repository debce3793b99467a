// `npm run bench -- <name> [--quick] [bench options]`: runs one benchmark, prints its tables and targets, then
// one JSON line (the last line of stdout) for scripts. Figures are ratios against a baseline measured in the
// same run (STYLE.md: speed is measured here, never asserted in tests); record them in bench/RESULTS.md.
import { execFileSync } from 'node:child_process'
import { availableParallelism, cpus, totalmem } from 'node:os'
import { formatSection, formatTargets, type Bench, type BenchOptions } from './report.ts'

/**
 * Benchmarks by name; each is imported only when asked for, so one's dependencies never slow another's start.
 * To add one: export a `Bench` (report.ts) from bench/<name>.ts and list it here.
 */
const BENCHES: Record<string, { readonly describe: string; readonly load: () => Promise<Bench> }> = {
  ingest: {
    describe: 'HTTP ingest throughput, ack latency and collector RSS against the in-process chDB insert ceiling',
    load: async () => (await import('./ingest.ts')).runIngestBench,
  },
  drift: {
    describe: 'drift + quality on 1M rows × 25 features against a 100k reference, next to SciPy on the same data in memory',
    load: async () => (await import('./drift.ts')).runDriftBench,
  },
  serving: {
    describe: 'single-row V2 infer through Highway vs a bare node:http server on the same ORT session; worker pool; logging cost',
    load: async () => (await import('./serving.ts')).runServingBench,
  },
  mixed: {
    describe: 'reads under load: /v1/slos and stored drift/quality p50/p99 while 5,000 predictions/s + 1,000 labels/s are ingested',
    load: async () => (await import('./mixed.ts')).runMixedBench,
  },
  slo: {
    describe: 'one evaluation tick of 100 SLOs over 30 days of rollups fed by 100M predictions, next to raw scans',
    load: async () => (await import('./slo.ts')).runSloBench,
  },
  alerts: {
    describe: 'one tick of 1,000 alert rules over 100 models vs the pure state step; Alertmanager intake payloads/min vs an empty payload',
    load: async () => (await import('./alerts.ts')).runAlertsBench,
  },
  cli: {
    describe: '`highway` start-up (--help, slo validate, slo list against a service): wall time and peak RSS, dist vs tsx vs node -e 0',
    load: async () => (await import('./cli.ts')).runCliBench,
  },
}

const USAGE = `Usage: npm run bench -- <benchmark> [--quick] [options]

Benchmarks:
${Object.entries(BENCHES)
  .map(([name, b]) => `  ${name.padEnd(10)}${b.describe}`)
  .join('\n')}

  --quick     a short smoke run (figures not fit for bench/RESULTS.md)
  -h, --help  this help; \`npm run bench -- <benchmark> --help\` lists its own options`

/** The commit measured, and whether the working tree differed from it. */
function sourceState(): { commit: string; dirty: boolean } {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    return { commit: git('rev-parse', '--short', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no').length > 0 }
  } catch {
    return { commit: 'unknown', dirty: false }
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '-h' || name === '--help') {
    process.stdout.write(`${USAGE}\n`)
    return name === undefined ? 2 : 0
  }
  const entry = BENCHES[name]
  if (entry === undefined) {
    process.stderr.write(`bench: unknown benchmark "${name}"\n\n${USAGE}\n`)
    return 2
  }
  const options: BenchOptions = {
    quick: rest.includes('--quick'),
    args: rest.filter((a) => a !== '--quick'),
    log: (line) => process.stderr.write(`[bench ${name}] ${line}\n`),
  }
  const machine = {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    source: sourceState(),
  }
  options.log(
    `machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, node ${machine.node}; source ${machine.source.commit}${machine.source.dirty ? ' with uncommitted changes' : ''}${options.quick ? ' — quick run' : ''}`,
  )
  const bench = await entry.load()
  const report = await bench(options)
  const out = [`# bench ${report.bench}${options.quick ? ' (quick)' : ''} — ${machine.cpus} CPUs, node ${machine.node}, source ${machine.source.commit}${machine.source.dirty ? '+changes' : ''}`, '']
  for (const section of report.sections) out.push(formatSection(section), '')
  if (report.targets.length > 0) out.push(formatTargets(report.targets), '')
  for (const failure of report.failures) out.push(`FAILED: ${failure}`)
  process.stdout.write(`${out.join('\n')}\n`)
  const json = { bench: report.bench, quick: options.quick, at: new Date().toISOString(), machine, targets: report.targets, failures: report.failures, ...report.summary }
  process.stdout.write(`${JSON.stringify(json)}\n`)
  return report.failures.length > 0 ? 1 : 0
}

// Signals become an ordinary exit, so benchmarks' exit hooks stop their child processes and delete temp dirs.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130))

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exitCode = 1
  },
)
