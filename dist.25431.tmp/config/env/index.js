const NAMES = [
    'HIGHWAY_CONFIG',
    'HIGHWAY_HOST',
    'HIGHWAY_PORT',
    'HIGHWAY_DATA_DIR',
    'HIGHWAY_RETENTION_DAYS',
    'HIGHWAY_SPOOL_DIR',
    'HIGHWAY_SPOOL_MAX_BYTES',
    'HIGHWAY_CLUSTER',
    'CLICKHOUSE_URL',
    'CLICKHOUSE_USER',
    'CLICKHOUSE_PASSWORD',
    'CLICKHOUSE_DATABASE',
    'HIGHWAY_URL',
    'HIGHWAY_API_KEY',
];
/** Snapshot of the environment variables Highway reads; empty strings count as unset. */
export function readEnv(source = process.env) {
    const env = {};
    for (const name of NAMES) {
        const value = source[name];
        if (value !== undefined && value !== '')
            env[name] = value;
    }
    return env;
}
//# sourceMappingURL=index.js.map