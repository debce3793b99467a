import { createDatabase, createTable, createView, localTable, modifySettings, modifyTtl, tableName, type DdlContext } from './ddl.ts'
import {
  labelsTable,
  predictionRollupTable,
  predictionRollupView,
  predictionsTable,
  PREDICTIONS_MERGE_SETTINGS,
  quarantineTable,
  RETAINED_TABLES,
} from './schema.ts'
import {
  analysisResultsTable,
  featureCategoryRollupTable,
  featureCategoryRollupView,
  featureNumericRollupTable,
  featureNumericRollupView,
  referenceSamplesTable,
  referenceSetsTable,
} from './analysis-schema.ts'
import { labelOutcomesTable, labelOutcomesView, labelRollupTable, labelRollupView, latencyBelowTable, latencyThresholdsTable, SLO_RETAINED_TABLES, sloPolicyTransitionsTable } from './slo-schema.ts'
import { auditLogTable, modelAliasesTable, modelVersionClaimsTable, modelVersionsTable, registryOutcomesTable, releaseEventsTable, trainingRunsTable } from './registry-schema.ts'

/** One numbered, append-only schema change. Never edit a released migration: add the next number. */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly statements: (ctx: DdlContext) => string[]
}

/** All migrations, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'raw events: predictions, labels, quarantine',
    statements: (ctx) => [
      ...createTable(ctx, predictionsTable.spec(ctx)),
      ...createTable(ctx, labelsTable.spec(ctx)),
      ...createTable(ctx, quarantineTable.spec(ctx)),
    ],
  },
  {
    version: 2,
    name: 'per-minute prediction rollup by model and version',
    statements: (ctx) => [...createTable(ctx, predictionRollupTable.spec(ctx)), ...createView(ctx, predictionRollupView)],
  },
  {
    version: 3,
    name: 'analyzer: hourly feature profiles, references, job results',
    statements: (ctx) => [
      ...createTable(ctx, featureNumericRollupTable.spec(ctx)),
      ...createView(ctx, featureNumericRollupView),
      ...createTable(ctx, featureCategoryRollupTable.spec(ctx)),
      ...createView(ctx, featureCategoryRollupView),
      ...createTable(ctx, referenceSetsTable),
      ...createTable(ctx, referenceSamplesTable),
      ...createTable(ctx, analysisResultsTable),
    ],
  },
  {
    version: 4,
    name: 'slo: label-joined rollup (signed, restated by late labels) and budget policy transitions',
    statements: (ctx) => [
      ...createTable(ctx, labelOutcomesTable.spec(ctx)),
      ...createTable(ctx, labelRollupTable.spec(ctx)),
      // Both views fire on each labels insert; the rollup's strict received_at comparisons make it right
      // whichever of them ClickHouse runs first.
      ...createView(ctx, labelRollupView(ctx)),
      ...createView(ctx, labelOutcomesView(ctx)),
      ...createTable(ctx, sloPolicyTransitionsTable),
    ],
  },
  {
    version: 5,
    name: 'model registry: versions, aliases, training runs, releases, audit log',
    statements: (ctx) => [
      ...createTable(ctx, modelVersionClaimsTable),
      ...createTable(ctx, modelVersionsTable),
      ...createTable(ctx, modelAliasesTable),
      ...createTable(ctx, trainingRunsTable),
      ...createTable(ctx, releaseEventsTable),
      ...createTable(ctx, auditLogTable),
    ],
  },
  {
    version: 6,
    name: 'predictions merge column by column, so a background merge holds one column in memory, not all',
    statements: (ctx) => [modifySettings(ctx, 'predictions', PREDICTIONS_MERGE_SETTINGS)],
  },
  {
    version: 8,
    name: 'slo: exact latency counts for thresholds between the rollup buckets, and the thresholds counted',
    // Tables only: the view that fills them is (re)created by the SLO component at start with the loaded
    // thresholds (store/slo-latency.ts), since they live in the specs, not in the schema.
    statements: (ctx) => [...createTable(ctx, latencyBelowTable.spec(ctx)), ...createTable(ctx, latencyThresholdsTable)],
  },
  {
    version: 10,
    name: 'registry outcomes: how training runs and version claims ended (killed runs marked failed)',
    statements: (ctx) => [...createTable(ctx, registryOutcomesTable)],
  },
  {
    version: 11,
    name: 'alerts: transitions and intake (alert_events), current state, silences, HA lease claims, notification deliveries',
    // Self-contained (the tables are declared here, not in a schema module): alerts/ reads and writes them through its
    // own adapter (alerts/clickhouse-store.ts). Small tables, kept for the retention period except state and silences.
    statements: (ctx) => [
      ...createTable(ctx, {
        name: 'alert_events',
        columns: [
          'event_id String',
          // transition | ack | intake
          'kind LowCardinality(String)',
          // highway (its own rules) | alertmanager (the webhook intake)
          'source LowCardinality(String)',
          'fingerprint String',
          'alertname LowCardinality(String)',
          'severity LowCardinality(String)',
          'model LowCardinality(String)',
          'slo LowCardinality(String)',
          'from_state LowCardinality(String)',
          'to_state LowCardinality(String)',
          "at DateTime64(3, 'UTC')",
          "active_at DateTime64(3, 'UTC')",
          'value Nullable(Float64)',
          'silenced_by Array(String)',
          'labels Map(String, String)',
          'annotations Map(String, String)',
          'actor String',
          'detail String',
        ],
        engine: 'MergeTree',
        partitionBy: 'toYYYYMM(at)',
        orderBy: '(alertname, at, fingerprint)',
        ttl: `toDateTime(at) + INTERVAL ${Math.max(ctx.retentionDays, 30)} DAY`,
        // Intake and transitions insert with a deduplication token; the window must outlast any retry storm.
        settings: { non_replicated_deduplication_window: 100_000 },
        shardingKey: 'cityHash64(fingerprint)',
      }),
      ...createTable(ctx, {
        name: 'alert_state',
        columns: [
          'fingerprint String',
          'source LowCardinality(String)',
          'alertname LowCardinality(String)',
          'severity LowCardinality(String)',
          'model LowCardinality(String)',
          'slo LowCardinality(String)',
          'state LowCardinality(String)',
          "active_at DateTime64(3, 'UTC')",
          "fired_at Nullable(DateTime64(3, 'UTC'))",
          "resolved_at Nullable(DateTime64(3, 'UTC'))",
          "last_true_at DateTime64(3, 'UTC')",
          'value Nullable(Float64)',
          'labels Map(String, String)',
          'annotations Map(String, String)',
          'silenced_by Array(String)',
          'generator_url String',
          "updated_at DateTime64(3, 'UTC')",
        ],
        engine: 'ReplacingMergeTree',
        engineArgs: 'updated_at',
        orderBy: 'fingerprint',
        shardingKey: 'cityHash64(fingerprint)',
      }),
      ...createTable(ctx, {
        name: 'alert_silences',
        columns: ['id String', 'matchers String', "starts_at DateTime64(3, 'UTC')", "ends_at DateTime64(3, 'UTC')", 'created_by String', 'comment String', "updated_at DateTime64(3, 'UTC')"],
        engine: 'ReplacingMergeTree',
        engineArgs: 'updated_at',
        orderBy: 'id',
        shardingKey: 'cityHash64(id)',
      }),
      ...createTable(ctx, {
        name: 'alert_lease_claims',
        // Terms are cut from the evaluators' clock (simulated in the demo); the TTL runs on the server's clock.
        columns: ['name LowCardinality(String)', 'term UInt64', 'holder String', "claimed_at DateTime64(3, 'UTC')", 'inserted_at DateTime DEFAULT now()'],
        engine: 'MergeTree',
        orderBy: '(name, term)',
        ttl: 'inserted_at + INTERVAL 1 DAY',
        settings: { non_replicated_deduplication_window: 100_000 },
        shardingKey: 'cityHash64(name)',
      }),
      ...createTable(ctx, {
        name: 'alert_deliveries',
        columns: ['receiver LowCardinality(String)', 'group_key String', 'attempt UInt16', 'ok UInt8', 'status UInt16', 'error String', 'alerts UInt32', "at DateTime64(3, 'UTC')"],
        engine: 'MergeTree',
        partitionBy: 'toYYYYMM(at)',
        orderBy: '(receiver, at)',
        ttl: `toDateTime(at) + INTERVAL ${Math.max(ctx.retentionDays, 30)} DAY`,
      }),
    ],
  },
  {
    version: 12,
    name: 'incidents (current state) and their timelines; audit_log gains request_id and status',
    // Self-contained, like 11: incidents/ reads and writes its tables through its own adapter, audit/ the audit log.
    statements: (ctx) => [
      // Added with defaults: entries written before read back with '' and 0. On a cluster the column goes on the
      // replicated local table and on the Distributed table in front of it.
      ...[...new Set([localTable(ctx, 'audit_log'), tableName(ctx, 'audit_log')])].map(
        (t) => `ALTER TABLE ${t}${ctx.cluster ? ` ON CLUSTER \`${ctx.cluster}\`` : ''} ADD COLUMN IF NOT EXISTS request_id String DEFAULT '', ADD COLUMN IF NOT EXISTS status UInt16 DEFAULT 0`,
      ),
      ...createTable(ctx, {
        name: 'incidents',
        columns: [
          'id String',
          // What groups alerts into it: model:<name> or slo:<name>
          'group_key String',
          // triage | investigating | mitigated | resolved
          'status LowCardinality(String)',
          'severity LowCardinality(String)',
          'title String',
          'models Array(String)',
          'slos Array(String)',
          "onset_at DateTime64(3, 'UTC')",
          "opened_at DateTime64(3, 'UTC')",
          "resolved_at Nullable(DateTime64(3, 'UTC'))",
          "updated_at DateTime64(3, 'UTC')",
          'assignee String',
          // JSON: the alerts it collected, each with its fingerprint, names, start and whether it still fires
          'alerts String',
          // Each change writes revision + 1; the newest revision per id is the incident.
          'revision UInt64',
        ],
        engine: 'ReplacingMergeTree',
        engineArgs: 'revision',
        orderBy: 'id',
        shardingKey: 'cityHash64(id)',
      }),
      ...createTable(ctx, {
        name: 'incident_events',
        columns: [
          'incident_id String',
          'event_id String',
          // fingerprint/status/startsAt of an alert entry ('' for others): one entry per alert activity across incidents
          'alert_key String',
          // opened | alert_firing | alert_resolved | status | note | assignee | resolved
          'kind LowCardinality(String)',
          "at DateTime64(3, 'UTC')",
          'actor String',
          'fingerprint String',
          'alertname String',
          'severity LowCardinality(String)',
          'from_status LowCardinality(String)',
          'to_status LowCardinality(String)',
          'note String',
          'request_id String',
        ],
        engine: 'ReplacingMergeTree',
        orderBy: '(incident_id, event_id)',
        settings: { non_replicated_deduplication_window: 100_000 },
        shardingKey: 'cityHash64(incident_id)',
      }),
    ],
  },
  {
    version: 13,
    name: 'runbooks: runs (one row per state change, insert-once per seq) and steps',
    // Self-contained, like 11: runbooks/ reads and writes them through its own adapter (runbooks/clickhouse-store.ts).
    // Every state change of a run is a new row with the next seq, inserted with the token (id, seq): of two writers of
    // one seq (the same alert three times, two processes) ClickHouse keeps one, and each learns which by reading back.
    statements: (ctx) => [
      ...createTable(ctx, {
        name: 'runbook_runs',
        columns: [
          'id String',
          'seq UInt32',
          'runbook LowCardinality(String)',
          'model LowCardinality(String)',
          // running | waiting | succeeded | failed | refused | aborted | cancelled | planned | skipped
          'status LowCardinality(String)',
          'dry_run UInt8',
          // JSON: kind (alert | schedule | manual), actor, fingerprint, startsAtMs, labels, slotMs, reason
          'trigger String',
          'reason String',
          'step UInt16',
          'approved Array(UInt16)',
          'detail String',
          'owner String',
          "created_at DateTime64(3, 'UTC')",
          "updated_at DateTime64(3, 'UTC')",
          "finished_at Nullable(DateTime64(3, 'UTC'))",
          "inserted_at DateTime64(6, 'UTC') DEFAULT now64(6)",
        ],
        engine: 'MergeTree',
        partitionBy: 'toYYYYMM(created_at)',
        orderBy: '(id, seq)',
        ttl: `toDateTime(created_at) + INTERVAL ${Math.max(ctx.retentionDays, 90)} DAY`,
        settings: { non_replicated_deduplication_window: 100_000 },
        shardingKey: 'cityHash64(id)',
      }),
      ...createTable(ctx, {
        name: 'runbook_steps',
        columns: [
          'run_id String',
          'idx UInt16',
          'seq UInt32',
          'action LowCardinality(String)',
          'name String',
          'status LowCardinality(String)',
          'input String',
          'output String',
          'error String',
          "started_at DateTime64(3, 'UTC')",
          "finished_at Nullable(DateTime64(3, 'UTC'))",
          "inserted_at DateTime64(6, 'UTC') DEFAULT now64(6)",
        ],
        engine: 'MergeTree',
        partitionBy: 'toYYYYMM(started_at)',
        orderBy: '(run_id, idx, seq)',
        ttl: `toDateTime(started_at) + INTERVAL ${Math.max(ctx.retentionDays, 90)} DAY`,
        settings: { non_replicated_deduplication_window: 100_000 },
        shardingKey: 'cityHash64(run_id)',
      }),
    ],
  },
  {
    version: 14,
    name: 'faro: web events, measurements, logs and exceptions from the Grafana Faro SDK (faro_events)',
    // Self-contained, like 11: faro/ writes it through its own adapter (faro/clickhouse-store.ts). One table with a
    // `kind` column: the four kinds share their meta (app, session, page, browser) and are read together per session.
    statements: (ctx) => [
      ...createTable(ctx, {
        name: 'faro_events',
        columns: [
          'app LowCardinality(String)',
          'app_version LowCardinality(String)',
          'environment LowCardinality(String)',
          // event | measurement | log | exception
          'kind LowCardinality(String)',
          // event name, measurement type (web-vitals, …), log level or exception type
          'name LowCardinality(String)',
          "ts DateTime64(3, 'UTC')",
          "received_at DateTime64(3, 'UTC')",
          'session_id String',
          'user_id String',
          'page_url String',
          'page_id String',
          'browser_name LowCardinality(String)',
          'browser_version LowCardinality(String)',
          'browser_os LowCardinality(String)',
          'browser_mobile UInt8',
          'view LowCardinality(String)',
          'message String',
          'stacktrace String',
          'attributes Map(String, String)',
          'values Map(String, Float64)',
          'trace_id String',
          'span_id String',
          // label events: the model and prediction they label, and what became of the label
          'model LowCardinality(String)',
          'prediction_id String',
          // accepted | quarantined | refused ('' for other rows)
          'label_outcome LowCardinality(String)',
          'label_error String',
          'idempotency_key String',
        ],
        engine: 'MergeTree',
        partitionBy: 'toYYYYMM(ts)',
        orderBy: '(app, kind, ts)',
        ttl: `toDateTime(ts) + INTERVAL ${ctx.retentionDays} DAY`,
        // A batch retried with the same Idempotency-Key inserts with the same token; the window outlasts any retry storm.
        settings: { non_replicated_deduplication_window: 100_000 },
        shardingKey: 'cityHash64(session_id)',
      }),
    ],
  },
]

/** The bookkeeping table, created before any migration runs. */
export function migrationsTableDdl(ctx: DdlContext): string[] {
  return [
    createDatabase(ctx),
    ...createTable(ctx, {
      name: 'schema_migrations',
      columns: ['version UInt32', 'name String', "applied_at DateTime64(3, 'UTC')"],
      engine: 'ReplacingMergeTree',
      orderBy: 'version',
    }),
  ]
}

