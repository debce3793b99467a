import { METRIC_DIRECTIONS } from '../../model-metrics/index.ts'
import type { DriftColumnResult, DriftResult } from '../drift.ts'
import type { QualityResult } from '../quality.ts'
import { bandGauge, histogramChart, lineChart, prepareBins, stackedBarChart, type TimeSeries } from './charts.ts'
import { COLOURS, MAX_QUALITY_SERIES, METRIC_ORDER, SERIES_PALETTE, UNIT_INTERVAL_METRICS } from './const.ts'
import { formatCount, formatDuration, formatNumber, formatPValue, formatShare, formatUtc, timeAxisLabels, truncate } from './format.ts'
import { html, toHtmlString, trusted, type Html } from './html.ts'
import { REPORT_CSS } from './styles.ts'
import type { ReportBucket, ReportInput } from './types.ts'

// Content-Security-Policy of the page itself: nothing may load or run, whatever a future edit or a data value
// smuggles in. Inline styles are the only allowance (the CSS and the SVG presentation attributes).
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

type Tone = 'drift' | 'warn' | 'ok' | 'none'

const ORDER: Record<Tone, number> = { drift: 0, warn: 1, ok: 2, none: 3 }

function toneOf(r: DriftColumnResult): Tone {
  if (r.status !== 'ok') return 'none'
  return r.drifted ? 'drift' : 'ok'
}

function verdictLabel(r: DriftColumnResult): string {
  if (r.status !== 'ok') return 'not enough data'
  return r.drifted ? 'drift' : 'ok'
}

function pill(tone: Tone, text: string): Html {
  return html`<span class="pill ${tone}">${text}</span>`
}

function section(id: string, title: string, lede: string | Html, body: Html): Html {
  return html`<section id="${id}" class="section"><div class="section-head"><h2>${title}</h2><p class="lede">${lede}</p></div>${body}</section>`
}

function emptyState(message: string): Html {
  return html`<p class="empty">${message}</p>`
}

function legend(items: ReadonlyArray<{ name: string; colour: string; dashed?: boolean; band?: boolean }>): Html {
  return html`<ul class="legend">${items.map(
    (i) => html`<li><span class="swatch${i.dashed ? ' dashed' : ''}${i.band ? ' banded' : ''}" style="--c:${i.colour}"></span>${i.name}</li>`,
  )}</ul>`
}

/** Which side of the threshold drift is on: p-values drift below it, statistics above it. */
function thresholdCell(r: DriftColumnResult): Html {
  const on = r.threshold_source === 'chunks' || r.p_value === null ? 'statistic' : 'p-value'
  const source = r.threshold_source === 'test' ? '' : ` (${r.threshold_source})`
  return html`${formatNumber(r.threshold)} <span class="sub">${on}${source}</span>`
}

function driftRow(r: DriftColumnResult): Html {
  const tone = toneOf(r)
  const adjusted = r.p_value_adjusted !== undefined && r.p_value_adjusted !== null ? html` <span class="sub">adj. ${formatPValue(r.p_value_adjusted)}</span>` : html``
  return html`<tr class="row-${tone}" data-feature="${r.feature}" data-drifted="${r.drifted ? 'true' : 'false'}">
<td class="name">${r.feature}</td><td>${r.kind}</td><td class="mono">${r.test}</td>
<td class="num">${formatNumber(r.statistic)}</td><td class="num">${formatPValue(r.p_value)}${adjusted}</td><td class="num">${thresholdCell(r)}</td>
<td>${pill(tone, verdictLabel(r))}${r.detail ? html`<div class="detail">${r.detail}</div>` : html``}</td>
<td>${r.method}</td><td class="num">${formatCount(r.n_reference)} / ${formatCount(r.n_current)}</td></tr>`
}

