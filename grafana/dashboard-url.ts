/**
 * The `dashboard_url` annotation convention for alerts: `<grafana>/d/<uid>/<slug>?var-<name>=<value>…&viewPanel=<id>`.
 * Grafana opens the dashboard with the variables set (`var-model=booking-spam`, repeated for multi-value variables)
 * and the one panel in view mode. uids, slugs and panel ids are fixed in the dashboard modules, so a URL written into
 * an alert rule keeps working when the dashboards are regenerated.
 */
export function dashboardUrl(options: {
  readonly grafanaUrl: string
  readonly uid: string
  readonly slug: string
  readonly panelId?: number
  readonly variables?: Readonly<Record<string, string | readonly string[]>>
  readonly from?: string
  readonly to?: string
}): string {
  const query = new URLSearchParams()
  for (const [name, value] of Object.entries(options.variables ?? {})) {
    for (const v of typeof value === 'string' ? [value] : value) query.append(`var-${name}`, v)
  }
  if (options.from) query.set('from', options.from)
  if (options.to) query.set('to', options.to)
  if (options.panelId !== undefined) query.set('viewPanel', String(options.panelId))
  const search = query.toString()
  return `${options.grafanaUrl.replace(/\/+$/, '')}/d/${encodeURIComponent(options.uid)}/${encodeURIComponent(options.slug)}${search ? `?${search}` : ''}`
}
