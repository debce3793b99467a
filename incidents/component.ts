import { Gauge, type Registry } from 'prom-client'
import type { AlertActivity, AlertListener, StoredAlert } from '../alerts/index.ts'
import type { Route } from '../server/index.ts'
import { DEFAULT_LOOKBACK_MS, rankCauses, type ChangeFact, type DriftFact, type LabelFact, type QualityFact } from './causes.ts'
import type { IncidentFilter, IncidentStore } from './clickhouse-store.ts'
import { createKeyedMutex } from './keyed-mutex.ts'
import { alertKeyOf, applyActivity, applyPatch, groupKeyOf, SYSTEM_ACTOR, type Change } from './lifecycle.ts'
import { incidentRoutes } from './routes.ts'
import type { Cause, Incident, IncidentDetail, IncidentEvent, IncidentPatch, TimelineEntry } from './types.ts'

/** An audit entry as incidents write and read them (structural: the composition root passes the real audit log). */
export interface IncidentAuditEntry {
  readonly actor: string
  readonly component: string
  readonly action: string
  readonly model?: string
  readonly target?: string
  readonly outcome: 'done' | 'noop' | 'refused' | 'failed'
  readonly before?: unknown
  readonly after?: unknown
  readonly reason?: string
  readonly requestId?: string
}

/** The audit trail as incidents need it: their changes go in; their models' entries come out for the timeline. */
export interface IncidentAudit {
  record(e: IncidentAuditEntry): Promise<void>
  read(q: { models?: readonly string[]; from?: number; to?: number; limit?: number }): Promise<ReadonlyArray<IncidentAuditEntry & { readonly atMs: number; readonly reason: string }>>
}

/** Saved analyzer results of a model whose window ends in [fromMs, toMs] (drift, quality, performance). */
export type AnalysisHistoryPort = (job: 'drift' | 'quality' | 'performance', model: string, fromMs: number, toMs: number) => Promise<ReadonlyArray<{ readonly toMs: number; readonly result: unknown }>>

/** What the incidents component needs from the composition root. */
export interface IncidentsOptions {
  readonly store: IncidentStore
  readonly audit: IncidentAudit
  /** Current alert states (firing and resolved), for the reconcile tick. */
  readonly alerts: () => Promise<readonly StoredAlert[]>
  readonly analysis?: AnalysisHistoryPort
  /** Permutation importance of a model's champion by feature (its training metrics), or null when none was stored. */
  readonly importance?: (model: string) => Promise<Readonly<Record<string, number>> | null>
  /** Share of an SLO's error budget consumed in [fromMs, toMs) (slo/); absent without SLOs. */
  readonly budgetConsumed?: (slo: string, fromMs: number, toMs: number) => Promise<number | null>
  readonly registry: Registry
  readonly now: () => number
  readonly onError: (what: string, error: unknown) => void
  /** How far before the onset changes and breaks count as causes and show in the timeline (default 1 h). */
  readonly lookbackMs?: number
}

/** The incidents component. */
export interface Incidents {
  /** Give it to `createAlerting({ listeners })`. */
  readonly listener: AlertListener
  readonly routes: readonly Route[]
  /** Catches up with the stored alert state (activity a crash missed), then refreshes the open-incident gauge. */
  tick(nowMs?: number): Promise<void>
  list(filter: IncidentFilter): Promise<Incident[]>
  get(id: string): Promise<Incident | null>
  detail(id: string): Promise<IncidentDetail | null>
  /** A manual change; TransitionError for a transition the lifecycle forbids; null when the incident does not exist. */
  patch(id: string, patch: IncidentPatch, who: { actor: string; requestId: string }): Promise<Incident | null>
  /** Ticks now and every `intervalMs` (a tick still running is not doubled); returns the stop function. */
  start(intervalMs?: number): () => void
}

const OPEN_STATUSES = ['triage', 'investigating', 'mitigated'] as const

