// `--buckets` of `highway report`, apart from the command so its help loads without the report renderer.
/** Buckets of the "over time" charts unless `--buckets` says otherwise. */
export const DEFAULT_REPORT_BUCKETS = 12;
/** Upper bound of `--buckets`: each bucket costs two requests, and more bars than this are unreadable anyway. */
export const MAX_REPORT_BUCKETS = 96;
/** Parses `--buckets`: an integer from 1 to MAX_REPORT_BUCKETS, default DEFAULT_REPORT_BUCKETS. */
export function parseBucketCount(raw) {
    if (raw === undefined)
        return { ok: true, value: DEFAULT_REPORT_BUCKETS };
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < 1 || n > MAX_REPORT_BUCKETS)
        return { ok: false, error: `--buckets must be an integer from 1 to ${MAX_REPORT_BUCKETS}, got "${raw}"` };
    return { ok: true, value: n };
}
//# sourceMappingURL=report-buckets.js.map