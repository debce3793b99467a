import { resolve } from 'node:path'
import { z } from 'zod'
import type { ModelSpec } from '../../config/index.ts'
import type { Store } from '../../store/index.ts'
import { loadDataset, readLabelledRows, type LoadedDataset } from '../data/index.ts'
import type { ResolvedTraining } from './spec.ts'

/**
 * Where training rows come from, recorded with the version so it can be read again: a file (absolute path, read
 * with the training block's `data` options), or a ClickHouse window of stored predictions joined to labels, with
 * the moment labels were read up to (later labels are ignored on a re-read, so the rows stay the same).
 */
export const dataSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), path: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('clickhouse'), fromMs: z.number().int(), toMs: z.number().int(), labelsUntilMs: z.number().int(), version: z.string().optional() }).strict(),
])

/** A training data source. */
export type DataSource = z.infer<typeof dataSourceSchema>

/** A `--data` argument that cannot be understood; says what the syntax is. */
export class DataSourceError extends Error {
  override readonly name = 'DataSourceError'
}

const DURATION = /^(\d+)(m|h|d|w)$/
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const

function parseInstant(text: string, arg: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text)
  if (!Number.isFinite(ms)) throw new DataSourceError(`--data ${arg}: ${JSON.stringify(text)} is not an ISO-8601 time or epoch milliseconds`)
  return ms
}

/**
 * Parses `--data`: a file path, or `clickhouse:` and a window of stored, labelled predictions —
 * `clickhouse:30d` (the last 30 days; m, h, d, w) or `clickhouse:FROM..TO` (ISO-8601 or epoch ms, TO exclusive),
 * optionally `@V` at the end for one served version (`clickhouse:7d@3`). Labels are read up to `nowMs`.
 */
export function parseDataArgument(arg: string, nowMs: number, cwd: string = process.cwd()): DataSource {
  if (!arg.startsWith('clickhouse:')) return { kind: 'file', path: resolve(cwd, arg) }
  const syntax = 'expected clickhouse:30d, clickhouse:FROM..TO (ISO-8601 or epoch ms), optionally ending in @VERSION'
  let window = arg.slice('clickhouse:'.length)
  let version: string | undefined
  const at = window.lastIndexOf('@')
  if (at >= 0) {
    version = window.slice(at + 1)
    window = window.slice(0, at)
    if (version === '') throw new DataSourceError(`--data ${arg}: the version after @ is empty (${syntax})`)
  }
  const duration = DURATION.exec(window)
  let fromMs: number
  let toMs: number
  if (duration) {
    toMs = nowMs
    fromMs = nowMs - Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS]
  } else {
    const parts = window.split('..')
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') throw new DataSourceError(`--data ${arg}: ${syntax}`)
    fromMs = parseInstant(parts[0]!, arg)
    toMs = parseInstant(parts[1]!, arg)
  }
  if (!(fromMs < toMs)) throw new DataSourceError(`--data ${arg}: the window is empty (from ${new Date(fromMs).toISOString()} is not before to ${new Date(toMs).toISOString()})`)
  return { kind: 'clickhouse', fromMs, toMs, labelsUntilMs: nowMs, ...(version !== undefined ? { version } : {}) }
}

/** Reads a source's rows for a model: typed, validated against its schema (refused rows reported), versioned. */
export async function loadTrainingData(source: DataSource, model: ModelSpec, training: ResolvedTraining, store: Store): Promise<LoadedDataset> {
  if (source.kind === 'clickhouse') {
    return readLabelledRows(store, model, { fromMs: source.fromMs, toMs: source.toMs, labelsUntilMs: source.labelsUntilMs, ...(source.version !== undefined ? { version: source.version } : {}) })
  }
  const d = training.data
  return loadDataset(source.path, model, {
    target: training.target,
    ...(training.time !== null ? { time: training.time } : {}),
    ...(d.format !== undefined ? { format: d.format } : {}),
    ...(d.columns !== undefined ? { columns: d.columns } : {}),
    ...(d.header !== undefined ? { header: d.header } : {}),
    ...(d.missingValues !== undefined ? { missingValues: d.missingValues } : {}),
  })
}

/** A source in words, for reports. */
export function describeSource(source: DataSource): string {
  if (source.kind === 'file') return source.path
  return `clickhouse ${new Date(source.fromMs).toISOString()}..${new Date(source.toMs).toISOString()}${source.version !== undefined ? ` version ${source.version}` : ''} (labels until ${new Date(source.labelsUntilMs).toISOString()})`
}
