import type { Config, HighwayEnv } from '../config/index.ts'
import type { ParsedFlags } from './flags.ts'
import type { CommandName } from './help.ts'

/** Where a command writes: process.stdout and process.stderr, or a buffer in tests. */
export interface CommandOutput {
  /** A terminal gets progress bars; pipes and files do not. */
  readonly isTTY?: boolean
  readonly columns?: number
  write(text: string): unknown
}

/** What a command is handed once its arguments have parsed: flags, environment, output and the config stage. */
export interface CommandContext {
  readonly command: CommandName
  readonly args: ParsedFlags
  /** `--port`, already checked to be an integer from 0 to 65535. */
  readonly port: number | undefined
  /** The command's help, printed under usage errors. */
  readonly help: string
  readonly version: string
  readonly env: HighwayEnv
  readonly stdout: CommandOutput
  readonly stderr: CommandOutput
  /**
   * The config stage (resolve-config.ts) for this invocation: file, environment and flags parsed into a Config.
   * Commands call it where they need it, so their usage errors still come before a config error, as they always did.
   * `port` is given by `start` only.
   */
  config(port?: number): Promise<Config>
  /** The config when `--config` or HIGHWAY_CONFIG names one, else undefined (slo validate, rules). */
  configIfGiven(): Promise<Config | undefined>
}

/** One command: runs and returns the exit code; a throw becomes exit 1 (2 for a config error). */
export type Command = (context: CommandContext) => Promise<number>
