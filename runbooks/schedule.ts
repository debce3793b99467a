import { parse, validateDetailed } from 'node-cron'

// Schedules run on the component's clock (simulated in the demo), so node-cron's own timers are not used: its parser
// gives the fields, and `latestSlot` finds the newest minute at or before `now` that matches them. Pure.

/** A parsed cron expression: the allowed values of each field (UTC). */
export interface CronFields {
  readonly minute: ReadonlySet<number>
  readonly hour: ReadonlySet<number>
  readonly dayOfMonth: ReadonlySet<number>
  readonly month: ReadonlySet<number>
  readonly dayOfWeek: ReadonlySet<number>
}

const numbers = (values: ReadonlyArray<number | string>): Set<number> => new Set(values.map(Number).filter((n) => Number.isInteger(n)))

/** Parses a node-cron expression (5 fields, or 6 with seconds, which schedules ignore: slots are minutes). */
export function parseCron(expression: string): { ok: true; fields: CronFields } | { ok: false; error: string } {
  const checked = validateDetailed(expression)
  if (!checked.valid) {
    const first = checked.errors[0]
    return { ok: false, error: `is not a valid cron expression${first ? `: ${first.field} ${first.message}` : ''}` }
  }
  const f = parse(expression)
  // node-cron numbers Sunday 0 or 7; Date#getUTCDay says 0.
  const dow = numbers(f.dayOfWeek)
  if (dow.has(7)) dow.add(0)
  return { ok: true, fields: { minute: new Set(f.minute), hour: new Set(f.hour), dayOfMonth: numbers(f.dayOfMonth), month: new Set(f.month), dayOfWeek: dow } }
}

const MINUTE_MS = 60_000

/** Whether the minute that starts at `ms` matches. */
export function matchesMinute(fields: CronFields, ms: number): boolean {
  const d = new Date(ms)
  return (
    fields.minute.has(d.getUTCMinutes()) &&
    fields.hour.has(d.getUTCHours()) &&
    fields.dayOfMonth.has(d.getUTCDate()) &&
    fields.month.has(d.getUTCMonth() + 1) &&
    fields.dayOfWeek.has(d.getUTCDay())
  )
}

/**
 * The start (epoch ms) of the newest matching minute in (`afterMs`, `nowMs`], or null. Walks back minute by minute,
 * at most `maxMinutes` (8 days by default: a weekly schedule is always found).
 */
export function latestSlot(fields: CronFields, nowMs: number, afterMs: number, maxMinutes = 8 * 24 * 60): number | null {
  let t = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS
  for (let i = 0; i < maxMinutes && t > afterMs; i++, t -= MINUTE_MS) if (matchesMinute(fields, t)) return t
  return null
}
