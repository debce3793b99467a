// `npm run bench -- cli`: how fast `highway` starts and how much memory it takes, for `--help`, `slo validate` on a
// fixture directory and `slo list --json` against a running service, each through the compiled build (dist/, what
// the installed command runs) and through tsx (the sources, the fallback), next to a bare `node -e 0`.
import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { parse as parseYaml, stringify } from 'yaml'
import { checkBuild } from '../bin/build-stamp.mjs'
import { startChildService } from './child-service.ts'
import { round, type Bench, type BenchReport } from './report.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'bin/highway.mjs')
const RSS_HOOK = join(ROOT, 'bench/cli-rss-hook.mjs')
const SLO_FIXTURES = 'slo/spec/fixtures/valid'
// SLO fixtures that validate against examples/highway.yaml's models: the service under `slo list` evaluates these.
const SERVICE_SLOS = ['booking-spam.yaml', 'alerting.yaml', 'services.yaml']

const HELP = `Usage: npm run bench -- cli [--quick] [--runs N]

Starts \`highway\` N times per case (rounds interleave the cases, so a burst of other work hits all alike) and
reports the median wall time and peak RSS of each, through dist/ and through tsx, next to \`node -e 0\`.
  --runs N    runs per case (default 11; --quick 3)`

/** One process run: wall time from spawn to exit, its peak RSS, its exit code and output. */
interface RunResult {
  readonly wallMs: number
  readonly peakRssKb: number
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** The environment without HIGHWAY_* and CLICKHOUSE_*, plus `extra`: only the flags configure the CLI. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HIGHWAY_') && !k.startsWith('CLICKHOUSE_')) env[k] = v
  return { ...env, ...extra }
}

/** Runs `node --import <rss hook> ...args` in the repository root and measures it. */
function runOnce(args: readonly string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, ['--import', RSS_HOOK, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] })
    const chunks: Record<'stdout' | 'stderr' | 'rss', string> = { stdout: '', stderr: '', rss: '' }
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (chunks.stdout += c))
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (chunks.stderr += c))
    const rssPipe = child.stdio[3] as NodeJS.ReadableStream
    rssPipe.setEncoding('utf8')
    rssPipe.on('data', (c: string) => (chunks.rss += c))
    child.once('error', reject)
    // 'close' comes after the exit and after every pipe ended: the whole run as a caller of the CLI waits for it.
    child.once('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6
      resolve({ wallMs, peakRssKb: Number(chunks.rss.trim()), code, stdout: chunks.stdout, stderr: chunks.stderr })
    })
  })
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** A case: what is run, and a check of its output (a failure message, or undefined). */
interface Case {
  readonly name: string
  readonly path: 'node' | 'dist' | 'tsx'
  readonly args: readonly string[]
  readonly env: NodeJS.ProcessEnv
  readonly check: (r: RunResult) => string | undefined
}

const exitsZero = (r: RunResult): string | undefined => (r.code === 0 ? undefined : `exit ${r.code}: ${r.stderr.slice(0, 300)}`)

