import { readdirSync, readFileSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadSloDirectory, parseSloSources, type SpecError, type SpecRule } from './index.ts'
import { TEST_MODELS } from './test-models.ts'

const dir = relative(process.cwd(), fileURLToPath(new URL('./fixtures/invalid', import.meta.url)))

interface Case {
  readonly file: string
  readonly it: string
  readonly errors: ReadonlyArray<{ path: string; rule: SpecRule; line: number; message: string }>
}

// One fixture per class of error; each yields exactly these errors, in this order.
const CASES: readonly Case[] = [
  {
    file: 'alert-condition.yaml',
    it: 'refuses a severity other than page or ticket, a burn rate that falls, seconds, and two conditions in one policy',
    errors: [
      { path: 'documents[0].spec.severity', rule: 'enum', line: 6, message: 'must be one of page, ticket, got "sev1"' },
      { path: 'documents[0].spec.condition.op', rule: 'enum', line: 9, message: 'must be gt or gte: a burn-rate alert fires when the burn rate rises above the threshold, got "lte"' },
      { path: 'documents[0].spec.condition.alertAfter', rule: 'format', line: 12, message: 'must be a duration such as 5m, 1h, 28d or 1w (a positive integer and one of m, h, d, w), got "30s"' },
      { path: 'documents[1].spec.conditions', rule: 'range', line: 20, message: 'must list exactly one condition (OpenSLO v1 allows one per policy), got 2 items' },
      { path: 'documents[1].spec.notificationTargets', rule: 'range', line: 22, message: 'must list at least one notification target, got 0 items' },
    ],
  },
  {
    file: 'annotations.yaml',
    it: 'checks every Highway annotation: strings only, durations, counts, booleans, confidences and unknown keys',
    errors: [
      { path: 'documents[0].metadata.annotations["highway.dev/min-events"]', rule: 'type', line: 6, message: 'must be a string (annotation values are strings: quote numbers and booleans), got 50' },
      { path: 'documents[0].metadata.annotations["highway.dev/wilson"]', rule: 'enum', line: 7, message: 'must be "true" or "false", got "yes"' },
      { path: 'documents[0].metadata.annotations["highway.dev/evaluation-delay"]', rule: 'format', line: 8, message: 'must be a duration such as 5m, 1h, 28d or 1w (a positive integer and one of m, h, d, w), got "3 days"' },
      { path: 'documents[0].metadata.annotations["highway.dev/min-event"]', rule: 'unknown_field', line: 9, message: 'is not a Highway annotation (Highway reads highway.dev/evaluation-delay, highway.dev/min-events, highway.dev/wilson, highway.dev/wilson-confidence, highway.dev/unfreeze-above on an SLO)' },
      { path: 'documents[1].metadata.annotations["highway.dev/min-events"]', rule: 'format', line: 31, message: 'must be a whole number of events, at least 1, got "ten"' },
      { path: 'documents[1].metadata.annotations["highway.dev/wilson-confidence"]', rule: 'range', line: 32, message: 'must be a confidence in (0, 1) such as "0.95", got "95"' },
    ],
  },
  {
    file: 'api-version.yaml',
    it: 'refuses OpenSLO v1alpha and says why',
    errors: [
      { path: 'documents[0].apiVersion', rule: 'api_version', line: 2, message: 'must be "openslo/v1", got "openslo/v1alpha" (v1alpha, which Sloth reads, has another shape: queries sit in objectives)' },
    ],
  },
  {
    file: 'bad-duration.yaml',
    it: 'refuses durations that are not shorthand, and months in a rolling window',
    errors: [
      { path: 'documents[0].spec.timeWindow[0].duration', rule: 'format', line: 14, message: 'must be a duration such as 5m, 1h, 28d or 1w (a positive integer and one of m, h, d, w), got "30 days"' },
      { path: 'documents[1].spec.timeWindow[0].duration', rule: 'format', line: 34, message: 'must have a fixed length: months, quarters and years vary, so write days or weeks (30d, 4w, 13w, 365d), got "1M"' },
    ],
  },
  {
    file: 'calendar-window.yaml',
    it: 'accepts only a calendar day, week or month, a real start time, and needs the calendar of a non-rolling window',
    errors: [
      { path: 'documents[0].spec.timeWindow[0].duration', rule: 'format', line: 14, message: 'must be 1d (a calendar day), 1w (a calendar week) or 1M (a calendar month) for a calendar window, got "1Q"' },
      { path: 'documents[0].spec.timeWindow[0].calendar.startTime', rule: 'format', line: 16, message: 'must be a local date and time "YYYY-MM-DD HH:MM:SS" (24-hour, no zone: the zone is calendar.timeZone); that date or time does not exist, got "2026-02-30 00:00:00"' },
      { path: 'documents[1].spec.timeWindow[0].calendar', rule: 'required', line: 36, message: 'is required unless isRolling is true: a calendar window needs calendar.timeZone (for a rolling window, set isRolling: true)' },
    ],
  },
  {
    file: 'clickhouse-query.yaml',
    it: 'requires SQL to be one statement binding exactly {from:DateTime64(3)} and {to:DateTime64(3)}',
    errors: [
      { path: 'documents[0].spec.ratioMetric.good.metricSource.spec.query', rule: 'query', line: 11, message: 'binds {from:DateTime}, but Highway passes from as DateTime64(3): write {from:DateTime64(3)}' },
      { path: 'documents[0].spec.ratioMetric.good.metricSource.spec.query', rule: 'query', line: 11, message: 'must bind the window as {from:DateTime64(3)} and {to:DateTime64(3)}; missing {to:DateTime64(3)}' },
      { path: 'documents[0].spec.ratioMetric.total.metricSource.spec.query', rule: 'query', line: 16, message: 'must be a single statement: nothing may follow a ";"' },
      { path: 'documents[0].spec.ratioMetric.total.metricSource.spec.query', rule: 'query', line: 16, message: 'binds {model:String}, which Highway does not pass: only {from:DateTime64(3)} and {to:DateTime64(3)} are bound' },
    ],
  },
  {
    file: 'data-source-type.yaml',
    it: 'refuses a DataSource type Highway cannot read and a metric source type that contradicts its DataSource',
    errors: [
      { path: 'documents[0].spec.type', rule: 'enum', line: 6, message: 'must be one of highway, clickhouse, prometheus (any case), got "Datadog"' },
      { path: 'documents[2].spec.thresholdMetric.metricSource.type', rule: 'inconsistent', line: 24, message: 'contradicts DataSource data-source-type-store, which is clickhouse, got "prometheus"' },
    ],
  },
  {
    file: 'duplicate-name.yaml',
    it: 'reports the second object of a kind with the same name and where the first one is',
    errors: [
      { path: 'documents[1].metadata.name', rule: 'duplicate_name', line: 11, message: 'duplicates the AlertNotificationTarget "duplicate-name-target" in duplicate-name.yaml documents[0]: names must be unique per kind' },
    ],
  },
  {
    file: 'exclusive-fields.yaml',
    it: 'refuses good with bad, indicator with indicatorRef, and target with targetPercent',
    errors: [
      { path: 'documents[0].spec.ratioMetric', rule: 'exclusive', line: 7, message: 'give good or bad (the numerator), not both' },
      { path: 'documents[1].spec', rule: 'exclusive', line: 25, message: 'give indicator or indicatorRef, not both' },
      { path: 'documents[1].spec.objectives[0]', rule: 'exclusive', line: 38, message: 'give target or targetPercent, not both' },
    ],
  },
  {
    file: 'forbidden-field.yaml',
    it: 'refuses fields that do not apply: thresholdMs without latency_below, slices with Occurrences, op and value on a ratio SLI',
    errors: [
      { path: 'documents[0].spec.indicator.spec.ratioMetric.good.metricSource.spec.thresholdMs', rule: 'forbidden', line: 14, message: 'only applies with select latency_below, got select ok' },
      { path: 'documents[0].spec.objectives[0].timeSliceWindow', rule: 'forbidden', line: 25, message: 'only applies with budgetingMethod Timeslices or RatioTimeslices, got Occurrences' },
      { path: 'documents[1].spec.objectives[0].op', rule: 'forbidden', line: 45, message: 'only applies to threshold SLIs; forbidden-field-ratio is a ratio SLI, got "gte"' },
      { path: 'documents[1].spec.objectives[0].value', rule: 'forbidden', line: 46, message: 'only applies to threshold SLIs; forbidden-field-ratio is a ratio SLI, got 0.5' },
    ],
  },
  {
    file: 'inconsistent-fields.yaml',
    it: 'refuses a threshold SLI outside Timeslices, an evaluation delay as long as the window, and good and total on different models',
    errors: [
      { path: 'documents[0].spec.budgetingMethod', rule: 'inconsistent', line: 19, message: 'must be Timeslices with a threshold SLI (each slice is good when measure op value), got "Occurrences"' },
      { path: 'documents[1].metadata.annotations["highway.dev/evaluation-delay"]', rule: 'inconsistent', line: 30, message: 'must be shorter than the window of SLO inconsistent-fields-windows (7d), got "7d"' },
      { path: 'documents[1].spec.indicator.spec.ratioMetric.total.metricSource.spec.model', rule: 'inconsistent', line: 38, message: 'must count the same model and version as good (booking-spam), got ride-demand' },
    ],
  },
  {
    file: 'label-delay.yaml',
    it: 'requires an evaluation delay on an SLI that needs labels',
    errors: [
      { path: 'documents[0].metadata.annotations["highway.dev/evaluation-delay"]', rule: 'required', line: 5, message: 'is required: SLI label-delay-correct needs labels (select correct); set it on the SLI or the SLO to how long labels take to arrive, e.g. "7d"' },
    ],
  },
  {
    file: 'latency-without-threshold.yaml',
    it: 'requires thresholdMs with select latency_below',
    errors: [
      { path: 'documents[0].spec.ratioMetric.good.metricSource.spec.thresholdMs', rule: 'required', line: 10, message: 'is required with select latency_below (the latency, in milliseconds, under which a prediction is good)' },
    ],
  },
  {
    file: 'lookback-too-long.yaml',
    it: 'refuses a time slice or an alert lookback as long as the SLO window',
    errors: [
      { path: 'documents[0].spec.objectives[0].timeSliceWindow', rule: 'inconsistent', line: 19, message: 'must be shorter than the SLO window (7d), got "7d"' },
      { path: 'documents[0].spec.alertPolicies[0]', rule: 'inconsistent', line: 21, message: 'AlertPolicy lookback-too-long-policy looks back 14d, which must be shorter than the SLO window (7d)' },
    ],
  },
  {
    file: 'missing-field.yaml',
    it: 'names every missing required field, not only the first',
    errors: [
      { path: 'documents[0].spec.service', rule: 'required', line: 7, message: 'is required (a string)' },
      { path: 'documents[0].spec.budgetingMethod', rule: 'required', line: 7, message: 'is required: one of Occurrences, Timeslices, RatioTimeslices' },
    ],
  },
  {
    file: 'name-format.yaml',
    it: 'requires RFC 1123 object names and well-formed label keys',
    errors: [
      { path: 'documents[0].metadata.name', rule: 'format', line: 4, message: 'must be an RFC 1123 label: up to 63 lowercase letters, digits or "-", starting and ending with a letter or digit, got "Checkout_Service"' },
      { path: 'documents[0].metadata.labels["-team"]', rule: 'format', line: 6, message: 'label keys must be up to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit, got "-team"' },
    ],
  },
  {
    file: 'not-an-object.yaml',
    it: 'refuses documents that are not mappings, counting list items as documents',
    errors: [
      { path: 'documents[0]', rule: 'type', line: 2, message: 'must be an OpenSLO object (a mapping with apiVersion, kind, metadata and spec), got "just some text"' },
      { path: 'documents[1]', rule: 'type', line: 4, message: 'must be an OpenSLO object (a mapping with apiVersion, kind, metadata and spec), got 42' },
    ],
  },
  {
    file: 'prometheus-query.yaml',
    it: 'requires {{.window}} in ratio PromQL, no other template variable, and balanced brackets',
    errors: [
      { path: 'documents[0].spec.ratioMetric.good.metricSource.spec.query', rule: 'query', line: 10, message: 'must contain {{.window}} where the range goes, e.g. rate(http_requests_total[{{.window}}]): the rule generator fills in each alert window' },
      { path: 'documents[0].spec.ratioMetric.total.metricSource.spec.query', rule: 'query', line: 14, message: 'uses {{.range}}; the only template variable is {{.window}}' },
      { path: 'documents[0].spec.ratioMetric.total.metricSource.spec.query', rule: 'query', line: 14, message: 'must contain {{.window}} where the range goes, e.g. rate(http_requests_total[{{.window}}]): the rule generator fills in each alert window' },
      { path: 'documents[0].spec.ratioMetric.total.metricSource.spec.query', rule: 'query', line: 14, message: 'has unbalanced brackets' },
    ],
  },
  {
    file: 'regression-without-tolerance.yaml',
    it: 'requires a tolerance with select correct on a regression model',
    errors: [
      { path: 'documents[0].spec.ratioMetric.good.metricSource.spec.tolerance', rule: 'required', line: 13, message: 'is required with select correct on a regression model (ride-demand): the largest |prediction - label| that counts as correct' },
    ],
  },
  {
    file: 'target-out-of-range.yaml',
    it: 'refuses a target outside (0, 1) and a targetPercent outside (0, 100)',
    errors: [
      { path: 'documents[0].spec.objectives[0].target', rule: 'range', line: 14, message: 'must be a number in (0, 1), got 1.5' },
      { path: 'documents[0].spec.objectives[1].targetPercent', rule: 'range', line: 15, message: 'must be a number in (0, 100), got 100' },
    ],
  },
  {
    file: 'time-zone.yaml',
    it: 'refuses time zones that are unknown, misspelt in case, or offsets',
    errors: [
      { path: 'documents[0].spec.timeWindow[0].calendar.timeZone', rule: 'time_zone', line: 15, message: 'must be an IANA time zone name such as UTC, Europe/Zurich or America/New_York, got "Mars/Olympus_Mons"' },
      { path: 'documents[1].spec.timeWindow[0].calendar.timeZone', rule: 'time_zone', line: 34, message: 'must be spelled as in the IANA database: Europe/Zurich, got "europe/zurich"' },
      { path: 'documents[2].spec.timeWindow[0].calendar.timeZone', rule: 'time_zone', line: 53, message: 'must be an IANA time zone name such as UTC, Europe/Zurich or America/New_York, got "+01:00"' },
    ],
  },
  {
    file: 'unknown-enum.yaml',
    it: 'names the allowed budgeting methods when given another',
    errors: [
      { path: 'documents[0].spec.budgetingMethod', rule: 'enum', line: 11, message: 'must be one of Occurrences, Timeslices, RatioTimeslices, got "occurrences"' },
    ],
  },
  {
    file: 'unknown-field.yaml',
    it: 'refuses an unknown field and lists the allowed ones',
    errors: [
      { path: 'documents[0].spec.objectives', rule: 'required', line: 7, message: 'is required (a list)' },
      { path: 'documents[0].spec.objective', rule: 'unknown_field', line: 14, message: 'is not a known field (allowed: description, service, indicator, indicatorRef, timeWindow, budgetingMethod, objectives, alertPolicies)' },
    ],
  },
  {
    file: 'unknown-kind.yaml',
    it: 'names the OpenSLO kinds when given another',
    errors: [
      { path: 'documents[0].kind', rule: 'unknown_kind', line: 2, message: 'must be one of SLO, SLI, DataSource, Service, AlertPolicy, AlertCondition, AlertNotificationTarget, got "ServiceLevelObjective"' },
    ],
  },
  {
    file: 'unknown-measure.yaml',
    it: 'names the allowed measures, the metrics a task has, and the features a model has',
    errors: [
      { path: 'documents[0].spec.thresholdMetric.metricSource.spec.measure', rule: 'enum', line: 9, message: 'must be one of dataset_drift_share, feature_drift:<feature>, performance:<metric>, estimated_performance:<metric>, freshness_seconds, label_coverage, got "drift"' },
      { path: 'documents[1].spec.thresholdMetric.metricSource.spec.measure', rule: 'enum', line: 20, message: 'must name a metric of a binary_classification model: one of accuracy, precision, recall, f1, roc_auc, pr_auc, log_loss, brier, ece, got "performance:mae"' },
      { path: 'documents[2].spec.thresholdMetric.metricSource.spec.measure', rule: 'unresolved_reference', line: 30, message: 'names no feature of model booking-spam (have: country, height_cm, note, returning), got "feature_drift:age"' },
    ],
  },
  {
    file: 'unknown-model.yaml',
    it: 'refuses a model the configuration does not declare',
    errors: [
      { path: 'documents[0].spec.ratioMetric.good.metricSource.spec.model', rule: 'unresolved_reference', line: 7, message: 'names no configured model (have: booking-spam, ride-demand, ticket-router), got "booking-spma"' },
      { path: 'documents[0].spec.ratioMetric.total.metricSource.spec.model', rule: 'unresolved_reference', line: 8, message: 'names no configured model (have: booking-spam, ride-demand, ticket-router), got "booking-spma"' },
    ],
  },
  {
    file: 'unknown-select.yaml',
    it: 'names the allowed selections when given another',
    errors: [
      { path: 'documents[0].spec.ratioMetric.good.metricSource.spec.select', rule: 'enum', line: 10, message: 'must be one of all, ok, latency_below, labelled, correct, not_quarantined, got "latency"' },
    ],
  },
  {
    file: 'unknown-service.yaml',
    it: 'requires a declared Service once the directory declares any',
    errors: [
      { path: 'documents[1].spec.service', rule: 'unresolved_reference', line: 11, message: 'names no Service (declared: unknown-service-checkout): once a directory declares Services, every SLO must name one, got "unknown-service-chekout"' },
    ],
  },
  {
    file: 'unreachable-burn-rate.yaml',
    it: 'refuses a burn-rate threshold the objective can never reach',
    errors: [
      { path: 'documents[0].spec.alertPolicies[0]', rule: 'unreachable', line: 21, message: 'AlertPolicy unreachable-burn-rate-page fires at burn rate >= 14.4, which objective objective-0 (target 90%) can never reach: at 100% errors its burn rate is 10' },
    ],
  },
  {
    file: 'unresolved-reference.yaml',
    it: 'reports every reference to a missing DataSource, SLI, AlertPolicy, AlertCondition and AlertNotificationTarget',
    errors: [
      { path: 'documents[0].spec.ratioMetric.good.metricSource.metricSourceRef', rule: 'unresolved_reference', line: 9, message: 'names no DataSource (none declared), got "unresolved-reference-prometheus"' },
      { path: 'documents[0].spec.ratioMetric.total.metricSource.metricSourceRef', rule: 'unresolved_reference', line: 13, message: 'names no DataSource (none declared), got "unresolved-reference-prometheus"' },
      { path: 'documents[1].spec.indicatorRef', rule: 'unresolved_reference', line: 22, message: 'names no SLI (declared: unresolved-reference-sli), got "unresolved-reference-missing-sli"' },
      { path: 'documents[1].spec.alertPolicies[0].alertPolicyRef', rule: 'unresolved_reference', line: 30, message: 'names no AlertPolicy (declared: unresolved-reference-page), got "unresolved-reference-policy"' },
      { path: 'documents[2].spec.conditions[0].conditionRef', rule: 'unresolved_reference', line: 38, message: 'names no AlertCondition (none declared), got "unresolved-reference-condition"' },
      { path: 'documents[2].spec.notificationTargets[0].targetRef', rule: 'unresolved_reference', line: 40, message: 'names no AlertNotificationTarget (none declared), got "unresolved-reference-pager"' },
    ],
  },
  {
    file: 'unsupported-feature.yaml',
    it: 'refuses precomputed ratios and composite SLOs as unsupported',
    errors: [
      { path: 'documents[0].spec.ratioMetric.raw', rule: 'unsupported', line: 9, message: 'precomputed ratios (raw, rawType) are not supported: give good (or bad) and total counts' },
      { path: 'documents[1].spec.objectives[0].indicatorRef', rule: 'unsupported', line: 26, message: 'composite SLOs (objectives with their own indicator) are not supported: write one SLO per indicator' },
      { path: 'documents[1].spec.objectives[0].compositeWeight', rule: 'unsupported', line: 27, message: 'composite SLOs (objectives with their own indicator) are not supported: write one SLO per indicator' },
    ],
  },
  {
    file: 'wrong-type.yaml',
    it: 'names the expected type and the value found',
    errors: [
      { path: 'documents[0].spec.timeWindow[0].isRolling', rule: 'type', line: 10, message: 'must be true or false, got "yes"' },
      { path: 'documents[0].spec.objectives[0].target', rule: 'type', line: 13, message: 'must be a number, got "99.9"' },
    ],
  },
  {
    file: 'yaml-syntax.yaml',
    it: 'reports a YAML syntax error with its line and column',
    errors: [
      { path: 'documents[0]', rule: 'yaml_syntax', line: 6, message: 'is not valid YAML at line 6, column 32: Flow sequence in block collection must be sufficiently indented and end with a ]' },
    ],
  },
]

