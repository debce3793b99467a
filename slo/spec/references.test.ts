import { describe, expect, it } from 'vitest'
import { parseSloSources, type LoadSloResult, type ResolvedSlo, type SpecError } from './index.ts'
import { TEST_MODELS } from './test-models.ts'

/** An SLO document with a highway ratio SLI inline (or `indicator`); `spec` is appended to its spec, `annotations` to its metadata. */
function sloYaml(name: string, options: { indicator?: string; sliName?: string; spec?: string; annotations?: string; service?: string } = {}): string {
  const indicator =
    options.indicator ??
    `indicator:
    metadata: { name: ${options.sliName ?? `${name}-sli`} }
    spec:
      ratioMetric:
        good: { metricSource: { type: highway, spec: { model: booking-spam, select: ok } } }
        total: { metricSource: { type: highway, spec: { model: booking-spam, select: all } } }`
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${name}
${options.annotations === undefined ? '' : `  annotations:\n${options.annotations}\n`}spec:
  service: ${options.service ?? 'booking'}
  ${indicator}
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.99 }]
${options.spec ?? ''}`
}

function load(files: Record<string, string>): LoadSloResult {
  return parseSloSources(
    Object.entries(files).map(([file, text]) => ({ file, text })),
    { models: TEST_MODELS },
  )
}

function specsOf(result: LoadSloResult): readonly ResolvedSlo[] {
  if (!result.ok) throw new Error(`expected valid specs, got:\n${result.errors.map((e) => `${e.file}: ${e.path}: ${e.message}`).join('\n')}`)
  return result.specs
}

function errorsOf(result: LoadSloResult): readonly Pick<SpecError, 'file' | 'path' | 'rule' | 'message'>[] {
  if (result.ok) throw new Error('expected errors, got valid specs')
  return result.errors.map(({ file, path, rule, message }) => ({ file, path, rule, message }))
}

const SERVED_SLI = `apiVersion: openslo/v1
kind: SLI
metadata: { name: served }
spec:
  ratioMetric:
    good: { metricSource: { type: highway, spec: { model: booking-spam, select: ok } } }
    total: { metricSource: { type: highway, spec: { model: booking-spam, select: all } } }
`

describe('references between documents', () => {
  it('resolves an indicatorRef to an SLI declared in another file', () => {
    const [slo] = specsOf(load({ 'slos.yaml': sloYaml('availability', { indicator: 'indicatorRef: served' }), 'slis.yaml': SERVED_SLI }))
    expect(slo?.sli).toMatchObject({ kind: 'ratio', name: 'served', good: { select: 'ok' } })
  })

  it('infers the type of a metric source from its DataSource, whatever its case', () => {
    const dataSource = 'apiVersion: openslo/v1\nkind: DataSource\nmetadata: { name: prom }\nspec: { type: PROMETHEUS }\n'
    const indicator = `indicator:
    metadata: { name: requests }
    spec:
      ratioMetric:
        good: { metricSource: { metricSourceRef: prom, spec: { query: "sum(rate(ok_total[{{.window}}]))" } } }
        total: { metricSource: { metricSourceRef: prom, spec: { query: "sum(rate(all_total[{{.window}}]))" } } }`
    const [slo] = specsOf(load({ 'a.yaml': dataSource, 'b.yaml': sloYaml('requests', { indicator }) }))
    expect(slo?.sli.source).toEqual({ type: 'prometheus', dataSource: { name: 'prom', connectionDetails: {} } })
  })

  it('reports a broken SLI once, where it is declared, and not again at the SLO that refers to it', () => {
    const broken = SERVED_SLI.replace('select: ok', 'select: fine')
    expect(errorsOf(load({ 'slis.yaml': broken, 'slos.yaml': sloYaml('availability', { indicator: 'indicatorRef: served' }) }))).toEqual([
      {
        file: 'slis.yaml',
        path: 'documents[0].spec.ratioMetric.good.metricSource.spec.select',
        rule: 'enum',
        message: 'must be one of all, ok, latency_below, labelled, correct, not_quarantined, got "fine"',
      },
    ])
  })

  it('lets objects of different kinds share a name', () => {
    const service = 'apiVersion: openslo/v1\nkind: Service\nmetadata: { name: served }\n'
    expect(specsOf(load({ 'a.yaml': `${SERVED_SLI}---\n${service}---\n${sloYaml('served', { indicator: 'indicatorRef: served', service: 'served' })}` }))).toHaveLength(1)
  })

  it('scopes inline objects to their SLO: an inline SLI may share a top-level SLI name', () => {
    const specs = specsOf(load({ 'a.yaml': `${SERVED_SLI}---\n${sloYaml('inline', { sliName: 'served' })}` }))
    expect(specs[0]?.sli.name).toBe('served')
  })

  it('reports a duplicate name across files with the file and document of the first declaration', () => {
    expect(errorsOf(load({ 'a.yaml': SERVED_SLI, 'b.yaml': `${SERVED_SLI}---\n${SERVED_SLI}` }))).toEqual([
      {
        file: 'b.yaml',
        path: 'documents[0].metadata.name',
        rule: 'duplicate_name',
        message: 'duplicates the SLI "served" in a.yaml documents[0]: names must be unique per kind',
      },
      {
        file: 'b.yaml',
        path: 'documents[1].metadata.name',
        rule: 'duplicate_name',
        message: 'duplicates the SLI "served" in a.yaml documents[0]: names must be unique per kind',
      },
    ])
  })

  it('accepts any service name while the directory declares no Service', () => {
    expect(specsOf(load({ 'a.yaml': sloYaml('a', { service: 'anything' }) }))[0]).toMatchObject({ service: 'anything', serviceDisplayName: 'anything' })
  })

  it('takes the display name of a declared Service', () => {
    const service = 'apiVersion: openslo/v1\nkind: Service\nmetadata: { name: booking, displayName: Booking desk }\n'
    expect(specsOf(load({ 'a.yaml': service, 'b.yaml': sloYaml('a') }))[0]?.serviceDisplayName).toBe('Booking desk')
  })

  it('resolves the alert policies of an SLO through their conditions and notification targets', () => {
    const alerting = `apiVersion: openslo/v1
