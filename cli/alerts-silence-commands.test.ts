import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSecret } from '../server/index.ts'
import { startTestService } from '../test/support/service.ts'
import { dispatch } from './dispatch.ts'
import { parseInvocation } from './parse-invocation.ts'

type Service = Awaited<ReturnType<typeof startTestService>>
let svc: Service
const OPERATE = 'cli-operate-0123456789'

// `highway alerts` and `highway silence` run as the binary runs them (parse, dispatch) against a real service.
const run = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  let out = ''
  let err = ''
  const inv = parseInvocation([...argv, '--url', svc.url, '--api-key', OPERATE], 'test')
  if (inv.kind === 'exit') return { code: inv.exitCode, out: inv.stdout ?? '', err: inv.stderr ?? '' }
  const code = await dispatch(inv, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, env: {}, version: 'test' })
  return { code, out, err }
}

beforeAll(async () => {
  svc = await startTestService({ auth: { keys: [{ id: 'ops', sha256: hashSecret(OPERATE), scopes: ['operate'] }] } }, { components: ['alerts'] })
  // An alert from Alertmanager, so the list has a row.
  const res = await fetch(`${svc.url}/v1/alertmanager`, {
    method: 'POST',
    headers: { authorization: `Bearer ${OPERATE}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      version: '4', groupKey: '{}:{alertname="BookingLatency"}', status: 'firing', receiver: 'highway',
      alerts: [{ status: 'firing', labels: { alertname: 'BookingLatency', model: 'booking-spam', severity: 'page' }, startsAt: '2026-12-07T10:00:00Z', fingerprint: 'aaaabbbbccccdddd' }],
    }),
  })
  expect(res.status).toBe(200)
})
afterAll(async () => {
  await svc?.stop()
})

describe('highway alerts', () => {
  it('prints a table of the current alerts, and the API document with --json', async () => {
    const table = await run('alerts')
    expect(table.code).toBe(0)
    const [header, row] = table.out.trim().split('\n')
    expect(header!.split(/\s+/)).toEqual(['STATE', 'SEVERITY', 'ALERTNAME', 'MODEL', 'SLO', 'SOURCE', 'SINCE', 'SILENCED', 'ACK', 'FINGERPRINT'])
    expect(row!.split(/\s+/)).toEqual(['firing', 'page', 'BookingLatency', 'booking-spam', 'alertmanager', '2026-12-07T10:00:00.000Z', 'aaaabbbbccccdddd'])
    const json = JSON.parse((await run('alerts', '--state', 'firing', '--model', 'booking-spam', '--json')).out) as { alerts: Array<{ fingerprint: string }> }
    expect(json.alerts.map((a) => a.fingerprint)).toEqual(['aaaabbbbccccdddd'])
    expect((JSON.parse((await run('alerts', '--model', 'other', '--json')).out) as { alerts: unknown[] }).alerts).toEqual([])
  })
  it('refuses an unknown state before asking the service, naming the flag', async () => {
    const r = await run('alerts', '--state', 'burning')
    expect(r.code).toBe(2)
    expect(r.err).toContain('--state must be one of inactive, pending, firing, resolved, got "burning"')
  })
})

describe('highway silence', () => {
  it('adds a silence from amtool-style matchers, lists it active, and expires it', async () => {
    const added = await run('silence', 'add', '--matcher', 'model=booking-spam', '--matcher', 'severity=~"page|ticket"', '--duration', '1h30m', '--comment', 'deploy', '--author', 'ana', '--json')
    expect(added.code).toBe(0)
    const body = JSON.parse(added.out) as { silenceID: string; startsAt: string; endsAt: string; matchers: unknown[] }
    expect(Date.parse(body.endsAt) - Date.parse(body.startsAt)).toBe(90 * 60_000)
    expect(body.matchers).toEqual([
      { name: 'model', value: 'booking-spam', isRegex: false, isEqual: true },
      { name: 'severity', value: 'page|ticket', isRegex: true, isEqual: true },
    ])
    const listed = await run('silence', 'list')
    const row = listed.out.split('\n').find((l) => l.startsWith(body.silenceID))
    expect(row).toContain('active')
    expect(row).toContain('model="booking-spam" severity=~"page|ticket"')
    expect(row).toContain('ana')
    const expired = JSON.parse((await run('silence', 'expire', body.silenceID, '--json')).out) as { status: { state: string } }
    expect(expired.status.state).toBe('expired')
    const after = JSON.parse((await run('silence', 'list', '--json')).out) as Array<{ id: string; status: { state: string } }>
    expect(after.find((s) => s.id === body.silenceID)?.status.state).toBe('expired')
  })
  it('refuses bad matchers, durations and missing flags with exit 2 naming the flag', async () => {
    expect((await run('silence', 'add', '--matcher', '1bad', '--duration', '2h', '--comment', 'x')).err).toContain('--matcher: must be name=value')
    expect((await run('silence', 'add', '--matcher', 'a=b', '--duration', '2 hours', '--comment', 'x')).err).toContain('--duration: must be a duration')
    const missing = await run('silence', 'add', '--matcher', 'a=b', '--duration', '2h')
    expect([missing.code, missing.err.split('\n')[0]]).toEqual([2, 'highway silence: add needs --comment saying why'])
    expect((await run('silence', 'mute')).code).toBe(2)
  })
  it('reports the service’s answer for an unknown silence with exit 1', async () => {
    const r = await run('silence', 'expire', 'no-such-silence')
    expect(r.code).toBe(1)
    expect(r.err).toContain('404')
  })
})
