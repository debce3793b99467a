/** Where DDL is applied: one database, optionally replicated across a named cluster. */
export interface DdlContext {
  readonly database: string
  readonly cluster?: string
  readonly retentionDays: number
}

/** A table described once; rendered as a plain MergeTree table or as Replicated + Distributed for a cluster. */
export interface TableSpec {
  readonly name: string
  readonly columns: readonly string[]
  readonly indexes?: readonly string[]
  readonly engine: 'MergeTree' | 'ReplacingMergeTree' | 'AggregatingMergeTree' | 'SummingMergeTree'
  readonly engineArgs?: string
  readonly partitionBy?: string
  readonly orderBy: string
  readonly ttl?: string
  readonly settings?: Readonly<Record<string, number>>
  /** Distributed sharding key: rows that must merge together (same id) land on one shard. */
  readonly shardingKey?: string
}

/** A table whose TTL follows the configured retention. */
export interface RetainedTable {
  readonly spec: (ctx: DdlContext) => TableSpec
  readonly ttl: (ctx: DdlContext) => string
}

/** A materialized view that feeds a rollup table from a source table. */
export interface ViewSpec {
  readonly name: string
  readonly to: string
  readonly from: string
  /** SELECT with `{from}` where the source table goes. */
  readonly select: string
}

const quote = (name: string): string => `\`${name}\``

/** Fully qualified name of the table that holds the rows (the replicated local table on a cluster). */
export function localTable(ctx: DdlContext, name: string): string {
  return `${quote(ctx.database)}.${quote(ctx.cluster ? `${name}_local` : name)}`
}

/** Fully qualified name to read and insert through (the Distributed table on a cluster). */
export function tableName(ctx: DdlContext, name: string): string {
  return `${quote(ctx.database)}.${quote(name)}`
}

function onCluster(ctx: DdlContext): string {
  return ctx.cluster ? ` ON CLUSTER ${quote(ctx.cluster)}` : ''
}

/** CREATE DATABASE statement for the context. */
export function createDatabase(ctx: DdlContext): string {
  return `CREATE DATABASE IF NOT EXISTS ${quote(ctx.database)}${onCluster(ctx)}`
}

/** CREATE TABLE statements for a table spec: one locally, two (replicated local + distributed) on a cluster. */
export function createTable(ctx: DdlContext, spec: TableSpec): string[] {
  const body = [...spec.columns, ...(spec.indexes ?? []).map((i) => `INDEX ${i}`)].join(',\n  ')
  const engine = ctx.cluster
    ? `Replicated${spec.engine}('/clickhouse/tables/{shard}/${ctx.database}/${spec.name}_local', '{replica}'${spec.engineArgs ? `, ${spec.engineArgs}` : ''})`
    : `${spec.engine}(${spec.engineArgs ?? ''})`
  const clauses = [
    `ENGINE = ${engine}`,
    spec.partitionBy ? `PARTITION BY ${spec.partitionBy}` : '',
    `ORDER BY ${spec.orderBy}`,
    spec.ttl ? `TTL ${spec.ttl}` : '',
    spec.settings && Object.keys(spec.settings).length > 0
      ? `SETTINGS ${Object.entries(spec.settings).map(([k, v]) => `${k} = ${v}`).join(', ')}`
      : '',
  ].filter(Boolean)
  const local = `CREATE TABLE IF NOT EXISTS ${localTable(ctx, spec.name)}${onCluster(ctx)} (\n  ${body}\n)\n${clauses.join('\n')}`
  if (!ctx.cluster) return [local]
  const distributed =
    `CREATE TABLE IF NOT EXISTS ${tableName(ctx, spec.name)}${onCluster(ctx)} AS ${localTable(ctx, spec.name)}\n` +
    `ENGINE = Distributed(${quote(ctx.cluster)}, ${quote(ctx.database)}, ${quote(`${spec.name}_local`)}, ${spec.shardingKey ?? 'rand()'})`
  return [local, distributed]
}

/** CREATE MATERIALIZED VIEW, reading and writing the local tables on a cluster so each shard rolls up its own rows. */
export function createView(ctx: DdlContext, spec: ViewSpec): string[] {
  const select = spec.select.replaceAll('{from}', localTable(ctx, spec.from))
  return [
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${tableName(ctx, spec.name)}${onCluster(ctx)} TO ${localTable(ctx, spec.to)}\nAS ${select}`,
  ]
}

/**
 * ALTER that swaps a materialized view's query in place: inserts see the old query or the new one, never neither
 * (no gap and no overlap, as a DROP and CREATE would leave). Same local-table rewriting as {@link createView}.
 */
export function modifyViewQuery(ctx: DdlContext, spec: ViewSpec): string {
  return `ALTER TABLE ${tableName(ctx, spec.name)}${onCluster(ctx)} MODIFY QUERY ${spec.select.replaceAll('{from}', localTable(ctx, spec.from))}`
}

/** DROP of a materialized view (its target table and rows stay). */
export function dropView(ctx: DdlContext, name: string): string {
  return `DROP VIEW IF EXISTS ${tableName(ctx, name)}${onCluster(ctx)}`
}

/** ALTER that changes a table's TTL (retention), applied where the rows live. */
export function modifyTtl(ctx: DdlContext, table: string, ttl: string): string {
  return `ALTER TABLE ${localTable(ctx, table)}${onCluster(ctx)} MODIFY TTL ${ttl}`
}

/** ALTER that changes a table's MergeTree settings, applied where the rows live. */
export function modifySettings(ctx: DdlContext, table: string, settings: Readonly<Record<string, number>>): string {
  return `ALTER TABLE ${localTable(ctx, table)}${onCluster(ctx)} MODIFY SETTING ${Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join(', ')}`
}
