import type { DriftColumnResult, DriftResult, PerformanceResult, QualityResult } from '../analyzer/index.ts'
import type { Command } from './command-context.ts'
import type { Remote } from './remote.ts'
import { connect, remoteOptions, windowQuery } from './remote.ts'

const fmt = (v: number | null | undefined, digits = 4): string => (v === null || v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toPrecision(digits))

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

function driftRow(f: DriftColumnResult): string[] {
  return [f.feature, f.test, fmt(f.statistic), fmt(f.p_value), `${fmt(f.threshold)}${f.threshold_source === 'chunks' ? ' (chunks)' : ''}`, f.status === 'ok' ? (f.drifted ? 'DRIFT' : 'ok') : 'not enough data', f.method]
}

/** Renders a drift result for a terminal. */
export function renderDrift(r: DriftResult): string {
  const rows = [...r.features, ...(r.prediction ? [r.prediction] : []), ...(r.label ? [r.label] : [])].map(driftRow)
  const mv = r.multivariate
  return [
    `${r.model}${r.version ? ` ${r.version}` : ''}  ${r.from} → ${r.to}`,
    `reference ${r.reference.n} rows (${r.reference.source}), current ${r.current.n} rows`,
    `dataset drift: ${r.dataset.drifted ? 'YES' : 'no'} — ${r.dataset.drifted_features} of ${r.dataset.features} features drifted (share ${fmt(r.dataset.drift_share, 3)}, threshold ${r.dataset.share_threshold})${r.correction !== 'none' ? `, ${r.correction} correction` : ''}`,
    '',
    table(['feature', 'test', 'statistic', 'p-value', 'threshold', 'verdict', 'method'], rows),
    ...(mv ? ['', `multivariate (PCA reconstruction error): ${fmt(mv.statistic)} in [${fmt(mv.lower)}, ${fmt(mv.upper)}] → ${mv.drifted ? 'DRIFT' : 'ok'}`] : []),
  ].join('\n')
}

/** Renders data quality for a terminal. */
export function renderQuality(r: QualityResult): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`
  return [
    `${r.model}  ${r.from} → ${r.to}: ${r.rows} rows stored, ${r.quarantined} quarantined`,
    `volume: ${r.volume.expected === null ? 'no history yet' : `${r.rows} vs ~${Math.round(r.volume.expected)} expected${r.volume.anomalous ? ' — ANOMALOUS' : ''}`}`,
    `freshness: last prediction ${fmt(r.freshness.prediction_seconds, 3)} s ago, last label ${fmt(r.freshness.label_seconds, 3)} s ago`,
    `labels: coverage ${r.label_coverage === null ? '—' : pct(r.label_coverage)}, delay p50 ${fmt(r.label_delay_seconds.p50, 3)} s, p95 ${fmt(r.label_delay_seconds.p95, 3)} s; duplicate ids ${r.duplicate_ids}`,
    '',
    table(
      ['feature', 'missing', 'out of range', 'type errors', 'unseen categories', 'constant'],
      r.features.map((f) => [f.feature, pct(f.missing_share), pct(f.out_of_range_share), pct(f.type_error_share), `${pct(f.unseen_category_share)}${f.unseen_categories.length ? ` (${f.unseen_categories.slice(0, 3).join(', ')})` : ''}`, f.constant ? 'yes' : 'no']),
    ),
  ].join('\n')
}

/** Renders performance for a terminal. */
export function renderPerformance(r: PerformanceResult): string {
  const metrics = [...new Set([...Object.keys(r.realised), ...Object.keys(r.estimated)])]
  return [
    `${r.model}  ${r.from} → ${r.to}: ${r.n_predictions} predictions, ${r.n_labeled} labelled (coverage ${r.label_coverage === null ? '—' : fmt(r.label_coverage, 3)}); reporting ${r.source}`,
    '',
    table(
      ['metric', 'realised', 'estimated (CBPE)', 'band'],
      metrics.map((m) => {
        const e = r.estimated[m]
        return [m, fmt(r.realised[m]), e ? fmt(e.value) : '—', e ? `[${fmt(e.lower)}, ${fmt(e.upper)}]` : '']
      }),
    ),
  ].join('\n')
}

/** `highway drift|quality|performance --model M [--from T] [--to T] [--version V]` against a running service. */
export async function runAnalysisCommand(
  command: 'drift' | 'quality' | 'performance',
  remote: Remote,
  options: { model: string; from?: string; to?: string; version?: string; json: boolean },
): Promise<string> {
  const body = await remote.get(`/v1/models/${encodeURIComponent(options.model)}/${command}${windowQuery(options)}`)
  if (options.json) return JSON.stringify(body)
  if (command === 'drift') return renderDrift(body as DriftResult)
  if (command === 'quality') return renderQuality(body as QualityResult)
  return renderPerformance(body as PerformanceResult)
}

/** `highway drift | quality | performance --model M`: one analysis of a window, from a running Highway. */
export const analysisCommand: Command = async ({ command, args, env, help, stdout, stderr }) => {
  if (command !== 'drift' && command !== 'quality' && command !== 'performance') throw new Error(`not an analysis command: ${command}`)
  if (!args.values.model) {
    stderr.write(`highway ${command}: --model is required\n\n${help}\n`)
    return 2
  }
  const remote = connect(remoteOptions(args, env))
  const out = await runAnalysisCommand(command, remote, {
    model: args.values.model,
    json: args.values.json ?? false,
    ...(args.values.from ? { from: args.values.from } : {}),
    ...(args.values.to ? { to: args.values.to } : {}),
    ...(args.values.version ? { version: args.values.version } : {}),
  })
  stdout.write(`${out}\n`)
  return 0
}
