import { AnnotationQueryBuilder, DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard'
import { PanelBuilder as Table } from '@grafana/grafana-foundation-sdk/table'
import { PanelBuilder as TimeSeries } from '@grafana/grafana-foundation-sdk/timeseries'
import { CLICKHOUSE } from './datasources.ts'
import { createKit, modelVariable, versionVariable, type BuiltDashboard } from './kit.ts'

/** Panel ids of the serving dashboard (targets of latency and error alerts' `dashboard_url`). */
export const SERVING_PANELS = { requestRate: 1, latency: 2, errors: 3, canaryWeight: 4, loggedLatency: 5, releases: 6 } as const

const MODEL = 'model="$model", version=~"$version"'

/** The releases and rollbacks of the model, as annotations (ClickHouse `releases` events). */
export const RELEASE_ANNOTATION_SQL = `
SELECT at AS time, concat(event, ' v', toString(version), ' (', strategy, ', stable v', toString(stable_version), ')') AS text, event AS tags
FROM releases
WHERE model = '\${model}' AND event IN ('started', 'promoted', 'rolled_back', 'aborted') AND $__timeFilter_ms(at)
ORDER BY at`.trim()

/** Serving: request rate, p50/p99 latency and errors by version, canary weight; releases as annotations. */
export function servingDashboard(): BuiltDashboard {
  const kit = createKit()
  const annotation = kit.ch('A', RELEASE_ANNOTATION_SQL, { time: 'DateTime', text: 'String', tags: 'String' }, 'table')
  const json = new DashboardBuilder('Highway / Serving')
    .uid('highway-serving')
    .tags(['highway', 'serving'])
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .withVariable(modelVariable())
    .withVariable(versionVariable())
    .annotation(new AnnotationQueryBuilder().name('Releases and rollbacks').datasource(CLICKHOUSE).enable(true).iconColor('orange').target(annotation))
    .withPanel(
      new TimeSeries().id(SERVING_PANELS.requestRate).title('Request rate by version').unit('reqps').span(12).height(8)
        .withTarget(kit.prom('A', `sum by (version) (rate(highway_serving_requests_total{${MODEL}}[$__rate_interval]))`, 'v{{version}}')),
    )
    .withPanel(
      new TimeSeries().id(SERVING_PANELS.latency).title('Latency p50 / p99 by version').unit('s').span(12).height(8)
        .withTarget(kit.prom('A', `histogram_quantile(0.5, sum by (version, le) (rate(highway_serving_request_duration_seconds_bucket{${MODEL}}[$__rate_interval])))`, 'p50 v{{version}}'))
        .withTarget(kit.prom('B', `histogram_quantile(0.99, sum by (version, le) (rate(highway_serving_request_duration_seconds_bucket{${MODEL}}[$__rate_interval])))`, 'p99 v{{version}}')),
    )
    .withPanel(
      new TimeSeries().id(SERVING_PANELS.errors).title('Errors by version').unit('reqps').span(12).height(8)
        .description('Rows answered with status error or invalid.')
        .withTarget(kit.prom('A', `sum by (version, status) (rate(highway_serving_requests_total{${MODEL}, status!="ok"}[$__rate_interval]))`, 'v{{version}} {{status}}')),
    )
    .withPanel(
      new TimeSeries().id(SERVING_PANELS.canaryWeight).title('Canary weight').unit('percent').min(0).max(100).span(12).height(8).datasource(CLICKHOUSE)
        .description('Share of traffic on the candidate at each recorded release step.')
        .withTarget(kit.ch('A', `
SELECT at AS time, concat('v', toString(version)) AS candidate, weight_percent
FROM releases
WHERE model = '\${model}' AND $__timeFilter_ms(at)
ORDER BY time`, { time: 'DateTime', candidate: 'String', weight_percent: 'Float64' })),
    )
    .withPanel(
      new TimeSeries().id(SERVING_PANELS.loggedLatency).title('Logged latency p99 by version (ClickHouse rollup)').unit('ms').span(12).height(8).datasource(CLICKHOUSE)
        .description('From every logged prediction (prediction_rollup_1m), served by Highway or by the service that logs them.')
        .withTarget(kit.ch('A', `
SELECT $__timeInterval(minute) AS time, version, toFloat64(quantilesTDigestMerge(0.5, 0.9, 0.95, 0.99)(latency_quantiles)[4]) AS p99_ms
FROM prediction_rollup_1m
WHERE model = '\${model}' AND $__conditionalAll(version IN (\${version}), $version) AND $__timeFilter(minute)
GROUP BY time, version
ORDER BY time`, { time: 'DateTime', version: 'String', p99_ms: 'Float64' })),
    )
    .withPanel(
      new Table().id(SERVING_PANELS.releases).title('Release events').span(12).height(8).datasource(CLICKHOUSE)
        .withTarget(kit.ch('A', `
SELECT at AS time, release_id, strategy, version, stable_version, event, state, step, weight_percent, actor
FROM releases
WHERE model = '\${model}' AND $__timeFilter_ms(at)
ORDER BY at DESC
LIMIT 500`, { time: 'DateTime', release_id: 'String', strategy: 'String', version: 'number', stable_version: 'number', event: 'String', state: 'String', step: 'number', weight_percent: 'Float64', actor: 'String' }, 'table')),
    )
    .build()
  return { uid: 'highway-serving', slug: 'highway-serving', json, clickhouse: kit.expectations }
}
