import { describe, expect, it } from 'vitest'
import type { DriftColumnResult, DriftResult } from '../drift.ts'
import type { PerformanceResult } from '../performance-report.ts'
import type { QualityResult } from '../quality.ts'
import { compactNumbers, prepareBins } from './charts.ts'
import { formatPValue, formatShare, niceScale, timeAxisLabels } from './format.ts'
import { escapeHtml, html, toHtmlString } from './html.ts'
import { renderReport, type ReportBucket, type ReportInput } from './index.ts'

const HOSTILE = '<script>window.__pwned=1</script>'

function column(over: Partial<DriftColumnResult> = {}): DriftColumnResult {
  return {
    feature: 'income',
    kind: 'numerical',
    test: 'wasserstein',
    statistic: 0.4,
    p_value: null,
    threshold: 0.1,
    threshold_source: 'test',
    drifted: true,
    method: 'exact',
    n_reference: 100,
    n_current: 80,
    status: 'ok',
    histogram: { bins: ['< 0', '0–10', '10–20', '≥ 20'], reference: [0, 60, 40, 0], current: [0, 20, 50, 10] },
    ...over,
  }
}

function drift(over: Partial<DriftResult> = {}): DriftResult {
  return {
    model: 'loans',
    version: '',
    from: '2026-01-01T00:00:00.000Z',
    to: '2026-01-01T12:00:00.000Z',
    reference: { n: 100, id: 'ref-1', source: 'records' },
    current: { n: 80 },
    dataset: { drift_share: 0.5, drifted: true, share_threshold: 0.5, features: 2, drifted_features: 1 },
    features: [
      column(),
      column({ feature: 'channel', kind: 'categorical', test: 'jensenshannon', statistic: 0.01, drifted: false, method: 'counts', histogram: { bins: [HOSTILE, 'app', 'web'], reference: [0, 50, 50], current: [10, 35, 35] } }),
    ],
    prediction: column({ feature: 'prediction', histogram: undefined }),
    label: null,
    multivariate: { method: 'pca_reconstruction', statistic: 0.9, lower: 0.6, upper: 0.8, drifted: true, n_current: 80 },
    correction: 'none',
    ...over,
  }
}

function bucket(i: number, over: { quality?: Partial<QualityResult>; performance?: Partial<PerformanceResult> } = {}): ReportBucket {
  const from = new Date(Date.UTC(2026, 0, 1, i)).toISOString()
  const to = new Date(Date.UTC(2026, 0, 1, i + 1)).toISOString()
  return {
    from,
    to,
    quality: {
      model: 'loans',
      from,
      to,
      status: 'ok',
      rows: 10,
      quarantined: 1,
      features: [{ feature: 'channel', missing_share: 0.1, out_of_range_share: 0, type_error_share: 0, unseen_category_share: 0.2, unseen_categories: [HOSTILE], constant: false }],
      volume: { rows: 10, expected: null, ratio: null, anomalous: false },
      freshness: { prediction_seconds: 1, label_seconds: null },
      label_coverage: 0.5,
      label_delay_seconds: { p50: null, p95: null },
      duplicate_ids: 0,
      ...over.quality,
    },
    performance: {
      model: 'loans',
      version: '',
      from,
      to,
      n_predictions: 10,
      n_labeled: 5,
      label_coverage: 0.5,
      source: 'realised',
      realised: { accuracy: 0.8, roc_auc: null },
      estimated: { accuracy: { value: 0.75, lower: 0.6, upper: 0.9 } },
      notes: { roc_auc: `not_enough_data: ${HOSTILE}` },
      comparison: {},
      slices: {},
      ...over.performance,
    },
  }
}

const input = (over: Partial<ReportInput> = {}): ReportInput => ({
  model: 'loans',
  from: '2026-01-01T00:00:00.000Z',
  to: '2026-01-01T12:00:00.000Z',
  drift: drift(),
  timeline: [0, 1, 2].map((i) => bucket(i)),
  generatedAt: '2026-01-01T12:05:00.000Z',
  ...over,
})

describe('html', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
  })

  it('escapes interpolated strings but keeps nested markup and drops null, undefined and false', () => {
    const inner = html`<b>${'<i>'}</b>`
    expect(toHtmlString(html`<p>${inner}${null}${undefined}${false}${[html`<br>`, '&']}${3}</p>`)).toBe('<p><b>&lt;i&gt;</b><br>&amp;3</p>')
  })
})

describe('formatting', () => {
  it.each([
    [0, '0%'],
    [0.0004, '<0.1%'],
    [0.0384, '3.8%'],
    [0.5, '50%'],
    [null, '—'],
  ])('shows the share %s as %s', (v, text) => {
    expect(formatShare(v)).toBe(text)
  })

  it('shows p-values with four decimals and tiny ones as <0.0001', () => {
    expect([formatPValue(0.04567), formatPValue(1e-9), formatPValue(null)]).toEqual(['0.0457', '<0.0001', '—'])
  })

  it('rounds an axis to steps of 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceScale(0, 0.38, 4)).toEqual({ lo: 0, hi: 0.4, step: 0.1 })
    expect(niceScale(0.62, 0.91, 4)).toMatchObject({ lo: 0.6, step: 0.1 })
    expect(niceScale(0, 0, 4).hi).toBeGreaterThan(0)
  })

  it('labels buckets of one day by time of day, and of several days by date and time', () => {
    expect(timeAxisLabels(['2026-01-01T04:00:00Z', '2026-01-01T05:00:00Z'])).toEqual(['04:00', '05:00'])
    expect(timeAxisLabels(['2026-01-01T22:00:00Z', '2026-01-02T02:00:00Z'])).toEqual(['01-01 22:00', '01-02 02:00'])
  })

  it('shortens large numbers in numeric bin labels', () => {
    expect(compactNumbers('31540–37690')).toBe('31.5k–37.7k')
    expect(compactNumbers('< 1200')).toBe('< 1200')
    expect(compactNumbers('≥ 2500000')).toBe('≥ 2.5M')
  })
})

