import { BurnRateInputError } from "./errors.js";
const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;
const MS_PER_WEEK = 7 * MS_PER_DAY;
const MS_PER_YEAR = 365 * MS_PER_DAY;
// Units of Prometheus durations (prometheus/common model/time.go). Years and weeks are written only when
// they divide the duration exactly, so 90 days reads `90d`, 28 days `4w` and 30 days `30d`: this is how
// Prometheus (and therefore Sloth, which names its `ratio_rate<window>` rules with it) spells windows.
const UNITS = [
    { unit: 'y', ms: MS_PER_YEAR, onlyExact: true },
    { unit: 'w', ms: MS_PER_WEEK, onlyExact: true },
    { unit: 'd', ms: MS_PER_DAY, onlyExact: false },
    { unit: 'h', ms: MS_PER_HOUR, onlyExact: false },
    { unit: 'm', ms: MS_PER_MINUTE, onlyExact: false },
    { unit: 's', ms: MS_PER_SECOND, onlyExact: false },
    { unit: 'ms', ms: 1, onlyExact: false },
];
const DURATION_PATTERN = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
/** Formats seconds the way Prometheus prints a duration (`300` → `5m`, `2419200` → `4w`, `2592000` → `30d`). */
export function formatPromDuration(seconds) {
    if (!(Number.isFinite(seconds) && seconds >= 0))
        throw new BurnRateInputError('seconds', seconds, 'a finite duration ≥ 0');
    let ms = Math.round(seconds * MS_PER_SECOND);
    if (ms === 0)
        return '0s';
    let text = '';
    for (const { unit, ms: unitMs, onlyExact } of UNITS) {
        if (onlyExact && ms % unitMs !== 0)
            continue;
        const count = Math.floor(ms / unitMs);
        if (count > 0) {
            text += `${count}${unit}`;
            ms -= count * unitMs;
        }
    }
    return text;
}
/** Parses a Prometheus duration (`1h30m`, `4w`, `500ms`) into seconds; throws on anything else. */
export function parsePromDuration(text) {
    const match = DURATION_PATTERN.exec(text);
    if (text === '' || match === null) {
        throw new BurnRateInputError('duration', text, 'a Prometheus duration such as 5m, 1h30m or 4w');
    }
    const unitMs = [MS_PER_YEAR, MS_PER_WEEK, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND, 1];
    let ms = 0;
    unitMs.forEach((scale, index) => {
        const digits = match[index + 1];
        if (digits !== undefined)
            ms += Number(digits) * scale;
    });
    return ms / MS_PER_SECOND;
}
//# sourceMappingURL=duration.js.map