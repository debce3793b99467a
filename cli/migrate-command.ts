import { allStatements, openStore } from '../store/index.ts'
import type { Command } from './command-context.ts'

/** `highway migrate [--print] [--cluster NAME]`: applies pending migrations, or prints their DDL. */
export const migrateCommand: Command = async ({ args, stdout, config: resolveConfig }) => {
  const config = await resolveConfig()
  const cluster = args.values.cluster ?? config.storage.cluster
  const ctx = { database: config.storage.database, retentionDays: config.storage.retentionDays, ...(cluster ? { cluster } : {}) }
  if (args.values.print) {
    const statements = allStatements(ctx)
    stdout.write(args.values.json ? `${JSON.stringify({ statements })}\n` : `${statements.join(';\n\n')};\n`)
    return 0
  }
  const store = await openStore(
    config.storage.url
      ? { mode: 'server', url: config.storage.url, user: config.storage.user, password: config.storage.password, ...ctx }
      : { mode: 'embedded', dataDir: config.storage.dataDir, ...ctx },
  )
  const rows = await store.queryRows<{ version: number; name: string }>(`SELECT version, name FROM \`${ctx.database}\`.schema_migrations FINAL ORDER BY version`)
  await store.close()
  stdout.write(args.values.json ? `${JSON.stringify({ location: store.location, migrations: rows })}\n` : `${store.location}: ${rows.map((r) => `${r.version} ${r.name}`).join('\n')}\n`)
  return 0
}
