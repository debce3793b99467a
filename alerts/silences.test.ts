import { describe, expect, it } from 'vitest'
import { checkSilence, postableSilenceSchema, silencedBy, silenceMatches, silenceState, type Silence } from './silences.ts'

const silence = (matchers: Silence['matchers'], startsAtMs = 0, endsAtMs = 1000): Silence => ({ id: 's', matchers, startsAtMs, endsAtMs, createdBy: 'me', comment: 'c', updatedAtMs: 0 })
const labels = { alertname: 'DriftHigh', model: 'booking-spam', severity: 'page' }

describe('silences', () => {
  it('is pending before its start, active until its end and expired after', () => {
    const s = silence([{ name: 'model', value: 'x', isRegex: false, isEqual: true }], 100, 200)
    expect([99, 100, 199, 200].map((t) => silenceState(s, t))).toEqual(['pending', 'active', 'active', 'expired'])
  })
  it.each([
    [{ name: 'model', value: 'booking-spam', isRegex: false, isEqual: true }, true],
    [{ name: 'model', value: 'booking-.*', isRegex: true, isEqual: true }, true],
    [{ name: 'model', value: 'booking', isRegex: true, isEqual: true }, false],
    [{ name: 'model', value: 'booking-spam', isRegex: false, isEqual: false }, false],
    [{ name: 'team', value: 'ml', isRegex: false, isEqual: false }, true],
  ])('matcher %j matches the alert: %s', (m, want) => {
    expect(silenceMatches(silence([m]), labels)).toBe(want)
  })
  it('mutes only while active and only alerts all of whose matchers match', () => {
    const s = silence([
      { name: 'model', value: 'booking-spam', isRegex: false, isEqual: true },
      { name: 'severity', value: 'page|ticket', isRegex: true, isEqual: true },
    ])
    expect(silencedBy([s], labels, 500)).toEqual(['s'])
    expect(silencedBy([s], { ...labels, severity: 'info' }, 500)).toEqual([])
    expect(silencedBy([s], labels, 1000)).toEqual([])
  })
  it('takes Alertmanager postableSilence bodies, with isEqual defaulting to true', () => {
    const body = { matchers: [{ name: 'model', value: 'm', isRegex: false }], startsAt: '2026-01-01T00:00:00Z', endsAt: '2026-01-01T01:00:00.000Z', createdBy: 'amtool', comment: 'deploy' }
    expect(postableSilenceSchema.parse(body).matchers[0]).toEqual({ name: 'model', value: 'm', isRegex: false, isEqual: true })
  })
  it('names the matcher whose regex does not compile', () => {
    const s = postableSilenceSchema.parse({ matchers: [{ name: 'a', value: 'x', isRegex: false }, { name: 'b', value: '(', isRegex: true }], startsAt: '2026-01-01T00:00:00Z', endsAt: '2026-01-02T00:00:00Z', createdBy: 'me', comment: 'c' })
    expect(checkSilence(s)?.field).toBe('matchers.1.value')
  })
  it('refuses a silence that ends before it starts, and one that would mute everything', () => {
    const base = { startsAt: '2026-01-02T00:00:00Z', createdBy: 'me', comment: 'c' }
    expect(checkSilence(postableSilenceSchema.parse({ ...base, endsAt: '2026-01-01T00:00:00Z', matchers: [{ name: 'a', value: 'x', isRegex: false }] }))?.field).toBe('endsAt')
    expect(checkSilence(postableSilenceSchema.parse({ ...base, endsAt: '2026-01-03T00:00:00Z', matchers: [{ name: 'a', value: '.*', isRegex: true }] }))?.field).toBe('matchers')
  })
})
