import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest'
import type { DriftResult } from '../analyzer/index.ts'
import { connect } from '../cli/remote.ts'
import { defaultReportPath, parseBucketCount, runReportCommand, splitWindow } from '../cli/report-command.ts'
import { postJson, startTestService } from './support/service.ts'
import { makeTempDir } from './support/temp-dir.ts'
import { drawApplicant, LOAN_FEATURES, LOAN_NOTES } from './support/loans.ts'
import { mulberry32 } from '../random/index.ts'

// `highway report` end to end: a real service with a drifting window, the command run in-process and once through
// the CLI, and the page opened in headless Chromium with the network cut off. The screenshot is kept for humans.
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const ARTIFACTS = join(ROOT, 'test-artifacts')
const CHROMIUM = '/usr/bin/chromium'
const NO_CHROMIUM = `${CHROMIUM} is missing: the report test renders the page in headless Chromium; install it with \`apt-get install chromium\``
const HOUR = 3_600_000
const HOSTILE = '<script>window.__pwned=1</script>'


/** Loan applications; `shift(i)` moves income up, and shifted rows may come from a channel the reference never saw. */
function rows(seed: number, n: number, o: { prefix: string; shift?: (i: number) => number; fromMs?: number; spanMs?: number }) {
  const r = mulberry32(seed)
  return Array.from({ length: n }, (_, i) => {
    const s = o.shift?.(i) ?? 0
    const { income, age, score } = drawApplicant(r, s)
    const region = r() < 0.05 ? undefined : ['N', 'S', 'E', 'W'][Math.floor(r() * 4)]!
    return {
      id: `${o.prefix}-${i}`,
      ...(o.fromMs !== undefined && o.spanMs !== undefined ? { ts: o.fromMs + Math.floor((i / n) * o.spanMs) } : {}),
      features: { income, age, ...(region ? { region } : {}), channel: ['web', 'app', 'phone', HOSTILE][Math.floor(r() * (s > 0 ? 4 : 3))]!, note: LOAN_NOTES[i % 3]!, returning: r() < 0.3 },
      prediction: score,
      label: r() < score ? 1 : 0,
    }
  })
}

const LOANS = {
  name: 'loans',
  task: 'binary_classification',
  features: {
    ...LOAN_FEATURES,
    // No value list: any channel is accepted, so a hostile value reaches the histogram and the quality table.
    channel: { type: 'category' },
  },
}

const BUCKETS = 12
const toMs = Math.floor(Date.now() / HOUR) * HOUR - HOUR
const fromMs = toMs - BUCKETS * HOUR
const N = 1800

let service: Awaited<ReturnType<typeof startTestService>>
let tmp: ReturnType<typeof makeTempDir>
let reportPath: string
let progress: string[]
let drift: DriftResult
let gaugesBefore: string[]

