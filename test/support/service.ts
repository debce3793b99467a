import { parseConfig, type Config } from '../../config/index.ts'
import type { Logger } from '../../server/index.ts'
import { startService, type Component, type RunningService } from '../../cli/service.ts'
import { makeTempDir } from './temp-dir.ts'

/** The model most tests use: the config example from the foundation issue. */
export const BOOKING_MODEL = {
  name: 'booking-spam',
  task: 'binary_classification',
  features: {
    height_cm: { type: 'number', min: 30, max: 300 },
    country: { type: 'category', values: ['CH', 'DE', 'FR'], required: false },
    note: { type: 'text' },
  },
} as const

/** One line the service logged. */
export interface LoggedLine {
  readonly level: 'info' | 'warn' | 'error'
  readonly message: string
  readonly fields?: Record<string, unknown>
}

/**
 * Starts a real service (embedded chDB in a temp dir, HTTP on 127.0.0.1:0, collector and analyzer); `stop` closes
 * it and deletes the dir. `logs` keeps what it logged, so a test can prove nothing reached the error handler as an
 * unexpected (500) failure; HIGHWAY_TEST_LOG=1 also prints the lines.
 */
export async function startTestService(
  overrides: Record<string, unknown> = {},
  options: { components?: readonly Component[] } = {},
): Promise<RunningService & { config: Config; dataDir: string; logs: LoggedLine[]; stop(): Promise<void> }> {
  const tmp = makeTempDir('svc')
  const logs: LoggedLine[] = []
  const keep = (level: LoggedLine['level']) => (message: string, fields?: Record<string, unknown>) => {
    logs.push({ level, message, ...(fields ? { fields } : {}) })
    if (process.env.HIGHWAY_TEST_LOG) process.stderr.write(`${JSON.stringify({ level, message, ...fields })}\n`)
  }
  const logger: Logger = { info: keep('info'), warn: keep('warn'), error: keep('error') }
  const config = parseConfig(
    { models: [BOOKING_MODEL], ...overrides, server: { ...((overrides.server as object | undefined) ?? {}), host: '127.0.0.1', port: 0 }, storage: { dataDir: tmp.dir, ...((overrides.storage as object | undefined) ?? {}) } },
    { source: 'test config' },
  )
  const service = await startService({ config, components: options.components ?? ['collector', 'analyzer', 'slo'], logger, version: 'test' })
  // With the default acknowledge: logged, a 202 comes before the insert. Tests read what they wrote through
  // `store`, so its reads wait first for the log to be in ClickHouse, as a reader after a flush would.
  const store: typeof service.store = {
    ...service.store,
    async queryRows(sql, params) {
      await service.collector.writer.stored()
      return service.store.queryRows(sql, params)
    },
  }
  return {
    ...service,
    store,
    config,
    dataDir: tmp.dir,
    logs,
    async stop() {
      await service.close()
      tmp.cleanup()
    },
  }
}

/** POSTs JSON and returns status, headers and parsed body. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed }
}
