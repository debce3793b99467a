// grafana/: dashboards as code (Grafana's foundation SDK), the ClickHouse target builder, the dashboard URL
// convention, and (as files) the provisioning in grafana/provisioning and the generated JSON in grafana/dashboards.
export { CLICKHOUSE, PROMETHEUS } from './datasources.ts'
export { ClickHouseQueryBuilder, clickHouseQuery, type ClickHouseFormat, type ClickHouseTarget, type ExpectedColumns, type ExpectedColumnType } from './clickhouse-query.ts'
export { MODEL_VARIABLE_SQL, SLO_VARIABLE_QUERY, VERSION_VARIABLE_SQL, type BuiltDashboard, type ClickHouseExpectation } from './kit.ts'
export { dashboardUrl } from './dashboard-url.ts'
export { buildDashboards, renderDashboard } from './render.ts'
export { SLO_PANELS } from './slo-overview.ts'
export { MODEL_HEALTH_PANELS } from './model-health.ts'
export { RELEASE_ANNOTATION_SQL, SERVING_PANELS } from './serving.ts'
export { COLLECTOR_PANELS } from './collector.ts'
export { INCIDENTS_PANELS } from './incidents.ts'
export { expandClickHouseSql, type MacroContext, type VariableValue } from './clickhouse-macros.ts'
