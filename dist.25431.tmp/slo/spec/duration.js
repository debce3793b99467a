import { FIXED_DURATION_UNIT_SECONDS } from "./const.js";
// OpenSLO: "a positive integer number followed by a case-sensitive single-character postfix"
// (README, "duration-shorthand"; schemas/v1/parts/duration-shorthand.schema.json: ^[1-9][0-9]*[mhdwMQY]$).
const SHORTHAND = /^([1-9][0-9]*)([mhdwMQY])$/;
/** Parses an OpenSLO duration-shorthand; undefined when the text is not one. */
export function parseDurationShorthand(text) {
    const match = SHORTHAND.exec(text);
    if (match === null)
        return undefined;
    return { count: Number(match[1]), unit: match[2] };
}
/**
 * Parses a duration of fixed length (`5m`, `1h`, `28d`, `1w`) to seconds. Months, quarters and years vary in
 * length and are refused; `allowZero` also accepts `0m` (OpenSLO's default `alertAfter`).
 */
export function parseFixedDuration(value, options = {}) {
    const expected = 'must be a duration such as 5m, 1h, 28d or 1w (a positive integer and one of m, h, d, w)';
    if (typeof value !== 'string')
        return { ok: false, message: expected };
    if (options.allowZero === true && /^0[mhdw]$/.test(value))
        return { ok: true, seconds: 0 };
    const parsed = parseDurationShorthand(value);
    if (parsed === undefined)
        return { ok: false, message: expected };
    if (parsed.unit === 'M' || parsed.unit === 'Q' || parsed.unit === 'Y') {
        return { ok: false, message: `must have a fixed length: months, quarters and years vary, so write days or weeks (30d, 4w, 13w, 365d)` };
    }
    const seconds = parsed.count * FIXED_DURATION_UNIT_SECONDS[parsed.unit];
    if (!Number.isSafeInteger(seconds))
        return { ok: false, message: 'is too long' };
    return { ok: true, seconds };
}
/** Formats seconds as the largest whole unit of d, h, m or s: `2592000` → `30d`. */
export function formatDurationSeconds(seconds) {
    if (seconds === 0)
        return '0s';
    for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60]]) {
        if (seconds % size === 0)
            return `${seconds / size}${unit}`;
    }
    return `${seconds}s`;
}
//# sourceMappingURL=duration.js.map