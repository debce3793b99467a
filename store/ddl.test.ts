import { describe, expect, it } from 'vitest'
import { allStatements, latencyViewDdl } from './index.ts'

// No cluster runs here, so the cluster DDL is tested as text: every statement must carry ON CLUSTER, every
// MergeTree must be Replicated with a per-shard path, reads and inserts go through Distributed tables, and the
// materialized view must read and write the shard-local tables so each shard rolls up its own rows.
describe('cluster DDL', () => {
  const cluster = allStatements({ database: 'highway', cluster: 'ml', retentionDays: 30 })
  const local = allStatements({ database: 'highway', retentionDays: 30 })

  it('puts ON CLUSTER on every statement', () => {
    for (const sql of cluster) expect(sql).toContain('ON CLUSTER `ml`')
  })

  it('uses Replicated engines with a shard and replica path for every table', () => {
    const creates = cluster.filter((s) => s.startsWith('CREATE TABLE') && !s.includes('ENGINE = Distributed'))
    expect(creates.length).toBeGreaterThan(0)
    for (const sql of creates) {
      expect(sql).toMatch(/ENGINE = Replicated(Replacing|Aggregating|Summing)?MergeTree\('\/clickhouse\/tables\/\{shard\}\/highway\/\w+_local', '\{replica\}'/)
    }
  })

  it('fronts each local table with a Distributed table of the plain name', () => {
    for (const name of ['predictions', 'labels', 'quarantine', 'prediction_rollup_1m']) {
      const dist = cluster.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS \`highway\`.\`${name}\` `))
      expect(dist, name).toBeDefined()
      expect(dist).toContain(`ENGINE = Distributed(\`ml\`, \`highway\`, \`${name}_local\``)
    }
  })

  it('shards predictions and labels by model and id, so one id meets its label on one shard', () => {
    for (const name of ['predictions', 'labels']) {
      const dist = cluster.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS \`highway\`.\`${name}\` `))
      expect(dist).toContain('cityHash64(model, id))')
    }
  })

  it('keeps the rollup view on shard-local tables', () => {
    const view = cluster.find((s) => s.startsWith('CREATE MATERIALIZED VIEW'))
    expect(view).toContain('TO `highway`.`prediction_rollup_1m_local`')
    expect(view).toContain('FROM `highway`.`predictions_local`')
  })

  it('keeps the exact latency view on shard-local tables, and swaps or drops it on the whole cluster', () => {
    const ctx = { database: 'highway', cluster: 'ml', retentionDays: 30 }
    const [create, modify] = latencyViewDdl(ctx, [{ thresholdMs: 120, countedFromMs: 1_700_000_000_000 }])
    expect(create).toContain('CREATE MATERIALIZED VIEW IF NOT EXISTS `highway`.`slo_latency_below_1m_mv` ON CLUSTER `ml` TO `highway`.`slo_latency_below_1m_local`')
    expect(create).toContain('FROM `highway`.`predictions_local`')
    expect(modify).toMatch(/^ALTER TABLE `highway`.`slo_latency_below_1m_mv` ON CLUSTER `ml` MODIFY QUERY SELECT .*FROM `highway`.`predictions_local`/s)
    expect(latencyViewDdl(ctx, [])).toEqual(['DROP VIEW IF EXISTS `highway`.`slo_latency_below_1m_mv` ON CLUSTER `ml`'])
  })

  it('generates the same tables without a cluster, minus replication', () => {
    expect(local.some((s) => s.includes('ON CLUSTER') || s.includes('Replicated') || s.includes('Distributed'))).toBe(false)
    const tables = (stmts: string[]) => stmts.filter((s) => s.startsWith('CREATE TABLE')).length
    // Each clustered table is a local + a distributed table.
    expect(tables(cluster)).toBe(2 * tables(local))
  })

  it('applies the configured retention as a TTL', () => {
    const predictions = local.find((s) => s.includes('`highway`.`predictions`'))
    expect(predictions).toContain('TTL toDateTime(ts) + INTERVAL 30 DAY')
  })
})
