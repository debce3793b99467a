import { parseFlags, type ParsedFlags } from './flags.ts'
import { COMMAND_HELP, isCommandName, overviewHelp, type CommandName } from './help.ts'

/** A command line to run: the command, its parsed flags and its help. */
export interface CommandInvocation {
  readonly kind: 'run'
  readonly command: CommandName
  readonly args: ParsedFlags
  readonly port: number | undefined
  readonly help: string
}

/** A command line answered without running anything: help, the version, or a usage error. */
export interface ImmediateExit {
  readonly kind: 'exit'
  readonly exitCode: number
  readonly stdout?: string
  readonly stderr?: string
}

/** What a command line asks for. */
export type Invocation = CommandInvocation | ImmediateExit

/**
 * The parse stage: argv (without node and the script) to a command to run or an answer to print. Pure: no I/O and
 * no imports beyond the help texts, so `--help`, `--version` and usage errors never load a component.
 * Exit codes: help 0 (1 when no command was given at all), version 0, usage errors 2.
 */
export function parseInvocation(argv: readonly string[], version: string): Invocation {
  const [command, ...rest] = argv
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    return { kind: 'exit', exitCode: command === undefined ? 1 : 0, stdout: `${overviewHelp(version)}\n` }
  }
  if (command === '--version' || command === '-v') return { kind: 'exit', exitCode: 0, stdout: `${version}\n` }
  if (!isCommandName(command)) return { kind: 'exit', exitCode: 2, stderr: `highway: unknown command "${command}"\n\n${overviewHelp(version)}\n` }
  const help = COMMAND_HELP[command]
  let args: ParsedFlags
  try {
    args = parseFlags(rest)
  } catch (err) {
    return { kind: 'exit', exitCode: 2, stderr: `highway ${command}: ${(err as Error).message}\n\n${help}\n` }
  }
  if (args.values.help) return { kind: 'exit', exitCode: 0, stdout: `${help}\n` }
  const port = args.values.port === undefined ? undefined : Number(args.values.port)
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    return { kind: 'exit', exitCode: 2, stderr: `highway ${command}: --port must be an integer from 0 to 65535, got "${args.values.port}"\n` }
  }
  return { kind: 'run', command, args, port, help }
}
