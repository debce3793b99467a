import { execFile, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { parseConfig, readEnv } from '../config/index.ts'
import { loadSloDirectory } from '../slo/spec/index.ts'
import { ruleSlosFromSpecs, writeRuleFiles } from '../slo/rules/index.ts'
import { makeTempDir } from './support/temp-dir.ts'
// deploy/start.mjs is plain JavaScript (it runs in the image as is); deploy/start.d.mts types it.
import { stackConfig, STACK_KEYS } from '../deploy/start.mjs'

// There is no Docker engine here (and `docker compose config` needs one), so this checks what compose would:
// the file against the Compose Specification schema, mounts, images, ports, environment and secrets against
// Highway's own config loader, and the rules the stack's Prometheus loads against promtool.

// ajv 6 (draft-07, the draft of the vendored schema) is installed through eslint; no new dependency.
const Ajv = createRequire(import.meta.url)('ajv') as new (options: object) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown[] | null } }

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8')
const composeText = read('docker-compose.yml')

interface Service {
  image?: string
  build?: unknown
  environment?: Record<string, string>
  volumes?: string[]
  ports?: string[]
  secrets?: Array<string | { source: string; target: string }>
  healthcheck?: { test?: unknown; disable?: boolean }
  command?: string[]
}
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown>; secrets: Record<string, { environment?: string }> }
const services = compose.services

/**
 * Files another helper (alerts-ops) writes on its branch at the same time: mounted here, absent on this branch until
 * the lead merges both. The lead empties this list after the merge (a test below fails once they exist).
 */
const highwayEnv = { CLICKHOUSE_URL: 'http://clickhouse:8123', CLICKHOUSE_USER: 'highway', CLICKHOUSE_PASSWORD: 'x', CLICKHOUSE_DATABASE: 'highway' }
const secrets = Object.fromEntries(STACK_KEYS.map((k) => [k.id, `${k.id}-secret`]))
const deployConfig = () => parseConfig(stackConfig(read('deploy/highway.yaml'), secrets), { source: 'deploy/highway.yaml', env: readEnv(highwayEnv) })

describe('docker-compose.yml', () => {
  it('validates against the Compose Specification schema', () => {
    // ajv 6 knows draft-07 as http://json-schema.org/draft-07/schema#; the file names it by its https address.
    const { $schema: _draft, ...schema } = JSON.parse(read('deploy/schema/compose-spec.json')) as Record<string, unknown>
    expect(_draft).toBe('https://json-schema.org/draft-07/schema')
    const validate = new Ajv({ allErrors: true, unknownFormats: 'ignore', schemaId: 'auto' }).compile(schema)
    // Compose resolves YAML merge keys (`<<: *highway`) when it loads the file, before validating it.
    const ok = validate(parse(composeText, { merge: true }))
    expect(ok ? [] : validate.errors).toEqual([])
  })

  it('pins every image to a version (no latest, no bare name); Highway is built from the Dockerfile on a pinned node:20', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.build !== undefined) continue
      expect(s.image, name).toMatch(/^[\w./-]+:v?\d+\.\d+\.\d+[\w.-]*$/)
    }
    expect(read('Dockerfile')).toMatch(/^FROM node:20\.\d+\.\d+-[\w-]+$/m)
    expect(services.grafana?.environment?.GF_INSTALL_PLUGINS).toMatch(/^grafana-clickhouse-datasource \d+\.\d+\.\d+$/)
  })

  it('mounts only files and folders that exist', () => {
    const missing: string[] = []
    for (const s of Object.values(services)) {
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0]!
        if (!source.startsWith('./')) {
          expect(compose.volumes, `named volume ${source}`).toHaveProperty(source)
          continue
        }
        const path = source.slice(2)
        if (!existsSync(join(ROOT, path))) missing.push(path)
      }
    }
    expect(missing).toEqual([])
  })

  it('has a health check on every long-running service', () => {
    for (const [name, s] of Object.entries(services)) {
      if (name === 'rules') continue
      // Highway's comes from its Dockerfile (HEALTHCHECK), the others from compose.
      if (s.build !== undefined) expect(read('Dockerfile')).toMatch(/^HEALTHCHECK .*\/healthz/m)
      else expect(s.healthcheck?.test, name).toBeDefined()
    }
  })

  it('commits no secret: every credential is interpolated from .env, and .env.example names each one', () => {
    const vars = new Set([...composeText.matchAll(/\$\{(\w+)(?::[?-][^}]*)?\}/g)].map((m) => m[1]!))
    for (const s of Object.values(compose.secrets)) if (s.environment) vars.add(s.environment)
    const example = new Set([...read('.env.example').matchAll(/^(\w+)=/gm)].map((m) => m[1]!))
    expect([...vars].filter((v) => !example.has(v))).toEqual([])
    expect(composeText).not.toMatch(/PASSWORD:[ \t]+(?!\$\{)\S/)
    expect(existsSync(join(ROOT, '.env'))).toBe(false)
    expect(read('.gitignore')).toMatch(/^\.env$/m)
  })
})

