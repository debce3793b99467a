import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../store/index.ts'
import { buildDashboards, expandClickHouseSql, MODEL_VARIABLE_SQL, VERSION_VARIABLE_SQL, type ExpectedColumnType, type MacroContext } from '../grafana/index.ts'
import { makeTempDir } from './support/temp-dir.ts'

// Every ClickHouse panel query, expanded as Grafana and the plugin expand it, runs in real chDB against the schema
// the migrations create, over seeded rows, and returns the columns the panel reads. The store's database is
// `default`: the dashboards' SQL names tables unqualified, as the datasource's defaultDatabase resolves them.

const tmp = makeTempDir('grafana-ch')
let store: Store
const NOW = Date.parse('2026-12-01T12:00:00Z')
const HOUR = 3_600_000
const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '')

beforeAll(async () => {
  store = await openStore({ mode: 'embedded', dataDir: tmp.dir, database: 'default', retentionDays: 3650 })
  const rows: string[] = []
  for (let i = 0; i < 40; i++) {
    const ts = NOW - i * 5 * 60_000
    rows.push(`('booking-spam', '${i % 2 ? '1' : '2'}', 'p${i}', '${iso(ts)}', '${iso(ts + 1500)}', map('height_cm', ${150 + i}), map('country', 'CH'), map(), ${i / 40}, '', map(), ${1 + i}, '${i % 7 ? 'ok' : 'error'}')`)
  }
  await store.command(`INSERT INTO predictions (model, version, id, ts, received_at, num_features, str_features, text_features, prediction, prediction_class, prediction_scores, latency_ms, status) VALUES ${rows.join(', ')}`)
  await store.command(`INSERT INTO labels (model, id, ts, received_at, label, label_class) VALUES ('booking-spam', 'p1', '${iso(NOW)}', '${iso(NOW)}', 1, '')`)
  await store.command(`INSERT INTO quarantine (model, kind, received_at, ts, record_id, record_hash, raw, reasons, fields, rules) VALUES ('booking-spam', 'prediction', '${iso(NOW - HOUR)}', '${iso(NOW - HOUR)}', 'q1', 'h', '{}', ['features.height_cm: must be a number'], ['height_cm'], ['range'])`)
  const drift = { features: [{ feature: 'height_cm', statistic: 0.4, p_value: 0.01, drifted: true }, { feature: 'country', statistic: 0.1, p_value: null, drifted: false }], dataset: { drift_share: 0.5 } }
  const quality = { features: [], label_delay_seconds: { p50: 120, p95: 3600 } }
  for (const [job, result] of [['drift', drift], ['quality', quality]] as const) {
    for (const version of ['', '1']) {
      await store.command(
        `INSERT INTO analysis_results (job, model, version, window_from, window_to, computed_at, result) VALUES ({job:String}, 'booking-spam', {version:String}, '${iso(NOW - 2 * HOUR)}', '${iso(NOW - HOUR)}', '${iso(NOW)}', {result:String})`,
        { job, version, result: JSON.stringify(result) },
      )
    }
  }
  await store.command(`INSERT INTO releases (release_id, model, version, stable_version, strategy, fix, seq, event, state, step, weight_percent, detail, at, actor) VALUES
    ('r1', 'booking-spam', 2, 1, 'canary', false, 1, 'started', 'running', 0, 5, '', '${iso(NOW - 3 * HOUR)}', 'ops'),
    ('r1', 'booking-spam', 2, 1, 'canary', false, 2, 'step', 'running', 1, 25, '', '${iso(NOW - 2 * HOUR)}', 'ops'),
    ('r1', 'booking-spam', 2, 1, 'canary', false, 3, 'rolled_back', 'rolled_back', 1, 0, 'p99', '${iso(NOW - HOUR)}', 'highway')`)
  await store.command(`INSERT INTO alert_state (fingerprint, source, alertname, severity, model, slo, state, active_at, fired_at, resolved_at, last_true_at, value, labels, annotations, silenced_by, generator_url, updated_at) VALUES
    ('f1', 'highway', 'BookingSpamDrift', 'ticket', 'booking-spam', '', 'firing', '${iso(NOW - HOUR)}', '${iso(NOW - HOUR)}', NULL, '${iso(NOW)}', 0.5, map(), map('dashboard_url', 'http://grafana/d/x'), [], '', '${iso(NOW)}')`)
  await store.command(`INSERT INTO alert_events (event_id, kind, source, fingerprint, alertname, severity, model, slo, from_state, to_state, at, active_at, value, silenced_by, labels, annotations, actor, detail) VALUES
    ('e1', 'transition', 'highway', 'f1', 'BookingSpamDrift', 'ticket', 'booking-spam', '', 'pending', 'firing', '${iso(NOW - HOUR)}', '${iso(NOW - HOUR)}', 0.5, [], map(), map(), 'highway', '')`)
  await store.command(`INSERT INTO slo_policy_transitions (slo, model, frozen, reason, remaining, at) VALUES ('booking-latency', 'booking-spam', 1, 'budget exhausted', -0.1, '${iso(NOW - HOUR)}')`)
}, 120_000)

