import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog'
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus'
import { QueryVariableBuilder, VariableRefresh, VariableSort, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard'
import { clickHouseQuery, type ClickHouseFormat, type ExpectedColumns } from './clickhouse-query.ts'
import { CLICKHOUSE, PROMETHEUS } from './datasources.ts'

/** What a ClickHouse target must return, keyed by its SQL (tests run the SQL and compare). */
export interface ClickHouseExpectation {
  readonly rawSql: string
  readonly columns: ExpectedColumns
}

/** One generated dashboard: its JSON and the column contract of its ClickHouse targets. */
export interface BuiltDashboard {
  readonly uid: string
  readonly slug: string
  readonly json: Dashboard
  readonly clickhouse: readonly ClickHouseExpectation[]
}

/** Per-dashboard target helpers; ClickHouse targets remember what they must return. */
export interface DashboardKit {
  /** A ClickHouse SQL target; `columns` is what the panel reads. */
  ch(refId: string, sql: string, columns: ExpectedColumns, format?: ClickHouseFormat): Builder<Dataquery>
  /** A PromQL range target. */
  prom(refId: string, expr: string, legend?: string): Builder<Dataquery>
  /** A PromQL instant target (stat and table panels). */
  promInstant(refId: string, expr: string, legend?: string): Builder<Dataquery>
  readonly expectations: ClickHouseExpectation[]
}

/** A fresh kit for one dashboard. */
export function createKit(): DashboardKit {
  const expectations: ClickHouseExpectation[] = []
  return {
    expectations,
    ch(refId, sql, columns, format = 'time_series') {
      const builder = clickHouseQuery(sql).refId(refId).format(format).columns(columns)
      expectations.push({ rawSql: sql.trim(), columns })
      return builder
    },
    prom: (refId, expr, legend) => new DataqueryBuilder().refId(refId).datasource(PROMETHEUS).expr(expr).range().legendFormat(legend ?? '__auto'),
    promInstant: (refId, expr, legend) => new DataqueryBuilder().refId(refId).datasource(PROMETHEUS).expr(expr).instant().legendFormat(legend ?? '__auto'),
  }
}

// Variable queries are strings: the dashboard schema allows an object only of objects, and both the plugin
// (metricFindQuery takes a string as rawSql) and Prometheus (label_values) read the string form.
/** The SQL of the `model` variable (also run by the chDB tests). */
export const MODEL_VARIABLE_SQL = 'SELECT DISTINCT model FROM prediction_rollup_1m ORDER BY model'
/** The SQL of the `version` variable (also run by the chDB tests). */
export const VERSION_VARIABLE_SQL = "SELECT DISTINCT version FROM prediction_rollup_1m WHERE model = '${model}' ORDER BY version"

/**
 * `model`: one model, from the per-minute rollup (cheap: one row per model, version and minute). Single-valued, so
 * SQL reads it as `'${model}'` and PromQL as `model="$model"`; alerts' `dashboard_url` sets it as `var-model`.
 */
export function modelVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder('model')
    .label('Model')
    .datasource(CLICKHOUSE)
    .query(MODEL_VARIABLE_SQL)
    .definition(MODEL_VARIABLE_SQL)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
}


/**
 * `version`: several or All. SQL wraps it in `$__conditionalAll(version IN (${version}), $version)` (All drops
 * the filter before substitution, so `allValue` never reaches SQL); PromQL reads `version=~"$version"`, where All is
 * the regex `.*`.
 */
export function versionVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder('version')
    .label('Version')
    .datasource(CLICKHOUSE)
    .query(VERSION_VARIABLE_SQL)
    .definition(VERSION_VARIABLE_SQL)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
}

/** The Prometheus query of the `slo` variable: the SLO names Highway publishes (`sloth_slo`). */
export const SLO_VARIABLE_QUERY = 'label_values(slo:objective:ratio, sloth_slo)'

/** `slo`: several or All, read by PromQL as `sloth_slo=~"$slo"`. */
export function sloVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder('slo')
    .label('SLO')
    .datasource(PROMETHEUS)
    .query(SLO_VARIABLE_QUERY)
    .definition(SLO_VARIABLE_QUERY)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
}
