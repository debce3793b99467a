/**
 * The config stage: `--config` (or HIGHWAY_CONFIG), the environment, and `--host`, `--port`, `--data-dir` on top,
 * parsed and validated into a Config; throws ConfigError naming the key, the value and the expectation.
 * config/ is imported here, on first use: its schemas (zod) cost a few hundred ms that remote commands never pay.
 */
export async function resolveConfig(args, env, port) {
    const { loadConfig } = await import("../config/index.js");
    return loadConfig({
        ...(args.values.config ? { file: args.values.config } : {}),
        env,
        overrides: {
            ...(args.values.host ? { host: args.values.host } : {}),
            ...(port !== undefined ? { port } : {}),
            ...(args.values['data-dir'] ? { dataDir: args.values['data-dir'] } : {}),
        },
    });
}
/** True when a config file is named (`--config` or HIGHWAY_CONFIG): commands that can run without one load it then. */
export function configIsGiven(args, env) {
    return Boolean(args.values.config || env.HIGHWAY_CONFIG);
}
/** True for the error loadConfig throws on a bad config (exit 2); config/ is loaded already whenever that is thrown. */
export async function isConfigError(err) {
    if (!(err instanceof Error) || err.name !== 'ConfigError')
        return false;
    const { ConfigError } = await import("../config/index.js");
    return err instanceof ConfigError;
}
//# sourceMappingURL=resolve-config.js.map