export const runCliBench: Bench = async (options): Promise<BenchReport> => {
  const flags = parseArgs({ args: [...options.args], options: { runs: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true })
  if (flags.values.help) {
    process.stdout.write(`${HELP}\n`)
    process.exit(0)
  }
  const runs = flags.values.runs === undefined ? (options.quick ? 3 : 11) : Number(flags.values.runs)
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got "${flags.values.runs}"`)

  // The build is what is measured: make it current first (as `npm ci` or `npm run build` would).
  const before = checkBuild(ROOT, join(ROOT, 'dist'))
  if (!before.fresh) {
    options.log(`${before.reason}: building`)
    const built = await runOnce([join(ROOT, 'scripts/build.mjs')], cleanEnv({}))
    if (built.code !== 0) throw new Error(`npm run build failed:\n${built.stderr}`)
  }
  // The check bin/highway.mjs makes before every run, timed alone in this process.
  const checkMs: number[] = []
  for (let i = 0; i < 21; i++) {
    const t = process.hrtime.bigint()
    if (!checkBuild(ROOT, join(ROOT, 'dist')).fresh) throw new Error('dist/ went stale during the benchmark')
    checkMs.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  const stampFiles = (JSON.parse(readFileSync(join(ROOT, 'dist/build-stamp.json'), 'utf8')) as { files: unknown[] }).files.length

  const tmp = mkdtempSync(join(tmpdir(), 'highway-bench-cli-'))
  process.once('exit', () => rmSync(tmp, { recursive: true, force: true }))
  mkdirSync(join(tmp, 'slos'))
  for (const f of SERVICE_SLOS) copyFileSync(join(ROOT, SLO_FIXTURES, f), join(tmp, 'slos', f))
  const example = parseYaml(readFileSync(join(ROOT, 'examples/highway.yaml'), 'utf8')) as Record<string, unknown>
  const configFile = join(tmp, 'bench.yaml')
  writeFileSync(configFile, stringify({ ...example, storage: { dataDir: join(tmp, 'data') }, registry: { artifactsDir: join(tmp, 'artifacts') }, slos: join(tmp, 'slos') }))
  const service = await startChildService({ configFile, dataDir: join(tmp, 'data'), log: options.log })
  const failures: string[] = []
  try {
    // Some traffic, so `slo list` evaluates SLIs over stored rows: 200 predictions in the last ten minutes, 5% errors.
    const now = Date.now()
    const records = Array.from({ length: 200 }, (_, i) => ({ id: `b${i}`, ts: now - 600_000 + i * 3000, features: { message: 'see you at noon' }, prediction: 0, status: i % 20 === 0 ? 'error' : 'ok' }))
    const posted = await fetch(`${service.url}/v1/predictions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'booking-spam', records }) })
    if (posted.status !== 202) throw new Error(`POST /v1/predictions answered ${posted.status}: ${await posted.text()}`)
    // A 202 comes once logged; poll until the SLO reads the rows (a condition, with a bound, not a fixed sleep).
    const deadline = Date.now() + 60_000
    for (;;) {
      const body = (await (await fetch(`${service.url}/v1/slos/booking-spam-availability`)).json()) as { sli?: { total?: number } }
      if ((body.sli?.total ?? 0) >= 200) break
      if (Date.now() > deadline) throw new Error(`the SLO did not see the 200 predictions within 60 s: ${JSON.stringify(body)}`)
      await new Promise((r) => setTimeout(r, 100))
    }

    const listsThree = (r: RunResult): string | undefined => {
      const bad = exitsZero(r)
      if (bad) return bad
      const slos = (JSON.parse(r.stdout) as { slos: Array<{ name: string; sli: { total: number } }> }).slos
      const availability = slos.find((s) => s.name === 'booking-spam-availability')
      return slos.length === 3 && (availability?.sli.total ?? 0) >= 200 ? undefined : `slo list printed ${r.stdout.slice(0, 300)}`
    }
    const validates = (r: RunResult): string | undefined => exitsZero(r) ?? (r.stdout.includes('SLOs, all valid') ? undefined : `slo validate printed ${r.stdout.slice(0, 200)}`)
    const silentDist = (check: (r: RunResult) => string | undefined) => (r: RunResult) => check(r) ?? (r.stderr === '' ? undefined : `dist run wrote to stderr: ${r.stderr.slice(0, 200)}`)
    const dist = cleanEnv({})
    const tsx = cleanEnv({ HIGHWAY_FROM_SOURCE: '1' })
    const commands: Array<{ name: string; args: string[]; check: (r: RunResult) => string | undefined }> = [
      { name: 'highway --help', args: [BIN, '--help'], check: exitsZero },
      { name: `highway slo validate ${SLO_FIXTURES}`, args: [BIN, 'slo', 'validate', SLO_FIXTURES], check: validates },
      { name: 'highway slo list --json (running service)', args: [BIN, 'slo', 'list', '--json', '--url', service.url], check: listsThree },
    ]
    const cases: Case[] = [
      { name: 'node -e 0', path: 'node', args: ['-e', '0'], env: dist, check: exitsZero },
      ...commands.flatMap((c): Case[] => [
        { name: c.name, path: 'dist', args: c.args, env: dist, check: silentDist(c.check) },
        { name: c.name, path: 'tsx', args: c.args, env: tsx, check: c.check },
      ]),
    ]
    const results = cases.map(() => [] as RunResult[])
    // The same request from this process, in each round: the service's own share of `slo list`.
    const httpMs: number[] = []
    const getSlos = async () => {
      const t = process.hrtime.bigint()
      const res = await fetch(`${service.url}/v1/slos`)
      await res.text()
      if (res.status !== 200) failures.push(`GET /v1/slos answered ${res.status}`)
      return Number(process.hrtime.bigint() - t) / 1e6
    }
    await getSlos()
    // One warm-up run of each case (page cache, tsx's transform cache), not counted.
    for (const c of cases) await runOnce(c.args, c.env)
    for (let round = 0; round < runs; round++) {
      for (const [i, c] of cases.entries()) {
        const r = await runOnce(c.args, c.env)
        const problem = c.check(r)
        if (problem !== undefined) failures.push(`${c.name} (${c.path}): ${problem}`)
        results[i]!.push(r)
      }
      httpMs.push(await getSlos())
      options.log(`round ${round + 1}/${runs} done`)
    }

    const stats = cases.map((c, i) => ({
      c,
      wallMs: median(results[i]!.map((r) => r.wallMs)),
      minMs: Math.min(...results[i]!.map((r) => r.wallMs)),
      rssMb: median(results[i]!.map((r) => r.peakRssKb)) / 1024,
    }))
    const node = stats[0]!
    const tsxOf = (name: string) => stats.find((s) => s.c.name === name && s.c.path === 'tsx')!
    const find = (name: string) => stats.find((s) => s.c.name === name && s.c.path === 'dist')!
    const help = find('highway --help')
    const list = find(commands[2]!.name)
    const validate = find(commands[1]!.name)
    const rows: Array<Array<string | number>> = stats.map((s) => [
      s.c.name,
      s.c.path,
      s.wallMs,
      s.minMs,
      s.wallMs - node.wallMs,
      s.rssMb,
      s.wallMs / node.wallMs,
      s.c.path === 'dist' ? s.wallMs / tsxOf(s.c.name).wallMs : s.c.path === 'tsx' ? 1 : Number.NaN,
    ])
    rows.push(['GET /v1/slos from the bench process', 'http', median(httpMs), Math.min(...httpMs), Number.NaN, Number.NaN, Number.NaN, Number.NaN])
    return {
      bench: 'cli',
      sections: [
        {
          title: `highway start-up, median of ${runs} runs per case`,
          columns: ['command', 'path', 'wall ms', 'min ms', 'over node -e 0, ms', 'peak RSS MB', '÷ node -e 0', 'dist ÷ tsx'],
          rows: rows.map((r) => r.map((v) => (typeof v === 'number' && Number.isNaN(v) ? '–' : v))),
          notes: [
            'wall: spawn to close (exit and pipes drained), measured by the bench process; rounds interleave the cases.',
            'peak RSS: each process reports getrusage ru_maxrss (= VmHWM) at exit through a preloaded hook (bench/cli-rss-hook.mjs), node -e 0 too.',
            'dist: bin/highway.mjs with a fresh build (its stamp check included); tsx: HIGHWAY_FROM_SOURCE=1, the fallback a stale build gets.',
            `build-stamp check alone (in process, ${stampFiles} files stat-ed): median ${round(median(checkMs), 2)} ms.`,
            `slo list: ${SERVICE_SLOS.length} fixture files (3 SLOs on examples/highway.yaml's booking-spam, 200 stored predictions), service ${service.url}.`,
          ],
        },
      ],
      targets: [
        { name: '`highway --help` wall time (dist)', target: '≤ 150 ms', measured: `${round(help.wallMs)} ms (node -e 0: ${round(node.wallMs)} ms)`, met: help.wallMs <= 150 },
        { name: '`highway slo list --json` against a running service', target: '≤ 400 ms', measured: `${round(list.wallMs)} ms (the request alone: ${round(median(httpMs))} ms)`, met: list.wallMs <= 400 },
        { name: '`highway --help` peak RSS (dist)', target: '≤ 80 MB', measured: `${round(help.rssMb)} MB`, met: help.rssMb <= 80 },
      ],
      failures,
      summary: {
        runs,
        stampFiles,
        stampCheckMs: round(median(checkMs), 2),
        cases: stats.map((s) => ({ name: s.c.name, path: s.c.path, wallMs: round(s.wallMs), minMs: round(s.minMs), peakRssMb: round(s.rssMb) })),
        helpWallMs: round(help.wallMs),
        helpRssMb: round(help.rssMb),
        sloValidateWallMs: round(validate.wallMs),
        sloListWallMs: round(list.wallMs),
        sloListHttpMs: round(median(httpMs)),
        nodeWallMs: round(node.wallMs),
      },
    }
  } finally {
    await service.stop()
  }
}
