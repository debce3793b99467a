import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard'
import { PanelBuilder as Stat } from '@grafana/grafana-foundation-sdk/stat'
import { PanelBuilder as Table } from '@grafana/grafana-foundation-sdk/table'
import { PanelBuilder as TimeSeries } from '@grafana/grafana-foundation-sdk/timeseries'
import { CLICKHOUSE } from './datasources.ts'
import { createKit, type BuiltDashboard } from './kit.ts'

/** Panel ids of the incidents dashboard. */
export const INCIDENTS_PANELS = { openIncidents: 1, alertsByState: 2, runbookOutcomes: 3, runbooksInProgress: 4, currentAlerts: 5, transitions: 6, notifications: 7 } as const

/**
 * Incidents: open incidents, alerts by state, runbook runs and outcomes. The incident and runbook tables are built
 * in parallel, so this reads their Prometheus metrics (CONTRACTS.md) and the alert tables that exist.
 */
export function incidentsDashboard(): BuiltDashboard {
  const kit = createKit()
  const json = new DashboardBuilder('Highway / Incidents')
    .uid('highway-incidents')
    .tags(['highway', 'incidents'])
    .time({ from: 'now-24h', to: 'now' })
    .refresh('30s')
    .withPanel(
      new Stat().id(INCIDENTS_PANELS.openIncidents).title('Open incidents').span(8).height(6)
        .withTarget(kit.promInstant('A', 'sum by (severity) (highway_incidents_open)', '{{severity}}')),
    )
    .withPanel(
      new Stat().id(INCIDENTS_PANELS.runbooksInProgress).title('Runbooks in progress').span(8).height(6)
        .withTarget(kit.promInstant('A', 'sum by (runbook) (highway_runbook_runs_in_progress)', '{{runbook}}')),
    )
    .withPanel(
      new Stat().id(INCIDENTS_PANELS.notifications).title('Notification failures (range)').span(8).height(6)
        .withTarget(kit.promInstant('A', 'sum by (receiver) (increase(highway_alert_notification_failures_total[$__range]))', '{{receiver}}')),
    )
    .withPanel(
      new TimeSeries().id(INCIDENTS_PANELS.alertsByState).title('Alerts by state').span(12).height(8)
        .withTarget(kit.prom('A', 'sum by (state, severity) (highway_alerts{state!="resolved"})', '{{state}} {{severity}}')),
    )
    .withPanel(
      new TimeSeries().id(INCIDENTS_PANELS.runbookOutcomes).title('Runbook runs by outcome').span(12).height(8)
        .withTarget(kit.prom('A', 'sum by (runbook, outcome) (increase(highway_runbook_runs_total[$__rate_interval]))', '{{runbook}} {{outcome}}')),
    )
    .withPanel(
      new Table().id(INCIDENTS_PANELS.currentAlerts).title('Current alerts').span(24).height(9).datasource(CLICKHOUSE)
        .description('Highway’s own alerts and Alertmanager’s (alert_state), newest first.')
        .withTarget(kit.ch('A', `
SELECT active_at AS time, alertname, severity, state, source, model, slo, fired_at, annotations['dashboard_url'] AS dashboard_url
FROM alert_state FINAL
WHERE state != 'resolved'
ORDER BY active_at DESC
LIMIT 500`, { time: 'DateTime', alertname: 'String', severity: 'String', state: 'String', source: 'String', model: 'String', slo: 'String', fired_at: 'DateTime', dashboard_url: 'String' }, 'table')),
    )
    .withPanel(
      new TimeSeries().id(INCIDENTS_PANELS.transitions).title('Alert transitions').span(24).height(8).datasource(CLICKHOUSE)
        .withTarget(kit.ch('A', `
SELECT $__timeInterval(at) AS time, to_state, count() AS transitions
FROM alert_events
WHERE kind = 'transition' AND $__timeFilter_ms(at)
GROUP BY time, to_state
ORDER BY time`, { time: 'DateTime', to_state: 'String', transitions: 'UInt64' })),
    )
    .build()
  return { uid: 'highway-incidents', slug: 'highway-incidents', json, clickhouse: kit.expectations }
}
