import { BurnRateInputError } from "./errors.js";
const MS_PER_DAY = 24 * 60 * 60 * 1000;
const formatters = new Map();
function formatterFor(timeZone) {
    let formatter = formatters.get(timeZone);
    if (formatter === undefined) {
        try {
            formatter = new Intl.DateTimeFormat('en-US', {
                timeZone,
                hourCycle: 'h23',
                year: 'numeric',
                month: 'numeric',
                day: 'numeric',
                hour: 'numeric',
                minute: 'numeric',
                second: 'numeric',
            });
        }
        catch (cause) {
            throw Object.assign(new BurnRateInputError('timeZone', timeZone, 'an IANA time zone such as Europe/Paris'), { cause });
        }
        formatters.set(timeZone, formatter);
    }
    return formatter;
}
/** Local date and time of an instant in a time zone, read from Intl (which carries the tz database). */
function wallClockAt(epochMs, timeZone) {
    const fields = {};
    for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
        if (part.type !== 'literal')
            fields[part.type] = Number(part.value);
    }
    return {
        year: fields.year ?? Number.NaN,
        month: fields.month ?? Number.NaN,
        day: fields.day ?? Number.NaN,
        hour: fields.hour ?? Number.NaN,
        minute: fields.minute ?? Number.NaN,
        second: fields.second ?? Number.NaN,
    };
}
/** Offset of local time from UTC at an instant, in milliseconds (+3 600 000 for UTC+1). */
function offsetMsAt(epochMs, timeZone) {
    const wall = wallClockAt(epochMs, timeZone);
    const wholeSecondMs = Math.floor(epochMs / 1000) * 1000;
    return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - wholeSecondMs;
}
/**
 * First instant of a local calendar day. Usually local midnight; when a daylight-saving jump skips
 * midnight (America/Santiago in September) the day starts at the jump, and when clocks fall back
 * across midnight the day starts at the second, lasting midnight.
 *
 * Midnight read as UTC is shifted by the offsets in force one day before and one day after (time-zone
 * rules do not change twice within two days); of the shifted instants that really are local midnight
 * the earliest wins, and if none is, midnight was skipped and the later one is the jump itself.
 */
function startOfLocalDay(year, month, day, timeZone) {
    const asUtc = Date.UTC(year, month - 1, day);
    const candidates = [asUtc - offsetMsAt(asUtc - MS_PER_DAY, timeZone), asUtc - offsetMsAt(asUtc + MS_PER_DAY, timeZone)];
    const midnights = candidates.filter((instant) => {
        const wall = wallClockAt(instant, timeZone);
        return wall.year === year && wall.month === month && wall.day === day && wall.hour === 0 && wall.minute === 0 && wall.second === 0;
    });
    return midnights.length > 0 ? Math.min(...midnights) : Math.max(...candidates);
}
/** Calendar date `days` after a date (month and year roll over). */
function addDays(year, month, day, days) {
    const date = new Date(Date.UTC(year, month - 1, day + days));
    return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}
/**
 * Bounds of the SLO period that contains `nowMs` (Unix epoch milliseconds).
 * - rolling: the last `seconds` up to now, [now − seconds, now];
 * - calendar: the current day (00:00 to the next 00:00), ISO week (Monday 00:00 to the next Monday 00:00) or month (the 1st 00:00 to
 *   the next 1st 00:00) in `timeZone`, half-open. Local midnights are resolved through the tz database,
 *   so a period that spans a daylight-saving change is an hour shorter or longer than 7 × 24 h.
 */
export function periodBounds(window, nowMs) {
    if (!Number.isFinite(nowMs))
        throw new BurnRateInputError('nowMs', nowMs, 'a finite Unix time in milliseconds');
    if (window.kind === 'rolling') {
        if (!(Number.isFinite(window.seconds) && window.seconds > 0)) {
            throw new BurnRateInputError('window.seconds', window.seconds, 'a positive number of seconds');
        }
        return { startMs: nowMs - window.seconds * 1000, endMs: nowMs };
    }
    const today = wallClockAt(nowMs, window.timeZone);
    if (window.unit === 'month') {
        // Date.UTC months count from 0, so `today.month` (1-based) is already the next month.
        const nextMonth = new Date(Date.UTC(today.year, today.month, 1));
        return {
            startMs: startOfLocalDay(today.year, today.month, 1, window.timeZone),
            endMs: startOfLocalDay(nextMonth.getUTCFullYear(), nextMonth.getUTCMonth() + 1, 1, window.timeZone),
        };
    }
    if (window.unit === 'day') {
        const tomorrow = addDays(today.year, today.month, today.day, 1);
        return { startMs: startOfLocalDay(today.year, today.month, today.day, window.timeZone), endMs: startOfLocalDay(tomorrow.year, tomorrow.month, tomorrow.day, window.timeZone) };
    }
    if (window.unit !== 'week')
        throw new BurnRateInputError('window.unit', window.unit, "'day', 'week' or 'month'");
    // ISO 8601 weeks start on Monday; getUTCDay counts from Sunday = 0.
    const weekday = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay();
    const monday = addDays(today.year, today.month, today.day, -((weekday + 6) % 7));
    const nextMonday = addDays(monday.year, monday.month, monday.day, 7);
    return {
        startMs: startOfLocalDay(monday.year, monday.month, monday.day, window.timeZone),
        endMs: startOfLocalDay(nextMonday.year, nextMonday.month, nextMonday.day, window.timeZone),
    };
}
//# sourceMappingURL=period.js.map