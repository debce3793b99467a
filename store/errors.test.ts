import { describe, expect, it } from 'vitest'
import { toStoreError } from './errors.ts'

// The messages and codes are those chDB gave with a full tmpfs under the data directory and with the directory
// remounted read-only (test/support/storage-faults-suite.ts runs the real thing end to end).
describe('toStoreError', () => {
  const cases: Array<[string, unknown, string]> = [
    ['a full disk (NOT_ENOUGH_SPACE, code 243)', Object.assign(new Error('Cannot reserve 1.00 MiB, not enough space: while pushing to view highway.prediction_rollup_1m_mv.'), { code: '243' }), 'unwritable'],
    ['a read-only data directory (STD_EXCEPTION, code 1001)', Object.assign(new Error('std::__1::filesystem::filesystem_error: filesystem error: in create_directories: Read-only file system ["/d/tmp_insert_1"]'), { code: '1001' }), 'unwritable'],
    ['ENOSPC from the RowBinary file write', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), 'unwritable'],
    ['EROFS from the RowBinary file write', Object.assign(new Error('EROFS: read-only file system, open'), { code: 'EROFS' }), 'unwritable'],
    ['CANNOT_WRITE_TO_FILE_DESCRIPTOR (75)', Object.assign(new Error('Cannot write to file'), { code: '75' }), 'unwritable'],
    ['TABLE_IS_READ_ONLY (242)', Object.assign(new Error('Table is in readonly mode'), { code: '242' }), 'unwritable'],
    ['CANNOT_FSYNC (204)', Object.assign(new Error('Cannot fsync'), { code: '204' }), 'unwritable'],
    ['a server down', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' }), 'unavailable'],
    ['a row ClickHouse cannot parse (CANNOT_PARSE_DATETIME, 41)', Object.assign(new Error('Cannot parse datetime'), { code: '41' }), 'rejected'],
  ]
  it.each(cases)('classes %s as %s', (_name, err, code) => {
    const e = toStoreError(err, 'insert into predictions')
    expect(e.code).toBe(code)
    expect(e.transient).toBe(code !== 'rejected')
  })
})
