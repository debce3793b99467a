import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { configSchema } from "./schema.js";
/** A configuration that cannot be used; the message names the key, the value and what was expected. */
export class ConfigError extends Error {
    name = 'ConfigError';
    code = 'invalid_config';
}
/** Loads the YAML file (if any), applies `HIGHWAY_*`/`CLICKHOUSE_*` variables and overrides, validates once. */
export async function loadConfig(options) {
    const file = options.file ?? options.env.HIGHWAY_CONFIG;
    let raw = {};
    if (file !== undefined) {
        let text;
        try {
            text = await readFile(file, 'utf8');
        }
        catch (err) {
            throw new ConfigError(`config file ${file}: cannot be read (${err.message})`);
        }
        try {
            raw = parseYaml(text) ?? {};
        }
        catch (err) {
            throw new ConfigError(`config file ${file}: is not valid YAML (${err.message})`);
        }
    }
    return parseConfig(raw, { source: file ?? 'defaults', env: options.env, overrides: options.overrides ?? {} });
}
/** Validates an already-parsed config document merged with env and overrides. */
export function parseConfig(raw, options) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        throw new ConfigError(`${options.source}: expected a YAML mapping at the top level, got ${describe(raw)}`);
    }
    const doc = structuredClone(raw);
    const env = options.env ?? {};
    const fromEnv = [];
    const num = (name) => {
        const v = env[name];
        if (v === undefined)
            return undefined;
        return /^-?\d+$/.test(v) ? Number(v) : v;
    };
    const set = (path, value, envName) => {
        if (value === undefined)
            return;
        let node = doc;
        for (const key of path.slice(0, -1)) {
            const next = node[key];
            if (next === undefined || next === null)
                node[key] = {};
            else if (typeof next !== 'object' || Array.isArray(next))
                return;
            node = node[key];
        }
        node[path[path.length - 1]] = value;
        fromEnv.push([path, value, envName]);
    };
    set(['server', 'host'], env.HIGHWAY_HOST, 'HIGHWAY_HOST');
    set(['server', 'port'], num('HIGHWAY_PORT'), 'HIGHWAY_PORT');
    set(['storage', 'dataDir'], env.HIGHWAY_DATA_DIR, 'HIGHWAY_DATA_DIR');
    set(['storage', 'retentionDays'], num('HIGHWAY_RETENTION_DAYS'), 'HIGHWAY_RETENTION_DAYS');
    set(['storage', 'cluster'], env.HIGHWAY_CLUSTER, 'HIGHWAY_CLUSTER');
    set(['storage', 'url'], env.CLICKHOUSE_URL, 'CLICKHOUSE_URL');
    set(['storage', 'user'], env.CLICKHOUSE_USER, 'CLICKHOUSE_USER');
    set(['storage', 'password'], env.CLICKHOUSE_PASSWORD, 'CLICKHOUSE_PASSWORD');
    set(['storage', 'database'], env.CLICKHOUSE_DATABASE, 'CLICKHOUSE_DATABASE');
    set(['ingest', 'spoolDir'], env.HIGHWAY_SPOOL_DIR, 'HIGHWAY_SPOOL_DIR');
    set(['ingest', 'spoolMaxBytes'], num('HIGHWAY_SPOOL_MAX_BYTES'), 'HIGHWAY_SPOOL_MAX_BYTES');
    const o = options.overrides ?? {};
    set(['server', 'host'], o.host, '--host');
    set(['server', 'port'], o.port, '--port');
    set(['storage', 'dataDir'], o.dataDir, '--data-dir');
    const result = configSchema.safeParse(doc);
    if (result.success)
        return result.data;
    throw new ConfigError(formatIssues(result.error, doc, options.source, fromEnv));
}
function formatIssues(error, doc, source, fromEnv) {
    const lines = error.issues.map((issue) => {
        const path = issue.path.map(String);
        const key = path.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
        const origin = fromEnv.find(([p]) => p.join('.') === path.join('.'));
        const where = origin ? `${key} (from ${origin[2]})` : key || '(top level)';
        return `${where}: ${issue.message}; got ${describe(valueAt(doc, path))}`;
    });
    return `invalid configuration in ${source}:\n  ${lines.join('\n  ')}`;
}
function valueAt(doc, path) {
    let node = doc;
    for (const key of path) {
        if (node === null || typeof node !== 'object')
            return undefined;
        node = node[key];
    }
    return node;
}
function describe(value) {
    if (value === undefined)
        return 'nothing';
    const text = JSON.stringify(value);
    if (text === undefined)
        return String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
//# sourceMappingURL=load.js.map