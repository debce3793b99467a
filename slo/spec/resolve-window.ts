import { parseDurationShorthand, parseFixedDuration } from './duration.ts'
import { describeValue, type PathSegment } from './issues.ts'
import type { IssueList } from './resolve-context.ts'
import type { SloSpec } from './schema.ts'
import { checkStartTime, checkTimeZone } from './time-zone.ts'
import type { ResolvedWindow } from './types.ts'
import type { SourceDocument } from './yaml-documents.ts'

/** Checks an SLO's one time window: a rolling fixed duration, or a calendar day, week or month in a time zone. */
export function checkWindow(issues: IssueList, doc: SourceDocument, spec: SloSpec): ResolvedWindow | undefined {
  const windows = spec.timeWindow
  if (windows === undefined) {
    issues.add(doc, ['spec', 'timeWindow'], 'required', 'is required by Highway: one rolling window ({duration: 30d, isRolling: true}) or one calendar window ({duration: 1M, calendar: {timeZone: UTC}})')
    return undefined
  }
  const window = windows[0]
  if (windows.length !== 1 || window === undefined) {
    issues.add(doc, ['spec', 'timeWindow'], 'range', `must list exactly one time window (OpenSLO v1), got ${windows.length} items`)
    return undefined
  }
  const at = (...path: PathSegment[]): PathSegment[] => ['spec', 'timeWindow', 0, ...path]
  if (window.isRolling === true) {
    if (window.calendar !== undefined) {
      issues.add(doc, at('calendar'), 'exclusive', 'does not apply to a rolling window (isRolling: true): remove it, or set isRolling: false for a calendar window')
      return undefined
    }
    const duration = parseFixedDuration(window.duration)
    if (!duration.ok) {
      issues.add(doc, at('duration'), 'format', `${duration.message}, got ${describeValue(window.duration)}`)
      return undefined
    }
    return { kind: 'rolling', seconds: duration.seconds }
  }
  const calendar = window.calendar
  const before = issues.count
  const parsed = parseDurationShorthand(window.duration)
  const unit = parsed?.count !== 1 ? undefined : parsed.unit === 'd' ? 'day' : parsed.unit === 'w' ? 'week' : parsed.unit === 'M' ? 'month' : undefined
  if (unit === undefined) {
    issues.add(doc, at('duration'), 'format', `must be 1d (a calendar day), 1w (a calendar week) or 1M (a calendar month) for a calendar window, got ${describeValue(window.duration)}`)
  }
  if (calendar === undefined) {
    issues.add(doc, at('calendar'), 'required', 'is required unless isRolling is true: a calendar window needs calendar.timeZone (for a rolling window, set isRolling: true)')
    return undefined
  }
  const zone = checkTimeZone(calendar.timeZone)
  if (!zone.ok) issues.add(doc, at('calendar', 'timeZone'), 'time_zone', `${zone.message}, got ${describeValue(calendar.timeZone)}`)
  if (calendar.startTime !== undefined) {
    const start = checkStartTime(calendar.startTime)
    if (!start.ok) issues.add(doc, at('calendar', 'startTime'), 'format', `${start.message}, got ${describeValue(calendar.startTime)}`)
  }
  if (issues.count > before || unit === undefined) return undefined
  return { kind: 'calendar', unit, timeZone: calendar.timeZone, ...(calendar.startTime === undefined ? {} : { startTime: calendar.startTime }) }
}