function describeEvent(e: IncidentEvent): string {
  switch (e.kind) {
    case 'opened':
      return `incident opened (${e.note})`
    case 'alert_firing':
      return `alert ${e.alertname} (${e.severity}) firing${e.note ? `: ${e.note}` : ''}`
    case 'alert_resolved':
      return `alert ${e.alertname} (${e.severity}) resolved`
    case 'status':
      return `status ${e.fromStatus} → ${e.toStatus}`
    case 'resolved':
      return `resolved${e.note ? ` (${e.note})` : ''}`
    case 'assignee':
      return `assigned to ${e.note || 'nobody'}`
    case 'note':
      return `note: ${e.note}`
  }
}

// Loose readers of the analyzer's saved results: only the fields the ranking reads.
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {})

function driftFact(model: string, toMs: number, result: unknown): DriftFact {
  return {
    model,
    toMs,
    features: arr(obj(result).features).map((f) => {
      const o = obj(f)
      return { feature: String(o.feature ?? ''), statistic: num(o.statistic), p_value: num(o.p_value), threshold: num(o.threshold) ?? 0, drifted: o.drifted === true }
    }),
  }
}

function qualityFact(model: string, toMs: number, result: unknown): QualityFact {
  const r = obj(result)
  return {
    model,
    toMs,
    rows: num(r.rows) ?? 0,
    quarantined: num(r.quarantined) ?? 0,
    features: arr(r.features).map((f) => {
      const o = obj(f)
      return { feature: String(o.feature ?? ''), missing_share: num(o.missing_share) ?? 0, out_of_range_share: num(o.out_of_range_share) ?? 0, type_error_share: num(o.type_error_share) ?? 0, unseen_category_share: num(o.unseen_category_share) ?? 0 }
    }),
  }
}

