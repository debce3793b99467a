import { readFileSync, writeFileSync } from 'node:fs'

/** One hour of the UCI bike-sharing data: when (data time, UTC), the features as the model takes them, the real count. */
export interface BikeHour {
  /** Epoch ms of the hour's start in the data (2011-01-01 … 2012-12-31). */
  readonly dataMs: number
  readonly features: Readonly<Record<string, string | number | boolean>>
  readonly cnt: number
}

const HOUR_MS = 3_600_000

/** Parses hour.csv (header, one line an hour): features as the demo config declares them, `cnt` as the label. */
export function parseBikeHours(text: string): BikeHour[] {
  const [header, ...lines] = text.trim().split(/\r?\n/)
  const cols = header!.split(',')
  const at = (name: string): number => {
    const i = cols.indexOf(name)
    if (i < 0) throw new Error(`hour.csv: no column "${name}" (columns: ${cols.join(', ')})`)
    return i
  }
  const c = { dteday: at('dteday'), season: at('season'), hr: at('hr'), holiday: at('holiday'), weekday: at('weekday'), workingday: at('workingday'), weathersit: at('weathersit'), temp: at('temp'), atemp: at('atemp'), hum: at('hum'), windspeed: at('windspeed'), cnt: at('cnt') }
  return lines.map((line) => {
    const v = line.split(',')
    return {
      dataMs: Date.parse(`${v[c.dteday]}T00:00:00Z`) + Number(v[c.hr]) * HOUR_MS,
      cnt: Number(v[c.cnt]),
      features: {
        season: v[c.season]!,
        hr: v[c.hr]!,
        weekday: v[c.weekday]!,
        weathersit: v[c.weathersit]!,
        holiday: v[c.holiday] === '1',
        workingday: v[c.workingday] === '1',
        temp: Number(v[c.temp]),
        atemp: Number(v[c.atemp]),
        hum: Number(v[c.hum]),
        windspeed: Number(v[c.windspeed]),
      },
    }
  })
}

/** Writes the lines of hour.csv whose day is before `beforeDay` (YYYY-MM-DD): the training year, as a file the pipeline reads. */
export function writeTrainingCsv(sourceCsv: string, targetCsv: string, beforeDay: string): number {
  const [header, ...lines] = readFileSync(sourceCsv, 'utf8').trim().split(/\r?\n/)
  const day = header!.split(',').indexOf('dteday')
  const kept = lines.filter((l) => l.split(',')[day]! < beforeDay)
  writeFileSync(targetCsv, `${[header, ...kept].join('\n')}\n`)
  return kept.length
}

const WEEK_MS = 7 * 86_400_000

/**
 * The shift from data time to simulated time: a whole number of weeks (hour of day and weekday stay true), so that
 * the data's last hour lands at least a week before `realNowMs`. Rows then sit within the last two years, inside a
 * 3650-day retention on ClickHouse's real-clock TTLs.
 */
export function timeShiftMs(lastDataMs: number, realNowMs: number): number {
  return Math.floor((realNowMs - WEEK_MS - lastDataMs) / WEEK_MS) * WEEK_MS
}