kind: AlertCondition
metadata: { name: fast }
spec: { severity: page, condition: { op: gte, threshold: 14.4, lookbackWindow: 1h, alertAfter: 5m } }
---
apiVersion: openslo/v1
kind: AlertNotificationTarget
metadata: { name: pager }
spec: { target: pagerduty }
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata: { name: page-fast }
spec:
  conditions: [{ conditionRef: fast }]
  notificationTargets: [{ targetRef: pager }]
`
    const [slo] = specsOf(load({ 'alerting.yaml': alerting, 'slo.yaml': sloYaml('a', { spec: '  alertPolicies: [{ alertPolicyRef: page-fast }]\n' }) }))
    expect(slo?.alerting).toEqual({
      pageTiers: [
        {
          policy: 'page-fast',
          condition: 'fast',
          severity: 'page',
          op: 'gte',
          burnRate: 14.4,
          longWindowSeconds: 3_600,
          shortWindowSeconds: 300,
          alertAfterSeconds: 300,
          alertLabels: {},
          alertAnnotations: {},
          alertWhenBreaching: true,
          alertWhenResolved: false,
          alertWhenNoData: false,
          notificationTargets: ['pager'],
        },
      ],
    })
  })

  it('refuses an AlertPolicy listed twice by the same SLO', () => {
    const policy = `apiVersion: openslo/v1
kind: AlertPolicy
metadata: { name: p }
spec:
  conditions: [{ kind: AlertCondition, metadata: { name: c }, spec: { severity: ticket, condition: { op: gt, threshold: 1, lookbackWindow: 3d } } }]
  notificationTargets: [{ kind: AlertNotificationTarget, metadata: { name: t }, spec: { target: email } }]
`
    expect(errorsOf(load({ 'a.yaml': policy, 'b.yaml': sloYaml('a', { spec: '  alertPolicies: [p, { alertPolicyRef: p }]\n' }) }))).toEqual([
      { file: 'b.yaml', path: 'documents[0].spec.alertPolicies[1].alertPolicyRef', rule: 'duplicate_name', message: 'lists AlertPolicy p again (already alertPolicies[0])' },
    ])
  })

  it('refuses a reference mixed with inline fields', () => {
    const spec = '  alertPolicies: [{ alertPolicyRef: p, kind: AlertPolicy }]\n'
    expect(errorsOf(load({ 'a.yaml': sloYaml('a', { spec }) }))).toEqual([
      { file: 'a.yaml', path: 'documents[0].spec.alertPolicies[0]', rule: 'exclusive', message: 'give alertPolicyRef or an inline AlertPolicy (kind, metadata, spec), not both; also got kind' },
    ])
  })

  it('refuses a short window that is not shorter than the lookback window', () => {
    const condition = `apiVersion: openslo/v1
