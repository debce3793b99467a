import { describe, expect, it } from 'vitest'
import { readEnv } from '../config/index.ts'
import type { Command, CommandOutput } from './command-context.ts'
import { COMMANDS, dispatch, type CommandTable } from './dispatch.ts'
import { COMMAND_NAMES } from './help.ts'
import { main } from './main.ts'
import { parseInvocation, type CommandInvocation } from './parse-invocation.ts'

function buffer(): CommandOutput & { text: string } {
  const out = { text: '', write: (s: string) => (out.text += s) }
  return out
}

function invocation(argv: string[]): CommandInvocation {
  const parsed = parseInvocation(argv, '1.2.3')
  if (parsed.kind !== 'run') throw new Error(`${argv.join(' ')} does not run a command`)
  return parsed
}

/** A table whose every command fails the test, but for the ones given. */
function table(commands: Partial<CommandTable>, loaded: string[] = []): CommandTable {
  const entries = COMMAND_NAMES.map((name) => [name, async () => {
    loaded.push(name)
    const command = commands[name]
    if (command === undefined) throw new Error(`${name} should not have been loaded`)
    return command()
  }] as const)
  return Object.fromEntries(entries) as unknown as CommandTable
}

describe('dispatch', () => {
  it('loads only the command asked for and hands it the flags, the env and the version', async () => {
    const loaded: string[] = []
    const seen: unknown[] = []
    const drift: Command = async (ctx) => {
      seen.push([ctx.command, ctx.args.values.model, ctx.env.HIGHWAY_URL, ctx.version])
      ctx.stdout.write('ok\n')
      return 0
    }
    const stdout = buffer()
    const code = await dispatch(invocation(['drift', '--model', 'm']), { stdout, stderr: buffer(), env: { HIGHWAY_URL: 'http://h' }, version: '1.2.3' }, table({ drift: async () => drift }, loaded))
    expect(code).toBe(0)
    expect(loaded).toEqual(['drift'])
    expect(seen).toEqual([['drift', 'm', 'http://h', '1.2.3']])
    expect(stdout.text).toBe('ok\n')
  })

  it('turns a config error from the config stage into one line and exit 2', async () => {
    const stderr = buffer()
    const migrate: Command = async (ctx) => {
      await ctx.config()
      return 0
    }
    const env = readEnv({ HIGHWAY_RETENTION_DAYS: 'forever' })
    const code = await dispatch(invocation(['migrate', '--print']), { stdout: buffer(), stderr, env, version: '1' }, table({ migrate: async () => migrate }))
    expect(code).toBe(2)
    expect(stderr.text).toMatch(/^highway migrate: invalid configuration in defaults:\n {2}storage\.retentionDays \(from HIGHWAY_RETENTION_DAYS\): .*got "forever"\n$/)
  })

  it('reads a config only when one is named, for the commands that can go without', async () => {
    const seen: unknown[] = []
    const slo: Command = async (ctx) => {
      seen.push(await ctx.configIfGiven())
      return 0
    }
    await dispatch(invocation(['slo', 'validate', 'd']), { stdout: buffer(), stderr: buffer(), env: {}, version: '1' }, table({ slo: async () => slo }))
    expect(seen).toEqual([undefined])
  })

  it('turns any other throw into one line naming the command and exit 1', async () => {
    const stderr = buffer()
    const report: Command = async () => {
      throw new Error('cannot reach Highway at http://x')
    }
    expect(await dispatch(invocation(['report', '--model', 'm']), { stdout: buffer(), stderr, env: {}, version: '1' }, table({ report: async () => report }))).toBe(1)
    expect(stderr.text).toBe('highway report: cannot reach Highway at http://x\n')
  })

  it('has a loader for every command, each resolving to a function', async () => {
    for (const name of COMMAND_NAMES) expect(typeof (await COMMANDS[name]())).toBe('function')
  })
})

describe('main', () => {
  it('answers --version from package.json without loading a command', async () => {
    const stdout = buffer()
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default as { version: string }
    expect(await main(['--version'], { stdout, stderr: buffer(), commands: table({}) })).toBe(0)
    expect(stdout.text).toBe(`${pkg.version}\n`)
  })

  it('runs the command through the real table: slo validate on a fixture directory', async () => {
    const stdout = buffer()
    expect(await main(['slo', 'validate', 'slo/spec/fixtures/valid', '--json'], { stdout, stderr: buffer(), env: {} })).toBe(0)
    expect(JSON.parse(stdout.text)).toMatchObject({ ok: true })
  })
})
