import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { generateRules } from './generate.ts'
import { renderRuleFile } from './render.ts'
import type { PromAlertingRule, PromRecordingRule, PromRule, RuleSlo } from './types.ts'
import { writeRuleFiles } from './write.ts'

const DAY = 86_400

const SLO: RuleSlo = {
  id: 'search-latency',
  service: 'search',
  name: 'latency',
  objectivePercent: 99,
  periodSeconds: 30 * DAY,
  sli: {
    goodQuery: 'sum(rate(request_duration_seconds_bucket{job="search",le="0.3"}[{{.window}}]))',
    totalQuery: 'sum(rate(request_duration_seconds_count{job="search"}[{{.window}}]))',
  },
  labels: { team: 'search' },
}

const records = (rules: readonly PromRule[]): PromRecordingRule[] => rules.filter((rule): rule is PromRecordingRule => 'record' in rule)
const alerts = (rules: readonly PromRule[]): PromAlertingRule[] => rules.filter((rule): rule is PromAlertingRule => 'alert' in rule)

describe('generateRules', () => {
  const { groups } = generateRules([SLO])
  const [sli, meta, alerting] = groups

  it('writes three groups per SLO, named as Sloth names them', () => {
    expect(groups.map((group) => group.name)).toEqual(['sloth-slo-sli-recordings-search-latency', 'sloth-slo-meta-recordings-search-latency', 'sloth-slo-alerts-search-latency'])
  })

  it('records the error ratio over the eight windows of a 30-day SLO', () => {
    expect(records(sli?.rules ?? []).map((rule) => rule.record)).toEqual([
      'slo:sli_error:ratio_rate5m',
      'slo:sli_error:ratio_rate30m',
      'slo:sli_error:ratio_rate1h',
      'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate6h',
      'slo:sli_error:ratio_rate1d',
      'slo:sli_error:ratio_rate3d',
      'slo:sli_error:ratio_rate30d',
    ])
  })

  it('records the seven meta series', () => {
    expect(records(meta?.rules ?? []).map((rule) => rule.record)).toEqual([
      'slo:objective:ratio',
      'slo:error_budget:ratio',
      'slo:time_period:days',
      'slo:current_burn_rate:ratio',
      'slo:period_burn_rate:ratio',
      'slo:period_error_budget_remaining:ratio',
      'sloth_slo_info',
    ])
  })

  it('turns a good/total SLI into 1 − good / total, with the window put in both queries', () => {
    expect(sli?.rules[0]?.expr).toBe(
      '1 - (\n  (sum(rate(request_duration_seconds_bucket{job="search",le="0.3"}[5m])))\n  /\n  (sum(rate(request_duration_seconds_count{job="search"}[5m])))\n)\n',
    )
  })

  it('labels every SLI series with the SLO id, service, name and window, plus the SLO labels', () => {
    expect(sli?.rules[2]?.labels).toEqual({ sloth_id: 'search-latency', sloth_service: 'search', sloth_slo: 'latency', sloth_window: '1h', team: 'search' })
  })

  it('pages on 14.4 × and 6 × the budget and tickets on 3 × and 1 ×, with 1 − 99 % written as Sloth writes it', () => {
    const [page, ticket] = alerts(alerting?.rules ?? [])
    const thresholds = (rule: PromAlertingRule | undefined) => [...(rule?.expr ?? '').matchAll(/ratio_rate(\w+)\{[^}]*\} > \((\S+) \* ([^)\s]+)\)/g)].map((m) => `${m[1]}>${m[2]}×${m[3]}`)
    expect(thresholds(page)).toEqual(['5m>14.4×0.01', '1h>14.4×0.01', '30m>6×0.01', '6h>6×0.01'])
    expect(thresholds(ticket)).toEqual(['2h>3×0.01', '1d>3×0.01', '6h>1×0.01', '3d>1×0.01'])
    expect(page?.labels).toEqual({ sloth_severity: 'page' })
    expect(ticket?.labels).toEqual({ sloth_severity: 'ticket' })
    expect(page?.alert).toBe('SLOErrorBudgetBurnRate')
  })

  it('names windows of a 28-day SLO as Prometheus does and pages at 13.44 ×', () => {
    const { groups: fourWeeks } = generateRules([{ ...SLO, periodSeconds: 28 * DAY }])
    expect(records(fourWeeks[0]?.rules ?? []).at(-1)?.record).toBe('slo:sli_error:ratio_rate4w')
    expect(fourWeeks[1]?.rules[2]?.expr).toBe('vector(28)')
    expect(alerts(fourWeeks[2]?.rules ?? [])[0]?.expr).toContain('> (13.44 * 0.01)')
  })

  it('wraps a raw error-ratio query in parentheses', () => {
    const { groups: raw } = generateRules([{ ...SLO, sli: { errorRatioQuery: 'job:errors:ratio_rate{{ .window }}' } }])
    expect(raw[0]?.rules[1]?.expr).toBe('(job:errors:ratio_rate30m)')
  })

  it('ORs every tier of a severity when tiers are configured', () => {
    const tiers = [
      { name: 'page-very-quick', severity: 'page' as const, longWindowSeconds: 900, shortWindowSeconds: 60, budgetPercent: 1 },
      { name: 'page-quick', severity: 'page' as const, longWindowSeconds: 3600, shortWindowSeconds: 300, budgetPercent: 2 },
      { name: 'page-slow', severity: 'page' as const, longWindowSeconds: 6 * 3600, shortWindowSeconds: 1800, budgetPercent: 5 },
    ]
    const { groups: custom } = generateRules([{ ...SLO, tiers }])
    expect(records(custom[0]?.rules ?? []).map((rule) => rule.labels?.sloth_window)).toEqual(['1m', '5m', '15m', '30m', '1h', '6h', '30d'])
    expect(custom[1]?.rules[3]?.expr).toContain('slo:sli_error:ratio_rate1m{')
    const pageRules = alerts(custom[2]?.rules ?? [])
    expect(pageRules).toHaveLength(1)
    expect(pageRules[0]?.expr.match(/\nor\n/g)).toHaveLength(2)
    expect(pageRules[0]?.expr.match(/without \(sloth_window\)/g)).toHaveLength(6)
    expect(pageRules[0]?.expr).toContain('> (28.8 * 0.01)')
  })

  it('waits `for` the configured time before firing when asked, and not otherwise', () => {
    const [page, ticket] = alerts(generateRules([{ ...SLO, pageAlert: { forSeconds: 300 } }]).groups[2]?.rules ?? [])
    expect(page?.for).toBe('5m')
    expect(ticket && 'for' in ticket).toBe(false)
    expect(() => generateRules([{ ...SLO, ticketAlert: { forSeconds: -1 } }])).toThrow(/slos\[0\]\.ticketAlert\.forSeconds = -1/)
  })

  it('leaves a disabled alert out, and the alert group when both are', () => {
    expect(alerts(generateRules([{ ...SLO, ticketAlert: { disabled: true } }]).groups[2]?.rules ?? []).map((rule) => rule.labels?.sloth_severity)).toEqual(['page'])
    expect(generateRules([{ ...SLO, pageAlert: { disabled: true }, ticketAlert: { disabled: true } }]).groups).toHaveLength(2)
  })

  it('merges alert labels and annotations over the defaults', () => {
    const [page] = alerts(generateRules([{ ...SLO, pageAlert: { name: 'SearchSlow', labels: { severity: 'critical' }, annotations: { runbook_url: 'https://runbooks/search' } } }]).groups[2]?.rules ?? [])
    expect(page?.alert).toBe('SearchSlow')
    expect(page?.labels).toEqual({ severity: 'critical', sloth_severity: 'page' })
    expect(Object.keys(page?.annotations ?? {})).toEqual(['runbook_url', 'summary', 'title'])
  })

  it.each([
    { why: 'a query has no {{.window}}', slo: { ...SLO, sli: { errorRatioQuery: 'job:errors:ratio_rate5m' } }, message: /slos\[0\]\.sli\.errorRatioQuery = .*expected a PromQL query with \{\{\.window\}\}/ },
    { why: 'a query uses another template key', slo: { ...SLO, sli: { errorRatioQuery: 'x[{{.window}}] / y[{{.period}}]' } }, message: /only template action is \{\{\.window\}\}, found \{\{\.period\}\}/ },
    { why: 'the objective is 100 %', slo: { ...SLO, objectivePercent: 100 }, message: /slos\[0\]\.objectivePercent = 100/ },
    { why: 'the objective is written as a ratio', slo: { ...SLO, objectivePercent: 0 }, message: /objectivePercent = 0/ },
    { why: 'an SLO label takes a sloth_ name', slo: { ...SLO, labels: { sloth_window: 'x' } }, message: /slos\[0\]\.labels\.sloth_window/ },
    { why: 'an alert name is not a metric name', slo: { ...SLO, pageAlert: { name: 'Search slow' } }, message: /pageAlert\.name = "Search slow"/ },
    { why: 'a tier window is longer than the period', slo: { ...SLO, periodSeconds: 2 * DAY }, message: /slos\[0\]\.tiers\[3\]\.longWindowSeconds = 259200: expected a window shorter than the period/ },
  ])('refuses an SLO when $why, naming the key', ({ slo, message }) => {
    expect(() => generateRules([slo])).toThrow(message)
  })

  it('refuses two SLOs with one id', () => {
    expect(() => generateRules([SLO, SLO])).toThrow(/slos\[1\]\.id = "search-latency": expected an id no other SLO has/)
  })
})

