import { formatDurationSeconds } from "./duration.js";
import { formatSpecError } from "./issues.js";
import { loadSloDirectory } from "./load.js";
/** Help text for `highway slo validate`. */
export const SLO_VALIDATE_HELP = `Usage: highway slo validate DIR [--config F] [--json]

Validates the OpenSLO v1 specs (SLO, SLI, DataSource, Service, AlertPolicy, AlertCondition,
AlertNotificationTarget) in every *.yaml and *.yml under DIR, resolves their references, and lists
the SLOs found, or every problem with its file, path and line. Exit code 1 when any spec is invalid.
  --config F      also check model names, features, tasks and metrics against the configured models
  --json          print one JSON document
  -h, --help      this help`;
function table(header, rows) {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
    return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
function describeWindow(slo) {
    const w = slo.window;
    return w.kind === 'rolling' ? `${formatDurationSeconds(w.seconds)} rolling` : `calendar ${w.unit} (${w.timeZone})`;
}
function describeSli(slo) {
    const sli = slo.sli;
    if (sli.kind === 'ratio')
        return `ratio (${sli.source.type})`;
    const m = sli.measure;
    if (m.type !== 'highway')
        return `threshold (${m.type})`;
    const parameter = 'feature' in m ? `:${m.feature}` : 'metric' in m ? `:${m.metric}` : '';
    return `threshold (highway ${m.measure}${parameter})`;
}
/** Keys kept, values replaced, at any depth: connection details may be any YAML (a mapping, a list of mappings). */
function redactDetails(details) {
    if (Array.isArray(details))
        return details.map(redactDetails);
    if (details !== null && typeof details === 'object')
        return Object.fromEntries(Object.keys(details).map((k) => [k, '<redacted>']));
    return details === undefined ? undefined : '<redacted>';
}
/** A copy safe to print: DataSource connection details may hold credentials, so only their keys are shown. */
function redact(slo) {
    const source = (s) => s.dataSource === undefined
        ? s
        : { ...s, dataSource: { name: s.dataSource.name, connectionDetails: redactDetails(s.dataSource.connectionDetails) } };
    return { ...slo, sli: { ...slo.sli, source: source(slo.sli.source) } };
}
/** Runs `highway slo validate DIR`: lists the SLOs found (name, service, targets, window, budgeting, SLI), or every problem. */
export async function validateSloCommand(dir, options) {
    const result = await loadSloDirectory(dir, options.models === undefined ? {} : { models: options.models });
    if (options.json) {
        const body = result.ok ? { ok: true, dir, slos: result.specs.map(redact) } : { ok: false, dir, errors: result.errors };
        return { exitCode: result.ok ? 0 : 1, output: JSON.stringify(body) };
    }
    if (!result.ok) {
        const n = result.errors.length;
        return { exitCode: 1, output: [`${dir}: ${n} problem${n === 1 ? '' : 's'}`, ...result.errors.map((e) => `  ${formatSpecError(e)}`)].join('\n') };
    }
    if (result.specs.length === 0)
        return { exitCode: 0, output: `${dir}: no SLOs found` };
    const n = result.specs.length;
    const rows = result.specs.map((slo) => [
        slo.name,
        slo.service,
        slo.objectives.map((o) => `${Number((o.target * 100).toPrecision(12))}%`).join(', '),
        describeWindow(slo),
        slo.budgeting,
        describeSli(slo),
    ]);
    return { exitCode: 0, output: [`${dir}: ${n} SLO${n === 1 ? '' : 's'}, all valid`, '', table(['slo', 'service', 'target', 'window', 'budgeting', 'sli'], rows)].join('\n') };
}
//# sourceMappingURL=validate-command.js.map