import { parseArgs } from 'node:util'

// Every flag any command takes: one strict parser for all, so a typo is an error whatever the command.
const FLAG_OPTIONS = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  json: { type: 'boolean' },
  print: { type: 'boolean' },
  cluster: { type: 'string' },
  rows: { type: 'string' },
  model: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  version: { type: 'string' },
  url: { type: 'string' },
  'api-key': { type: 'string' },
  out: { type: 'string' },
  slos: { type: 'string' },
  'period-sli': { type: 'string' },
  buckets: { type: 'string' },
  data: { type: 'string' },
  target: { type: 'string' },
  reproduce: { type: 'string' },
  strategy: { type: 'string' },
  fix: { type: 'boolean' },
  exit: { type: 'boolean' },
  steps: { type: 'string' },
  interval: { type: 'string' },
  'dry-run': { type: 'boolean' },
  markdown: { type: 'boolean' },
  status: { type: 'string' },
  state: { type: 'string' },
  matcher: { type: 'string', multiple: true },
  duration: { type: 'string' },
  comment: { type: 'string' },
  author: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

/** Parses a command's arguments (after the command name); throws node's parseArgs error naming an unknown flag. */
export function parseFlags(argv: readonly string[]) {
  return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: FLAG_OPTIONS })
}

/** A command's parsed flags (`values`) and positionals. */
export type ParsedFlags = ReturnType<typeof parseFlags>