function driftTable(groups: ReadonlyArray<{ title: string; rows: readonly DriftColumnResult[] }>): Html {
  return html`<div class="table-wrap"><table class="drift-table">
<thead><tr><th>Feature</th><th>Kind</th><th>Test</th><th class="num">Statistic</th><th class="num">p-value</th><th class="num">Threshold</th><th>Verdict</th><th>Method</th><th class="num">n ref / cur</th></tr></thead>
${groups.map((g) => html`<tbody><tr class="group"><th colspan="9">${g.title}</th></tr>${g.rows.map(driftRow)}</tbody>`)}</table></div>`
}

/** Drifted first, then stable, then "not enough data"; the API's order within each. */
function worstFirst(rows: readonly DriftColumnResult[]): DriftColumnResult[] {
  return rows.map((r, i) => ({ r, i })).sort((a, b) => ORDER[toneOf(a.r)] - ORDER[toneOf(b.r)] || a.i - b.i).map(({ r }) => r)
}

function datasetVerdict(d: DriftResult): { tone: Tone; headline: string; detail: string } {
  const share = `${formatShare(d.dataset.drift_share)} of features, threshold ${formatShare(d.dataset.share_threshold)}`
  if (d.current.n === 0) return { tone: 'none', headline: 'No predictions in this window', detail: 'Nothing to compare with the reference.' }
  if (d.dataset.drifted) return { tone: 'drift', headline: 'Dataset drift detected', detail: `${d.dataset.drifted_features} of ${d.dataset.features} features drifted (${share}).` }
  if (d.dataset.drifted_features > 0) return { tone: 'warn', headline: 'Some features drifted', detail: `${d.dataset.drifted_features} of ${d.dataset.features} features drifted (${share}): below the dataset threshold.` }
  return { tone: 'ok', headline: 'No drift', detail: `None of ${d.dataset.features} features drifted.` }
}

function header(input: ReportInput, buckets: number): Html {
  const d = input.drift
  const verdict = datasetVerdict(d)
  const spanMs = Date.parse(input.to) - Date.parse(input.from)
  const span = Number.isFinite(spanMs) && spanMs > 0 ? formatDuration(spanMs) : ''
  const bucketText = buckets > 0 && span ? ` · ${buckets} buckets of ${formatDuration(spanMs / buckets)}` : ''
  return html`<header class="page-head"><div class="inner">
<div class="brand">Highway · model report</div>
<h1>${input.model} <span class="chip">${d.version ? `version ${d.version}` : 'all versions'}</span></h1>
<p class="window">${formatUtc(input.from)} → ${formatUtc(input.to)}${span ? ` · ${span}` : ''}${bucketText}</p>
<div class="verdict ${verdict.tone}" data-verdict="${verdict.tone}"><strong>${verdict.headline}</strong> ${verdict.detail}</div>
</div></header>`
}

function tile(label: string, value: string, sub: string, tone: Tone): Html {
  return html`<div class="tile ${tone}"><div class="tile-label">${label}</div><div class="tile-value">${value}</div><div class="tile-sub">${sub}</div></div>`
}

function columnTile(label: string, r: DriftColumnResult | null): Html {
  if (!r) return tile(label, '—', 'not in the reference', 'none')
  if (r.status !== 'ok') return tile(label, 'Not enough data', r.detail ? truncate(r.detail, 60) : `${r.n_current} current values`, 'none')
  return tile(label, r.drifted ? 'Drift' : 'Stable', `${r.test} ${formatNumber(r.statistic)}, threshold ${formatNumber(r.threshold)}`, r.drifted ? 'drift' : 'ok')
}

