import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard'
import { PanelBuilder as Heatmap } from '@grafana/grafana-foundation-sdk/heatmap'
import { PanelBuilder as TimeSeries } from '@grafana/grafana-foundation-sdk/timeseries'
import { CLICKHOUSE } from './datasources.ts'
import { createKit, modelVariable, versionVariable, type BuiltDashboard } from './kit.ts'

/** Panel ids of model health (targets of model-health alerts' `dashboard_url`). */
export const MODEL_HEALTH_PANELS = { featureDrift: 1, datasetDrift: 2, dataQuality: 3, quarantined: 4, performance: 5, labelCoverage: 6, labelDelay: 7 } as const

const MODEL = 'model="$model", version=~"$version"'
// Stored analyzer results are JSON documents (analysis_results.result); a version '' result covers all versions.
const RESULTS_OF = (job: string) => `job = '${job}' AND model = '\${model}' AND $__conditionalAll(version IN (\${version}), $version) AND $__timeFilter_ms(window_to)`

/** Model health: drift per feature, dataset drift share, data quality, realised vs estimated performance, labels. */
export function modelHealthDashboard(): BuiltDashboard {
  const kit = createKit()
  const json = new DashboardBuilder('Highway / Model health')
    .uid('highway-model-health')
    .tags(['highway', 'models'])
    .time({ from: 'now-7d', to: 'now' })
    .refresh('5m')
    .withVariable(modelVariable())
    .withVariable(versionVariable())
    .withPanel(
      new Heatmap().id(MODEL_HEALTH_PANELS.featureDrift).title('Drift per feature').span(24).height(10).datasource(CLICKHOUSE)
        .description('Each stored drift window: the p-value of p-value tests (low is drift), else the distance statistic. One row per feature.')
        .calculate(false)
        .withTarget(kit.ch('A', `
SELECT window_to AS time, JSONExtractString(f, 'feature') AS feature,
  ifNull(JSONExtract(f, 'p_value', 'Nullable(Float64)'), JSONExtract(f, 'statistic', 'Nullable(Float64)')) AS score
FROM analysis_results
ARRAY JOIN JSONExtractArrayRaw(result, 'features') AS f
WHERE ${RESULTS_OF('drift')}
ORDER BY time`, { time: 'DateTime', feature: 'String', score: 'Float64' })),
    )
    .withPanel(
      new TimeSeries().id(MODEL_HEALTH_PANELS.datasetDrift).title('Dataset drift share').unit('percentunit').span(12).height(8)
        .withTarget(kit.prom('A', `highway_dataset_drift_share{${MODEL}}`, '{{version}}')),
    )
    .withPanel(
      new TimeSeries().id(MODEL_HEALTH_PANELS.dataQuality).title('Data quality by feature').unit('percentunit').span(12).height(8)
        .description('Missing, out-of-range, type-error and unseen-category shares of the latest window.')
        .withTarget(kit.prom('A', `highway_data_quality{model="$model", check!="constant"} > 0`, '{{feature}} {{check}}')),
    )
    .withPanel(
      new TimeSeries().id(MODEL_HEALTH_PANELS.quarantined).title('Quarantined records').span(12).height(8).datasource(CLICKHOUSE)
        .withTarget(kit.ch('A', `
SELECT $__timeInterval(received_at) AS time, count() AS quarantined
FROM quarantine
WHERE model = '\${model}' AND $__timeFilter_ms(received_at)
GROUP BY time
ORDER BY time`, { time: 'DateTime', quarantined: 'UInt64' })),
    )
    .withPanel(
      new TimeSeries().id(MODEL_HEALTH_PANELS.performance).title('Performance: realised vs estimated').span(12).height(8)
        .description('Realised on the labels that arrived; estimated (CBPE) without them.')
        .withTarget(kit.prom('A', `highway_model_performance{${MODEL}}`, '{{metric}} {{kind}} {{version}}')),
    )
    .withPanel(
      new TimeSeries().id(MODEL_HEALTH_PANELS.labelCoverage).title('Label coverage').unit('percentunit').min(0).max(1).span(12).height(8)
        .withTarget(kit.prom('A', `highway_label_coverage{${MODEL}}`, '{{version}}')),
    )
    .withPanel(
      new TimeSeries().id(MODEL_HEALTH_PANELS.labelDelay).title('Label delay').unit('s').span(12).height(8).datasource(CLICKHOUSE)
        .description('p50 and p95 of label arrival after the prediction, per stored quality window.')
        .withTarget(kit.ch('A', `
SELECT window_to AS time,
  JSONExtract(result, 'label_delay_seconds', 'p50', 'Nullable(Float64)') AS p50,
  JSONExtract(result, 'label_delay_seconds', 'p95', 'Nullable(Float64)') AS p95
FROM analysis_results
WHERE ${RESULTS_OF('quality')}
ORDER BY time`, { time: 'DateTime', p50: 'Float64', p95: 'Float64' })),
    )
    .build()
  return { uid: 'highway-model-health', slug: 'highway-model-health', json, clickhouse: kit.expectations }
}
