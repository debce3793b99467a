import type { DemoEvent } from './timeline.ts'

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** What the report shows: the timeline, MAE by month and version, the stages' wall time, where the service runs. */
export interface DemoReportInput {
  readonly url: string
  readonly durationSeconds: number
  readonly stages: Readonly<Record<string, number>>
  readonly events: readonly DemoEvent[]
  readonly mae: Readonly<Record<string, { n: number; mae: number | null }>>
  /** Simulated minus data time, to print data dates beside simulated ones. */
  readonly shiftMs: number
  readonly maeBeforeAfter?: { readonly before: number | null; readonly after: number | null }
}

/** A self-contained HTML page (no scripts, no external assets) of one demo run. */
export function renderDemoReport(r: DemoReportInput): string {
  const dataDate = (iso: string): string => new Date(Date.parse(iso) - r.shiftMs).toISOString().slice(0, 16).replace('T', ' ')
  const rows = r.events
    .map((e) => `<tr><td>${escape(dataDate(e.sim_time))}</td><td>${escape(e.at.slice(11, 19))}</td><td class="k">${escape(e.kind)}</td><td>${e.version ?? ''}</td><td><code>${escape(JSON.stringify(e.detail)).slice(0, 600)}</code></td></tr>`)
    .join('\n')
  const mae = Object.entries(r.mae)
    .map(([k, v]) => `<tr><td>${escape(k)}</td><td>${v.n}</td><td>${v.mae === null ? 'n/a' : v.mae.toFixed(1)}</td></tr>`)
    .join('\n')
  const stages = Object.entries(r.stages)
    .map(([k, v]) => `<tr><td>${escape(k)}</td><td>${v.toFixed(1)} s</td></tr>`)
    .join('\n')
  const beforeAfter = r.maeBeforeAfter ? `<p>MAE before retraining ${r.maeBeforeAfter.before?.toFixed(1) ?? 'n/a'}, after ${r.maeBeforeAfter.after?.toFixed(1) ?? 'n/a'} bikes/hour.</p>` : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Highway demo</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}td.k{font-weight:600}code{font-size:12px;word-break:break-all}</style>
</head><body>
<h1>Highway demo: the closed loop on the bike-sharing data</h1>
<p>Service: <a href="${escape(r.url)}/openapi.json">${escape(r.url)}</a> · wall time ${r.durationSeconds.toFixed(1)} s · dates are the data's (simulated time is shifted by whole weeks).</p>
${beforeAfter}
<h2>Timeline</h2>
<table><tr><th>data time</th><th>wall clock (UTC)</th><th>kind</th><th>version</th><th>detail</th></tr>
${rows}
</table>
<h2>Mean absolute error of served predictions</h2>
<table><tr><th>month, version</th><th>labelled hours</th><th>MAE (bikes/hour)</th></tr>
${mae}
</table>
<h2>Stages</h2>
<table><tr><th>stage</th><th>wall time</th></tr>
${stages}
</table>
</body></html>
`
}
