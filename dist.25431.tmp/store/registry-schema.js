// Tables of the model registry, releases and the audit log (migration 5). Small, append-mostly tables: no TTL,
// no partitions (a registry keeps its history for as long as the models live).
/**
 * Version numbers as claimed, one row per (model, version): the registry's sequence. A registration claims the
 * next number by inserting with `insert_deduplication_token = <model>/<version>`; of two concurrent inserts of the
 * same number ClickHouse stores the first block and silently drops the second (non-replicated deduplication
 * window; on a cluster the Replicated engine deduplicates through Keeper), so the loser reads back someone else's
 * `claim_id` and tries the next number. Sharded by model so one model's claims meet on one shard.
 */
export const modelVersionClaimsTable = {
    name: 'model_version_claims',
    columns: ['model LowCardinality(String)', 'version UInt32', 'claim_id String', "claimed_at DateTime64(3, 'UTC')"],
    engine: 'MergeTree',
    orderBy: '(model, version)',
    // Far wider than any registration race: a claim is remembered for the next 100k claims.
    settings: { non_replicated_deduplication_window: 100_000 },
    shardingKey: 'cityHash64(model)',
};
/** Registered versions, one row per claimed (model, version), written once the artifact is stored. */
export const modelVersionsTable = {
    name: 'model_versions',
    columns: [
        'model LowCardinality(String)',
        'version UInt32',
        'registration_id String',
        'artifact_sha256 FixedString(64)',
        'artifact_bytes UInt64',
        'dataset_version String',
        'dataset_rows Map(LowCardinality(String), UInt64)',
        'code_version String',
        'parameters String',
        'metrics String',
        'gates String',
        'signature String',
        'preprocessor String',
        'params String',
        'reference_id String',
        'training_run_id String',
        'description String',
        "created_at DateTime64(3, 'UTC')",
        'created_by String',
    ],
    engine: 'ReplacingMergeTree',
    engineArgs: 'created_at',
    orderBy: '(model, version)',
    shardingKey: 'cityHash64(model)',
};
/** Alias moves, append-only: the newest row per (model, alias) is in force; older rows are the history. */
export const modelAliasesTable = {
    name: 'model_aliases',
    columns: [
        'model LowCardinality(String)',
        'alias LowCardinality(String)',
        // 0 = alias removed.
        'version UInt32',
        'previous_version UInt32',
        // Microseconds, monotonic within a process, so two moves in one millisecond keep their order.
        "set_at DateTime64(6, 'UTC')",
        'set_by String',
        'reason LowCardinality(String)',
        'note String',
    ],
    engine: 'MergeTree',
    orderBy: '(model, alias, set_at)',
    shardingKey: 'cityHash64(model)',
};
/** Training runs and hyperparameter trials; re-recording a (run, trial) replaces it. */
export const trainingRunsTable = {
    name: 'training_runs',
    columns: [
        'run_id String',
        'model LowCardinality(String)',
        'trial_index UInt32',
        'parameters String',
        'metrics String',
        'dataset_version String',
        'code_version String',
        'seed Int64',
        "created_at DateTime64(3, 'UTC')",
    ],
    engine: 'ReplacingMergeTree',
    engineArgs: 'created_at',
    orderBy: '(model, run_id, trial_index)',
    shardingKey: 'cityHash64(model)',
};
/** Release events (started, step, analysis, promoted, rolled back, …), append-only: a release is its events. */
export const releaseEventsTable = {
    name: 'releases',
    columns: [
        'release_id String',
        'model LowCardinality(String)',
        'version UInt32',
        'stable_version UInt32',
        'strategy LowCardinality(String)',
        'fix Bool',
        'seq UInt32',
        'event LowCardinality(String)',
        'state LowCardinality(String)',
        'step UInt32',
        'weight_percent Float64',
        'detail String',
        "at DateTime64(3, 'UTC')",
        'actor String',
    ],
    engine: 'MergeTree',
    orderBy: '(model, release_id, seq)',
    shardingKey: 'cityHash64(model)',
};
/** Who did what, when, to what, with the state before and after: generic for every component. */
export const auditLogTable = {
    name: 'audit_log',
    columns: [
        'id String',
        "at DateTime64(3, 'UTC')",
        'actor String',
        'component LowCardinality(String)',
        'action LowCardinality(String)',
        'model LowCardinality(String)',
        'target String',
        'outcome LowCardinality(String)',
        'before String',
        'after String',
        'reason String',
    ],
    engine: 'MergeTree',
    orderBy: '(component, at, id)',
};
/**
 * How training runs and version claims ended (migration 10): `running` while a process works on them, then
 * `done` or `failed` with the reason. A process killed mid-run leaves `running` (or, for a claim, nothing) behind;
 * the next start or train marks those `failed`. The newest row per (model, kind, key) is in force.
 */
export const registryOutcomesTable = {
    name: 'registry_outcomes',
    columns: [
        'model LowCardinality(String)',
        // `training_run` (key = run id) or `version_claim` (key = the version number).
        'kind LowCardinality(String)',
        'key String',
        'version UInt32',
        'state LowCardinality(String)',
        // host:pid of the process doing the work, so a later process can tell a dead owner from a live one.
        'owner String',
        'reason String',
        "at DateTime64(3, 'UTC')",
    ],
    engine: 'ReplacingMergeTree',
    engineArgs: 'at',
    orderBy: '(model, kind, key)',
    shardingKey: 'cityHash64(model)',
};
//# sourceMappingURL=registry-schema.js.map