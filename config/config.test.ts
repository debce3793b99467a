import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { ConfigError, loadConfig, parseConfig, readEnv, type Config, type HighwayEnv } from './index.ts'

const tmp = makeTempDir('config')
afterAll(() => tmp.cleanup())

let files = 0
const writeFile = (text: string): string => {
  const path = join(tmp.dir, `highway-${files++}.yaml`)
  writeFileSync(path, text)
  return path
}

const SHA_A = 'a'.repeat(64)
const SHA_B = 'B'.repeat(64)

/** The configuration example of the foundation issue, with every section filled in. */
const ISSUE_EXAMPLE = `
models:
  - name: booking-spam
    task: binary_classification
    features:
      height_cm: { type: number, min: 30, max: 300 }
      country: { type: category, values: [CH, DE, FR], required: false }
      note: { type: text }
  - name: room-price
    task: regression
    unknownFeatures: drop
    features:
      nights: { type: number, integer: true, min: 1 }
      breakfast: { type: boolean, required: false }
auth:
  keys:
    - id: app-ingest
      sha256: ${SHA_A}
      scopes: [ingest]
      models: [booking-spam]
    - id: grafana
      sha256: ${SHA_B}
      scopes: [read]
server:
  host: 0.0.0.0
  port: 9090
storage:
  dataDir: /var/lib/highway
  retentionDays: 30
ingest:
  maxBodyBytes: 1048576
  maxRecordsPerRequest: 500
`

/** The message of the ConfigError that `fn` throws. */
function configError(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).code).toBe('invalid_config')
    return (err as Error).message
  }
  throw new Error('expected a ConfigError')
}

async function asyncConfigError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as Error).message
  }
  throw new Error('expected a ConfigError')
}

const model = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'm',
  task: 'regression',
  features: { x: { type: 'number' } },
  ...over,
})

