import { describe, expect, it } from 'vitest'
import { COMMAND_HELP, COMMAND_NAMES, overviewHelp } from './help.ts'
import { parseInvocation } from './parse-invocation.ts'

const overview = overviewHelp('9.9.9')

describe('parseInvocation', () => {
  it('prints the overview on stdout: exit 1 without a command, 0 when help is asked for', () => {
    expect(parseInvocation([], '9.9.9')).toEqual({ kind: 'exit', exitCode: 1, stdout: `${overview}\n` })
    for (const ask of ['-h', '--help', 'help']) expect(parseInvocation([ask], '9.9.9')).toEqual({ kind: 'exit', exitCode: 0, stdout: `${overview}\n` })
    expect(overview).toMatch(/^highway 9\.9\.9 — /)
  })

  it('prints the version for --version and -v', () => {
    expect(parseInvocation(['--version'], '9.9.9')).toEqual({ kind: 'exit', exitCode: 0, stdout: '9.9.9\n' })
    expect(parseInvocation(['-v'], '9.9.9')).toEqual({ kind: 'exit', exitCode: 0, stdout: '9.9.9\n' })
  })

  it('refuses an unknown command with exit 2, including names an object inherits', () => {
    for (const name of ['frobnicate', 'main', 'constructor', 'toString', '__proto__']) {
      expect(parseInvocation([name], '9.9.9')).toEqual({ kind: 'exit', exitCode: 2, stderr: `highway: unknown command "${name}"\n\n${overview}\n` })
    }
  })

  it("prints each command's help for --help and -h, whatever else is on the line", () => {
    for (const command of COMMAND_NAMES) {
      expect(parseInvocation([command, '--help'], '1')).toEqual({ kind: 'exit', exitCode: 0, stdout: `${COMMAND_HELP[command]}\n` })
      expect(parseInvocation([command, 'x', '-h', '--json'], '1')).toMatchObject({ exitCode: 0 })
      expect(COMMAND_HELP[command]).toContain(`highway ${command}`)
    }
  })

  it('names an unknown flag and prints the command help, exit 2', () => {
    const out = parseInvocation(['start', '--prot', '1'], '1')
    expect(out).toMatchObject({ kind: 'exit', exitCode: 2 })
    expect(out.kind === 'exit' && out.stderr).toMatch(/^highway start: Unknown option '--prot'.*\n\nUsage: highway start /s)
  })

  it('accepts ports from 0 to 65535 and refuses anything else naming the value', () => {
    expect(parseInvocation(['start', '--port', '0'], '1')).toMatchObject({ kind: 'run', command: 'start', port: 0 })
    expect(parseInvocation(['start', '--port', '65535'], '1')).toMatchObject({ kind: 'run', port: 65535 })
    for (const bad of ['eighty', '65536', '8.5']) {
      expect(parseInvocation(['start', '--port', bad], '1')).toEqual({ kind: 'exit', exitCode: 2, stderr: `highway start: --port must be an integer from 0 to 65535, got "${bad}"\n` })
    }
  })

  it('hands a command its flags, positionals and help', () => {
    const out = parseInvocation(['slo', 'validate', 'dir', '--json'], '1')
    expect(out).toMatchObject({ kind: 'run', command: 'slo', port: undefined, help: COMMAND_HELP.slo, args: { positionals: ['validate', 'dir'], values: { json: true } } })
  })
})
