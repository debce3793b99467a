import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestService } from '../test/support/service.ts'
import { makeTempDir } from '../test/support/temp-dir.ts'
import type { CommandOutput } from './command-context.ts'
import { main } from './main.ts'

function buffer(): CommandOutput & { text: string } {
  const b = { text: '', isTTY: false, write: (s: string) => void (b.text += s) }
  return b as CommandOutput & { text: string }
}
const run = async (argv: string[]) => {
  const stdout = buffer()
  const stderr = buffer()
  const code = await main(argv, { stdout, stderr, env: {} })
  return { code, stdout: stdout.text, stderr: stderr.text }
}

const tmp = makeTempDir('runbook-cli')
const dir = join(tmp.dir, 'runbooks')
mkdirSync(dir)
writeFileSync(join(dir, 'hold.yaml'), 'apiVersion: highway.dev/v1\nkind: Runbook\nmetadata: { name: hold }\nspec:\n  steps:\n    - action: approve\n')
let svc: Awaited<ReturnType<typeof startTestService>>
beforeAll(async () => {
  svc = await startTestService({ runbooks: dir }, { components: ['collector'] })
})
afterAll(async () => {
  await svc.stop()
  tmp.cleanup()
})

describe('highway runbook', () => {
  it('validates the example runbooks, and names file, key and value of a bad one (exit 1)', async () => {
    expect(await run(['runbook', 'validate', 'examples/runbooks'])).toMatchObject({ code: 0, stdout: '3 runbook(s) valid: nightly-retrain, retrain-on-drift, rollback-on-burn\n' })
    const bad = join(tmp.dir, 'bad')
    mkdirSync(bad)
    writeFileSync(join(bad, 'x.yaml'), 'apiVersion: highway.dev/v1\nkind: Runbook\nmetadata: { name: x }\nspec:\n  cooldown: soon\n  steps: [{ action: rollback }]\n')
    const r = await run(['runbook', 'validate', bad, '--json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, errors: [{ file: join(bad, 'x.yaml'), key: 'spec.cooldown', value: '"soon"', message: 'must be a duration such as 30s, 15m, 1h, 7d or 2w' }] })
  })

  it('lists, runs, shows and cancels through a running service', async () => {
    const url = ['--url', svc.url]
    expect((await run(['runbook', 'list', ...url])).stdout).toBe('hold  approve\n')
    const started = await run(['runbook', 'run', 'hold', '--model', 'booking-spam', '--json', ...url])
    expect(started.code, started.stderr).toBe(0)
    const id = (JSON.parse(started.stdout) as { id: string }).id
    await svc.runbooks!.idle()
    const shown = await run(['runbook', 'show', id, ...url])
    expect(shown.stdout).toContain(`${id}: runbook hold for booking-spam — waiting`)
    expect((await run(['runbook', 'runs', '--status', 'waiting', ...url])).stdout).toContain(id)
    expect((await run(['runbook', 'cancel', id, ...url])).stdout).toContain('— cancelled (cancelled by ')
    const again = await run(['runbook', 'cancel', id, ...url])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/409 .*already ended: cancelled/)
    expect((await run(['runbook', 'run', 'hold', ...url])).code).toBe(2)
  })
})
