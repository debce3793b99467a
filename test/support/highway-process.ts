import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = fileURLToPath(new URL('../../bin/highway.mjs', import.meta.url))

/** A `highway start` child process: where it listens, its recent stderr lines, and how it ended. */
export interface HighwayProcess {
  readonly child: ChildProcess
  readonly url: string
  /** The last stderr lines (JSON log lines), for diagnostics. */
  readonly lines: readonly string[]
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Resolves with the first parsed log line whose `msg` matches. */
  waitForLog(msg: string): Promise<Record<string, unknown>>
}

/** The environment without HIGHWAY_* and CLICKHOUSE_* variables, so only the given flags configure the child. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HIGHWAY_') && !k.startsWith('CLICKHOUSE_')) env[k] = v
  return env
}

/**
 * Spawns `node bin/highway.mjs start <args>` and resolves once it logs `"msg":"listening"` (with its `url`);
 * rejects if it exits first or does not listen within `timeoutMs`.
 */
export async function startHighwayProcess(args: readonly string[], options: { timeoutMs?: number } = {}): Promise<HighwayProcess> {
  const child = spawn(process.execPath, [BIN, 'start', ...args], { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] })
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }))
  const lines: string[] = []
  const watchers: Array<{ msg: string; resolve: (fields: Record<string, unknown>) => void }> = []
  createInterface({ input: child.stderr! }).on('line', (line) => {
    lines.push(line)
    if (lines.length > 200) lines.shift()
    let fields: Record<string, unknown>
    try {
      fields = JSON.parse(line) as Record<string, unknown>
    } catch {
      return
    }
    for (const w of watchers.splice(0)) {
      if (fields.msg === w.msg) w.resolve(fields)
      else watchers.push(w)
    }
  })
  const waitForLog = (msg: string): Promise<Record<string, unknown>> => new Promise((resolve) => watchers.push({ msg, resolve }))

  const timeoutMs = options.timeoutMs ?? 30_000
  let timer: NodeJS.Timeout | undefined
  try {
    const listening = await Promise.race([
      waitForLog('listening'),
      exited.then(({ code, signal }) => Promise.reject(new Error(`highway exited (${code ?? signal}) before listening:\n${lines.join('\n')}`))),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`highway did not log "listening" within ${timeoutMs} ms:\n${lines.join('\n')}`)), timeoutMs)
      }),
    ])
    return { child, url: String(listening.url), lines, exited, waitForLog }
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    throw err
  } finally {
    clearTimeout(timer)
  }
}

/** A `highway <command>` child run on a pseudo-terminal (so it draws its progress), and the pid of its node process. */
export interface HighwayOnTerminal {
  /** The node process running bin/highway.mjs (not the `script` wrapper that holds the terminal). */
  readonly pid: number
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Everything it drew so far. */
  output(): string
  /** Resolves once its output matches `pattern` (rejects if it exits first). */
  waitForOutput(pattern: RegExp): Promise<void>
}

/**
 * Spawns `node bin/highway.mjs <args>` under `script(1)` so stdout and stderr are a terminal: progress that a
 * command draws only on a terminal (`highway train`'s trial bar) becomes something a test can wait for.
 */
export async function startHighwayOnTerminal(args: readonly string[], options: { cwd?: string } = {}): Promise<HighwayOnTerminal> {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ')
  // `exec` replaces script's shell with node, so the shell's child is the process to kill.
  const wrapper = spawn('script', ['-qfec', `exec ${quoted}`, '/dev/null'], { cwd: options.cwd ?? ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = once(wrapper, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }))
  let text = ''
  const watchers: Array<{ pattern: RegExp; resolve: () => void }> = []
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8')
    for (const w of watchers.splice(0)) {
      if (w.pattern.test(text)) w.resolve()
      else watchers.push(w)
    }
  }
  wrapper.stdout!.on('data', onData)
  wrapper.stderr!.on('data', onData)
  const waitForOutput = (pattern: RegExp): Promise<void> =>
    Promise.race([
      new Promise<void>((resolve) => (pattern.test(text) ? resolve() : watchers.push({ pattern, resolve }))),
      exited.then(({ code, signal }) => (pattern.test(text) ? undefined : Promise.reject(new Error(`highway ${args[0]} exited (${code ?? signal}) before drawing ${pattern}:\n${text}`)))),
    ])
  // The node process appears as script's only child once script has forked it: wait for the first output.
  await waitForOutput(/./)
  const children = readFileSync(`/proc/${wrapper.pid}/task/${wrapper.pid}/children`, 'utf8').trim().split(/\s+/).map(Number)
  if (children.length !== 1 || !(children[0]! > 0)) throw new Error(`expected one child of script(1), found ${JSON.stringify(children)}`)
  return { pid: children[0]!, exited, output: () => text, waitForOutput }
}