kind: AlertCondition
metadata: { name: fast, annotations: { highway.dev/short-window: 1h } }
spec: { severity: page, condition: { op: gte, threshold: 14.4, lookbackWindow: 1h } }
`
    expect(errorsOf(load({ 'a.yaml': condition }))).toEqual([
      { file: 'a.yaml', path: 'documents[0].metadata.annotations["highway.dev/short-window"]', rule: 'inconsistent', message: 'must be shorter than the lookbackWindow (1h), got "1h"' },
    ])
  })
})

describe('Highway settings in annotations', () => {
  const sliWith = (annotations: string): string => SERVED_SLI.replace('metadata: { name: served }', `metadata:\n  name: served\n  annotations:\n${annotations}`)

  it('lets the annotations of an SLO override those of its SLI, key by key', () => {
    const sli = sliWith('    highway.dev/min-events: "10"\n    highway.dev/wilson: "true"')
    const slo = sloYaml('a', { indicator: 'indicatorRef: served', annotations: '    highway.dev/min-events: "50"' })
    expect(specsOf(load({ 'a.yaml': sli, 'b.yaml': slo }))[0]).toMatchObject({ minEvents: 50, wilson: { confidence: 0.95 }, evaluationDelaySeconds: 0 })
  })

  it('lets an SLO turn off the Wilson bound its SLI asks for', () => {
    const sli = sliWith('    highway.dev/wilson: "true"')
    const slo = sloYaml('a', { indicator: 'indicatorRef: served', annotations: '    highway.dev/wilson: "false"' })
    expect(specsOf(load({ 'a.yaml': sli, 'b.yaml': slo }))[0]?.wilson).toBeUndefined()
  })

  it('refuses the Wilson bound on a threshold SLI', () => {
    const indicator = `indicator:
    metadata: { name: drift }
    spec: { thresholdMetric: { metricSource: { type: highway, spec: { model: booking-spam, measure: dataset_drift_share } } } }`
    const spec = sloYaml('a', { indicator, annotations: '    highway.dev/wilson: "true"' })
      .replace('budgetingMethod: Occurrences', 'budgetingMethod: Timeslices')
      .replace('objectives: [{ target: 0.99 }]', 'objectives: [{ target: 0.99, op: lt, value: 0.5, timeSliceTarget: 1, timeSliceWindow: 1h }]')
    expect(errorsOf(load({ 'a.yaml': spec }))).toEqual([
      { file: 'a.yaml', path: 'documents[0].metadata.annotations["highway.dev/wilson"]', rule: 'inconsistent', message: 'applies to ratio SLIs only; drift (used by SLO a) is a threshold SLI' },
    ])
  })

  it('refuses a Wilson confidence without the Wilson bound', () => {
    expect(errorsOf(load({ 'a.yaml': sloYaml('a', { annotations: '    highway.dev/wilson-confidence: "0.99"' }) }))).toEqual([
      { file: 'a.yaml', path: 'documents[0].metadata.annotations["highway.dev/wilson-confidence"]', rule: 'inconsistent', message: 'has no effect unless highway.dev/wilson is "true" (for SLO a)' },
    ])
  })

  it('reads highway.dev annotations on kinds that take none as typos, and leaves other prefixes alone', () => {
    const dataSource = `apiVersion: openslo/v1
