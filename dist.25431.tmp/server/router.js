const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
/** Static segments outrank parameters, so `/v1/runbooks/runs` wins over `/v1/runbooks/{name}`. */
function specificity(path) {
    return path
        .split('/')
        .map((s) => (PARAM.test(s) ? '1' : '0'))
        .join('');
}
/** Compiles OpenAPI path templates once; matching is a scan of the method's routes, most specific first. */
export function createRouter(routes) {
    const byMethod = new Map();
    const seen = new Set();
    for (const route of routes) {
        const key = `${route.method} ${route.path.replace(/\{[^}]+\}/g, '{}')}`;
        if (seen.has(key))
            throw new Error(`route ${route.method.toUpperCase()} ${route.path} is declared twice`);
        seen.add(key);
        const names = [];
        const source = route.path
            .split('/')
            .map((segment) => {
            const p = PARAM.exec(segment);
            if (!p)
                return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            names.push(p[1]);
            return '([^/]+)';
        })
            .join('/');
        const list = byMethod.get(route.method) ?? [];
        list.push({ route, pattern: new RegExp(`^${source}$`), names });
        byMethod.set(route.method, list);
    }
    for (const list of byMethod.values())
        list.sort((a, b) => (specificity(a.route.path) < specificity(b.route.path) ? -1 : 1));
    const find = (method, path) => {
        for (const c of byMethod.get(method) ?? []) {
            const m = c.pattern.exec(path);
            if (!m)
                continue;
            const params = {};
            c.names.forEach((name, i) => (params[name] = m[i + 1]));
            return { route: c.route, params };
        }
        return undefined;
    };
    return {
        match(method, path) {
            const found = find(method, path);
            if (found)
                return { kind: 'found', match: found };
            const allow = [...byMethod.keys()].filter((m) => m !== method && find(m, path));
            return allow.length ? { kind: 'method', allow } : { kind: 'none' };
        },
    };
}
/** The Prometheus `route` label of a template: express-style, as the label values have always been. */
export function routeLabel(path) {
    return path.replace(/\{([^}]+)\}/g, ':$1');
}
//# sourceMappingURL=router.js.map