import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { DriftResult, PerformanceResult, QualityResult } from '../analyzer/index.ts'
import { renderReport, type ReportBucket } from '../analyzer/report/index.ts'
import type { Command } from './command-context.ts'
import { connect, remoteOptions, windowQuery, type Remote } from './remote.ts'
import { DEFAULT_REPORT_BUCKETS, MAX_REPORT_BUCKETS, parseBucketCount } from './report-buckets.ts'

export { DEFAULT_REPORT_BUCKETS, MAX_REPORT_BUCKETS, parseBucketCount } from './report-buckets.ts'

// A few requests at a time: enough to hide latency, few enough not to crowd a service that is also ingesting.
const DEFAULT_CONCURRENCY = 4

/** Where progress goes: shown only on a terminal, so logs and pipes stay clean. */
export interface ProgressSink {
  readonly isTTY?: boolean
  write(chunk: string): unknown
}

/** `highway report` options, parsed from the command line. */
export interface ReportCommandOptions {
  readonly model: string
  readonly from?: string
  readonly to?: string
  readonly version?: string
  readonly buckets?: number
  readonly out?: string
  readonly json: boolean
  readonly concurrency?: number
  readonly progress?: ProgressSink
  /** Clock for the page's "generated at" (tests pin it). */
  readonly now?: () => number
}

/** Splits [fromMs, toMs) into `count` consecutive buckets of (nearly) equal length; fewer when the window has fewer milliseconds. Pure. */
export function splitWindow(fromMs: number, toMs: number, count: number): Array<{ fromMs: number; toMs: number }> {
  const span = toMs - fromMs
  if (!(span > 0) || !(count >= 1)) return []
  const n = Math.min(Math.floor(count), span)
  const edge = (i: number) => fromMs + Math.round((i * span) / n)
  return Array.from({ length: n }, (_, i) => ({ fromMs: edge(i), toMs: edge(i + 1) }))
}

/** The default output file: `report-<model>.html`, with anything unsafe in a file name replaced. */
export function defaultReportPath(model: string): string {
  return `report-${model.replace(/[^A-Za-z0-9._-]/g, '_')}.html`
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the items' order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>, onDone: (done: number) => void): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  let done = 0
  let failed = false
  const worker = async () => {
    // After a failure the others stop taking items: the command fails anyway, so spare the service the rest.
    while (next < items.length && !failed) {
      const i = next++
      try {
        results[i] = await work(items[i]!)
      } catch (err) {
        failed = true
        throw err
      }
      onDone(++done)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return results
}

/**
 * `highway report --model M [--from T] [--to T] [--version V] [--buckets N] [--out F]`: fetches drift for the
 * window and quality and performance per bucket from a running service, renders one HTML page and writes it.
 * Returns what to print: the file's path, or a JSON document with `json`.
 */
export async function runReportCommand(remote: Remote, options: ReportCommandOptions): Promise<string> {
  const buckets = options.buckets ?? DEFAULT_REPORT_BUCKETS
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_REPORT_BUCKETS) throw new Error(`buckets must be an integer from 1 to ${MAX_REPORT_BUCKETS}, got ${buckets}`)
  const model = encodeURIComponent(options.model)
  const version = options.version ? { version: options.version } : {}
  // The service resolves the window (defaults, ISO or epoch input) once; the buckets split what it answered.
  const drift = (await remote.get(`/v1/models/${model}/drift${windowQuery({ ...version, ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}) })}`)) as DriftResult
  const fromMs = Date.parse(drift.from)
  const toMs = Date.parse(drift.to)
  const windows = splitWindow(fromMs, toMs, buckets)

  const progress = options.progress?.isTTY ? options.progress : undefined
  const show = (done: number) => progress?.write(`\rhighway report: fetched ${done} of ${windows.length} buckets`)
  show(0)
  let timeline: ReportBucket[]
  try {
    timeline = await mapConcurrently(
      windows,
      options.concurrency ?? DEFAULT_CONCURRENCY,
      async (w) => {
        const q = windowQuery({ from: String(w.fromMs), to: String(w.toMs), ...version })
        const [quality, performance] = await Promise.all([remote.get(`/v1/models/${model}/quality${q}`), remote.get(`/v1/models/${model}/performance${q}`)])
        return { from: new Date(w.fromMs).toISOString(), to: new Date(w.toMs).toISOString(), quality: quality as QualityResult, performance: performance as PerformanceResult }
      },
      show,
    )
  } finally {
    // Clear the progress line so the path (or an error) prints on a clean line.
    progress?.write('\r\x1b[2K')
  }

  const page = renderReport({ model: options.model, from: drift.from, to: drift.to, drift, timeline, generatedAt: new Date(options.now?.() ?? Date.now()).toISOString() })
  const path = resolve(options.out ?? defaultReportPath(options.model))
  await mkdir(dirname(path), { recursive: true })
  // Write then rename: a reader (or a browser refresh) never sees half a report.
  const partial = `${path}.${process.pid}.partial`
  try {
    await writeFile(partial, page, 'utf8')
    await rename(partial, path)
  } catch (err) {
    await rm(partial, { force: true })
    throw err
  }
  if (!options.json) return path
  return JSON.stringify({
    out: path,
    bytes: Buffer.byteLength(page, 'utf8'),
    model: options.model,
    version: drift.version,
    from: drift.from,
    to: drift.to,
    buckets: timeline.length,
    dataset_drifted: drift.dataset.drifted,
    drifted_features: drift.features.filter((f) => f.drifted).map((f) => f.feature),
  })
}

/** `highway report --model M`: the window's report page, from a running Highway. */
export const reportCommand: Command = async ({ args, env, help, stdout, stderr }) => {
  if (!args.values.model) {
    stderr.write(`highway report: --model is required\n\n${help}\n`)
    return 2
  }
  const buckets = parseBucketCount(args.values.buckets)
  if (!buckets.ok) {
    stderr.write(`highway report: ${buckets.error}\n`)
    return 2
  }
  const remote = connect(remoteOptions(args, env))
  const out = await runReportCommand(remote, {
    model: args.values.model,
    json: args.values.json ?? false,
    buckets: buckets.value,
    progress: stderr,
    ...(args.values.from ? { from: args.values.from } : {}),
    ...(args.values.to ? { to: args.values.to } : {}),
    ...(args.values.version ? { version: args.values.version } : {}),
    ...(args.values.out ? { out: args.values.out } : {}),
  })
  stdout.write(`${out}\n`)
  return 0
}
