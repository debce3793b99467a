import { StoreError } from '../store/index.ts'

/** The closed set of failures the API answers with; each maps to one HTTP status. */
export type AppErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'request_timeout'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'overloaded'
  | 'unavailable'
  | 'internal'

const STATUS: Record<AppErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  overloaded: 429,
  unavailable: 503,
  internal: 500,
}

/** An error with a literal code, mapped to HTTP once, by the shell (`toAppError`). Components throw these. */
export class AppError extends Error {
  override readonly name = 'AppError'
  readonly code: AppErrorCode
  readonly retryAfterSeconds: number | undefined
  constructor(code: AppErrorCode, message: string, options: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.code = code
    this.retryAfterSeconds = options.retryAfterSeconds
  }

  /** The HTTP status of this code. */
  get status(): number {
    return STATUS[this.code]
  }
}

/** How long a client should wait after storage failed it, in seconds. */
export const STORAGE_RETRY_AFTER_SECONDS = 5

/**
 * Maps anything a handler threw to the answer: an AppError as it is; a storage failure that may pass (ClickHouse
 * down, timed out, closed) → 503 with Retry-After on every route; anything else is unexpected → 500 (logged).
 */
export function toAppError(err: unknown): { error: AppError; unexpected: boolean } {
  if (err instanceof AppError) return { error: err, unexpected: false }
  if (err instanceof StoreError && (err.transient || err.code === 'closed')) {
    return { error: new AppError('unavailable', `storage unavailable (${err.operation}); retry later`, { retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS, cause: err }), unexpected: false }
  }
  return { error: new AppError('internal', 'internal error', { cause: err }), unexpected: true }
}
