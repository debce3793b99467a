import { describe, expect, it } from 'vitest'
import { DataSourceError, parseDataArgument } from './index.ts'

const NOW = Date.UTC(2024, 5, 1)

describe('parseDataArgument', () => {
  it('resolves a file path against the working directory', () => {
    expect(parseDataArgument('data/rows.csv', NOW, '/srv')).toEqual({ kind: 'file', path: '/srv/data/rows.csv' })
  })

  it('reads clickhouse:30d as the last 30 days with labels up to now', () => {
    expect(parseDataArgument('clickhouse:30d', NOW)).toEqual({ kind: 'clickhouse', fromMs: NOW - 30 * 86_400_000, toMs: NOW, labelsUntilMs: NOW })
  })

  it('reads an explicit window and a served version after @', () => {
    expect(parseDataArgument('clickhouse:2024-05-01T00:00:00Z..1717200000000@3', NOW)).toEqual({ kind: 'clickhouse', fromMs: Date.UTC(2024, 4, 1), toMs: 1717200000000, labelsUntilMs: NOW, version: '3' })
  })

  it.each(['clickhouse:', 'clickhouse:yesterday', 'clickhouse:2024-05-02..2024-05-01', 'clickhouse:7d@'])('refuses %s naming the syntax', (arg) => {
    expect(() => parseDataArgument(arg, NOW)).toThrow(DataSourceError)
  })
})