afterAll(async () => {
  await store?.close()
  tmp.cleanup()
})

const context = (version: MacroContext['variables'][string]): MacroContext => ({
  fromMs: NOW - 7 * 24 * HOUR,
  toMs: NOW + HOUR,
  intervalMs: 60_000,
  variables: { model: 'booking-spam', version, slo: { all: true, allValue: '.*', options: [] } },
})

/** A ClickHouse type as the panel contract names it: nullability and low cardinality do not change what a panel reads. */
function family(type: string): string {
  const bare = type.replace(/^(LowCardinality|Nullable)\((.*)\)$/, '$2').replace(/^(LowCardinality|Nullable)\((.*)\)$/, '$2')
  if (/^DateTime/.test(bare)) return 'DateTime'
  return bare
}
const matches = (actual: string, expected: ExpectedColumnType): boolean => (expected === 'number' ? /^(U?Int|Float)\d+$/.test(family(actual)) : family(actual) === expected)

async function describeSql(sql: string): Promise<Array<{ name: string; type: string }>> {
  return store.queryRows<{ name: string; type: string }>(`DESCRIBE (${sql})`)
}

const cases = buildDashboards().flatMap((d) => d.clickhouse.map((e, i) => ({ name: `${d.uid} #${i + 1} (${e.rawSql.split('\n').find((l) => l.startsWith('FROM')) ?? ''})`, ...e })))

describe('ClickHouse panel queries, expanded as the plugin expands them, in chDB', () => {
  it('cover every ClickHouse target of every dashboard', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10)
  })

  it.each(cases)('$name returns the columns and types the panel reads', async ({ rawSql, columns }) => {
    const sql = expandClickHouseSql(rawSql, context({ all: true, allValue: '.*', options: ['1', '2'] }))
    expect(sql).not.toMatch(/\$__|\$\{|\$[a-z]/)
    const described = await describeSql(sql)
    expect(described.map((c) => c.name)).toEqual(Object.keys(columns))
    for (const c of described) expect(matches(c.type, columns[c.name]!), `${c.name}: ${c.type}, panel expects ${columns[c.name]}`).toBe(true)
    expect((await store.queryRows(sql)).length, 'seeded rows give at least one row').toBeGreaterThan(0)
  })

  it.each(cases)('$name runs with one version selected', async ({ rawSql }) => {
    await expect(store.queryRows(expandClickHouseSql(rawSql, context(['1'])))).resolves.toBeDefined()
  })

  it('fills the model and version variables', async () => {
    expect(await store.queryRows<{ model: string }>(expandClickHouseSql(MODEL_VARIABLE_SQL, context('1')))).toEqual([{ model: 'booking-spam' }])
    expect(await store.queryRows<{ version: string }>(expandClickHouseSql(VERSION_VARIABLE_SQL, context('1')))).toEqual([{ version: '1' }, { version: '2' }])
  })
})
