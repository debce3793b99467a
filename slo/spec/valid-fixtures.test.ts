import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { HIGHWAY_MEASURES, HIGHWAY_SELECTS, loadSloDirectory, type BurnRateTier, type EventQuery, type MeasureQuery, type ResolvedSlo } from './index.ts'
import { TEST_MODELS } from './test-models.ts'

const dir = relative(process.cwd(), fileURLToPath(new URL('./fixtures/valid', import.meta.url)))
const file = (name: string): string => join(dir, name)

const DAY = 86_400
const highway = { type: 'highway' } as const
const bookingSpam = { type: 'highway', model: 'booking-spam' } as const

const tier = (over: Partial<BurnRateTier> & Pick<BurnRateTier, 'policy' | 'condition' | 'severity' | 'burnRate' | 'longWindowSeconds' | 'shortWindowSeconds'>): BurnRateTier => ({
  op: 'gte',
  alertAfterSeconds: 0,
  alertLabels: {},
  alertAnnotations: {},
  alertWhenBreaching: true,
  alertWhenResolved: false,
  alertWhenNoData: false,
  notificationTargets: [],
  ...over,
})

// The workbook's four tiers for a 30-day window, from fixtures/valid/alerting.yaml.
const PAGE_FAST = tier({ policy: 'page-fast-burn', condition: 'page-fast', severity: 'page', burnRate: 14.4, longWindowSeconds: 3_600, shortWindowSeconds: 300, alertAfterSeconds: 120, alertAnnotations: { description: '2% of a 30-day budget in one hour.' }, alertWhenResolved: true, notificationTargets: ['oncall-pager'] })
const PAGE_SLOW = tier({ policy: 'page-slow-burn', condition: 'page-slow', severity: 'page', burnRate: 6, longWindowSeconds: 6 * 3_600, shortWindowSeconds: 1_800, alertWhenResolved: true, notificationTargets: ['oncall-pager'] })
const TICKET_FAST = tier({ policy: 'ticket-fast-burn', condition: 'ticket-fast', severity: 'ticket', burnRate: 3, longWindowSeconds: DAY, shortWindowSeconds: 3_600, notificationTargets: ['ticket-queue'] })
const TICKET_SLOW = tier({ policy: 'ticket-slow-burn', condition: 'ticket-slow', severity: 'ticket', op: 'gt', burnRate: 1, longWindowSeconds: 3 * DAY, shortWindowSeconds: 6 * 3_600, alertWhenNoData: true, notificationTargets: ['ticket-queue'] })

/** Fields most SLOs share; each case states what differs. */
const slo = (over: Partial<ResolvedSlo> & Pick<ResolvedSlo, 'name' | 'service' | 'objectives' | 'window' | 'budgeting' | 'sli' | 'file'>): ResolvedSlo => ({
  displayName: over.name,
  serviceDisplayName: over.service,
  description: '',
  labels: {},
  evaluationDelaySeconds: 0,
  minEvents: 1,
  alerting: {},
  ...over,
})

