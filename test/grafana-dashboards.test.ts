import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { buildDashboards, CLICKHOUSE, dashboardUrl, MODEL_HEALTH_PANELS, PROMETHEUS, renderDashboard } from '../grafana/index.ts'

// ajv 6 (JSON Schema draft-07, the draft of the vendored schema) is already installed through eslint; no new dependency.
const Ajv = createRequire(import.meta.url)('ajv') as new (options: object) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown[] | null } }

const DIR = fileURLToPath(new URL('../grafana/', import.meta.url))
const dashboards = buildDashboards()

interface PanelJson {
  id?: number
  type: string
  title: string
  datasource?: { type: string; uid: string }
  targets?: Array<{ refId: string; datasource?: { type: string; uid: string }; rawSql?: string; expr?: string }>
}

describe('the committed dashboards', () => {
  it('are what `npm run dashboards` writes (run it when this fails)', () => {
    const committed = readdirSync(`${DIR}dashboards`).sort()
    expect(committed).toEqual(dashboards.map((d) => renderDashboard(d).file).sort())
    for (const d of dashboards) {
      const { file, text } = renderDashboard(d)
      expect(readFileSync(`${DIR}dashboards/${file}`, 'utf8'), `grafana/dashboards/${file} is stale: run npm run dashboards`).toBe(text)
    }
  })

  it('validate against Grafana’s dashboard JSON schema', () => {
    const schema = JSON.parse(readFileSync(`${DIR}schema/dashboard.jsonschema.json`, 'utf8')) as object
    const validate = new Ajv({ allErrors: true, unknownFormats: 'ignore', schemaId: 'auto' }).compile(schema)
    for (const d of dashboards) {
      const ok = validate(JSON.parse(renderDashboard(d).text))
      expect(ok ? [] : validate.errors, d.uid).toEqual([])
    }
  })

  it('have unique, stable uids and slugs and unique panel ids', () => {
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(dashboards.length)
    for (const d of dashboards) {
      expect(d.json.uid).toBe(d.uid)
      expect(d.uid).toMatch(/^[a-z0-9-]{1,40}$/)
      const ids = (d.json.panels as PanelJson[]).map((p) => p.id)
      expect(ids.every((id) => typeof id === 'number'), d.uid).toBe(true)
      expect(new Set(ids).size, d.uid).toBe(ids.length)
    }
  })

  it('name only the provisioned datasources, and every ClickHouse target has a column contract', () => {
    const uids = new Set([PROMETHEUS.uid, CLICKHOUSE.uid])
    for (const d of dashboards) {
      const sqls = new Set(d.clickhouse.map((e) => e.rawSql))
      for (const panel of d.json.panels as PanelJson[]) {
        for (const t of panel.targets ?? []) {
          const ds = t.datasource ?? panel.datasource ?? PROMETHEUS
          expect(uids.has(ds.uid), `${d.uid} / ${panel.title}`).toBe(true)
          if (ds.uid === CLICKHOUSE.uid) expect(sqls.has(t.rawSql ?? ''), `${d.uid} / ${panel.title}: no expected columns`).toBe(true)
          else expect(t.expr, `${d.uid} / ${panel.title}`).toBeTruthy()
        }
      }
    }
  })

  it('set the model, version and SLO template variables where they are read', () => {
    const names = (uid: string) => (dashboards.find((d) => d.uid === uid)!.json.templating?.list ?? []).map((v) => v.name)
    expect(names('highway-slo-overview')).toEqual(['slo'])
    expect(names('highway-model-health')).toEqual(['model', 'version'])
    expect(names('highway-serving')).toEqual(['model', 'version'])
  })
})

describe('the provisioning', () => {
  const datasources = parse(readFileSync(`${DIR}provisioning/datasources/highway.yaml`, 'utf8')) as { datasources: Array<{ uid: string; type: string; jsonData?: Record<string, unknown>; secureJsonData?: Record<string, string> }> }

  it('provisions Prometheus as uid prometheus and ClickHouse through the plugin with the keys it reads', () => {
    const byUid = new Map(datasources.datasources.map((d) => [d.uid, d]))
    expect(byUid.get('prometheus')?.type).toBe('prometheus')
    const ch = byUid.get('clickhouse')!
    expect(ch.type).toBe('grafana-clickhouse-datasource')
    expect(Object.keys(ch.jsonData ?? {}).sort()).toEqual(['defaultDatabase', 'host', 'port', 'protocol', 'username'])
    expect(typeof ch.jsonData?.port).toBe('number')
    // The password comes from the environment, never from the file.
    expect(ch.secureJsonData).toEqual({ password: '${CLICKHOUSE_PASSWORD}' })
  })

  it('has one dashboards provider, reading the folder compose mounts', () => {
    const providers = (parse(readFileSync(`${DIR}provisioning/dashboards/highway.yaml`, 'utf8')) as { providers: Array<{ type: string; options: { path: string } }> }).providers
    expect(providers).toHaveLength(1)
    expect(providers[0]!.type).toBe('file')
    expect(providers[0]!.options.path).toBe('/var/lib/grafana/dashboards/highway')
  })
})

describe('dashboardUrl', () => {
  it('opens one panel of a dashboard with the variables set', () => {
    const model = dashboards.find((d) => d.uid === 'highway-model-health')!
    expect(dashboardUrl({ grafanaUrl: 'http://grafana:3000/', uid: model.uid, slug: model.slug, panelId: MODEL_HEALTH_PANELS.featureDrift, variables: { model: 'booking-spam', version: ['1', '2'] } })).toBe(
      'http://grafana:3000/d/highway-model-health/highway-model-health?var-model=booking-spam&var-version=1&var-version=2&viewPanel=1',
    )
  })

  it('names a panel that exists in the dashboard', () => {
    const model = dashboards.find((d) => d.uid === 'highway-model-health')!
    const ids = (model.json.panels as PanelJson[]).map((p) => p.id)
    for (const id of Object.values(MODEL_HEALTH_PANELS)) expect(ids).toContain(id)
  })
})
