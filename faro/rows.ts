import type { FaroMeta, FaroPayload } from './payload.ts'

/** What one row of `faro_events` is about. */
export type FaroKind = 'event' | 'measurement' | 'log' | 'exception'

/** What happened to a `label` event: written as a label, quarantined by the collector, or refused here. */
export type LabelOutcome = '' | 'accepted' | 'quarantined' | 'refused'

/** One row of `faro_events` (migration 14), in epoch milliseconds. */
export interface FaroEventRow {
  readonly app: string
  readonly appVersion: string
  readonly environment: string
  readonly kind: FaroKind
  /** Event name, measurement type, log level or exception type. */
  readonly name: string
  readonly tsMs: number
  readonly receivedAtMs: number
  readonly sessionId: string
  readonly userId: string
  readonly pageUrl: string
  readonly pageId: string
  readonly browserName: string
  readonly browserVersion: string
  readonly browserOs: string
  readonly browserMobile: boolean
  readonly view: string
  /** Log message or exception value. */
  readonly message: string
  readonly stacktrace: string
  /** Event attributes, or the context of a measurement, log or exception. */
  readonly attributes: Readonly<Record<string, string>>
  /** Measurement values (web vitals: `lcp`, `cls`, `inp`, `fcp`, `ttfb`, …). */
  readonly values: Readonly<Record<string, number>>
  readonly traceId: string
  readonly spanId: string
  readonly model: string
  readonly predictionId: string
  readonly labelOutcome: LabelOutcome
  readonly labelError: string
  readonly idempotencyKey: string
}

/** A `label` event of a payload: `pushEvent('label', {model, prediction_id, label})`. */
export interface LabelEvent {
  /** Index of the event's row in the rows `payloadRows` returned. */
  readonly row: number
  readonly model: string
  readonly predictionId: string
  readonly label: string
  readonly tsMs: number
}

/** The event name that turns a person's feedback into a label. */
export const LABEL_EVENT = 'label'

function timeOf(value: string | undefined, receivedAtMs: number): number {
  const ms = value === undefined ? NaN : Date.parse(value)
  return Number.isFinite(ms) ? Math.floor(ms) : receivedAtMs
}

function frameText(frames: ReadonlyArray<{ function?: string | undefined; module?: string | undefined; filename?: string | undefined; lineno?: number | undefined; colno?: number | undefined }>): string {
  // Alloy's Exception.String() layout: `\n  at fn (module|file:line:col)` per frame.
  return frames.map((f) => `\n  at ${f.function ?? ''} (${f.module ? `${f.module}|` : ''}${f.filename ?? ''}:${f.lineno ?? 0}:${f.colno ?? 0})`).join('')
}

function base(meta: FaroMeta, app: string, receivedAtMs: number, idempotencyKey: string, sessionHeader: string | undefined) {
  return {
    app,
    appVersion: meta.app?.version ?? '',
    environment: meta.app?.environment ?? '',
    receivedAtMs,
    // The SDK sends the session id in `meta.session.id` and as `x-faro-session-id`; the body wins.
    sessionId: meta.session?.id ?? sessionHeader ?? '',
    userId: meta.user?.id ?? '',
    pageUrl: meta.page?.url ?? '',
    pageId: meta.page?.id ?? '',
    browserName: meta.browser?.name ?? '',
    browserVersion: meta.browser?.version ?? '',
    browserOs: meta.browser?.os ?? '',
    browserMobile: meta.browser?.mobile ?? false,
    view: meta.view?.name ?? '',
    idempotencyKey,
  }
}

const EMPTY = { message: '', stacktrace: '', attributes: {}, values: {}, traceId: '', spanId: '', model: '', predictionId: '', labelOutcome: '' as LabelOutcome, labelError: '' }

/**
 * Turns a payload into rows (events, measurements, logs, exceptions, each with the payload's app, session, page and
 * browser) and picks out its `label` events. Pure: the time of receipt comes in.
 */
export function payloadRows(payload: FaroPayload, ctx: { app: string; receivedAtMs: number; idempotencyKey: string; sessionHeader?: string }): { rows: FaroEventRow[]; labels: LabelEvent[] } {
  const common = base(payload.meta, ctx.app, ctx.receivedAtMs, ctx.idempotencyKey, ctx.sessionHeader)
  const rows: FaroEventRow[] = []
  const labels: LabelEvent[] = []
  const traced = (t: { trace_id?: string | undefined; span_id?: string | undefined } | undefined) => ({ traceId: t?.trace_id ?? '', spanId: t?.span_id ?? '' })
  for (const e of payload.events ?? []) {
    const attributes = e.attributes ?? {}
    const tsMs = timeOf(e.timestamp, ctx.receivedAtMs)
    const isLabel = e.name === LABEL_EVENT
    if (isLabel) labels.push({ row: rows.length, model: attributes.model ?? '', predictionId: attributes.prediction_id ?? '', label: attributes.label ?? '', tsMs })
    rows.push({
      ...common,
      ...EMPTY,
      kind: 'event',
      name: e.name,
      tsMs,
      attributes: e.domain ? { ...attributes, domain: e.domain } : attributes,
      ...traced(e.trace),
      ...(isLabel ? { model: attributes.model ?? '', predictionId: attributes.prediction_id ?? '' } : {}),
    })
  }
  for (const m of payload.measurements ?? []) {
    const values = Object.fromEntries(Object.entries(m.values ?? {}).filter(([, v]) => Number.isFinite(v)))
    rows.push({ ...common, ...EMPTY, kind: 'measurement', name: m.type ?? '', tsMs: timeOf(m.timestamp, ctx.receivedAtMs), attributes: m.context ?? {}, values, ...traced(m.trace) })
  }
  for (const l of payload.logs ?? []) {
    rows.push({ ...common, ...EMPTY, kind: 'log', name: l.level ?? '', tsMs: timeOf(l.timestamp, ctx.receivedAtMs), message: l.message ?? '', attributes: l.context ?? {}, ...traced(l.trace) })
  }
  for (const x of payload.exceptions ?? []) {
    rows.push({
      ...common,
      ...EMPTY,
      kind: 'exception',
      name: x.type ?? '',
      tsMs: timeOf(x.timestamp, ctx.receivedAtMs),
      message: x.value ?? '',
      stacktrace: `${x.type ?? ''}: ${x.value ?? ''}${frameText(x.stacktrace?.frames ?? [])}`,
      attributes: x.context ?? {},
      ...traced(x.trace),
    })
  }
  return { rows, labels }
}

/**
 * A label event's value as the collector's label record expects it: attributes are strings, so `0`/`1` and
 * `true`/`false` become a number or a boolean except for multiclass models, whose class names may be digits.
 */
export function labelValue(raw: string, task: 'binary_classification' | 'multiclass_classification' | 'regression'): string | number | boolean {
  if (task === 'multiclass_classification') return raw
  if (raw === 'true' || raw === 'false') return raw === 'true'
  const n = Number(raw)
  return raw.trim() !== '' && Number.isFinite(n) ? n : raw
}