describe('the stack wiring', () => {
  it('deploy/highway.yaml parses with Highway’s config loader, keys added from the secrets', () => {
    const config = deployConfig()
    expect(config.server.host).toBe('0.0.0.0')
    expect(config.auth.keys.map((k) => k.id).sort()).toEqual(['admin', 'alertmanager', 'prometheus'])
    expect(config.auth.keys.find((k) => k.id === 'prometheus')?.scopes).toEqual(['read'])
  })

  it('publishes Highway’s configured port and passes only environment variables Highway reads', () => {
    const config = deployConfig()
    for (const name of ['highway', 'serving']) {
      const s = services[name]!
      expect(s.ports?.some((p) => p.endsWith(`:${config.server.port}`)), name).toBe(true)
      for (const key of Object.keys(s.environment ?? {})) expect(Object.keys(readEnv({ [key]: 'x' })), `${name}: ${key}`).toContain(key)
      expect(s.environment?.CLICKHOUSE_URL).toBe('http://clickhouse:8123')
      expect(s.volumes?.some((v) => v.endsWith(`:${config.storage.dataDir}`)), name).toBe(true)
    }
    expect(config.alerting.alertmanager?.url).toBe('http://alertmanager:9093')
    expect(services.alertmanager?.ports?.some((p) => p.endsWith(':9093'))).toBe(true)
  })

  it('hands each Highway key to the file the Prometheus and Alertmanager configs read', () => {
    const targets = (name: string) => (services[name]?.secrets ?? []).map((s) => (typeof s === 'string' ? `/run/secrets/${s}` : s.target))
    expect(targets('prometheus')).toEqual(['/etc/prometheus/highway-key'])
    expect(targets('alertmanager')).toEqual(['/etc/alertmanager/highway-key'])
    expect(STACK_KEYS.map((k) => k.file).sort()).toEqual(targets('highway').sort())
    for (const [file, path] of [['prometheus/prometheus.yml', '/etc/prometheus/highway-key'], ['alertmanager/alertmanager.yml', '/etc/alertmanager/highway-key']] as const) {
      if (existsSync(join(ROOT, file))) expect(read(file)).toContain(`credentials_file: ${path}`)
    }
  })

  it('points Grafana’s ClickHouse datasource at the ClickHouse service, database and user', () => {
    const ds = (parse(read('grafana/provisioning/datasources/highway.yaml')) as { datasources: Array<{ uid: string; url?: string; jsonData?: Record<string, unknown> }> }).datasources
    const ch = ds.find((d) => d.uid === 'clickhouse')!.jsonData!
    expect(services[String(ch.host)]?.image).toMatch(/^clickhouse\/clickhouse-server:/)
    expect(ch.port).toBe(9000) // the native protocol port of the official image
    expect(services.clickhouse?.environment?.CLICKHOUSE_DB).toBe(`\${CLICKHOUSE_DATABASE:-${String(ch.defaultDatabase)}}`)
    expect(services.clickhouse?.environment?.CLICKHOUSE_USER).toBe(`\${CLICKHOUSE_USER:-${String(ch.username)}}`)
    expect(ds.find((d) => d.uid === 'prometheus')?.url).toBe('http://prometheus:9090')
    expect(services.grafana?.environment).toHaveProperty('CLICKHOUSE_PASSWORD')
    expect(services.grafana?.volumes).toContain('./grafana/dashboards:/var/lib/grafana/dashboards/highway:ro')
  })

  it('loads the stack’s SLOs against its models', async () => {
    const loaded = await loadSloDirectory(join(ROOT, 'deploy/slos'), { models: deployConfig().models })
    expect(loaded.ok).toBe(true)
  })
})

const promtoolFound = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0
describe.skipIf(!promtoolFound && process.env.CI !== 'true')('the rules the stack’s Prometheus loads', () => {
  it('are written by `highway rules` for the Prometheus-sourced SLO and pass promtool', async () => {
    if (!promtoolFound) throw new Error('promtool is not on PATH: apt-get install -y prometheus')
    const loaded = await loadSloDirectory(join(ROOT, 'deploy/slos'), {})
    if (!loaded.ok) throw new Error('deploy/slos does not load')
    const { slos } = ruleSlosFromSpecs(loaded.specs)
    expect(slos.map((s) => s.name)).toEqual(['api-availability-0'])
    const tmp = makeTempDir('stack-rules')
    try {
      const written = await writeRuleFiles({ outDir: tmp.dir, slos, periodSli: 'exact' })
      expect(written.ok).toBe(true)
      const files = readdirSync(tmp.dir).map((f) => join(tmp.dir, f))
      const { stdout } = await promisify(execFile)('promtool', ['check', 'rules', ...files])
      expect(stdout).toContain('SUCCESS')
    } finally {
      tmp.cleanup()
    }
  })
})
