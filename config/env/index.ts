/** The only place that reads `process.env`: the variables Highway understands, untouched. */
export interface HighwayEnv {
  readonly HIGHWAY_CONFIG?: string
  readonly HIGHWAY_HOST?: string
  readonly HIGHWAY_PORT?: string
  readonly HIGHWAY_DATA_DIR?: string
  readonly HIGHWAY_RETENTION_DAYS?: string
  readonly HIGHWAY_SPOOL_DIR?: string
  readonly HIGHWAY_SPOOL_MAX_BYTES?: string
  readonly HIGHWAY_CLUSTER?: string
  readonly CLICKHOUSE_URL?: string
  readonly CLICKHOUSE_USER?: string
  readonly CLICKHOUSE_PASSWORD?: string
  readonly CLICKHOUSE_DATABASE?: string
  /** Where CLI commands that talk to a running service find it, and the key they use. */
  readonly HIGHWAY_URL?: string
  readonly HIGHWAY_API_KEY?: string
}

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
] as const

/** Snapshot of the environment variables Highway reads; empty strings count as unset. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): HighwayEnv {
  const env: Record<string, string> = {}
  for (const name of NAMES) {
    const value = source[name]
    if (value !== undefined && value !== '') env[name] = value
  }
  return env
}

/**
 * One variable the config names (a webhook receiver's `secretEnv`): not in the snapshot above because its name is
 * the operator's choice. Empty counts as unset.
 */
export function readNamedVariable(name: string, source: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = source[name]
  return value === undefined || value === '' ? undefined : value
}
