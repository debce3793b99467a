import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../cli/dispatch.ts'
import { parseInvocation } from '../cli/parse-invocation.ts'
import { makeTempDir } from './support/temp-dir.ts'

const COMMITTED = fileURLToPath(new URL('../grafana/dashboards/', import.meta.url))

function buffer(): { text: string; write(t: string): void } {
  return { text: '', write(t: string) { this.text += t } }
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const parsed = parseInvocation(argv, 'test')
  if (parsed.kind !== 'run') throw new Error(`${argv.join(' ')} does not run a command`)
  const stdout = buffer()
  const stderr = buffer()
  const code = await dispatch(parsed, { stdout, stderr, env: {}, version: 'test' })
  return { code, stdout: stdout.text, stderr: stderr.text }
}

describe('highway dashboards', () => {
  it('writes the committed dashboards, one <uid>.json each', async () => {
    const tmp = makeTempDir('dashboards')
    try {
      const out = await run(['dashboards', '--out', tmp.dir, '--json'])
      expect(out.code).toBe(0)
      expect((JSON.parse(out.stdout) as { files: string[] }).files).toHaveLength(5)
      expect(readdirSync(tmp.dir).sort()).toEqual(readdirSync(COMMITTED).sort())
      for (const f of readdirSync(tmp.dir)) expect(readFileSync(join(tmp.dir, f), 'utf8')).toBe(readFileSync(join(COMMITTED, f), 'utf8'))
    } finally {
      tmp.cleanup()
    }
  })

  it('refuses to run without --out, with its usage', async () => {
    const out = await run(['dashboards'])
    expect(out.code).toBe(2)
    expect(out.stderr).toContain('--out DIR is required')
    expect(out.stderr).toContain('Usage: highway dashboards')
  })
})
