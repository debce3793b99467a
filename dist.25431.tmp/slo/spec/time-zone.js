let canonicalByLowerCase;
function canonicalNames() {
    if (canonicalByLowerCase === undefined) {
        // Node's ICU lists canonical IANA zones but leaves out "UTC" (it lists no Etc/ aliases either).
        const names = [...Intl.supportedValuesOf('timeZone'), 'UTC'];
        canonicalByLowerCase = new Map(names.map((name) => [name.toLowerCase(), name]));
    }
    return canonicalByLowerCase;
}
/**
 * Checks an IANA time zone name as OpenSLO's `calendar.timeZone` requires ("name as in IANA Time Zone
 * Database"): ICU must know it, it must be a name rather than an offset, and spelled with IANA's case.
 */
export function checkTimeZone(name) {
    const expected = 'must be an IANA time zone name such as UTC, Europe/Zurich or America/New_York';
    if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name))
        return { ok: false, message: expected };
    try {
        new Intl.DateTimeFormat('en-US', { timeZone: name });
    }
    catch {
        return { ok: false, message: expected };
    }
    // ICU matches zone names case-insensitively; the IANA database and other tools do not.
    const canonical = canonicalNames().get(name.toLowerCase());
    if (canonical !== undefined && canonical !== name)
        return { ok: false, message: `must be spelled as in the IANA database: ${canonical}` };
    return { ok: true };
}
/**
 * Checks a calendar `startTime`: `YYYY-MM-DD HH:MM:SS`, 24-hour, without a zone (OpenSLO README, "SLO";
 * schemas/v1/parts/slo-spec.schema.json), and a date that exists.
 */
export function checkStartTime(text) {
    const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
    const expected = 'must be a local date and time "YYYY-MM-DD HH:MM:SS" (24-hour, no zone: the zone is calendar.timeZone)';
    if (match === null)
        return { ok: false, message: expected };
    const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    const exists = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
    return exists ? { ok: true } : { ok: false, message: `${expected}; that date or time does not exist` };
}
//# sourceMappingURL=time-zone.js.map