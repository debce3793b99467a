import cron from 'node-cron'

// The next time a node-cron expression matches, computed from its expanded fields (node-cron's own `parse`) in UTC.
// node-cron computes next runs only from the wall clock; a simulated clock needs them from its own time. Matching
// follows node-cron's: month, day of month and day of week must all match (node-cron ANDs the two day fields).

const DAY_MS = 86_400_000
// Four years and a day cover every month/day-of-week combination that can exist (29 February on a given weekday
// needs up to 28 years, which is no schedule anyone writes; such expressions are refused at the limit).
const MAX_DAYS = 366 * 28

/** The expanded fields of an expression. */
export interface CronFields {
  readonly second: readonly number[]
  readonly minute: readonly number[]
  readonly hour: readonly number[]
  readonly dayOfMonth: readonly number[]
  readonly month: readonly number[]
  readonly dayOfWeek: readonly number[]
}

/** Parses a node-cron expression into its fields; throws naming the expression when node-cron refuses it. */
export function parseCron(expression: string): CronFields {
  if (!cron.validate(expression)) throw new Error(`"${expression}" is not a valid cron expression`)
  const f = cron.parse(expression) as unknown as Record<keyof CronFields, unknown[]>
  const numbers = (name: keyof CronFields): number[] => {
    const values = f[name]
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'number')) throw new Error(`"${expression}": the ${name} field uses a form the simulated clock cannot schedule (plain values, ranges, lists and steps only)`)
    return [...(values as number[])].sort((a, b) => a - b)
  }
  return { second: numbers('second'), minute: numbers('minute'), hour: numbers('hour'), dayOfMonth: numbers('dayOfMonth'), month: numbers('month'), dayOfWeek: numbers('dayOfWeek').map((d) => d % 7) }
}

/** The first instant strictly after `afterMs` (epoch ms) at which the fields match, in UTC. */
export function nextCronTime(fields: CronFields, afterMs: number): number {
  const start = new Date(Math.floor(afterMs / DAY_MS) * DAY_MS)
  for (let i = 0; i < MAX_DAYS; i++) {
    const day = new Date(start.getTime() + i * DAY_MS)
    if (!fields.month.includes(day.getUTCMonth() + 1) || !fields.dayOfMonth.includes(day.getUTCDate()) || !fields.dayOfWeek.includes(day.getUTCDay())) continue
    for (const h of fields.hour) {
      for (const m of fields.minute) {
        for (const s of fields.second) {
          const t = day.getTime() + h * 3_600_000 + m * 60_000 + s * 1000
          if (t > afterMs) return t
        }
      }
    }
  }
  throw new Error(`no time matches within ${MAX_DAYS} days of ${new Date(afterMs).toISOString()}`)
}
