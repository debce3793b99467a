import { describe, expect, it } from 'vitest'
import { parseSloSources } from './load.ts'

// Regression tests for issue 11 ("what Sloth and OpenSLO users expect"), validator part. The shapes follow
// OpenSLO's own examples (OpenSLO/OpenSLO examples/*.yaml, OpenSLO/go-sdk examples/data_sources.yaml, both
// Apache-2.0); the documents are written for Highway's sources, not copied.

const sloOf = (name: string, service: string, extra = '') => `apiVersion: openslo/v1
kind: SLO
metadata: { name: ${name} }
spec:
  service: ${service}
  indicator:
    metadata: { name: ${name}-${service}-ok }
    spec:
      ratioMetric:
        good: { metricSource: { type: prometheus, spec: { query: 'sum(rate(ok_total[{{.window}}]))' } } }
        total: { metricSource: { type: prometheus, spec: { query: 'sum(rate(all_total[{{.window}}]))' } } }
  timeWindow: [{ duration: 28d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ displayName: good, target: 0.99 }]
${extra}`

describe('OpenSLO documents that must load', () => {
  it('accepts connectionDetails given as a list, as the go-sdk example writes them (the spec allows any YAML there)', () => {
    const text = `apiVersion: openslo/v1
kind: DataSource
metadata: { name: metrics }
spec:
  type: prometheus
  connectionDetails:
    - url: http://prometheus:9090
      timeout: 30s
`
    const result = parseSloSources([{ file: 'ds.yaml', text }])
    expect(result).toMatchObject({ ok: true })
  })

  it('accepts alertPolicies: left empty (null), as OpenSLO occurences-slo.yaml and timeslices-slo.yaml do', () => {
    const result = parseSloSources([{ file: 'slo.yaml', text: sloOf('requests', 'web', '  alertPolicies:\n') }])
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.specs[0]?.alerting).toEqual({})
  })

  it('refuses two services with an SLO of the same name, and says why names are unique across services', () => {
    const result = parseSloSources([{ file: 'a.yaml', text: `${sloOf('slo1', 'web')}---\n${sloOf('slo1', 'api')}` }])
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.errors[0]?.message).toMatch(/across services too .*\/v1\/slos\/\{name\}/)
  })

  it('accepts a calendar window of one day', () => {
    const text = sloOf('daily', 'web').replace('timeWindow: [{ duration: 28d, isRolling: true }]', 'timeWindow: [{ duration: 1d, calendar: { timeZone: UTC } }]')
    const result = parseSloSources([{ file: 'd.yaml', text }])
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.specs[0]?.window).toEqual({ kind: 'calendar', unit: 'day', timeZone: 'UTC' })
  })
})