describe('parseConfig', () => {
  it('fills every default into an empty document', () => {
    const config: Config = parseConfig({}, { source: 'defaults' })
    expect(config.models).toEqual([])
    expect(config.auth).toEqual({ keys: [] })
    expect(config.server).toEqual({ host: '127.0.0.1', port: 8080, headersTimeoutMs: 10_000, requestTimeoutMs: 60_000 })
    expect(config.storage).toEqual({ dataDir: './data', user: 'default', password: '', database: 'highway', retentionDays: 90 })
    expect(config.ingest).toEqual({
      maxBodyBytes: 32 * 1024 * 1024,
      maxInflightBodyBytes: 128 * 1024 * 1024,
      maxRecordsPerRequest: 10_000,
      acknowledge: 'logged',
      maxBatchRows: 7_500,
      maxLagBytes: 64 * 1024 * 1024,
      maxPendingBytes: 256 * 1024 * 1024,
      spoolMaxBytes: 1024 * 1024 * 1024,
      insertTimeoutMs: 15_000,
    })
  })

  it('fills feature defaults: required, integer false, text maxLength, unknownFeatures reject', () => {
    const config = parseConfig({ models: [model({ features: { a: { type: 'number' }, b: { type: 'text' }, c: { type: 'category' }, d: { type: 'boolean', required: false } } })] }, { source: 't' })
    expect(config.models[0]).toMatchObject({ name: 'm', task: 'regression', unknownFeatures: 'reject' })
    expect(config.models[0]?.features).toEqual({
      a: { type: 'number', integer: false, required: true },
      b: { type: 'text', maxLength: 10_000, required: true },
      c: { type: 'category', required: true },
      d: { type: 'boolean', required: false },
    })
  })

  it('does not change the document it is given', () => {
    const doc = { server: { port: 1 } }
    parseConfig(doc, { source: 't', env: { HIGHWAY_PORT: '2' } })
    expect(doc).toEqual({ server: { port: 1 } })
  })

  describe('names the key path, the value and the expectation in every error', () => {
    const cases: Array<{ name: string; doc: unknown; says: string[] }> = [
      {
        name: 'a string where min must be a number',
        doc: { models: [model({ features: { height_cm: { type: 'number', min: 'thirty' } } })] },
        says: ['models[0].features.height_cm.min', 'expected number', 'got "thirty"'],
      },
      { name: 'min greater than max', doc: { models: [model({ features: { a: { type: 'number', min: 5, max: 1 } } })] }, says: ['models[0].features.a', 'min must not be greater than max', '"min":5'] },
      { name: 'duplicate model names', doc: { models: [model({ name: 'dup' }), model({ name: 'dup' })] }, says: ['models[1].name', 'duplicate model name "dup"', 'got "dup"'] },
      {
        name: 'a key restricted to an unknown model',
        doc: { models: [model({ name: 'known' })], auth: { keys: [{ id: 'k', sha256: SHA_A, scopes: ['read'], models: ['known', 'ghost'] }] } },
        says: ['auth.keys[0].models[1]', 'names no configured model (have: known)', 'got "ghost"'],
      },
      { name: 'a sha256 that is not 64 hex characters', doc: { auth: { keys: [{ id: 'k', sha256: 'not-a-hash', scopes: ['read'] }] } }, says: ['auth.keys[0].sha256', 'must be the 64-character hex sha256 of the secret', 'got "not-a-hash"'] },
      { name: 'a plain-text secret instead of its sha256', doc: { auth: { keys: [{ id: 'k', secret: 's3cret', sha256: SHA_A, scopes: ['read'] }] } }, says: ['auth.keys[0]', 'secret'] },
      { name: 'an unknown scope', doc: { auth: { keys: [{ id: 'k', sha256: SHA_A, scopes: ['root'] }] } }, says: ['auth.keys[0].scopes[0]', '"ingest"|"read"|"operate"|"admin"', 'got "root"'] },
      { name: 'a key without scopes', doc: { auth: { keys: [{ id: 'k', sha256: SHA_A, scopes: [] }] } }, says: ['auth.keys[0].scopes', 'got []'] },
      { name: 'duplicate key ids', doc: { auth: { keys: [{ id: 'k', sha256: SHA_A, scopes: ['read'] }, { id: 'k', sha256: SHA_B, scopes: ['read'] }] } }, says: ['auth.keys[1].id', 'duplicate key id "k"'] },
      { name: 'an unknown task', doc: { models: [model({ task: 'clustering' })] }, says: ['models[0].task', 'binary_classification', 'got "clustering"'] },
      { name: 'an unknown feature type', doc: { models: [model({ features: { a: { type: 'float' } } })] }, says: ['models[0].features.a.type', "'number' | 'category' | 'text' | 'boolean'", 'got "float"'] },
      { name: 'a model name with a space', doc: { models: [model({ name: 'booking spam' })] }, says: ['models[0].name', 'letters, digits', 'got "booking spam"'] },
      { name: 'a model without features', doc: { models: [model({ features: {} })] }, says: ['models[0].features', 'must declare at least one feature', 'got {}'] },
      { name: 'a misspelt top-level key', doc: { modles: [] }, says: ['(top level)', 'modles'] },
      { name: 'a misspelt feature option', doc: { models: [model({ features: { a: { type: 'number', maximum: 3 } } })] }, says: ['models[0].features.a', 'maximum'] },
      { name: 'a port out of range', doc: { server: { port: 70_000 } }, says: ['server.port', '65535', 'got 70000'] },
      { name: 'a retention of zero days', doc: { storage: { retentionDays: 0 } }, says: ['storage.retentionDays', '1', 'got 0'] },
      { name: 'a database name with SQL in it', doc: { storage: { database: 'x; DROP TABLE y' } }, says: ['storage.database', 'must be a plain identifier', 'got "x; DROP TABLE y"'] },
      { name: 'a negative body limit', doc: { ingest: { maxBodyBytes: -1 } }, says: ['ingest.maxBodyBytes', 'got -1'] },
    ]
    it.each(cases)('$name', ({ doc, says }) => {
      const message = configError(() => parseConfig(doc, { source: 'highway.yaml' }))
      expect(message).toContain('invalid configuration in highway.yaml')
      for (const s of says) expect(message).toContain(s)
    })

    it('lists every problem, one per line', () => {
      const message = configError(() => parseConfig({ server: { port: 'x' }, storage: { retentionDays: -1 } }, { source: 'f.yaml' }))
      expect(message.split('\n')).toHaveLength(3)
      expect(message).toContain('server.port')
      expect(message).toContain('storage.retentionDays')
    })

    it.each([
      { name: 'a list', doc: ['a'], got: '["a"]' },
      { name: 'a string', doc: 'models', got: '"models"' },
      { name: 'null', doc: null, got: 'null' },
    ])('refuses $name at the top level', ({ doc, got }) => {
      expect(configError(() => parseConfig(doc, { source: 'f.yaml' }))).toBe(`f.yaml: expected a YAML mapping at the top level, got ${got}`)
    })
  })

  it('lowercases a sha256 given in capitals', () => {
    expect(parseConfig({ auth: { keys: [{ id: 'k', sha256: SHA_B, scopes: ['admin'] }] } }, { source: 't' }).auth.keys[0]?.sha256).toBe('b'.repeat(64))
  })

  describe('environment variables', () => {
    const env: HighwayEnv = {
      HIGHWAY_HOST: '0.0.0.0',
      HIGHWAY_PORT: '9000',
      HIGHWAY_DATA_DIR: '/srv/highway',
      HIGHWAY_RETENTION_DAYS: '7',
      HIGHWAY_SPOOL_DIR: '/srv/spool',
      HIGHWAY_SPOOL_MAX_BYTES: '1000000',
      HIGHWAY_CLUSTER: 'prod',
      CLICKHOUSE_URL: 'https://ch.example.com:8443',
      CLICKHOUSE_USER: 'highway',
      CLICKHOUSE_PASSWORD: 'pw',
      CLICKHOUSE_DATABASE: 'ml',
    }

    it('win over the file', () => {
      const file = {
        server: { host: '127.0.0.1', port: 1 },
        storage: { dataDir: '/file', retentionDays: 365, url: 'http://file:8123', user: 'file', password: 'file', database: 'file', cluster: 'file' },
        ingest: { spoolDir: '/file-spool', spoolMaxBytes: 5 },
      }
      const config = parseConfig(file, { source: 't', env })
      expect(config.server).toEqual({ host: '0.0.0.0', port: 9000, headersTimeoutMs: 10_000, requestTimeoutMs: 60_000 })
      expect(config.storage).toEqual({ dataDir: '/srv/highway', url: 'https://ch.example.com:8443', user: 'highway', password: 'pw', database: 'ml', cluster: 'prod', retentionDays: 7 })
      expect(config.ingest).toMatchObject({ spoolDir: '/srv/spool', spoolMaxBytes: 1_000_000 })
    })

    it('fill sections the file does not have', () => {
      const config = parseConfig({}, { source: 't', env: { HIGHWAY_PORT: '9001', CLICKHOUSE_URL: 'http://localhost:8123' } })
      expect(config.server).toEqual({ host: '127.0.0.1', port: 9001, headersTimeoutMs: 10_000, requestTimeoutMs: 60_000 })
      expect(config.storage.url).toBe('http://localhost:8123')
      expect(config.storage.dataDir).toBe('./data')
    })

    it('lose to command-line overrides', () => {
      const config = parseConfig({ server: { port: 1 } }, { source: 't', env: { HIGHWAY_PORT: '9000', HIGHWAY_HOST: '0.0.0.0', HIGHWAY_DATA_DIR: '/env' }, overrides: { port: 7, host: '::1', dataDir: '/cli' } })
      expect(config.server).toEqual({ host: '::1', port: 7, headersTimeoutMs: 10_000, requestTimeoutMs: 60_000 })
      expect(config.storage.dataDir).toBe('/cli')
    })

    it.each([
      { variable: 'HIGHWAY_PORT', value: 'eighty', key: 'server.port', says: 'expected number' },
      { variable: 'HIGHWAY_PORT', value: '80.5', key: 'server.port', says: 'expected number' },
      { variable: 'HIGHWAY_PORT', value: '70000', key: 'server.port', says: '65535' },
      { variable: 'HIGHWAY_RETENTION_DAYS', value: '0', key: 'storage.retentionDays', says: '1' },
      { variable: 'HIGHWAY_SPOOL_MAX_BYTES', value: '1GB', key: 'ingest.spoolMaxBytes', says: 'expected number' },
      { variable: 'CLICKHOUSE_URL', value: 'ftp://ch', key: 'storage.url', says: 'URL' },
      { variable: 'CLICKHOUSE_DATABASE', value: 'my-db', key: 'storage.database', says: 'plain identifier' },
      { variable: 'HIGHWAY_CLUSTER', value: 'a b', key: 'storage.cluster', says: 'plain identifier' },
    ])('name $variable when its value $value is invalid', ({ variable, value, key, says }) => {
      const message = configError(() => parseConfig({}, { source: 't', env: { [variable]: value } }))
      expect(message).toContain(`${key} (from ${variable})`)
      expect(message).toContain(says)
      expect(message).toContain(`got ${/^\d+$/.test(value) ? value : JSON.stringify(value)}`)
    })

    it('name the command-line flag when an override is invalid', () => {
      expect(configError(() => parseConfig({}, { source: 't', overrides: { port: -1 } }))).toContain('server.port (from --port)')
    })

    it('are read only from the variables Highway knows, with empty ones unset', () => {
      expect(readEnv({ HIGHWAY_PORT: '1', HIGHWAY_HOST: '', PATH: '/bin', HIGHWAY_UNKNOWN: 'x', CLICKHOUSE_URL: 'http://c:8123' })).toEqual({ HIGHWAY_PORT: '1', CLICKHOUSE_URL: 'http://c:8123' })
    })
  })
})

