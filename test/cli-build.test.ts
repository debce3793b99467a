import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { checkBuild, writeBuildStamp } from '../bin/build-stamp.mjs'
import { makeTempDir } from './support/temp-dir.ts'

const run = promisify(execFile)
const REPO = fileURLToPath(new URL('..', import.meta.url))
const tmp = makeTempDir('cli-build')
afterAll(() => tmp.cleanup())

// A package laid out like this one, with the real bin/ and node_modules (for tsx), whose cli/main.ts and
// dist/cli/main.js say which of them ran.
const root = join(tmp.dir, 'pkg')
const SOURCE = "export async function main(argv: readonly string[]): Promise<number> { process.stdout.write(`source ${argv.join(' ')}\\n`); return 3 }\n"
const BUILT = "export async function main(argv) { process.stdout.write(`dist ${argv.join(' ')}\\n`); return 4 }\n"
const INPUTS = ['cli/main.ts', 'cli/other.ts']

function layOut(): void {
  rmSync(root, { recursive: true, force: true })
  for (const dir of ['bin', 'cli', 'dist/cli']) mkdirSync(join(root, dir), { recursive: true })
  for (const file of ['bin/highway.mjs', 'bin/build-stamp.mjs']) copyFileSync(join(REPO, file), join(root, file))
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'))
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n')
  writeFileSync(join(root, 'cli/main.ts'), SOURCE)
  writeFileSync(join(root, 'cli/other.ts'), 'export const x = 1\n')
  writeFileSync(join(root, 'dist/cli/main.js'), BUILT)
  writeBuildStamp(root, join(root, 'dist'), INPUTS)
}

async function highway(env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, 'bin/highway.mjs'), 'a', 'b'], { env: { ...process.env, ...env }, timeout: 60_000 })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

describe('the highway bin', () => {
  beforeEach(layOut)

  it('runs the build, silently, when it was built from the sources as they are', async () => {
    expect(checkBuild(root, join(root, 'dist'))).toEqual({ fresh: true })
    expect(await highway()).toEqual({ code: 4, stdout: 'dist a b\n', stderr: '' })
  })

  it('runs the sources through tsx, and says why in one line, once a source changed', async () => {
    writeFileSync(join(root, 'cli/other.ts'), 'export const x = 2\n')
    const out = await highway()
    expect(out).toMatchObject({ code: 3, stdout: 'source a b\n' })
    expect(out.stderr).toBe('highway: the build is older than the sources (cli/other.ts changed); running the TypeScript sources through tsx (slower start)\n')
  })

  it('treats a source put back with an older time and the same size as changed', () => {
    utimesSync(join(root, 'cli/other.ts'), new Date(2000, 0, 1), new Date(2000, 0, 1))
    expect(checkBuild(root, join(root, 'dist'))).toEqual({ fresh: false, reason: 'the build is older than the sources (cli/other.ts changed)' })
  })

  it('treats a removed source, or a build without its stamp, as no build', async () => {
    rmSync(join(root, 'cli/other.ts'))
    expect(checkBuild(root, join(root, 'dist'))).toEqual({ fresh: false, reason: 'the build is older than the sources (cli/other.ts is gone)' })
    rmSync(join(root, 'dist/build-stamp.json'))
    const out = await highway()
    expect(out).toMatchObject({ code: 3, stdout: 'source a b\n' })
    expect(out.stderr).toBe('highway: no build (npm run build); running the TypeScript sources through tsx (slower start)\n')
  })

  it('runs the sources without a note when HIGHWAY_FROM_SOURCE=1 asks for them', async () => {
    expect(await highway({ HIGHWAY_FROM_SOURCE: '1' })).toEqual({ code: 3, stdout: 'source a b\n', stderr: '' })
  })
})
