const quote = (name) => `\`${name}\``;
/** Fully qualified name of the table that holds the rows (the replicated local table on a cluster). */
export function localTable(ctx, name) {
    return `${quote(ctx.database)}.${quote(ctx.cluster ? `${name}_local` : name)}`;
}
/** Fully qualified name to read and insert through (the Distributed table on a cluster). */
export function tableName(ctx, name) {
    return `${quote(ctx.database)}.${quote(name)}`;
}
function onCluster(ctx) {
    return ctx.cluster ? ` ON CLUSTER ${quote(ctx.cluster)}` : '';
}
/** CREATE DATABASE statement for the context. */
export function createDatabase(ctx) {
    return `CREATE DATABASE IF NOT EXISTS ${quote(ctx.database)}${onCluster(ctx)}`;
}
/** CREATE TABLE statements for a table spec: one locally, two (replicated local + distributed) on a cluster. */
export function createTable(ctx, spec) {
    const body = [...spec.columns, ...(spec.indexes ?? []).map((i) => `INDEX ${i}`)].join(',\n  ');
    const engine = ctx.cluster
        ? `Replicated${spec.engine}('/clickhouse/tables/{shard}/${ctx.database}/${spec.name}_local', '{replica}'${spec.engineArgs ? `, ${spec.engineArgs}` : ''})`
        : `${spec.engine}(${spec.engineArgs ?? ''})`;
    const clauses = [
        `ENGINE = ${engine}`,
        spec.partitionBy ? `PARTITION BY ${spec.partitionBy}` : '',
        `ORDER BY ${spec.orderBy}`,
        spec.ttl ? `TTL ${spec.ttl}` : '',
        spec.settings && Object.keys(spec.settings).length > 0
            ? `SETTINGS ${Object.entries(spec.settings).map(([k, v]) => `${k} = ${v}`).join(', ')}`
            : '',
    ].filter(Boolean);
    const local = `CREATE TABLE IF NOT EXISTS ${localTable(ctx, spec.name)}${onCluster(ctx)} (\n  ${body}\n)\n${clauses.join('\n')}`;
    if (!ctx.cluster)
        return [local];
    const distributed = `CREATE TABLE IF NOT EXISTS ${tableName(ctx, spec.name)}${onCluster(ctx)} AS ${localTable(ctx, spec.name)}\n` +
        `ENGINE = Distributed(${quote(ctx.cluster)}, ${quote(ctx.database)}, ${quote(`${spec.name}_local`)}, ${spec.shardingKey ?? 'rand()'})`;
    return [local, distributed];
}
/** CREATE MATERIALIZED VIEW, reading and writing the local tables on a cluster so each shard rolls up its own rows. */
export function createView(ctx, spec) {
    const select = spec.select.replaceAll('{from}', localTable(ctx, spec.from));
    return [
        `CREATE MATERIALIZED VIEW IF NOT EXISTS ${tableName(ctx, spec.name)}${onCluster(ctx)} TO ${localTable(ctx, spec.to)}\nAS ${select}`,
    ];
}
/** ALTER that changes a table's TTL (retention), applied where the rows live. */
export function modifyTtl(ctx, table, ttl) {
    return `ALTER TABLE ${localTable(ctx, table)}${onCluster(ctx)} MODIFY TTL ${ttl}`;
}
/** ALTER that changes a table's MergeTree settings, applied where the rows live. */
export function modifySettings(ctx, table, settings) {
    return `ALTER TABLE ${localTable(ctx, table)}${onCluster(ctx)} MODIFY SETTING ${Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join(', ')}`;
}
//# sourceMappingURL=ddl.js.map