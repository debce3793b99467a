import { execFile, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { makeTempDir } from '../../test/support/temp-dir.ts'
import { loadSloDirectory, parseSloSources } from '../spec/index.ts'
import { ruleSlosFromSpecs } from './from-spec.ts'
import { generateRules } from './generate.ts'
import { renderRuleFile } from './render.ts'

const run = promisify(execFile)
const VALID = new URL('../spec/fixtures/valid', import.meta.url).pathname
const BIN = new URL('../../bin/highway.mjs', import.meta.url).pathname
const MISSING = 'promtool is not on PATH: install it with `apt-get install -y prometheus` to check generated rules'
const promtoolFound = spawnSync('promtool', ['--version']).status === 0
if (!promtoolFound && process.env.CI !== 'true') console.warn(`skipping: ${MISSING}`)

const spec = (tiers: string) => `apiVersion: openslo/v1
kind: SLO
metadata: { name: api-availability }
spec:
  service: api
  indicator:
    metadata: { name: api-errors }
    spec:
      ratioMetric:
        bad: { metricSource: { type: prometheus, spec: { query: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))' } } }
        total: { metricSource: { type: prometheus, spec: { query: 'sum(rate(http_requests_total[{{.window}}]))' } } }
  timeWindow: [{ duration: 28d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ displayName: available, target: 0.999 }]
${tiers}`

describe('ruleSlosFromSpecs', () => {
  it('maps a Prometheus ratio SLO to the generator input, and keeps only Prometheus-sourced rolling SLOs', async () => {
    const loaded = await loadSloDirectory(VALID)
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors))
    const { slos, skipped } = ruleSlosFromSpecs(loaded.specs)
    expect(slos.map((s) => s.id)).toEqual(['my-service-requests-availability-0'])
    expect(slos[0]).toMatchObject({ service: 'my-service', objectivePercent: 99.9, periodSeconds: 30 * 86_400 })
    expect(skipped.length).toBe(loaded.specs.length - 1)
  })

  it('turns an AlertCondition burn rate over a lookback into the budget share the generator expects', () => {
    const policy = `  alertPolicies: [page-fast-burn]
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata: { name: page-fast-burn }
spec:
  conditions: [{ conditionRef: page-fast }]
  notificationTargets: [{ targetRef: pager }]
---
apiVersion: openslo/v1
kind: AlertCondition
metadata: { name: page-fast }
spec:
  severity: page
  condition: { kind: burnrate, op: gte, threshold: 13.44, lookbackWindow: 1h }
---
apiVersion: openslo/v1
kind: AlertNotificationTarget
metadata: { name: pager }
spec: { target: pagerduty }
`
    const loaded = parseSloSources([{ file: 'api.yaml', text: spec(policy) }])
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors))
    const { slos } = ruleSlosFromSpecs(loaded.specs)
    expect(slos[0]!.sli).toEqual({ errorQuery: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))', totalQuery: 'sum(rate(http_requests_total[{{.window}}]))' })
    // Burn 13.44 over 1h of a 28-day budget spends 2 % of it: Sloth's page tier for 28 days.
    expect(slos[0]!.tiers).toHaveLength(1)
    expect(slos[0]!.tiers![0]).toMatchObject({ severity: 'page', longWindowSeconds: 3600, shortWindowSeconds: 300 })
    expect(slos[0]!.tiers![0]!.budgetPercent).toBeCloseTo(2, 12)
    const alerts = generateRules(slos).groups.flatMap((g) => g.rules).filter((r) => 'alert' in r)
    expect(JSON.stringify(alerts)).toContain('13.44')
  })

  // Issue 11: what Sloth and OpenSLO users expect of the rules.
  const policies = `  alertPolicies: [page-fast-burn, ticket-slow-burn]
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: page-fast-burn
  displayName: ApiAvailabilityPage
  labels: { team: api, routing.key: pager }
  annotations: { runbook_url: 'https://runbooks.example/api', summary: 'API is failing requests' }
spec:
  description: Fast burn of the API budget
  conditions: [{ conditionRef: page-fast }]
  notificationTargets: [{ targetRef: pager }]
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata: { name: ticket-slow-burn }
spec:
  conditions:
    - kind: AlertCondition
      metadata: { name: ticket-slow, labels: { severity: warning } }
      spec:
        severity: ticket
        condition: { kind: burnrate, op: gt, threshold: 1, lookbackWindow: 3d, alertAfter: 15m }
  notificationTargets: [{ targetRef: pager }]
---
apiVersion: openslo/v1
kind: AlertCondition
metadata: { name: page-fast }
spec:
  severity: page
  condition: { kind: burnrate, op: gte, threshold: 13.44, lookbackWindow: 1h, alertAfter: 2m }
---
apiVersion: openslo/v1
kind: AlertNotificationTarget
metadata: { name: pager }
spec: { target: pagerduty }
`
  const generated = (text: string) => {
    const loaded = parseSloSources([{ file: 'api.yaml', text }])
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors))
    const { slos } = ruleSlosFromSpecs(loaded.specs)
    return { slos, rules: generateRules(slos).groups.flatMap((g) => g.rules) }
  }

  it('writes for: from alertAfter, >= for op: gte, and the name, labels and annotations of each AlertPolicy', () => {
    const alerts = generated(spec(policies)).rules.flatMap((r) => ('alert' in r ? [r] : []))
    expect(alerts.map((a) => [a.alert, a.for, a.labels?.sloth_severity])).toEqual([
      ['ApiAvailabilityPage', '2m', 'page'],
      ['TicketSlowBurn', '15m', 'ticket'],
    ])
    expect(alerts[0]!.expr).toContain('>= (13.44 * ')
    expect(alerts[0]!.expr).not.toMatch(/[^>]> \(/)
    // Burn 1 over 3d of 28 days: factor 1 (as a Go float product, 0.9999999999999998).
    expect(alerts[1]!.expr).toMatch(/[^>]> \(0\.9999999999999998 \* /)
    expect(alerts[0]!.labels).toMatchObject({ team: 'api', routing_key: 'pager' })
    expect(alerts[0]!.annotations).toMatchObject({ runbook_url: 'https://runbooks.example/api', summary: 'API is failing requests', description: 'Fast burn of the API budget' })
    expect(alerts[1]!.labels).toMatchObject({ severity: 'warning' })
  })

  it("writes the rules of every objective, each with Sloth's -<index> suffix on sloth_id and sloth_slo", () => {
    const { slos, rules } = generated(spec('').replace('objectives: [{ displayName: available, target: 0.999 }]', 'objectives: [{ displayName: available, target: 0.99 }, { displayName: strict, target: 0.999 }]'))
    expect(slos.map((s) => [s.id, s.name, s.objectivePercent])).toEqual([
      ['api-api-availability-0', 'api-availability-0', 99],
      ['api-api-availability-1', 'api-availability-1', 99.9],
    ])
    const objectives = rules.flatMap((r) => ('record' in r && r.record === 'slo:objective:ratio' ? [[r.labels?.sloth_id, r.expr]] : []))
    expect(objectives).toEqual([
      ['api-api-availability-0', 'vector(0.99)'],
      // 0.999 × 100 / 100 in doubles, as Sloth computes it.
      ['api-api-availability-1', 'vector(0.9990000000000001)'],
    ])
  })

  it("labels sloth_slo_info as Sloth does for OpenSLO input: sloth_mode cli-gen-openslo, sloth_spec openslo/v1", () => {
    const info = generated(spec('')).rules.find((r) => 'record' in r && r.record === 'sloth_slo_info')
    expect(info?.labels).toMatchObject({ sloth_mode: 'cli-gen-openslo', sloth_spec: 'openslo/v1', sloth_id: 'api-api-availability-0' })
  })
})

