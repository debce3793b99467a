import { RuleSloError } from "./errors.js";
/** Escapes a label value for a PromQL string literal (backslash, double quote, newline). */
function escapeLabelValue(value) {
    return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
/** `{a="1", b="2"}`: an equality matcher per label, names sorted, as Sloth writes its SLO filters. */
export function labelFilter(labels) {
    const matchers = Object.keys(labels)
        .sort()
        .map((name) => `${name}="${escapeLabelValue(labels[name] ?? '')}"`);
    return `{${matchers.join(', ')}}`;
}
const TEMPLATE_ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;
const WINDOW_ACTION = /^\.window$/;
/**
 * Puts a window (`5m`) where a query says `{{.window}}` (Sloth's Go-template placeholder; spaces and
 * `{{- -}}` trims are accepted). Any other template action is refused, as Sloth's `missingkey=error`
 * refuses unknown keys, and so is a query without the placeholder, which would record one ratio under
 * every window name.
 */
export function renderWindow(query, window, key) {
    let windows = 0;
    for (const match of query.matchAll(TEMPLATE_ACTION)) {
        if (!WINDOW_ACTION.test(match[1] ?? '')) {
            throw new RuleSloError(key, query, `a PromQL query whose only template action is {{.window}}, found ${match[0]}`);
        }
        windows += 1;
    }
    if (windows === 0)
        throw new RuleSloError(key, query, 'a PromQL query with {{.window}} where the range goes, e.g. rate(x[{{.window}}])');
    return query.replace(TEMPLATE_ACTION, window);
}
/**
 * A number as a PromQL literal: JavaScript's shortest round-trip form, the same digits Go's `%g`/`%v`
 * prints for the values Sloth writes (0.9990000000000001, 14.4). Exponents read `1e-7` where Go writes
 * `1e-07`; PromQL parses both to the same double.
 */
export function promNumber(value) {
    if (!Number.isFinite(value))
        throw new RuleSloError('number', value, 'a finite number');
    return String(value);
}
//# sourceMappingURL=promql.js.map