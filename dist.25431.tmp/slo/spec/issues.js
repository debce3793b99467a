/** Formats a path as `spec.objectives[0].target`, quoting keys that are not identifiers: `annotations["highway.dev/wilson"]`. */
export function formatPath(path) {
    let out = '';
    for (const segment of path) {
        if (typeof segment === 'number')
            out += `[${segment}]`;
        else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment))
            out += out === '' ? segment : `.${segment}`;
        else
            out += `[${JSON.stringify(segment)}]`;
    }
    return out;
}
/** A value as error messages show it: JSON, shortened; `nothing` when absent. */
export function describeValue(value) {
    if (value === undefined)
        return 'nothing';
    if (typeof value === 'number' && !Number.isFinite(value))
        return String(value);
    const text = JSON.stringify(value);
    if (text === undefined)
        return String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
/** The value at a path inside a parsed document, or undefined. */
export function valueAt(root, path) {
    let node = root;
    for (const key of path) {
        if (node === null || typeof node !== 'object')
            return undefined;
        node = node[key];
    }
    return node;
}
/** Formats one error as `file: path: message (line N)`. */
export function formatSpecError(error) {
    const where = error.path === '' ? error.file : `${error.file}: ${error.path}`;
    const line = error.line !== undefined && error.rule !== 'yaml_syntax' ? ` (line ${error.line})` : '';
    return `${where}: ${error.message}${line}`;
}
const TYPE_NAMES = {
    string: 'a string',
    number: 'a number',
    boolean: 'true or false',
    object: 'a mapping',
    record: 'a mapping',
    array: 'a list',
};
// zod's own English messages start like this; messages written in this folder start with "must", "is", "allowed".
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too small|Too big|Unrecognized)/;
function own(message) {
    return ZOD_DEFAULT_MESSAGE.test(message) ? undefined : message;
}
function describeFound(value) {
    return Array.isArray(value) ? `${value.length} item${value.length === 1 ? '' : 's'}` : describeValue(value);
}
/**
 * Turns zod issues into problems that name the value and what was expected. Schemas here state the
 * expectation ("must be a number in (0, 1)"); this adds what was found. `raw` is the value that was parsed.
 */
export function issuesFromZod(issues, raw) {
    const out = [];
    for (const issue of issues) {
        const path = issue.path.filter((p) => typeof p !== 'symbol');
        const value = valueAt(raw, path);
        const ownMessage = own(issue.message);
        switch (issue.code) {
            case 'invalid_type': {
                const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
                if (value === undefined)
                    out.push({ path, rule: 'required', message: `is required (${expected})` });
                else
                    out.push({ path, rule: 'type', message: `${ownMessage ?? `must be ${expected}`}, got ${describeValue(value)}` });
                break;
            }
            case 'invalid_value': {
                const names = issue.values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
                const expected = names.length === 1 ? `must be ${JSON.stringify(issue.values[0])}` : `must be one of ${names.join(', ')}`;
                if (value === undefined)
                    out.push({ path, rule: 'required', message: `is required: ${expected.replace(/^must be /, '')}` });
                else
                    out.push({ path, rule: 'enum', message: `${ownMessage ?? expected}, got ${describeValue(value)}` });
                break;
            }
            case 'too_small':
            case 'too_big':
                out.push({ path, rule: 'range', message: `${issue.message}, got ${describeFound(value)}` });
                break;
            case 'invalid_format':
                out.push({ path, rule: 'format', message: `${issue.message}, got ${describeValue(value)}` });
                break;
            case 'unrecognized_keys':
                for (const key of issue.keys) {
                    out.push({ path: [...path, key], rule: 'unknown_field', message: `is not a known field (${ownMessage ?? 'remove it'})` });
                }
                break;
            case 'custom': {
                const rule = issue.params?.rule ?? 'invalid';
                out.push({ path, rule, message: issue.message });
                break;
            }
            case 'invalid_union':
                out.push({ path, rule: 'type', message: `${ownMessage ?? 'does not match any allowed form'}, got ${describeValue(value)}` });
                break;
            default:
                out.push({ path, rule: 'invalid', message: `${issue.message}, got ${describeValue(value)}` });
        }
    }
    return out;
}
//# sourceMappingURL=issues.js.map