// The gauges alert rules read (issue 10: running a report used to overwrite them with whatever window it asked for).
const ANALYZER_GAUGES = /^highway_(feature_drift_score|feature_drifted|dataset_drift_share|model_performance|data_quality|label_coverage)\{/
const gauges = async () => (await (await fetch(`${service.url}/metrics`)).text()).split('\n').filter((l) => ANALYZER_GAUGES.test(l)).sort()

beforeAll(async () => {
  service = await startTestService({ models: [LOANS], storage: { retentionDays: 30 } })
  tmp = makeTempDir('report')
  const post = async (path: string, body: unknown) => {
    const res = await postJson(`${service.url}${path}`, body)
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300)
    return res.body
  }
  await post('/v1/models/loans/reference', { records: rows(1, 2000, { prefix: 'ref' }) })
  // The second half of the window drifts more and more: income up by up to 50%, and a new channel.
  const current = rows(2, N, { prefix: 'cur', fromMs, spanMs: BUCKETS * HOUR, shift: (i) => (i > N / 2 ? (0.5 * (i - N / 2)) / (N / 2) : 0) })
  expect((await post('/v1/predictions', { model: 'loans', records: current.map(({ label: _l, ...p }) => p) })).accepted).toBe(N)
  // Labels for every other row of the first two thirds: realised metrics there, CBPE estimates after.
  const labels = current.slice(0, (2 * N) / 3).filter((_, i) => i % 2 === 0)
  expect((await post('/v1/labels', { model: 'loans', records: labels.map((r) => ({ id: r.id, label: r.label })) })).accepted).toBe(labels.length)
  // Out-of-range incomes in the fourth bucket: quarantined, and visible in the quality charts.
  await post('/v1/predictions', { model: 'loans', records: [0, 1, 2, 3].map((k) => ({ id: `bad-${k}`, ts: fromMs + 3 * HOUR + k * 60_000, features: { income: -5, age: 30, channel: 'web', note: 'x', returning: false }, prediction: 0.5 })) })
  // The report reads ClickHouse, which a 202 precedes (acknowledge: logged).
  expect(await service.collector.writer.stored()).toBe(true)

  drift = (await (await fetch(`${service.url}/v1/models/loans/drift?from=${fromMs}&to=${toMs}`)).json()) as DriftResult
  // A stored run of the first bucket publishes the gauges; the reports below must leave them as they are.
  await post('/v1/models/loans/analysis/run', { from: fromMs, to: fromMs + HOUR })
  gaugesBefore = await gauges()
  progress = []
  reportPath = await runReportCommand(connect({ url: service.url, env: {} }), {
    model: 'loans',
    from: new Date(fromMs).toISOString(),
    to: String(toMs),
    buckets: BUCKETS,
    out: join(tmp.dir, 'nested', 'report.html'),
    json: false,
    progress: { isTTY: true, write: (s: string) => progress.push(s) },
    now: () => toMs + 5 * 60_000,
  })
  mkdirSync(ARTIFACTS, { recursive: true })
  copyFileSync(reportPath, join(ARTIFACTS, 'report.html'))
}, 120_000)

afterAll(async () => {
  await service?.stop()
  tmp?.cleanup()
})

describe('splitWindow', () => {
  it.each([
    ['twelve hours into twelve buckets of an hour', 0, 12 * HOUR, 12, 12],
    ['ten milliseconds into three buckets', 0, 10, 3, 3],
    ['five milliseconds into at most five buckets', 0, 5, 12, 5],
    ['an empty window into nothing', 5, 5, 3, 0],
  ])('splits %s', (_name, from, to, count, expected) => {
    const buckets = splitWindow(from, to, count)
    expect(buckets).toHaveLength(expected)
    if (expected === 0) return
    expect(buckets[0]!.fromMs).toBe(from)
    expect(buckets.at(-1)!.toMs).toBe(to)
    buckets.forEach((b, i) => {
      expect(b.toMs).toBeGreaterThan(b.fromMs)
      if (i > 0) expect(b.fromMs).toBe(buckets[i - 1]!.toMs)
    })
  })

  it('accepts --buckets from 1 to 96 and names the flag and the value otherwise', () => {
    expect(parseBucketCount(undefined)).toEqual({ ok: true, value: 12 })
    expect(parseBucketCount('24')).toEqual({ ok: true, value: 24 })
    for (const bad of ['0', '97', '2.5', 'ten', '']) expect(parseBucketCount(bad)).toEqual({ ok: false, error: expect.stringContaining(`--buckets must be an integer from 1 to 96, got "${bad}"`) })
  })

  it('names the default file after the model, with nothing a file system would trip on', () => {
    expect(defaultReportPath('loans')).toBe('report-loans.html')
    expect(defaultReportPath('a/b c')).toBe('report-a_b_c.html')
  })
})

