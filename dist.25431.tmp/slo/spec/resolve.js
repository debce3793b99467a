import { ANNOTATION_PREFIX, ANNOTATIONS, CALENDAR_MIN_SECONDS, DEFAULT_MIN_EVENTS, DEFAULT_WILSON_CONFIDENCE, OPENSLO_API_VERSION, SHORT_WINDOW_DIVISOR, SOURCE_TYPES, SPEC_KINDS, } from "./const.js";
import { formatDurationSeconds, parseDurationShorthand, parseFixedDuration } from "./duration.js";
import { describeValue, formatPath, issuesFromZod } from "./issues.js";
import { alertConditionSpecSchema, alertNotificationTargetSpecSchema, alertPolicySpecSchema, dataSourceSpecSchema, documentSchema, inlineObjectSchema, objectNameSchema, referenceSchema, serviceSpecSchema, sliSpecSchema, sloSpecSchema, } from "./schema.js";
import { checkEventQuery, checkMeasureQuery, measureValueRange } from "./source-spec.js";
import { checkStartTime, checkTimeZone } from "./time-zone.js";
/** Collects problems as `SpecError`s with document paths and lines. */
class IssueList {
    errors = [];
    add(doc, path, rule, message) {
        const line = doc.lineAt(path);
        this.errors.push({ file: doc.file, path: formatPath(['documents', doc.index, ...path]), rule, message, ...(line === undefined ? {} : { line }) });
    }
    addAll(doc, base, issues) {
        for (const issue of issues)
            this.add(doc, [...base, ...issue.path], issue.rule, issue.message);
    }
}
const DOCUMENT_SCHEMAS = {
    SLO: documentSchema(sloSpecSchema),
    SLI: documentSchema(sliSpecSchema),
    DataSource: documentSchema(dataSourceSpecSchema),
    Service: documentSchema(serviceSpecSchema),
    AlertPolicy: documentSchema(alertPolicySpecSchema),
    AlertCondition: documentSchema(alertConditionSpecSchema),
    AlertNotificationTarget: documentSchema(alertNotificationTargetSpecSchema),
};
const inlineConditionSchema = inlineObjectSchema('AlertCondition', alertConditionSpecSchema);
const inlineTargetSchema = inlineObjectSchema('AlertNotificationTarget', alertNotificationTargetSpecSchema);
const inlinePolicySchema = inlineObjectSchema('AlertPolicy', alertPolicySpecSchema);
/** Annotations Highway reads, by kind; other `highway.dev/` keys are typos. */
const ANNOTATIONS_BY_KIND = {
    SLO: [ANNOTATIONS.evaluationDelay, ANNOTATIONS.minEvents, ANNOTATIONS.wilson, ANNOTATIONS.wilsonConfidence, ANNOTATIONS.unfreezeAbove],
    SLI: [ANNOTATIONS.evaluationDelay, ANNOTATIONS.minEvents, ANNOTATIONS.wilson, ANNOTATIONS.wilsonConfidence],
    AlertCondition: [ANNOTATIONS.shortWindow],
    AlertPolicy: [],
    DataSource: [],
    Service: [],
    AlertNotificationTarget: [],
};
/** Labels as alert labels: the first value of each list. */
function alertLabels(labels) {
    return Object.fromEntries(Object.entries(labels ?? {}).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : v[0] === undefined ? [] : [[k, v[0]]])));
}
/** Annotations to carry onto an alert: all but Highway's own settings. */
function alertAnnotations(annotations) {
    return Object.fromEntries(Object.entries(annotations ?? {}).filter(([k]) => !k.startsWith(ANNOTATION_PREFIX)));
}
function isRecord(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}
function declaredNames(map) {
    const names = [...map.keys()];
    if (names.length === 0)
        return 'none declared';
    return `declared: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''}`;
}
function slug(text) {
    return text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
}
function percent(target) {
    return `${Number((target * 100).toPrecision(12))}%`;
}
function windowLength(window) {
    return window.kind === 'rolling'
        ? { seconds: window.seconds, text: formatDurationSeconds(window.seconds) }
        : { seconds: CALENDAR_MIN_SECONDS[window.unit], text: `calendar ${window.unit}` };
}
/** Resolves every SLO of a set of documents: checks each document, then references and rules across fields and documents. */
export function resolveDocuments(documents, options) {
    const issues = new IssueList();
    const models = options.models;
    const declared = {
        SLO: new Map(),
        SLI: new Map(),
        DataSource: new Map(),
        Service: new Map(),
        AlertPolicy: new Map(),
        AlertCondition: new Map(),
        AlertNotificationTarget: new Map(),
    };
    const settingsOf = new Map();
    // 1. Each document on its own: envelope, kind, structure; names for duplicates and references.
    for (const doc of documents) {
        const raw = doc.value;
        if (!isRecord(raw)) {
            issues.add(doc, [], 'type', `must be an OpenSLO object (a mapping with apiVersion, kind, metadata and spec), got ${describeValue(raw)}`);
            continue;
        }
        let envelopeOk = true;
        if (raw.apiVersion === undefined) {
            issues.add(doc, ['apiVersion'], 'required', `is required: "${OPENSLO_API_VERSION}"`);
            envelopeOk = false;
        }
        else if (raw.apiVersion !== OPENSLO_API_VERSION) {
            const hint = raw.apiVersion === 'openslo/v1alpha' ? ' (v1alpha, which Sloth reads, has another shape: queries sit in objectives)' : '';
            issues.add(doc, ['apiVersion'], 'api_version', `must be "${OPENSLO_API_VERSION}", got ${describeValue(raw.apiVersion)}${hint}`);
            envelopeOk = false;
        }
        const kind = raw.kind;
        if (kind === undefined) {
            issues.add(doc, ['kind'], 'required', `is required: one of ${SPEC_KINDS.join(', ')}`);
            continue;
        }
        if (typeof kind !== 'string' || !SPEC_KINDS.includes(kind)) {
            issues.add(doc, ['kind'], 'unknown_kind', `must be one of ${SPEC_KINDS.join(', ')}, got ${describeValue(kind)}`);
            continue;
        }
        if (!envelopeOk)
            continue;
        const specKind = kind;
        const result = DOCUMENT_SCHEMAS[specKind].safeParse(raw);
        if (!result.success)
            issues.addAll(doc, [], issuesFromZod(result.error.issues, raw));
        const metadata = isRecord(raw.metadata) ? raw.metadata : undefined;
        // Annotations are read even when the rest is broken, so their problems come in the same report.
        const annotations = isRecord(metadata?.annotations) ? metadata.annotations : undefined;
        checkAnnotationKeys(doc, ['metadata'], annotations, specKind);
        if (specKind === 'SLO' || specKind === 'SLI')
            settingsOf.set(doc, readSettings(doc, ['metadata'], annotations));
        const name = typeof metadata?.name === 'string' ? metadata.name : undefined;
        if (name === undefined)
            continue;
        const map = declared[specKind];
        const first = map.get(name);
        if (first !== undefined) {
            issues.add(doc, ['metadata', 'name'], 'duplicate_name', `duplicates the ${specKind} "${name}" in ${first.doc.file} documents[${first.doc.index}]: names must be unique per kind${specKind === 'SLO' ? ', across services too (the API and the budget audit trail address an SLO by name: /v1/slos/{name})' : ''}`);
            continue;
        }
        map.set(name, { doc, value: result.success ? result.data : undefined });
    }
    // 2. Objects that others refer to, each checked once where it is declared.
    const dataSources = new Map();
    for (const [name, { doc, value }] of declared.DataSource) {
        if (value === undefined) {
            dataSources.set(name, { doc, value: undefined });
            continue;
        }
        const type = value.spec.type.toLowerCase();
        if (!SOURCE_TYPES.includes(type)) {
            issues.add(doc, ['spec', 'type'], 'enum', `must be one of ${SOURCE_TYPES.join(', ')} (any case), got ${describeValue(value.spec.type)}`);
            dataSources.set(name, { doc, value: undefined });
        }
        else
            dataSources.set(name, { doc, value: { type: type, connectionDetails: value.spec.connectionDetails ?? {} } });
    }
    const conditions = new Map();
    for (const [name, { doc, value }] of declared.AlertCondition) {
        conditions.set(name, { doc, value: value === undefined ? undefined : checkCondition(doc, [], value) });
    }
    const targets = new Map();
    for (const [name, { doc, value }] of declared.AlertNotificationTarget)
        targets.set(name, { doc, value: value === undefined ? undefined : name });
    const policies = new Map();
    for (const [name, { doc, value }] of declared.AlertPolicy) {
        policies.set(name, { doc, value: value === undefined ? undefined : checkPolicy(doc, [], value) });
    }
    const slis = new Map();
    for (const [name, { doc, value }] of declared.SLI) {
        slis.set(name, { doc, value: value === undefined ? undefined : checkSli(doc, [], value) });
    }
    // 3. SLOs, with everything they refer to.
    const specs = [];
    for (const [, { doc, value }] of declared.SLO) {
        if (value === undefined)
            continue;
        const before = issues.errors.length;
        const resolved = resolveSlo(doc, value);
        if (resolved !== undefined && issues.errors.length === before)
            specs.push(resolved);
    }
    return { specs, errors: issues.errors };
    function checkAnnotationKeys(doc, metadataPath, annotations, kind) {
        const known = ANNOTATIONS_BY_KIND[kind];
        for (const key of Object.keys(annotations ?? {})) {
            if (!key.startsWith(ANNOTATION_PREFIX) || known.includes(key))
                continue;
            const on = `on ${/^[AS]/.test(kind) && kind !== 'Service' ? 'an' : 'a'} ${kind}`;
            const expected = known.length === 0 ? `Highway reads no ${ANNOTATION_PREFIX} annotations ${on}` : `Highway reads ${known.join(', ')} ${on}`;
            issues.add(doc, [...metadataPath, 'annotations', key], 'unknown_field', `is not a Highway annotation (${expected})`);
        }
    }
    /** Reads Highway's settings from annotations; values that are not strings were reported by the schema and are skipped. */
    function readSettings(doc, metadataPath, raw) {
        const settings = {};
        if (raw === undefined)
            return settings;
        const annotations = {};
        for (const [key, value] of Object.entries(raw))
            if (typeof value === 'string')
                annotations[key] = value;
        const at = (key) => [...metadataPath, 'annotations', key];
        const delay = annotations[ANNOTATIONS.evaluationDelay];
        if (delay !== undefined) {
            const parsed = parseFixedDuration(delay, { allowZero: true });
            if (parsed.ok)
                settings.evaluationDelaySeconds = { value: parsed.seconds, doc, path: at(ANNOTATIONS.evaluationDelay) };
            else
                issues.add(doc, at(ANNOTATIONS.evaluationDelay), 'format', `${parsed.message}, got ${describeValue(delay)}`);
        }
        const minEvents = annotations[ANNOTATIONS.minEvents];
        if (minEvents !== undefined) {
            if (/^[1-9][0-9]{0,8}$/.test(minEvents))
                settings.minEvents = { value: Number(minEvents), doc, path: at(ANNOTATIONS.minEvents) };
            else
                issues.add(doc, at(ANNOTATIONS.minEvents), 'format', `must be a whole number of events, at least 1, got ${describeValue(minEvents)}`);
        }
        const wilson = annotations[ANNOTATIONS.wilson];
        if (wilson !== undefined) {
            if (wilson === 'true' || wilson === 'false')
                settings.wilson = { value: wilson === 'true', doc, path: at(ANNOTATIONS.wilson) };
            else
                issues.add(doc, at(ANNOTATIONS.wilson), 'enum', `must be "true" or "false", got ${describeValue(wilson)}`);
        }
        const confidence = annotations[ANNOTATIONS.wilsonConfidence];
        if (confidence !== undefined) {
            const value = /^\s*$/.test(confidence) ? Number.NaN : Number(confidence);
            if (value > 0 && value < 1)
                settings.wilsonConfidence = { value, doc, path: at(ANNOTATIONS.wilsonConfidence) };
            else
                issues.add(doc, at(ANNOTATIONS.wilsonConfidence), 'range', `must be a confidence in (0, 1) such as "0.95", got ${describeValue(confidence)}`);
        }
        const unfreeze = annotations[ANNOTATIONS.unfreezeAbove];
        if (unfreeze !== undefined) {
            const value = /^\s*$/.test(unfreeze) ? Number.NaN : Number(unfreeze);
            if (value >= 0 && value <= 1)
                settings.unfreezeAbove = { value, doc, path: at(ANNOTATIONS.unfreezeAbove) };
            else
                issues.add(doc, at(ANNOTATIONS.unfreezeAbove), 'range', `must be a share of the error budget in [0, 1] such as "0.1", got ${describeValue(unfreeze)}`);
        }
        return settings;
    }
    function checkCondition(doc, base, condition) {
        const { op, threshold, lookbackWindow, alertAfter } = condition.spec.condition;
        const annotations = condition.metadata.annotations;
        if (base.length > 0)
            checkAnnotationKeys(doc, [...base, 'metadata'], annotations, 'AlertCondition');
        let shortSeconds = Math.max(60, Math.round(lookbackWindow / SHORT_WINDOW_DIVISOR));
        const shortText = annotations?.[ANNOTATIONS.shortWindow];
        if (shortText !== undefined) {
            const shortPath = [...base, 'metadata', 'annotations', ANNOTATIONS.shortWindow];
            const short = parseFixedDuration(shortText);
            if (!short.ok) {
                issues.add(doc, shortPath, 'format', `${short.message}, got ${describeValue(shortText)}`);
                return undefined;
            }
            if (short.seconds >= lookbackWindow) {
                issues.add(doc, shortPath, 'inconsistent', `must be shorter than the lookbackWindow (${formatDurationSeconds(lookbackWindow)}), got ${describeValue(shortText)}`);
                return undefined;
            }
            shortSeconds = short.seconds;
        }
        return {
            name: condition.metadata.name,
            severity: condition.spec.severity,
            op,
            burnRate: threshold,
            longWindowSeconds: lookbackWindow,
            shortWindowSeconds: shortSeconds,
            alertAfterSeconds: alertAfter ?? 0,
            labels: alertLabels(condition.metadata.labels),
            annotations: { ...(condition.spec.description === undefined ? {} : { description: condition.spec.description }), ...alertAnnotations(annotations) },
        };
    }
    /** Parses a list item that is either a reference `{refKey: name}` or an inline object; reports mixtures. */
    function referenceOrInline(doc, path, item, refKey, kind, inline) {
        if (isRecord(item) && refKey in item) {
            const others = Object.keys(item).filter((k) => k !== refKey);
            if (others.length > 0) {
                issues.add(doc, path, 'exclusive', `give ${refKey} or an inline ${kind} (kind, metadata, spec), not both; also got ${others.join(', ')}`);
                return undefined;
            }
            const parsed = referenceSchema(refKey).safeParse(item);
            if (!parsed.success) {
                issues.addAll(doc, path, issuesFromZod(parsed.error.issues, item));
                return undefined;
            }
            return { ref: item[refKey] };
        }
        if (!isRecord(item)) {
            issues.add(doc, path, 'type', `must be {${refKey}: <name>} or an inline ${kind} (kind, metadata, spec), got ${describeValue(item)}`);
            return undefined;
        }
        const parsed = inline.safeParse(item);
        if (!parsed.success) {
            issues.addAll(doc, path, issuesFromZod(parsed.error.issues, item));
            return undefined;
        }
        return { inline: parsed.data };
    }
    function lookup(doc, path, map, kind, name) {
        const found = map.get(name);
        if (found === undefined)
            issues.add(doc, path, 'unresolved_reference', `names no ${kind} (${declaredNames(map)}), got ${describeValue(name)}`);
        return found?.value;
    }
    function checkPolicy(doc, base, policy) {
        const before = issues.errors.length;
        if (base.length > 0)
            checkAnnotationKeys(doc, [...base, 'metadata'], policy.metadata.annotations, 'AlertPolicy');
        const conditionPath = [...base, 'spec', 'conditions', 0];
        const item = referenceOrInline(doc, conditionPath, policy.spec.conditions[0], 'conditionRef', 'AlertCondition', inlineConditionSchema);
        let condition;
        if (item !== undefined && 'ref' in item)
            condition = lookup(doc, [...conditionPath, 'conditionRef'], conditions, 'AlertCondition', item.ref);
        else if (item !== undefined)
            condition = checkCondition(doc, conditionPath, item.inline);
        const targetNames = [];
        policy.spec.notificationTargets.forEach((target, i) => {
            const path = [...base, 'spec', 'notificationTargets', i];
            const parsed = referenceOrInline(doc, path, target, 'targetRef', 'AlertNotificationTarget', inlineTargetSchema);
            if (parsed === undefined)
                return;
            if ('ref' in parsed) {
                const name = lookup(doc, [...path, 'targetRef'], targets, 'AlertNotificationTarget', parsed.ref);
                if (name !== undefined)
                    targetNames.push(name);
            }
            else {
                checkAnnotationKeys(doc, [...path, 'metadata'], parsed.inline.metadata.annotations, 'AlertNotificationTarget');
                targetNames.push(parsed.inline.metadata.name);
            }
        });
        if (condition === undefined || issues.errors.length > before)
            return undefined;
        return {
            name: policy.metadata.name,
            ...(policy.metadata.displayName === undefined ? {} : { displayName: policy.metadata.displayName }),
            labels: alertLabels(policy.metadata.labels),
            annotations: { ...(policy.spec.description === undefined ? {} : { description: policy.spec.description }), ...alertAnnotations(policy.metadata.annotations) },
            condition,
            // OpenSLO leaves these to implementations; a policy that never fires on a breach would be pointless.
            alertWhenBreaching: policy.spec.alertWhenBreaching ?? true,
            alertWhenResolved: policy.spec.alertWhenResolved ?? false,
            alertWhenNoData: policy.spec.alertWhenNoData ?? false,
            notificationTargets: targetNames,
        };
    }
    function checkSource(doc, path, source) {
        let dataSource;
        if (source.metricSourceRef !== undefined) {
            const found = lookup(doc, [...path, 'metricSourceRef'], dataSources, 'DataSource', source.metricSourceRef);
            if (found === undefined)
                return undefined;
            dataSource = { name: source.metricSourceRef, value: found };
        }
        if (source.type !== undefined) {
            const type = source.type.toLowerCase();
            if (!SOURCE_TYPES.includes(type)) {
                issues.add(doc, [...path, 'type'], 'enum', `must be one of ${SOURCE_TYPES.join(', ')} (any case), got ${describeValue(source.type)}`);
                return undefined;
            }
            if (dataSource !== undefined && dataSource.value.type !== type) {
                issues.add(doc, [...path, 'type'], 'inconsistent', `contradicts DataSource ${dataSource.name}, which is ${dataSource.value.type}, got ${describeValue(source.type)}`);
                return undefined;
            }
            return { type: type, ...(dataSource === undefined ? {} : { dataSource }) };
        }
        if (dataSource !== undefined)
            return { type: dataSource.value.type, dataSource };
        issues.add(doc, path, 'required', 'needs type (highway, clickhouse or prometheus) or metricSourceRef (a DataSource) to say where the numbers come from');
        return undefined;
    }
    function sourceOf(checked) {
        const { dataSource } = checked;
        return { type: checked.type, ...(dataSource === undefined ? {} : { dataSource: { name: dataSource.name, connectionDetails: dataSource.value.connectionDetails } }) };
    }
    function eventQuery(doc, path, source) {
        const checked = checkSource(doc, path, source);
        if (checked === undefined)
            return undefined;
        const query = checkEventQuery(checked.type, source.spec, models);
        if (!query.ok) {
            issues.addAll(doc, [...path, 'spec'], query.issues);
            return undefined;
        }
        return { checked, query: query.value };
    }
    function checkSli(doc, base, parsed) {
        const before = issues.errors.length;
        const specPath = [...base, 'spec'];
        let settings = settingsOf.get(doc) ?? {};
        if (base.length > 0) {
            checkAnnotationKeys(doc, [...base, 'metadata'], parsed.metadata.annotations, 'SLI');
            settings = readSettings(doc, [...base, 'metadata'], parsed.metadata.annotations);
        }
        const { ratioMetric, thresholdMetric } = parsed.spec;
        const name = parsed.metadata.name;
        if (ratioMetric !== undefined && thresholdMetric !== undefined) {
            issues.add(doc, specPath, 'exclusive', 'give ratioMetric or thresholdMetric, not both');
            return undefined;
        }
        if (ratioMetric !== undefined) {
            const ratioPath = [...specPath, 'ratioMetric'];
            if (ratioMetric.raw !== undefined || ratioMetric.rawType !== undefined) {
                const key = ratioMetric.raw !== undefined ? 'raw' : 'rawType';
                issues.add(doc, [...ratioPath, key], 'unsupported', 'precomputed ratios (raw, rawType) are not supported: give good (or bad) and total counts');
                return undefined;
            }
            if (ratioMetric.good !== undefined && ratioMetric.bad !== undefined)
                issues.add(doc, ratioPath, 'exclusive', 'give good or bad (the numerator), not both');
            else if (ratioMetric.good === undefined && ratioMetric.bad === undefined)
                issues.add(doc, ratioPath, 'required', 'needs good or bad (the numerator)');
            if (ratioMetric.total === undefined)
                issues.add(doc, [...ratioPath, 'total'], 'required', 'is required (the denominator: all events)');
            if (issues.errors.length > before || ratioMetric.total === undefined)
                return undefined;
            const numeratorKey = ratioMetric.good !== undefined ? 'good' : 'bad';
            const numeratorSpec = ratioMetric.good ?? ratioMetric.bad;
            if (numeratorSpec === undefined)
                return undefined;
            const numeratorPath = [...ratioPath, numeratorKey, 'metricSource'];
            const totalPath = [...ratioPath, 'total', 'metricSource'];
            const numerator = eventQuery(doc, numeratorPath, numeratorSpec.metricSource);
            const total = eventQuery(doc, totalPath, ratioMetric.total.metricSource);
            if (numerator === undefined || total === undefined)
                return undefined;
            if (numerator.checked.type !== total.checked.type) {
                issues.add(doc, totalPath, 'inconsistent', `must come from the same source type as ${numeratorKey}: ${numeratorKey} is ${numerator.checked.type}, total is ${total.checked.type}`);
                return undefined;
            }
            if (numerator.checked.dataSource?.name !== total.checked.dataSource?.name) {
                issues.add(doc, [...totalPath, 'metricSourceRef'], 'inconsistent', `must name the same DataSource as ${numeratorKey} (${numerator.checked.dataSource?.name ?? 'none'}), got ${describeValue(total.checked.dataSource?.name)}`);
                return undefined;
            }
            const num = numerator.query;
            const tot = total.query;
            if (num.type === 'highway' && tot.type === 'highway') {
                if (numeratorKey === 'bad') {
                    issues.add(doc, [...ratioPath, 'bad'], 'unsupported', 'type highway counts good events: write good (bad suits clickhouse and prometheus counters)');
                    return undefined;
                }
                if (num.model !== tot.model || num.version !== tot.version) {
                    const show = (q) => (q.version === undefined ? q.model : `${q.model} version ${q.version}`);
                    issues.add(doc, [...totalPath, 'spec', 'model'], 'inconsistent', `must count the same model and version as good (${show(num)}), got ${show(tot)}`);
                    return undefined;
                }
            }
            const labelSelect = [num, tot].find((q) => q.type === 'highway' && (q.select === 'correct' || q.select === 'labelled'));
            const sli = numeratorKey === 'good'
                ? { kind: 'ratio', name, good: num, total: tot, source: sourceOf(numerator.checked) }
                : { kind: 'ratio', name, bad: num, total: tot, source: sourceOf(numerator.checked) };
            return { sli, settings, ...(labelSelect === undefined ? {} : { needsLabels: `select ${labelSelect.select}` }) };
        }
        if (thresholdMetric !== undefined) {
            const path = [...specPath, 'thresholdMetric', 'metricSource'];
            const checked = checkSource(doc, path, thresholdMetric.metricSource);
            if (checked === undefined)
                return undefined;
            const query = checkMeasureQuery(checked.type, thresholdMetric.metricSource.spec, models);
            if (!query.ok) {
                issues.addAll(doc, [...path, 'spec'], query.issues);
                return undefined;
            }
            const measure = query.value;
            const needsLabels = measure.type === 'highway' && (measure.measure === 'performance' || measure.measure === 'label_coverage') ? `measure ${measure.measure}` : undefined;
            if (issues.errors.length > before)
                return undefined;
            return { sli: { kind: 'threshold', name, measure, source: sourceOf(checked) }, settings, ...(needsLabels === undefined ? {} : { needsLabels }) };
        }
        issues.add(doc, specPath, 'required', 'needs ratioMetric (good or bad over total) or thresholdMetric (one value per time slice)');
        return undefined;
    }
    function checkWindow(doc, spec) {
        const windows = spec.timeWindow;
        if (windows === undefined) {
            issues.add(doc, ['spec', 'timeWindow'], 'required', 'is required by Highway: one rolling window ({duration: 30d, isRolling: true}) or one calendar window ({duration: 1M, calendar: {timeZone: UTC}})');
            return undefined;
        }
        const window = windows[0];
        if (windows.length !== 1 || window === undefined) {
            issues.add(doc, ['spec', 'timeWindow'], 'range', `must list exactly one time window (OpenSLO v1), got ${windows.length} items`);
            return undefined;
        }
        const at = (...path) => ['spec', 'timeWindow', 0, ...path];
        if (window.isRolling === true) {
            if (window.calendar !== undefined) {
                issues.add(doc, at('calendar'), 'exclusive', 'does not apply to a rolling window (isRolling: true): remove it, or set isRolling: false for a calendar window');
                return undefined;
            }
            const duration = parseFixedDuration(window.duration);
            if (!duration.ok) {
                issues.add(doc, at('duration'), 'format', `${duration.message}, got ${describeValue(window.duration)}`);
                return undefined;
            }
            return { kind: 'rolling', seconds: duration.seconds };
        }
        const calendar = window.calendar;
        const before = issues.errors.length;
        const parsed = parseDurationShorthand(window.duration);
        const unit = parsed?.count !== 1 ? undefined : parsed.unit === 'd' ? 'day' : parsed.unit === 'w' ? 'week' : parsed.unit === 'M' ? 'month' : undefined;
        if (unit === undefined) {
            issues.add(doc, at('duration'), 'format', `must be 1d (a calendar day), 1w (a calendar week) or 1M (a calendar month) for a calendar window, got ${describeValue(window.duration)}`);
        }
        if (calendar === undefined) {
            issues.add(doc, at('calendar'), 'required', 'is required unless isRolling is true: a calendar window needs calendar.timeZone (for a rolling window, set isRolling: true)');
            return undefined;
        }
        const zone = checkTimeZone(calendar.timeZone);
        if (!zone.ok)
            issues.add(doc, at('calendar', 'timeZone'), 'time_zone', `${zone.message}, got ${describeValue(calendar.timeZone)}`);
        if (calendar.startTime !== undefined) {
            const start = checkStartTime(calendar.startTime);
            if (!start.ok)
                issues.add(doc, at('calendar', 'startTime'), 'format', `${start.message}, got ${describeValue(calendar.startTime)}`);
        }
        if (issues.errors.length > before || unit === undefined)
            return undefined;
        return { kind: 'calendar', unit, timeZone: calendar.timeZone, ...(calendar.startTime === undefined ? {} : { startTime: calendar.startTime }) };
    }
    function checkObjectives(doc, spec, sli, window) {
        const before = issues.errors.length;
        const budgeting = spec.budgetingMethod;
        const out = [];
        const names = new Map();
        spec.objectives.forEach((objective, i) => {
            const at = (...path) => ['spec', 'objectives', i, ...path];
            for (const key of ['indicator', 'indicatorRef', 'compositeWeight']) {
                if (objective[key] !== undefined) {
                    issues.add(doc, at(key), 'unsupported', 'composite SLOs (objectives with their own indicator) are not supported: write one SLO per indicator');
                }
            }
            let target;
            if (objective.target !== undefined && objective.targetPercent !== undefined)
                issues.add(doc, at(), 'exclusive', 'give target or targetPercent, not both');
            else if (objective.target === undefined && objective.targetPercent === undefined)
                issues.add(doc, at('target'), 'required', 'is required (a number in (0, 1)), or targetPercent (in (0, 100))');
            else
                target = objective.target ?? Number(((objective.targetPercent ?? 0) / 100).toPrecision(12));
            if (budgeting === 'Timeslices' && objective.timeSliceTarget === undefined) {
                issues.add(doc, at('timeSliceTarget'), 'required', 'is required with budgetingMethod Timeslices (a number in (0, 1]: the good ratio that makes a slice good)');
            }
            if (budgeting !== 'Timeslices' && objective.timeSliceTarget !== undefined) {
                issues.add(doc, at('timeSliceTarget'), 'forbidden', `only applies with budgetingMethod Timeslices, got ${budgeting}`);
            }
            if (budgeting !== 'Occurrences' && objective.timeSliceWindow === undefined) {
                issues.add(doc, at('timeSliceWindow'), 'required', `is required with budgetingMethod ${budgeting} (a duration such as 5m, or a number of minutes)`);
            }
            if (budgeting === 'Occurrences' && objective.timeSliceWindow !== undefined) {
                issues.add(doc, at('timeSliceWindow'), 'forbidden', 'only applies with budgetingMethod Timeslices or RatioTimeslices, got Occurrences');
            }
            const sliceSeconds = budgeting === 'Occurrences' ? undefined : objective.timeSliceWindow;
            if (sliceSeconds !== undefined && window !== undefined) {
                const length = windowLength(window);
                if (sliceSeconds >= length.seconds) {
                    issues.add(doc, at('timeSliceWindow'), 'inconsistent', `must be shorter than the SLO window (${length.text}), got ${describeValue(formatDurationSeconds(sliceSeconds))}`);
                }
            }
            if (sli?.kind === 'ratio') {
                for (const key of ['op', 'value']) {
                    if (objective[key] !== undefined)
                        issues.add(doc, at(key), 'forbidden', `only applies to threshold SLIs; ${sli.name} is a ratio SLI, got ${describeValue(objective[key])}`);
                }
            }
            if (sli?.kind === 'threshold') {
                if (objective.op === undefined)
                    issues.add(doc, at('op'), 'required', 'is required with a threshold SLI: one of lte, gte, lt, gt (a slice is good when measure op value)');
                if (objective.value === undefined)
                    issues.add(doc, at('value'), 'required', 'is required with a threshold SLI (the value the measure is compared with)');
                else {
                    const range = measureValueRange(sli.measure);
                    if (range !== undefined && !range.test(objective.value)) {
                        const measure = sli.measure.type === 'highway' ? sli.measure.measure : sli.measure.type;
                        issues.add(doc, at('value'), 'range', `must be ${range.expected} for ${measure}, got ${describeValue(objective.value)}`);
                    }
                }
            }
            const name = objective.displayName === undefined || slug(objective.displayName) === '' ? `objective-${i}` : slug(objective.displayName);
            const clash = names.get(name);
            if (clash !== undefined)
                issues.add(doc, at('displayName'), 'duplicate_name', `names the same objective as objectives[${clash}] ("${name}"): display names must differ`);
            names.set(name, i);
            if (target === undefined)
                return;
            out.push({
                name,
                displayName: objective.displayName ?? name,
                target,
                ...(sli?.kind === 'threshold' && objective.op !== undefined ? { op: objective.op } : {}),
                ...(sli?.kind === 'threshold' && objective.value !== undefined ? { value: objective.value } : {}),
                ...(budgeting === 'Timeslices' && objective.timeSliceTarget !== undefined ? { timeSliceTarget: objective.timeSliceTarget } : {}),
                ...(sliceSeconds !== undefined ? { timeSliceWindowSeconds: sliceSeconds } : {}),
            });
        });
        if (sli?.kind === 'threshold') {
            if (spec.objectives.length > 1) {
                issues.add(doc, ['spec', 'objectives'], 'range', `must list one objective with a threshold SLI (OpenSLO: "only one Threshold can be defined"), got ${spec.objectives.length} items`);
            }
            if (budgeting !== 'Timeslices') {
                issues.add(doc, ['spec', 'budgetingMethod'], 'inconsistent', `must be Timeslices with a threshold SLI (each slice is good when measure op value), got ${describeValue(budgeting)}`);
            }
        }
        return issues.errors.length > before ? undefined : out;
    }
    function checkAlerting(doc, spec, objectives, window) {
        const before = issues.errors.length;
        const tiers = [];
        const seen = new Map();
        (spec.alertPolicies ?? []).forEach((item, i) => {
            const path = ['spec', 'alertPolicies', i];
            let policy;
            // The v1 JSON schema lists policies as plain names; the README and go-sdk write {alertPolicyRef: name}.
            const parsed = typeof item === 'string' ? { ref: item } : referenceOrInline(doc, path, item, 'alertPolicyRef', 'AlertPolicy', inlinePolicySchema);
            if (parsed === undefined)
                return;
            if ('ref' in parsed) {
                const refPath = typeof item === 'string' ? path : [...path, 'alertPolicyRef'];
                const name = objectNameSchema.safeParse(parsed.ref);
                if (!name.success) {
                    issues.addAll(doc, refPath, issuesFromZod(name.error.issues, parsed.ref));
                    return;
                }
                const previous = seen.get(parsed.ref);
                if (previous !== undefined) {
                    issues.add(doc, refPath, 'duplicate_name', `lists AlertPolicy ${parsed.ref} again (already alertPolicies[${previous}])`);
                    return;
                }
                seen.set(parsed.ref, i);
                policy = lookup(doc, refPath, policies, 'AlertPolicy', parsed.ref);
            }
            else
                policy = checkPolicy(doc, path, parsed.inline);
            if (policy === undefined)
                return;
            const condition = policy.condition;
            if (window !== undefined) {
                const length = windowLength(window);
                if (condition.longWindowSeconds >= length.seconds) {
                    issues.add(doc, path, 'inconsistent', `AlertPolicy ${policy.name} looks back ${formatDurationSeconds(condition.longWindowSeconds)}, which must be shorter than the SLO window (${length.text})`);
                }
            }
            for (const objective of objectives ?? []) {
                // The error ratio is at most 1, so the burn rate (error ratio / (1 - target)) is at most 1 / (1 - target).
                const ceiling = 1 / (1 - objective.target);
                const unreachable = condition.op === 'gte' ? condition.burnRate > ceiling * (1 + 1e-9) : condition.burnRate >= ceiling * (1 - 1e-9);
                if (unreachable) {
                    issues.add(doc, path, 'unreachable', `AlertPolicy ${policy.name} fires at burn rate ${condition.op === 'gte' ? '>=' : '>'} ${condition.burnRate}, which objective ${objective.name} (target ${percent(objective.target)}) can never reach: at 100% errors its burn rate is ${Number(ceiling.toPrecision(6))}`);
                }
            }
            tiers.push({
                policy: policy.name,
                condition: condition.name,
                severity: condition.severity,
                op: condition.op,
                burnRate: condition.burnRate,
                longWindowSeconds: condition.longWindowSeconds,
                shortWindowSeconds: condition.shortWindowSeconds,
                alertAfterSeconds: condition.alertAfterSeconds,
                alertWhenBreaching: policy.alertWhenBreaching,
                alertWhenResolved: policy.alertWhenResolved,
                alertWhenNoData: policy.alertWhenNoData,
                notificationTargets: policy.notificationTargets,
                ...(policy.displayName === undefined ? {} : { policyDisplayName: policy.displayName }),
                // The condition's own labels and annotations refine the policy's.
                alertLabels: { ...policy.labels, ...condition.labels },
                alertAnnotations: { ...policy.annotations, ...condition.annotations },
            });
        });
        if (issues.errors.length > before)
            return undefined;
        const page = tiers.filter((t) => t.severity === 'page');
        const ticket = tiers.filter((t) => t.severity === 'ticket');
        return { ...(page.length > 0 ? { pageTiers: page } : {}), ...(ticket.length > 0 ? { ticketTiers: ticket } : {}) };
    }
    function resolveSlo(doc, slo) {
        const { metadata, spec } = slo;
        const before = issues.errors.length;
        let sliValue;
        const composite = spec.objectives.some((o) => o.indicator !== undefined || o.indicatorRef !== undefined);
        if (spec.indicator !== undefined && spec.indicatorRef !== undefined)
            issues.add(doc, ['spec'], 'exclusive', 'give indicator or indicatorRef, not both');
        else if (spec.indicatorRef !== undefined)
            sliValue = lookup(doc, ['spec', 'indicatorRef'], slis, 'SLI', spec.indicatorRef);
        else if (spec.indicator !== undefined)
            sliValue = checkSli(doc, ['spec', 'indicator'], spec.indicator);
        else if (!composite)
            issues.add(doc, ['spec', 'indicatorRef'], 'required', 'is required (the name of an SLI), or an inline indicator');
        let serviceDisplayName = spec.service;
        if (declared.Service.size > 0) {
            const service = declared.Service.get(spec.service);
            if (service === undefined) {
                issues.add(doc, ['spec', 'service'], 'unresolved_reference', `names no Service (${declaredNames(declared.Service)}): once a directory declares Services, every SLO must name one, got ${describeValue(spec.service)}`);
            }
            else
                serviceDisplayName = service.value?.metadata.displayName ?? spec.service;
        }
        const window = checkWindow(doc, spec);
        const objectives = checkObjectives(doc, spec, sliValue?.sli, window);
        const alerting = checkAlerting(doc, spec, objectives, window);
        // Highway settings: the SLO's annotations override the SLI's.
        const settings = { ...sliValue?.settings, ...settingsOf.get(doc) };
        const delay = settings.evaluationDelaySeconds;
        if (sliValue?.needsLabels !== undefined && delay === undefined) {
            issues.add(doc, ['metadata', 'annotations', ANNOTATIONS.evaluationDelay], 'required', `is required: SLI ${sliValue.sli.name} needs labels (${sliValue.needsLabels}); set it on the SLI or the SLO to how long labels take to arrive, e.g. "7d"`);
        }
        if (delay !== undefined && window !== undefined) {
            const length = windowLength(window);
            if (delay.value >= length.seconds) {
                issues.add(delay.doc, delay.path, 'inconsistent', `must be shorter than the window of SLO ${metadata.name} (${length.text}), got ${describeValue(formatDurationSeconds(delay.value))}`);
            }
        }
        if (settings.wilson?.value === true && sliValue?.sli.kind === 'threshold') {
            issues.add(settings.wilson.doc, settings.wilson.path, 'inconsistent', `applies to ratio SLIs only; ${sliValue.sli.name} (used by SLO ${metadata.name}) is a threshold SLI`);
        }
        if (settings.wilsonConfidence !== undefined && settings.wilson?.value !== true) {
            issues.add(settings.wilsonConfidence.doc, settings.wilsonConfidence.path, 'inconsistent', `has no effect unless ${ANNOTATIONS.wilson} is "true" (for SLO ${metadata.name})`);
        }
        if (issues.errors.length > before || sliValue === undefined || window === undefined || objectives === undefined || alerting === undefined)
            return undefined;
        const labels = {};
        for (const [key, value] of Object.entries(metadata.labels ?? {}))
            labels[key] = typeof value === 'string' ? [value] : value;
        return {
            name: metadata.name,
            displayName: metadata.displayName ?? metadata.name,
            service: spec.service,
            serviceDisplayName,
            description: spec.description ?? '',
            labels,
            objectives,
            window,
            budgeting: spec.budgetingMethod,
            sli: sliValue.sli,
            evaluationDelaySeconds: delay?.value ?? 0,
            minEvents: settings.minEvents?.value ?? DEFAULT_MIN_EVENTS,
            ...(settings.wilson?.value === true ? { wilson: { confidence: settings.wilsonConfidence?.value ?? DEFAULT_WILSON_CONFIDENCE } } : {}),
            ...(settings.unfreezeAbove === undefined ? {} : { unfreezeAbove: settings.unfreezeAbove.value }),
            alerting,
            file: doc.file,
        };
    }
}
//# sourceMappingURL=resolve.js.map