describe('renderRuleFile', () => {
  it('writes YAML that reads back as the same groups', () => {
    const { groups } = generateRules([SLO])
    const text = renderRuleFile(groups)
    expect(text.startsWith('# Generated by Highway')).toBe(true)
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify({ groups })))
    expect(text).toContain('expr: |\n')
  })
})

describe('writeRuleFiles', () => {
  const dirs: string[] = []
  afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))))

  it('writes one file per SLO into a directory it creates', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'highway-rules-'))
    dirs.push(dir)
    const result = await writeRuleFiles({ outDir: join(dir, 'out'), slos: [SLO, { ...SLO, id: 'search-availability', name: 'availability' }] })
    expect(result).toEqual({ ok: true, files: [join(dir, 'out', 'search-latency.yml'), join(dir, 'out', 'search-availability.yml')] })
    expect(parse(await readFile(join(dir, 'out', 'search-latency.yml'), 'utf8')).groups).toHaveLength(3)
  })

  it('returns the error and writes nothing when an id cannot be a file name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'highway-rules-'))
    dirs.push(dir)
    const result = await writeRuleFiles({ outDir: join(dir, 'out'), slos: [SLO, { ...SLO, id: '../escape' }] })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.message).toMatch(/slos\[1\]\.id = "\.\.\/escape": expected an id usable as a file name/)
    await expect(readFile(join(dir, 'out', 'search-latency.yml'))).rejects.toThrow(/ENOENT/)
  })
})