describe('invalid fixtures, each on its own', () => {
  it('has a case for every file in fixtures/invalid', () => {
    expect(CASES.map((c) => c.file)).toEqual(readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort())
  })

  for (const { file, it: sentence, errors } of CASES) {
    it(`${file} ${sentence}`, () => {
      const result = parseSloSources([{ file, text: readFileSync(join(dir, file), 'utf8') }], { models: TEST_MODELS })
      expect(result.ok).toBe(false)
      expect(result.ok ? [] : result.errors).toEqual(errors.map((e) => ({ file, ...e })))
    })
  }
})

describe('invalid fixtures, as one directory', () => {
  it('reports problems in every file, not only the first', async () => {
    const result = await loadSloDirectory(dir, { models: TEST_MODELS })
    expect(result.ok).toBe(false)
    const errors: readonly SpecError[] = result.ok ? [] : result.errors
    expect([...new Set(errors.map((e) => basename(e.file)))].sort()).toEqual(CASES.map((c) => c.file))
    // Files can add problems to each other (a declared Service, more declared names to list), never hide one.
    const key = (file: string, e: { path: string; rule: string }): string => `${file} ${e.path} ${e.rule}`
    const found = new Set(errors.map((e) => key(basename(e.file), e)))
    for (const c of CASES) for (const e of c.errors) expect(found).toContain(key(c.file, e))
  })

  it('names files by the directory it was given', async () => {
    const result = await loadSloDirectory(dir, { models: TEST_MODELS })
    expect(result.ok ? [] : result.errors.map((e) => e.file)).toContain(join(dir, 'target-out-of-range.yaml'))
  })
})
