import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard'
import { PanelBuilder as TimeSeries } from '@grafana/grafana-foundation-sdk/timeseries'
import { CLICKHOUSE } from './datasources.ts'
import { createKit, type BuiltDashboard } from './kit.ts'

/** Panel ids of the collector dashboard. */
export const COLLECTOR_PANELS = { ingestRate: 1, rejects: 2, spoolDepth: 3, ingestDelay: 4, storageErrors: 5, flushDuration: 6 } as const

/** Collector: ingest rate, rejects by reason, spool depth and lag, storage errors. */
export function collectorDashboard(): BuiltDashboard {
  const kit = createKit()
  const json = new DashboardBuilder('Highway / Collector')
    .uid('highway-collector')
    .tags(['highway', 'collector'])
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .withPanel(
      new TimeSeries().id(COLLECTOR_PANELS.ingestRate).title('Ingest rate').unit('rps').span(12).height(8)
        .withTarget(kit.prom('A', 'sum by (model, kind) (rate(highway_records_accepted_total[$__rate_interval]))', '{{model}} {{kind}}')),
    )
    .withPanel(
      new TimeSeries().id(COLLECTOR_PANELS.rejects).title('Rejects by reason').unit('rps').span(12).height(8)
        .description('Records quarantined, by the rule they broke; 429s for lack of room.')
        .withTarget(kit.prom('A', 'sum by (model, reason) (rate(highway_records_rejected_total[$__rate_interval]))', '{{model}} {{reason}}'))
        .withTarget(kit.prom('B', 'sum(rate(highway_ingest_overloaded_total[$__rate_interval]))', 'overloaded (429)')),
    )
    .withPanel(
      new TimeSeries().id(COLLECTOR_PANELS.spoolDepth).title('Spool depth').unit('bytes').span(12).height(8)
        .description('Logged but not yet in ClickHouse: the lag of reads behind acknowledgements.')
        .withTarget(kit.prom('A', 'sum by (instance) (highway_spool_bytes)', 'bytes {{instance}}'))
        .withTarget(kit.prom('B', 'sum by (instance) (highway_spool_entries)', 'entries {{instance}}')),
    )
    .withPanel(
      new TimeSeries().id(COLLECTOR_PANELS.ingestDelay).title('Ingest delay (received − event time)').unit('s').span(12).height(8).datasource(CLICKHOUSE)
        .description('How late records reach the collector after their own timestamp, per model.')
        .withTarget(kit.ch('A', `
SELECT $__timeInterval(received_at) AS time, model, quantile(0.99)(dateDiff('millisecond', ts, received_at)) / 1000 AS p99_s
FROM predictions
WHERE $__timeFilter(ts) AND $__timeFilter_ms(received_at)
GROUP BY time, model
ORDER BY time`, { time: 'DateTime', model: 'String', p99_s: 'Float64' })),
    )
    .withPanel(
      new TimeSeries().id(COLLECTOR_PANELS.storageErrors).title('Storage errors').span(12).height(8)
        .withTarget(kit.prom('A', 'sum by (operation) (rate(highway_storage_errors_total[$__rate_interval]))', '{{operation}}'))
        .withTarget(kit.prom('B', 'max(highway_storage_degraded)', 'degraded'))
        .withTarget(kit.prom('C', 'sum by (table) (increase(highway_ingest_refused_rows_total[$__rate_interval]))', 'refused rows {{table}}'))
        .withTarget(kit.prom('D', 'sum(increase(highway_spool_dead_letters_total[$__rate_interval]))', 'dead letters')),
    )
    .withPanel(
      new TimeSeries().id(COLLECTOR_PANELS.flushDuration).title('Insert duration p99').unit('s').span(12).height(8)
        .withTarget(kit.prom('A', 'histogram_quantile(0.99, sum by (le) (rate(highway_ingest_flush_duration_seconds_bucket[$__rate_interval])))', 'p99'))
        .withTarget(kit.prom('B', 'sum(rate(highway_ingest_batch_rows_sum[$__rate_interval])) / sum(rate(highway_ingest_batch_rows_count[$__rate_interval]))', 'rows per insert')),
    )
    .build()
  return { uid: 'highway-collector', slug: 'highway-collector', json, clickhouse: kit.expectations }
}