/** Builds the incidents component. */
export function createIncidents(options: IncidentsOptions): Incidents {
  const { store, audit } = options
  const lookbackMs = options.lookbackMs ?? DEFAULT_LOOKBACK_MS
  const mutex = createKeyedMutex()
  const open = new Gauge({ name: 'highway_incidents_open', help: 'Incidents not yet resolved, by severity.', labelNames: ['severity'], registers: [options.registry] })

  const refreshGauge = async (): Promise<void> => {
    const counts = await store.openBySeverity()
    open.reset()
    // Page is always shown (0 when quiet), so a dashboard's "open pages" panel has a series.
    open.set({ severity: 'page' }, 0)
    for (const [severity, n] of counts) open.set({ severity }, n)
  }

  const auditChange = async (change: Change, before: Incident | null, actor: string, requestId = ''): Promise<void> => {
    const { incident } = change
    const action = before === null ? 'open' : incident.status === 'resolved' && before.status !== 'resolved' ? 'resolve' : 'update'
    if (action === 'update' && actor === SYSTEM_ACTOR) return // an alert joining or resolving: the timeline has it
    await audit.record({
      actor,
      component: 'incidents',
      action,
      model: incident.models[0] ?? '',
      target: incident.id,
      outcome: 'done',
      ...(before ? { before: { status: before.status, assignee: before.assignee } } : {}),
      after: { status: incident.status, assignee: incident.assignee, title: incident.title },
      ...(requestId ? { requestId } : {}),
    })
  }

  /** Applies one group's activity in order, under the group's lock (the caller holds it). */
  const applyGroup = async (groupKey: string, list: readonly AlertActivity[], open: Incident | null): Promise<boolean> => {
    let current = open
    let changed = false
    for (const a of [...list].sort((x, y) => x.atMs - y.atMs)) {
      // Pure first: most activity changes nothing (an alert below the opening severity with no incident open, an
      // alert already listed as firing), and a no-op needs no read.
      const change = applyActivity(current, a, groupKey)
      if (!change) continue
      if (!current && a.status === 'firing') {
        // This activation may already have been handled by an incident since resolved (a retry after the resolve).
        const seen = await store.seenAlertKeys([alertKeyOf(a)])
        if (seen.size > 0) continue
      }
      // Entries first, then the incident: a crash between them is repaired by the next delivery or tick, which
      // finds the incident unchanged and writes the same (deduplicated) entries again.
      await store.appendEvents(change.events)
      await store.save(change.incident)
      await auditChange(change, current, SYSTEM_ACTOR)
      current = change.incident.status === 'resolved' ? null : change.incident
      changed = true
    }
    return changed
  }

  /**
   * Runs `work` holding the locks of all `keys`, taken one by one in sorted order (no two callers can each hold a
   * key the other waits for; a single-key holder waits on nothing), so one read can serve every group.
   */
  const withLocks = <T,>(keys: readonly string[], work: () => Promise<T>): Promise<T> => {
    const sortedKeys = [...keys].sort()
    const take = (i: number): Promise<T> => (i === sortedKeys.length ? work() : mutex.run(sortedKeys[i]!, () => take(i + 1)))
    return take(0)
  }

  const handle = async (activity: readonly AlertActivity[]): Promise<void> => {
    const groups = new Map<string, AlertActivity[]>()
    for (const a of activity) {
      const key = groupKeyOf(a.labels)
      if (key === null) continue
      groups.set(key, [...(groups.get(key) ?? []), a])
    }
    if (groups.size === 0) return
    const changed = await withLocks([...groups.keys()], async () => {
      // Read under the locks: a patch or another delivery may have changed an incident meanwhile.
      const open = await store.openIncidents([...groups.keys()])
      return Promise.all([...groups].map(([key, list]) => applyGroup(key, list, open.get(key) ?? null)))
    })
    if (changed.some(Boolean)) await refreshGauge().catch((err: unknown) => options.onError('incident gauge', err))
  }

  const tick = async (nowMs = options.now()): Promise<void> => {
    const [alerts, openIncidents] = await Promise.all([options.alerts(), store.list({ statuses: [...OPEN_STATUSES] })])
    const byFp = new Map(alerts.map((a) => [a.fingerprint, a]))
    const synthetic: AlertActivity[] = []
    for (const incident of openIncidents) {
      for (const entry of incident.alerts) {
        if (!entry.firing) continue
        const state = byFp.get(entry.fingerprint)
        if (state?.state === 'firing') continue
        const labels = state?.labels ?? { alertname: entry.alertname, severity: entry.severity, ...(entry.model ? { model: entry.model } : {}), ...(entry.slo ? { slo: entry.slo } : {}) }
        synthetic.push({ eventId: `reconcile/${entry.fingerprint}/resolved/${entry.startsAtMs}`, source: state?.source ?? 'highway', fingerprint: entry.fingerprint, status: 'resolved', labels, annotations: state?.annotations ?? {}, startsAtMs: entry.startsAtMs, atMs: state?.resolvedAtMs ?? nowMs, silenced: false })
      }
    }
    for (const s of alerts) {
      // Highway's own alerts coming back through Alertmanager carry Alertmanager's start, not the evaluator's: skip them.
      if (s.state !== 'firing' || (s.source === 'alertmanager' && s.labels.source === 'highway')) continue
      synthetic.push({ eventId: `reconcile/${s.fingerprint}/firing/${s.activeAtMs}`, source: s.source, fingerprint: s.fingerprint, status: 'firing', labels: s.labels, annotations: s.annotations, startsAtMs: s.activeAtMs, atMs: s.firedAtMs ?? s.activeAtMs, silenced: s.silencedBy.length > 0 })
    }
    if (synthetic.length > 0) await handle(synthetic)
    await refreshGauge()
  }

  const causesOf = async (incident: Incident, endMs: number): Promise<Cause[]> => {
    const fromMs = incident.onsetAtMs - lookbackMs
    const toMs = Math.min(endMs, incident.onsetAtMs + lookbackMs)
    const baselineFromMs = fromMs - 24 * 3600_000
    const changes = await audit.read({ models: incident.models, from: fromMs, to: incident.onsetAtMs + 1, limit: 1000 })
    const drift: DriftFact[] = []
    const quality: QualityFact[] = []
    const labels: LabelFact[] = []
    const importance: Record<string, Readonly<Record<string, number>> | null> = {}
    await Promise.all(
      incident.models.map(async (model) => {
        const [d, q, p, imp] = await Promise.all([
          options.analysis?.('drift', model, fromMs, toMs) ?? [],
          options.analysis?.('quality', model, baselineFromMs, toMs) ?? [],
          options.analysis?.('performance', model, fromMs, toMs) ?? [],
          options.importance?.(model) ?? null,
        ])
        for (const r of d) drift.push(driftFact(model, r.toMs, r.result))
        for (const r of q) quality.push(qualityFact(model, r.toMs, r.result))
        for (const r of p) labels.push({ model, toMs: r.toMs, labelCoverage: num(obj(r.result).label_coverage) })
        importance[model] = imp
      }),
    )
    const changeFacts: ChangeFact[] = changes.map((c) => ({ atMs: c.atMs, component: c.component, action: c.action, model: c.model ?? '', target: c.target ?? '', actor: c.actor, outcome: c.outcome }))
    return rankCauses({ onsetMs: incident.onsetAtMs, lookbackMs, changes: changeFacts, drift, importance, quality, labels })
  }

  const detail = async (id: string): Promise<IncidentDetail | null> => {
    const incident = await store.get(id)
    if (!incident) return null
    const endMs = incident.resolvedAtMs ?? options.now()
    const [events, audited, causes, budget] = await Promise.all([
      store.events(id),
      incident.models.length > 0 ? audit.read({ models: incident.models, from: incident.onsetAtMs - lookbackMs, to: endMs + 1, limit: 1000 }) : Promise.resolve([]),
      causesOf(incident, endMs),
      Promise.all(incident.slos.map(async (slo) => ({ slo, consumed: options.budgetConsumed ? await options.budgetConsumed(slo, incident.onsetAtMs, endMs) : null }))),
    ])
    const timeline: TimelineEntry[] = [
      ...events.map((e): TimelineEntry => ({ atMs: e.atMs, source: 'incident', kind: e.kind, actor: e.actor, summary: describeEvent(e), detail: { eventId: e.eventId, ...(e.fingerprint ? { fingerprint: e.fingerprint } : {}), ...(e.requestId ? { requestId: e.requestId } : {}) } })),
      // The components' own entries (releases, rollbacks, runbook runs…); the shell's per-request entries duplicate them,
      // and this incident's own changes are already in its entries.
      ...audited
        .filter((a) => a.component !== 'http' && a.component !== 'incidents')
        .map((a): TimelineEntry => ({
          atMs: a.atMs,
          source: 'audit',
          kind: `${a.component}.${a.action}`,
          actor: a.actor,
          summary: `${a.component} ${a.action} ${a.model ?? ''}${a.target ? ` ${a.target}` : ''}: ${a.outcome}${a.reason ? ` (${a.reason})` : ''}`,
          detail: { before: a.before ?? null, after: a.after ?? null, ...(a.requestId ? { requestId: a.requestId } : {}) },
        })),
    ].sort((x, y) => x.atMs - y.atMs)
    return { incident, timeline, causes, budget }
  }

  const patch = async (id: string, p: IncidentPatch, who: { actor: string; requestId: string }): Promise<Incident | null> => {
    const found = await store.get(id)
    if (!found) return null
    return mutex.run(found.groupKey, async () => {
      // Read again under the lock: an alert may have changed it meanwhile.
      const incident = (await store.get(id)) ?? found
      const change = applyPatch(incident, p, { ...who, atMs: Math.max(options.now(), incident.updatedAtMs) })
      if (!change) return incident
      await store.appendEvents(change.events)
      await store.save(change.incident)
      await auditChange(change, incident, who.actor, who.requestId)
      await refreshGauge().catch((err: unknown) => options.onError('incident gauge', err))
      return change.incident
    })
  }

  const self: Incidents = {
    listener: handle,
    routes: [],
    tick,
    list: (f) => store.list(f),
    get: (id) => store.get(id),
    detail,
    patch,
    start(intervalMs = 60_000) {
      let ticking = false
      const run = (): void => {
        if (ticking) return
        ticking = true
        tick()
          .catch((err: unknown) => options.onError('incident reconcile', err))
          .finally(() => (ticking = false))
      }
      // Once at start: catches up with what a crash missed, and publishes the gauge before the first interval.
      run()
      const timer = setInterval(run, intervalMs)
      timer.unref()
      return () => clearInterval(timer)
    },
  }
  return { ...self, routes: incidentRoutes({ incidents: self }) }
}
