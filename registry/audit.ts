import { randomUUID } from 'node:crypto'
import { insertAudit, readAudit, type Store } from '../store/index.ts'

/** One audited action, as components report it. */
export interface AuditEntry {
  readonly actor: string
  readonly component: string
  readonly action: string
  readonly model?: string
  readonly target?: string
  /** `done`, `noop`, `refused` or `failed`. */
  readonly outcome: 'done' | 'noop' | 'refused' | 'failed'
  readonly before?: unknown
  readonly after?: unknown
  readonly reason?: string
}

/** An audit entry as read back. */
export interface AuditRecord extends Required<Omit<AuditEntry, 'before' | 'after'>> {
  readonly id: string
  readonly atMs: number
  readonly before: unknown
  readonly after: unknown
}

/** The audit log port: append and read. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>
  /** Newest first; `models` keeps only entries of those models; `from`/`to` in epoch ms, `to` exclusive. */
  read(q?: { component?: string; model?: string; models?: readonly string[]; action?: string; actor?: string; from?: number; to?: number; limit?: number }): Promise<AuditRecord[]>
}

const parse = (s: string): unknown => (s === '' ? null : (JSON.parse(s) as unknown))

/** The audit log over the `audit_log` table. */
export function createAuditLog(store: Store, now: () => number = Date.now): AuditLog {
  return {
    async record(e) {
      await insertAudit(store, {
        id: randomUUID(),
        atMs: now(),
        actor: e.actor,
        component: e.component,
        action: e.action,
        model: e.model ?? '',
        target: e.target ?? '',
        outcome: e.outcome,
        beforeJson: e.before === undefined ? '' : JSON.stringify(e.before),
        afterJson: e.after === undefined ? '' : JSON.stringify(e.after),
        reason: e.reason ?? '',
      })
    },
    async read(q = {}) {
      const { from, to, ...rest } = q
      const rows = await readAudit(store, { ...rest, ...(from !== undefined ? { fromMs: from } : {}), ...(to !== undefined ? { toMs: to } : {}) })
      return rows.map((r) => ({
        id: r.id,
        atMs: r.atMs,
        actor: r.actor,
        component: r.component,
        action: r.action,
        model: r.model,
        target: r.target,
        outcome: r.outcome as AuditEntry['outcome'],
        before: parse(r.beforeJson),
        after: parse(r.afterJson),
        reason: r.reason,
      }))
    },
  }
}