describe('highway report', () => {
  it('writes one page with the drift verdict and the window, creating the directory, and returns its path', () => {
    expect(reportPath).toBe(join(tmp.dir, 'nested', 'report.html'))
    const page = readFileSync(reportPath, 'utf8')
    expect(page.startsWith('<!doctype html>')).toBe(true)
    expect(page).toContain(`${new Date(fromMs).toISOString().slice(0, 10)} ${new Date(fromMs).toISOString().slice(11, 16)} UTC`)
    expect(drift.features.find((f) => f.feature === 'income')?.drifted).toBe(true)
    expect(page).toMatch(/<tr class="row-drift" data-feature="income" data-drifted="true">/)
    expect(page).not.toContain(HOSTILE)
    expect(page).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;')
  })

  it('shows progress on a terminal and clears the line when done', () => {
    expect(progress.join('')).toContain(`fetched ${BUCKETS} of ${BUCKETS} buckets`)
    expect(progress.at(-1)).toBe('\r\x1b[2K')
  })

  it('prints a JSON document with --json, and stays quiet on a non-terminal', async () => {
    const quiet: string[] = []
    const out = await runReportCommand(connect({ url: service.url, env: {} }), {
      model: 'loans',
      from: String(fromMs),
      to: String(toMs),
      buckets: 3,
      out: join(tmp.dir, 'json.html'),
      json: true,
      progress: { isTTY: false, write: (s: string) => quiet.push(s) },
    })
    const doc = JSON.parse(out)
    expect(doc).toMatchObject({ out: join(tmp.dir, 'json.html'), model: 'loans', buckets: 3, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), dataset_drifted: drift.dataset.drifted })
    expect(doc.drifted_features).toEqual(expect.arrayContaining(['income', 'channel']))
    expect(doc.bytes).toBe(statSync(doc.out).size)
    expect(quiet).toEqual([])
  })

  it('fails with the service’s message for an unknown model, and writes nothing', async () => {
    const out = join(tmp.dir, 'unknown.html')
    await expect(runReportCommand(connect({ url: service.url, env: {} }), { model: 'nope', json: false, out })).rejects.toThrow(/404 .*model "nope" is not configured/)
    expect(existsSync(out)).toBe(false)
  })

  it('runs as `highway report` from the command line', async () => {
    const out = join(tmp.dir, 'cli.html')
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HIGHWAY_')))
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['bin/highway.mjs', 'report', '--model', 'loans', '--from', new Date(fromMs).toISOString(), '--to', new Date(toMs).toISOString(), '--buckets', '4', '--out', out, '--url', service.url],
      { cwd: ROOT, env, timeout: 60_000 },
    )
    expect(stdout.trim()).toBe(out)
    expect(stderr).not.toContain('fetched')
    const page = readFileSync(out, 'utf8')
    expect(page.match(/<g class="stack">/g)).toHaveLength(4)
    expect(page).toContain('<svg class="chart histogram" data-feature="income"')
  })
})

describe('highway report and the gauges', () => {
  it('reports the newest stored window when given none', async () => {
    const doc = JSON.parse(await runReportCommand(connect({ url: service.url, env: {} }), { model: 'loans', buckets: 2, out: join(tmp.dir, 'stored.html'), json: true }))
    expect(doc).toMatchObject({ from: new Date(fromMs).toISOString(), to: new Date(fromMs + HOUR).toISOString(), buckets: 2 })
  })

  it('leaves the gauges alert rules read as the stored run set them, however many windows the reports asked for', async () => {
    expect(gaugesBefore.some((l) => l.startsWith('highway_dataset_drift_share{model="loans",version="all"}'))).toBe(true)
    expect(await gauges()).toEqual(gaugesBefore)
  })
})

