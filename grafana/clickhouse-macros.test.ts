import { describe, expect, it } from 'vitest'
import { expandClickHouseSql, type MacroContext } from './clickhouse-macros.ts'

// Expected texts follow grafana/clickhouse-datasource pkg/macros/macros.go and src/data/CHDatasource.ts.
const ctx: MacroContext = { fromMs: 1_700_000_000_123, toMs: 1_700_003_600_456, intervalMs: 30_000, variables: { model: 'm', version: ['1', '2'], all: { all: true, options: ['a'] } } }

describe('expandClickHouseSql', () => {
  it.each([
    ['$__timeFilter(ts)', 'ts >= toDateTime(1700000000) AND ts <= toDateTime(1700003600)'],
    ['$__timeFilter_ms(ts)', 'ts >= fromUnixTimestamp64Milli(1700000000123) AND ts <= fromUnixTimestamp64Milli(1700003600456)'],
    ['$__fromTime AND $__toTime', 'toDateTime(1700000000) AND toDateTime(1700003600)'],
    ['$__fromTime_ms, $__toTime_ms', 'fromUnixTimestamp64Milli(1700000000123), fromUnixTimestamp64Milli(1700003600456)'],
    ['$__timeInterval(ts)', 'toStartOfInterval(toDateTime(ts), INTERVAL 30 second)'],
    ['$__timeInterval_ms(ts)', 'toStartOfInterval(toDateTime64(ts, 3), INTERVAL 30000 millisecond)'],
    ['$__interval_s', '30'],
    ['$__dateFilter(d)', "d >= toDate('2023-11-14') AND d <= toDate('2023-11-14')"],
    ["model = '${model}'", "model = 'm'"],
    ['version IN ($version)', "version IN ('1','2')"],
    ['$__conditionalAll(version IN ($version), $version)', "version IN ('1','2')"],
    ['$__conditionalAll(x IN ($all), $all)', '1=1'],
    ['$__unknown(x)', '$__unknown(x)'],
  ])('expands %s', (sql, expected) => {
    expect(expandClickHouseSql(sql, ctx)).toBe(expected)
  })

  it('refuses a column macro without its argument, as the plugin does', () => {
    expect(() => expandClickHouseSql('$__timeFilter', ctx)).toThrow('$__timeFilter expected 1 argument(s), received 0')
  })
})