function summaryTiles(input: ReportInput): Html {
  const d = input.drift
  const mv = d.multivariate
  const verdict = datasetVerdict(d)
  const predictions = input.timeline.reduce((s, b) => s + b.performance.n_predictions, 0)
  const labelled = input.timeline.reduce((s, b) => s + b.performance.n_labeled, 0)
  const stored = input.timeline.reduce((s, b) => s + b.quality.rows, 0)
  const quarantined = input.timeline.reduce((s, b) => s + b.quality.quarantined, 0)
  const mvTile =
    mv === null
      ? tile('Multivariate', '—', 'no PCA model in the reference', 'none')
      : mv.statistic === null
        ? tile('Multivariate', 'Not enough data', `${formatCount(mv.n_current)} complete rows`, 'none')
        : tile('Multivariate', mv.drifted ? 'Drift' : 'Stable', `${formatNumber(mv.statistic)} vs expected ${formatNumber(mv.lower)}–${formatNumber(mv.upper)}`, mv.drifted ? 'drift' : 'ok')
  return html`<div class="tiles">
${tile('Dataset drift share', formatShare(d.dataset.drift_share), `${d.dataset.drifted_features} of ${d.dataset.features} features drifted · dataset drift at ${formatShare(d.dataset.share_threshold)}`, verdict.tone)}
${columnTile('Prediction drift', d.prediction)}
${mvTile}
${tile('Rows in window', formatCount(d.current.n), `reference ${formatCount(d.reference.n)} rows (${d.reference.source})`, 'none')}
${input.timeline.length === 0 || predictions === 0 ? tile('Label coverage', '—', 'no timeline', 'none') : tile('Label coverage', formatShare(labelled / predictions), `${formatCount(labelled)} of ${formatCount(predictions)} labelled`, 'none')}
${input.timeline.length === 0 ? tile('Quarantined', '—', 'no timeline', 'none') : tile('Quarantined', formatCount(quarantined), `${formatShare(stored + quarantined === 0 ? 0 : quarantined / (stored + quarantined))} of records received`, quarantined > 0 ? 'warn' : 'ok')}
</div>`
}

function driftSection(d: DriftResult): Html {
  const outputs = [d.prediction, d.label].filter((r): r is DriftColumnResult => r !== null)
  const corrected = d.correction === 'none' ? '' : ` p-values corrected with ${d.correction === 'bh' ? 'Benjamini–Hochberg' : 'Bonferroni'}.`
  const groups = [
    { title: `Features (${d.features.length}), drifted first`, rows: worstFirst(d.features) },
    ...(outputs.length ? [{ title: 'Model outputs', rows: outputs }] : []),
  ].filter((g) => g.rows.length > 0)
  const body = html`${groups.length === 0 ? emptyState('The reference profiles no features and no model outputs.') : driftTable(groups)}
<div class="card mv-card"><h3>Multivariate drift <span class="sub">PCA reconstruction error of the window against the reference chunks’ mean ± 3 std</span></h3>${multivariate(d)}</div>`
  return section('drift', 'Drift', `Each feature of the window against reference ${d.reference.id} (${formatCount(d.reference.n)} rows, ${d.reference.source}).${corrected}`, body)
}

function multivariate(d: DriftResult): Html {
  const mv = d.multivariate
  if (mv === null) return emptyState('No multivariate result: the reference has no PCA model (it needs numeric features).')
  if (mv.statistic === null) return emptyState(`Not enough data: ${formatCount(mv.n_current)} complete rows in the window.`)
  const where = mv.drifted ? 'outside' : 'inside'
  return html`<div class="mv-body">${bandGauge({ statistic: mv.statistic, lower: mv.lower, upper: mv.upper, drifted: mv.drifted, format: (v) => formatNumber(v) })}
<p class="mv-text">Reconstruction error ${formatNumber(mv.statistic)} on ${formatCount(mv.n_current)} rows is ${where} the range expected from the reference (${formatNumber(mv.lower)} to ${formatNumber(mv.upper)}): ${pill(mv.drifted ? 'drift' : 'ok', mv.drifted ? 'drift' : 'ok')}</p></div>`
}