/** Every statement a fresh database needs, in order: what `highway migrate --print` shows and the DDL tests read. */
export function allStatements(ctx: DdlContext): string[] {
  return [...migrationsTableDdl(ctx), ...MIGRATIONS.flatMap((m) => m.statements(ctx))]
}

/** The slice of a ClickHouse client migrations need. */
export interface DdlRunner {
  command(sql: string, params?: Record<string, unknown>): Promise<void>
  queryRows<T>(sql: string, params?: Record<string, unknown>): Promise<T[]>
}

/** Applies pending migrations in order and records each; then brings TTLs in line with the configured retention. */
export async function applyMigrations(runner: DdlRunner, ctx: DdlContext): Promise<{ applied: number[] }> {
  for (const sql of migrationsTableDdl(ctx)) await runner.command(sql)
  const rows = await runner.queryRows<{ version: number }>(`SELECT DISTINCT version FROM ${tableName(ctx, 'schema_migrations')}`)
  const done = new Set(rows.map((r) => Number(r.version)))
  const applied: number[] = []
  for (const migration of MIGRATIONS) {
    if (done.has(migration.version)) continue
    // Statements are idempotent (IF NOT EXISTS), so a crash between them and the record below is repaired by a rerun.
    for (const sql of migration.statements(ctx)) await runner.command(sql)
    await runner.command(`INSERT INTO ${tableName(ctx, 'schema_migrations')} (version, name, applied_at) VALUES ({version:UInt32}, {name:String}, now64(3))`, {
      version: migration.version,
      name: migration.name,
    })
    applied.push(migration.version)
  }
  await alignRetention(runner, ctx)
  return { applied }
}

async function alignRetention(runner: DdlRunner, ctx: DdlContext): Promise<void> {
  for (const table of [...RETAINED_TABLES, ...SLO_RETAINED_TABLES]) {
    const spec = table.spec(ctx)
    const [row] = await runner.queryRows<{ q: string }>(
      'SELECT create_table_query AS q FROM system.tables WHERE database = {db:String} AND name = {name:String}',
      { db: ctx.database, name: ctx.cluster ? `${spec.name}_local` : spec.name },
    )
    // ClickHouse stores the TTL normalised: `INTERVAL 30 DAY` reads back as `toIntervalDay(30)`.
    const want = `toIntervalDay(${ctx.retentionDays})`
    if (row && !row.q.includes(want)) await runner.command(modifyTtl(ctx, spec.name, table.ttl(ctx)))
  }
}
