import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseConfig } from '../config/index.ts'
import { createHighwayClient } from '../sdk/index.ts'
import { tableName } from '../store/index.ts'
import { createLogger } from './logger.ts'
import { startService } from './service.ts'
import type { DriftResult, PerformanceResult } from '../analyzer/index.ts'
import { renderDrift, renderPerformance } from './analysis-commands.ts'
import type { Command } from './command-context.ts'
import { packagePath } from './package-root.ts'

// From the package root: this module runs from cli/ and from dist/cli/.
const HOUR_CSV = packagePath('datasets/bike-sharing/hour.csv')
const MODEL = 'bike-demand'

/** The demo model: hourly bike demand (UCI bike sharing), features as published, target `cnt`. */
const DEMO_CONFIG = {
  models: [
    {
      name: MODEL,
      task: 'regression',
      features: {
        season: { type: 'category', values: ['1', '2', '3', '4'] },
        hr: { type: 'number', min: 0, max: 23, integer: true },
        workingday: { type: 'boolean' },
        weathersit: { type: 'category', values: ['1', '2', '3', '4'] },
        temp: { type: 'number', min: 0, max: 1 },
        hum: { type: 'number', min: 0, max: 1 },
        windspeed: { type: 'number', min: 0, max: 1 },
      },
    },
  ],
  storage: { retentionDays: 3650 },
}

interface HourRow {
  readonly at: number
  readonly cnt: number
  readonly features: Record<string, number | string | boolean>
}

function readHours(limit: number | undefined): HourRow[] {
  const [header, ...lines] = readFileSync(HOUR_CSV, 'utf8').trim().split(/\r?\n/)
  const cols = header!.split(',')
  const at = (name: string) => cols.indexOf(name)
  const rows = lines.slice(0, limit).map((line) => {
    const v = line.split(',')
    const day = v[at('dteday')]!
    const hr = Number(v[at('hr')])
    return {
      at: Date.parse(`${day}T00:00:00Z`) + hr * 3_600_000,
      cnt: Number(v[at('cnt')]),
      features: {
        season: v[at('season')]!,
        hr,
        workingday: v[at('workingday')] === '1',
        weathersit: v[at('weathersit')]!,
        temp: Number(v[at('temp')]),
        hum: Number(v[at('hum')]),
        windspeed: Number(v[at('windspeed')]),
      },
    }
  })
  return rows
}

/**
 * The end-to-end demo on the embedded store: replays the bike-sharing hours shifted to end now, predicts each
 * hour with a naive seasonal forecaster (same hour a week before), ships predictions and, a day later,
 * labels through the SDK, plus a few broken records that must land in quarantine; then reports.
 */
