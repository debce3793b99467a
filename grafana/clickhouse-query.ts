import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog'
import { CLICKHOUSE } from './datasources.ts'

/**
 * How the plugin shapes a result (sqlutil's FormatQueryOption, which grafana/clickhouse-datasource decodes as
 * `format`): 0 time series (wide or long frames with a time column), 1 table.
 */
export type ClickHouseFormat = 'time_series' | 'table'
const FORMAT_CODES: Readonly<Record<ClickHouseFormat, number>> = { time_series: 0, table: 1 }

/** A ClickHouse column type as `system.columns`/`toTypeName` spell it, or a family checked by prefix. */
export type ExpectedColumnType = 'DateTime' | 'Float64' | 'UInt64' | 'String' | 'UInt8' | 'Int64' | 'number'

/** What a panel reads from a query's result: the column names in order and their types (checked in tests). */
export type ExpectedColumns = Readonly<Record<string, ExpectedColumnType>>

/** The JSON of one ClickHouse panel target, in the shape the plugin's SQL editor saves. */
export interface ClickHouseTarget extends Dataquery {
  readonly refId: string
  readonly datasource: { readonly type: string; readonly uid: string }
  readonly editorType: 'sql'
  readonly queryType: 'timeseries' | 'table'
  readonly rawSql: string
  readonly format: number
}

/**
 * A typed builder for the ClickHouse datasource's SQL targets (the foundation SDK has none). `columns` records
 * what the panel expects back; it is kept beside the target (not in the dashboard JSON) by `clickHouseQueries`.
 */
export class ClickHouseQueryBuilder implements Builder<Dataquery> {
  #refId = 'A'
  #sql = ''
  #format: ClickHouseFormat = 'time_series'
  #columns: ExpectedColumns = {}

  /** The SQL, with the plugin's macros (`$__timeFilter(col)`, …) and template variables (`${model}`). */
  sql(rawSql: string): this {
    this.#sql = rawSql.trim()
    return this
  }

  /** The target's refId (A, B, …). */
  refId(refId: string): this {
    this.#refId = refId
    return this
  }

  /** Time series (default) or table. */
  format(format: ClickHouseFormat): this {
    this.#format = format
    return this
  }

  /** The columns the panel reads, in order, with their ClickHouse types. */
  columns(columns: ExpectedColumns): this {
    this.#columns = columns
    return this
  }

  /** The expected columns, for the tests that run the query in chDB. */
  expectedColumns(): ExpectedColumns {
    return this.#columns
  }

  /** The target JSON. */
  build(): Dataquery {
    if (this.#sql === '') throw new Error(`ClickHouse target ${this.#refId}: sql is empty`)
    const target: Omit<ClickHouseTarget, '_implementsDataqueryVariant'> = {
      refId: this.#refId,
      datasource: { type: CLICKHOUSE.type ?? 'grafana-clickhouse-datasource', uid: CLICKHOUSE.uid ?? 'clickhouse' },
      editorType: 'sql',
      queryType: this.#format === 'table' ? 'table' : 'timeseries',
      rawSql: this.#sql,
      format: FORMAT_CODES[this.#format],
    }
    // Dataquery is a marker interface (a method no JSON has); the built value is plain data.
    return target as unknown as Dataquery
  }
}

/** A ClickHouse SQL target. */
export function clickHouseQuery(rawSql: string): ClickHouseQueryBuilder {
  return new ClickHouseQueryBuilder().sql(rawSql)
}
