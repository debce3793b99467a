// The `highway` command in three stages, each testable alone: parse (parse-invocation.ts: argv to a command or an
// answer, pure), resolve config (resolve-config.ts: called by the commands that need a Config, at the point they
// always did), dispatch (dispatch.ts: imports the one command module asked for and maps throws to exit codes).
import { readEnv } from '../config/env/index.ts'
import type { CommandOutput } from './command-context.ts'
import { dispatch, type CommandTable } from './dispatch.ts'
import { packageVersion } from './package-root.ts'
import { parseInvocation } from './parse-invocation.ts'

// config/env/index.ts rather than config/index.ts (STYLE rule 2): the index carries the zod schemas, ~250 ms of start-up
// that `--help` and the remote commands do not need; the commands that parse a config load the index themselves.

/** The process's side of a run; tests pass buffers and a command table of their own. */
export interface MainIo {
  readonly stdout: CommandOutput
  readonly stderr: CommandOutput
  readonly env?: NodeJS.ProcessEnv
  readonly commands?: CommandTable
}

/** Parses argv and runs a command; returns the exit code. */
export async function main(argv: readonly string[], io: MainIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const version = packageVersion()
  const invocation = parseInvocation(argv, version)
  if (invocation.kind === 'exit') {
    if (invocation.stdout !== undefined) io.stdout.write(invocation.stdout)
    if (invocation.stderr !== undefined) io.stderr.write(invocation.stderr)
    return invocation.exitCode
  }
  return dispatch(invocation, { stdout: io.stdout, stderr: io.stderr, env: readEnv(io.env), version }, io.commands)
}
