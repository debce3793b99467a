export { createRefreshAhead } from './refresh-ahead.ts'
export type { Held, RefreshAhead, RefreshAheadOptions } from './refresh-ahead.ts'
