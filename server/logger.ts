/** Logger port: structured lines; the CLI writes them as JSON to stderr. Every component logs through it. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}