function histogramCard(r: DriftColumnResult): Html {
  const tone = toneOf(r)
  const h = r.histogram!
  const bins = prepareBins(r.kind, h)
  const refTotal = bins.reference.reduce((s, n) => s + n, 0)
  const curTotal = bins.current.reduce((s, n) => s + n, 0)
  const chart = bins.bins.length === 0 || (refTotal === 0 && curTotal === 0) ? emptyState('Not enough data: no values on either side.') : histogramChart({ feature: r.feature, kind: r.kind, histogram: bins })
  const sideNote = refTotal === 0 ? 'no reference values' : curTotal === 0 ? 'no current values' : `${formatCount(refTotal)} ref · ${formatCount(curTotal)} cur`
  return html`<div class="card hist-card card-${tone}" data-feature="${r.feature}" data-drifted="${r.drifted ? 'true' : 'false'}">
<div class="card-head"><h3>${r.feature}</h3>${pill(tone, verdictLabel(r))}</div>
<div class="card-sub">${r.kind} · ${r.test} ${formatNumber(r.statistic)} (threshold ${formatNumber(r.threshold)}) · ${sideNote}</div>
${chart}</div>`
}

function distributionSection(d: DriftResult): Html {
  const columns = worstFirst([...d.features, ...(d.prediction ? [d.prediction] : []), ...(d.label ? [d.label] : [])])
  const withHistogram = columns.filter((r) => r.histogram !== undefined)
  const without = columns.filter((r) => r.histogram === undefined).map((r) => r.feature)
  const body = html`${legend([
    { name: 'reference', colour: COLOURS.reference },
    { name: 'current window', colour: COLOURS.current },
  ])}
${withHistogram.length === 0 ? emptyState('The drift result carries no histograms.') : html`<div class="grid hist-grid">${withHistogram.map(histogramCard)}</div>`}
${without.length ? html`<p class="note">No histogram for ${without.join(', ')} (text descriptors and model outputs are tested on values, not bins).</p>` : html``}`
  return section('distributions', 'Distributions', 'Share of each side in each bin: numeric bins on the reference’s quantile edges, categories by value. Drifted features first.', body)
}

function chartCard(title: string, chart: Html | null, emptyMessage: string, extra: Html = html``): Html {
  return html`<div class="card chart-card"><h3>${title}</h3>${chart ?? emptyState(emptyMessage)}${extra}</div>`
}

/** One series per feature for a share, features with any non-zero value, the largest peaks first. */
function featureShareSeries(timeline: readonly ReportBucket[], pick: (f: QualityResult['features'][number]) => number): { series: TimeSeries[]; hidden: number } {
  const names = [...new Set(timeline.flatMap((b) => b.quality.features.map((f) => f.feature)))]
  const rows = names.map((name) => {
    const values = timeline.map((b) => {
      if (b.quality.status !== 'ok') return null
      const f = b.quality.features.find((x) => x.feature === name)
      return f ? pick(f) : null
    })
    return { name, values, peak: Math.max(0, ...values.filter((v): v is number => v !== null)) }
  })
  const flagged = rows.filter((r) => r.peak > 0).sort((a, b) => b.peak - a.peak)
  const shown = flagged.slice(0, MAX_QUALITY_SERIES)
  return { series: shown.map((r, i) => ({ name: r.name, colour: SERIES_PALETTE[i % SERIES_PALETTE.length]!, values: r.values })), hidden: flagged.length - shown.length }
}

function shareChart(id: string, title: string, timeline: readonly ReportBucket[], labels: readonly string[], pick: (f: QualityResult['features'][number]) => number, noneMessage: string): Html {
  const { series, hidden } = featureShareSeries(timeline, pick)
  const chart = series.length === 0 ? null : lineChart({ id, labels, series, format: (v) => formatShare(v), yMin: 0 })
  const extra = series.length ? html`${legend(series.map((s) => ({ name: s.name, colour: s.colour })))}${hidden > 0 ? html`<p class="note">${hidden} more features in the table below.</p>` : html``}` : html``
  return chartCard(title, chart, noneMessage, extra)
}