describe('the report in headless Chromium', () => {
  let browser: Browser | undefined
  let page: Page
  const consoleErrors: string[] = []
  const pageErrors: string[] = []
  const offline: string[] = []

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      // In CI a missing browser is a broken image, not a reason to skip the only test of what users see.
      if (process.env.CI === 'true') throw new Error(NO_CHROMIUM)
      process.stderr.write(`skipping the browser checks of the report: ${NO_CHROMIUM}\n`)
      return
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text())
    })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) offline.push(r.url())
    })
    // The page must be self-contained: anything but the file itself is refused and recorded.
    await page.route('**/*', async (route) => {
      const url = route.request().url()
      if (url.startsWith('file:')) return route.continue()
      offline.push(url)
      return route.abort('blockedbyclient')
    })
    await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
  })

  const needChromium = (ctx: TestContext) => {
    if (!browser) ctx.skip(NO_CHROMIUM)
  }

  it('loads without console errors, page errors or any network request, and runs no script', async (ctx) => {
    needChromium(ctx)
    expect(consoleErrors).toEqual([])
    expect(pageErrors).toEqual([])
    expect(offline).toEqual([])
    expect(await page.evaluate(() => ({ scripts: document.scripts.length, pwned: 'pwned' in window || '__pwned' in window }))).toEqual({ scripts: 0, pwned: false })
  })

  it('draws a reference-vs-current histogram with visible bars for every feature that has one', async (ctx) => {
    needChromium(ctx)
    const expected = drift.features.filter((f) => f.histogram && f.histogram.reference.some((n) => n > 0)).map((f) => f.feature)
    expect(expected.length).toBeGreaterThanOrEqual(4)
    const drawn = await page.$$eval('svg.histogram', (svgs) =>
      svgs.map((svg) => {
        const tallest = (selector: string) => Math.max(0, ...Array.from(svg.querySelectorAll(selector)).map((r) => r.getBoundingClientRect().height))
        return { feature: svg.getAttribute('data-feature'), width: svg.getBoundingClientRect().width, reference: tallest('.bar-reference'), current: tallest('.bar-current') }
      }),
    )
    expect(drawn.map((d) => d.feature).sort()).toEqual([...expected].sort())
    for (const d of drawn) {
      expect(d.width, d.feature ?? '').toBeGreaterThan(200)
      expect(d.reference, `${d.feature} reference bars`).toBeGreaterThan(5)
      expect(d.current, `${d.feature} current bars`).toBeGreaterThan(5)
    }
    // The hostile category value is drawn as text under its bar, not run.
    const labels = await page.$$eval('svg.histogram[data-feature="channel"] text title', (ts) => ts.map((t) => t.textContent))
    expect(labels).toContain(HOSTILE)
  })

  it('marks the drifted features in the drift table in the warm colour, and only them', async (ctx) => {
    needChromium(ctx)
    const rows = await page.$$eval('table.drift-table tr[data-feature]', (trs) =>
      trs.map((tr) => ({ feature: tr.getAttribute('data-feature'), drifted: tr.getAttribute('data-drifted'), background: getComputedStyle(tr.querySelector('td')!).backgroundColor })),
    )
    const income = rows.find((r) => r.feature === 'income')
    const age = rows.find((r) => r.feature === 'age')
    expect(income).toMatchObject({ drifted: 'true', background: 'rgb(255, 241, 230)' })
    expect(age).toMatchObject({ drifted: 'false', background: 'rgba(0, 0, 0, 0)' })
    expect(rows.filter((r) => r.drifted === 'true').map((r) => r.feature).sort()).toEqual(
      [...drift.features, ...(drift.prediction ? [drift.prediction] : []), ...(drift.label ? [drift.label] : [])].filter((f) => f.drifted).map((f) => f.feature).sort(),
    )
  })

  it('draws quality and performance over time: one bar per bucket, coverage and metric lines, the estimate’s band', async (ctx) => {
    needChromium(ctx)
    const charts = await page.evaluate(() => ({
      stacks: document.querySelectorAll('svg[data-chart="rows"] g.stack').length,
      quarantined: document.querySelectorAll('svg[data-chart="rows"] rect[data-series="quarantined"]').length,
      coverage: document.querySelectorAll('svg[data-chart="label-coverage"] circle.dot').length,
      outOfRange: document.querySelectorAll('svg[data-chart="out-of-range-share"] g.series').length,
      accuracyLines: document.querySelectorAll('svg[data-chart="metric-accuracy"] polyline.line').length,
      bands: document.querySelectorAll('svg[data-chart="metric-accuracy"] .band').length,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
    }))
    expect(charts).toMatchObject({ stacks: BUCKETS, quarantined: 1, coverage: BUCKETS, outOfRange: 1, overflow: 0 })
    expect(charts.accuracyLines).toBeGreaterThanOrEqual(2)
    expect(charts.bands).toBeGreaterThanOrEqual(1)
  })

  it('keeps a full-page screenshot as a test artifact', async (ctx) => {
    needChromium(ctx)
    const path = join(ARTIFACTS, 'report.png')
    await page.screenshot({ path, fullPage: true })
    const png = readFileSync(path)
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect(png.length).toBeGreaterThan(50_000)
    // A note, not an attachment: attachments are copied into .vitest-attachments/ at the repo root.
    await ctx.annotate(`report screenshot: ${path}`)
  })
})
