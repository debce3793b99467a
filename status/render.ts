import type { Status, StatusSection } from './types.ts'

// Server-side rendering of the status page's sections (the page's script fetches them as HTML from
// `/v1/status?format=html` with the key of the session). Pure: data in, escaped HTML out. Bars and sparklines are
// inline SVG, so the page needs nothing from the network.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

const pct = (v: number | null): string => (v === null || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(v >= 0.9995 || v < 0.001 ? 1 : 2)} %`)
const num = (v: number | null, digits = 3): string => (v === null || !Number.isFinite(v) ? '—' : Number(v.toPrecision(digits)).toString())

/** A horizontal bar of the budget left: green above half, amber above a tenth, red below. */
export function budgetBar(remaining: number): string {
  const share = Math.max(0, Math.min(1, remaining))
  const colour = remaining > 0.5 ? '#2f855a' : remaining > 0.1 ? '#b7791f' : '#c53030'
  return `<svg class="bar" width="160" height="12" role="img" aria-label="${escapeHtml(pct(remaining))} of the error budget left"><rect width="160" height="12" rx="2" fill="#e2e8f0"/><rect width="${(share * 160).toFixed(1)}" height="12" rx="2" fill="${colour}"/></svg>`
}

/** A sparkline of burn rates, one point per window, short windows first; a dashed line at 1 (the sustainable rate). */
export function sparkline(points: ReadonlyArray<number | null>, width = 120, height = 28): string {
  const values = points.map((p) => (p === null || !Number.isFinite(p) ? null : p))
  const known = values.filter((v): v is number => v !== null)
  if (known.length === 0) return '<span class="muted">no data</span>'
  const max = Math.max(1, ...known)
  const x = (i: number) => (values.length === 1 ? width / 2 : (i / (values.length - 1)) * (width - 4) + 2)
  const y = (v: number) => height - 2 - (v / max) * (height - 4)
  const path = values
    .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
    .filter((p): p is string => p !== null)
    .join(' ')
  return `<svg class="spark" width="${width}" height="${height}" role="img" aria-label="burn rates ${escapeHtml(known.map((v) => num(v)).join(', '))}"><line x1="0" x2="${width}" y1="${y(1).toFixed(1)}" y2="${y(1).toFixed(1)}" stroke="#a0aec0" stroke-dasharray="3 2"/><polyline fill="none" stroke="#2b6cb0" stroke-width="1.5" points="${path}"/></svg>`
}

function table(headers: readonly string[], rows: readonly string[][]): string {
  return `<table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`
}

function section(id: StatusSection, title: string, status: Status, body: (items: unknown[]) => string): string {
  const items = status[id] as unknown[] | null
  const inner = items === null ? `<p class="muted none">none — ${escapeHtml(status.unavailable[id] ?? 'not available')}</p>` : items.length === 0 ? '<p class="muted none">none</p>' : body(items)
  return `<section id="section-${id}"><h2>${escapeHtml(title)}</h2>${inner}</section>`
}

/** The sections of the status page as HTML (every value escaped). */
export function renderStatusHtml(status: Status): string {
  const parts = [
    section('slos', 'Service level objectives', status, () =>
      table(
        ['SLO', 'model', 'target', 'SLI', 'error budget left', 'burn rate by window', 'policy'],
        status.slos!.map((s) => [
          escapeHtml(s.name),
          escapeHtml(s.model || '—'),
          escapeHtml(pct(s.target)),
          escapeHtml(pct(s.sli_ratio)),
          `${budgetBar(s.budget_remaining)} ${escapeHtml(pct(s.budget_remaining))}`,
          `${sparkline(s.burn_rates.map((b) => b.rate))} <span class="muted">${escapeHtml(s.burn_rates.map((b) => `${b.window} ${num(b.rate)}`).join(' · '))}</span>`,
          s.frozen ? '<strong class="bad">releases frozen</strong>' : 'ok',
        ]),
      ),
    ),
    section('models', 'Models and versions', status, () =>
      table(
        ['model', 'task', 'champion', 'versions', 'release'],
        status.models!.map((m) => [
          escapeHtml(m.name),
          escapeHtml(m.task),
          m.champion === null ? '<span class="muted">none</span>' : `v${escapeHtml(m.champion)}`,
          escapeHtml(m.versions.map((v) => `v${v.version}${v.eligible ? '' : ' (not eligible)'}`).join(', ') || '—'),
          m.release ? escapeHtml(`${m.release.strategy} of v${m.release.version}: ${m.release.state} at ${m.release.weight_percent} %`) : '<span class="muted">none</span>',
        ]),
      ),
    ),
    section('drift', 'Latest drift per feature', status, () =>
      table(
        ['model', 'feature', 'test', 'statistic', 'p-value', 'drifted', 'window to'],
        status.drift!.map((d) => [escapeHtml(d.model), escapeHtml(d.feature), escapeHtml(d.test), escapeHtml(num(d.statistic)), escapeHtml(num(d.p_value)), d.drifted ? '<strong class="bad">yes</strong>' : 'no', escapeHtml(d.window_to)]),
      ),
    ),
    section('alerts', 'Open alerts', status, () =>
      table(['alert', 'severity', 'state', 'model', 'since', 'summary'], status.alerts!.map((a) => [escapeHtml(a.alertname), escapeHtml(a.severity), escapeHtml(a.state), escapeHtml(a.model || '—'), escapeHtml(a.since), escapeHtml(a.summary)])),
    ),
    section('incidents', 'Open incidents', status, () =>
      table(['incident', 'title', 'severity', 'state', 'model', 'opened'], status.incidents!.map((i) => [escapeHtml(i.id), escapeHtml(i.title), escapeHtml(i.severity), escapeHtml(i.state), escapeHtml(i.model || '—'), escapeHtml(i.opened_at)])),
    ),
    section('runbook_runs', 'Recent runbook runs', status, () =>
      table(['run', 'runbook', 'model', 'outcome', 'started'], status.runbook_runs!.map((r) => [escapeHtml(r.id), escapeHtml(r.runbook), escapeHtml(r.model || '—'), escapeHtml(r.outcome), escapeHtml(r.started_at)])),
    ),
  ]
  return `<p class="muted">Generated ${escapeHtml(status.generated_at)}</p>${parts.join('\n')}`
}
