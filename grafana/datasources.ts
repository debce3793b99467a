import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common'

/** The Prometheus datasource as provisioned (grafana/provisioning/datasources): every PromQL panel names this uid. */
export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: 'prometheus' }

/** The ClickHouse datasource (plugin `grafana-clickhouse-datasource`) as provisioned. */
export const CLICKHOUSE: DataSourceRef = { type: 'grafana-clickhouse-datasource', uid: 'clickhouse' }
