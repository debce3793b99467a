import { describe, expect, it } from 'vitest'
import { fingerprintOf } from './fingerprint.ts'

// Expected values were read from Alertmanager 0.25's own `GET /api/v2/alerts` after posting these label sets
// (Debian's /usr/bin/prometheus-alertmanager; alerts/real-tools.test.ts checks a fresh one against it live).
describe('fingerprintOf', () => {
  it('hashes the empty label set to the FNV-1a offset basis', () => {
    expect(fingerprintOf({})).toBe('cbf29ce484222325')
  })
  it.each([
    [{ alertname: 'HighwayBurn', severity: 'page' }, 'a4f0cff64b09e3c0'],
    [{ a: '1' }, 'd3b971819376d835'],
    [{ alertname: 'DriftHigh', model: 'booking-spam', source: 'highway', Z: 'zü', _a: '日本' }, '449b4e0cb0fb8a18'],
  ])('gives %j the fingerprint Alertmanager gives it', (labels, want) => {
    expect(fingerprintOf(labels)).toBe(want)
  })
  it('does not depend on the order the labels were written in', () => {
    expect(fingerprintOf({ severity: 'page', alertname: 'HighwayBurn' })).toBe('a4f0cff64b09e3c0')
  })
})