kind: DataSource
metadata: { name: prom, annotations: { highway.dev/min-events: "5", example.com/owner: me } }
spec: { type: prometheus }
`
    expect(errorsOf(load({ 'a.yaml': dataSource }))).toEqual([
      { file: 'a.yaml', path: 'documents[0].metadata.annotations["highway.dev/min-events"]', rule: 'unknown_field', message: 'is not a Highway annotation (Highway reads no highway.dev/ annotations on a DataSource)' },
    ])
  })
})

describe('rules across fields', () => {
  it('refuses good and total from different source types', () => {
    const indicator = `indicator:
    metadata: { name: mixed }
    spec:
      ratioMetric:
        good: { metricSource: { type: highway, spec: { model: booking-spam, select: ok } } }
        total: { metricSource: { type: prometheus, spec: { query: "sum(rate(all_total[{{.window}}]))" } } }`
    expect(errorsOf(load({ 'a.yaml': sloYaml('a', { indicator }) }))).toEqual([
      { file: 'a.yaml', path: 'documents[0].spec.indicator.spec.ratioMetric.total.metricSource', rule: 'inconsistent', message: 'must come from the same source type as good: good is highway, total is prometheus' },
    ])
  })

  it('refuses bad events from a type highway source', () => {
    const indicator = `indicator:
    metadata: { name: bad }
    spec:
      ratioMetric:
        bad: { metricSource: { type: highway, spec: { model: booking-spam, select: ok } } }
        total: { metricSource: { type: highway, spec: { model: booking-spam, select: all } } }`
    expect(errorsOf(load({ 'a.yaml': sloYaml('a', { indicator }) }))).toEqual([
      { file: 'a.yaml', path: 'documents[0].spec.indicator.spec.ratioMetric.bad', rule: 'unsupported', message: 'type highway counts good events: write good (bad suits clickhouse and prometheus counters)' },
    ])
  })

  it('refuses a metric source with neither a type nor a DataSource', () => {
    const indicator = `indicator:
    metadata: { name: nowhere }
    spec:
      ratioMetric:
        good: { metricSource: { spec: { query: "x" } } }
        total: { metricSource: { type: prometheus, spec: { query: "sum(rate(all_total[{{.window}}]))" } } }`
    expect(errorsOf(load({ 'a.yaml': sloYaml('a', { indicator }) }))).toEqual([
      { file: 'a.yaml', path: 'documents[0].spec.indicator.spec.ratioMetric.good.metricSource', rule: 'required', message: 'needs type (highway, clickhouse or prometheus) or metricSourceRef (a DataSource) to say where the numbers come from' },
    ])
  })

  it('refuses SQL that does not read', () => {
    const sql = `SELECT 1 FROM predictions WHERE ts >= {from:DateTime64(3)} AND ts < {to:DateTime64(3)}`
    const indicator = `indicator:
    metadata: { name: sql }
    spec:
      ratioMetric:
        good: { metricSource: { type: clickhouse, spec: { query: "ALTER TABLE predictions DELETE WHERE 1" } } }
        total: { metricSource: { type: clickhouse, spec: { query: "${sql}" } } }`
    expect(errorsOf(load({ 'a.yaml': sloYaml('a', { indicator }) }))).toEqual([
      { file: 'a.yaml', path: 'documents[0].spec.indicator.spec.ratioMetric.good.metricSource.spec.query', rule: 'query', message: 'must be one read-only SELECT (or WITH ... SELECT) statement, got "ALTER TABLE predictions DELETE WHERE 1"' },
      { file: 'a.yaml', path: 'documents[0].spec.indicator.spec.ratioMetric.good.metricSource.spec.query', rule: 'query', message: 'must bind the window as {from:DateTime64(3)} and {to:DateTime64(3)}; missing {from:DateTime64(3)} and {to:DateTime64(3)}' },
    ])
  })

  for (const { measure, value, expected } of [
    { measure: 'label_coverage', value: 80, expected: 'must be a share in [0, 1] for label_coverage, got 80' },
    { measure: 'freshness_seconds', value: -1, expected: 'must be a number of 0 or more for freshness_seconds, got -1' },
    { measure: 'performance:log_loss', value: -0.1, expected: 'must be a number of 0 or more for performance, got -0.1' },
  ]) {
    it(`refuses a ${measure} objective value of ${value}: ${expected.split(' for ')[0]}`, () => {
      const indicator = `indicator:
    metadata: { name: m }
    spec: { thresholdMetric: { metricSource: { type: highway, spec: { model: booking-spam, measure: "${measure}" } } } }`
      const spec = sloYaml('a', { indicator, annotations: '    highway.dev/evaluation-delay: 1d' })
        .replace('budgetingMethod: Occurrences', 'budgetingMethod: Timeslices')
        .replace('objectives: [{ target: 0.99 }]', `objectives: [{ target: 0.99, op: gte, value: ${value}, timeSliceTarget: 1, timeSliceWindow: 1h }]`)
      expect(errorsOf(load({ 'a.yaml': spec }))).toEqual([{ file: 'a.yaml', path: 'documents[0].spec.objectives[0].value', rule: 'range', message: expected }])
    })
  }

  it('refuses estimated performance of a model that is not a binary classifier', () => {
    const sli = `apiVersion: openslo/v1
