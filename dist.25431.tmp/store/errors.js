/** The one error type `store/` lets out: driver errors are translated here, with the cause kept. */
export class StoreError extends Error {
    name = 'StoreError';
    code;
    operation;
    constructor(code, operation, message, options) {
        super(`${operation}: ${message}`, options);
        this.code = code;
        this.operation = operation;
    }
    /** True when trying again later may succeed (server down, network, timeout, storage that cannot write yet). */
    get transient() {
        return this.code === 'unavailable' || this.code === 'timeout' || this.code === 'unwritable';
    }
}
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
// ClickHouse server codes that mean "try again": TOO_MANY_SIMULTANEOUS_QUERIES (202), TIMEOUT_EXCEEDED (159),
// NETWORK_ERROR (210), SOCKET_TIMEOUT (209), TOO_MANY_PARTS (252), MEMORY_LIMIT_EXCEEDED (241), ALL_CONNECTION_TRIES_FAILED (279),
// CANNOT_ALLOCATE_MEMORY (173), MEMORY_RESERVATION_FAILED (778).
const TRANSIENT_CLICKHOUSE_CODES = new Set(['159', '173', '202', '209', '210', '241', '252', '279', '778']);
// The rule: a row is refused (and kept in spool/dead/) only when the error is about the rows. An error about the
// engine's own storage says nothing about them, so it is retried: codes read from the engine itself
// (`SELECT errorCodeToName(n)`, chDB 26.7). CANNOT_WRITE_TO_OSTREAM (24), CANNOT_WRITE_TO_FILE_DESCRIPTOR (75),
// CANNOT_OPEN_FILE (76), CANNOT_CLOSE_FILE (77), CANNOT_TRUNCATE_FILE (88), READONLY (164), CANNOT_FSYNC (204),
// TABLE_IS_READ_ONLY (242), NOT_ENOUGH_SPACE (243), AIO_WRITE_ERROR (275), CANNOT_WRITE_TO_FILE (294),
// ATOMIC_RENAME_FAIL (521), CANNOT_CREATE_FILE (586), CANNOT_APPEND_TO_FILE (641), TABLE_IS_PERMANENTLY_READ_ONLY (774).
const STORAGE_CLICKHOUSE_CODES = new Set(['24', '75', '76', '77', '88', '164', '204', '242', '243', '275', '294', '521', '586', '641', '774']);
// The same conditions as errno codes, which Node's file calls give (the embedded RowBinary insert writes a file
// first) and which ClickHouse wraps in STD_EXCEPTION (1001) or CANNOT_* messages with the errno text only.
const STORAGE_ERRNO_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO', 'EACCES', 'EPERM', 'EMFILE', 'ENFILE']);
// Measured from chDB with a full tmpfs under the data directory ("Cannot reserve 1.00 MiB, not enough space: while
// pushing to view …", code 243) and with it remounted read-only ("filesystem error: in create_directories:
// Read-only file system [...]", code 1001).
const STORAGE_MESSAGE = /not enough space|no space left on device|disk quota exceeded|read-only file system|\bENOSPC\b|\bEROFS\b|\bEDQUOT\b|input\/output error|\bEIO\b|permission denied|too many open files|table is in readonly mode/i;
/** Maps any driver error to a StoreError, deciding whether it is worth retrying. */
export function toStoreError(err, operation) {
    if (err instanceof StoreError)
        return err;
    const e = err;
    const message = typeof e?.message === 'string' ? e.message : String(err);
    const code = typeof e?.code === 'string' || typeof e?.code === 'number' ? String(e.code) : '';
    if (NETWORK_CODES.has(code) || /ECONNREFUSED|ECONNRESET|socket hang up|fetch failed|getaddrinfo/i.test(message)) {
        return new StoreError('unavailable', operation, message, { cause: err });
    }
    if (/timeout|timed out/i.test(message) || code === 'ABORT_ERR')
        return new StoreError('timeout', operation, message, { cause: err });
    if (STORAGE_CLICKHOUSE_CODES.has(code) || STORAGE_ERRNO_CODES.has(code) || STORAGE_MESSAGE.test(message)) {
        return new StoreError('unwritable', operation, message, { cause: err });
    }
    if (TRANSIENT_CLICKHOUSE_CODES.has(code))
        return new StoreError('unavailable', operation, message, { cause: err });
    if (/closed/i.test(message) && /connection|session/i.test(message))
        return new StoreError('closed', operation, message, { cause: err });
    return new StoreError('rejected', operation, message, { cause: err });
}
//# sourceMappingURL=errors.js.map