function qualityTable(timeline: readonly ReportBucket[]): Html {
  const names = [...new Set(timeline.flatMap((b) => b.quality.features.map((f) => f.feature)))]
  const rows = names.map((name) => {
    const fs = timeline.flatMap((b) => (b.quality.status === 'ok' ? b.quality.features.filter((f) => f.feature === name) : []))
    const peak = (pick: (f: (typeof fs)[number]) => number) => Math.max(0, ...fs.map(pick))
    return {
      name,
      missing: peak((f) => f.missing_share),
      range: peak((f) => f.out_of_range_share),
      type: peak((f) => f.type_error_share),
      unseen: peak((f) => f.unseen_category_share),
      values: [...new Set(fs.flatMap((f) => f.unseen_categories))],
      constant: fs.filter((f) => f.constant).length,
    }
  })
  const cell = (v: number) => html`<td class="num${v > 0 ? ' cell-warn' : ''}">${formatShare(v)}</td>`
  return html`<div class="table-wrap"><table class="quality-table"><caption>Worst bucket per feature</caption>
<thead><tr><th>Feature</th><th class="num">Missing</th><th class="num">Out of range</th><th class="num">Type errors</th><th class="num">Unseen categories</th><th>Unseen values</th><th class="num">Constant in</th></tr></thead>
<tbody>${rows.map(
    (r) => html`<tr data-feature="${r.name}"><td class="name">${r.name}</td>${cell(r.missing)}${cell(r.range)}${cell(r.type)}${cell(r.unseen)}
<td class="values">${r.values.length ? html`${r.values.slice(0, 8).map((v) => html`<code>${truncate(v, 40)}</code> `)}${r.values.length > 8 ? `+${r.values.length - 8} more` : ''}` : '—'}</td>
<td class="num${r.constant > 0 ? ' cell-warn' : ''}">${r.constant > 0 ? `${r.constant} of ${timeline.length} buckets` : '—'}</td></tr>`,
  )}</tbody></table></div>`
}

function qualitySection(timeline: readonly ReportBucket[]): Html {
  if (timeline.length === 0) return section('quality', 'Data quality over time', 'Per bucket of the window.', emptyState('No timeline: the report was made without per-bucket data.'))
  const labels = timeAxisLabels(timeline.map((b) => b.from))
  const rows = stackedBarChart({
    id: 'rows',
    labels,
    stacks: [
      { name: 'stored', colour: COLOURS.current, values: timeline.map((b) => b.quality.rows) },
      { name: 'quarantined', colour: COLOURS.quarantined, values: timeline.map((b) => b.quality.quarantined) },
    ],
  })
  const coverage = lineChart({ id: 'label-coverage', labels, series: [{ name: 'label coverage', colour: COLOURS.current, values: timeline.map((b) => b.quality.label_coverage) }], format: (v) => formatShare(v), yMin: 0, yMax: 1 })
  const body = html`<div class="grid charts">
${chartCard('Records per bucket', rows, 'No records in any bucket.', legend([
    { name: 'stored', colour: COLOURS.current },
    { name: 'quarantined', colour: COLOURS.quarantined },
  ]))}
${chartCard('Label coverage', coverage, 'No labels and no predictions in any bucket.')}
${shareChart('missing-share', 'Missing share by feature', timeline, labels, (f) => f.missing_share, 'No missing values in any bucket.')}
${shareChart('out-of-range-share', 'Out-of-range share by feature', timeline, labels, (f) => f.out_of_range_share, 'No out-of-range values in any bucket.')}
</div>
${qualityTable(timeline)}`
  return section('quality', 'Data quality over time', 'Shares are of records received per bucket (stored and quarantined). Buckets with no records are gaps.', body)
}

