import { execFile, spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { buildDashboards, SLO_VARIABLE_QUERY } from '../grafana/index.ts'
import { generateRules, type RuleSlo } from '../slo/rules/index.ts'
import { startTestService } from './support/service.ts'
import { BOOKING_AVAILABILITY_SLO } from './support/slo-spec.ts'
import { makeTempDir } from './support/temp-dir.ts'

// Every PromQL panel query, with Grafana's variables substituted, passes `promtool check rules` as a recording
// rule and names only metrics a real /metrics scrape of a service running every component exposes, or the slo:*
// series the generated rules record. Under CI=true a missing promtool fails instead of skipping.

const MISSING = 'promtool is not on PATH: install it with `apt-get install -y prometheus` (it ships promtool)'
const promtoolFound = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0
const inCi = process.env.CI === 'true'
const run = promisify(execFile)

/** Grafana's substitutions for a Prometheus query: built-in intervals and the dashboards' variables (All = `.*`). */
const SUBSTITUTIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\$__rate_interval/g, '1m'],
  [/\$__interval/g, '30s'],
  [/\$__range/g, '1h'],
  [/\$\{?model\}?/g, 'booking-spam'],
  [/\$\{?version\}?/g, '.*'],
  [/\$\{?slo\}?/g, '.*'],
]
const substitute = (expr: string): string => SUBSTITUTIONS.reduce((e, [re, v]) => e.replace(re, v), expr)

const queries = buildDashboards().flatMap((d) =>
  (d.json.panels as Array<{ title: string; targets?: Array<{ expr?: string }> }>).flatMap((p) => (p.targets ?? []).filter((t) => t.expr).map((t) => ({ where: `${d.uid} / ${p.title}`, expr: substitute(t.expr!) }))),
)

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan'])
/** The metric names a PromQL expression selects: identifiers outside label matchers, groupings and calls. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
  return [...bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?/g)].filter((m) => !m[2] && !KEYWORDS.has(m[1]!)).map((m) => m[1]!)
}

/** The slo:* series the generated Sloth rules record, for an SLO of any service. */
const RECORDED = new Set(
  generateRules([
    {
      id: 'svc-availability',
      service: 'svc',
      name: 'availability',
      objectivePercent: 99.9,
      periodSeconds: 30 * 86_400,
      sli: { errorQuery: 'sum(rate(errors_total[{{.window}}]))', totalQuery: 'sum(rate(requests_total[{{.window}}]))' },
      labels: {},
    } satisfies RuleSlo,
  ]).groups.flatMap((g) => g.rules.flatMap((r) => ('record' in r && r.record ? [r.record] : []))),
)

const ROLLBACK_RUNBOOK = `apiVersion: highway.dev/v1
kind: Runbook
metadata: { name: rollback-on-burn }
spec:
  trigger: { alert: { name: SLOErrorBudgetBurnRate, status: firing } }
  steps: [{ action: rollback }]
`

let exposed = new Set<string>()
let stop: (() => Promise<void>) | undefined
const sloDir = makeTempDir('grafana-slos')

beforeAll(async () => {
  // With an SLO and a runbook configured, as in the compose stack: those components register their series only then.
  mkdirSync(join(sloDir.dir, 'slos'))
  writeFileSync(join(sloDir.dir, 'slos', 'booking.yaml'), BOOKING_AVAILABILITY_SLO)
  mkdirSync(join(sloDir.dir, 'runbooks'))
  writeFileSync(join(sloDir.dir, 'runbooks', 'rollback.yaml'), ROLLBACK_RUNBOOK)
  const svc = await startTestService({ slos: join(sloDir.dir, 'slos'), runbooks: join(sloDir.dir, 'runbooks') }, { components: ['collector', 'analyzer', 'slo', 'serving', 'alerts'] })
  stop = svc.stop
  const text = await (await fetch(`${svc.url}/metrics`)).text()
  const names = new Set<string>()
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = m as unknown as [string, string, string]
    names.add(name)
    if (type === 'histogram' || type === 'summary') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`)
  }
  exposed = names
}, 120_000)

afterAll(async () => {
  await stop?.()
  sloDir.cleanup()
})

describe('PromQL panel queries', () => {
  it('exist on the dashboards', () => {
    expect(queries.length).toBeGreaterThanOrEqual(20)
  })

  it('name only metrics the running service exposes, or slo:* series the generated rules record', () => {
    const unknown = queries.flatMap((q) => metricNames(q.expr).filter((n) => !exposed.has(n) && !RECORDED.has(n)).map((n) => `${q.where}: ${n}`))
    expect(unknown).toEqual([])
    expect(metricNames(SLO_VARIABLE_QUERY.replace(/^label_values\((.*), \w+\)$/, '$1')).every((n) => exposed.has(n))).toBe(true)
  })

  it.skipIf(!promtoolFound && !inCi)('pass `promtool check rules` as recording rules', async () => {
    if (!promtoolFound) throw new Error(MISSING)
    const tmp = makeTempDir('grafana-promql')
    try {
      const file = join(tmp.dir, 'panels.rules.yml')
      writeFileSync(file, stringify({ groups: [{ name: 'grafana-panels', rules: queries.map((q, i) => ({ record: `grafana:panel_query_${i}`, expr: q.expr })) }] }))
      const result = await run('promtool', ['check', 'rules', file]).then(
        (r) => ({ code: 0, output: r.stdout + r.stderr }),
        (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
      )
      expect(result.output).toContain(`SUCCESS: ${queries.length} rules found`)
      expect(result.code).toBe(0)
    } finally {
      tmp.cleanup()
    }
  })
})