kind: SLI
metadata: { name: cbpe }
spec: { thresholdMetric: { metricSource: { type: highway, spec: { model: ride-demand, measure: "estimated_performance:accuracy" } } } }
`
    expect(errorsOf(load({ 'a.yaml': sli }))).toEqual([
      { file: 'a.yaml', path: 'documents[0].spec.thresholdMetric.metricSource.spec.measure', rule: 'inconsistent', message: 'CBPE estimates binary classifiers only; ride-demand is regression, got "estimated_performance:accuracy"' },
    ])
  })

  it('refuses a tolerance on a classifier', () => {
    const sli = SERVED_SLI.replace('select: ok', 'select: correct, tolerance: 1').replace('select: all', 'select: labelled')
    expect(errorsOf(load({ 'a.yaml': sli }))).toEqual([
      { file: 'a.yaml', path: 'documents[0].spec.ratioMetric.good.metricSource.spec.tolerance', rule: 'forbidden', message: 'only applies to regression models; booking-spam is binary_classification (a prediction is correct when it equals the label)' },
    ])
  })

  it('refuses more than one objective with a threshold SLI', () => {
    const indicator = `indicator:
    metadata: { name: drift }
    spec: { thresholdMetric: { metricSource: { type: highway, spec: { model: booking-spam, measure: dataset_drift_share } } } }`
    const objective = '{ target: 0.99, op: lt, value: 0.5, timeSliceTarget: 1, timeSliceWindow: 1h }'
    const spec = sloYaml('a', { indicator })
      .replace('budgetingMethod: Occurrences', 'budgetingMethod: Timeslices')
      .replace('objectives: [{ target: 0.99 }]', `objectives: [${objective}, ${objective.replace('0.99', '0.9')}]`)
    expect(errorsOf(load({ 'a.yaml': spec }))).toEqual([
      { file: 'a.yaml', path: 'documents[0].spec.objectives', rule: 'range', message: 'must list one objective with a threshold SLI (OpenSLO: "only one Threshold can be defined"), got 2 items' },
    ])
  })

  it('keeps several objectives of a ratio SLI, each with its own name', () => {
    const spec = sloYaml('a').replace('objectives: [{ target: 0.99 }]', 'objectives: [{ displayName: Good, target: 0.99 }, { displayName: Great!, target: 0.999 }]')
    expect(specsOf(load({ 'a.yaml': spec }))[0]?.objectives.map((o) => [o.name, o.target])).toEqual([
      ['good', 0.99],
      ['great', 0.999],
    ])
  })

  it('refuses two objectives whose display names give the same name', () => {
    const spec = sloYaml('a').replace('objectives: [{ target: 0.99 }]', 'objectives: [{ displayName: Fast path, target: 0.99 }, { displayName: fast-path, target: 0.999 }]')
    expect(errorsOf(load({ 'a.yaml': spec }))).toEqual([
      { file: 'a.yaml', path: 'documents[0].spec.objectives[1].displayName', rule: 'duplicate_name', message: 'names the same objective as objectives[0] ("fast-path"): display names must differ' },
    ])
  })

  for (const { it: sentence, window, path, rule, message } of [
    { it: 'requires a time window (OpenSLO leaves it optional)', window: '', path: 'documents[0].spec.timeWindow', rule: 'required', message: 'is required by Highway: one rolling window ({duration: 30d, isRolling: true}) or one calendar window ({duration: 1M, calendar: {timeZone: UTC}})' },
    { it: 'refuses two time windows', window: '  timeWindow: [{ duration: 30d, isRolling: true }, { duration: 7d, isRolling: true }]', path: 'documents[0].spec.timeWindow', rule: 'range', message: 'must list exactly one time window (OpenSLO v1), got 2 items' },
    { it: 'refuses a calendar on a rolling window', window: '  timeWindow: [{ duration: 30d, isRolling: true, calendar: { timeZone: UTC } }]', path: 'documents[0].spec.timeWindow[0].calendar', rule: 'exclusive', message: 'does not apply to a rolling window (isRolling: true): remove it, or set isRolling: false for a calendar window' },
  ] as const) {
    it(sentence, () => {
      const spec = sloYaml('a').replace('  timeWindow: [{ duration: 30d, isRolling: true }]\n', window === '' ? '' : `${window}\n`)
      expect(errorsOf(load({ 'a.yaml': spec }))).toEqual([{ file: 'a.yaml', path, rule, message }])
    })
  }

  it('accepts a calendar window without a start time, unlike the OpenSLO JSON schema', () => {
    const spec = sloYaml('a').replace('timeWindow: [{ duration: 30d, isRolling: true }]', 'timeWindow: [{ duration: 1w, isRolling: false, calendar: { timeZone: Asia/Tokyo } }]')
    expect(specsOf(load({ 'a.yaml': spec }))[0]?.window).toEqual({ kind: 'calendar', unit: 'week', timeZone: 'Asia/Tokyo' })
  })
})
