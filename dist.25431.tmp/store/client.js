import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { createClient } from '@clickhouse/client';
import { Session } from 'chdb';
import { createChdbConnection } from 'chdb/connection';
import { tableName } from "./ddl.js";
import { toStoreError } from "./errors.js";
import { applyMigrations } from "./migrations.js";
/**
 * Engine arguments of embedded chDB, which shares this process and its cores with the collector: one background
 * merge thread instead of two. With acknowledge: logged no request waits for a merge, and one merge at a time keeps
 * the collector's peak RSS lower (measured: docs/storage.md, "Acknowledged once logged").
 */
const EMBEDDED_ENGINE_ARGS = ['--background_pool_size=1'];
// Counts fit in a double (< 2^53), so read 64-bit integers as JSON numbers, not strings.
const READ_SETTINGS = { output_format_json_quote_64bit_integers: 0 };
/** Opens the store and applies migrations. Throws a StoreError when ClickHouse cannot be reached or rejects DDL. */
export async function openStore(options) {
    const store = createStore(options);
    try {
        await applyMigrations(store, store.ctx);
    }
    catch (err) {
        await store.close();
        throw toStoreError(err, 'migrate');
    }
    return store;
}
/** Creates the client without touching the database (no migrations): for tools and for tests of migrations. */
export function createStore(options) {
    const ctx = { database: options.database, retentionDays: options.retentionDays, ...(options.cluster ? { cluster: options.cluster } : {}) };
    let client;
    let location;
    let insertEncoded;
    let closeEngine = () => undefined;
    if (options.mode === 'embedded') {
        const dir = resolve(options.dataDir, 'clickhouse');
        mkdirSync(dir, { recursive: true });
        // The first connection to a directory starts its engine, with these arguments; the client's connection shares it.
        const engine = new Session(dir, { connectionArgs: [...EMBEDDED_ENGINE_ARGS] });
        const chdb = createChdbConnection({ path: dir });
        // chdb ships its own copy of @clickhouse/client-common's types; the shapes are the same contract.
        client = createClient({ connection: chdb, clickhouse_settings: READ_SETTINGS });
        location = dir;
        closeEngine = () => engine.close();
        // chDB's raw insert hands the Buffer to the engine as is and puts the settings in the INSERT's SETTINGS
        // clause. Through `client.exec` the connection would copy the payload into the SQL text and send each
        // setting as a separate SET statement first (measured: docs/storage.md, "The insert path") — session state
        // that outlives the insert: the next insert on the session would carry the last dedup token.
        // chDB's raw insert takes text formats only: RowBinary goes through a file the INSERT selects from, in a
        // directory of this process's own (another may share the data directory); a dead process's files go.
        const filesRoot = resolve(options.dataDir, 'insert-files');
        mkdirSync(filesRoot, { recursive: true });
        for (const pid of readdirSync(filesRoot))
            if (!processAlive(Number(pid)))
                rmSync(join(filesRoot, pid), { recursive: true, force: true });
        const filesDir = join(filesRoot, String(process.pid));
        mkdirSync(filesDir, { recursive: true });
        const insertFromFile = async (insert) => {
            if (insert.structure === undefined)
                throw new Error('a RowBinary insert needs its structure');
            const path = join(filesDir, `${randomUUID()}.bin`);
            await writeFile(path, insert.payload);
            try {
                await client.command({
                    query: `INSERT INTO ${tableName(ctx, insert.table)} (${insert.columns.join(', ')}) SETTINGS ${settingsClause(insert.settings)} SELECT * FROM file(${stringLiteral(path)}, 'RowBinary', ${stringLiteral(insert.structure)})`,
                    abort_signal: AbortSignal.timeout(insert.timeoutMs),
                });
            }
            finally {
                await rm(path, { force: true });
            }
        };
        insertEncoded = (insert) => {
            if (insert.format === 'RowBinary')
                return insertFromFile(insert);
            return chdb.chdb
                .rawInsert({
                table: `${ctx.database}.${insert.table}`,
                columns: [...insert.columns],
                format: insert.format,
                values: insert.payload,
                settings: { ...insert.settings },
                timeout: insert.timeoutMs,
            })
                .catch((err) => {
                throw withClickHouseCode(err);
            });
        };
    }
    else {
        client = createClient({
            url: options.url,
            username: options.user,
            password: options.password,
            request_timeout: options.requestTimeoutMs ?? 30_000,
            // Durability: an insert returns only once the rows are written, on a cluster too.
            clickhouse_settings: options.cluster ? { ...READ_SETTINGS, distributed_foreground_insert: 1 } : READ_SETTINGS,
        });
        const url = new URL(options.url);
        url.username = '';
        url.password = '';
        location = url.toString();
        const server = client;
        insertEncoded = (insert) => server.exec({
            query: `INSERT INTO ${tableName(ctx, insert.table)} (${insert.columns.join(', ')}) SETTINGS ${settingsClause(insert.settings)} FORMAT ${insert.format}`,
            values: Readable.from([insert.payload]),
            abort_signal: AbortSignal.timeout(insert.timeoutMs),
        });
    }
    return {
        client,
        ctx,
        mode: options.mode,
        location,
        async insertEncoded(insert) {
            try {
                await insertEncoded(insert);
            }
            catch (err) {
                throw toStoreError(err, `insert into ${insert.table}`);
            }
        },
        async command(sql, params) {
            try {
                await client.command({ query: sql, ...(params ? { query_params: params } : {}) });
            }
            catch (err) {
                throw toStoreError(err, 'command');
            }
        },
        async queryRows(sql, params) {
            try {
                const rs = await client.query({ query: sql, format: 'JSONEachRow', ...(params ? { query_params: params } : {}) });
                return await rs.json();
            }
            catch (err) {
                throw toStoreError(err, 'query');
            }
        },
        async ping() {
            const r = await client.ping();
            return r.success;
        },
        async close() {
            await client.close();
            closeEngine();
        },
    };
}
/**
 * `k=v, ...` for an INSERT's SETTINGS clause. Names must be plain identifiers; string values become
 * ClickHouse string literals (backslash and quote escaped), so a value can never end the clause.
 */
export function settingsClause(settings) {
    return Object.entries(settings)
        .map(([name, value]) => {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
            throw new Error(`setting name ${JSON.stringify(name)} is not a plain identifier`);
        if (typeof value === 'number') {
            if (!Number.isFinite(value))
                throw new Error(`setting ${name}: ${value} is not a finite number`);
            return `${name}=${value}`;
        }
        return `${name}=${stringLiteral(value)}`;
    })
        .join(', ');
}
function processAlive(pid) {
    if (!Number.isInteger(pid) || pid <= 0)
        return false;
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (err) {
        return err.code === 'EPERM';
    }
}
/** A ClickHouse string literal: backslash and quote escaped, so the value can never end it. */
function stringLiteral(value) {
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
// chDB's typed errors carry the ClickHouse code as `clickhouseCode` (a number); toStoreError reads `code`, as the
// HTTP client gives it, to tell an overloaded engine (TOO_MANY_PARTS, MEMORY_LIMIT_EXCEEDED) from a refused row.
function withClickHouseCode(err) {
    const code = err?.clickhouseCode;
    if (typeof code !== 'number' || !(err instanceof Error))
        return err;
    return Object.assign(new Error(err.message, { cause: err }), { code: String(code) });
}
//# sourceMappingURL=client.js.map