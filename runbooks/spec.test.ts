import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeTempDir } from '../test/support/temp-dir.ts'
import { latestSlot, parseCron } from './schedule.ts'
import { formatRunbookError, loadRunbookDirectory, parseRunbook } from './spec.ts'

const EXAMPLES = join(import.meta.dirname, '..', 'examples', 'runbooks')

const minimal = (steps: string, extra = ''): string => `apiVersion: highway.dev/v1
kind: Runbook
metadata: { name: t }
spec:
${extra}  steps:
${steps}`

describe('runbook files', () => {
  it('accepts the example runbooks', async () => {
    const r = await loadRunbookDirectory(EXAMPLES)
    if (!r.ok) throw new Error(r.errors.map(formatRunbookError).join('\n'))
    expect(r.runbooks.map((b) => b.metadata.name).sort()).toEqual(['nightly-retrain', 'retrain-on-drift', 'rollback-on-burn'])
  })

  it('fills defaults: onFailure stop, concurrency per model, no cooldown, a canary after a retrain', () => {
    const r = parseRunbook(minimal('    - action: retrain\n'), 'a.yaml')
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    const step = r.runbook.spec.steps[0]!
    expect(step).toMatchObject({ action: 'retrain', onFailure: 'stop', dangerous: false, minLabels: 100, release: { strategy: 'canary' } })
    expect(r.runbook.spec).toMatchObject({ concurrency: 'model', cooldown: 0 })
  })

  it.each([
    ['a bad duration', minimal('    - action: wait\n      duration: 10 minutes\n'), 'spec.steps[0].duration', '"10 minutes"'],
    ['an unknown step action', minimal('    - action: reboot\n'), 'spec.steps[0].action', '"reboot"'],
    ['an unknown key', minimal('    - action: rollback\n      force: true\n'), 'spec.steps[0].force', 'true'],
    ['a bad onFailure', minimal('    - action: rollback\n      onFailure: retry\n'), 'spec.steps[0].onFailure', '"retry"'],
    ['a bad cron', minimal('    - action: rollback\n', '  trigger:\n    schedule: { cron: "0 3 * * x", models: [m] }\n'), 'spec.trigger.schedule.cron', '"0 3 * * x"'],
    ['a notify with neither receiver nor webhook', minimal('    - action: notify\n      message: hi\n'), 'spec.steps[0].receiver', 'nothing'],
    ['a bad data window', minimal('    - action: retrain\n      data: s3://bucket\n'), 'spec.steps[0].data', '"s3://bucket"'],
  ])('names the file, the key and the value of %s', (_what, text, key, value) => {
    const r = parseRunbook(text, 'runbooks/bad.yaml')
    expect(r.ok).toBe(false)
    if (r.ok) return
    const e = r.errors.find((x) => x.key === key)
    expect(e, JSON.stringify(r.errors)).toBeDefined()
    expect(e!.file).toBe('runbooks/bad.yaml')
    expect(e!.value).toBe(value)
    expect(formatRunbookError(e!)).toContain(`runbooks/bad.yaml: ${key}: `)
  })

  it('says a file is not YAML, and that two files share a name', async () => {
    const tmp = makeTempDir('runbook-spec')
    try {
      const dir = join(tmp.dir, 'rb')
      mkdirSync(dir)
      writeFileSync(join(dir, 'a.yaml'), minimal('    - action: rollback\n'))
      writeFileSync(join(dir, 'b.yaml'), minimal('    - action: rollback\n'))
      writeFileSync(join(dir, 'c.yaml'), 'spec: [unclosed\n')
      const r = await loadRunbookDirectory(dir)
      expect(r.ok).toBe(false)
      if (r.ok) return
      expect(r.errors.map(formatRunbookError).join('\n')).toMatch(/b\.yaml: metadata\.name: is also the name of the runbook in .*a\.yaml/)
      expect(r.errors.some((e) => e.file.endsWith('c.yaml') && /not valid YAML/.test(e.message))).toBe(true)
    } finally {
      tmp.cleanup()
    }
  })
})

describe('cron slots', () => {
  it('finds the newest matching minute after the last check, in UTC', () => {
    const c = parseCron('0 3 * * *')
    if (!c.ok) throw new Error(c.error)
    const night = Date.parse('2026-12-08T03:00:00Z')
    expect(latestSlot(c.fields, night + 30_000, night - 60_000)).toBe(night)
    expect(latestSlot(c.fields, night + 30_000, night)).toBeNull()
    expect(latestSlot(c.fields, night + 5 * 3_600_000, night - 1)).toBe(night)
  })
})
