import { setFlagsFromString } from 'node:v8'
import type { Command } from './command-context.ts'
import { createLogger } from './logger.ts'
import { COMPONENTS, startService, type Component } from './service.ts'

/** `highway start [component…]`: runs the components in this process until SIGINT or SIGTERM. */
export const startCommand: Command = async ({ args, port, stderr, version, config: resolveConfig }) => {
  const unknown = args.positionals.filter((c) => !(COMPONENTS as readonly string[]).includes(c))
  if (unknown.length > 0) {
    stderr.write(`highway start: unknown component(s) ${unknown.join(', ')}; available: ${COMPONENTS.join(', ')}\n`)
    return 2
  }
  const components = (args.positionals.length ? args.positionals : COMPONENTS) as Component[]
  const config = await resolveConfig(port)
  const logger = createLogger()
  // V8 lets the old generation grow up to 4x its live size before a full GC; under ingest that is ~70 MB of
  // request garbage the process holds for nothing. At 1.5x the collector's peak RSS drops by ~45-55 MB for ~2%
  // more CPU per record (measured: bench/RESULTS.md, ingest). Set here, at the start of the long-running service.
  setFlagsFromString('--heap-growing-percent=50')
  const service = await startService({ config, components, logger, version })
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info('stopping', { signal })
      resolve()
    }
    process.once('SIGINT', () => stop('SIGINT'))
    process.once('SIGTERM', () => stop('SIGTERM'))
  })
  await service.close()
  return 0
}
