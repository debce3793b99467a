import type { HighwayEnv } from '../config/index.ts'
import type { Command, CommandContext, CommandOutput } from './command-context.ts'
import type { CommandName } from './help.ts'
import type { CommandInvocation } from './parse-invocation.ts'
import { configIsGiven, isConfigError, resolveConfig } from './resolve-config.ts'

/** How each command is loaded: its module is imported only when that command runs, so no command pays for another. */
export type CommandTable = Readonly<Record<CommandName, () => Promise<Command>>>

/** The commands of `highway`, each behind a dynamic import. */
export const COMMANDS: CommandTable = {
  start: async () => (await import('./start-command.ts')).startCommand,
  migrate: async () => (await import('./migrate-command.ts')).migrateCommand,
  demo: async () => (await import('./demo.ts')).demoCommand,
  slo: async () => (await import('./slo-commands.ts')).sloCommand,
  rules: async () => (await import('./rules-command.ts')).rulesCommand,
  dashboards: async () => (await import('./dashboards-command.ts')).dashboardsCommand,
  drift: async () => (await import('./analysis-commands.ts')).analysisCommand,
  quality: async () => (await import('./analysis-commands.ts')).analysisCommand,
  performance: async () => (await import('./analysis-commands.ts')).analysisCommand,
  report: async () => (await import('./report-command.ts')).reportCommand,
  train: async () => (await import('./train-command.ts')).trainCommand,
  models: async () => (await import('./model-commands.ts')).modelCommand,
  release: async () => (await import('./model-commands.ts')).modelCommand,
  rollback: async () => (await import('./model-commands.ts')).modelCommand,
  runbook: async () => (await import('./runbook-command.ts')).runbookCommand,
  incident: async () => (await import('./incident-command.ts')).incidentCommand,
  alerts: async () => (await import('./alerts-command.ts')).alertsCommand,
  silence: async () => (await import('./silence-command.ts')).silenceCommand,
}

/** What dispatch needs from the process: output streams, the environment snapshot and the version. */
export interface DispatchIo {
  readonly stdout: CommandOutput
  readonly stderr: CommandOutput
  readonly env: HighwayEnv
  readonly version: string
}

/**
 * The dispatch stage: loads the invoked command and runs it. A ConfigError becomes exit 2 and any other throw
 * exit 1, each as one line `highway <command>: <message>` on stderr.
 */
export async function dispatch(invocation: CommandInvocation, io: DispatchIo, commands: CommandTable = COMMANDS): Promise<number> {
  const { command, args } = invocation
  const context: CommandContext = {
    command,
    args,
    port: invocation.port,
    help: invocation.help,
    version: io.version,
    env: io.env,
    stdout: io.stdout,
    stderr: io.stderr,
    config: (port) => resolveConfig(args, io.env, port),
    configIfGiven: async () => (configIsGiven(args, io.env) ? resolveConfig(args, io.env) : undefined),
  }
  try {
    const run = await commands[command]()
    return await run(context)
  } catch (err) {
    if (await isConfigError(err)) {
      io.stderr.write(`highway ${command}: ${(err as Error).message}\n`)
      return 2
    }
    io.stderr.write(`highway ${command}: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  }
}
