/**
 * What Grafana does to a ClickHouse panel's SQL before the server sees it, so tests can run the exact text:
 *   1. the plugin's frontend drops `$__conditionalAll(phrase, $var)` to `1=1` when $var is All or empty
 *      (grafana/clickhouse-datasource src/data/CHDatasource.ts `applyConditionalAll`, last occurrence first);
 *   2. Grafana substitutes template variables with the plugin's formatter: a multi-value as `'a','b'`, a single
 *      value as is (CHDatasource `format`);
 *   3. the plugin's backend expands its macros (pkg/macros/macros.go, `ClickHouseMacros`): time filters with
 *      `toDateTime(<unix s>)` or `fromUnixTimestamp64Milli(<ms>)`, `toStartOfInterval(…, INTERVAL n second)`.
 * Unknown macros are left in place, as the plugin leaves them (ClickHouse then refuses the query).
 */

/** A template variable's current value: one value, several, or All. */
export type VariableValue = string | readonly string[] | { readonly all: true; readonly allValue?: string; readonly options: readonly string[] }

/** The query context Grafana gives the plugin. */
export interface MacroContext {
  readonly fromMs: number
  readonly toMs: number
  /** The panel's interval ($__interval), ms. */
  readonly intervalMs: number
  readonly variables: Readonly<Record<string, VariableValue>>
}

/** The arguments of a call whose `(` is at `open`, split at top-level commas (CHDatasource `getMacroArgs`). */
function macroArgs(sql: string, open: number): { args: string[]; end: number } | null {
  const args: string[] = []
  let depth = 0
  let start = open + 1
  for (let i = open; i < sql.length; i++) {
    const c = sql[i]
    if (c === '(') depth++
    else if (c === ')') depth--
    if (c === ',' && depth === 1) {
      args.push(sql.slice(start, i))
      start = i + 1
    }
    if (depth === 0) {
      args.push(sql.slice(start, i))
      return { args, end: i + 1 }
    }
  }
  return null
}

const isAll = (v: VariableValue | undefined): boolean => v !== undefined && typeof v === 'object' && 'all' in v

function applyConditionalAll(sql: string, variables: MacroContext['variables']): string {
  const macro = '$__conditionalAll('
  let at = sql.lastIndexOf(macro)
  while (at !== -1) {
    const parsed = macroArgs(sql, at + macro.length - 1)
    if (!parsed || parsed.args.length !== 2) return sql
    const [phrase, variable] = parsed.args as [string, string]
    const name = /(?<=\$\{)\w+(?=\})|(?<=\$)\w+/.exec(variable.trim())?.[0]
    const value = name === undefined ? undefined : variables[name]
    const empty = value === '' || (Array.isArray(value) && value.length === 0)
    sql = `${sql.slice(0, at)}${isAll(value) || empty ? '1=1' : phrase}${sql.slice(parsed.end)}`
    at = sql.lastIndexOf(macro)
  }
  return sql
}

function formatValue(v: VariableValue): string {
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return `'${v.join("','")}'`
  const all = v as { allValue?: string; options: readonly string[] }
  // With an allValue Grafana passes it as is; without one, every option as a multi-value.
  return all.allValue ?? `'${all.options.join("','")}'`
}

function substituteVariables(sql: string, variables: MacroContext['variables']): string {
  // Grafana's variable syntaxes: $name, ${name}, ${name:format} (format ignored here: dashboards use none), [[name]].
  return sql.replace(/\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)\]\]|\$(\w+)/g, (match, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c ?? ''
    const value = variables[name]
    return value === undefined ? match : formatValue(value)
  })
}

const dateTime = (ms: number): string => `toDateTime(${Math.floor(ms / 1000)})`
const dateTime64 = (ms: number): string => `fromUnixTimestamp64Milli(${Math.trunc(ms)})`
const date = (ms: number): string => `toDate('${new Date(ms).toISOString().slice(0, 10)}')`

type Macro = (ctx: MacroContext, args: readonly string[]) => string

function oneArg(name: string, f: (ctx: MacroContext, column: string) => string): Macro {
  return (ctx, args) => {
    if (args.length !== 1) throw new Error(`$__${name} expected 1 argument(s), received ${args.length}`)
    return f(ctx, args[0]!)
  }
}

const MACROS: Readonly<Record<string, Macro>> = {
  timeFilter: oneArg('timeFilter', (c, col) => `${col} >= ${dateTime(c.fromMs)} AND ${col} <= ${dateTime(c.toMs)}`),
  timeFilter_ms: oneArg('timeFilter_ms', (c, col) => `${col} >= ${dateTime64(c.fromMs)} AND ${col} <= ${dateTime64(c.toMs)}`),
  dateFilter: oneArg('dateFilter', (c, col) => `${col} >= ${date(c.fromMs)} AND ${col} <= ${date(c.toMs)}`),
  timeFrom: oneArg('timeFrom', (c, col) => `${col} >= ${dateTime(c.fromMs)}`),
  timeTo: oneArg('timeTo', (c, col) => `${col} <= ${dateTime(c.toMs)}`),
  fromTime: (c) => dateTime(c.fromMs),
  toTime: (c) => dateTime(c.toMs),
  fromTime_ms: (c) => dateTime64(c.fromMs),
  toTime_ms: (c) => dateTime64(c.toMs),
  timeInterval: oneArg('timeInterval', (c, col) => `toStartOfInterval(toDateTime(${col}), INTERVAL ${Math.trunc(Math.max(c.intervalMs / 1000, 1))} second)`),
  timeInterval_ms: oneArg('timeInterval_ms', (c, col) => `toStartOfInterval(toDateTime64(${col}, 3), INTERVAL ${Math.trunc(Math.max(c.intervalMs, 1))} millisecond)`),
  interval_s: (c) => String(Math.trunc(Math.max(c.intervalMs / 1000, 1))),
}

function expandBackendMacros(sql: string, ctx: MacroContext): string {
  let out = ''
  let i = 0
  const re = /\$__(\w+)/g
  for (let m = re.exec(sql); m !== null; m = re.exec(sql)) {
    const macro = MACROS[m[1]!]
    if (!macro) continue
    const after = m.index + m[0].length
    const call = sql[after] === '(' ? macroArgs(sql, after) : null
    const args = call ? call.args.map((a) => a.trim()) : []
    out += sql.slice(i, m.index) + macro(ctx, args)
    i = call ? call.end : after
    re.lastIndex = i
  }
  return out + sql.slice(i)
}

/** The SQL the ClickHouse server receives for `rawSql` under `ctx`. */
export function expandClickHouseSql(rawSql: string, ctx: MacroContext): string {
  return expandBackendMacros(substituteVariables(applyConditionalAll(rawSql, ctx.variables), ctx.variables), ctx)
}