const EXPECTED: readonly { readonly it: string; readonly slo: ResolvedSlo }[] = [
  {
    it: 'judges correctness on hourly slices with a Wilson bound, waiting three days for labels set on the SLI',
    slo: slo({
      name: 'booking-spam-correctness',
      service: 'booking',
      serviceDisplayName: 'Booking',
      objectives: [{ name: 'objective-0', displayName: 'objective-0', target: 0.9, timeSliceWindowSeconds: 3_600 }],
      window: { kind: 'rolling', seconds: 28 * DAY },
      budgeting: 'RatioTimeslices',
      sli: { kind: 'ratio', name: 'booking-spam-correct', good: { ...bookingSpam, select: 'correct' }, total: { ...bookingSpam, select: 'labelled' }, source: highway },
      evaluationDelaySeconds: 3 * DAY,
      minEvents: 30,
      wilson: { confidence: 0.9 },
      file: file('booking-spam-quality.yaml'),
    }),
  },
  {
    it: 'holds the realised F1 against 0.8 per day, with the evaluation delay of an inline SLI',
    slo: slo({
      name: 'booking-spam-f1',
      service: 'booking',
      serviceDisplayName: 'Booking',
      objectives: [{ name: 'f1-at-least-0-8', displayName: 'F1 at least 0.8', target: 0.95, op: 'gte', value: 0.8, timeSliceTarget: 1, timeSliceWindowSeconds: DAY }],
      window: { kind: 'rolling', seconds: 28 * DAY },
      budgeting: 'Timeslices',
      sli: { kind: 'threshold', name: 'booking-spam-f1-score', measure: { ...bookingSpam, measure: 'performance', metric: 'f1' }, source: highway },
      evaluationDelaySeconds: 7 * DAY,
      file: file('booking-spam-quality.yaml'),
    }),
  },
  {
    it: 'holds the CBPE estimate of ROC AUC without waiting for labels',
    slo: slo({
      name: 'booking-spam-estimated-auc',
      service: 'booking',
      serviceDisplayName: 'Booking',
      objectives: [{ name: 'objective-0', displayName: 'objective-0', target: 0.99, op: 'gte', value: 0.75, timeSliceTarget: 1, timeSliceWindowSeconds: 3_600 }],
      window: { kind: 'rolling', seconds: 7 * DAY },
      budgeting: 'Timeslices',
      sli: { kind: 'threshold', name: 'booking-spam-cbpe-roc-auc', measure: { ...bookingSpam, measure: 'estimated_performance', metric: 'roc_auc' }, source: highway },
      file: file('booking-spam-quality.yaml'),
    }),
  },
  {
    it: 'reads a bare timeSliceWindow number as minutes',
    slo: slo({
      name: 'booking-spam-dataset-drift',
      service: 'booking',
      serviceDisplayName: 'Booking',
      objectives: [{ name: 'objective-0', displayName: 'objective-0', target: 0.95, op: 'lt', value: 0.5, timeSliceTarget: 1, timeSliceWindowSeconds: 3_600 }],
      window: { kind: 'rolling', seconds: 30 * DAY },
      budgeting: 'Timeslices',
      sli: { kind: 'threshold', name: 'booking-spam-drift-share', measure: { ...bookingSpam, measure: 'dataset_drift_share' }, source: highway },
      file: file('booking-spam-quality.yaml'),
    }),
  },
  {
    it: 'splits feature_drift:<feature> into the measure and the feature, over a two-week window',
    slo: slo({
      name: 'booking-spam-country-drift',
      service: 'booking',
      serviceDisplayName: 'Booking',
      objectives: [{ name: 'objective-0', displayName: 'objective-0', target: 0.9, op: 'lte', value: 0.1, timeSliceTarget: 1, timeSliceWindowSeconds: 6 * 3_600 }],
      window: { kind: 'rolling', seconds: 14 * DAY },
      budgeting: 'Timeslices',
      sli: { kind: 'threshold', name: 'booking-spam-country', measure: { ...bookingSpam, measure: 'feature_drift', feature: 'country' }, source: highway },
      file: file('booking-spam-quality.yaml'),
    }),
  },
  {
    it: 'resolves an indicatorRef, labels as lists, and four referenced alert policies into page and ticket tiers',
    slo: slo({
      name: 'booking-spam-availability',
      displayName: 'Booking spam availability',
      service: 'booking',
      serviceDisplayName: 'Booking',
      description: 'Predictions answered with status ok.',
      labels: { team: ['trust-safety'], tags: ['ml', 'availability'] },
      objectives: [{ name: 'served', displayName: 'Served', target: 0.999 }],
      window: { kind: 'rolling', seconds: 30 * DAY },
      budgeting: 'Occurrences',
      sli: { kind: 'ratio', name: 'booking-spam-served', good: { ...bookingSpam, select: 'ok' }, total: { ...bookingSpam, select: 'all' }, source: highway },
      alerting: { pageTiers: [PAGE_FAST, PAGE_SLOW], ticketTiers: [TICKET_FAST, TICKET_SLOW] },
      file: file('booking-spam.yaml'),
    }),
  },
  {
    it: 'converts targetPercent, keeps a model version, and resolves an inline policy with inline condition and target',
    slo: slo({
      name: 'booking-spam-latency',
      service: 'booking',
      serviceDisplayName: 'Booking',
      objectives: [{ name: 'under-250-ms', displayName: 'Under 250 ms', target: 0.99 }],
      window: { kind: 'rolling', seconds: 7 * DAY },
      budgeting: 'Occurrences',
      sli: {
        kind: 'ratio',
        name: 'booking-spam-fast',
        good: { ...bookingSpam, version: 'v3', select: 'latency_below', thresholdMs: 250 },
        total: { ...bookingSpam, version: 'v3', select: 'all' },
        source: highway,
      },
      minEvents: 100,
      alerting: {
        pageTiers: [tier({ policy: 'latency-page', condition: 'latency-fast', severity: 'page', burnRate: 14.4, longWindowSeconds: 3_600, shortWindowSeconds: 300, notificationTargets: ['latency-channel'] })],
      },
      file: file('booking-spam.yaml'),
    }),
  },
  {
    it: 'keeps a calendar month with its time zone and start time, and a policy listed by plain name',
    slo: slo({
      name: 'booking-spam-not-quarantined',
      service: 'booking',
      serviceDisplayName: 'Booking',
      objectives: [{ name: 'objective-0', displayName: 'objective-0', target: 0.995 }],
      window: { kind: 'calendar', unit: 'month', timeZone: 'Europe/Zurich', startTime: '2026-01-01 00:00:00' },
      budgeting: 'Occurrences',
      sli: { kind: 'ratio', name: 'booking-spam-clean-input', good: { ...bookingSpam, select: 'not_quarantined' }, total: { ...bookingSpam, select: 'all' }, source: highway },
      alerting: { ticketTiers: [TICKET_SLOW] },
      file: file('booking-spam.yaml'),
    }),
  },
  {
    it: 'keeps a regression tolerance and a calendar week in UTC',
    slo: slo({
      name: 'ride-demand-accuracy',
      service: 'rides',
      serviceDisplayName: 'Ride demand',
      objectives: [{ name: 'objective-0', displayName: 'objective-0', target: 0.9, timeSliceTarget: 0.8, timeSliceWindowSeconds: 6 * 3_600 }],
      window: { kind: 'calendar', unit: 'week', timeZone: 'UTC' },
      budgeting: 'Timeslices',
      sli: {
        kind: 'ratio',
        name: 'ride-demand-within-tolerance',
        good: { type: 'highway', model: 'ride-demand', select: 'correct', tolerance: 25 },
        total: { type: 'highway', model: 'ride-demand', select: 'labelled' },
        source: highway,
      },
      evaluationDelaySeconds: 2 * DAY,
      file: file('ride-demand.yaml'),
    }),
  },
  {
    it: 'holds freshness in seconds on ten-minute slices',
    slo: slo({
      name: 'ride-demand-freshness',
      service: 'rides',
      serviceDisplayName: 'Ride demand',
      objectives: [{ name: 'objective-0', displayName: 'objective-0', target: 0.99, op: 'lte', value: 7_200, timeSliceTarget: 1, timeSliceWindowSeconds: 600 }],
      window: { kind: 'rolling', seconds: 28 * DAY },
      budgeting: 'Timeslices',
      sli: { kind: 'threshold', name: 'ride-demand-last-prediction-age', measure: { type: 'highway', model: 'ride-demand', measure: 'freshness_seconds' }, source: highway },
      file: file('ride-demand.yaml'),
    }),
  },
  {
    it: 'takes the evaluation delay of a label-coverage SLI from the SLO, over a 90-day window',
    slo: slo({
      name: 'ride-demand-label-coverage',
      service: 'rides',
      serviceDisplayName: 'Ride demand',
      objectives: [{ name: 'objective-0', displayName: 'objective-0', target: 0.9, op: 'gte', value: 0.8, timeSliceTarget: 1, timeSliceWindowSeconds: DAY }],
      window: { kind: 'rolling', seconds: 90 * DAY },
      budgeting: 'Timeslices',
      sli: { kind: 'threshold', name: 'ride-demand-labelled-share', measure: { type: 'highway', model: 'ride-demand', measure: 'label_coverage' }, source: highway },
      evaluationDelaySeconds: 7 * DAY,
      file: file('ride-demand.yaml'),
    }),
  },
  {
    it: "reads Sloth's getting-started SLO: PromQL good and total with {{.window}}, 99.9% over 30 days",
    slo: slo({
      name: 'requests-availability',
      displayName: 'Requests availability',
      service: 'my-service',
      serviceDisplayName: 'My service',
      description: 'HTTP requests answered without a server error or a throttle.',
      objectives: [{ name: 'objective-0', displayName: 'objective-0', target: 0.999 }],
      window: { kind: 'rolling', seconds: 30 * DAY },
      budgeting: 'Occurrences',
      sli: {
        kind: 'ratio',
        name: 'requests-not-failed',
        good: { type: 'prometheus', query: 'sum(rate(http_requests_total{job="my-service",code!~"5..|429"}[{{.window}}]))' },
        total: { type: 'prometheus', query: 'sum(rate(http_requests_total{job="my-service"}[{{.window}}]))' },
        source: { type: 'prometheus', dataSource: { name: 'prometheus', connectionDetails: { url: 'http://prometheus:9090' } } },
      },
      file: file('sloth-getting-started.yaml'),
    }),
  },
  {
    it: 'keeps a bad-over-total PromQL ratio on five-minute slices of a New York calendar month',
    slo: slo({
      name: 'requests-errors-monthly',
      service: 'my-service',
      serviceDisplayName: 'My service',
      objectives: [{ name: 'objective-0', displayName: 'objective-0', target: 0.99, timeSliceTarget: 0.95, timeSliceWindowSeconds: 300 }],
      window: { kind: 'calendar', unit: 'month', timeZone: 'America/New_York' },
      budgeting: 'Timeslices',
      sli: {
        kind: 'ratio',
        name: 'requests-5xx',
        bad: { type: 'prometheus', query: 'sum(rate(http_requests_total{job="my-service",code=~"5.."}[{{ .window }}]))' },
        total: { type: 'prometheus', query: 'sum(rate(http_requests_total{job="my-service"}[{{ .window }}]))' },
        source: { type: 'prometheus', dataSource: { name: 'prometheus', connectionDetails: { url: 'http://prometheus:9090' } } },
      },
      file: file('sloth-getting-started.yaml'),
    }),
  },
  {
    it: 'takes the type of a threshold PromQL source from its DataSource and needs no {{.window}}',
    slo: slo({
      name: 'requests-p99-latency',
      service: 'my-service',
      serviceDisplayName: 'My service',
      objectives: [{ name: 'objective-0', displayName: 'objective-0', target: 0.995, op: 'lte', value: 0.5, timeSliceTarget: 1, timeSliceWindowSeconds: 300 }],
      window: { kind: 'rolling', seconds: 7 * DAY },
      budgeting: 'Timeslices',
      sli: {
        kind: 'threshold',
        name: 'requests-p99',
        measure: { type: 'prometheus', query: 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="my-service"}[5m])))' },
        source: { type: 'prometheus', dataSource: { name: 'prometheus', connectionDetails: { url: 'http://prometheus:9090' } } },
      },
      file: file('sloth-getting-started.yaml'),
    }),
  },
  {
    it: 'keeps ClickHouse SQL as written, comment and line breaks included, with the DataSource it names',
    slo: slo({
      name: 'ticket-router-confident-answers',
      service: 'support',
      objectives: [{ name: 'objective-0', displayName: 'objective-0', target: 0.8 }],
      window: { kind: 'rolling', seconds: 7 * DAY },
      budgeting: 'Occurrences',
      sli: {
        kind: 'ratio',
        name: 'ticket-router-confident',
        good: {
          type: 'clickhouse',
          query: [
            '-- answers the router was at least 70% sure of',
            'SELECT count() FROM predictions',
            "WHERE model = 'ticket-router'",
            '  AND ts >= {from:DateTime64(3)} AND ts < {to:DateTime64(3)}',
            '  AND arrayMax(mapValues(prediction_scores)) >= 0.7',
            '',
          ].join('\n'),
        },
        total: { type: 'clickhouse', query: "SELECT count() FROM predictions WHERE model = 'ticket-router' AND ts >= {from:DateTime64(3)} AND ts < {to:DateTime64(3)}" },
        source: { type: 'clickhouse', dataSource: { name: 'highway-store', connectionDetails: { database: 'highway', user: 'slo_reader', password: 'not-a-real-secret' } } },
      },
      file: file('ticket-router.yaml'),
    }),
  },
  {
    it: 'accepts a WITH query ending in a semicolon as a threshold SQL source',
    slo: slo({
      name: 'ticket-router-p95-latency',
      service: 'support',
      objectives: [{ name: 'objective-0', displayName: 'objective-0', target: 0.99, op: 'lte', value: 300, timeSliceTarget: 1, timeSliceWindowSeconds: 300 }],
      window: { kind: 'rolling', seconds: DAY },
      budgeting: 'Timeslices',
      sli: {
        kind: 'threshold',
        name: 'ticket-router-p95',
        measure: { type: 'clickhouse', query: "WITH 0.95 AS q SELECT quantile(q)(latency_ms) FROM predictions WHERE model = 'ticket-router' AND ts >= {from:DateTime64(3)} AND ts < {to:DateTime64(3)};" },
        source: { type: 'clickhouse' },
      },
      file: file('ticket-router.yaml'),
    }),
  },
]