describe('loadConfig', () => {
  it('parses the example of the foundation issue', async () => {
    const config = await loadConfig({ file: writeFile(ISSUE_EXAMPLE), env: {} })
    expect(config.models.map((m) => [m.name, m.task, m.unknownFeatures])).toEqual([
      ['booking-spam', 'binary_classification', 'reject'],
      ['room-price', 'regression', 'drop'],
    ])
    expect(config.models[0]?.features).toEqual({
      height_cm: { type: 'number', min: 30, max: 300, integer: false, required: true },
      country: { type: 'category', values: ['CH', 'DE', 'FR'], required: false },
      note: { type: 'text', maxLength: 10_000, required: true },
    })
    expect(config.auth.keys).toEqual([
      { id: 'app-ingest', sha256: SHA_A, scopes: ['ingest'], models: ['booking-spam'] },
      { id: 'grafana', sha256: SHA_B.toLowerCase(), scopes: ['read'] },
    ])
    expect(config.server).toEqual({ host: '0.0.0.0', port: 9090, headersTimeoutMs: 10_000, requestTimeoutMs: 60_000 })
    expect(config.storage).toMatchObject({ dataDir: '/var/lib/highway', retentionDays: 30 })
    expect(config.ingest).toMatchObject({ maxBodyBytes: 1_048_576, maxRecordsPerRequest: 500, maxBatchRows: 7_500 })
  })

  it('applies the environment over the file', async () => {
    const config = await loadConfig({ file: writeFile(ISSUE_EXAMPLE), env: { HIGHWAY_PORT: '8081', CLICKHOUSE_URL: 'http://clickhouse:8123' } })
    expect(config.server.port).toBe(8081)
    expect(config.storage.url).toBe('http://clickhouse:8123')
    expect(config.storage.dataDir).toBe('/var/lib/highway')
  })

  it('finds the file through HIGHWAY_CONFIG, and prefers an explicit file', async () => {
    const fromEnv = writeFile('server: { port: 1111 }\n')
    const explicit = writeFile('server: { port: 2222 }\n')
    expect((await loadConfig({ env: { HIGHWAY_CONFIG: fromEnv } })).server.port).toBe(1111)
    expect((await loadConfig({ file: explicit, env: { HIGHWAY_CONFIG: fromEnv } })).server.port).toBe(2222)
  })

  it('uses the defaults without a file, and for an empty file', async () => {
    expect((await loadConfig({ env: {} })).server).toEqual({ host: '127.0.0.1', port: 8080, headersTimeoutMs: 10_000, requestTimeoutMs: 60_000 })
    expect((await loadConfig({ file: writeFile(''), env: {} })).models).toEqual([])
  })

  it('names a missing file', async () => {
    const missing = join(tmp.dir, 'nope.yaml')
    const message = await asyncConfigError(loadConfig({ file: missing, env: {} }))
    expect(message).toContain(`config file ${missing}: cannot be read`)
    expect(message).toContain('ENOENT')
  })

  it('names the file and the line of invalid YAML', async () => {
    const file = writeFile('models:\n  - name: a\n    task: [regression\n')
    const message = await asyncConfigError(loadConfig({ file, env: {} }))
    expect(message).toContain(`config file ${file}: is not valid YAML`)
    expect(message).toMatch(/line \d+/)
  })

  it('names the file and the key of a valid YAML file with a wrong value', async () => {
    const file = writeFile(ISSUE_EXAMPLE.replace('min: 30', 'min: thirty'))
    const message = await asyncConfigError(loadConfig({ file, env: {} }))
    expect(message).toContain(`invalid configuration in ${file}`)
    expect(message).toContain('models[0].features.height_cm.min')
    expect(message).toContain('got "thirty"')
  })

  it('refuses a YAML file whose top level is a list', async () => {
    const file = writeFile('- a\n- b\n')
    expect(await asyncConfigError(loadConfig({ file, env: {} }))).toBe(`${file}: expected a YAML mapping at the top level, got ["a","b"]`)
  })
})
