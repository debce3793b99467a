const ALERT_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** An AlertPolicy's alert name: its displayName when that is a Prometheus alert name, else its name in PascalCase (`fast-burn` → `FastBurn`). */
export function alertName(displayName, name) {
    if (displayName !== undefined && ALERT_NAME.test(displayName))
        return displayName;
    const pascal = name
        .split(/[^A-Za-z0-9]+/)
        .filter((part) => part !== '')
        .map((part) => part[0].toUpperCase() + part.slice(1))
        .join('');
    return /^[0-9]/.test(pascal) ? `SLO${pascal}` : pascal;
}
/** OpenSLO label keys as Prometheus label names (`team.io/owner` → `team_io_owner`); `sloth_` keys are the generator's. */
function promLabels(labels) {
    return Object.fromEntries(Object.entries(labels).flatMap(([k, v]) => (k.startsWith('sloth_') ? [] : [[k.replace(/[^A-Za-z0-9_]/g, '_'), v]])));
}
/**
 * Maps validated OpenSLO specs to rule-generator input. Only Prometheus-sourced ratio SLIs over rolling windows
 * become rules: Highway evaluates its own sources (`type: highway`, `clickhouse`) itself, and Prometheus rules
 * cannot follow calendar periods.
 */
export function ruleSlosFromSpecs(specs) {
    const slos = [];
    const skipped = [];
    for (const spec of specs) {
        const sli = spec.sli;
        if (sli.kind !== 'ratio') {
            skipped.push({ name: spec.name, reason: 'threshold SLIs are evaluated by Highway, not by Prometheus rules' });
            continue;
        }
        const numerator = sli.good ?? sli.bad;
        if (numerator?.type !== 'prometheus' || sli.total.type !== 'prometheus') {
            skipped.push({ name: spec.name, reason: `its SLI reads ${sli.total.type}, which Highway evaluates itself` });
            continue;
        }
        if (spec.window.kind !== 'rolling') {
            skipped.push({ name: spec.name, reason: 'Prometheus rules need a rolling window; calendar windows are evaluated by Highway' });
            continue;
        }
        const periodSeconds = spec.window.seconds;
        const declared = [...(spec.alerting.pageTiers ?? []), ...(spec.alerting.ticketTiers ?? [])];
        // OpenSLO states a tier as a burn-rate threshold over a lookback; the generator takes the budget share it spends.
        const tiers = declared.map((t) => ({
            name: `${t.severity}-${t.condition}`,
            severity: t.severity,
            longWindowSeconds: t.longWindowSeconds,
            shortWindowSeconds: t.shortWindowSeconds,
            budgetPercent: (t.burnRate * t.longWindowSeconds * 100) / periodSeconds,
        }));
        // One alert per AlertPolicy (OpenSLO allows one condition per policy): its name, `for:` (alertAfter), op, labels, annotations.
        const alerts = declared.map((t) => ({
            name: alertName(t.policyDisplayName, t.policy),
            severity: t.severity,
            tiers: [`${t.severity}-${t.condition}`],
            op: t.op,
            ...(t.alertAfterSeconds > 0 ? { forSeconds: t.alertAfterSeconds } : {}),
            labels: promLabels(t.alertLabels),
            annotations: t.alertAnnotations,
        }));
        const labels = promLabels(Object.fromEntries(Object.entries(spec.labels).flatMap(([k, v]) => (v[0] !== undefined ? [[k, v[0]]] : []))));
        const sliQueries = sli.good?.type === 'prometheus' ? { goodQuery: sli.good.query, totalQuery: sli.total.query } : { errorQuery: numerator.query, totalQuery: sli.total.query };
        // Sloth reads each OpenSLO objective as an SLO of its own: id <service>-<name>-<index>, name <name>-<index>.
        spec.objectives.forEach((objective, index) => {
            slos.push({
                id: `${spec.service}-${spec.name}-${index}`,
                service: spec.service,
                name: `${spec.name}-${index}`,
                objectivePercent: objective.target * 100,
                periodSeconds,
                sli: sliQueries,
                labels,
                ...(tiers.length > 0 ? { tiers, alerts } : {}),
            });
        });
    }
    return { slos, skipped };
}
//# sourceMappingURL=from-spec.js.map