import { resolve } from 'node:path'
import type { Command } from './command-context.ts'
import { createLogger } from './logger.ts'
import { packagePath } from './package-root.ts'
import { COMPONENTS, startService } from './service.ts'

/**
 * `highway demo [--config F] [--data-dir D] [--host H] [--port P] [--exit] [--json]`: the closed loop on the
 * bike-sharing data in simulated time (demo/). Exit 0 when every step happened, 1 otherwise.
 */
export const demoCommand: Command = async ({ args, port, env, stdout, stderr, version }) => {
  const { runDemo, prepareDataDir } = await import('../demo/index.ts')
  const { openSession, resolveTraining, runOnnx, trainModel } = await import('../pipeline/train/index.ts')
  const json = args.values.json ?? false
  const exit = args.values.exit ?? false
  const dataDir = resolve(args.values['data-dir'] ?? './data/demo')
  prepareDataDir(dataDir, args.values['data-dir'] !== undefined)
  const logger = createLogger({ quiet: true })
  const result = await runDemo({
    configFile: args.values.config ?? packagePath('examples/demo/highway.yaml'),
    hoursCsv: packagePath('datasets/bike-sharing/hour.csv'),
    dataDir,
    ...(args.values.host ? { host: args.values.host } : {}),
    ...(port !== undefined ? { port } : {}),
    env,
    logger,
    start: ({ config, clock, engine, intervals }) => startService({ config, components: COMPONENTS, logger, version, clock, engine, intervals }),
    pipeline: {
      train: (t) => trainModel({ ...t, training: resolveTraining(t.model), codeVersion: 'demo', actor: 'demo' }),
      async score({ registry, model, version, records }) {
        const v = await registry.requireVersion(model, version)
        const session = await openSession((await registry.readArtifact(model, version)).bytes)
        try {
          return await runOnnx(session, v.signature, records)
        } finally {
          await session.release()
        }
      },
    },
    ...(json ? {} : { write: (line: string) => stdout.write(`${line}\n`) }),
  })
  for (const p of result.problems) stderr.write(`highway demo: ${p}\n`)
  if (json) stdout.write(`${JSON.stringify({ ok: result.ok, duration_s: result.duration_s, events: result.events, stages_s: result.stages_s, mae: result.mae })}\n`)
  if (exit) {
    await result.service.close()
    return result.ok ? 0 : 1
  }
  if (!json) stdout.write(`\nHighway keeps running at ${result.url} (simulated clock stopped at the replay's end); Ctrl-C stops it.\n`)
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done())
    process.once('SIGTERM', () => done())
  })
  await result.service.close()
  return result.ok ? 0 : 1
}