describe('valid fixtures', () => {
  let specs: readonly ResolvedSlo[] = []

  beforeAll(async () => {
    const result = await loadSloDirectory(dir, { models: TEST_MODELS })
    if (!result.ok) throw new Error(`fixtures/valid should load:\n${JSON.stringify(result.errors, null, 2)}`)
    specs = result.specs
  })

  it('loads every SLO of the directory, in file and document order', () => {
    expect(specs.map((s) => s.name)).toEqual(EXPECTED.map((e) => e.slo.name))
  })

  for (const { it: sentence, slo: expected } of EXPECTED) {
    it(`${expected.name} ${sentence}`, () => {
      expect(specs.find((s) => s.name === expected.name)).toEqual(expected)
    })
  }

  it('loads to the same objects without a model catalogue (model checks are additions, not changes)', async () => {
    const result = await loadSloDirectory(dir)
    expect(result.ok ? result.specs : result.errors).toEqual(specs)
  })

  it('is plain JSON: a round trip through JSON changes nothing', () => {
    expect(JSON.parse(JSON.stringify(specs))).toEqual(specs)
  })

  it('covers every source type, select, measure, budgeting method and kind of window', () => {
    const sources = new Set(specs.map((s) => s.sli.source.type))
    const queries = specs.flatMap((s): Array<EventQuery | MeasureQuery | undefined> => (s.sli.kind === 'ratio' ? [s.sli.good, s.sli.bad, s.sli.total] : [s.sli.measure]))
    const selects = new Set(queries.flatMap((q) => (q?.type === 'highway' && 'select' in q ? [q.select] : [])))
    const measures = new Set(queries.flatMap((q) => (q?.type === 'highway' && 'measure' in q ? [q.measure] : [])))
    const rolling = new Set(specs.flatMap((s) => (s.window.kind === 'rolling' ? [s.window.seconds / DAY] : [])))
    const calendar = new Set(specs.flatMap((s) => (s.window.kind === 'calendar' ? [s.window.unit] : [])))
    expect([...sources].sort()).toEqual(['clickhouse', 'highway', 'prometheus'])
    expect([...selects].sort()).toEqual([...HIGHWAY_SELECTS].sort())
    expect([...measures].sort()).toEqual([...HIGHWAY_MEASURES].sort())
    expect(new Set(specs.map((s) => s.budgeting))).toEqual(new Set(['Occurrences', 'Timeslices', 'RatioTimeslices']))
    for (const days of [7, 28, 30]) expect(rolling).toContain(days)
    expect(calendar).toEqual(new Set(['week', 'month']))
  })
})