function metricNames(timeline: readonly ReportBucket[]): string[] {
  const present = new Set<string>()
  for (const b of timeline) {
    for (const [k, v] of Object.entries(b.performance.realised)) if (v !== null) present.add(k)
    for (const [k, v] of Object.entries(b.performance.estimated)) if (v !== null) present.add(k)
  }
  const known: readonly string[] = METRIC_ORDER
  return [...known.filter((m) => present.has(m)), ...[...present].filter((m) => !known.includes(m)).sort()]
}

function performanceSection(timeline: readonly ReportBucket[]): Html {
  const title = 'Performance over time'
  if (timeline.length === 0) return section('performance', title, 'Per bucket of the window.', emptyState('No timeline: the report was made without per-bucket data.'))
  const labels = timeAxisLabels(timeline.map((b) => b.from))
  const metrics = metricNames(timeline)
  const sources = { realised: 0, estimated: 0, none: 0 }
  for (const b of timeline) sources[b.performance.source]++
  const cards = metrics.map((metric) => {
    const realised = timeline.map((b) => b.performance.realised[metric] ?? null)
    const estimates = timeline.map((b) => b.performance.estimated[metric] ?? null)
    const series: TimeSeries[] = [
      { name: 'realised', colour: COLOURS.current, values: realised },
      ...(estimates.some((e) => e !== null) ? [{ name: 'estimated (CBPE)', colour: COLOURS.estimated, dashed: true, values: estimates.map((e) => e?.value ?? null), band: estimates }] : []),
    ]
    const unit = UNIT_INTERVAL_METRICS.has(metric)
    const chart = lineChart({ id: `metric-${metric}`, labels, series, format: (v) => formatNumber(v), compact: true, ...(unit ? { yMax: 1 } : {}) })
    return chartCard(`${metric}${METRIC_DIRECTIONS[metric] === 'lower' ? ' (lower is better)' : ''}`, chart, 'No value in any bucket.')
  })
  const notes = [...new Set(timeline.flatMap((b) => Object.entries(b.performance.notes).map(([k, v]) => `${k}: ${v}`)))]
  const body = html`${legend([
    { name: 'realised (labelled rows)', colour: COLOURS.current },
    { name: 'estimated (CBPE) with its band', colour: COLOURS.estimated, dashed: true, band: true },
  ])}
<p class="note">Reporting source per bucket: realised in ${sources.realised}, estimated in ${sources.estimated}, none in ${sources.none}.</p>
${metrics.length === 0 ? emptyState('No performance figures: no labelled rows and no estimate in any bucket.') : html`<div class="grid metrics">${cards}</div>`}
${notes.length ? html`<details class="notes"><summary>Why some figures are missing (${notes.length})</summary><ul>${notes.slice(0, 30).map((n) => html`<li>${n}</li>`)}</ul></details>` : html``}`
  return section('performance', title, 'Realised metrics on the labelled rows of each bucket, and CBPE estimates from the scores while labels are missing.', body)
}

/** Renders the model report: one self-contained HTML page (inline CSS and SVG, no script, no external resource). Pure. */
export function renderReport(input: ReportInput): string {
  const d = input.drift
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Highway">
<title>${`${input.model} — Highway report, ${formatUtc(input.from)} → ${formatUtc(input.to)}`}</title>
<style>${trusted(REPORT_CSS)}</style>
</head>
<body>
${header(input, input.timeline.length)}
<main class="inner">
<nav class="toc"><a href="#drift">Drift</a><a href="#distributions">Distributions</a><a href="#quality">Data quality</a><a href="#performance">Performance</a></nav>
${summaryTiles(input)}
${driftSection(d)}
${distributionSection(d)}
${qualitySection(input.timeline)}
${performanceSection(input.timeline)}
</main>
<footer class="inner">Generated by Highway at ${formatUtc(input.generatedAt)} · reference ${d.reference.id} · all times UTC · self-contained: no scripts, fonts or network requests.</footer>
</body>
</html>
`
  return toHtmlString(page)
}