describe.skipIf(!promtoolFound && process.env.CI !== 'true')('highway rules --out', () => {
  it('writes the rule files promtool accepts, identical to the generator output', async () => {
    if (!promtoolFound) throw new Error(MISSING)
    const tmp = makeTempDir('rules')
    const { stdout } = await run(process.execPath, [BIN, 'rules', '--slos', VALID, '--out', tmp.dir, '--json'])
    const { files, skipped } = JSON.parse(stdout) as { files: string[]; skipped: Array<{ name: string }> }
    expect(files).toHaveLength(1)
    expect(skipped.length).toBeGreaterThan(0)
    const check = await run('promtool', ['check', 'rules', ...files])
    expect(check.stdout).toContain('SUCCESS: 17 rules found')
    const loaded = await loadSloDirectory(VALID)
    if (!loaded.ok) throw new Error('fixtures invalid')
    expect(readFileSync(files[0]!, 'utf8')).toBe(renderRuleFile(generateRules(ruleSlosFromSpecs(loaded.specs).slos).groups))
    tmp.cleanup()
  })

  it("writes Sloth's optimized period SLI with --period-sli sloth-optimized, and refuses another value naming the flag", async () => {
    const tmp = makeTempDir('rules-period')
    const { stdout } = await run(process.execPath, [BIN, 'rules', '--slos', VALID, '--out', tmp.dir, '--period-sli', 'sloth-optimized', '--json'])
    const { files } = JSON.parse(stdout) as { files: string[] }
    expect(readFileSync(files[0]!, 'utf8')).toContain('sum_over_time(slo:sli_error:ratio_rate5m')
    const bad = await run(process.execPath, [BIN, 'rules', '--slos', VALID, '--out', tmp.dir, '--period-sli', 'mean']).catch((error: { code: number; stderr: string }) => error)
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('--period-sli must be exact or sloth-optimized, got "mean"') })
    tmp.cleanup()
  })
})
