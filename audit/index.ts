export { createAuditLog } from './audit-log.ts'
export type { AuditEntry, AuditLog, AuditOutcome, AuditQuery, AuditRecord } from './audit-log.ts'
export { createRequestAuditWriter } from './request-audit.ts'
export type { RequestAuditWriter, RequestAuditWriterOptions } from './request-audit.ts'