export async function runDemo(options: { dataDir: string | undefined; rows: number | undefined; json: boolean; version: string }): Promise<number> {
  const dataDir = resolve(options.dataDir ?? './data/demo')
  rmSync(dataDir, { recursive: true, force: true })
  mkdirSync(dataDir, { recursive: true })
  const tty = process.stderr.isTTY && !options.json
  const say = (line: string) => {
    if (!options.json) process.stdout.write(`${line}\n`)
  }
  const config = parseConfig({ ...DEMO_CONFIG, server: { port: 0 }, storage: { ...DEMO_CONFIG.storage, dataDir } }, { source: 'demo config' })
  const service = await startService({ config, components: ['collector', 'analyzer'], logger: createLogger({ quiet: true }), version: options.version })
  try {
    say(`Highway ${options.version} demo — embedded ClickHouse at ${service.store.location}, collector at ${service.url}`)
    const hours = readHours(options.rows)
    const shift = Date.now() - 3_600_000 - hours[hours.length - 1]!.at
    const byTime = new Map(hours.map((h) => [h.at, h.cnt]))
    const client = createHighwayClient({ url: service.url, maxBatchRecords: 1000, flushIntervalMs: 200 })
    const started = performance.now()
    let shipped = 0
    for (const h of hours) {
      const t0 = performance.now()
      const lastWeek = byTime.get(h.at - 7 * 86_400_000) ?? byTime.get(h.at - 86_400_000) ?? h.cnt
      const latency = performance.now() - t0
      const id = `bike-${h.at}`
      client.logPrediction(MODEL, { id, ts: h.at + shift, version: 'naive-weekly', features: h.features, prediction: lastWeek, latency_ms: latency, status: 'ok' })
      client.logLabel(MODEL, { id, label: h.cnt, ts: h.at + shift + 86_400_000 > Date.now() ? Date.now() : h.at + shift + 86_400_000 })
      shipped++
      if (tty && shipped % 2000 === 0) process.stderr.write(`\rshipping ${shipped}/${hours.length} hours`)
    }
    // Broken records a real service sends sooner or later: each must be quarantined with its reason.
    const broken: Array<Record<string, number | string | boolean>> = [
      { hum: 3.5 },
      { temp: 'warm' },
      { season: '5' },
      { hr: 24.5 },
      { rain_mm: 2 },
    ]
    for (const [i, patch] of broken.entries()) {
      client.logPrediction(MODEL, { id: `broken-${i}`, ts: Date.now(), features: { ...hours[0]!.features, ...patch }, prediction: 10 })
    }
    await client.close()
    // Acknowledged means logged (ingest.acknowledge: logged); what follows reads ClickHouse, so wait for the log.
    await service.collector.writer.stored()
    if (tty) process.stderr.write('\r')
    const seconds = (performance.now() - started) / 1000
    const stats = client.stats()
    const summary = (await (await fetch(`${service.url}/v1/models/${MODEL}`)).json()) as Record<string, unknown>
    const t = (name: string) => tableName(service.store.ctx, name)
    const quarantine = await service.store.queryRows<{ reason: string }>(`SELECT arrayJoin(reasons) AS reason FROM ${t('quarantine')} WHERE model = {model:String} ORDER BY reason`, { model: MODEL })
    const error = await service.store.queryRows<{ year: number; n: number; mae: number }>(
      `SELECT toYear(fromUnixTimestamp64Milli(toUnixTimestamp64Milli(p.ts) - {shift:Int64})) AS year, count() AS n, round(avg(abs(p.prediction - l.label)), 1) AS mae
       FROM ${t('predictions')} AS p INNER JOIN (SELECT id, argMax(label, received_at) AS label FROM ${t('labels')} WHERE model = {model:String} GROUP BY id) AS l USING id
       WHERE p.model = {model:String} GROUP BY year ORDER BY year`,
      { model: MODEL, shift },
    )
    // The analyzer: 2011 (as replayed) is the reference; the last four weeks of 2012 are compared with it.
    const firstYearEnd = Date.parse('2012-01-01T00:00:00Z') + shift
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
      return res.json() as Promise<unknown>
    }
    await post(`/v1/models/${MODEL}/reference`, { from: hours[0]!.at + shift, to: firstYearEnd })
    const windowTo = hours[hours.length - 1]!.at + shift + 1
    const window = `from=${windowTo - 28 * 86_400_000}&to=${windowTo}`
    const [drift, perf] = await Promise.all([
      fetch(`${service.url}/v1/models/${MODEL}/drift?${window}`).then((r) => r.json() as Promise<DriftResult>),
      fetch(`${service.url}/v1/models/${MODEL}/performance?${window}`).then((r) => r.json() as Promise<PerformanceResult>),
    ])
    const result = { url: service.url, dataDir, seconds: Number(seconds.toFixed(2)), sdk: stats, model: summary, quarantine: quarantine.map((q) => q.reason), naive_forecast_error: error, drift, performance: perf }
    if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    else {
      say(`Shipped ${hours.length} predictions and labels in ${seconds.toFixed(1)} s (${Math.round((hours.length * 2) / seconds)} records/s through the SDK).`)
      say(`Stored: ${summary.predictions} predictions, ${summary.labels} labels; quarantined ${summary.quarantined}; last prediction at ${summary.last_prediction_at}.`)
      say('Quarantine reasons:')
      for (const q of quarantine) say(`  - ${q.reason}`)
      say('Naive weekly forecaster, mean absolute error by year of the original data (labels joined by id):')
      for (const e of error) say(`  year ${e.year}: ${e.n} hours, MAE ${e.mae} bikes/hour`)
      say('')
      say('Drift of the last four weeks of 2012 against 2011 (reference: a sample of 2011 as replayed):')
      say(renderDrift(drift))
      say('')
      say(renderPerformance(perf))
      say('')
      say('Next: `highway start` serves the same API on http://127.0.0.1:8080 (see README).')
    }
    return stats.dropped === 0 && Number(summary.quarantined) === broken.length ? 0 : 1
  } finally {
    await service.close()
  }
}

/** `highway demo [--data-dir D] [--rows N]`. */
export const demoCommand: Command = ({ args, version }) =>
  runDemo({ dataDir: args.values['data-dir'], rows: args.values.rows === undefined ? undefined : Number(args.values.rows), json: args.values.json ?? false, version })