describe('prepareBins', () => {
  it('drops the empty open bins at both ends of a numeric histogram but keeps empty bins inside', () => {
    expect(prepareBins('numerical', { bins: ['< 0', 'a', 'b', 'c', '≥ 9'], reference: [0, 5, 0, 5, 0], current: [0, 1, 0, 1, 0] }).bins).toEqual(['a', 'b', 'c'])
  })

  it('keeps the largest categories and sums the rest into one "other" bar', () => {
    const bins = Array.from({ length: 30 }, (_, i) => `c${i}`)
    const out = prepareBins('categorical', { bins, reference: bins.map((_, i) => i + 1), current: bins.map(() => 1) })
    expect(out.bins).toHaveLength(14)
    expect(out.bins.at(-1)).toBe('other (17)')
    expect(out.reference.reduce((s, n) => s + n, 0)).toBe(bins.reduce((s, _, i) => s + i + 1, 0))
  })
})

describe('renderReport', () => {
  it('writes one page with no script, no external resource and a policy that forbids loading any', () => {
    const page = renderReport(input())
    expect(page.startsWith('<!doctype html>')).toBe(true)
    expect(page).not.toMatch(/<script/i)
    expect(page).not.toMatch(/\b(?:src|href)\s*=\s*"(?!#)/i)
    expect(page).not.toMatch(/@import|url\(/i)
    expect(page).toContain('content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;')
  })

  it('escapes category values and notes that come from the data', () => {
    const page = renderReport(input())
    expect(page).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;')
    expect(page).not.toContain(HOSTILE)
  })

  it('marks drifted rows and cards, and draws one histogram per feature that has one', () => {
    const page = renderReport(input())
    expect(page).toMatch(/<tr class="row-drift" data-feature="income" data-drifted="true">/)
    expect(page).toMatch(/<tr class="row-ok" data-feature="channel" data-drifted="false">/)
    expect(page.match(/<svg class="chart histogram"/g)).toHaveLength(2)
    expect(page).toContain('Dataset drift detected')
  })

  it('says "not enough data" instead of drawing when a window is empty', () => {
    const empty = column({ status: 'not_enough_data', statistic: null, drifted: false, detail: 'needs at least 30 values', histogram: { bins: ['a'], reference: [0], current: [0] } })
    const page = renderReport(
      input({
        drift: drift({ current: { n: 0 }, dataset: { drift_share: 0, drifted: false, share_threshold: 0.5, features: 1, drifted_features: 0 }, features: [empty], prediction: null, multivariate: null }),
        timeline: [],
      }),
    )
    expect(page).toContain('No predictions in this window')
    expect(page).toContain('needs at least 30 values')
    expect(page).toContain('Not enough data: no values on either side.')
    expect(page).toContain('No multivariate result')
    expect(page.match(/No timeline: the report was made without per-bucket data\./g)).toHaveLength(2)
    expect(page).not.toContain('<svg class="chart histogram"')
  })

  it('leaves gaps for null metrics and says so when no bucket has any figure', () => {
    const page = renderReport(input({ timeline: [0, 1].map((i) => bucket(i, { performance: { realised: { accuracy: null }, estimated: { accuracy: null }, source: 'none' } })) }))
    expect(page).toContain('No performance figures')
    const partial = renderReport(input({ timeline: [bucket(0), bucket(1, { performance: { realised: { accuracy: null }, estimated: {} } }), bucket(2)] }))
    // Two runs of the realised accuracy line, broken by the empty bucket.
    expect(partial.match(/<g class="series" data-series="realised">(.*?)<\/g>/s)?.[1]?.match(/<polyline/g)).toHaveLength(2)
  })

  it('says "lower is better" on the charts of losses and errors, as the metric directions of model-metrics say', () => {
    const page = renderReport(input({ timeline: [0, 1].map((i) => bucket(i, { performance: { realised: { accuracy: 0.8, log_loss: 0.4 }, estimated: {} } })) }))
    expect(page).toContain('log_loss (lower is better)')
    expect(page).not.toContain('accuracy (lower is better)')
  })

  it('skips quality shares of buckets that received nothing', () => {
    const page = renderReport(input({ timeline: [bucket(0), bucket(1, { quality: { status: 'not_enough_data', rows: 0, quarantined: 0, label_coverage: null } }), bucket(2)] }))
    expect(page).toContain('data-chart="missing-share"')
    expect(page).toContain('data-chart="rows"')
  })
})
